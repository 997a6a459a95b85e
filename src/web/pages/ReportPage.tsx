/**
 * One unit's report for a form and period: the figures computed from the records (read-only,
 * live), the typed figures and the narrative sections, saved as a draft and submitted; the level
 * above approves it or returns it with a comment, or reopens an approved one. The document can be
 * previewed and printed here, and downloaded as Word and its Excel appendix.
 */
import { type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { formatDateShort, formatDateTime, formatDecimal } from "../../domain/format.ts";
import { formatValue } from "../../domain/reporting/evaluate.ts";
import type { Indicator, Section } from "../../domain/reporting/template.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { TextAreaField, TextField, typedNumber } from "../components/fields.tsx";
import { errorsByPath, useRequest } from "../components/forms.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import type { ReportDocumentView, ReportView } from "../types.ts";
import "./reports.css";

type Status = "draft" | "submitted" | "returned" | "approved";

export function ReportPage() {
  const t = useT();
  const params = useParams();
  const unitId = Number(params.id);
  const template = params.template ?? "";
  const period = params.period ?? "";
  const [includeSubmitted, setIncludeSubmitted] = useState(false);
  const q = query({ template, unitId, period, includeSubmitted: includeSubmitted || undefined });
  const view = useLoad(() => api.get<ReportView>(`/api/v1/reports/report${q}`), [q]);
  const v = view.data;
  return (
    <div className="page report-page">
      <p>
        <Link to={`/org-units/${unitId}/reports`}>{t("reports.backToReports")}</Link>
      </p>
      <ErrorBox error={view.error} />
      {!v ? (
        !view.error && <Loading />
      ) : (
        <>
          <h1>{t("reports.reportTitle", { template: v.template.name, unit: v.unit.name })}</h1>
          <p className="report-period">
            <strong>{v.period.label}</strong> ·{" "}
            {t("reports.deadlineLine", { date: formatDateShort(v.deadline) })}
          </p>
          <p className={`report-status status-${v.report?.status ?? "none"}`} role="status">
            {t("reports.statusLine", {
              status: v.report ? t(`reports.status.${v.report.status}`) : t("reports.notStarted"),
            })}
          </p>
          {v.report?.comment && <Notice>{t("reports.comment", { comment: v.report.comment })}</Notice>}
          {v.aggregated && (
            <div className="report-aggregated">
              <p>
                {t(v.aggregated.includeSubmitted ? "reports.aggregatedSubmitted" : "reports.aggregated", {
                  counted: v.aggregated.counted,
                  expected: v.aggregated.expected,
                })}{" "}
                <Link to={`/reports/requests/${v.aggregated.requestId}`}>{t("reports.byUnit")}</Link>
              </p>
              <label className="check">
                <input
                  type="checkbox"
                  checked={includeSubmitted}
                  onChange={(e) => setIncludeSubmitted(e.target.checked)}
                />{" "}
                {t("reports.includeSubmitted")}
              </label>
            </div>
          )}
          <ReportForm key={`${v.report?.updatedAt ?? "new"}-${q}`} view={v} q={q} onChanged={view.reload} />
          <Targets view={v} onChanged={view.reload} />
          <Decision view={v} q={q} onChanged={view.reload} />
          <Downloads q={q} />
          <History view={v} />
        </>
      )}
    </div>
  );
}

/** A stored value as the officer would type it ("30.800.000", "1,5"); typedNumber reads it back. */
const asText = (ind: Indicator, v: number | null | undefined) =>
  v === null || v === undefined ? "" : formatValue(ind, v);

function ReportForm({ view, q, onChanged }: { view: ReportView; q: string; onChanged: () => void }) {
  const t = useT();
  const tpl = view.template;
  const byId = new Map(tpl.indicators.map((i) => [i.id, i as Indicator]));
  const summed = new Set(
    view.aggregated
      ? tpl.indicators.filter((i) => i.kind === "typed" && i.aggregate === "sum").map((i) => i.id)
      : [],
  );
  const [typed, setTyped] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      tpl.indicators
        .filter((i) => i.kind === "typed" && !summed.has(i.id))
        .map((i) => [i.id, asText(i as Indicator, view.typed[i.id])]),
    ),
  );
  const [texts, setTexts] = useState<Record<string, string>>(() => ({ ...view.narratives }));
  const [docNumber, setDocNumber] = useState(view.report?.docNumber ?? "");
  const [issuedOn, setIssuedOn] = useState(view.report?.issuedOn ?? "");
  const [signerName, setSignerName] = useState(view.report?.signerName ?? "");
  const [done, setDone] = useState<string | null>(null);
  const { error, busy, run } = useRequest();
  const errors = errorsByPath(error);
  const editable = view.canEdit;

  const body = () => ({
    values: Object.fromEntries(Object.entries(typed).map(([k, s]) => [k, typedNumber(s)])),
    narratives: texts,
    docNumber: docNumber || null,
    issuedOn: issuedOn || null,
    signerName: signerName || null,
  });
  const save = async () => {
    setDone(null);
    if (await run(() => api.put(`/api/v1/reports/report${q}`, body()))) {
      setDone(t("reports.saved"));
      onChanged();
    }
  };
  const submit = async () => {
    setDone(null);
    const ok = await run(async () => {
      await api.put(`/api/v1/reports/report${q}`, body());
      await api.post(`/api/v1/reports/report/actions${q}`, { action: "submit" });
    });
    if (ok) {
      setDone(t("reports.submitted"));
      onChanged();
    }
  };

  const valueCell = (id: string) => {
    const ind = byId.get(id);
    if (!ind) return null;
    if (ind.kind === "typed" && !summed.has(id) && editable) {
      return (
        <TextField
          label={ind.label + (ind.unit ? ` (${ind.unit})` : "")}
          inputMode="decimal"
          value={typed[id] ?? ""}
          onChange={(e) => setTyped((s) => ({ ...s, [id]: e.target.value }))}
          error={errors[`values.${id}`]}
          hint={ind.help}
        />
      );
    }
    return (
      <div className="field report-computed">
        <span className="label">{ind.label}</span>
        <output>
          {formatValue(ind, view.values[id] ?? null)}
          {view.values[id] !== null && view.values[id] !== undefined && ind.unit ? ` ${ind.unit}` : ""}
        </output>
        {ind.kind === "counter" && <span className="hint">{t("reports.computed")}</span>}
      </div>
    );
  };

  return (
    <form
      className="report-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {!editable && view.report && <Notice>{t("reports.locked")}</Notice>}
      {tpl.sections.map((s) => (
        <SectionView key={s.key} section={s as Section}>
          {s.kind === "narrative" &&
            (editable ? (
              <TextAreaField
                label={s.title}
                rows={4}
                value={texts[s.key] ?? ""}
                hint={s.hint}
                error={errors[`narratives.${s.key}`]}
                onChange={(e) => setTexts((x) => ({ ...x, [s.key]: e.target.value }))}
              />
            ) : (
              <div className="report-text">{texts[s.key] || t("reports.empty")}</div>
            ))}
          {s.kind === "indicators" && (
            <div className="report-indicators">
              {s.indicators.map((id) => (
                <div key={id}>{valueCell(id)}</div>
              ))}
            </div>
          )}
          {s.kind === "table" && <ReportTable section={s} view={view} byId={byId} />}
          {s.kind === "period_table" && <p className="hint">{t("reports.periodTable")}</p>}
        </SectionView>
      ))}
      {editable && (
        <fieldset className="report-meta">
          <TextField
            label={t("reports.docNumber")}
            value={docNumber}
            onChange={(e) => setDocNumber(e.target.value)}
          />
          <TextField
            label={t("reports.issuedOn")}
            type="date"
            value={issuedOn}
            onChange={(e) => setIssuedOn(e.target.value)}
            error={errors.issuedOn}
          />
          <TextField
            label={t("reports.signerName")}
            value={signerName}
            onChange={(e) => setSignerName(e.target.value)}
          />
        </fieldset>
      )}
      <ErrorBox error={error} />
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {editable && (
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? t("common.saving") : t("reports.saveDraft")}
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
            {t("reports.submit")}
          </button>
        </div>
      )}
    </form>
  );
}

