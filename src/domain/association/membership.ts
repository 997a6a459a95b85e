/**
 * The Study Promotion Association's membership (Hội Khuyến học): chapters, their yearly figures,
 * the commune's population and what is counted from them. Pure: no I/O.
 *
 * Every commune and province has its Association body (implicit: the body of a unit is the unit).
 * Chapters belong to a body: village chapters (chi hội thôn/tổ dân phố), school associations,
 * Ban khuyến học in agencies and enterprises, clans that run their own study promotion (dòng họ
 * khuyến học). A chapter reports, per calendar year, its members (of whom women and those who
 * joined during the year) and the dues it collected (integer đồng).
 */

export const CHAPTER_KINDS = ["village", "school", "agency", "enterprise", "clan", "other"] as const;
export type ChapterKind = (typeof CHAPTER_KINDS)[number];

export const CHAPTER_KIND_LABELS_VI: Record<ChapterKind, string> = {
  village: "Chi hội thôn/tổ dân phố",
  school: "Chi hội (Hội) khuyến học trường học",
  agency: "Ban khuyến học cơ quan",
  enterprise: "Ban khuyến học doanh nghiệp",
  clan: "Dòng họ/Dòng tộc khuyến học",
  other: "Khác",
};

/** The org-unit kind a chapter of this kind may be linked to (clans link to the registry instead). */
export const LINKED_UNIT_KIND: Partial<Record<ChapterKind, string>> = {
  village: "village",
  school: "school",
  agency: "agency",
  enterprise: "enterprise",
};

/** Kinds of unit that have an Association body, and the chapter kinds each may hold. */
export const BODY_CHAPTER_KINDS: Record<"commune" | "province", readonly ChapterKind[]> = {
  commune: CHAPTER_KINDS,
  // A province's body holds the Ban khuyến học of provincial agencies, schools and enterprises.
  province: ["school", "agency", "enterprise", "other"],
};

export const isBodyKind = (kind: string): kind is "commune" | "province" =>
  kind === "commune" || kind === "province";

/** Largest count accepted anywhere (the database CHECKs the same bound). */
export const MAX_COUNT = 10_000_000;
/** Largest amount of dues per chapter and year, in đồng (2^53 − 1, exact as a JSON number). */
export const MAX_DUES = 9_007_199_254_740_991;
export const MAX_POPULATION = 100_000_000;

export interface Problem<F extends string> {
  field: F;
  message: string;
}

const isWhole = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0;

// ─── A chapter ─────────────────────────────────────────────────────────────────────────

export interface ChapterFacts {
  foundedOn: string | null;
  dissolvedOn: string | null;
}

/** Dates of a chapter: not in the future, dissolution not before founding. */
export function chapterDateProblems(c: ChapterFacts, today: string): Problem<"foundedOn" | "dissolvedOn">[] {
  const out: Problem<"foundedOn" | "dissolvedOn">[] = [];
  if (c.foundedOn && c.foundedOn > today) {
    out.push({ field: "foundedOn", message: "Ngày thành lập không được sau hôm nay." });
  }
  if (c.dissolvedOn && c.dissolvedOn > today) {
    out.push({ field: "dissolvedOn", message: "Ngày giải thể không được sau hôm nay." });
  }
  if (c.foundedOn && c.dissolvedOn && c.dissolvedOn < c.foundedOn) {
    out.push({ field: "dissolvedOn", message: "Ngày giải thể không được trước ngày thành lập." });
  }
  return out;
}

/**
 * Why a chapter may not have figures for `year`, or null: a chapter founded after the year or
 * dissolved before it did not exist then.
 */
export function yearOutsideLife(c: ChapterFacts, year: number): string | null {
  if (c.foundedOn && Number(c.foundedOn.slice(0, 4)) > year) {
    return `Chi hội thành lập năm ${c.foundedOn.slice(0, 4)}, không nhập được số liệu năm ${year}.`;
  }
  if (c.dissolvedOn && Number(c.dissolvedOn.slice(0, 4)) < year) {
    return `Chi hội đã giải thể năm ${c.dissolvedOn.slice(0, 4)}, không nhập được số liệu năm ${year}.`;
  }
  return null;
}

// ─── A chapter's year ──────────────────────────────────────────────────────────────────

export interface YearFigures {
  members: number;
  female: number;
  newMembers: number;
  dues: number;
}
type YearField = keyof YearFigures;

/**
 * The checks across fields (more women or new members than members), on values that may not have
 * passed their own checks yet: each rule speaks only when the fields it compares are well-formed,
 * so a form gets every message at once.
 */
export function yearConsistencyProblems(f: Partial<Record<YearField, unknown>>): Problem<YearField>[] {
  const out: Problem<YearField>[] = [];
  if (isWhole(f.members) && isWhole(f.female) && f.female > f.members) {
    out.push({ field: "female", message: "Số hội viên nữ không được lớn hơn tổng số hội viên." });
  }
  if (isWhole(f.members) && isWhole(f.newMembers) && f.newMembers > f.members) {
    out.push({
      field: "newMembers",
      message: "Số hội viên mới kết nạp không được lớn hơn tổng số hội viên.",
    });
  }
  return out;
}

