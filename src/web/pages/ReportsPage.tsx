/**
 * Periodic reports of a unit: open the unit's own report for a form and period (a commune also
 * reaches its learning centre's), and — for a level with units below — ask them for a report by
 * a deadline and follow who has submitted ("2/3 đơn vị đã báo cáo", the missing ones named).
 */
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDateShort } from "../../domain/format.ts";
import {
  OFFICIAL_PHASES,
  type Period,
  type PeriodKind,
  periodCode,
  periodLabel,
  periodOf,
  previousPeriod,
} from "../../domain/periods.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextAreaField, TextField } from "../components/fields.tsx";
import { useRequest } from "../components/forms.tsx";
import { ImportLink } from "../components/import-link.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type {
  OrgUnitDetail,
  OrgUnitListItem,
  Page,
  ReportRequestList,
  ReportRequestStatus,
  ReportTemplateList,
  ReportTemplateSummary,
} from "../types.ts";
import "./reports.css";

/** The recent periods of a kind, newest first: the current one and the seven before it. */
export function recentPeriods(kind: PeriodKind, startMonth?: number): Period[] {
  if (kind === "phase") return [...OFFICIAL_PHASES].reverse();
  const today = todayInVietnam();
  let p: Period =
    kind === "reporting_year"
      ? periodOf(kind, today, { startMonth: startMonth ?? 1 })
      : periodOf(kind, today);
  const out: Period[] = [];
  for (let i = 0; i < 8; i++) {
    out.push(p);
    p = previousPeriod(p);
  }
  return out;
}

