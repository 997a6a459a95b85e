/**
 * Every list of the app downloads the same way (issue: lists to Excel and CSV): a list names its
 * columns — a Vietnamese header, how to read the value from a row, and its kind — and gives its
 * rows page by page; this module writes them as
 *
 * - XLSX through ExcelJS's streaming writer (rows go to disk as they come, so a list of hundreds of
 *   thousands of households never sits in memory): the header row bold and frozen with a filter,
 *   numbers as numbers in the Vietnamese-friendly `#,##0` (money in đồng, the header says so),
 *   dates as Excel dates shown dd/mm/yyyy, timestamps in Vietnam time, percentages as Excel
 *   percentages;
 * - CSV in UTF-8 with a byte-order mark (Excel then opens Vietnamese text correctly), comma
 *   separated, CRLF line ends, quoted where needed; numbers plain (1234567, no thousands separator)
 *   and dates ISO (2024-03-05), so the file re-imports into XHHT and any other tool; a text cell
 *   that Excel would run as a formula (=, +, -, @ first) is prefixed with ' (OWASP's CSV injection
 *   advice: names typed on the public registration page reach this file).
 *
 * The file is written to a private temporary directory first; the export is audited with its
 * filters and row count once the file is complete (Nghị định 13/2023/NĐ-CP: every access to
 * personal data is logged), then streamed to the client and removed.
 */

import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { COUNT_FORMAT } from "../statistics/workbook.ts";

export const EXPORT_FORMATS = ["xlsx", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * What a column holds:
 * - `text`: as it is;
 * - `integer`: a whole number;
 * - `money`: đồng, as a number, a bigint or a string of digits (sums can pass 2^53);
 * - `date`: "YYYY-MM-DD";
 * - `datetime`: an instant (ISO string or Date), shown in Vietnam time;
 * - `percent`: a percentage (45.5 means 45,5%);
 * - `yesno`: a boolean, "Có"/"Không".
 */
export type ColumnKind = "text" | "integer" | "money" | "date" | "datetime" | "percent" | "yesno";
export type CellValue = string | number | bigint | boolean | Date | null | undefined;

export interface ListColumn<R> {
  /** The Vietnamese header, as the list shows it. */
  header: string;
  kind?: ColumnKind;
  value: (row: R) => CellValue;
  /** Width in characters in the workbook. */
  width?: number;
}

export interface ListExport<R> {
  /** The audit entry's entity type ("household") and action (`household.exported`). */
  entity: string;
  /** Whether the rows hold personal data (names, addresses, phone numbers…). */
  personalData: boolean;
  /** The downloaded file's name without extension (ASCII). */
  fileStem: string;
  /** The worksheet's name (at most 31 characters). */
  sheet: string;
  columns: readonly ListColumn<R>[];
  /** The rows, one page at a time, in the list's order. */
  pages: AsyncIterable<readonly R[]>;
  /** The unit the list was asked for (audit), if any. */
  orgUnitId?: number | null;
  /** The list's filters as the client sent them (audit). */
  filters: Record<string, unknown>;
}

/** Rows per page when an export reads a list through its paged service. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * The pages of a list read through its own paged service function (the same scope, filters and
 * order as the list on screen), `EXPORT_PAGE_SIZE` rows at a time, until a short page.
 */
export async function* pagedList<R>(
  fetch: (page: number, pageSize: number) => Promise<{ items: readonly R[] }>,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<readonly R[]> {
  for (let page = 1; ; page++) {
    const { items } = await fetch(page, pageSize);
    if (items.length > 0) yield items;
    if (items.length < pageSize) return;
  }
}

/** A list that the service returns whole (a year's events, a centre's activities). */
export async function* wholeList<R>(rows: Promise<readonly R[]>): AsyncGenerator<readonly R[]> {
  const all = await rows;
  if (all.length > 0) yield all;
}

// ─── Cells ─────────────────────────────────────────────────────────────────────────────

const VIETNAM_OFFSET_MS = 7 * 3600_000;
/** Excel keeps 15 significant digits: larger amounts are written as text, never rounded. */
const EXCEL_EXACT = 999_999_999_999_999n;

const NUMBER_FORMATS: Partial<Record<ColumnKind, string>> = {
  integer: COUNT_FORMAT,
  money: COUNT_FORMAT,
  date: "dd/mm/yyyy",
  datetime: "dd/mm/yyyy hh:mm",
  percent: "0.00%",
};

function toBigInt(v: CellValue): bigint | null {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  return null;
}

function toNumber(v: CellValue): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function instant(v: CellValue): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === "string" && v !== "") {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

function isoDate(v: CellValue): string | null {
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  return null;
}

function textOf(v: CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** The value of a workbook cell. */
export function xlsxCell(kind: ColumnKind, v: CellValue): ExcelJS.CellValue {
  if (v === null || v === undefined || v === "") return null;
  switch (kind) {
    case "integer":
      return toNumber(v) ?? textOf(v);
    case "money": {
      const n = toBigInt(v);
      if (n === null) return textOf(v);
      return n <= EXCEL_EXACT && n >= -EXCEL_EXACT ? Number(n) : n.toString();
    }
    case "percent": {
      const n = toNumber(v);
      return n === null ? textOf(v) : n / 100;
    }
    case "date": {
      const d = isoDate(v);
      return d ? new Date(`${d}T00:00:00Z`) : textOf(v);
    }
    case "datetime": {
      const d = instant(v);
      // Excel has no time zones: the cell holds the wall-clock time in Vietnam.
      return d ? new Date(d.getTime() + VIETNAM_OFFSET_MS) : textOf(v);
    }
    case "yesno":
      return v === true ? "Có" : v === false ? "Không" : textOf(v);
    default:
      return textOf(v);
  }
}

/** The text of a CSV field, before quoting. */
export function csvText(kind: ColumnKind, v: CellValue): string {
  if (v === null || v === undefined) return "";
  switch (kind) {
    case "integer":
    case "percent": {
      const n = toNumber(v);
      return n === null ? guardFormula(textOf(v)) : String(n);
    }
    case "money": {
      const n = toBigInt(v);
      return n === null ? guardFormula(textOf(v)) : n.toString();
    }
    case "date":
      return isoDate(v) ?? guardFormula(textOf(v));
    case "datetime": {
      const d = instant(v);
      if (!d) return guardFormula(textOf(v));
      const local = new Date(d.getTime() + VIETNAM_OFFSET_MS).toISOString();
      return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
    }
    case "yesno":
      return v === true ? "có" : v === false ? "không" : guardFormula(textOf(v));
    default:
      return guardFormula(textOf(v));
  }
}

/** A text Excel would evaluate as a formula gets a leading apostrophe. */
function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/** UTF-8 byte-order mark: Excel reads the file as UTF-8 only when it starts with one. */
export const UTF8_BOM = "\uFEFF";

// ─── Writers ───────────────────────────────────────────────────────────────────────────

const kindOf = <R>(c: ListColumn<R>): ColumnKind => c.kind ?? "text";

async function writeXlsx<R>(spec: ListExport<R>, file: string): Promise<number> {
  const out = createWriteStream(file, { mode: 0o600 });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  try {
    book.creator = "XHHT";
    book.created = new Date();
    const sheet = book.addWorksheet(spec.sheet.slice(0, 31), {
      views: [{ state: "frozen", xSplit: 0, ySplit: 1 }],
    });
    sheet.columns = spec.columns.map((c) => ({
      width: c.width ?? Math.min(60, Math.max(10, c.header.length + 2)),
    }));
    const header = sheet.addRow(spec.columns.map((c) => c.header));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: "middle" };
    header.commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.columns.length } };
    let count = 0;
    for await (const page of spec.pages) {
      for (const item of page) {
        const row = sheet.addRow(spec.columns.map((c) => xlsxCell(kindOf(c), c.value(item))));
        spec.columns.forEach((c, i) => {
          const format = NUMBER_FORMATS[kindOf(c)];
          if (format) row.getCell(i + 1).numFmt = format;
        });
        row.commit();
        count++;
      }
    }
    sheet.commit();
    await book.commit();
    return count;
  } catch (error) {
    out.destroy();
    throw error;
  }
}

