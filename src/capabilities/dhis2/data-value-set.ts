/**
 * DHIS2's data value sets as files: the JSON document (`{"dataValues": [...]}`, values as strings;
 * a set-level `period`, `orgUnit` or `attributeOptionCombo` applies to the values that lack one)
 * and the CSV format, whose columns are, in this order:
 *
 *   dataelement, period, orgunit, categoryoptioncombo, attributeoptioncombo, value, storedby,
 *   lastupdated, comment, followup, deleted
 *
 * DHIS2 reads the columns by position and ignores the first row as a header; XHHT reads a first
 * row whose first field is a column name as a header (and then its columns by name, in any
 * order), and any other first row as data, so a file without a header loses no value.
 */
import { parse } from "csv-parse/sync";
import { csvLine } from "../exports/list-export.ts";

/** One value of a file, as written, with where it was (JSON: its position; CSV: its line). */
export interface RawDataValue {
  row: number;
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string;
  deleted: boolean;
}

export const CSV_COLUMNS = [
  "dataelement",
  "period",
  "orgunit",
  "categoryoptioncombo",
  "attributeoptioncombo",
  "value",
  "storedby",
  "lastupdated",
  "comment",
  "followup",
  "deleted",
] as const;

/** Older DHIS2 versions' header names for the same columns. */
const ALIASES: Record<string, (typeof CSV_COLUMNS)[number]> = {
  catoptcombo: "categoryoptioncombo",
  attroptcombo: "attributeoptioncombo",
  strby: "storedby",
  lstupd: "lastupdated",
  cmt: "comment",
};

/** A problem with the file as a whole (not one of its values). */
export class FileProblem extends Error {}

/** Values beyond this many are refused: one unit and its children never need that many. */
export const MAX_VALUES = 50_000;

const text = (v: unknown): string =>
  v === undefined || v === null
    ? ""
    : typeof v === "string"
      ? v.trim()
      : typeof v === "number"
        ? String(v)
        : "";

const truthy = (v: unknown) => v === true || (typeof v === "string" && v.trim().toLowerCase() === "true");

/** The values of a JSON data value set. */
export function readJsonDataValueSet(body: unknown): RawDataValue[] {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new FileProblem(
      'Tệp JSON phải là một đối tượng có mảng "dataValues" (định dạng dataValueSets của DHIS2).',
    );
  }
  const set = body as Record<string, unknown>;
  const values = set.dataValues;
  if (!Array.isArray(values)) {
    throw new FileProblem('Tệp JSON không có mảng "dataValues" (định dạng dataValueSets của DHIS2).');
  }
  if (values.length > MAX_VALUES) {
    throw new FileProblem(`Tệp có ${values.length} giá trị; mỗi lần nhập tối đa ${MAX_VALUES}.`);
  }
  return values.map((raw, i) => {
    const v = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    return {
      row: i + 1,
      dataElement: text(v.dataElement),
      period: text(v.period ?? set.period),
      orgUnit: text(v.orgUnit ?? set.orgUnit),
      categoryOptionCombo: text(v.categoryOptionCombo),
      attributeOptionCombo: text(v.attributeOptionCombo ?? set.attributeOptionCombo),
      value: typeof v.value === "number" || typeof v.value === "string" ? String(v.value).trim() : "",
      deleted: truthy(v.deleted),
    };
  });
}

/** The values of a CSV data value set (UTF-8, a BOM allowed). */
export function readCsvDataValueSet(body: string): RawDataValue[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new FileProblem(`Không đọc được tệp CSV: ${(error as Error).message}`);
  }
  let positions: Record<(typeof CSV_COLUMNS)[number], number> = Object.fromEntries(
    CSV_COLUMNS.map((c, i) => [c, i]),
  ) as Record<(typeof CSV_COLUMNS)[number], number>;
  const first = records[0]?.record.map((h) => h.toLowerCase().replace(/[\s_]/g, "")) ?? [];
  const named = (h: string) => (CSV_COLUMNS as readonly string[]).includes(h) || h in ALIASES;
  if (first.length > 0 && named(first[0] as string)) {
    const byName = { ...positions };
    for (const c of CSV_COLUMNS) byName[c] = -1;
    first.forEach((h, i) => {
      const column = (CSV_COLUMNS as readonly string[]).includes(h)
        ? (h as (typeof CSV_COLUMNS)[number])
        : ALIASES[h];
      if (column && byName[column] === -1) byName[column] = i;
    });
    for (const required of ["dataelement", "period", "orgunit", "value"] as const) {
      if (byName[required] === -1) throw new FileProblem(`Tệp CSV thiếu cột «${required}».`);
    }
    positions = byName;
    records = records.slice(1);
  }
  if (records.length > MAX_VALUES) {
    throw new FileProblem(`Tệp có ${records.length} giá trị; mỗi lần nhập tối đa ${MAX_VALUES}.`);
  }
  const at = (r: string[], c: (typeof CSV_COLUMNS)[number]) => {
    const i = positions[c];
    return i >= 0 ? (r[i] ?? "").trim() : "";
  };
  return records.map(({ record, info }) => ({
    row: info.lines,
    dataElement: at(record, "dataelement"),
    period: at(record, "period"),
    orgUnit: at(record, "orgunit"),
    categoryOptionCombo: at(record, "categoryoptioncombo"),
    attributeOptionCombo: at(record, "attributeoptioncombo"),
    value: at(record, "value"),
    deleted: truthy(at(record, "deleted")),
  }));
}

export interface DataValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  value: string;
}

/** A data value set as DHIS2's CSV (header row, the eleven columns, CRLF). */
export function dataValueSetCsv(values: readonly DataValue[]): string {
  let out = csvLine(CSV_COLUMNS);
  for (const v of values)
    out += csvLine([v.dataElement, v.period, v.orgUnit, "", "", v.value, "", "", "", "", ""]);
  return out;
}
