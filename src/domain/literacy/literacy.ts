/**
 * Literacy and universal education (xóa mù chữ, phổ cập giáo dục): the rules of a commune's
 * yearly figures. Pure: no I/O; the API, the Excel export and the web form's live preview all
 * use these functions.
 *
 * A commune enters three DISJOINT age bands (15–25, 26–35, 36–60 — the rows of seed 003's
 * appendix): the population of the band, the people literate at level 1 (biết chữ mức độ 1) and
 * at level 2 (mức độ 2). The cumulative bands the reports quote (15–35, 15–60) are sums, so they
 * are consistent by construction. Seed 003 (Hòa An, 12/2019) checks this reading:
 *   level 2: 15–25 = 7817/7916, 26–35 = 11959 (appendix), 36–60 = 18315 (appendix);
 *            15–35 = 7817 + 11959 = 19776/20126 ✓, 15–60 = 19776 + 18315 = 38091/39564 ✓;
 *   level 1: 7844/7916, 19925/20126, 39127/39564, so 26–35 = 12081 and 36–60 = 19202, each ≥
 *            its level-2 count (12081 ≥ 11959, 19202 ≥ 18315, 7844 ≥ 7817).
 * Level 2 is the higher standard (it includes level 1's skills), so a band's level-2 literates
 * are a subset of its level-1 literates: level2 ≤ level1 ≤ population, checked per band.
 *
 * Percentages are derived, never typed or stored: two decimals, "99,09%".
 */
import { formatDecimal } from "../format.ts";

