/**
 * A unit's commendations of a year: the summary (Bằng khen / Giấy khen, individuals and
 * collectives, proposed and awarded; exemplary models by learning model; per unit below, with
 * Excel), the proposals with their outcome, the form that proposes for several recipients at
 * once (one name per line), and the exemplary models with their stories (added, corrected and
 * deleted by the officers who may write).
 */
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { COMMENDATION_KINDS, EXEMPLARY_MODELS, RECIPIENT_TYPES } from "../../domain/commendations/rules.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDateShort } from "../../domain/format.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextAreaField, TextField } from "../components/fields.tsx";
import { AddButton, errorsByPath, FormActions, useFields, useRequest } from "../components/forms.tsx";
import { ListExportLinks } from "../components/list-export.tsx";
import { OrgUnitPicker, type PickedUnit } from "../components/OrgUnitPicker.tsx";
import { useYearParam } from "../components/years.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import {
  type CommendationItem,
  type CommendationList,
  type CommendationReport,
  CountsTable,
  FIRST_YEAR,
  YearField,
} from "./InspectionParts.tsx";

type ExemplaryModel = CommendationList["exemplary"][number];

export function CommendationsPage() {
  const t = useT();
  const id = Number(useParams().id);
  const [year, setYear] = useYearParam(FIRST_YEAR);
  const [version, setVersion] = useState(0);
  const data = useLoad(
    () => api.get<CommendationList>(`/api/v1/commendations${query({ orgUnitId: id, year })}`),
    [id, year, version],
  );
  const changed = () => setVersion((v) => v + 1);
  if (data.error) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading />;
  const d = data.data;
  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${id}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("commendations.title", { name: d.unit.name })}</h1>
      <YearField year={year} onChange={setYear} />
      <Summary unitId={id} year={year} version={version} />
      <Proposals list={d} onChanged={changed} />
      <Exemplary list={d} onChanged={changed} />
    </div>
  );
}

function Summary({ unitId, year, version }: { unitId: number; year: number; version: number }) {
  const t = useT();
  const report = useLoad(
    () => api.get<CommendationReport>(`/api/v1/commendations/report${query({ orgUnitId: unitId, year })}`),
    [unitId, year, version],
  );
  if (report.error) return <ErrorBox error={report.error} />;
  if (!report.data) return <Loading />;
  const columns = (["proposed", "awarded"] as const).flatMap((stage) =>
    COMMENDATION_KINDS.flatMap((k) =>
      RECIPIENT_TYPES.map((r) => ({
        key: `${stage}:${k}:${r}`,
        label: `${t(stage === "proposed" ? "commendations.proposedCol" : "commendations.awardedCol")}: ${t(`commendations.kind.${k}`)} — ${t(`commendations.recipient.${r}`).toLowerCase()}`,
        metrics: [`${stage}:${k}:${r}`],
      })),
    ),
  );
  columns.push({
    key: "exemplary",
    label: t("commendations.exemplaryCol"),
    metrics: EXEMPLARY_MODELS.map((m) => `exemplary:${m}`),
  });
  const c = report.data.counts;
  return (
    <section className="card" aria-labelledby="commendation-counts-heading">
      <h2 id="commendation-counts-heading">{t("commendations.counts", { year })}</h2>
      <CountsTable
        report={report.data}
        columns={columns}
        testId="commendation-counts"
        ownLabel={t("commendations.ownRow", { name: report.data.unit.name })}
        download={`/api/v1/commendations/report/export.xlsx${query({ orgUnitId: unitId, year })}`}
      >
        <p className="muted">{t("commendations.countsHint")}</p>
        <ul data-testid="commendation-lines">
          {(["bang_khen", "giay_khen"] as const).map((k) => (
            <li key={k}>
              {t("commendations.summaryLine", {
                kind: t(`commendations.kind.${k}`),
                individual: c[`proposed:${k}:individual`] ?? 0,
                collective: c[`proposed:${k}:collective`] ?? 0,
                awardedIndividual: c[`awarded:${k}:individual`] ?? 0,
                awardedCollective: c[`awarded:${k}:collective`] ?? 0,
              })}
            </li>
          ))}
        </ul>
      </CountsTable>
    </section>
  );
}

// ─── Proposals ─────────────────────────────────────────────────────────────────────────

