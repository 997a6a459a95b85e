/**
 * A report's values and texts laid out as the document the renderers print (`document.ts`,
 * Nghị định 30 layout) and as its Excel appendix. Pure: no I/O.
 *
 * The document holds text only, every number formatted the Vietnamese way ("1.612",
 * "30.800.000 đồng", "99,48%"); the appendix keeps numbers as numbers (null stays null, "no
 * data", never 0) for the spreadsheet to format.
 */
import { formatDateLong } from "../format.ts";
import { type Period, periodLabel } from "../periods.ts";
import { normalizeText } from "../text.ts";
import { exactSum, percentOf } from "./decimal.ts";
import type {
  Appendix,
  AppendixCell,
  AppendixColumn,
  AppendixSheet,
  DocumentBlock,
  ReportDocument,
} from "./document.ts";
import { formatValue, shortDecimal, valueTypeOf } from "./evaluate.ts";
import type { Indicator, ReportTemplate, Section, Value, Values } from "./template.ts";

export interface ComposeInput {
  template: ReportTemplate;
  unit: { name: string; parentName?: string };
  /** the issuing body's name when it is not the unit's own ("Hội Khuyến học Xã Bình Yên") */
  issuerLabel?: string;
  period: Period;
  /** the document's number, null while it has none ("Số:     /BC-HKH" is left to be filled by hand) */
  number: string | null;
  /** YYYY-MM-DD */
  issuedOn: string;
  /** the place written before the date: "Thanh Định" */
  place: string;
  /** every indicator's value, as `evaluateIndicators` gives them */
  values: Values;
  /** narrative section key → text; one paragraph per non-empty line */
  narratives: Record<string, string>;
  signerName?: string;
  targets?: Values;
  /** for a `period_table`: each year of the period, in order, with that year's values */
  years?: readonly { period: Period; values: Values }[];
  /** for a `period_table`: the phases after the period, in order, with their targets */
  nextPhases?: readonly { period: Period; targets: Values }[];
}

export interface AppendixInput extends ComposeInput {
  /** the previous period's values (evaluated), for a "Kỳ trước" column */
  previous?: Values;
}

type TableSection = Extract<Section, { kind: "table" }>;
type PeriodTableSection = Extract<Section, { kind: "period_table" }>;

const TOTAL_LABEL = "Tổng cộng";
const upper = (s: string) => normalizeText(s).toLocaleUpperCase("vi");

/**
 * The template's text with `{unit}` and `{period}` filled in. Inside a sentence the period's
 * label starts in lower case, as the seeds write it ("… cộng đồng năm 2024", "… quý I/2024").
 */
function fill(text: string, input: ComposeInput): string {
  const label = periodLabel(input.period);
  const inner = label.charAt(0).toLocaleLowerCase("vi") + label.slice(1);
  const startsSentence = (before: string) => /^\s*$|[.!?]\s+$/.test(before);
  return text
    .replace(/\{period\}/g, (_, at: number, whole: string) =>
      startsSentence(whole.slice(0, at)) ? label : inner,
    )
    .replaceAll("{unit}", input.unit.name);
}

function indicatorMap(t: ReportTemplate): Map<string, Indicator> {
  return new Map(t.indicators.map((i) => [i.id, i]));
}

/** "1.612 lượt người", "99,48%", "—" (a missing value has no unit). */
function withUnit(ind: Indicator, v: Value): string {
  const text = formatValue(ind, v);
  if (v === null || !ind.unit) return text;
  return ind.unit === "%" ? `${text}%` : `${text} ${ind.unit}`;
}

/** The indicator ids of a table's column `j` (0 = the first data column). */
function columnIds(s: TableSection, j: number): string[] {
  return s.rows.map((r) => r.cells[j]).filter((c): c is string => typeof c === "string");
}

/**
 * The total of a table's column: the sum of its given values; null when it has none or when it
 * holds percentages (a sum of rates means nothing).
 */
function columnTotal(t: ReportTemplate, s: TableSection, j: number, values: Values): Value {
  const ids = columnIds(s, j);
  if (ids.length === 0 || ids.every((id) => valueTypeOf(t, id) === "percent")) return null;
  const given = ids.map((id) => values.get(id) ?? null).filter((v): v is number => v !== null);
  return given.length > 0 ? exactSum(given) : null;
}

