/**
 * Reporting periods, one module for every report and counter. Pure: no I/O.
 *
 * Six kinds, all made of whole months of Vietnam calendar dates (YYYY-MM-DD, see `dates.ts`):
 *
 * | kind             | code          | days (inclusive)          | label                                     |
 * | ---------------- | ------------- | ------------------------- | ----------------------------------------- |
 * | `year`           | `2024`        | 2024-01-01 … 2024-12-31   | Năm 2024                                  |
 * | `quarter`        | `2024-Q1`     | 2024-01-01 … 2024-03-31   | Quý I/2024                                |
 * | `half_year`      | `2024-H1`     | 2024-01-01 … 2024-06-30   | 6 tháng đầu năm 2024                      |
 * | `reporting_year` | `RY2024-11`   | 2023-11-01 … 2024-10-31   | Năm 2024 (từ 01/11/2023 đến 31/10/2024)   |
 * | `school_year`    | `2024-2025`   | 2024-09-01 … 2025-08-31   | Năm học 2024-2025                         |
 * | `phase`          | `GD2021-2025` | 2021-01-01 … 2025-12-31   | Giai đoạn 2021-2025                       |
 *
 * A code names exactly one period and a period has exactly one code, so codes serve as URL
 * parameters and as the `period` of the counter tables. '2024' and '2024-2025' are the codes the
 * centres' counters already use (`centres/activities.ts`), and `{ kind: "year", year }` and
 * `{ kind: "school_year", startYear }` have the same shape as the centres' `Period`.
 *
 * A reporting year starts on the first day of its start month and is named after the calendar
 * year it ENDS in, as the fund names its years (`fund/ledger.ts`): start month 11, named 2024,
 * runs 2023-11-01 … 2024-10-31. Seed 000 writes "năm 2024 (Tính từ 1/11/2023 đến 30/10/2024)";
 * October has 31 days, so 30/10 is not the year's last day: it is the report's cut-off (the
 * report is dated 01/11/2024), or a slip. Our year ends on 31/10, so that the next year starts
 * on 1/11 and no day belongs to no year. Start month 1 is the calendar year itself: that period
 * is `{ kind: "year" }` (code '2024'), never a reporting year, so no day range has two codes of
 * the same meaning; `reportingYear(2024, 1)` and `periodOf("reporting_year", d, { startMonth: 1 })`
 * return the calendar year. (A reporting year starting in September has the days of a school
 * year but another name and label, "Năm 2025 (từ 01/09/2024 đến 31/08/2025)": it is a different
 * series and keeps its own code.)
 *
 * A phase (giai đoạn) is a run of whole calendar years, first and last, 2 to 20 years long.
 * Phases may overlap (2012–2020 contains 2016–2020), so a date has no single phase: ask
 * `phasesOf(periodOf("year", date))`.
 *
 * Years: every day of a period lies in 1900 … 2199; a function that would produce a period
 * outside these years (the previous period of 1900) throws a RangeError.
 */
import { formatDateShort } from "./format.ts";

export type YearPeriod = { readonly kind: "year"; readonly year: number };
export type QuarterPeriod = {
  readonly kind: "quarter";
  readonly year: number;
  readonly quarter: 1 | 2 | 3 | 4;
};
export type HalfYearPeriod = { readonly kind: "half_year"; readonly year: number; readonly half: 1 | 2 };
/** `year` is the calendar year it ends in; `startMonth` 2–12 (1 is the calendar year, `YearPeriod`). */
export type ReportingYearPeriod = {
  readonly kind: "reporting_year";
  readonly year: number;
  readonly startMonth: number;
};
/** 1 September `startYear` – 31 August `startYear + 1`, named "2024-2025". */
export type SchoolYearPeriod = { readonly kind: "school_year"; readonly startYear: number };
/** 1 January `firstYear` – 31 December `lastYear`. */
export type PhasePeriod = { readonly kind: "phase"; readonly firstYear: number; readonly lastYear: number };

export type Period =
  | YearPeriod
  | QuarterPeriod
  | HalfYearPeriod
  | ReportingYearPeriod
  | SchoolYearPeriod
  | PhasePeriod;

export type PeriodKind = Period["kind"];
/** The kinds that follow one another without gap or overlap: a date is in exactly one of each. */
export type SerialKind = Exclude<PeriodKind, "phase">;
export const SERIAL_KINDS: readonly SerialKind[] = [
  "year",
  "quarter",
  "half_year",
  "reporting_year",
  "school_year",
];

