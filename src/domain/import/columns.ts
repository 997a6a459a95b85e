/**
 * An import template's columns as data, and a spreadsheet row read through them. Pure, no I/O.
 *
 * A template names each column by its Vietnamese header ("Họ tên chủ hộ"). A file's header row is
 * matched by folded text (case, diacritics, spaces and a trailing "(*)" or note in brackets do not
 * matter), so officers may reorder columns, drop optional ones or add their own (ignored). Each
 * cell is read the Vietnamese way (cells.ts): legacy TCVN3/VNI text converted to Unicode, NFC,
 * spaces collapsed, "1.234.567" and "99,48" numbers, day/month/year dates, x/có for yes. Every
 * problem of a row is reported at once, beside its column, in Vietnamese.
 */
import { foldForSearch } from "../text.ts";
import { cleanText, parseCellDate, parseVietnameseNumber, parseYesNo } from "./cells.ts";
import { convertLegacyCell, type LegacyEncoding } from "./legacy-encodings.ts";

export type ColumnType =
  | { type: "text"; max: number }
  | { type: "integer"; min: number; max: number }
  | { type: "date" }
  | { type: "yesno" }
  /** One of a fixed list; matched by folded text against each choice's label and aliases. */
  | { type: "choice"; choices: readonly { value: string; label: string; aliases?: readonly string[] }[] }
  /** A value from a list only known at run time (the villages of a commune): kept as text. */
  | { type: "lookup"; max: number };

export type ColumnSpec = {
  key: string;
  /** The header as printed in the template. */
  header: string;
  required: boolean;
  /** One line of help for the instructions sheet. */
  help: string;
  /** The example value shown in the template's example sheet. */
  example: string | number;
  /** Other headers this column is known by in officers' own files. */
  aliases?: readonly string[];
} & ColumnType;

export interface SheetSpec {
  /** The sheet's name in the template ("Hộ gia đình"). */
  name: string;
  columns: readonly ColumnSpec[];
}

export type CellValue = string | number | boolean | null;
export type RecordValues = Record<string, CellValue>;

export interface CellProblem {
  /** The column's key, or "" for the row as a whole. */
  column: string;
  message: string;
}

export interface ReadRecord {
  values: RecordValues;
  problems: CellProblem[];
  /** Cells whose TCVN3 or VNI text was converted to Unicode. */
  converted: number;
  /** The row had no value at all in the template's columns (skipped, not an error). */
  blank: boolean;
}

/** A header as compared: folded, without "(*)", "(bắt buộc)" or any note in brackets. */
export function headerKey(header: string): string {
  return foldForSearch(header.replace(/\([^)]*\)|\[[^\]]*\]|\*/gu, " "));
}

export interface HeaderMatch {
  /** Column key → index of the file's column. */
  indexes: Map<string, number>;
  /** Required columns the file lacks (their headers). */
  missing: string[];
  /** The file's headers no column takes (ignored). */
  ignored: string[];
}

/** Match a file's header row against a sheet's columns. */
export function matchHeaders(sheet: SheetSpec, headerCells: readonly unknown[]): HeaderMatch {
  const byKey = new Map<string, ColumnSpec>();
  for (const column of sheet.columns) {
    for (const name of [column.header, ...(column.aliases ?? [])]) byKey.set(headerKey(name), column);
  }
  const indexes = new Map<string, number>();
  const ignored: string[] = [];
  headerCells.forEach((cell, index) => {
    // A legacy file's headers are in its legacy encoding too.
    const text = cleanText(convertLegacyCell(cellText(cell)).text);
    if (text === "") return;
    const column = byKey.get(headerKey(text));
    if (column && !indexes.has(column.key)) indexes.set(column.key, index);
    else ignored.push(text);
  });
  const missing = sheet.columns.filter((c) => c.required && !indexes.has(c.key)).map((c) => c.header);
  return { indexes, missing, ignored };
}

/**
 * Does this row look like a header row of the sheet? A file may start with a title, the issuing
 * body or blank lines above its header; the first row that names at least half of the required
 * columns (and one column at least) is taken as the header.
 */
export function looksLikeHeader(sheet: SheetSpec, cells: readonly unknown[]): boolean {
  const match = matchHeaders(sheet, cells);
  const required = sheet.columns.filter((c) => c.required).length;
  return match.indexes.size > 0 && match.missing.length * 2 <= required;
}