async function writeCsv<R>(spec: ListExport<R>, file: string): Promise<number> {
  const out = createWriteStream(file, { mode: 0o600 });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  let count = 0;
  try {
    await write(UTF8_BOM + csvLine(spec.columns.map((c) => c.header)));
    for await (const page of spec.pages) {
      let chunk = "";
      for (const item of page) {
        chunk += csvLine(spec.columns.map((c) => csvText(kindOf(c), c.value(item))));
        count++;
      }
      await write(chunk);
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  return count;
}

export const CSV_TYPE = "text/csv; charset=utf-8";

export interface WrittenExport {
  file: string;
  name: string;
  size: number;
  rows: number;
  type: "xlsx" | "csv";
  cleanup: () => void;
}

/**
 * The pages with the first one read already: a list's service authorises and checks its filters
 * when it reads, so a refused export fails here, before any file exists.
 */
async function started<R>(pages: AsyncIterable<readonly R[]>): Promise<AsyncIterable<readonly R[]>> {
  const iterator = pages[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
}

/**
 * Write the list to a private temporary file in `format`, then record one audit entry (who, the
 * list, its filters, the row count); the caller streams the file and calls `cleanup`.
 */
export async function writeListExport<R>(
  db: Kysely<DB>,
  ctx: AuditContext,
  listed: ListExport<R>,
  format: ExportFormat,
): Promise<WrittenExport> {
  const spec = { ...listed, pages: await started(listed.pages) };
  const dir = mkdtempSync(join(tmpdir(), "xhht-export-"));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const name = `${spec.fileStem}.${format}`;
    const file = join(dir, name);
    const rows = format === "xlsx" ? await writeXlsx(spec, file) : await writeCsv(spec, file);
    await db.transaction().execute((tx) =>
      recordAudit(tx, ctx, {
        action: `${spec.entity}.exported`,
        entityType: spec.entity,
        entityId: null,
        orgUnitId: spec.orgUnitId ?? null,
        after: { format, filters: spec.filters, rows, personalData: spec.personalData },
      }),
    );
    return { file, name, size: statSync(file).size, rows, type: format, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
