/**
 * A report request as the level that asked sees it: "2/3 đơn vị đã báo cáo", on time and late,
 * the units that have not submitted named (with how long overdue), each unit's report one tap
 * away for approval, the level's own consolidated report, and a ranking on any typed figure
 * (units without figures listed apart, never ranked as 0).
 */
import { useState } from "react";
import { Link, useParams } from "react-router";
import { formatDateShort } from "../../domain/format.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading } from "../components/feedback.tsx";
import { SelectField } from "../components/fields.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import type { ReportRequestStatus, ReportView } from "../types.ts";
import { CompletenessLine } from "./ReportsPage.tsx";
import "./reports.css";

export function ReportRequestPage() {
  const t = useT();
  const id = Number(useParams().id);
  const [rankBy, setRankBy] = useState("");
  const req = useLoad(
    () =>
      api.get<ReportRequestStatus>(`/api/v1/reports/requests/${id}${query({ rankBy: rankBy || undefined })}`),
    [id, rankBy],
  );
  const r = req.data;
  // The typed figures a ranking can use come from the level's own report view.
  const own = useLoad(
    () =>
      r
        ? api.get<ReportView>(
            `/api/v1/reports/report${query({ template: r.template.code, unitId: r.unit.id, period: r.period.code })}`,
          )
        : Promise.resolve(undefined),
    [r?.template.code, r?.unit.id, r?.period.code],
  );
  const typed = own.data?.template.indicators.filter((i) => i.kind === "typed") ?? [];
  if (!r) return <div className="page">{req.error ? <ErrorBox error={req.error} /> : <Loading />}</div>;
  const c = r.completeness;
  const reportLink = (unitId: number) => `/org-units/${unitId}/reports/${r.template.code}/${r.period.code}`;
  return (
    <div className="page report-request-page">
      <p>
        <Link to={`/org-units/${r.unit.id}/reports`}>{t("reports.backToReports")}</Link>
      </p>
      <h1>
        {r.template.name} — {r.period.label}
      </h1>
      <p>
        {r.unit.name} · {t("reports.deadlineLine", { date: formatDateShort(r.deadline) })}
      </p>
      {r.note && <p className="hint">{r.note}</p>}
      <p className="report-completeness" role="status">
        <CompletenessLine request={r} />
      </p>
      <p>
        {t("reports.completenessDetail", {
          onTime: c.onTime,
          late: c.late,
          approved: c.approved,
          returned: c.returned,
        })}
      </p>
      <p className={c.missing.length ? "report-missing" : "notice"}>
        {c.missing.length === 0
          ? t("reports.allIn")
          : t("reports.missing", {
              names: c.missing
                .map((m) =>
                  m.overdueDays ? t("reports.missingOverdue", { name: m.name, days: m.overdueDays }) : m.name,
                )
                .join(", "),
            })}
      </p>
      <p>
        <Link className="button primary" to={reportLink(r.unit.id)}>
          {t("reports.ownReport", { name: r.unit.name })}
        </Link>
      </p>
      <h2>{t("reports.byUnit")}</h2>
      <div className="table-scroll">
        <table className="figures-table">
          <thead>
            <tr>
              <th>{t("reports.unit")}</th>
              <th>{t("reports.status")}</th>
              <th>{t("reports.submittedOn")}</th>
              <th>{t("reports.timeliness")}</th>
            </tr>
          </thead>
          <tbody>
            {c.byUnit.map((u) => (
              <tr key={u.id} className={u.status === "missing" ? "missing" : undefined}>
                <th scope="row">
                  <Link to={reportLink(u.id)}>{u.name}</Link>
                </th>
                <td>{t(`reports.status.${u.status as "missing"}`)}</td>
                <td>{u.submittedOn ? formatDateShort(u.submittedOn) : "—"}</td>
                <td>{u.onTime === null ? "—" : u.onTime ? t("reports.onTime") : t("reports.late")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {typed.length > 0 && (
        <section>
          <SelectField label={t("reports.rankBy")} value={rankBy} onChange={(e) => setRankBy(e.target.value)}>
            <option value="">—</option>
            {typed.map((i) => (
              <option key={i.id} value={i.id}>
                {i.label}
              </option>
            ))}
          </SelectField>
          {r.ranking && (
            <>
              <table className="figures-table">
                <thead>
                  <tr>
                    <th>{t("reports.rank")}</th>
                    <th>{t("reports.unit")}</th>
                    <th>{t("reports.value")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.ranking.ranked.map((x) => (
                    <tr key={x.id}>
                      <td>{x.rank}</td>
                      <th scope="row">{x.name}</th>
                      <td className="num">{new Intl.NumberFormat("vi-VN").format(x.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {r.ranking.withoutData.length > 0 && (
                <p className="hint">
                  {t("reports.withoutData", { names: r.ranking.withoutData.map((x) => x.name).join(", ") })}
                </p>
              )}
            </>
          )}
        </section>
      )}
    </div>
  );
}