/** A cell as plain text: rich text joined, formulas by their result, dates as dd/mm/yyyy. */
export function cellText(cell: unknown): string {
  const value = plainCell(cell);
  if (value === null) return "";
  if (value instanceof Date) {
    const iso = value.toISOString();
    return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  }
  return cleanText(String(value));
}

/**
 * ExcelJS hands over a cell as a string, number, boolean, Date, or an object: rich text
 * ({richText: [{text}]}), a formula ({formula, result}), a hyperlink ({text, hyperlink}), an error
 * ({error}). Reduce it to a plain value.
 */
export function plainCell(cell: unknown): string | number | boolean | Date | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === "string" || typeof cell === "number" || typeof cell === "boolean") return cell;
  if (cell instanceof Date) return cell;
  if (typeof cell === "object") {
    const o = cell as Record<string, unknown>;
    if (Array.isArray(o.richText))
      return o.richText.map((r) => String((r as { text?: unknown }).text ?? "")).join("");
    if ("result" in o) return plainCell(o.result);
    if ("text" in o) return plainCell(o.text);
    if ("error" in o) return null;
  }
  return String(cell);
}

function readText(
  raw: string | number | boolean | Date,
  max: number,
): { value: string; converted: LegacyEncoding | null; problem?: string } {
  const { text, converted } =
    typeof raw === "string" ? convertLegacyCell(raw) : { text: String(raw), converted: null };
  const value = cleanText(text);
  if (value.length > max)
    return { value, converted, problem: `Tối đa ${max} ký tự (ô này có ${value.length}).` };
  return { value, converted };
}

/** Read one data row through a sheet's columns. */
export function readRecord(
  sheet: SheetSpec,
  indexes: ReadonlyMap<string, number>,
  cells: readonly unknown[],
): ReadRecord {
  const values: RecordValues = {};
  const problems: CellProblem[] = [];
  let converted = 0;
  let blank = true;
  for (const column of sheet.columns) {
    const index = indexes.get(column.key);
    const raw = index === undefined ? null : plainCell(cells[index]);
    const empty = raw === null || (typeof raw === "string" && cleanText(raw) === "");
    if (!empty) blank = false;
    if (empty) {
      values[column.key] = column.type === "yesno" ? false : null;
      if (column.required)
        problems.push({ column: column.key, message: `Bắt buộc nhập “${column.header}”.` });
      continue;
    }
    switch (column.type) {
      case "text":
      case "lookup": {
        const read = readText(raw, column.max);
        if (read.converted) converted++;
        values[column.key] = read.value;
        if (read.problem) problems.push({ column: column.key, message: read.problem });
        break;
      }
      case "integer": {
        const parsed = parseVietnameseNumber(raw instanceof Date ? String(raw) : raw);
        if (!parsed.ok) {
          problems.push({ column: column.key, message: parsed.message });
          values[column.key] = null;
        } else if (
          parsed.value !== null &&
          (!Number.isInteger(parsed.value) || parsed.value < column.min || parsed.value > column.max)
        ) {
          problems.push({
            column: column.key,
            message: `Phải là số nguyên từ ${column.min} đến ${column.max}.`,
          });
          values[column.key] = null;
        } else {
          values[column.key] = parsed.value;
        }
        break;
      }
      case "date": {
        const parsed = parseCellDate(typeof raw === "string" ? convertLegacyCell(raw).text : raw);
        if (!parsed.ok) problems.push({ column: column.key, message: parsed.message });
        values[column.key] = parsed.ok ? parsed.value : null;
        break;
      }
      case "yesno": {
        const parsed = parseYesNo(typeof raw === "string" ? convertLegacyCell(raw).text : raw);
        if (!parsed.ok) problems.push({ column: column.key, message: parsed.message });
        values[column.key] = parsed.ok ? parsed.value : false;
        break;
      }
      case "choice": {
        const read = readText(raw, 200);
        if (read.converted) converted++;
        const folded = foldForSearch(read.value);
        const choice = column.choices.find(
          (c) =>
            foldForSearch(c.label) === folded || (c.aliases ?? []).some((a) => foldForSearch(a) === folded),
        );
        if (!choice) {
          problems.push({
            column: column.key,
            message: `Chỉ nhận một trong: ${column.choices.map((c) => c.label).join(", ")}.`,
          });
        }
        values[column.key] = choice?.value ?? null;
        break;
      }
    }
  }
  if (blank) return { values, problems: [], converted: 0, blank: true };
  return { values, problems, converted, blank };
}
