/**
 * A unit's inspections (kiểm tra) of a year: the summary (per unit below, its own, the total,
 * by category, school level and rating, with Excel), the plans it issued with the form to make
 * one (team, units to inspect in clusters, picked with the org-unit picker), and the
 * inspections the unit itself has had.
 */
import { useState } from "react";
import { Link, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDateShort } from "../../domain/format.ts";
import { INSPECTION_RATINGS, SCHOOL_LEVELS, TARGET_CATEGORIES } from "../../domain/inspections/rules.ts";
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
  CountsTable,
  FIRST_YEAR,
  type InspectionOfUnit,
  type InspectionPlan,
  type InspectionPlanList,
  type InspectionReport,
  YearField,
} from "./InspectionParts.tsx";

export function InspectionsPage() {
  const t = useT();
  const id = Number(useParams().id);
  const [year, setYear] = useYearParam(FIRST_YEAR);
  const [version, setVersion] = useState(0);
  const plans = useLoad(
    () => api.get<InspectionPlanList>(`/api/v1/inspections/plans${query({ orgUnitId: id, year })}`),
    [id, year, version],
  );
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  if (plans.error) return <ErrorBox error={plans.error} />;
  if (!plans.data) return <Loading />;
  const list = plans.data;
  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${id}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("inspections.title", { name: list.unit.name })}</h1>
      <YearField year={year} onChange={setYear} />
      <Summary unitId={id} year={year} version={version} />
      <section className="card" aria-labelledby="plans-heading">
        <h2 id="plans-heading">{t("inspections.plans", { count: list.plans.length })}</h2>
        <Notice>{notice}</Notice>
        {list.canCreate && !adding && (
          <AddButton
            label={t("inspections.create")}
            primary
            onClick={() => {
              setAdding(true);
              setNotice(null);
            }}
          />
        )}
        {adding && (
          <PlanForm
            unitId={id}
            onDone={(saved) => {
              setAdding(false);
              if (saved) {
                setNotice(t("inspections.created"));
                setVersion((v) => v + 1);
              }
            }}
          />
        )}
        {list.plans.length === 0 && <p className="muted">{t("inspections.plansEmpty")}</p>}
        {list.plans.length > 0 && (
          <ListExportLinks path="/api/v1/inspections/plans" params={{ orgUnitId: id, year }} />
        )}
        <ul className="record-list">
          {list.plans.map((p) => (
            <li key={p.id}>
              <Link to={`/inspections/plans/${p.id}`}>
                <strong>{p.title}</strong>
              </Link>
              <br />
              {t("inspections.planSummary", {
                number: p.documentNumber,
                date: formatDateShort(p.issuedOn),
                count: p.targets.length,
                done: p.targets.filter((x) => x.rating).length,
              })}
            </li>
          ))}
        </ul>
      </section>
      <OfUnit unitId={id} name={list.unit.name} />
    </div>
  );
}

function Summary({ unitId, year, version }: { unitId: number; year: number; version: number }) {
  const t = useT();
  const report = useLoad(
    () => api.get<InspectionReport>(`/api/v1/inspections/report${query({ orgUnitId: unitId, year })}`),
    [unitId, year, version],
  );
  if (report.error) return <ErrorBox error={report.error} />;
  if (!report.data) return <Loading />;
  const columns = [
    { key: "plans", label: t("inspections.metric.plans"), metrics: ["plans"] },
    { key: "targets", label: t("inspections.metric.targets"), metrics: ["targets"] },
    ...TARGET_CATEGORIES.map((c) => ({
      key: c,
      label: t(`inspections.category.${c}`),
      metrics: [`targets:${c}`],
    })),
    ...SCHOOL_LEVELS.map((l) => ({
      key: l,
      label: t(`inspections.level.${l}`),
      metrics: [`targets:school:${l}`],
    })),
    { key: "inspected", label: t("inspections.metric.inspected"), metrics: ["inspected"] },
    ...INSPECTION_RATINGS.map((r) => ({ key: r, label: t(`centres.rating.${r}`), metrics: [`rating:${r}`] })),
  ];
  return (
    <section className="card" aria-labelledby="inspection-counts-heading">
      <h2 id="inspection-counts-heading">{t("inspections.counts", { year })}</h2>
      <CountsTable
        report={report.data}
        columns={columns}
        testId="inspection-counts"
        ownLabel={t("inspections.ownRow", { name: report.data.unit.name })}
        download={`/api/v1/inspections/report/export.xlsx${query({ orgUnitId: unitId, year })}`}
      >
        <p className="muted">{t("inspections.countsHint")}</p>
      </CountsTable>
    </section>
  );
}

