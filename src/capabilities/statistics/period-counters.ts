/**
 * Live counters keyed by period, shared by the programme capabilities (centres, literacy,
 * membership, events, inspections…). Each capability owns a table of the same shape:
 *
 *   <name>_stats (org_unit_id bigint, period text, metric text, n bigint check (n >= 0),
 *                 primary key (org_unit_id, period, metric))
 *
 * A write computes its change as period → metric → delta and applies it here, in its own
 * transaction, at the counting unit and each ancestor below the nation (the nation is the sum of
 * its provinces). Increments upsert; decrements update rows that must exist: PostgreSQL checks an
 * upsert's proposed row against CHECK (n >= 0) before conflict resolution, so the two cannot be
 * one statement, and a decrement that finds no row means the counters are out of step with the
 * records — the write is refused rather than hidden.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { countingUnitIds } from "./counters.ts";

type Exec = Kysely<DB> | Transaction<DB>;

/** period → metric → delta */
export type PeriodDeltas = Map<string, Map<string, number>>;

/** Add `metrics` (times `sign`) to `into` under `period`. */
export function addDeltas(
  into: PeriodDeltas,
  period: string,
  metrics: ReadonlyMap<string, number>,
  sign: 1 | -1,
): PeriodDeltas {
  const m = into.get(period) ?? new Map<string, number>();
  for (const [k, v] of metrics) m.set(k, (m.get(k) ?? 0) + sign * v);
  into.set(period, m);
  return into;
}

/** The change when a record counted as `before` in `beforePeriods` becomes `after` (either may be absent). */
export function recordDeltas(
  before: { periods: readonly string[]; metrics: ReadonlyMap<string, number> } | null,
  after: { periods: readonly string[]; metrics: ReadonlyMap<string, number> } | null,
): PeriodDeltas {
  const out: PeriodDeltas = new Map();
  if (before) for (const p of before.periods) addDeltas(out, p, before.metrics, -1);
  if (after) for (const p of after.periods) addDeltas(out, p, after.metrics, 1);
  return out;
}

const STATS_TABLE = /^[a-z_]{1,40}_stats$/;

/**
 * Apply `deltas` to `table` at the unit with `path` and its ancestors below the nation.
 * Metrics whose delta is 0 still get their rows (so a later decrement finds them).
 */
export async function bumpPeriodStats(
  tx: Exec,
  table: string,
  path: string,
  deltas: PeriodDeltas,
): Promise<void> {
  if (!STATS_TABLE.test(table)) throw new Error(`Not a counter table: ${table}`);
  const ids = countingUnitIds(path);
  if (ids.length === 0) return;
  const t = sql.table(table);
  for (const [period, metrics] of deltas) {
    const inserts = [...metrics].filter(([, d]) => d >= 0);
    const down = [...metrics].filter(([, d]) => d < 0);
    if (inserts.length > 0) {
      await sql`
        insert into ${t} (org_unit_id, period, metric, n)
        select u.id, ${period}, m.metric, m.delta
        from unnest(${sql.val(ids)}::bigint[]) as u(id)
        cross join unnest(${sql.val(inserts.map(([m]) => m))}::text[], ${sql.val(inserts.map(([, d]) => d))}::bigint[])
          as m(metric, delta)
        on conflict (org_unit_id, period, metric) do update set n = ${t}.n + excluded.n`.execute(tx);
    }
    if (down.length > 0) {
      const result = await sql`
        update ${t} s set n = s.n + m.delta
        from unnest(${sql.val(down.map(([m]) => m))}::text[], ${sql.val(down.map(([, d]) => d))}::bigint[])
          as m(metric, delta)
        where s.org_unit_id = any(${sql.val(ids)}::bigint[]) and s.period = ${period}
          and s.metric = m.metric`.execute(tx);
      const expected = ids.length * down.length;
      if (Number(result.numAffectedRows ?? 0) !== expected) {
        throw new Error(
          `Counter out of step: ${table} ${period} (${result.numAffectedRows} of ${expected} rows). Refusing the write.`,
        );
      }
    }
  }
}

/**
 * Read counters: for each unit id, period → metric → n (missing rows are simply absent;
 * a caller decides whether absent means 0 or "no data").
 */
export function readPeriodStats(
  db: Exec,
  table: string,
  unitIds: readonly number[],
  periods: readonly string[],
): Promise<Map<number, Map<string, Map<string, number>>>> {
  return readStats(db, table, unitIds, periods, Number);
}

/** `readPeriodStats` with BigInt values, for amounts (sums of đồng may pass 2^53). */
export function readPeriodStatsExact(
  db: Exec,
  table: string,
  unitIds: readonly number[],
  periods: readonly string[],
): Promise<Map<number, Map<string, Map<string, bigint>>>> {
  return readStats(db, table, unitIds, periods, BigInt);
}

async function readStats<V>(
  db: Exec,
  table: string,
  unitIds: readonly number[],
  periods: readonly string[],
  parse: (n: string) => V,
): Promise<Map<number, Map<string, Map<string, V>>>> {
  if (!STATS_TABLE.test(table)) throw new Error(`Not a counter table: ${table}`);
  const out = new Map<number, Map<string, Map<string, V>>>();
  if (unitIds.length === 0 || periods.length === 0) return out;
  const rows = await sql<{ org_unit_id: number; period: string; metric: string; n: string }>`
    select org_unit_id, period, metric, n::text as n from ${sql.table(table)}
    where org_unit_id = any(${sql.val([...unitIds])}::bigint[]) and period = any(${sql.val([...periods])}::text[])`.execute(
    db,
  );
  for (const r of rows.rows) {
    const id = Number(r.org_unit_id);
    const byPeriod = out.get(id) ?? new Map<string, Map<string, V>>();
    const m = byPeriod.get(r.period) ?? new Map<string, V>();
    m.set(r.metric, parse(r.n));
    byPeriod.set(r.period, m);
    out.set(id, byPeriod);
  }
  return out;
}
