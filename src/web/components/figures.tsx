/**
 * The summary of a unit's figures by unit below, as every capability shows it: one row per unit
 * below (a unit without figures says so across its columns, never 0), optional extra rows (the
 * unit's own), the total; and the Excel link.
 */
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import { useT } from "../i18n/index.tsx";
import { SelectField } from "./fields.tsx";
import "./records.css";

/** "Chưa có số liệu" across `span` columns of a unit below that has no figures. */
export function MissingCells({ span, text }: { span: number; text?: string }) {
  const t = useT();
  return (
    <td colSpan={span} className="figures-missing" data-missing="true">
      {text ?? t("common.noData")}
    </td>
  );
}

/** From how many rows below the table offers to show only the missing units (or the others). */
const FILTER_FROM = 8;

export interface UnitRow {
  id: number;
  name: string;
  /** Where the unit's name leads (its own page of the same figures), if anywhere. */
  to?: string | undefined;
  /** The figure cells, or null when the unit has none: the row then says so. */
  cells: ReactNode | null;
  /** More attributes of the row, for its tests (`data-has-data`). */
  data?: Record<`data-${string}`, string | boolean>;
}

export function UnitFiguresTable({
  testId,
  className,
  unitLabel,
  columns,
  rows,
  missingText,
  extraRows,
  total,
}: {
  testId: string;
  /** More classes beside `figures-table`. */
  className?: string;
  /** The first column's heading; "Đơn vị" unless told. */
  unitLabel?: string;
  /** The headings of the figure columns. */
  columns: ReactNode[];
  rows: UnitRow[];
  missingText?: string;
  extraRows?: ReactNode;
  /** The total row at the foot; none when left out. */
  total?: { label: string; cells: ReactNode };
}) {
  const t = useT();
  // A province has up to a hundred communes: on a phone, let the officer see only those still
  // missing (or only those with figures).
  const [show, setShow] = useState<"all" | "missing" | "reported">("all");
  const shown = rows.filter((r) => show === "all" || (show === "missing") === (r.cells === null));
  return (
    <>
      {rows.length > FILTER_FROM && (
        <SelectField
          label={t("common.filter")}
          value={show}
          onChange={(e) => setShow(e.target.value as typeof show)}
        >
          <option value="all">{t("common.filter.all")}</option>
          <option value="missing">{t("common.filter.missing")}</option>
          <option value="reported">{t("common.filter.reported")}</option>
        </SelectField>
      )}
      <div className="table-scroll">
        <table className={className ? `figures-table ${className}` : "figures-table"} data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">{unitLabel ?? t("common.unit")}</th>
              {columns.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table.
                <th scope="col" key={i}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr
                key={r.id}
                data-unit={r.id}
                className={r.cells === null ? "missing" : undefined}
                {...r.data}
              >
                <th scope="row">{r.to ? <Link to={r.to}>{r.name}</Link> : r.name}</th>
                {r.cells ?? <MissingCells span={columns.length} text={missingText} />}
              </tr>
            ))}
            {extraRows}
          </tbody>
          {total && (
            <tfoot>
              <tr data-unit="total">
                <th scope="row">{total.label}</th>
                {total.cells}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </>
  );
}

/** The link that downloads a summary as an Excel file. */
export function ExcelLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p>
      <a className="download-link" href={href} download>
        {children}
      </a>
    </p>
  );
}
