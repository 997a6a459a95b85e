/**
 * What `xhht generate` puts in a database, decided from a seed alone (pure: no I/O). Every
 * commune's plan depends only on the seed and the commune's official code, so a run can stop and
 * resume in any order and still produce the same data; the records inside a commune are drawn in
 * SQL from the same seed (`rowHash` below names the rule both sides follow).
 *
 * Sizes follow DOMAIN.md §11: a commune's size varies tenfold (log-uniform), so a province holds
 * both a mountain commune of a few hundred households and a ward of thousands; rates vary between
 * 40 and 95 % by commune and model.
 */

export const SCALES = ["commune", "province", "national"] as const;
export type Scale = (typeof SCALES)[number];

export interface ScaleTargets {
  /** Communes the run covers: one, one province's, or every commune of the 34 provinces. */
  communes: "one" | "province" | "all";
  /** Mean villages per commune. */
  villagesPerCommune: number;
  /** Mean households per commune. */
  householdsPerCommune: number;
  /** Citizens per household (learning citizens recorded by the commune's officers). */
  citizensPerHousehold: number;
  /** Mean fund entries (receipts and payments) per commune and year. */
  fundEntriesPerCommuneYear: number;
  /** Mean centre activities per commune and year. */
  activitiesPerCommuneYear: number;
}

/**
 * The figures: commune ~10 villages, ~3,000 households, ~7,000 citizens; province ~3,000
 * villages, ~800,000 households, ~2 million citizens (a province of about 100 communes); national
 * 3,321 communes, ~100,000 villages, ~27 million households, ~60 million citizens, ~1 million
 * centre activities and ~5 million fund entries over the two years.
 */
export const SCALE_TARGETS: Record<Scale, ScaleTargets> = {
  commune: {
    communes: "one",
    villagesPerCommune: 10,
    householdsPerCommune: 3000,
    citizensPerHousehold: 2.3,
    fundEntriesPerCommuneYear: 60,
    activitiesPerCommuneYear: 40,
  },
  province: {
    communes: "province",
    villagesPerCommune: 30,
    householdsPerCommune: 8000,
    citizensPerHousehold: 2.5,
    fundEntriesPerCommuneYear: 750,
    activitiesPerCommuneYear: 150,
  },
  national: {
    communes: "all",
    villagesPerCommune: 30,
    householdsPerCommune: 8100,
    citizensPerHousehold: 2.2,
    fundEntriesPerCommuneYear: 750,
    activitiesPerCommuneYear: 150,
  },
};

/** The models the generator evaluates, with the subject each is about. */
export const GENERATED_MODELS = ["gdht", "cdht_thon", "cdht_xa"] as const;
export type GeneratedModel = (typeof GENERATED_MODELS)[number];

export interface ModelRates {
  /** Share of the subjects registered for the year (0.4–0.95). */
  registered: number;
  /** Share of the registered that were recognised by the year's decision. */
  recognisedOfRegistered: number;
}

export interface CommunePlan {
  code: string;
  /** Households in each village (at least 20 each). */
  households: number[];
  citizensPerHousehold: number;
  /** Per year, per model. */
  rates: Record<number, Record<GeneratedModel, ModelRates>>;
  fundEntries: Record<number, number>;
  activities: Record<number, number>;
}

/** mulberry32: a small, well-mixed 32-bit generator; the same seed gives the same sequence. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a text, mixed with the seed: each commune's own stream. */
export function streamSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A factor between 1 and 10, log-uniform: the tenfold spread of commune sizes. */
function tenfold(random: () => number): number {
  return 10 ** random();
}

/** Mean of the log-uniform factor on [1, 10]: 9 / ln 10. */
const TENFOLD_MEAN = 9 / Math.LN10;

function between(random: () => number, low: number, high: number): number {
  return low + (high - low) * random();
}

