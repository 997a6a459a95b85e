/**
 * Where a template's `counter` indicators come from: each capability's live counters, the one
 * registry of "indicators computed from the records". A counter indicator names its source and
 * metric; the report reads it for the report's own unit and period, so a province's figure is the
 * province's counter (the sum of every record below it), never a copy of its communes' reports.
 *
 * - the programme capabilities' `<name>_stats` tables (period code = the report's period; the
 *   centres also count school years; centres, events, inspections, commendations and agreements
 *   count their flows by month too, so their figure for a quarter, a half-year or a reporting
 *   year is the sum of its month buckets): the metric as the capability writes it, e.g.
 *   centres "participants:legal", events "held:lifelong_learning_week";
 * - the fund (`fund_stats`, by fiscal year, named after the year it ends in, so a reporting year
 *   1/11/2023–31/10/2024 is the fund's year 2024): "<amount|entries|beneficiaries>:<metric>",
 *   net of reversals, e.g. "amount:receipt:business"; a metric ending in "*" sums the metrics it
 *   starts ("amount:receipt:*" = all money raised);
 * - the learning models (`model_stats`, by year): "<model>:<metric>", e.g. "gdht:recognised".
 *
 * Stocks and yearly cycles (Association membership, literacy, the learning models' evaluation
 * year) have no months: a reporting year reads the calendar year it ends in (1/11/2023–31/10/2024
 * → 2024); literacy, a count at a moment of the year, is read for a phase in its last year.
 * "held:<kind>" (the communes that held at least one such event) is a distinct count, not a sum:
 * for a period made of months it is counted at read time from the communes' own month counters
 * (the communes under the unit whose events of that kind add up to more than 0 in the period).
 *
 * A unit with no counter row at all for the source and period has not reported anything there:
 * its values are missing (null), never 0. A unit that has counters but not this metric has 0.
 */
import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema.ts";
import { monthBuckets, type Period, type PeriodKind, periodCode } from "../../domain/periods.ts";
import type { CounterSource, ReportTemplate } from "../../domain/reporting/template.ts";
import { readPeriodStats } from "../statistics/period-counters.ts";

const PERIOD_TABLES: Partial<Record<CounterSource, string>> = {
  centres: "centre_stats",
  literacy: "literacy_stats",
  association: "association_stats",
  events: "event_stats",
  agreements: "agreement_stats",
  inspections: "inspection_stats",
  commendations: "commendation_stats",
};

/** The sources that also count flows by month, and the period kinds read as a sum of months. */
const BY_MONTH: ReadonlySet<CounterSource> = new Set([
  "centres",
  "events",
  "inspections",
  "commendations",
  "agreements",
]);
const MONTH_KINDS: readonly PeriodKind[] = ["quarter", "half_year", "reporting_year"];
/**
 * Metrics of those sources that are states of a year (agreements "active", exemplary models of a
 * year): a sum of months would be wrong, so for a period made of months they are missing (null).
 */
const NOT_BY_MONTH = /^(active(:|$)|exemplary:)/;
/** Distinct counts of communes, counted from the communes' month counters (see above). */
const HELD = /^held:([a-z_]+)$/;
/** Sources read for a reporting year as the calendar year it ends in. */
const BY_ENDING_YEAR: ReadonlySet<CounterSource> = new Set(["association", "models", "literacy"]);
/** Stocks counted at a moment of the year: a phase reads them in its last year (seed 003's "thực hiện giai đoạn"). */
const AT_PHASE_END: ReadonlySet<CounterSource> = new Set(["literacy"]);

/** The period kinds whose counters each source keeps. */
export const SUPPORTED: Record<CounterSource, readonly PeriodKind[]> = {
  centres: ["year", "school_year", ...MONTH_KINDS],
  literacy: ["year", "reporting_year", "phase"],
  association: ["year", "reporting_year"],
  events: ["year", ...MONTH_KINDS],
  agreements: ["year", ...MONTH_KINDS],
  inspections: ["year", ...MONTH_KINDS],
  commendations: ["year", ...MONTH_KINDS],
  fund: ["year", "reporting_year"],
  models: ["year", "reporting_year"],
};

export const SOURCE_LABELS: Record<CounterSource, string> = {
  centres: "Trung tâm học tập cộng đồng",
  literacy: "Xóa mù chữ, phổ cập giáo dục",
  association: "Hội viên Hội Khuyến học",
  events: "Sự kiện",
  agreements: "Chương trình phối hợp",
  inspections: "Kiểm tra",
  commendations: "Khen thưởng",
  fund: "Quỹ khuyến học",
  models: "Mô hình học tập",
};