export const AGE_BANDS = ["15-25", "26-35", "36-60"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** The bands a report shows: the three entered, then the two cumulative ones (sums). */
export const REPORT_BANDS: readonly { code: string; parts: readonly AgeBand[]; derived: boolean }[] = [
  { code: "15-25", parts: ["15-25"], derived: false },
  { code: "26-35", parts: ["26-35"], derived: false },
  { code: "36-60", parts: ["36-60"], derived: false },
  { code: "15-35", parts: ["15-25", "26-35"], derived: true },
  { code: "15-60", parts: ["15-25", "26-35", "36-60"], derived: true },
];

/** "15-25" → "15–25 tuổi" (en dash, as printed). */
export function bandLabel(code: string): string {
  return `${code.replace("-", "–")} tuổi`;
}

/**
 * The universal-education and literacy standards a commune is recognised as meeting, as data:
 * code → label → highest level. Levels as in Nghị định 20/2014/NĐ-CP: XMC levels 1–2, PCGD
 * tiểu học and THCS levels 1–3, PCGD mầm non for 5-year-olds met or not (level 1). 0 = not met.
 * PCGD THPT is not in that decree and not in the seeds, so it is not listed.
 */
export const STANDARDS = [
  { code: "xmc", label: "Xóa mù chữ", short: "XMC", maxLevel: 2 },
  {
    code: "pcmn5",
    label: "Phổ cập giáo dục mầm non cho trẻ em 5 tuổi",
    short: "PCGD MN 5 tuổi",
    maxLevel: 1,
  },
  { code: "pcth", label: "Phổ cập giáo dục tiểu học", short: "PCTH", maxLevel: 3 },
  { code: "pcthcs", label: "Phổ cập giáo dục trung học cơ sở", short: "PCTHCS", maxLevel: 3 },
] as const;
export type StandardCode = (typeof STANDARDS)[number]["code"];
export const STANDARD_CODES = STANDARDS.map((s) => s.code) as StandardCode[];

/** The largest count a band may hold (a commune has at most a few hundred thousand people). */
export const MAX_COUNT = 10_000_000;

export interface BandFigures {
  population: number;
  level1: number;
  level2: number;
}

export interface LiteracyFigures {
  bands: Record<AgeBand, BandFigures>;
  /** Số người mới biết chữ tiếp tục tham gia giáo dục tiếp tục sau khi biết chữ (null: not known). */
  newlyLiterateContinuing: number | null;
  /** Level met per standard, 0 = not met. */
  standards: Record<StandardCode, number>;
}

export interface LiteracyProblem {
  /** Dotted path of the field, as in the request body: "bands.15-25.level1". */
  field: string;
  message: string;
}

const isCount = (n: unknown): n is number =>
  typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= MAX_COUNT;

const WHAT = {
  population: "Số dân",
  level1: "Số người biết chữ mức độ 1",
  level2: "Số người biết chữ mức độ 2",
};

/**
 * Everything wrong with a year's figures, in plain Vietnamese, on values that may not have passed
 * their own checks yet (each rule speaks only when what it compares is well-formed), so a form
 * shows every message at once beside its cell. Empty when all is well.
 */
export function literacyProblems(input: {
  bands?: Partial<Record<string, Partial<Record<keyof BandFigures, unknown>> | undefined>>;
  newlyLiterateContinuing?: unknown;
  standards?: Partial<Record<string, unknown>>;
}): LiteracyProblem[] {
  const out: LiteracyProblem[] = [];
  for (const band of AGE_BANDS) {
    const b = input.bands?.[band] ?? {};
    const where = bandLabel(band);
    for (const key of ["population", "level1", "level2"] as const) {
      const v = b[key];
      if (typeof v !== "number" || !Number.isFinite(v)) continue; // the schema says "phải là một số"
      if (!Number.isInteger(v) || v < 0) {
        out.push({
          field: `bands.${band}.${key}`,
          message: `${WHAT[key]} (${where}) phải là số nguyên không âm.`,
        });
      } else if (v > MAX_COUNT) {
        out.push({ field: `bands.${band}.${key}`, message: `${WHAT[key]} (${where}) quá lớn.` });
      }
    }
    if (isCount(b.population) && isCount(b.level1) && b.level1 > b.population) {
      out.push({
        field: `bands.${band}.level1`,
        message: `Số người biết chữ mức độ 1 (${where}) không được lớn hơn số dân trong độ tuổi.`,
      });
    }
    if (isCount(b.level1) && isCount(b.level2) && b.level2 > b.level1) {
      out.push({
        field: `bands.${band}.level2`,
        message: `Số người biết chữ mức độ 2 (${where}) không được lớn hơn số người biết chữ mức độ 1 (mức độ 2 là chuẩn cao hơn).`,
      });
    } else if (isCount(b.population) && isCount(b.level2) && !isCount(b.level1) && b.level2 > b.population) {
      out.push({
        field: `bands.${band}.level2`,
        message: `Số người biết chữ mức độ 2 (${where}) không được lớn hơn số dân trong độ tuổi.`,
      });
    }
  }
  const n = input.newlyLiterateContinuing;
  if (typeof n === "number" && !isCount(n)) {
    out.push({
      field: "newlyLiterateContinuing",
      message: "Số người mới biết chữ tiếp tục học phải là số nguyên không âm.",
    });
  }
  for (const s of STANDARDS) {
    const level = input.standards?.[s.code];
    if (level === undefined) continue;
    if (typeof level !== "number" || !Number.isInteger(level) || level < 0 || level > s.maxLevel) {
      out.push({
        field: `standards.${s.code}`,
        message:
          s.maxLevel === 1
            ? `${s.label}: chọn đạt chuẩn hoặc chưa đạt.`
            : `${s.label}: chọn mức độ từ 0 (chưa đạt) đến ${s.maxLevel}.`,
      });
    }
  }
  return out;
}

/**
 * The survey date (thời điểm điều tra, optional) must fall in the record's year and not after
 * today (Vietnam date): seed 003's figures are "thời điểm tháng 12/2019" for 2019.
 */
export function surveyDateProblem(year: number, surveyDate: string | null, today: string): string | null {
  if (surveyDate === null) return null;
  if (surveyDate.slice(0, 4) !== String(year)) return `Thời điểm điều tra phải thuộc năm ${year}.`;
  if (surveyDate > today) return "Thời điểm điều tra không được sau ngày hôm nay.";
  return null;
}

/** A year's figures may be entered for a year that has begun (Vietnam date), from 2000 on. */
export function yearProblem(year: number, today: string): string | null {
  if (!Number.isInteger(year) || year < 2000) return "Năm không hợp lệ.";
  if (year > Number(today.slice(0, 4))) return `Chưa đến năm ${year}: không nhập số liệu trước.`;
  return null;
}

/** part/whole in percent, rounded to two decimals; null when the whole is 0 (a rate of nothing). */
export function percent(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return Math.round((part / whole) * 10_000) / 100;
}

/** 99.09 → "99,09%"; null → "—". */
export function formatRate(p: number | null): string {
  return p === null ? "—" : `${formatDecimal(p, 2)}%`;
}

export interface BandRow {
  code: string;
  label: string;
  derived: boolean;
  population: number;
  level1: number;
  level2: number;
  level1Percent: number | null;
  level2Percent: number | null;
}

/** The five report rows (three entered, two summed) with their percentages. */
export function bandRows(bands: Record<AgeBand, BandFigures>): BandRow[] {
  return REPORT_BANDS.map(({ code, parts, derived }) => {
    const sum = (k: keyof BandFigures) => parts.reduce((s, p) => s + bands[p][k], 0);
    const population = sum("population");
    const level1 = sum("level1");
    const level2 = sum("level2");
    return {
      code,
      label: bandLabel(code),
      derived,
      population,
      level1,
      level2,
      level1Percent: percent(level1, population),
      level2Percent: percent(level2, population),
    };
  });
}

// ─── Counters ──────────────────────────────────────────────────────────────────────────

/** Metric names in literacy_stats. */
export const METRIC = {
  reported: "reported",
  newlyLiterateContinuing: "newly_literate_continuing",
  population: (b: AgeBand) => `population:${b}`,
  level1: (b: AgeBand) => `l1:${b}`,
  level2: (b: AgeBand) => `l2:${b}`,
  /** Communes meeting `code` at level `n` or higher. */
  atLeast: (code: StandardCode, n: number) => `${code}>=${n}`,
} as const;

/** What one commune-year contributes to the counters (to add, or negated to remove). */
export function literacyMetrics(f: LiteracyFigures): Map<string, number> {
  const m = new Map<string, number>([[METRIC.reported, 1]]);
  for (const b of AGE_BANDS) {
    m.set(METRIC.population(b), f.bands[b].population);
    m.set(METRIC.level1(b), f.bands[b].level1);
    m.set(METRIC.level2(b), f.bands[b].level2);
  }
  m.set(METRIC.newlyLiterateContinuing, f.newlyLiterateContinuing ?? 0);
  for (const s of STANDARDS) {
    for (let n = 1; n <= s.maxLevel; n++) m.set(METRIC.atLeast(s.code, n), f.standards[s.code] >= n ? 1 : 0);
  }
  return m;
}

export interface StandardCount {
  code: StandardCode;
  label: string;
  short: string;
  maxLevel: number;
  /** atLeast[n - 1] = communes meeting the standard at level n or higher. */
  atLeast: number[];
}

export interface SummedFigures {
  /** Communes with a record for the year. */
  reported: number;
  rows: BandRow[];
  newlyLiterateContinuing: number;
  standards: StandardCount[];
}

/** The figures of a unit, read back from its counters (metric → n). */
export function figuresFromMetrics(m: ReadonlyMap<string, number>): SummedFigures {
  const get = (k: string) => m.get(k) ?? 0;
  const bands = Object.fromEntries(
    AGE_BANDS.map((b) => [
      b,
      { population: get(METRIC.population(b)), level1: get(METRIC.level1(b)), level2: get(METRIC.level2(b)) },
    ]),
  ) as Record<AgeBand, BandFigures>;
  return {
    reported: get(METRIC.reported),
    rows: bandRows(bands),
    newlyLiterateContinuing: get(METRIC.newlyLiterateContinuing),
    standards: STANDARDS.map((s) => ({
      code: s.code,
      label: s.label,
      short: s.short,
      maxLevel: s.maxLevel,
      atLeast: Array.from({ length: s.maxLevel }, (_, i) => get(METRIC.atLeast(s.code, i + 1))),
    })),
  };
}