/** The plan of one commune for a scale, seed and the years generated. */
export function communePlan(scale: Scale, seed: number, code: string, years: readonly number[]): CommunePlan {
  const targets = SCALE_TARGETS[scale];
  const random = randomSource(streamSeed(seed, code));
  // The commune scale is one commune of the stated size; the others spread around their mean.
  const size = scale === "commune" ? 1 : tenfold(random) / TENFOLD_MEAN;
  const villages = Math.max(
    3,
    Math.round(targets.villagesPerCommune * (scale === "commune" ? 1 : 0.5 + random())),
  );
  const householdsTotal = Math.max(20 * villages, Math.round(targets.householdsPerCommune * size));
  // Villages differ too (0.5×–1.5× of the commune's mean), and add up to the commune's total.
  const weights = Array.from({ length: villages }, () => 0.5 + random());
  const sum = weights.reduce((a, b) => a + b, 0);
  const households = weights.map((w) => Math.max(20, Math.floor((householdsTotal * w) / sum)));
  const rates: CommunePlan["rates"] = {};
  const fundEntries: Record<number, number> = {};
  const activities: Record<number, number> = {};
  // A commune's engagement is persistent: its second year moves a little from its first.
  const engagement = between(random, 0.4, 0.95);
  for (const year of years) {
    const perModel = {} as Record<GeneratedModel, ModelRates>;
    for (const model of GENERATED_MODELS) {
      const registered = Math.min(0.95, Math.max(0.4, engagement + between(random, -0.08, 0.08)));
      perModel[model] = { registered, recognisedOfRegistered: between(random, 0.6, 0.98) };
    }
    rates[year] = perModel;
    fundEntries[year] = Math.max(
      2,
      Math.round(targets.fundEntriesPerCommuneYear * size * between(random, 0.7, 1.3)),
    );
    activities[year] = Math.max(
      1,
      Math.round(targets.activitiesPerCommuneYear * size * between(random, 0.7, 1.3)),
    );
  }
  return {
    code,
    households,
    citizensPerHousehold: targets.citizensPerHousehold,
    rates,
    fundEntries,
    activities,
  };
}

export type GeneratedStatus = "recognised" | "accepted" | "submitted" | "draft" | "registered";

/**
 * How a uniform draw `u` in [0, 1) becomes a subject's status for a model and year: the first
 * status whose bound `u` is below, or not registered at all past the last. Recognised first (the
 * year's decision), then those on their way: a few accepted and awaiting the decision, some
 * submitted, some started, most only registered. The SQL side draws `u` per subject and applies
 * these same bounds (generate.ts), so this is the one rule.
 */
export function statusBounds(rates: ModelRates): { status: GeneratedStatus; below: number }[] {
  const recognised = rates.registered * rates.recognisedOfRegistered;
  const rest = rates.registered - recognised;
  return [
    { status: "recognised", below: recognised },
    { status: "accepted", below: recognised + rest * 0.15 },
    { status: "submitted", below: recognised + rest * 0.35 },
    { status: "draft", below: recognised + rest * 0.55 },
    { status: "registered", below: rates.registered },
  ];
}

export function statusFor(u: number, rates: ModelRates): GeneratedStatus | null {
  return statusBounds(rates).find((b) => u < b.below)?.status ?? null;
}

/**
 * After how many generated communes in all the generator next refreshes the planner's statistics
 * (ANALYZE): each time the database has grown by half, about twenty times for the nation. The
 * counters of a commune are added from its new records (ids above the last before it); planned on
 * statistics of a far smaller database, those reads became scans of whole tables, and the nation
 * slowed from ~37 to ~9 communes a minute by its 500th. The autovacuum daemon cannot be relied on
 * for this: it may be off (it is on CI machines) and never analyses a partitioned table's parent.
 */
export function nextStatisticsAt(generated: number): number {
  return Math.max(generated + 1, Math.ceil(generated * 1.5));
}

/** Vietnamese family, middle and given names, for generated people. */
export const FAMILY_NAMES = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Huỳnh",
  "Phan",
  "Vũ",
  "Võ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
  "Lương",
  "Triệu",
  "Nông",
  "Đinh",
] as const;
export const MIDDLE_NAMES = [
  "Văn",
  "Thị",
  "Hữu",
  "Đức",
  "Minh",
  "Thanh",
  "Ngọc",
  "Quang",
  "Xuân",
  "Thu",
] as const;
export const GIVEN_NAMES = [
  "An",
  "Bình",
  "Chi",
  "Cường",
  "Dũng",
  "Giang",
  "Hà",
  "Hải",
  "Hạnh",
  "Hiền",
  "Hoa",
  "Hòa",
  "Hùng",
  "Hương",
  "Khánh",
  "Lan",
  "Linh",
  "Long",
  "Mai",
  "Minh",
  "Nam",
  "Nga",
  "Ngọc",
  "Phong",
  "Phúc",
  "Phương",
  "Quân",
  "Quang",
  "Sơn",
  "Tâm",
  "Thảo",
  "Thành",
  "Thắng",
  "Thủy",
  "Trang",
  "Trung",
  "Tuấn",
  "Tùng",
  "Vân",
  "Yến",
] as const;

/** Every full name the generator uses, in a fixed order (index → name). */
export function generatedNames(): string[] {
  const out: string[] = [];
  for (const f of FAMILY_NAMES)
    for (const m of MIDDLE_NAMES) for (const g of GIVEN_NAMES) out.push(`${f} ${m} ${g}`);
  return out;
}
