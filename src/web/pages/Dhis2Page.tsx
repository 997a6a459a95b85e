/**
 * "/org-units/:id/dhis2": the unit's figures out to DHIS2 and targets in from it (docs/DHIS2.md).
 * Export: a kind of period (year, quarter, half-year, financial year from November, October, July
 * or April), a recent period of it with its DHIS2 code, and the dataValueSets file as JSON or CSV
 * (the period in the address, `?period=2025`, so the dashboard links to its year). Import (for
 * those who manage targets): a DHIS2 JSON or CSV file is checked at once (dry run), every value
 * shown with what it would set or why not, in Vietnamese; then imported all or nothing, with the
 * way to each report that shows the new targets. Imported values are only ever targets.
 */
import { type ChangeEvent, useEffect, useId, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { fromDhis2Period, toDhis2Period } from "../../domain/dhis2/periods.ts";
import { formatInteger } from "../../domain/format.ts";
import { type Period, type PeriodKind, periodCode, periodLabel } from "../../domain/periods.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { FieldNotes, SelectField } from "../components/fields.tsx";
import { useFilterParams, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { Dhis2CheckedValue, Dhis2ImportResult, Dhis2Mapping, OrgUnitDetail } from "../types.ts";
import { UnitLoadError, useRegistryUnit } from "./HouseholdsPage.tsx";
import { recentPeriods } from "./ReportsPage.tsx";
import "../components/records.css";
import "./imports.css";

type ExportKind = Extract<PeriodKind, "year" | "quarter" | "half_year" | "reporting_year">;
const EXPORT_KINDS: readonly ExportKind[] = ["year", "quarter", "half_year", "reporting_year"];
/** The financial years DHIS2 has and XHHT reads, by start month (November first: the Association's). */
const START_MONTHS = [11, 10, 7, 4] as const;
type StartMonth = (typeof START_MONTHS)[number];

export function Dhis2Page() {
  const t = useT();
  const { can } = useSession();
  const id = Number(useParams().id);
  const unit = useRegistryUnit(id);
  if (unit.error) return <UnitLoadError error={unit.error} />;
  if (!unit.data || unit.data.id !== id) return <Loading />;
  const u = unit.data;
  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${u.id}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("dhis2.title")}</h1>
      <p className="muted">
        {u.name}
        {u.code && ` · ${t("dhis2.unitCode", { code: u.code })}`}
      </p>
      <p>{t("dhis2.intro")}</p>
      <Export unit={u} />
      {can("target.manage") && <Import unit={u} />}
      <Mapping />
    </div>
  );
}

// ─── Export ────────────────────────────────────────────────────────────────────────────

/** The period in the address (a DHIS2 code), or this year. */
function chosenPeriod(code: string | null): Period {
  const parsed = code ? fromDhis2Period(code) : null;
  if (parsed?.ok && (EXPORT_KINDS as readonly string[]).includes(parsed.period.kind)) return parsed.period;
  return recentPeriods("year")[0] as Period;
}