function tableBlock(t: ReportTemplate, s: TableSection, values: Values): DocumentBlock {
  const inds = indicatorMap(t);
  const cell = (id: string | null | undefined): string => {
    if (!id) return "";
    const ind = inds.get(id);
    return ind ? formatValue(ind, values.get(id) ?? null) : "—";
  };
  const rows = s.rows.map((r, i) => [String(i + 1), r.label, ...r.cells.map(cell)]);
  const width = s.columns.length - 1;
  if (s.total) {
    const totals = Array.from({ length: width }, (_, j) => {
      const ids = columnIds(s, j);
      const first = inds.get(ids[0] ?? "");
      if (!first || ids.every((id) => valueTypeOf(t, id) === "percent")) return "";
      return formatValue(first, columnTotal(t, s, j, values));
    });
    rows.push(["", TOTAL_LABEL, ...totals]);
  }
  return {
    kind: "table",
    title: s.title,
    table: { header: ["TT", ...s.columns], rows, ...(s.total ? { hasTotal: true } : {}) },
  };
}

/** "Giai đoạn 2016-2020" → "giai đoạn 2016-2020", inside a column heading. */
const lowerFirst = (text: string) => text.charAt(0).toLocaleLowerCase("vi") + text.slice(1);

/**
 * A period table's columns and rows as values: the target of the period, each year's count and
 * rate, the period's own rate, the next phases' targets, and an empty notes column.
 */
function periodTable(input: ComposeInput, s: PeriodTableSection) {
  const years = input.years ?? [];
  const phases = (input.nextPhases ?? []).slice(0, s.projections);
  const label = lowerFirst(periodLabel(input.period));
  const headers = [
    `Mục tiêu ${label} (tỷ lệ %)`,
    ...years.flatMap((y) => [`${periodLabel(y.period)}: số lượng`, `${periodLabel(y.period)}: tỷ lệ %`]),
    `Thực hiện ${label} (tỷ lệ %)`,
    ...phases.map((p) => `Dự kiến ${lowerFirst(periodLabel(p.period))} (tỷ lệ %)`),
  ];
  const rows = s.rows.map((r) => {
    const main = r.rate ?? r.count;
    const of = (values: Values | undefined, id: string | null): Value =>
      id ? (values?.get(id) ?? null) : null;
    return {
      label: r.label,
      count: r.count,
      rate: r.rate,
      cells: [
        of(input.targets, main),
        ...years.flatMap((y) => [of(y.values, r.count), of(y.values, r.rate)]),
        of(input.values, main),
        ...phases.map((p) => of(p.targets, main)),
      ],
    };
  });
  return { headers, rows, yearCount: years.length };
}

function periodTableBlock(input: ComposeInput, s: PeriodTableSection): DocumentBlock {
  const inds = indicatorMap(input.template);
  const { headers, rows, yearCount } = periodTable(input, s);
  const asCount = (id: string | null, v: Value) => {
    const ind = id ? inds.get(id) : undefined;
    return ind ? formatValue(ind, v) : "";
  };
  const asRate = (id: string | null, v: Value) => (id === null ? "" : v === null ? "—" : shortDecimal(v));
  const body = rows.map((r, i) => {
    const main = r.rate ?? r.count;
    const [target, ...rest] = r.cells;
    const yearly = rest.slice(0, 2 * yearCount);
    const after = rest.slice(2 * yearCount);
    const asMain = (v: Value | undefined) => (r.rate ? asRate(r.rate, v ?? null) : asCount(main, v ?? null));
    return [
      String(i + 1),
      r.label,
      asMain(target),
      ...yearly.map((v, j) => (j % 2 === 0 ? asCount(r.count, v ?? null) : asRate(r.rate, v ?? null))),
      ...after.map(asMain),
      "",
    ];
  });
  return {
    kind: "table",
    title: s.title,
    table: { header: ["TT", s.label, ...headers, "Ghi chú"], rows: body },
  };
}

