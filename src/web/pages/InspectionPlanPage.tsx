/**
 * One inspection plan: its number, dates and team, the units to inspect grouped by cluster,
 * and the result of each (rating, findings, recommendations), recorded on a phone at the unit.
 */
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDateShort } from "../../domain/format.ts";
import { INSPECTION_RATINGS } from "../../domain/inspections/rules.ts";
import { api } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextAreaField, TextField } from "../components/fields.tsx";
import { FormActions, useFields, useRequest } from "../components/forms.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import type { InspectionPlan, InspectionTarget } from "./InspectionParts.tsx";
import { PlanForm } from "./InspectionsPage.tsx";

export function InspectionPlanPage() {
  const t = useT();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const plan = useLoad(() => api.get<InspectionPlan>(`/api/v1/inspections/plans/${id}`), [id]);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const deletion = useRequest();
  if (plan.error) return <ErrorBox error={plan.error} />;
  if (!plan.data) return <Loading />;
  const p = plan.data;
  const back = `/org-units/${p.unit.id}/inspections?year=${p.issuedOn.slice(0, 4)}`;

  async function remove() {
    if (!window.confirm(t("inspections.deleteConfirm", { number: p.documentNumber }))) return;
    if (await deletion.run(() => api.delete(`/api/v1/inspections/plans/${p.id}`))) navigate(back);
  }

  const clusters = new Map<string, InspectionTarget[]>();
  for (const x of p.targets) {
    const key = x.cluster ?? "";
    clusters.set(key, [...(clusters.get(key) ?? []), x]);
  }
  return (
    <div className="page">
      <p>
        <Link to={back}>{t("inspections.backToPlans")}</Link>
      </p>
      <h1>{p.title}</h1>
      <p className="muted">
        {p.unit.name} · {t("inspections.field.documentNumber")} {p.documentNumber} ·{" "}
        {formatDateShort(p.issuedOn)}
      </p>
      <p>
        {t("inspections.field.fromDate")} {formatDateShort(p.fromDate)} ·{" "}
        {t("inspections.field.toDate").toLowerCase()} {formatDateShort(p.toDate)}
      </p>
      <Notice>{notice}</Notice>
      <ErrorBox error={deletion.error} />
      {editing ? (
        <PlanForm
          unitId={p.unit.id}
          plan={p}
          onDone={(saved) => {
            setEditing(false);
            if (saved) {
              setNotice(t("inspections.saved"));
              plan.reload();
            }
          }}
        />
      ) : (
        <section className="card" aria-labelledby="team-heading">
          <h2 id="team-heading">{t("inspections.team")}</h2>
          {p.team.length === 0 ? (
            <p className="muted">{t("inspections.teamEmpty")}</p>
          ) : (
            <ul>
              {p.team.map((m) => (
                <li key={`${m.role}-${m.fullName}`}>
                  <strong>{t(`inspections.team.role.${m.role}`)}</strong>: {m.fullName}
                  {m.position && ` — ${m.position}`}
                </li>
              ))}
            </ul>
          )}
          {p.notes && <p className="pre-text">{p.notes}</p>}
          {p.canWrite && (
            <div className="actions">
              <button type="button" onClick={() => setEditing(true)}>
                {t("inspections.edit")}
              </button>
              <button type="button" onClick={remove}>
                {t("inspections.delete")}
              </button>
            </div>
          )}
        </section>
      )}
      {[...clusters].map(([name, targets]) => (
        <section className="card" key={name} aria-label={name || t("inspections.noCluster")}>
          <h2>
            {name ? t("inspections.cluster", { name, count: targets.length }) : t("inspections.noCluster")}
          </h2>
          <ul className="record-list">
            {targets.map((x) => (
              <TargetItem
                key={x.id}
                target={x}
                canWrite={p.canWrite}
                issuedOn={p.issuedOn}
                onSaved={(message) => {
                  setNotice(message);
                  plan.reload();
                }}
              />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function TargetItem({
  target,
  canWrite,
  issuedOn,
  onSaved,
}: {
  target: InspectionTarget;
  canWrite: boolean;
  issuedOn: string;
  onSaved: (message: string | null) => void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const { error, run } = useRequest();
  async function clear() {
    if (!window.confirm(t("inspections.clearConfirm", { name: target.unit.name }))) return;
    if (await run(() => api.delete(`/api/v1/inspections/targets/${target.id}/result`))) onSaved(null);
  }
  return (
    <li data-target={target.unit.id}>
      <strong>{target.unit.name}</strong>
      <br />
      <span className="muted">
        {t(`inspections.category.${target.category}`)}
        {target.schoolLevel && ` · ${t(`inspections.level.${target.schoolLevel}`)}`}
        {target.scheduledOn && ` · ${formatDateShort(target.scheduledOn)}`}
      </span>
      <br />
      <span data-testid="target-rating">
        {target.rating ? (
          <>
            {t("inspections.result")}: <strong>{t(`centres.rating.${target.rating}`)}</strong>
            {target.inspectedOn && ` · ${formatDateShort(target.inspectedOn)}`}
          </>
        ) : (
          <span className="muted">{t("inspections.notInspected")}</span>
        )}
      </span>
      {target.findings && <p className="pre-text">{target.findings}</p>}
      {target.recommendations && (
        <p className="pre-text">
          {t("inspections.result.recommendations")}: {target.recommendations}
        </p>
      )}
      <ErrorBox error={error} />
      {canWrite && !open && (
        <div className="actions">
          <button type="button" onClick={() => setOpen(true)}>
            {target.rating ? t("inspections.correctResult") : t("inspections.recordResult")}
          </button>
          {target.rating && (
            <button type="button" onClick={clear}>
              {t("inspections.clearResult")}
            </button>
          )}
        </div>
      )}
      {open && (
        <ResultForm
          target={target}
          issuedOn={issuedOn}
          onDone={(saved) => {
            setOpen(false);
            if (saved) onSaved(t("inspections.resultSaved", { name: target.unit.name }));
          }}
        />
      )}
    </li>
  );
}

function ResultForm({
  target,
  issuedOn,
  onDone,
}: {
  target: InspectionTarget;
  issuedOn: string;
  onDone: (saved: boolean) => void;
}) {
  const t = useT();
  const today = todayInVietnam();
  const [f, set] = useFields({
    inspectedOn: target.inspectedOn ?? target.scheduledOn ?? (today < issuedOn ? issuedOn : today),
    rating: target.rating ?? "",
    findings: target.findings ?? "",
    recommendations: target.recommendations ?? "",
  });
  const { error, fieldErrors, submit } = useRequest();
  const save = () =>
    api.put(`/api/v1/inspections/targets/${target.id}/result`, {
      inspectedOn: f.inspectedOn,
      rating: f.rating || null,
      findings: f.findings || null,
      recommendations: f.recommendations || null,
    });
  const label = `${t("inspections.recordResult")} — ${target.unit.name}`;
  return (
    <form onSubmit={submit(save, () => onDone(true))} noValidate aria-label={label}>
      <ErrorBox error={error} />
      <TextField
        label={t("inspections.result.inspectedOn")}
        type="date"
        value={f.inspectedOn}
        onChange={set("inspectedOn")}
        error={fieldErrors.inspectedOn}
      />
      <SelectField
        label={t("inspections.result.rating")}
        value={f.rating}
        onChange={set("rating")}
        error={fieldErrors.rating}
      >
        <option value="">—</option>
        {INSPECTION_RATINGS.map((r) => (
          <option key={r} value={r}>
            {t(`centres.rating.${r}`)}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label={t("inspections.result.findings")}
        rows={3}
        value={f.findings}
        onChange={set("findings")}
      />
      <TextAreaField
        label={t("inspections.result.recommendations")}
        rows={2}
        value={f.recommendations}
        onChange={set("recommendations")}
      />
      <FormActions primary onCancel={() => onDone(false)} />
    </form>
  );
}
