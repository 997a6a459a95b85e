/**
 * The community learning centres of a unit summed: the category table over every centre below
 * (live counters kept by each write), and one row per unit below (communes of a province).
 */
import { useState } from "react";
import { Link, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatInteger } from "../../domain/format.ts";
import { api, query } from "../api.ts";
import { ErrorBox, Loading } from "../components/feedback.tsx";
import { UnitFiguresTable } from "../components/figures.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { CategoryTable, type CentreReport, PeriodPicker } from "./CentreParts.tsx";

export function CentresSummaryPage() {
  const t = useT();
  const unitId = Number(useParams().id);
  const [period, setPeriod] = useState(todayInVietnam().slice(0, 4));
  const report = useLoad(
    () => api.get<CentreReport>(`/api/v1/centres/report${query({ orgUnitId: unitId, period })}`),
    [unitId, period],
  );
  const r = report.data;
  return (
    <div className="page">
      <p>
        <Link to={`/org-units/${unitId}`}>{t("common.backToUnit")}</Link>
      </p>
      <h1>{t("centres.summary.title", { name: r?.unit.name ?? "" })}</h1>
      <PeriodPicker value={period} onChange={setPeriod} />
      <ErrorBox error={report.error} />
      {!r ? (
        !report.error && <Loading />
      ) : (
        <>
          <CategoryTable report={r} />
          <section className="card" aria-labelledby="centre-children-heading">
            <h2 id="centre-children-heading">{t("centres.summary.children")}</h2>
            <UnitFiguresTable
              testId="centre-children"
              columns={[
                t("centres.table.classes"),
                t("centres.table.participants"),
                t("centres.table.female"),
                t("centres.summary.funding"),
              ]}
              rows={r.children.map((c) => ({
                id: c.id,
                name: c.name,
                to: c.kind === "commune" ? `/org-units/${c.id}/centre` : undefined,
                cells: (
                  <>
                    <td className="num">{formatInteger(c.total.classes)}</td>
                    <td className="num">{formatInteger(c.total.participants)}</td>
                    <td className="num">{formatInteger(c.total.female)}</td>
                    <td className="num">
                      {formatInteger(c.funding.stateBudget + c.funding.socialisation + c.funding.learners)}
                    </td>
                  </>
                ),
              }))}
            />
          </section>
        </>
      )}
    </div>
  );
}
