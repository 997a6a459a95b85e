/**
 * Report templates (biểu mẫu) as versioned data. Pure: no I/O.
 *
 * A template is a JSON document (shipped in `resources/report-templates/`, stored per version in
 * `report_templates`): which units fill it and for which kind of period, its indicators, the
 * validation rules over them, the sections of the document (narratives, lists of indicators,
 * tables whose cells are indicators) and the document's fixed texts (Nghị định 30 layout).
 *
 * An indicator is one number of the report, identified by a stable `id` within the template:
 * - `counter`: computed from the records, read from a capability's live counters (`source` names
 *   the capability, `metric` its counter, e.g. source "centres", metric "participants:legal");
 *   never typed, always recomputed — also at a higher level, where it is the counters of that
 *   level, never a copy of the children's reports;
 * - `typed`: entered by the unit (integer, money in đồng, or a decimal), summed over the children
 *   at a higher level when `aggregate` is "sum";
 * - `formula`: computed from other indicators of the same report (sum, difference, ratio as a
 *   percent, change from the previous period, percent of the target).
 */
import { z } from "zod";

export const ID = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, "Mã chỉ là chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ.");

/** The capabilities whose live counters a template may read (see the reports' source registry). */
export const COUNTER_SOURCES = [
  "centres",
  "literacy",
  "association",
  "events",
  "agreements",
  "inspections",
  "commendations",
  "fund",
  "models",
] as const;
export type CounterSource = (typeof COUNTER_SOURCES)[number];