function OfUnit({ unitId, name }: { unitId: number; name: string }) {
  const t = useT();
  const items = useLoad(() => api.get<InspectionOfUnit[]>(`/api/v1/inspections/of-unit/${unitId}`), [unitId]);
  return (
    <section className="card" aria-labelledby="of-unit-heading">
      <h2 id="of-unit-heading">{t("inspections.ofUnit", { name })}</h2>
      <ErrorBox error={items.error} />
      {items.data?.length === 0 && <p className="muted">{t("inspections.ofUnitEmpty")}</p>}
      <ul className="record-list">
        {items.data?.map((i) => (
          <li key={i.id}>
            <strong>{i.plan.title}</strong>
            <br />
            {t("inspections.ofUnitLine", {
              unit: i.plan.unit.name,
              number: i.plan.documentNumber,
              date: formatDateShort(i.plan.issuedOn),
            })}
            <br />
            {i.rating ? (
              <>
                <strong>{t(`centres.rating.${i.rating}`)}</strong>
                {i.inspectedOn && ` · ${formatDateShort(i.inspectedOn)}`}
                {i.findings && <span className="pre-text"> — {i.findings}</span>}
              </>
            ) : (
              <span className="muted">{t("inspections.notInspected")}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

// ─── The plan form ─────────────────────────────────────────────────────────────────────

type Member = { fullName: string; position: string; role: "head" | "member" };
type Row = { unit: PickedUnit; category: string; schoolLevel: string; cluster: string; scheduledOn: string };

export function PlanForm({
  unitId,
  plan,
  onDone,
}: {
  unitId: number;
  plan?: InspectionPlan;
  onDone: (saved: boolean) => void;
}) {
  const t = useT();
  const today = todayInVietnam();
  const [f, set] = useFields({
    documentNumber: plan?.documentNumber ?? "",
    issuedOn: plan?.issuedOn ?? today,
    title: plan?.title ?? "",
    fromDate: plan?.fromDate ?? today,
    toDate: plan?.toDate ?? today,
    notes: plan?.notes ?? "",
  });
  const [team, setTeam] = useState<Member[]>(
    plan?.team.map((m) => ({ ...m, position: m.position ?? "" })) ?? [
      { fullName: "", position: "", role: "head" },
    ],
  );
  const [rows, setRows] = useState<Row[]>(
    plan?.targets.map((x) => ({
      unit: { id: x.unit.id, label: x.unit.name },
      category: x.category,
      schoolLevel: x.schoolLevel ?? "",
      cluster: x.cluster ?? "",
      scheduledOn: x.scheduledOn ?? "",
    })) ?? [],
  );
  const { error, busy, submit } = useRequest();
  const errors = errorsByPath(error);
  const setRow = (i: number, patch: Partial<Row>) =>
    setRows((r) => r.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const setMember = (i: number, patch: Partial<Member>) =>
    setTeam((r) => r.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const save = () => {
    const body = {
      orgUnitId: unitId,
      ...f,
      notes: f.notes || null,
      team: team
        .filter((m) => m.fullName.trim() || m.position.trim())
        .map((m) => ({ ...m, position: m.position || null })),
      targets: rows.map((r) => ({
        orgUnitId: r.unit.id,
        ...(r.category ? { category: r.category } : {}),
        schoolLevel: r.schoolLevel || null,
        cluster: r.cluster || null,
        scheduledOn: r.scheduledOn || null,
      })),
    };
    return plan
      ? api.put(`/api/v1/inspections/plans/${plan.id}`, body)
      : api.post("/api/v1/inspections/plans", body);
  };

  const title = plan ? t("inspections.edit") : t("inspections.create");
  return (
    <form className="card" onSubmit={submit(save, () => onDone(true))} noValidate aria-label={title}>
      <h3>{title}</h3>
      <ErrorBox error={error} />
      <div className="field-grid">
        <TextField
          label={t("inspections.field.documentNumber")}
          hint={t("inspections.field.documentNumberHint")}
          value={f.documentNumber}
          onChange={set("documentNumber")}
          error={errors.documentNumber}
        />
        <TextField
          label={t("inspections.field.issuedOn")}
          type="date"
          value={f.issuedOn}
          onChange={set("issuedOn")}
          error={errors.issuedOn}
        />
        <TextField
          label={t("inspections.field.fromDate")}
          type="date"
          value={f.fromDate}
          onChange={set("fromDate")}
          error={errors.fromDate}
        />
        <TextField
          label={t("inspections.field.toDate")}
          type="date"
          value={f.toDate}
          onChange={set("toDate")}
          error={errors.toDate}
        />
      </div>
      <TextField
        label={t("inspections.field.title")}
        value={f.title}
        onChange={set("title")}
        error={errors.title}
      />

      <h4>{t("inspections.team")}</h4>
      {errors.team && <p className="error">{errors.team}</p>}
      {team.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows being typed have no other identity.
        <div className="person-fields" key={i}>
          <TextField
            label={t("inspections.team.fullName")}
            value={m.fullName}
            onChange={(e) => setMember(i, { fullName: e.target.value })}
            error={errors[`team.${i}.fullName`]}
          />
          <TextField
            label={t("inspections.team.position")}
            value={m.position}
            onChange={(e) => setMember(i, { position: e.target.value })}
          />
          <SelectField
            label={t("inspections.team.role")}
            value={m.role}
            onChange={(e) => setMember(i, { role: e.target.value as Member["role"] })}
          >
            <option value="head">{t("inspections.team.role.head")}</option>
            <option value="member">{t("inspections.team.role.member")}</option>
          </SelectField>
          <button type="button" onClick={() => setTeam((r) => r.filter((_, j) => j !== i))}>
            {t("inspections.remove")}
          </button>
        </div>
      ))}
      <p>
        <button
          type="button"
          onClick={() =>
            setTeam((r) => [...r, { fullName: "", position: "", role: r.length ? "member" : "head" }])
          }
        >
          {t("inspections.team.add")}
        </button>
      </p>

      <h4>{t("inspections.targets")}</h4>
      <OrgUnitPicker
        label={t("inspections.targetsPick")}
        hint={t("inspections.targetsPickHint")}
        error={errors.targets}
        value={[]}
        onChange={(picked) => {
          const known = new Set(rows.map((r) => r.unit.id));
          const added = picked.filter((u) => !known.has(u.id));
          const lastCluster = rows.at(-1)?.cluster ?? "";
          setRows((r) => [
            ...r,
            ...added.map((unit) => ({
              unit,
              category: "",
              schoolLevel: "",
              cluster: lastCluster,
              scheduledOn: "",
            })),
          ]);
        }}
      />
      <ol className="record-list" data-testid="plan-targets">
        {rows.map((r, i) => (
          <li key={r.unit.id} data-target={r.unit.id}>
            <strong>{r.unit.label}</strong>
            {errors[`targets.${i}.orgUnitId`] && <p className="error">{errors[`targets.${i}.orgUnitId`]}</p>}
            <div className="field-grid">
              <SelectField
                label={t("inspections.target.category")}
                value={r.category}
                onChange={(e) => setRow(i, { category: e.target.value })}
                error={errors[`targets.${i}.category`]}
              >
                <option value="">{t("inspections.target.categoryAuto")}</option>
                {TARGET_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`inspections.category.${c}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField
                label={t("inspections.target.schoolLevel")}
                value={r.schoolLevel}
                onChange={(e) => setRow(i, { schoolLevel: e.target.value })}
                error={errors[`targets.${i}.schoolLevel`]}
              >
                <option value="">—</option>
                {SCHOOL_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`inspections.level.${l}`)}
                  </option>
                ))}
              </SelectField>
              <TextField
                label={t("inspections.target.cluster")}
                hint={i === 0 ? t("inspections.target.clusterHint") : undefined}
                value={r.cluster}
                onChange={(e) => setRow(i, { cluster: e.target.value })}
                error={errors[`targets.${i}.cluster`]}
              />
              <TextField
                label={t("inspections.target.scheduledOn")}
                type="date"
                value={r.scheduledOn}
                onChange={(e) => setRow(i, { scheduledOn: e.target.value })}
                error={errors[`targets.${i}.scheduledOn`]}
              />
            </div>
            <button type="button" onClick={() => setRows((x) => x.filter((_, j) => j !== i))}>
              {t("inspections.remove")}
            </button>
          </li>
        ))}
      </ol>
      <TextAreaField label={t("inspections.field.notes")} rows={3} value={f.notes} onChange={set("notes")} />
      <FormActions busy={busy} primary onCancel={() => onDone(false)} />
    </form>
  );
}
