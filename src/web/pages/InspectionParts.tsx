/**
 * Shared pieces of the inspection and commendation screens: the year picker, and the summary
 * table (one row per unit below, the unit's own, the total; a unit below without figures is
 * "Chưa có số liệu", never 0) with its Excel link.
 */
import type { ReactNode } from "react";
import type { z } from "zod";
import type * as Commendations from "../../capabilities/commendations/schemas.ts";
import type * as Inspections from "../../capabilities/inspections/schemas.ts";
import { formatInteger } from "../../domain/format.ts";
import { ExcelLink, UnitFiguresTable } from "../components/figures.tsx";
import { thisYear, YearSelect, yearsDown } from "../components/years.tsx";
import { useT } from "../i18n/index.tsx";

export type InspectionPlan = z.infer<typeof Inspections.Plan>;
export type InspectionPlanList = z.infer<typeof Inspections.PlanList>;
export type InspectionTarget = z.infer<typeof Inspections.Target>;
export type InspectionOfUnit = z.infer<typeof Inspections.InspectionOfUnit>;
export type InspectionReport = z.infer<typeof Inspections.InspectionReport>;
export type CommendationList = z.infer<typeof Commendations.CommendationList>;
export type CommendationItem = z.infer<typeof Commendations.Commendation>;
export type CommendationReport = z.infer<typeof Commendations.CommendationReport>;

/** The first year the inspection and commendation screens accept in the address. */
export const FIRST_YEAR = 2010;

/** This year and the next, down to 2016. */
export function YearField({ year, onChange }: { year: number; onChange: (y: number) => void }) {
  const t = useT();
  return (
    <YearSelect
      label={t("common.year")}
      value={year}
      years={yearsDown(thisYear() + 1, 2016)}
      onChange={onChange}
    />
  );
}

type Counted = {
  unit: { id: number; name: string; level: number };
  counts: Record<string, number>;
  children: { id: number; name: string; counts: Record<string, number> | null }[];
};

/**
 * Counts per unit below, the unit's own (its total less its children's) and the total. Columns
 * are metrics of the counters, or sums of several.
 */
export function CountsTable({
  report,
  columns,
  testId,
  ownLabel,
  download,
  children,
}: {
  report: Counted;
  columns: { key: string; label: string; metrics: string[] }[];
  testId: string;
  ownLabel: string;
  download: string;
  children?: ReactNode;
}) {
  const t = useT();
  const sum = (counts: Record<string, number>, metrics: string[]) =>
    metrics.reduce((s, m) => s + (counts[m] ?? 0), 0);
  const own: Record<string, number> = { ...report.counts };
  for (const c of report.children)
    for (const [k, n] of Object.entries(c.counts ?? {})) own[k] = (own[k] ?? 0) - n;
  const hasChildren = report.children.length > 0;
  const cells = (counts: Record<string, number>) =>
    columns.map((col) => (
      <td className="num" key={col.key} data-metric={col.key}>
        {formatInteger(sum(counts, col.metrics))}
      </td>
    ));
  return (
    <>
      {children}
      <UnitFiguresTable
        testId={testId}
        columns={columns.map((c) => c.label)}
        rows={report.children.map((c) => ({ id: c.id, name: c.name, cells: c.counts && cells(c.counts) }))}
        extraRows={
          hasChildren &&
          report.unit.level > 0 && (
            <tr data-unit="own">
              <th scope="row">{ownLabel}</th>
              {cells(own)}
            </tr>
          )
        }
        total={{
          label: hasChildren ? t("inspections.total") : report.unit.name,
          cells: cells(report.counts),
        }}
      />
      <ExcelLink href={download}>{t("inspections.download")}</ExcelLink>
    </>
  );
}