export function ReportsPage() {
  const t = useT();
  const { can } = useSession();
  const id = Number(useParams().id);
  const unit = useLoad(() => api.get<OrgUnitDetail>(`/api/v1/org-units/${id}`), [id]);
  const templates = useLoad(() => api.get<ReportTemplateList>("/api/v1/reports/templates"), []);
  const centres = useLoad(
    () =>
      api.get<Page<OrgUnitListItem>>(`/api/v1/org-units${query({ parentId: id, kind: "learning_centre" })}`),
    [id],
  );
  const u = unit.data;
  const all = templates.data?.items ?? [];
  const own = u ? all.filter((tpl) => tpl.unitKinds.includes(u.kind)) : [];
  const centre = centres.data?.items[0];
  const forCentre = centre ? all.filter((tpl) => tpl.unitKinds.includes("learning_centre")) : [];
  // A level asks for the forms its units below fill (any form whose kinds lie below it).
  const requestable = u && u.kind !== "village" && u.kind !== "learning_centre" ? all : [];
  return (
    <div className="page reports-page">
      <p>
        <Link to={`/org-units/${id}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("reports.title", { name: u?.name ?? "" })}</h1>
      <ErrorBox error={unit.error ?? templates.error} />
      {!u || !templates.data ? (
        <Loading />
      ) : (
        <>
          <section>
            <h2>{t("reports.own")}</h2>
            {own.length === 0 && forCentre.length === 0 ? (
              <Notice>{t("reports.noTemplates")}</Notice>
            ) : (
              <>
                <p className="hint">{t("reports.ownHint")}</p>
                {own.length > 0 && <OpenReport unitId={id} templates={own} />}
                <p className="actions">
                  {own.length > 0 && can("report.write") && (
                    <ImportLink unitId={id} kind="report-figures" label="import.link.reportFigures" />
                  )}
                  {(u.kind === "province" || u.kind === "commune") && can("target.manage") && (
                    <ImportLink unitId={id} kind="targets" label="import.link.targets" />
                  )}
                </p>
                {centre && forCentre.length > 0 && (
                  <>
                    <h3>{centre.name}</h3>
                    <OpenReport unitId={centre.id} templates={forCentre} />
                  </>
                )}
              </>
            )}
          </section>
          {requestable.length > 0 && <Requests unitId={id} templates={requestable} />}
        </>
      )}
    </div>
  );
}

function PeriodSelect({
  template,
  value,
  onChange,
}: {
  template: ReportTemplateSummary & { startMonth?: number };
  value: string;
  onChange: (code: string) => void;
}) {
  const t = useT();
  const periods = recentPeriods(template.periodKind as PeriodKind, template.startMonth);
  return (
    <SelectField label={t("reports.period")} value={value} onChange={(e) => onChange(e.target.value)}>
      {periods.map((p) => (
        <option key={periodCode(p)} value={periodCode(p)}>
          {periodLabel(p)}
        </option>
      ))}
    </SelectField>
  );
}

/** The period a report is usually written for: the one just ended (the current year for a phase). */
const defaultPeriod = (tpl: ReportTemplateSummary) => {
  const periods = recentPeriods(tpl.periodKind as PeriodKind);
  return periodCode((tpl.periodKind === "phase" ? periods[0] : (periods[1] ?? periods[0])) as Period);
};

function OpenReport({ unitId, templates }: { unitId: number; templates: ReportTemplateSummary[] }) {
  const t = useT();
  const navigate = useNavigate();
  const [code, setCode] = useState(templates[0]?.code ?? "");
  const template = templates.find((x) => x.code === code) ?? templates[0];
  const [period, setPeriod] = useState(() => (template ? defaultPeriod(template) : ""));
  if (!template) return null;
  return (
    <form
      className="report-open"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(`/org-units/${unitId}/reports/${template.code}/${period}`);
      }}
    >
      <SelectField
        label={t("reports.template")}
        value={template.code}
        onChange={(e) => {
          setCode(e.target.value);
          const next = templates.find((x) => x.code === e.target.value);
          if (next) setPeriod(defaultPeriod(next));
        }}
      >
        {templates.map((x) => (
          <option key={x.code} value={x.code}>
            {x.name}
          </option>
        ))}
      </SelectField>
      <PeriodSelect template={template} value={period} onChange={setPeriod} />
      <div className="actions">
        <button type="submit" className="primary">
          {t("reports.open")}
        </button>
      </div>
    </form>
  );
}

function Requests({ unitId, templates }: { unitId: number; templates: ReportTemplateSummary[] }) {
  const t = useT();
  const list = useLoad(
    () => api.get<ReportRequestList>(`/api/v1/reports/requests${query({ unitId })}`),
    [unitId],
  );
  const [open, setOpen] = useState(false);
  return (
    <section>
      <h2>{t("reports.requests")}</h2>
      <p className="hint">{t("reports.requestsHint")}</p>
      <ErrorBox error={list.error} />
      {open ? (
        <NewRequest
          unitId={unitId}
          templates={templates}
          onDone={() => {
            setOpen(false);
            list.reload();
          }}
          onCancel={() => setOpen(false)}
        />
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          {t("reports.newRequest")}
        </button>
      )}
      {list.data && list.data.items.length === 0 && <Notice>{t("reports.noRequests")}</Notice>}
      <ul className="record-list">
        {list.data?.items.map((r) => (
          <li key={r.id}>
            <Link to={`/reports/requests/${r.id}`}>
              <strong>{r.template.name}</strong> — {r.period.label}
            </Link>
            <div>
              <CompletenessLine request={r} /> ·{" "}
              {t("reports.deadlineLine", { date: formatDateShort(r.deadline) })}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CompletenessLine({ request }: { request: ReportRequestStatus }) {
  const t = useT();
  const c = request.completeness;
  return (
    <span className="completeness">
      {t("reports.completeness", { submitted: c.submitted, expected: c.expected })}
    </span>
  );
}

function NewRequest({
  unitId,
  templates,
  onDone,
  onCancel,
}: {
  unitId: number;
  templates: ReportTemplateSummary[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  const [code, setCode] = useState(templates[0]?.code ?? "");
  const template = templates.find((x) => x.code === code) ?? templates[0];
  const [period, setPeriod] = useState(() => (template ? defaultPeriod(template) : ""));
  const [deadline, setDeadline] = useState("");
  const [note, setNote] = useState("");
  // The units the request goes to: all that fill the form, unless the officer unticks some.
  const candidates = useLoad(
    () =>
      template
        ? api.get<{ items: { id: number; name: string }[] }>(
            `/api/v1/reports/requests/candidates${query({ template: template.code, unitId, period })}`,
          )
        : Promise.resolve({ items: [] }),
    [template?.code, unitId, period],
  );
  const [unticked, setUnticked] = useState<ReadonlySet<number>>(new Set());
  const units = candidates.data?.items ?? [];
  const chosen = units.filter((u) => !unticked.has(u.id));
  const { error, fieldErrors, busy, run } = useRequest();
  if (!template) return null;
  return (
    <form
      className="report-open"
      onSubmit={async (e) => {
        e.preventDefault();
        let created: { id: number } | null = null;
        const ok = await run(async () => {
          created = await api.post<{ id: number }>("/api/v1/reports/requests", {
            template: template.code,
            period,
            unitId,
            deadline,
            note: note || null,
            ...(unticked.size > 0 ? { unitIds: chosen.map((u) => u.id) } : {}),
          });
        });
        if (ok && created) {
          onDone();
          navigate(`/reports/requests/${(created as { id: number }).id}`);
        }
      }}
    >
      <h3>{t("reports.newRequest")}</h3>
      <ErrorBox error={error} />
      <SelectField
        label={t("reports.template")}
        value={template.code}
        onChange={(e) => {
          setCode(e.target.value);
          const next = templates.find((x) => x.code === e.target.value);
          if (next) setPeriod(defaultPeriod(next));
        }}
      >
        {templates.map((x) => (
          <option key={x.code} value={x.code}>
            {x.name}
          </option>
        ))}
      </SelectField>
      <PeriodSelect template={template} value={period} onChange={setPeriod} />
      <TextField
        label={t("reports.deadline")}
        type="date"
        required
        value={deadline}
        onChange={(e) => setDeadline(e.target.value)}
        error={fieldErrors.deadline}
      />
      <TextAreaField
        label={t("reports.note")}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        rows={2}
      />
      <fieldset className="report-units">
        <legend>{t("reports.units", { chosen: chosen.length, total: units.length })}</legend>
        <div className="actions">
          <button type="button" onClick={() => setUnticked(new Set())}>
            {t("reports.selectAll")}
          </button>
          <button type="button" onClick={() => setUnticked(new Set(units.map((u) => u.id)))}>
            {t("reports.selectNone")}
          </button>
        </div>
        <ErrorBox error={candidates.error} />
        <ul>
          {units.map((u) => (
            <li key={u.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={!unticked.has(u.id)}
                  onChange={(e) =>
                    setUnticked((s) => {
                      const next = new Set(s);
                      if (e.target.checked) next.delete(u.id);
                      else next.add(u.id);
                      return next;
                    })
                  }
                />{" "}
                {u.name}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {fieldErrors.unitIds && <p className="error">{fieldErrors.unitIds}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("common.saving") : t("reports.send")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
