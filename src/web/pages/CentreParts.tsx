/** Shared pieces of the community learning centre screens: the period picker and the category table. */
import type { z } from "zod";
import type * as Centres from "../../capabilities/centres/schemas.ts";
import { schoolYearName, schoolYearStartOf } from "../../domain/centres/activities.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatInteger } from "../../domain/format.ts";
import { query } from "../api.ts";
import { SelectField } from "../components/fields.tsx";
import { ExcelLink } from "../components/figures.tsx";
import { useT } from "../i18n/index.tsx";
import "./centres.css";

export type CentreReport = z.infer<typeof Centres.CentreReport>;
export type CentreDetail = z.infer<typeof Centres.CentreDetail>;
export type CommuneCentre = z.infer<typeof Centres.CommuneCentre>;
export type CentreActivity = z.infer<typeof Centres.Activity>;
export type CentreCategory = z.infer<typeof Centres.Category>;

/** Calendar years and school years from now back to 2016, newest first. */
export function periodOptions(): { value: string; year: boolean }[] {
  const today = todayInVietnam();
  const year = Number(today.slice(0, 4));
  const school = schoolYearStartOf(today);
  const out: { value: string; year: boolean }[] = [];
  for (let y = year; y >= 2016; y--) out.push({ value: String(y), year: true });
  for (let y = school; y >= 2016; y--) out.push({ value: schoolYearName(y), year: false });
  return out;
}

export function PeriodPicker({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const t = useT();
  return (
    <SelectField
      label={t("centres.period")}
      hint={t("centres.schoolYearHint")}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      {periodOptions().map((o) => (
        <option key={o.value} value={o.value}>
          {o.year
            ? t("centres.periodYear", { year: o.value })
            : t("centres.periodSchoolYear", { name: o.value })}
        </option>
      ))}
    </SelectField>
  );
}

export function CategoryTable({ report }: { report: CentreReport }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="centre-table-heading">
      <h2 id="centre-table-heading">{t("centres.table")}</h2>
      <div className="table-scroll">
        <table className="figures-table category-table" data-testid="centre-table">
          <thead>
            <tr>
              <th scope="col">{t("centres.table.tt")}</th>
              <th scope="col">{t("centres.table.name")}</th>
              <th scope="col">{t("centres.table.classes")}</th>
              <th scope="col">{t("centres.table.participants")}</th>
              <th scope="col">{t("centres.table.female")}</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={r.code} data-category={r.code}>
                <td>{r.position}</td>
                <td>{r.label}</td>
                <td className="num">{formatInteger(r.classes)}</td>
                <td className="num">{formatInteger(r.participants)}</td>
                <td className="num">{formatInteger(r.female)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-category="total">
              <td />
              <th scope="row">{t("centres.table.total")}</th>
              <td className="num">{formatInteger(report.total.classes)}</td>
              <td className="num">{formatInteger(report.total.participants)}</td>
              <td className="num">{formatInteger(report.total.female)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <ExcelLink
        href={`/api/v1/centres/report/export.xlsx${query({ orgUnitId: report.unit.id, period: report.period })}`}
      >
        {t("centres.download")}
      </ExcelLink>
    </section>
  );
}