function Export({ unit }: { unit: OrgUnitDetail }) {
  const t = useT();
  const [params, setParams] = useFilterParams();
  const period = chosenPeriod(params.get("period"));
  const kind = period.kind as ExportKind;
  const startMonth = (period.kind === "reporting_year" ? period.startMonth : 11) as StartMonth;
  const periods = recentPeriods(kind, startMonth);
  const code = toDhis2Period(period) ?? "";
  // The chosen period stays listed even when it is older than the recent ones.
  const listed = periods.some((p) => periodCode(p) === periodCode(period)) ? periods : [period, ...periods];
  const choose = (p: Period) => setParams({ period: toDhis2Period(p) });
  const q = query({ orgUnitId: unit.id, period: code });
  return (
    <section className="card" aria-labelledby="dhis2-export">
      <h2 id="dhis2-export">{t("dhis2.export.title")}</h2>
      <p style={{ margin: 0 }}>{t("dhis2.export.intro", { name: unit.name })}</p>
      {!unit.code && <p className="hint">{t("dhis2.noCode", { name: unit.name })}</p>}
      <SelectField
        label={t("dhis2.periodKind")}
        value={kind}
        onChange={(e) => choose(recentPeriods(e.target.value as ExportKind, 11)[0] as Period)}
      >
        {EXPORT_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`dhis2.periodKind.${k}`)}
          </option>
        ))}
      </SelectField>
      {kind === "reporting_year" && (
        <SelectField
          label={t("dhis2.startMonth")}
          value={String(startMonth)}
          onChange={(e) => choose(recentPeriods("reporting_year", Number(e.target.value))[0] as Period)}
        >
          {START_MONTHS.map((m) => (
            <option key={m} value={m}>
              {t(`dhis2.startMonth.${m}`)}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField
        label={t("dhis2.period")}
        value={periodCode(period)}
        onChange={(e) => {
          const p = listed.find((x) => periodCode(x) === e.target.value);
          if (p) choose(p);
        }}
      >
        {listed.map((p) => (
          <option key={periodCode(p)} value={periodCode(p)}>
            {periodLabel(p)}
          </option>
        ))}
      </SelectField>
      <p className="dhis2-code" aria-live="polite">
        {t("dhis2.periodCode", { code })}
      </p>
      <p className="list-export" style={{ margin: 0 }}>
        <a className="download-link" href={`/api/v1/dhis2/dataValueSets.json${q}`} download>
          {t("dhis2.download.json")}
        </a>{" "}
        ·{" "}
        <a className="download-link" href={`/api/v1/dhis2/dataValueSets.csv${q}`} download>
          {t("dhis2.download.csv")}
        </a>
      </p>
      <p className="hint" style={{ margin: 0 }}>
        {t("dhis2.export.hint")}
      </p>
    </section>
  );
}

// ─── Import ────────────────────────────────────────────────────────────────────────────

type Mode = "auto" | "targets";

type ImportStage =
  | { step: "choose" }
  | { step: "checking"; file: File }
  | { step: "checked"; file: File; result: Dhis2ImportResult }
  | { step: "importing"; file: File; result: Dhis2ImportResult }
  | { step: "done"; file: File; result: Dhis2ImportResult };

/** The file's media type for the server: JSON by its name or type, CSV otherwise. */
function mediaType(file: File): string {
  return file.name.toLowerCase().endsWith(".json") || file.type === "application/json"
    ? "application/json"
    : "text/csv";
}

function Import({ unit }: { unit: OrgUnitDetail }) {
  const t = useT();
  const [mode, setMode] = useState<Mode>("auto");
  const [stage, setStage] = useState<ImportStage>({ step: "choose" });
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const inputId = useId();

  // The result's heading takes the focus (and the phone scrolls to it).
  useEffect(() => {
    if (stage.step === "checked" || stage.step === "done") heading.current?.focus();
  }, [stage.step]);

  const send = (file: File, dryRun: boolean, m: Mode) =>
    api.postFile<Dhis2ImportResult>(
      `/api/v1/dhis2/dataValueSets${query({ orgUnitId: unit.id, dryRun: String(dryRun), mode: m })}`,
      file,
      mediaType(file),
    );

  async function check(file: File, m: Mode) {
    setError(null);
    setStage({ step: "checking", file });
    try {
      setStage({ step: "checked", file, result: await send(file, true, m) });
    } catch (e) {
      setError(e);
      setStage({ step: "choose" });
    }
  }

  async function commit(file: File, result: Dhis2ImportResult) {
    setError(null);
    setStage({ step: "importing", file, result });
    try {
      setStage({ step: "done", file, result: await send(file, false, mode) });
    } catch (e) {
      setError(e);
      setStage({ step: "checked", file, result });
    }
  }

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    // Cleared, so that choosing the same (corrected) file again is a change too.
    e.target.value = "";
    if (file) void check(file, mode);
  };
  const busy = stage.step === "checking" || stage.step === "importing";
  const result = "result" in stage ? stage.result : null;

  return (
    <section className="card" aria-labelledby="dhis2-import">
      <h2 id="dhis2-import">{t("dhis2.import.title")}</h2>
      <p className="notice dhis2-explain" style={{ margin: 0 }}>
        {t("dhis2.import.explain")}
      </p>
      <SelectField
        label={t("dhis2.import.mode")}
        hint={t("dhis2.import.modeHint")}
        value={mode}
        disabled={busy}
        onChange={(e) => {
          const m = e.target.value as Mode;
          setMode(m);
          // A file already checked is checked again in the new mode.
          if (stage.step === "checked") void check(stage.file, m);
        }}
      >
        <option value="auto">{t("dhis2.import.mode.auto")}</option>
        <option value="targets">{t("dhis2.import.mode.targets")}</option>
      </SelectField>
      <div className="import-file">
        <label className={stage.step === "choose" ? "import-file-button primary" : "import-file-button"}>
          <input
            type="file"
            accept=".json,.csv,application/json,text/csv"
            aria-describedby={`${inputId}-hint`}
            disabled={busy}
            onChange={onFile}
          />
          {stage.step === "choose" ? t("dhis2.import.file") : t("dhis2.import.chooseAnother")}
        </label>
        <FieldNotes id={inputId} hint={t("dhis2.import.fileHint")} />
      </div>
      {busy && (
        <p aria-live="polite" className="loading" style={{ margin: 0 }}>
          {t(stage.step === "checking" ? "dhis2.import.checking" : "dhis2.import.importing", {
            file: stage.file.name,
          })}
        </p>
      )}
      <ErrorBox error={error} />
      {result && stage.step !== "checking" && (
        <div className="dhis2-result">
          <h3 ref={heading} tabIndex={-1}>
            {t(stage.step === "done" ? "dhis2.import.imported" : "dhis2.import.checked")}
          </h3>
          <p className="muted" style={{ margin: 0 }}>
            {t("dhis2.import.fileName", { file: "file" in stage ? stage.file.name : "" })}
          </p>
          {stage.step === "done" ? (
            <Notice>{t("dhis2.import.done", { count: formatInteger(result.written) })}</Notice>
          ) : (
            <p className="import-summary">
              {t("dhis2.import.summary", {
                total: formatInteger(result.counts.total),
                targets: formatInteger(result.counts.targets),
                skipped: formatInteger(result.counts.skipped),
                errors: formatInteger(result.counts.errors),
              })}
            </p>
          )}
          <Values values={result.values} />
          {stage.step === "done" ? (
            <ReportLinks values={result.values} />
          ) : (
            <CommitButton
              result={result}
              busy={stage.step === "importing"}
              onCommit={() => "file" in stage && commit(stage.file, result)}
            />
          )}
        </div>
      )}
    </section>
  );
}

function CommitButton({
  result,
  busy,
  onCommit,
}: {
  result: Dhis2ImportResult;
  busy: boolean;
  onCommit: () => void;
}) {
  const t = useT();
  const hintId = useId();
  const { errors, targets } = result.counts;
  return (
    <>
      {errors > 0 && (
        <p className="hint" id={hintId}>
          {t("dhis2.import.blocked", { count: formatInteger(errors) })}
        </p>
      )}
      {errors === 0 && targets === 0 && <p className="hint">{t("dhis2.import.nothing")}</p>}
      {targets > 0 && (
        <div className="actions">
          <button
            type="button"
            className={errors > 0 ? undefined : "primary"}
            disabled={errors > 0 || busy}
            aria-describedby={errors > 0 ? hintId : undefined}
            onClick={onCommit}
          >
            {t("dhis2.import.commit", { count: formatInteger(targets) })}
          </button>
        </div>
      )}
    </>
  );
}

const STATUS_CLASS: Record<Dhis2CheckedValue["status"], string> = {
  target: "badge badge-ok",
  skipped: "badge",
  error: "badge import-badge-error",
};

/** Every value of the file: a table on a wide screen, one card per value on a phone. */
function Values({ values }: { values: Dhis2CheckedValue[] }) {
  const t = useT();
  return (
    <div className="table-scroll">
      <table className="import-problems dhis2-values">
        <caption>{t("dhis2.import.values")}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t("dhis2.col.row")}
            </th>
            <th scope="col">{t("dhis2.col.element")}</th>
            <th scope="col">{t("dhis2.col.unit")}</th>
            <th scope="col">{t("dhis2.col.period")}</th>
            <th scope="col" className="num">
              {t("dhis2.col.value")}
            </th>
            <th scope="col">{t("dhis2.col.result")}</th>
          </tr>
        </thead>
        <tbody>
          {values.map((v) => (
            <tr
              key={v.row}
              className={
                v.status === "error"
                  ? "import-error-row"
                  : v.status === "skipped"
                    ? "import-warning-row"
                    : undefined
              }
            >
              <td data-label={t("dhis2.col.row")} className="num">
                {v.row}
              </td>
              <td data-label={t("dhis2.col.element")}>{v.dataElement || "—"}</td>
              <td data-label={t("dhis2.col.unit")}>
                {v.target ? `${v.target.unit.name} (${v.orgUnit})` : v.orgUnit || "—"}
              </td>
              <td data-label={t("dhis2.col.period")}>
                {v.target ? `${v.period}: ${v.target.periodLabel}` : v.period || "—"}
              </td>
              <td data-label={t("dhis2.col.value")} className="num">
                {v.value || "—"}
              </td>
              <td data-label={t("dhis2.col.result")}>
                <span>
                  <span className={STATUS_CLASS[v.status]}>{t(`dhis2.status.${v.status}`)}</span>{" "}
                  {v.target &&
                    t("dhis2.import.asTarget", {
                      indicator: v.target.indicatorLabel,
                      template: v.target.templateName,
                    })}
                  {v.messages.join(" ")}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** After an import: each report (unit, form, period) the new targets show in. */
function ReportLinks({ values }: { values: Dhis2CheckedValue[] }) {
  const t = useT();
  const reports = new Map<string, NonNullable<Dhis2CheckedValue["target"]>>();
  for (const v of values) {
    if (v.status !== "target" || !v.target) continue;
    reports.set(`/org-units/${v.target.unit.id}/reports/${v.target.template}/${v.target.period}`, v.target);
  }
  if (reports.size === 0) return null;
  return (
    <nav aria-label={t("dhis2.import.viewReports")}>
      <h4 style={{ margin: "0.5rem 0 0" }}>{t("dhis2.import.viewReports")}</h4>
      <ul className="dhis2-reports">
        {[...reports].map(([path, target]) => (
          <li key={path}>
            <Link to={path}>
              {t("dhis2.import.viewReport", {
                template: target.templateName,
                unit: target.unit.name,
                period: target.periodLabel,
              })}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

// ─── Mapping ───────────────────────────────────────────────────────────────────────────

/** The data element codes, folded away and read only when opened. */
function Mapping() {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <details className="card dhis2-mapping" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t("dhis2.mapping")}</summary>
      {open && <MappingTable />}
    </details>
  );
}

function MappingTable() {
  const t = useT();
  const mapping = useLoad(() => api.get<Dhis2Mapping>("/api/v1/dhis2/mapping"), []);
  if (mapping.error) return <ErrorBox error={mapping.error} />;
  if (!mapping.data) return <Loading />;
  const m = mapping.data;
  return (
    <>
      <p className="muted">
        {t("dhis2.mapping.version", { version: m.version, count: formatInteger(m.dataElements.length) })}
      </p>
      <div className="table-scroll">
        <table className="figures-table">
          <thead>
            <tr>
              <th scope="col">{t("dhis2.mapping.code")}</th>
              <th scope="col">{t("dhis2.mapping.name")}</th>
              <th scope="col">{t("dhis2.mapping.target")}</th>
              <th scope="col">{t("dhis2.mapping.periods")}</th>
            </tr>
          </thead>
          <tbody>
            {m.dataElements.map((e) => (
              <tr key={e.code}>
                <td>
                  <code>{e.code}</code>
                </td>
                <td>
                  {e.name}
                  {e.unit && <span className="muted"> ({e.unit})</span>}
                </td>
                <td>{e.targetCode ? <code>{e.targetCode}</code> : "—"}</td>
                <td>{e.periodTypes.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