/** First and last day, inclusive, as YYYY-MM-DD (the shape of the fund's `fiscalYearRange`). */
export interface DateRange {
  from: string;
  to: string;
}

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;
export const MAX_PHASE_YEARS = 20;

/**
 * The official phases of the learning-society programmes: 2012–2020 (Đề án "Xây dựng xã hội học
 * tập giai đoạn 2012-2020", QĐ 89/QĐ-TTg ngày 09/01/2013, seed 003), 2016–2020 (its second half,
 * seed 003's "THỰC HIỆN GIAI ĐOẠN 2016-2020" column) and 2021–2025, 2026–2030 (the halves of
 * 2021–2030, seed 003's "DỰ KIẾN GIAI ĐOẠN" columns). Other phases are valid periods too.
 */
export const OFFICIAL_PHASES: readonly PhasePeriod[] = Object.freeze(
  [
    [2012, 2020],
    [2016, 2020],
    [2021, 2025],
    [2026, 2030],
  ].map(
    ([firstYear, lastYear]) => Object.freeze({ kind: "phase" as const, firstYear, lastYear }) as PhasePeriod,
  ),
);

// ─── Constructors ───────────────────────────────────────────────────────────────────────

/** The reporting year ending in `year` that starts in `startMonth`; the calendar year for month 1. */
export function reportingYear(year: number, startMonth: number): YearPeriod | ReportingYearPeriod {
  return startMonth === 1 ? { kind: "year", year } : { kind: "reporting_year", year, startMonth };
}

export function phase(firstYear: number, lastYear: number): PhasePeriod {
  return { kind: "phase", firstYear, lastYear };
}

// ─── Validation, codes, labels ──────────────────────────────────────────────────────────

const isInt = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n);
const pad2 = (n: number) => String(n).padStart(2, "0");
const YEARS_MESSAGE = `Kỳ báo cáo phải nằm trong các năm từ ${MIN_YEAR} đến ${MAX_YEAR}.`;

/**
 * What is wrong with a period (built by hand or read from JSON), in plain Vietnamese; null when
 * it is a valid period. `parsePeriod` applies the same checks to a code.
 */
export function periodProblem(p: Period): string | null {
  switch (p.kind) {
    case "year":
      if (!isInt(p.year)) return "Năm phải là số nguyên.";
      break;
    case "quarter":
      if (!isInt(p.year)) return "Năm phải là số nguyên.";
      if (!isInt(p.quarter) || p.quarter < 1 || p.quarter > 4) return "Quý phải từ 1 đến 4.";
      break;
    case "half_year":
      if (!isInt(p.year)) return "Năm phải là số nguyên.";
      if (p.half !== 1 && p.half !== 2) {
        return "Nửa năm phải là 1 (6 tháng đầu năm) hoặc 2 (6 tháng cuối năm).";
      }
      break;
    case "reporting_year":
      if (!isInt(p.year)) return "Năm phải là số nguyên.";
      if (!isInt(p.startMonth) || p.startMonth < 1 || p.startMonth > 12) {
        return "Tháng bắt đầu của năm báo cáo phải từ 1 đến 12.";
      }
      if (p.startMonth === 1) {
        return `Năm báo cáo bắt đầu từ tháng 1 chính là năm ${p.year}: dùng mã ${p.year}.`;
      }
      break;
    case "school_year":
      if (!isInt(p.startYear)) return "Năm học phải bắt đầu bằng một năm (số nguyên).";
      break;
    case "phase": {
      if (!isInt(p.firstYear) || !isInt(p.lastYear)) {
        return "Năm đầu và năm cuối giai đoạn phải là số nguyên.";
      }
      const years = p.lastYear - p.firstYear + 1;
      if (years < 1) return "Năm cuối của giai đoạn không được trước năm đầu.";
      if (years === 1) return `Giai đoạn một năm chính là năm ${p.firstYear}: dùng mã ${p.firstYear}.`;
      if (years > MAX_PHASE_YEARS) return `Một giai đoạn dài tối đa ${MAX_PHASE_YEARS} năm.`;
      break;
    }
    default:
      return "Loại kỳ báo cáo không hợp lệ.";
  }
  const [first, last] = yearBounds(p);
  return first < MIN_YEAR || last > MAX_YEAR ? YEARS_MESSAGE : null;
}

