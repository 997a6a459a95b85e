/**
 * The XHHT ↔ DHIS2 mapping, as data (`resources/dhis2/mapping.v1.json`, docs/DHIS2.md): one entry
 * per DHIS2 data element, naming
 *
 * - `code`: the data element's code for the figure XHHT counts (what the export writes; a
 *   province's DHIS2 administrator gives their data element this code, or points
 *   `XHHT_DHIS2_MAPPING` at a copy of the file with their own codes);
 * - `source`, `metric`: the live counter it is read from (the same registry the reports read,
 *   `reports/sources.ts`);
 * - `targetCode`, `target`: the data element of its target (chỉ tiêu) and the report template's
 *   indicator whose target an imported value sets, or no target (`null`).
 *
 * The file is read and checked once; a broken file stops the server with every problem listed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { type PeriodKind, SERIAL_KINDS } from "../../domain/periods.ts";
import { COUNTER_SOURCES, type ReportTemplate } from "../../domain/reporting/template.ts";
import { PROJECT_ROOT } from "../../server/config.ts";
import { countsFor, metricProblem } from "../reports/sources.ts";
import { readDefaultTemplates } from "../reports/templates.ts";

export const DEFAULT_MAPPING_FILE = join(PROJECT_ROOT, "resources/dhis2/mapping.v1.json");

/** A DHIS2 code: at most 50 characters (DHIS2's limit), letters, digits, _ . - */
const Code = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,50}$/, "Mã DHIS2 gồm tối đa 50 chữ cái không dấu, chữ số, _ . -");

export const VALUE_TYPES = ["INTEGER_ZERO_OR_POSITIVE", "INTEGER", "NUMBER"] as const;
export const AGGREGATION_TYPES = ["SUM", "LAST", "AVERAGE", "MAX", "NONE"] as const;

export const DataElement = z.strictObject({
  code: Code,
  name: z.string().min(1).max(230),
  source: z.enum(COUNTER_SOURCES),
  metric: z.string().min(1).max(120),
  unit: z.string().max(40).nullable().optional(),
  valueType: z.enum(VALUE_TYPES),
  aggregationType: z.enum(AGGREGATION_TYPES),
  targetCode: Code.optional(),
  target: z.strictObject({ template: z.string().min(1), indicator: z.string().min(1) }).nullable(),
});
export type DataElement = z.infer<typeof DataElement>;

export const MappingFile = z.strictObject({
  version: z.number().int().positive(),
  description: z.string().optional(),
  dataElements: z.array(DataElement).min(1),
});

export interface Mapping {
  version: number;
  file: string;
  elements: readonly DataElement[];
  /** A data element's code → the element, and whether the code is its figure or its target. */
  byCode: ReadonlyMap<string, { element: DataElement; role: "actual" | "target" }>;
}

/** The DHIS2 period types in which XHHT counts an element (for the DHIS2 data set). */
export function periodKindsOf(e: DataElement): PeriodKind[] {
  return SERIAL_KINDS.filter((k) => k !== "school_year" && countsFor(e.source, e.metric, k));
}

/** Every problem of a mapping document, in Vietnamese (empty when it is sound). */
export function mappingProblems(
  doc: z.infer<typeof MappingFile>,
  templates: ReadonlyMap<string, ReportTemplate>,
): string[] {
  const out: string[] = [];
  const codes = new Map<string, string>();
  const names = new Set<string>();
  const counters = new Set<string>();
  const claim = (code: string, what: string) => {
    const other = codes.get(code);
    if (other) out.push(`Mã «${code}» dùng hai lần: ${other} và ${what}.`);
    else codes.set(code, what);
  };
  for (const e of doc.dataElements) {
    const what = `«${e.name}»`;
    claim(e.code, what);
    if (e.targetCode) claim(e.targetCode, `chỉ tiêu của ${what}`);
    if (names.has(e.name))
      out.push(`Tên ${what} dùng hai lần (DHIS2 cần tên riêng cho mỗi phần tử dữ liệu).`);
    names.add(e.name);
    const counter = `${e.source}/${e.metric}`;
    if (counters.has(counter)) out.push(`${what}: số liệu ${counter} đã có ở một dòng khác.`);
    counters.add(counter);
    const metric = metricProblem(e.source, e.metric);
    if (metric) out.push(`${what}: ${metric}`);
    if (periodKindsOf(e).length === 0) out.push(`${what}: số liệu này không được đếm theo kỳ nào của DHIS2.`);
    if (e.target && !e.targetCode) out.push(`${what}: có chỉ tiêu (target) nhưng thiếu targetCode.`);
    if (!e.target && e.targetCode)
      out.push(`${what}: có targetCode nhưng không nói chỉ tiêu của biểu mẫu nào.`);
    if (e.target) {
      const t = templates.get(e.target.template);
      const ind = t?.indicators.find((i) => i.id === e.target?.indicator);
      if (!t) out.push(`${what}: không có biểu mẫu «${e.target.template}».`);
      else if (!ind) out.push(`${what}: biểu mẫu «${t.code}» không có chỉ số «${e.target.indicator}».`);
      else if (ind.kind === "counter" && (ind.source !== e.source || ind.metric !== e.metric)) {
        out.push(
          `${what}: chỉ số «${ind.id}» của biểu mẫu «${t.code}» đọc ${ind.source}/${ind.metric}, không phải ${counter}.`,
        );
      }
    }
  }
  return out;
}

/** The newest shipped version of every report template, by code. */
function latestShippedTemplates(): Map<string, ReportTemplate> {
  const latest = new Map<string, ReportTemplate>();
  for (const { template } of readDefaultTemplates()) {
    const seen = latest.get(template.code);
    if (!seen || seen.version < template.version) latest.set(template.code, template);
  }
  return latest;
}

const loaded = new Map<string, Mapping>();

/** The mapping in use: `XHHT_DHIS2_MAPPING` if set, else the shipped file; read and checked once. */
export function dhis2Mapping(file = process.env.XHHT_DHIS2_MAPPING || DEFAULT_MAPPING_FILE): Mapping {
  const cached = loaded.get(file);
  if (cached) return cached;
  const parsed = MappingFile.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`Bảng ánh xạ DHIS2 ${file} không hợp lệ: ${parsed.error.message}`);
  const problems = mappingProblems(parsed.data, latestShippedTemplates());
  if (problems.length > 0) {
    throw new Error(`Bảng ánh xạ DHIS2 ${file} không hợp lệ:\n- ${problems.join("\n- ")}`);
  }
  const byCode = new Map<string, { element: DataElement; role: "actual" | "target" }>();
  for (const element of parsed.data.dataElements) {
    byCode.set(element.code, { element, role: "actual" });
    if (element.targetCode) byCode.set(element.targetCode, { element, role: "target" });
  }
  const mapping = { version: parsed.data.version, file, elements: parsed.data.dataElements, byCode };
  loaded.set(file, mapping);
  return mapping;
}