function SectionView({ section, children }: { section: Section; children?: ReactNode }) {
  if (section.kind === "heading") return <h2 className="report-heading">{section.title}</h2>;
  if (section.kind === "narrative") return <div className="report-section">{children}</div>;
  return (
    <div className="report-section">
      <h3>{section.title}</h3>
      {children}
    </div>
  );
}

function ReportTable({
  section,
  view,
  byId,
}: {
  section: Extract<Section, { kind: "table" }>;
  view: ReportView;
  byId: Map<string, Indicator>;
}) {
  const t = useT();
  const cell = (id: string | null) => {
    if (!id) return "";
    const ind = byId.get(id);
    return ind ? formatValue(ind, view.values[id] ?? null) : "";
  };
  const totals = section.columns.slice(1).map((_, c) => {
    const vals = section.rows.map((r) => r.cells[c]).map((id) => (id ? view.values[id] : null));
    const present = vals.filter((x): x is number => typeof x === "number");
    return present.length ? present.reduce((a, b) => a + b, 0) : null;
  });
  return (
    <div className="table-scroll">
      <table className="figures-table">
        <thead>
          <tr>
            <th>TT</th>
            {section.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {section.rows.map((r, i) => (
            <tr key={r.label}>
              <td>{i + 1}</td>
              <th scope="row">{r.label}</th>
              {keyed(r.cells).map(({ key, item: id }) => (
                <td key={key} className="num">
                  {cell(id)}
                </td>
              ))}
            </tr>
          ))}
          {section.total && (
            <tr className="total">
              <td />
              <th scope="row">{t("common.total")}</th>
              {keyed(totals).map(({ key, item: v }) => (
                <td key={key} className="num">
                  {v === null ? "—" : new Intl.NumberFormat("vi-VN").format(v)}
                </td>
              ))}
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The indicators a report states one by one: those of its "indicators" sections. */
const listedIndicators = (view: ReportView) => {
  const byId = new Map(view.template.indicators.map((i) => [i.id, i as Indicator]));
  return view.template.sections
    .flatMap((s) => (s.kind === "indicators" ? s.indicators : []))
    .map((id) => byId.get(id))
    .filter((i): i is Indicator => i !== undefined && i.kind !== "formula");
};

/**
 * Actual against target (chỉ tiêu) and the gap, for this period; and, as the "Phương hướng"
 * section asks, the targets of the next period, which become that period's targets.
 */
function Targets({ view, onChanged }: { view: ReportView; onChanged: () => void }) {
  const t = useT();
  const indicators = listedIndicators(view);
  const [next, setNext] = useState<Record<string, string>>(() =>
    Object.fromEntries(indicators.map((i) => [i.id, asText(i, view.nextTargets[i.id])])),
  );
  const [saved, setSaved] = useState(false);
  const { error, busy, run } = useRequest();
  const errors = errorsByPath(error);
  if (indicators.length === 0) return null;
  const withTarget = indicators.filter((i) => typeof view.targets[i.id] === "number");
  const save = async () => {
    setSaved(false);
    const targets = Object.fromEntries(Object.entries(next).map(([k, v]) => [k, typedNumber(v)]));
    const q = query({ template: view.template.code, unitId: view.unit.id, period: view.nextPeriod.code });
    if (await run(() => api.put(`/api/v1/reports/targets${q}`, { targets }))) {
      setSaved(true);
      onChanged();
    }
  };
  return (
    <section className="report-targets">
      <h2>{t("reports.targets")}</h2>
      {withTarget.length === 0 ? (
        <p className="hint">{t("reports.noTargets", { period: view.period.label })}</p>
      ) : (
        <div className="table-scroll">
          <table className="figures-table">
            <thead>
              <tr>
                <th>{t("reports.indicator")}</th>
                <th className="num">{t("reports.actual")}</th>
                <th className="num">{t("reports.target")}</th>
                <th className="num">{t("reports.ofTarget")}</th>
                <th className="num">{t("reports.gap")}</th>
              </tr>
            </thead>
            <tbody>
              {withTarget.map((i) => {
                const actual = view.values[i.id] ?? null;
                const target = view.targets[i.id] as number;
                return (
                  <tr key={i.id} data-indicator={i.id}>
                    <th scope="row">{i.label}</th>
                    <td className="num">{formatValue(i, actual)}</td>
                    <td className="num">{formatValue(i, target)}</td>
                    <td className="num">
                      {actual === null || target === 0 ? "—" : `${formatDecimal((100 * actual) / target)}%`}
                    </td>
                    <td className="num">{actual === null ? "—" : formatValue(i, actual - target)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {view.canSetTargets && (
        <form
          className="report-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h3>{t("reports.nextTargets", { period: view.nextPeriod.label })}</h3>
          {indicators.map((i) => (
            <TextField
              key={i.id}
              label={`${t("reports.targetOf", { label: i.label })}${i.unit ? ` (${i.unit})` : ""}`}
              inputMode="decimal"
              value={next[i.id] ?? ""}
              onChange={(e) => setNext((x) => ({ ...x, [i.id]: e.target.value }))}
              error={errors[`targets.${i.id}`]}
            />
          ))}
          <ErrorBox error={error} />
          {saved && (
            <p className="notice" role="status">
              {t("reports.targetsSaved")}
            </p>
          )}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? t("common.saving") : t("reports.saveTargets")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Decision({ view, q, onChanged }: { view: ReportView; q: string; onChanged: () => void }) {
  const t = useT();
  const [comment, setComment] = useState("");
  const { error, fieldErrors, busy, run } = useRequest();
  const status = view.report?.status as Status | undefined;
  if (!view.canDecide || !status || status === "draft" || status === "returned") return null;
  const act = async (action: "approve" | "return" | "reopen") => {
    if (
      await run(() => api.post(`/api/v1/reports/report/actions${q}`, { action, comment: comment || null }))
    ) {
      setComment("");
      onChanged();
    }
  };
  return (
    <section className="report-decision">
      <TextAreaField
        label={t("reports.decisionComment")}
        rows={2}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        error={fieldErrors.comment}
      />
      <ErrorBox error={error} />
      <div className="actions">
        {status === "submitted" && (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => void act("approve")}>
              {t("reports.approve")}
            </button>
            <button type="button" disabled={busy} onClick={() => void act("return")}>
              {t("reports.return")}
            </button>
          </>
        )}
        {status === "approved" && (
          <button type="button" disabled={busy} onClick={() => void act("reopen")}>
            {t("reports.reopen")}
          </button>
        )}
      </div>
    </section>
  );
}

function Downloads({ q }: { q: string }) {
  const t = useT();
  const [preview, setPreview] = useState(false);
  return (
    <section className="report-downloads">
      <div className="actions">
        <a className="button" href={`/api/v1/reports/report/document.docx${q}`} download>
          {t("reports.downloadDocx")}
        </a>
        <a className="button" href={`/api/v1/reports/report/appendix.xlsx${q}`} download>
          {t("reports.downloadXlsx")}
        </a>
        <button type="button" onClick={() => setPreview((p) => !p)}>
          {preview ? t("reports.hidePreview") : t("reports.preview")}
        </button>
      </div>
      {preview && <DocumentPreview q={q} />}
    </section>
  );
}

/** Items with stable keys by position: the document's blocks, rows and cells never move. */
function keyed<T>(items: readonly T[]) {
  return items.map((item, n) => ({ key: `k${n}`, item, last: n === items.length - 1 }));
}

/** The document as it will be printed (A4, Times New Roman), from the same model as the Word file. */
function DocumentPreview({ q }: { q: string }) {
  const t = useT();
  const doc = useLoad(() => api.get<ReportDocumentView>(`/api/v1/reports/report/document${q}`), [q]);
  const d = doc.data;
  if (!d) return doc.error ? <ErrorBox error={doc.error} /> : <Loading />;
  return (
    <div className="doc-preview-frame">
      <button type="button" onClick={() => window.print()}>
        {t("reports.print")}
      </button>
      <article className="doc-preview" aria-label={t("reports.preview")}>
        <header className="doc-head">
          <div>
            {d.issuer.above && <div>{d.issuer.above}</div>}
            <div className="doc-bold doc-rule">{d.issuer.name}</div>
            <div>{d.number}</div>
          </div>
          <div>
            <div className="doc-bold">{t("reports.motto1")}</div>
            <div className="doc-bold doc-rule">{t("reports.motto2")}</div>
            <div className="doc-italic">{d.placeDate}</div>
          </div>
        </header>
        <h2 className="doc-title">{d.title}</h2>
        <p className="doc-subject">{d.subject}</p>
        {d.addressees.length > 0 && (
          <div className="doc-addressees">
            {t("reports.addressees")} {d.addressees.join("; ")}
          </div>
        )}
        {keyed(d.blocks).map(({ key, item: b }) =>
          b.kind === "heading" ? (
            <p key={key} className="doc-bold">
              {b.text}
            </p>
          ) : b.kind === "paragraph" ? (
            <p key={key} className="doc-para">
              {b.text}
            </p>
          ) : (
            <table key={key} className="doc-table">
              <thead>
                <tr>
                  {b.table.header.map((h) => (
                    <th key={h}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {keyed(b.table.rows).map(({ key: rowKey, item: r, last }) => (
                  <tr key={rowKey} className={b.table.hasTotal && last ? "doc-bold" : undefined}>
                    {keyed(r).map(({ key: cellKey, item: c }) => (
                      <td key={cellKey}>{c}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ),
        )}
        <footer className="doc-foot">
          <div>
            <div className="doc-bold doc-italic">{t("reports.recipients")}</div>
            {d.recipients.map((r) => (
              <div key={r} className="doc-small">
                {`- ${r};`}
              </div>
            ))}
          </div>
          <div className="doc-sign">
            {d.signature.onBehalf && <div className="doc-bold">{d.signature.onBehalf}</div>}
            <div className="doc-bold">{d.signature.title}</div>
            <div className="doc-sign-space" />
            {d.signature.name && <div className="doc-bold">{d.signature.name}</div>}
          </div>
        </footer>
      </article>
    </div>
  );
}

function History({ view }: { view: ReportView }) {
  const t = useT();
  if (view.history.length === 0) return null;
  return (
    <section className="report-history">
      <h2>{t("reports.history")}</h2>
      <ol>
        {view.history.map((h) => (
          <li key={`${h.at}-${h.action}`}>
            {formatDateTime(h.at)} — {t(`reports.action.${h.action as "save"}`)}
            {h.by ? ` (${h.by})` : ""}
            {h.comment ? `: ${h.comment}` : ""}
          </li>
        ))}
      </ol>
    </section>
  );
}