/** The period's code: '2024', '2024-Q1', '2024-H2', 'RY2024-11', '2024-2025', 'GD2021-2025'. */
export function periodCode(p: Period): string {
  switch (p.kind) {
    case "year":
      return String(p.year);
    case "quarter":
      return `${p.year}-Q${p.quarter}`;
    case "half_year":
      return `${p.year}-H${p.half}`;
    case "reporting_year":
      return `RY${p.year}-${pad2(p.startMonth)}`;
    case "school_year":
      return `${p.startYear}-${p.startYear + 1}`;
    case "phase":
      return `GD${p.firstYear}-${p.lastYear}`;
  }
}

export type ParsedPeriod = { ok: true; period: Period } | { ok: false; message: string };

const CODE_FORMS =
  "2024 (năm), 2024-Q1 (quý), 2024-H1 (6 tháng), RY2024-11 (năm báo cáo kết thúc năm 2024, bắt đầu từ tháng 11), 2024-2025 (năm học), GD2021-2025 (giai đoạn)";

/** A period from its code (exactly as `periodCode` writes it), or why the code is not one. */
export function parsePeriod(code: string): ParsedPeriod {
  const period = periodFromCode(code);
  if (typeof period === "string") return { ok: false, message: period };
  const problem = periodProblem(period);
  return problem ? { ok: false, message: problem } : { ok: true, period };
}

function periodFromCode(code: string): Period | string {
  const year = /^(\d{4})$/.exec(code);
  if (year) return { kind: "year", year: Number(year[1]) };
  const quarter = /^(\d{4})-Q(\d)$/.exec(code);
  if (quarter) {
    return {
      kind: "quarter",
      year: Number(quarter[1]),
      quarter: Number(quarter[2]) as QuarterPeriod["quarter"],
    };
  }
  const half = /^(\d{4})-H(\d)$/.exec(code);
  if (half)
    return { kind: "half_year", year: Number(half[1]), half: Number(half[2]) as HalfYearPeriod["half"] };
  const reporting = /^RY(\d{4})-(\d{2})$/.exec(code);
  if (reporting)
    return { kind: "reporting_year", year: Number(reporting[1]), startMonth: Number(reporting[2]) };
  const school = /^(\d{4})-(\d{4})$/.exec(code);
  if (school) {
    const [first, second] = [Number(school[1]), Number(school[2])];
    if (second !== first + 1) {
      const asPhase = second > first + 1 ? `; một giai đoạn nhiều năm viết GD${first}-${second}` : "";
      return `Năm học gồm hai năm liền nhau, ví dụ ${first}-${first + 1}${asPhase}.`;
    }
    return { kind: "school_year", startYear: first };
  }
  const gd = /^GD(\d{4})-(\d{4})$/.exec(code);
  if (gd) return { kind: "phase", firstYear: Number(gd[1]), lastYear: Number(gd[2]) };
  return `Mã kỳ báo cáo không hợp lệ: "${code}". Dùng một trong các dạng: ${CODE_FORMS}.`;
}

const ROMAN = ["I", "II", "III", "IV"] as const;

/** The period as the reports write it: "Quý I/2024", "6 tháng đầu năm 2024", "Năm học 2024-2025"… */
export function periodLabel(p: Period): string {
  switch (p.kind) {
    case "year":
      return `Năm ${p.year}`;
    case "quarter":
      return `Quý ${ROMAN[p.quarter - 1]}/${p.year}`;
    case "half_year":
      return `6 tháng ${p.half === 1 ? "đầu" : "cuối"} năm ${p.year}`;
    case "reporting_year": {
      const { from, to } = periodRange(p);
      return `Năm ${p.year} (từ ${formatDateShort(from)} đến ${formatDateShort(to)})`;
    }
    case "school_year":
      return `Năm học ${p.startYear}-${p.startYear + 1}`;
    case "phase":
      return `Giai đoạn ${p.firstYear}-${p.lastYear}`;
  }
}

// ─── Days ───────────────────────────────────────────────────────────────────────────────

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `months` whole months from the first day of (year, month). */
function monthSpan(year: number, month: number, months: number): DateRange {
  const end = year * 12 + (month - 1) + months - 1;
  const endYear = Math.floor(end / 12);
  const endMonth = (end % 12) + 1;
  return {
    from: `${year}-${pad2(month)}-01`,
    to: `${endYear}-${pad2(endMonth)}-${pad2(lastDayOfMonth(endYear, endMonth))}`,
  };
}