export const VALUE_TYPES = ["integer", "money", "decimal", "percent"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export const Formula = z.discriminatedUnion("op", [
  /** a + b + … (missing parts make the sum missing) */
  z.strictObject({ op: z.literal("sum"), of: z.array(ID).min(1) }),
  /** a − b */
  z.strictObject({ op: z.literal("difference"), a: ID, b: ID }),
  /** 100 × numerator / denominator, a percent with two decimals; missing when the denominator is 0 */
  z.strictObject({ op: z.literal("percent"), numerator: ID, denominator: ID }),
  /** this period's value of `of` minus the previous period's */
  z.strictObject({ op: z.literal("change_from_previous"), of: ID }),
  /** 100 × value / target of `of` */
  z.strictObject({ op: z.literal("percent_of_target"), of: ID }),
]);
export type Formula = z.infer<typeof Formula>;

const IndicatorBase = {
  id: ID,
  label: z.string().min(1).max(300),
  /** unit of measure shown after the number: "lớp", "lượt người", "đồng", "%" */
  unit: z.string().max(40).optional(),
  help: z.string().max(1000).optional(),
};

export const Indicator = z.discriminatedUnion("kind", [
  z.strictObject({
    ...IndicatorBase,
    kind: z.literal("counter"),
    source: z.enum(COUNTER_SOURCES),
    metric: z.string().min(1).max(120),
    valueType: z.enum(VALUE_TYPES).default("integer"),
  }),
  z.strictObject({
    ...IndicatorBase,
    kind: z.literal("typed"),
    valueType: z.enum(VALUE_TYPES),
    aggregate: z.enum(["sum", "none"]).default("sum"),
    /** A typed value may be left empty (shown "—"); a required one must be given to submit. */
    required: z.boolean().default(false),
  }),
  z.strictObject({
    ...IndicatorBase,
    kind: z.literal("formula"),
    formula: Formula,
  }),
]);
export type Indicator = z.infer<typeof Indicator>;

/** Validation rules as data, checked when a report is saved; the message is shown as written. */
export const Rule = z.discriminatedUnion("rule", [
  /** left ≤ right (female ≤ total; literate ≤ population) */
  z.strictObject({ rule: z.literal("lte"), left: ID, right: ID, message: z.string().min(1).max(300) }),
  /** the value is not below the previous period's (a cumulative count of the year) */
  z.strictObject({ rule: z.literal("not_below_previous"), of: ID, message: z.string().min(1).max(300) }),
]);
export type Rule = z.infer<typeof Rule>;

export const Section = z.discriminatedUnion("kind", [
  /** free text written by the unit: Thuận lợi, Khó khăn, Phương hướng… */
  z.strictObject({
    kind: z.literal("narrative"),
    key: ID,
    title: z.string().min(1).max(300),
    /** start from the previous period's text */
    carryOver: z.boolean().default(false),
    hint: z.string().max(1000).optional(),
  }),
  /** "label: value unit" lines, one per indicator */
  z.strictObject({
    kind: z.literal("indicators"),
    key: ID,
    title: z.string().min(1).max(300),
    indicators: z.array(ID).min(1),
  }),
  /** a table: fixed row labels, columns; each cell an indicator or nothing */
  z.strictObject({
    kind: z.literal("table"),
    key: ID,
    title: z.string().min(1).max(300),
    columns: z.array(z.string().min(1).max(120)).min(1),
    rows: z
      .array(z.strictObject({ label: z.string().min(1).max(300), cells: z.array(ID.nullable()) }))
      .min(1),
    /** add a "Tổng cộng" row summing each column */
    total: z.boolean().default(false),
  }),
  /**
   * Seed 003's PHỤ LỤC: a row per indicator with the target of the report's period, then for
   * each year of the period its count and rate, the rate over the whole period, the targets of
   * the next phases ("Dự kiến giai đoạn 2021-2025") and a notes column. Only for periods longer
   * than a year (a phase, in practice); every yearly figure is computed from that year's records.
   */
  z.strictObject({
    kind: z.literal("period_table"),
    key: ID,
    title: z.string().min(1).max(300),
    /** the heading of the indicator column: "Chỉ tiêu" */
    label: z.string().min(1).max(120).default("Chỉ tiêu"),
    rows: z
      .array(
        z.strictObject({
          label: z.string().min(1).max(300),
          /** the number counted (people, classes); null when the row has only a rate */
          count: ID.nullable(),
          /** its rate (a percent indicator); the targets and the period's own column are of the rate */
          rate: ID.nullable(),
        }),
      )
      .min(1),
    /** how many following phases get a "Dự kiến" column of the rate's targets (seed 003: 2) */
    projections: z.number().int().min(0).max(3).default(0),
  }),
  /** the heading of a part ("I. …"), no content of its own */
  z.strictObject({ kind: z.literal("heading"), key: ID, title: z.string().min(1).max(300) }),
]);
export type Section = z.infer<typeof Section>;

export const TemplateDocument = z.strictObject({
  /**
   * Who issues the report, top left: "unit" — the unit itself under the People's Committee of the
   * unit above ("UBND XÃ THANH ĐỊNH / TRUNG TÂM HỌC TẬP CỘNG ĐỒNG"); "association" — the unit's
   * Association under the one above ("HỘI KHUYẾN HỌC TỈNH KHÁNH HÒA / HỘI KHUYẾN HỌC THỊ XÃ NINH HÒA").
   */
  issuer: z.enum(["unit", "association"]).default("unit"),
  /** "BC" for "Số: …/BC-HKH" */
  numberSuffix: z.string().min(1).max(40),
  /** the subject line under "BÁO CÁO"; `{period}` is replaced by the period's label, `{unit}` by the unit's name */
  subject: z.string().min(1).max(500),
  /** "Kính gửi" lines, optional */
  addressees: z.array(z.string().min(1).max(300)).default([]),
  /** the opening paragraph; `{period}`, `{unit}` as above */
  opening: z.string().max(2000).optional(),
  /** "Nơi nhận" lines */
  recipients: z.array(z.string().min(1).max(300)).min(1),
  /** "TM. BAN THƯỜNG VỤ" (optional) and "CHỦ TỊCH" */
  signature: z.strictObject({ onBehalf: z.string().max(200).optional(), title: z.string().min(1).max(200) }),
});

export const PERIOD_KINDS = [
  "year",
  "quarter",
  "half_year",
  "reporting_year",
  "school_year",
  "phase",
] as const;

export const ReportTemplate = z.strictObject({
  /** stable id across versions: "centre-annual" */
  code: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/),
  version: z.number().int().min(1),
  name: z.string().min(1).max(300),
  description: z.string().max(2000).optional(),
  /** the org-unit kinds that fill this form (e.g. ["learning_centre"], ["commune"], ["province"]) */
  unitKinds: z.array(z.string().min(1)).min(1),
  periodKind: z.enum(PERIOD_KINDS),
  /** for a reporting year: the month it starts in (seed 000: 11) */
  startMonth: z.number().int().min(2).max(12).optional(),
  /** the report is due this many days after the period's last day */
  deadlineDays: z.number().int().min(0).max(365),
  indicators: z.array(Indicator).min(1),
  rules: z.array(Rule).default([]),
  sections: z.array(Section).min(1),
  document: TemplateDocument,
  /** where the shipped defaults come from: the seed reports they reproduce */
  basis: z.string().max(2000).optional(),
});
export type ReportTemplate = z.infer<typeof ReportTemplate>;
export type ReportTemplateInput = z.input<typeof ReportTemplate>;

/** One indicator's value: a number, or null when it is missing (never silently 0). */
export type Value = number | null;
export type Values = ReadonlyMap<string, Value>;