function Proposals({ list, onChanged }: { list: CommendationList; onChanged: () => void }) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="proposals-heading">
      <h2 id="proposals-heading">{t("commendations.proposals", { count: list.commendations.length })}</h2>
      <Notice>{notice}</Notice>
      {list.canWrite && !adding && (
        <AddButton
          label={t("commendations.propose")}
          primary
          onClick={() => {
            setAdding(true);
            setNotice(null);
          }}
        />
      )}
      {adding && (
        <ProposalForm
          unitId={list.unit.id}
          onDone={(count) => {
            setAdding(false);
            if (count) {
              setNotice(t("commendations.proposed", { count }));
              onChanged();
            }
          }}
        />
      )}
      {list.commendations.length === 0 && <p className="muted">{t("commendations.proposalsEmpty")}</p>}
      {list.commendations.length > 0 && (
        <ListExportLinks path="/api/v1/commendations" params={{ orgUnitId: list.unit.id, year: list.year }} />
      )}
      <ul className="record-list" data-testid="commendation-list">
        {list.commendations.map((c) => (
          <ProposalItem
            key={c.id}
            item={c}
            canWrite={list.canWrite}
            onChanged={(message) => {
              setNotice(message);
              onChanged();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function ProposalItem({
  item,
  canWrite,
  onChanged,
}: {
  item: CommendationItem;
  canWrite: boolean;
  onChanged: (message: string | null) => void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const { error, fieldErrors, run, submit } = useRequest();
  const [f, set] = useFields({
    status: (item.status === "proposed" ? "awarded" : item.status) as string,
    decisionNumber: item.decisionNumber ?? "",
    decidedOn: item.decidedOn ?? todayInVietnam(),
    note: item.decisionNote ?? "",
  });
  const proposed = f.status === "proposed";
  const decide = () =>
    api.put(`/api/v1/commendations/${item.id}/decision`, {
      status: f.status,
      decisionNumber: proposed ? null : f.decisionNumber || null,
      decidedOn: proposed ? null : f.decidedOn || null,
      note: f.note || null,
    });
  async function remove() {
    if (!window.confirm(t("commendations.deleteConfirm", { name: item.recipientName }))) return;
    if (await run(() => api.delete(`/api/v1/commendations/${item.id}`))) onChanged(null);
  }
  return (
    <li data-commendation={item.id}>
      <strong>{item.recipientName}</strong> —{" "}
      <span data-testid="commendation-status">{t(`commendations.status.${item.status}`)}</span>
      <br />
      <span className="muted">
        {t("commendations.line", {
          kind: item.kind === "other" ? (item.kindOther ?? "") : t(`commendations.kind.${item.kind}`),
          type: t(`commendations.recipient.${item.recipientType}`),
          body: item.awardingBody,
        })}
        {" · "}
        {formatDateShort(item.proposedOn)}
        {item.proposalNumber && ` · ${item.proposalNumber}`}
      </span>
      {item.decisionNumber && item.decidedOn && (
        <>
          <br />
          {t("commendations.decision", {
            number: item.decisionNumber,
            date: formatDateShort(item.decidedOn),
          })}
        </>
      )}
      {item.reason && <p className="pre-text">{item.reason}</p>}
      <ErrorBox error={error} />
      {canWrite && !open && (
        <div className="actions">
          <button type="button" onClick={() => setOpen(true)}>
            {t("commendations.decide")}
          </button>
          <button type="button" onClick={remove}>
            {t("common.delete")}
          </button>
        </div>
      )}
      {open && (
        <form
          onSubmit={submit(decide, () => {
            setOpen(false);
            onChanged(t("commendations.decided", { name: item.recipientName }));
          })}
          noValidate
          aria-label={`${t("commendations.decide")} — ${item.recipientName}`}
        >
          <SelectField
            label={t("commendations.field.status")}
            value={f.status}
            onChange={set("status")}
            error={fieldErrors.status}
          >
            {(["awarded", "declined", "proposed"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`commendations.status.${s}`)}
              </option>
            ))}
          </SelectField>
          {f.status !== "proposed" && (
            <div className="field-grid">
              <TextField
                label={t("commendations.field.decisionNumber")}
                value={f.decisionNumber}
                onChange={set("decisionNumber")}
                error={fieldErrors.decisionNumber}
              />
              <TextField
                label={t("commendations.field.decidedOn")}
                type="date"
                value={f.decidedOn}
                onChange={set("decidedOn")}
                error={fieldErrors.decidedOn}
              />
            </div>
          )}
          <TextField
            label={t("commendations.field.note")}
            value={f.note}
            onChange={set("note")}
            error={fieldErrors.note}
          />
          <FormActions primary onCancel={() => setOpen(false)} />
        </form>
      )}
    </li>
  );
}

function ProposalForm({ unitId, onDone }: { unitId: number; onDone: (count: number) => void }) {
  const t = useT();
  const [f, set] = useFields({
    kind: "giay_khen",
    kindOther: "",
    recipientType: "individual",
    names: "",
    awardingBody: "",
    reason: "",
    proposedOn: todayInVietnam(),
    proposalNumber: "",
  });
  const [units, setUnits] = useState<PickedUnit[]>([]);
  const { error, busy, run } = useRequest();
  const errors = errorsByPath(error);
  const names = f.names
    .split("\n")
    .map((n) => n.trim())
    .filter(Boolean);
  const recipients = [
    ...names.map((name) => ({ name, orgUnitId: null })),
    ...(f.recipientType === "collective"
      ? units.map((u) => ({ name: u.label.split(" — ")[0] ?? u.label, orgUnitId: u.id }))
      : []),
  ];
  const recipientErrors = Object.entries(errors)
    .filter(([k]) => k.startsWith("recipients"))
    .map(([k, message]) => {
      const i = Number(k.split(".")[1]);
      return Number.isInteger(i) && recipients[i] ? `${recipients[i].name}: ${message}` : message;
    });

  async function submit(e: FormEvent) {
    e.preventDefault();
    let created: unknown[] = [];
    const propose = async () => {
      created = await api.post<unknown[]>("/api/v1/commendations", {
        orgUnitId: unitId,
        kind: f.kind,
        kindOther: f.kindOther || null,
        recipientType: f.recipientType,
        recipients,
        awardingBody: f.awardingBody,
        reason: f.reason || null,
        proposedOn: f.proposedOn,
        proposalNumber: f.proposalNumber || null,
      });
    };
    if (await run(propose)) onDone(created.length);
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-label={t("commendations.propose")}>
      <h3>{t("commendations.propose")}</h3>
      <ErrorBox error={error} />
      <div className="field-grid">
        <SelectField
          label={t("commendations.field.kind")}
          value={f.kind}
          onChange={set("kind")}
          error={errors.kind}
        >
          {COMMENDATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`commendations.kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("commendations.field.recipientType")}
          value={f.recipientType}
          onChange={set("recipientType")}
          error={errors.recipientType}
        >
          {RECIPIENT_TYPES.map((r) => (
            <option key={r} value={r}>
              {t(`commendations.recipient.${r}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {f.kind === "other" && (
        <TextField
          label={t("commendations.field.kindOther")}
          value={f.kindOther}
          onChange={set("kindOther")}
          error={errors.kindOther}
        />
      )}
      <div className={recipientErrors.length ? "field field-invalid" : "field"}>
        <label htmlFor="commendation-names">{t("commendations.field.names")}</label>
        <textarea
          id="commendation-names"
          rows={5}
          value={f.names}
          onChange={set("names")}
          aria-describedby="commendation-names-hint"
        />
        <p className="hint" id="commendation-names-hint">
          {t("commendations.field.namesHint")}
        </p>
        {recipientErrors.map((m) => (
          <p className="error" key={m}>
            {m}
          </p>
        ))}
      </div>
      {f.recipientType === "collective" && (
        <OrgUnitPicker label={t("commendations.field.units")} value={units} onChange={setUnits} />
      )}
      <TextField
        label={t("commendations.field.awardingBody")}
        hint={t("commendations.field.awardingBodyHint")}
        value={f.awardingBody}
        onChange={set("awardingBody")}
        error={errors.awardingBody}
      />
      <div className="field-grid">
        <TextField
          label={t("commendations.field.proposedOn")}
          type="date"
          value={f.proposedOn}
          onChange={set("proposedOn")}
          error={errors.proposedOn}
        />
        <TextField
          label={t("commendations.field.proposalNumber")}
          value={f.proposalNumber}
          onChange={set("proposalNumber")}
          error={errors.proposalNumber}
        />
      </div>
      <TextAreaField
        label={t("commendations.field.reason")}
        rows={3}
        value={f.reason}
        onChange={set("reason")}
      />
      <FormActions busy={busy} primary onCancel={() => onDone(0)} />
    </form>
  );
}

// ─── Exemplary models ──────────────────────────────────────────────────────────────────

function Exemplary({ list, onChanged }: { list: CommendationList; onChanged: () => void }) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const changed = (message: string) => {
    setNotice(message);
    onChanged();
  };
  return (
    <section className="card" aria-labelledby="exemplary-heading">
      <h2 id="exemplary-heading">{t("commendations.exemplary", { count: list.exemplary.length })}</h2>
      <Notice>{notice}</Notice>
      {list.exemplary.length === 0 && <p className="muted">{t("commendations.exemplaryEmpty")}</p>}
      <ul className="record-list" data-testid="exemplary-list">
        {list.exemplary.map((m) =>
          editing === m.id ? (
            <li key={m.id} data-exemplary={m.id}>
              <ExemplaryForm
                unitId={m.unit.id}
                year={m.year}
                model={m}
                onDone={(saved) => {
                  setEditing(null);
                  if (saved) changed(t("commendations.exemplarySaved", { name: saved }));
                }}
              />
            </li>
          ) : (
            <ExemplaryItem
              key={m.id}
              item={m}
              canWrite={list.canWrite}
              onEdit={() => {
                setEditing(m.id);
                setAdding(false);
                setNotice(null);
              }}
              onDeleted={() => changed(t("commendations.exemplaryDeleted", { name: m.name }))}
            />
          ),
        )}
      </ul>
      {list.canWrite && !adding && (
        <AddButton
          label={t("commendations.addExemplary")}
          onClick={() => {
            setAdding(true);
            setEditing(null);
            setNotice(null);
          }}
        />
      )}
      {adding && (
        <ExemplaryForm
          unitId={list.unit.id}
          year={list.year}
          onDone={(saved) => {
            setAdding(false);
            if (saved) changed(t("commendations.exemplaryAdded"));
          }}
        />
      )}
    </section>
  );
}

function ExemplaryItem({
  item,
  canWrite,
  onEdit,
  onDeleted,
}: {
  item: ExemplaryModel;
  canWrite: boolean;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const t = useT();
  const { error, busy, run } = useRequest();
  async function remove() {
    if (!window.confirm(t("commendations.exemplaryDeleteConfirm", { name: item.name }))) return;
    if (await run(() => api.delete(`/api/v1/exemplary-models/${item.id}`))) onDeleted();
  }
  return (
    <li data-exemplary={item.id}>
      <strong>{item.name}</strong> — {t(`commendations.model.${item.model}`)}
      {item.honouredAt && <p className="muted">{item.honouredAt}</p>}
      {item.story && (
        <p className="pre-text" data-testid="exemplary-story">
          {item.story}
        </p>
      )}
      <ErrorBox error={error} />
      {canWrite && (
        <div className="actions">
          <button type="button" onClick={onEdit}>
            {t("common.edit")}
          </button>
          <button type="button" onClick={remove} disabled={busy}>
            {t("common.delete")}
          </button>
        </div>
      )}
    </li>
  );
}

/** Adds an exemplary model of `unitId` in `year`, or corrects `model`; `onDone` gets the saved name. */
function ExemplaryForm({
  unitId,
  year,
  model,
  onDone,
}: {
  unitId: number;
  year: number;
  model?: ExemplaryModel;
  onDone: (saved: string | null) => void;
}) {
  const t = useT();
  const [f, set] = useFields({
    model: model?.model ?? "family",
    name: model?.name ?? "",
    story: model?.story ?? "",
    honouredAt: model?.honouredAt ?? "",
  });
  const { error, fieldErrors, busy, submit } = useRequest();
  const label = model ? t("commendations.editExemplary") : t("commendations.addExemplary");
  const body = {
    orgUnitId: unitId,
    model: f.model,
    name: f.name,
    year,
    story: f.story || null,
    honouredAt: f.honouredAt || null,
  };
  const save = () =>
    model
      ? api.put(`/api/v1/exemplary-models/${model.id}`, body)
      : api.post("/api/v1/exemplary-models", body);
  return (
    <form
      className="card"
      onSubmit={submit(save, () => onDone(f.name.trim()))}
      noValidate
      aria-label={model ? `${label} — ${model.name}` : label}
    >
      <h3>{label}</h3>
      <ErrorBox error={error} />
      <SelectField
        label={t("commendations.field.model")}
        value={f.model}
        onChange={set("model")}
        error={fieldErrors.model}
      >
        {EXEMPLARY_MODELS.map((m) => (
          <option key={m} value={m}>
            {t(`commendations.model.${m}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("commendations.field.name")}
        value={f.name}
        onChange={set("name")}
        error={fieldErrors.name}
      />
      <TextField
        label={t("commendations.field.honouredAt")}
        hint={t("commendations.field.honouredAtHint")}
        value={f.honouredAt}
        onChange={set("honouredAt")}
        error={fieldErrors.honouredAt}
      />
      <TextAreaField
        label={t("commendations.field.story")}
        rows={6}
        value={f.story}
        onChange={set("story")}
        error={fieldErrors.story}
      />
      <FormActions busy={busy} primary onCancel={() => onDone(null)} />
    </form>
  );
}