/** Vietnamese problems of a template whose counters cannot be read for its kind of period. */
export function sourceProblems(t: ReportTemplate): string[] {
  const out: string[] = [];
  for (const ind of t.indicators) {
    if (ind.kind !== "counter") continue;
    if (!SUPPORTED[ind.source].includes(t.periodKind)) {
      out.push(
        `Chỉ tiêu «${ind.label}»: số liệu ${SOURCE_LABELS[ind.source]} không được đếm theo loại kỳ «${t.periodKind}» của biểu mẫu.`,
      );
    }
    if (MONTH_KINDS.includes(t.periodKind) && NOT_BY_MONTH.test(ind.metric)) {
      out.push(
        `Chỉ tiêu «${ind.label}»: số liệu «${ind.metric}» chỉ được đếm theo năm, không cộng theo tháng cho loại kỳ «${t.periodKind}».`,
      );
    }
    const metric = metricProblem(ind.source, ind.metric);
    if (metric) out.push(`Chỉ tiêu «${ind.label}»: ${metric}`);
  }
  return out;
}

/** What is wrong with the form of a source's metric name, or null. */
export function metricProblem(source: CounterSource, metric: string): string | null {
  if (source === "fund" && !/^(amount|entries|beneficiaries):.+/.test(metric)) {
    return "số liệu quỹ phải có dạng amount:…, entries:… hoặc beneficiaries:….";
  }
  if (source === "models" && !/^[a-z_]+:.+/.test(metric)) {
    return "số liệu mô hình học tập phải có dạng <mô hình>:<chỉ số>.";
  }
  return null;
}

/** Whether a source's metric is counted for a kind of period (read as null otherwise). */
export function countsFor(source: CounterSource, metric: string, kind: PeriodKind): boolean {
  return SUPPORTED[source].includes(kind) && !(MONTH_KINDS.includes(kind) && NOT_BY_MONTH.test(metric));
}

type Counters = Map<string, number>;

function pick(counters: Counters, metric: string): number {
  if (!metric.endsWith("*")) return counters.get(metric) ?? 0;
  const prefix = metric.slice(0, -1);
  let sum = 0;
  for (const [m, n] of counters) if (m.startsWith(prefix)) sum += n;
  return sum;
}

async function fundCounters(db: Kysely<DB>, unitId: number, year: number): Promise<Counters | null> {
  const rows = await db
    .selectFrom("fund_stats")
    .select(["metric", "amount", "entries", "beneficiaries"])
    .where("org_unit_id", "=", unitId)
    .where("year", "=", year)
    .execute();
  if (rows.length === 0) return null;
  const gross = new Map(rows.map((r) => [r.metric, r]));
  const out: Counters = new Map();
  for (const [metric, v] of gross) {
    if (metric.startsWith("reversed:")) continue;
    const rev = gross.get(`reversed:${metric}`);
    out.set(`amount:${metric}`, Number(v.amount) - Number(rev?.amount ?? 0));
    out.set(`entries:${metric}`, Number(v.entries) - Number(rev?.entries ?? 0));
    out.set(`beneficiaries:${metric}`, Number(v.beneficiaries) - Number(rev?.beneficiaries ?? 0));
  }
  return out;
}

async function modelCounters(db: Kysely<DB>, unitId: number, year: number): Promise<Counters | null> {
  const rows = await db
    .selectFrom("model_stats")
    .select(["model", "metric", "n"])
    .where("org_unit_id", "=", unitId)
    .where("year", "=", year)
    .execute();
  if (rows.length === 0) return null;
  return new Map(rows.map((r) => [`${r.model}:${r.metric}`, Number(r.n)]));
}

async function readSource(
  db: Kysely<DB>,
  source: CounterSource,
  unitId: number,
  period: Period,
): Promise<Counters | null> {
  const table = PERIOD_TABLES[source];
  if (table && BY_MONTH.has(source) && MONTH_KINDS.includes(period.kind)) {
    // Months without any row add nothing; no row in any month is "nothing recorded" (null).
    const byMonth = (await readPeriodStats(db, table, [unitId], monthBuckets(period))).get(unitId);
    if (!byMonth) return null;
    const sum: Counters = new Map();
    for (const counters of byMonth.values()) for (const [m, n] of counters) sum.set(m, (sum.get(m) ?? 0) + n);
    return sum;
  }
  if (table) {
    const code =
      period.kind === "reporting_year" && BY_ENDING_YEAR.has(source)
        ? String(period.year)
        : period.kind === "phase" && AT_PHASE_END.has(source)
          ? String(period.lastYear)
          : periodCode(period);
    const stats = await readPeriodStats(db, table, [unitId], [code]);
    return stats.get(unitId)?.get(code) ?? null;
  }
  // The fund's fiscal years and the models' years are named by a year number.
  if (!("year" in period)) return null;
  return source === "fund" ? fundCounters(db, unitId, period.year) : modelCounters(db, unitId, period.year);
}