function sectionBlocks(input: ComposeInput, s: Section): DocumentBlock[] {
  const t = input.template;
  switch (s.kind) {
    case "heading":
      return [{ kind: "heading", text: s.title }];
    case "narrative": {
      const lines = (input.narratives[s.key] ?? "")
        .split(/\r?\n/)
        .map(normalizeText)
        .filter((l) => l.length > 0);
      // An empty narrative is left out, heading and all: no "(Không có)" in an official document.
      if (lines.length === 0) return [];
      return [
        { kind: "heading", text: s.title },
        ...lines.map((text) => ({ kind: "paragraph" as const, text })),
      ];
    }
    case "indicators": {
      const inds = indicatorMap(t);
      const lines = s.indicators.flatMap((id) => {
        const ind = inds.get(id);
        return ind ? [`- ${ind.label}: ${withUnit(ind, input.values.get(id) ?? null)}`] : [];
      });
      return [
        { kind: "heading", text: s.title },
        ...lines.map((text) => ({ kind: "paragraph" as const, text })),
      ];
    }
    case "table":
      return [tableBlock(t, s, input.values)];
    case "period_table":
      return [periodTableBlock(input, s)];
  }
}

/** The report as a document: header block, opening, the sections in order, recipients, signature. */
export function composeDocument(input: ComposeInput): ReportDocument {
  const d = input.template.document;
  const opening = d.opening ? fill(d.opening, input) : "";
  const blocks: DocumentBlock[] = [
    ...(opening ? [{ kind: "paragraph" as const, text: opening }] : []),
    ...input.template.sections.flatMap((s) => sectionBlocks(input, s)),
  ];
  return {
    issuer: {
      ...(input.unit.parentName ? { above: upper(input.unit.parentName) } : {}),
      name: upper(input.issuerLabel ?? input.unit.name),
    },
    number: `Số: ${input.number ?? "    "}/${d.numberSuffix}`,
    placeDate: `${input.place}, ${formatDateLong(input.issuedOn)}`,
    title: "BÁO CÁO",
    subject: fill(d.subject, input),
    addressees: [...d.addressees],
    blocks,
    recipients: [...d.recipients],
    signature: {
      ...(d.signature.onBehalf ? { onBehalf: d.signature.onBehalf } : {}),
      title: d.signature.title,
      ...(input.signerName ? { name: input.signerName } : {}),
    },
  };
}

// ─── Appendix ──────────────────────────────────────────────────────────────────────────

/** The number format of a column of indicators: theirs when they agree, else a decimal. */
function columnFormat(t: ReportTemplate, ids: readonly string[]): AppendixColumn["format"] {
  const types = new Set(ids.map((id) => valueTypeOf(t, id)));
  if (types.size === 1) return [...types][0] ?? "decimal";
  if (types.size > 0 && [...types].every((x) => x === "integer" || x === "money")) return "integer";
  return "decimal";
}

const SHEET_NAME_MAX = 31;

