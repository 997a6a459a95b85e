/**
 * DHIS2's period identifiers and XHHT's periods (`../periods.ts`), both ways. Pure: no I/O.
 *
 * | DHIS2 period type | identifier   | days                      | XHHT period                |
 * | ----------------- | ------------ | ------------------------- | -------------------------- |
 * | Yearly            | `2024`       | 2024-01-01 … 2024-12-31   | year `2024`                |
 * | Quarterly         | `2024Q1`     | 2024-01-01 … 2024-03-31   | quarter `2024-Q1`          |
 * | SixMonthly        | `2024S1`     | 2024-01-01 … 2024-06-30   | half-year `2024-H1`        |
 * | FinancialApril    | `2024April`  | 2024-04-01 … 2025-03-31   | reporting year `RY2025-04` |
 * | FinancialJuly     | `2024July`   | 2024-07-01 … 2025-06-30   | reporting year `RY2025-07` |
 * | FinancialOct      | `2024Oct`    | 2024-10-01 … 2025-09-30   | reporting year `RY2025-10` |
 * | FinancialNov      | `2024Nov`    | 2023-11-01 … 2024-10-31   | reporting year `RY2024-11` |
 *
 * DHIS2 names its April, July and October financial years after the year they START in, but
 * FinancialNov after the year it ENDS in (2025Nov = 1 November 2024 – 31 October 2025, as the
 * DHIS2 server computes it); XHHT names every reporting year after the year it ends in (as the
 * fund does), so seed 000's Association year 1/11/2023–31/10/2024 is XHHT RY2024-11 and DHIS2
 * 2024Nov.
 *
 * XHHT keeps no daily, weekly, monthly or bi-monthly figures, and no periods starting in November
 * shorter than a year, so those DHIS2 periods are refused with a message saying why; XHHT's school
 * years and multi-year phases have no DHIS2 period type (`toDhis2Period` gives null), nor do
 * reporting years starting in another month (DHIS2's newer FinancialSep, FinancialFeb and
 * FinancialAug are not read: their naming could not be checked).
 */
import { MAX_YEAR, MIN_YEAR, type Period, periodProblem } from "../periods.ts";

export type Dhis2Period = { ok: true; period: Period } | { ok: false; message: string };

/** DHIS2 financial-year suffixes XHHT reads, their start month, and whether the id names the end year. */
const FINANCIAL: Record<string, { startMonth: number; namesEndYear: boolean }> = {
  April: { startMonth: 4, namesEndYear: false },
  July: { startMonth: 7, namesEndYear: false },
  Oct: { startMonth: 10, namesEndYear: false },
  Nov: { startMonth: 11, namesEndYear: true },
};
const SUFFIX_OF_MONTH = new Map(Object.entries(FINANCIAL).map(([suffix, f]) => [f.startMonth, suffix]));

const FORMS =
  "2024 (năm), 2024Q1 (quý), 2024S1 (6 tháng), 2024Nov (năm tài chính từ tháng 11/2023 đến tháng 10/2024), 2024April, 2024July, 2024Oct";

const UNSUPPORTED: readonly [RegExp, string][] = [
  [/^\d{8}$/, "theo ngày"],
  [/^\d{4}(Wed|Thu|Sat|Sun|Bi)?W\d{1,2}$/, "theo tuần"],
  [/^\d{6}$/, "theo tháng"],
  [/^\d{6}B$/, "theo hai tháng"],
  [/^\d{4}(April|Nov)S[12]$/, "6 tháng bắt đầu từ tháng 4 hoặc tháng 11"],
  [/^\d{4}NovQ[1-4]$/, "quý bắt đầu từ tháng 11"],
  [/^\d{4}(Sep|Feb|Aug)$/, "năm tài chính bắt đầu từ tháng 9, tháng 2 hoặc tháng 8"],
];

/** The XHHT period of a DHIS2 period identifier, or why XHHT cannot use it (in Vietnamese). */
export function fromDhis2Period(id: string): Dhis2Period {
  const code = id.trim();
  let period: Period | null = null;
  const year = /^(\d{4})$/.exec(code);
  const quarter = /^(\d{4})Q([1-4])$/.exec(code);
  const half = /^(\d{4})S([12])$/.exec(code);
  const financial = /^(\d{4})(April|July|Oct|Nov)$/.exec(code);
  if (year) period = { kind: "year", year: Number(year[1]) };
  else if (quarter) {
    period = { kind: "quarter", year: Number(quarter[1]), quarter: Number(quarter[2]) as 1 | 2 | 3 | 4 };
  } else if (half) period = { kind: "half_year", year: Number(half[1]), half: Number(half[2]) as 1 | 2 };
  else if (financial) {
    const f = FINANCIAL[financial[2] as string] as { startMonth: number; namesEndYear: boolean };
    const named = Number(financial[1]);
    period = { kind: "reporting_year", year: f.namesEndYear ? named : named + 1, startMonth: f.startMonth };
  }
  if (!period) {
    const unsupported = UNSUPPORTED.find(([re]) => re.test(code));
    return {
      ok: false,
      message: unsupported
        ? `XHHT không có số liệu ${unsupported[1]} (kỳ «${code}»). Dùng một trong các dạng: ${FORMS}.`
        : `Kỳ «${code}» không phải mã kỳ DHIS2 mà XHHT đọc được. Dùng một trong các dạng: ${FORMS}.`,
    };
  }
  const problem = periodProblem(period);
  if (problem) return { ok: false, message: `Kỳ «${code}»: ${problem}` };
  return { ok: true, period };
}

/** The DHIS2 identifier of an XHHT period, or null when DHIS2 has no such period type. */
export function toDhis2Period(p: Period): string | null {
  switch (p.kind) {
    case "year":
      return String(p.year);
    case "quarter":
      return `${p.year}Q${p.quarter}`;
    case "half_year":
      return `${p.year}S${p.half}`;
    case "reporting_year": {
      const suffix = SUFFIX_OF_MONTH.get(p.startMonth);
      if (!suffix) return null;
      const named = FINANCIAL[suffix]?.namesEndYear ? p.year : p.year - 1;
      return named < MIN_YEAR || named > MAX_YEAR ? null : `${named}${suffix}`;
    }
    default:
      return null;
  }
}
