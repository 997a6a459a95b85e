/**
 * Shared parts of the Association membership screen: the year's totals, the five-year trend and
 * the table of units below (missing units marked, never shown as 0), read from the live counters.
 */
import type { ReactNode } from "react";
import { formatDecimal, formatInteger } from "../../domain/format.ts";
import { query } from "../api.ts";
import { ExcelLink, MissingCells, UnitFiguresTable } from "../components/figures.tsx";
import { useT } from "../i18n/index.tsx";
import type { AssociationFigures, AssociationReport } from "../types.ts";
import { money } from "./FundParts.tsx";
import "./association.css";

export const CHAPTER_KINDS = ["village", "school", "agency", "enterprise", "clan", "other"] as const;

/** "2,50%" with how many communes it rests on when not all have a population. */
export function Share({ f }: { f: AssociationFigures }) {
  const t = useT();
  if (f.percentOfPopulation === null) return <span className="muted">{t("association.shareNone")}</span>;
  return (
    <>
      {`${formatDecimal(f.percentOfPopulation, 2)}%`}
      {!f.populationComplete && f.communes > 1 && (
        <span className="dash-stat-note">
          {" "}
          {t("association.shareCoverage", { x: f.communesWithPopulation, y: f.communes })}
        </span>
      )}
    </>
  );
}

export function Totals({ report }: { report: AssociationReport }) {
  const t = useT();
  const f = report.figures;
  const stat = (key: string, label: string, value: ReactNode) => (
    <div className="dash-stat" data-stat={key}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  const noData = <span className="muted">{t("association.noData")}</span>;
  return (
    <section className="card" aria-labelledby="assoc-totals-heading" data-testid="assoc-totals">
      <h2 id="assoc-totals-heading">{t("association.totals", { year: report.year })}</h2>
      <dl className="dash-stats">
        {stat("members", t("association.members"), f.hasData ? formatInteger(f.members) : noData)}
        {stat("female", t("association.female"), f.hasData ? formatInteger(f.female) : noData)}
        {stat("newMembers", t("association.newMembers"), f.hasData ? formatInteger(f.newMembers) : noData)}
        {stat(
          "dues",
          t("association.dues"),
          f.hasData ? (
            <>
              {money(f.dues)}
              <span className="dash-stat-note"> đồng</span>
            </>
          ) : (
            noData
          ),
        )}
        {stat("chapters", t("association.chapters"), formatInteger(f.chapters))}
        {stat("newChapters", t("association.newChapters"), formatInteger(f.newChapters))}
        {stat(
          "population",
          t("association.population"),
          f.communesWithPopulation > 0 ? formatInteger(f.population) : noData,
        )}
        {stat("share", t("association.share"), <Share f={f} />)}
      </dl>
      <p className="muted">{t("association.shareTarget")}</p>
      {f.chapters + f.newChapters > 0 && (
        <>
          <h3>{t("association.byKind")}</h3>
          <ul className="assoc-kinds">
            {CHAPTER_KINDS.filter((k) => f.chaptersByKind[k] || f.newChaptersByKind[k]).map((k) => (
              <li key={k}>
                {t(`association.kind.${k}`)}: <strong>{f.chaptersByKind[k] ?? 0}</strong>
                {f.newChaptersByKind[k]
                  ? ` (+${f.newChaptersByKind[k]} ${t("association.newChapters").toLowerCase()})`
                  : ""}
              </li>
            ))}
          </ul>
        </>
      )}
      <ExcelLink
        href={`/api/v1/association/report/export.xlsx${query({ orgUnitId: report.unit.id, year: report.year })}`}
      >
        {t("association.download")}
      </ExcelLink>
    </section>
  );
}

export function Trend({ report }: { report: AssociationReport }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="assoc-trend-heading">
      <h2 id="assoc-trend-heading">{t("association.trend")}</h2>
      <div className="table-scroll">
        <table className="figures-table" data-testid="assoc-trend">
          <thead>
            <tr>
              <th scope="col">{t("association.trend.year")}</th>
              <th scope="col">{t("association.members")}</th>
              <th scope="col">{t("association.newMembers")}</th>
              <th scope="col">{t("association.shareShort")}</th>
            </tr>
          </thead>
          <tbody>
            {report.trend.map((y) => (
              <tr key={y.year} data-year={y.year}>
                <th scope="row">{y.year}</th>
                {y.hasData ? (
                  <>
                    <td className="num">{formatInteger(y.members)}</td>
                    <td className="num">{formatInteger(y.newMembers)}</td>
                    <td className="num">
                      {y.percentOfPopulation === null
                        ? t("association.shareNone")
                        : `${formatDecimal(y.percentOfPopulation, 2)}%${y.populationComplete ? "" : "*"}`}
                    </td>
                  </>
                ) : (
                  <MissingCells span={3} text={t("association.noData")} />
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FigureCells({ f }: { f: AssociationFigures }) {
  const t = useT();
  return (
    <>
      {f.hasData ? (
        <>
          <td className="num">{formatInteger(f.chapters)}</td>
          <td className="num">{formatInteger(f.members)}</td>
          <td className="num">{formatInteger(f.female)}</td>
          <td className="num">{formatInteger(f.newMembers)}</td>
          <td className="num">{money(f.dues)}</td>
        </>
      ) : (
        <MissingCells span={5} text={t("association.noData")} />
      )}
      <td className="num">{f.communesWithPopulation > 0 ? formatInteger(f.population) : "—"}</td>
      <td className="num">
        <Share f={f} />
      </td>
    </>
  );
}

/** One row per unit below (communes of a province) and the total; missing units are marked. */
export function ChildrenTable({
  report,
  linkOf,
}: {
  report: AssociationReport;
  linkOf: (id: number) => string;
}) {
  const t = useT();
  const reported = report.children.filter((c) => c.figures.hasData).length;
  return (
    <section className="card" aria-labelledby="assoc-children-heading">
      <h2 id="assoc-children-heading">{t("association.children")}</h2>
      <p data-testid="assoc-completeness">
        {t("association.completeness", { x: reported, y: report.children.length })}
      </p>
      <UnitFiguresTable
        testId="assoc-children"
        columns={[
          t("association.chapters"),
          t("association.members"),
          t("association.female"),
          t("association.newMembers"),
          t("association.figures.dues"),
          t("association.population"),
          t("association.shareShort"),
        ]}
        rows={report.children.map((c) => ({
          id: c.id,
          name: c.name,
          to: linkOf(c.id),
          cells: <FigureCells f={c.figures} />,
          data: { "data-has-data": c.figures.hasData },
        }))}
        total={{ label: t("common.total"), cells: <FigureCells f={report.figures} /> }}
      />
    </section>
  );
}