/** Excel's sheet names: at most 31 characters, none of []:*?/\, no leading or trailing apostrophe, unique. */
function sheetNamer(): (title: string) => string {
  const taken = new Set<string>();
  const cut = (s: string, n: number) =>
    [...s]
      .slice(0, n)
      .join("")
      .replace(/[\s']+$/, "");
  return (title) => {
    const base = normalizeText(title.replace(/[[\]:*?/\\]/g, " ")).replace(/^[\s']+|[\s']+$/g, "") || "Bảng";
    let name = cut(base, SHEET_NAME_MAX);
    for (let n = 2; taken.has(name.toLocaleLowerCase("vi")); n++) {
      const suffix = ` (${n})`;
      name = cut(base, SHEET_NAME_MAX - suffix.length) + suffix;
    }
    taken.add(name.toLocaleLowerCase("vi"));
    return name;
  };
}

/** "4. Kết quả đạt được cụ thể" → "Kết quả đạt được cụ thể": a title without its numbering. */
function unnumbered(title: string): string {
  return title.replace(/^(?:[IVXLC]+|\d+(?:\.\d+)*)\.\s+/, "") || title;
}

/** "PHỤ LỤC 2. KẾT QUẢ ĐẠT ĐƯỢC CỤ THỂ". */
const appendixTitle = (n: number, title: string) => `PHỤ LỤC ${n}. ${upper(unnumbered(title))}`;

function tableSheet(
  input: AppendixInput,
  s: TableSection,
  name: string,
  title: string,
  subtitle: string,
): AppendixSheet {
  const t = input.template;
  const num = (id: string | null | undefined): AppendixCell => (id ? (input.values.get(id) ?? null) : null);
  const rows: AppendixCell[][] = s.rows.map((r, i) => [i + 1, r.label, ...r.cells.map(num)]);
  const dataColumns = s.columns.slice(1).map((header, j): AppendixColumn => {
    return { header, format: columnFormat(t, columnIds(s, j)), width: 16 };
  });
  if (s.total) {
    rows.push([null, TOTAL_LABEL, ...dataColumns.map((_, j) => columnTotal(t, s, j, input.values))]);
  }
  return {
    name,
    title,
    subtitle,
    columns: [
      { header: "TT", format: "integer", width: 6 },
      { header: s.columns[0] ?? "", format: "text", width: 50 },
      ...dataColumns,
    ],
    rows,
  };
}

function periodTableSheet(
  input: AppendixInput,
  s: PeriodTableSection,
  name: string,
  title: string,
  subtitle: string,
): AppendixSheet {
  const { headers, rows, yearCount } = periodTable(input, s);
  const t = input.template;
  const formatOf = (ids: (string | null)[]): AppendixColumn["format"] =>
    columnFormat(
      t,
      ids.filter((id): id is string => id !== null),
    );
  const mains = rows.map((r) => r.rate ?? r.count);
  const counts = rows.map((r) => r.count);
  const rates = rows.map((r) => r.rate);
  const formats = headers.map((_, j) => {
    if (j === 0 || j > 2 * yearCount) return formatOf(mains);
    return j % 2 === 1 ? formatOf(counts) : formatOf(rates);
  });
  return {
    name,
    title,
    subtitle,
    columns: [
      { header: "TT", format: "integer", width: 6 },
      { header: s.label, format: "text", width: 50 },
      ...headers.map((header, j) => ({ header, format: formats[j] ?? "decimal", width: 12 })),
      { header: "Ghi chú", format: "text", width: 16 },
    ],
    rows: rows.map((r, i) => [i + 1, r.label, ...r.cells, null]),
  };
}

/**
 * The Excel appendix: a sheet "Chỉ tiêu" with every indicator (this period, the previous one when
 * given, the target and the percent of it), then a sheet per table of the document.
 */
export function composeAppendix(input: AppendixInput): Appendix {
  const t = input.template;
  const subtitle = `${input.unit.name}, ${periodLabel(input.period)}`;
  const nameOf = sheetNamer();
  const ids = t.indicators.map((i) => i.id);
  const format = columnFormat(t, ids);
  const target = (id: string) => input.targets?.get(id) ?? null;
  const rows = t.indicators.map((ind, i): AppendixCell[] => {
    const value = input.values.get(ind.id) ?? null;
    const goal = target(ind.id);
    return [
      i + 1,
      ind.label,
      ind.unit ?? null,
      value,
      ...(input.previous ? [input.previous.get(ind.id) ?? null] : []),
      goal,
      value === null || goal === null ? null : percentOf(value, goal),
    ];
  });
  const indicatorSheet: AppendixSheet = {
    name: nameOf("Chỉ tiêu"),
    title: appendixTitle(1, "Các chỉ tiêu"),
    subtitle,
    columns: [
      { header: "TT", format: "integer", width: 6 },
      { header: "Chỉ tiêu", format: "text", width: 60 },
      { header: "Đơn vị tính", format: "text", width: 14 },
      { header: "Kỳ này", format, width: 16 },
      ...(input.previous ? [{ header: "Kỳ trước", format, width: 16 }] : []),
      { header: "Chỉ tiêu giao", format, width: 16 },
      { header: "% so với chỉ tiêu", format: "percent" as const, width: 16 },
    ],
    rows,
  };
  const tables = t.sections
    .filter((s): s is TableSection | PeriodTableSection => s.kind === "table" || s.kind === "period_table")
    .map((s, i) => {
      const name = nameOf(unnumbered(s.title));
      const title = appendixTitle(i + 2, s.title);
      return s.kind === "table"
        ? tableSheet(input, s, name, title, subtitle)
        : periodTableSheet(input, s, name, title, subtitle);
    });
  return { sheets: [indicatorSheet, ...tables] };
}