/** Everything wrong with a chapter's figures for a year, in plain Vietnamese; empty when all is well. */
export function yearFigureProblems(f: Partial<Record<YearField, unknown>>): Problem<YearField>[] {
  const out: Problem<YearField>[] = [];
  const count = (field: YearField, what: string) => {
    const v = f[field];
    if (typeof v !== "number" || !Number.isFinite(v)) out.push({ field, message: `${what} phải là một số.` });
    else if (!Number.isInteger(v) || v < 0)
      out.push({ field, message: `${what} phải là số nguyên không âm.` });
    else if (v > MAX_COUNT) out.push({ field, message: `${what} quá lớn.` });
  };
  count("members", "Số hội viên");
  count("female", "Số hội viên nữ");
  count("newMembers", "Số hội viên mới kết nạp");
  const d = f.dues;
  if (typeof d !== "number" || !Number.isFinite(d)) {
    out.push({ field: "dues", message: "Hội phí phải là một số nguyên đồng, ví dụ 1500000." });
  } else if (!Number.isInteger(d)) {
    out.push({ field: "dues", message: "Hội phí phải là số nguyên đồng, không có phần thập phân." });
  } else if (d < 0) out.push({ field: "dues", message: "Hội phí không được âm." });
  else if (d > MAX_DUES) out.push({ field: "dues", message: "Hội phí quá lớn." });
  return [...yearConsistencyProblems(f), ...out];
}

export function populationProblems(population: unknown): Problem<"population">[] {
  if (typeof population !== "number" || !Number.isFinite(population)) {
    return [{ field: "population", message: "Dân số phải là một số, ví dụ 12500." }];
  }
  if (!Number.isInteger(population) || population < 1) {
    return [{ field: "population", message: "Dân số phải là số nguyên lớn hơn 0." }];
  }
  if (population > MAX_POPULATION) return [{ field: "population", message: "Dân số quá lớn." }];
  return [];
}

// ─── What is counted ───────────────────────────────────────────────────────────────────

/** period ('2024') → metric → n: the whole contribution of one record to the counters. */
export type Contribution = Map<string, Map<string, number>>;

function add(into: Contribution, period: string, metric: string, n: number) {
  const m = into.get(period) ?? new Map<string, number>();
  m.set(metric, (m.get(metric) ?? 0) + n);
  into.set(period, m);
}

export interface CountedChapter {
  kind: ChapterKind;
  foundedOn: string | null;
  dissolvedOn: string | null;
  /** The figures it has, by year. */
  years: readonly ({ year: number } & YearFigures)[];
  /** Years for which the chapter's commune has a population (its members are then "covered"). */
  coveredYears: ReadonlySet<number>;
}

/**
 * What one chapter contributes to the counters of its body's unit and every ancestor: per year of
 * figures, members/female/new_members/dues and one reporting chapter (of its kind); members in a
 * commune that has a population for the year also as members_covered (the numerator of the share
 * of population); by the year of its founding, one new chapter (of its kind); by the year of its
 * dissolution, one dissolved chapter. A write applies after − before.
 */
export function chapterContribution(c: CountedChapter): Contribution {
  const out: Contribution = new Map();
  for (const y of c.years) {
    const p = String(y.year);
    add(out, p, "members", y.members);
    add(out, p, "female", y.female);
    add(out, p, "new_members", y.newMembers);
    add(out, p, "dues", y.dues);
    add(out, p, "chapters", 1);
    add(out, p, `chapters:${c.kind}`, 1);
    if (c.coveredYears.has(y.year)) add(out, p, "members_covered", y.members);
  }
  if (c.foundedOn) {
    const p = c.foundedOn.slice(0, 4);
    add(out, p, "new_chapters", 1);
    add(out, p, `new_chapters:${c.kind}`, 1);
  }
  if (c.dissolvedOn) add(out, c.dissolvedOn.slice(0, 4), "dissolved_chapters", 1);
  return out;
}

/** A commune's population for a year: its population and one commune that has one. */
export function populationContribution(year: number, population: number | null): Contribution {
  const out: Contribution = new Map();
  if (population !== null) {
    add(out, String(year), "population", population);
    add(out, String(year), "population_units", 1);
  }
  return out;
}

/** after − before, metric by metric (zero deltas kept, so a later decrement finds its row). */
export function contributionDelta(before: Contribution, after: Contribution): Contribution {
  const out: Contribution = new Map();
  for (const [p, m] of before) for (const [k, n] of m) add(out, p, k, -n);
  for (const [p, m] of after) for (const [k, n] of m) add(out, p, k, n);
  return out;
}

// ─── Reading ───────────────────────────────────────────────────────────────────────────

export interface ShareOfPopulation {
  /** Members of the communes that have a population, over their population; null without one. */
  percent: number | null;
  /** Communes with a population for the year, and communes in all. */
  communesWithPopulation: number;
  communes: number;
  complete: boolean;
}

/**
 * Members as a share of the population. At a commune: its members over its population. Above:
 * only the communes that entered a population count, on both sides of the fraction, and the
 * result says how many of how many communes that is: never a complete-looking figure built on
 * missing data.
 */
export function shareOfPopulation(f: {
  membersCovered: number;
  population: number;
  communesWithPopulation: number;
  communes: number;
}): ShareOfPopulation {
  return {
    percent: f.population > 0 ? (f.membersCovered / f.population) * 100 : null,
    communesWithPopulation: f.communesWithPopulation,
    communes: f.communes,
    complete: f.communes > 0 && f.communesWithPopulation >= f.communes,
  };
}