/** First and last day (inclusive, YYYY-MM-DD) of a period. */
export function periodRange(p: Period): DateRange {
  switch (p.kind) {
    case "year":
      return monthSpan(p.year, 1, 12);
    case "quarter":
      return monthSpan(p.year, p.quarter * 3 - 2, 3);
    case "half_year":
      return monthSpan(p.year, p.half * 6 - 5, 6);
    case "reporting_year":
      return monthSpan(p.startMonth === 1 ? p.year : p.year - 1, p.startMonth, 12);
    case "school_year":
      return monthSpan(p.startYear, 9, 12);
    case "phase":
      return monthSpan(p.firstYear, 1, (p.lastYear - p.firstYear + 1) * 12);
  }
}

/** Is `date` (YYYY-MM-DD) one of the period's days? */
export function contains(p: Period, date: string): boolean {
  const { from, to } = periodRange(p);
  return from <= date && date <= to;
}

/** Does every day of `inner` belong to `outer`? (A period is within itself.) */
export function isWithin(inner: Period, outer: Period): boolean {
  const i = periodRange(inner);
  const o = periodRange(outer);
  return o.from <= i.from && i.to <= o.to;
}

/** The calendar years a period touches: a reporting year 2024 from November → [2023, 2024]. */
export function yearsOf(p: Period): number[] {
  const [first, last] = yearBounds(p);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The calendar years of a period's first and last days. */
function yearBounds(p: Period): [number, number] {
  switch (p.kind) {
    case "year":
    case "quarter":
    case "half_year":
      return [p.year, p.year];
    case "reporting_year":
      return p.startMonth === 1 ? [p.year, p.year] : [p.year - 1, p.year];
    case "school_year":
      return [p.startYear, p.startYear + 1];
    case "phase":
      return [p.firstYear, p.lastYear];
  }
}

// ─── Finding and moving ─────────────────────────────────────────────────────────────────

function checkDate(date: string): { y: number; m: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const y = Number(match?.[1]);
  const m = Number(match?.[2]);
  const d = Number(match?.[3]);
  if (!match || m < 1 || m > 12 || d < 1 || d > lastDayOfMonth(y, m)) {
    throw new RangeError(`Ngày không hợp lệ: ${date} (cần dạng YYYY-MM-DD).`);
  }
  return { y, m };
}

function bounded<P extends Period>(p: P): P {
  const [first, last] = yearBounds(p);
  if (first < MIN_YEAR || last > MAX_YEAR) throw new RangeError(YEARS_MESSAGE);
  return p;
}

function unboundedPeriodOf(kind: SerialKind, y: number, m: number, startMonth: number | undefined): Period {
  switch (kind) {
    case "year":
      return { kind: "year", year: y };
    case "quarter":
      return { kind: "quarter", year: y, quarter: Math.ceil(m / 3) as QuarterPeriod["quarter"] };
    case "half_year":
      return { kind: "half_year", year: y, half: m <= 6 ? 1 : 2 };
    case "reporting_year": {
      if (!isInt(startMonth) || startMonth < 1 || startMonth > 12) {
        throw new RangeError("Tháng bắt đầu của năm báo cáo phải từ 1 đến 12.");
      }
      return reportingYear(startMonth > 1 && m >= startMonth ? y + 1 : y, startMonth);
    }
    case "school_year":
      return { kind: "school_year", startYear: m >= 9 ? y : y - 1 };
  }
}

/**
 * The period of a kind that contains `date` (YYYY-MM-DD). A reporting year needs its start
 * month; with start month 1 it is the calendar year. Phases overlap, so there is no phase of a
 * date: use `phasesOf`.
 */
export function periodOf(kind: "reporting_year", date: string, opts: { startMonth: number }): Period;
export function periodOf<K extends Exclude<SerialKind, "reporting_year">>(
  kind: K,
  date: string,
): Extract<Period, { kind: K }>;
export function periodOf(kind: SerialKind, date: string, opts?: { startMonth: number }): Period;
export function periodOf(kind: SerialKind, date: string, opts?: { startMonth: number }): Period {
  const { y, m } = checkDate(date);
  return bounded(unboundedPeriodOf(kind, y, m, opts?.startMonth));
}

function shift(p: Period, steps: number): Period {
  switch (p.kind) {
    case "year":
      return { kind: "year", year: p.year + steps };
    case "quarter": {
      const n = p.year * 4 + (p.quarter - 1) + steps;
      return { kind: "quarter", year: Math.floor(n / 4), quarter: ((n % 4) + 1) as QuarterPeriod["quarter"] };
    }
    case "half_year": {
      const n = p.year * 2 + (p.half - 1) + steps;
      return { kind: "half_year", year: Math.floor(n / 2), half: ((n % 2) + 1) as HalfYearPeriod["half"] };
    }
    case "reporting_year":
      return { kind: "reporting_year", year: p.year + steps, startMonth: p.startMonth };
    case "school_year":
      return { kind: "school_year", startYear: p.startYear + steps };
    case "phase": {
      const length = p.lastYear - p.firstYear + 1;
      return {
        kind: "phase",
        firstYear: p.firstYear + steps * length,
        lastYear: p.lastYear + steps * length,
      };
    }
  }
}

/**
 * The period just before, of the same kind, ending the day before this one starts: 2024-Q1 →
 * 2023-Q4, a school year → the one before. For a phase: the phase of the same length that ends
 * the year before it starts (2021–2025 → 2016–2020, 2026–2030 → 2021–2025; 2012–2020 → 2003–2011,
 * which is not an official phase).
 */
export function previousPeriod<P extends Period>(p: P): P {
  return bounded(shift(p, -1) as P);
}

/** The period just after, of the same kind, starting the day after this one ends. */
export function nextPeriod<P extends Period>(p: P): P {
  return bounded(shift(p, 1) as P);
}

/**
 * The same period a year earlier, what "so với cùng kỳ năm trước" compares with: 2024-Q2 →
 * 2023-Q2, 6 tháng đầu năm 2024 → 6 tháng đầu năm 2023; for a year, a reporting year or a school
 * year it is the previous period. A phase has no "same phase last year": reports compare a phase
 * with the one before it (seed 003 sets 2016–2020 beside 2021–2025), so this returns the previous
 * phase of the same length, as `previousPeriod` does.
 */
export function samePeriodLastYear<P extends Period>(p: P): P {
  if (p.kind === "quarter") return bounded({ ...p, year: p.year - 1 });
  if (p.kind === "half_year") return bounded({ ...p, year: p.year - 1 });
  return previousPeriod(p);
}

/**
 * The official phases a period lies within, narrowest first: 2018 → 2016–2020, 2012–2020;
 * 2014 → 2012–2020; school year 2020-2021 → none (it runs into 2021).
 */
export function phasesOf(p: Period): PhasePeriod[] {
  return OFFICIAL_PHASES.filter((ph) => isWithin(p, ph)).sort(
    (a, b) => a.lastYear - a.firstYear - (b.lastYear - b.firstYear) || a.firstYear - b.firstYear,
  );
}

/**
 * The periods of a kind that lie within `outer`, in order: the quarters of a year, the years or
 * school years of a phase. They tile `outer` exactly when its bounds fall on theirs (quarters,
 * half-years and years of a year or phase; quarters of a half-year); otherwise they are the whole
 * ones inside: the school years of 2016–2020 are 2016-2017 … 2019-2020, as seed 003 lists them,
 * and a reporting year from November holds the calendar quarters 1–3 of its year.
 */
export function childPeriods(outer: Period, kind: "reporting_year", opts: { startMonth: number }): Period[];
export function childPeriods<K extends Exclude<SerialKind, "reporting_year">>(
  outer: Period,
  kind: K,
): Extract<Period, { kind: K }>[];
export function childPeriods(outer: Period, kind: SerialKind, opts?: { startMonth: number }): Period[];
export function childPeriods(outer: Period, kind: SerialKind, opts?: { startMonth: number }): Period[] {
  const { from, to } = periodRange(outer);
  const { y, m } = checkDate(from);
  let child = unboundedPeriodOf(kind, y, m, opts?.startMonth);
  if (periodRange(child).from < from) child = shift(child, 1);
  const out: Period[] = [];
  while (periodRange(child).to <= to) {
    out.push(child);
    child = shift(child, 1);
  }
  return out;
}

// ─── Month buckets ─────────────────────────────────────────────────────────────────────
// Every period is made of whole months, so a flow counted per month (classes held, people
// taking part) can be read for any period by adding its months: a quarter, a half-year, a
// reporting year starting in any month. A month bucket is a counter key, not a period:
// 'M2024-03' is March 2024; `parsePeriod` does not accept it.

/** The month bucket of a date (YYYY-MM-DD): 'M2024-03'. */
export function monthBucket(date: string): string {
  return `M${date.slice(0, 7)}`;
}

/** The month buckets of a period, first to last (a year has 12, a phase 12 per year). */
export function monthBuckets(p: Period): string[] {
  const { from, to } = periodRange(p);
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    out.push(`M${key}`);
    if (key >= last) return out;
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
}