/** How many communes at or under `unit` held an event of `kind` in the months of `period`. */
async function communesThatHeld(
  db: Kysely<DB>,
  unitIds: readonly number[],
  kind: string,
  period: Period,
): Promise<number | null> {
  const { rows } = await sql<{ communes: string; counted: boolean }>`
    select count(*) filter (where s.n > 0) as communes, count(*) > 0 as counted
      from (select c.id, sum(st.n) as n
              from org_units u
              join org_units c on c.kind = 'commune' and c.path like u.path || '%'
              join event_stats st on st.org_unit_id = c.id and st.metric = ${`events:${kind}`}
                               and st.period = any(${sql.val(monthBuckets(period))}::text[])
             where u.id = any(${sql.val(unitIds)}::bigint[])
             group by c.id) s`.execute(db);
  const row = rows[0];
  if (!row?.counted) {
    // No commune counted that kind: missing if the unit recorded no events at all in the period.
    const any = await readPeriodStats(db, "event_stats", unitIds, monthBuckets(period));
    return any.size === 0 ? null : 0;
  }
  return Number(row.communes);
}

/**
 * The values of every counter indicator of `template` for a unit and period (id → value, or
 * null when the unit has no counters of that source in the period). The nation keeps no
 * counters of its own: its values are the sum of its provinces'.
 */
export async function readCounterIndicators(
  db: Kysely<DB>,
  template: ReportTemplate,
  unit: { id: number; level: number },
  period: Period,
): Promise<Map<string, number | null>> {
  const counters = template.indicators.flatMap((ind) =>
    ind.kind === "counter" ? [{ id: ind.id, source: ind.source, metric: ind.metric }] : [],
  );
  return readCounters(db, counters, unit, period);
}

/** A live counter named by its source and metric, under an id of the caller's. */
export interface CounterRef {
  id: string;
  source: CounterSource;
  metric: string;
}

/**
 * The values of `counters` for a unit and period, as a report reads its counter indicators
 * (id → value, or null when the unit has no counters of that source in the period, or the source
 * does not count that kind of period). The DHIS2 export reads its data elements through it.
 */
export async function readCounters(
  db: Kysely<DB>,
  counters: readonly CounterRef[],
  unit: { id: number; level: number },
  period: Period,
): Promise<Map<string, number | null>> {
  const unitIds =
    unit.level === 0
      ? (
          await db
            .selectFrom("org_units")
            .select("id")
            .where("parent_id", "=", unit.id)
            .where("kind", "=", "province")
            .execute()
        ).map((r) => Number(r.id))
      : [unit.id];
  const bySource = new Map<CounterSource, Counters | null>();
  const load = async (source: CounterSource): Promise<Counters | null> => {
    if (bySource.has(source)) return bySource.get(source) ?? null;
    let merged: Counters | null = null;
    for (const id of unitIds) {
      const one = await readSource(db, source, id, period);
      if (!one) continue;
      merged ??= new Map();
      for (const [m, n] of one) merged.set(m, (merged.get(m) ?? 0) + n);
    }
    bySource.set(source, merged);
    return merged;
  };
  const out = new Map<string, number | null>();
  for (const ind of counters) {
    if (!SUPPORTED[ind.source].includes(period.kind)) {
      out.set(ind.id, null);
      continue;
    }
    if (MONTH_KINDS.includes(period.kind) && NOT_BY_MONTH.test(ind.metric)) {
      out.set(ind.id, null);
      continue;
    }
    const held = ind.source === "events" && MONTH_KINDS.includes(period.kind) ? HELD.exec(ind.metric) : null;
    if (held?.[1]) {
      out.set(ind.id, await communesThatHeld(db, unitIds, held[1], period));
      continue;
    }
    const counters = await load(ind.source);
    out.set(ind.id, counters ? pick(counters, ind.metric) : null);
  }
  return out;
}
