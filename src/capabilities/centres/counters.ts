/**
 * The centres' live counters (centre_stats): per unit (the centre and each ancestor below the
 * nation) and period ('2024' or '2024-2025'), kept by every write in its own transaction.
 * Increments upsert; decrements update rows that must exist (PostgreSQL checks an upsert's
 * proposed row against CHECK (n >= 0) before conflict resolution, so they cannot be one statement).
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { activityMetrics, periodsOf } from "../../domain/centres/activities.ts";
import { countingUnitIds } from "../statistics/counters.ts";

type Exec = Kysely<DB> | Transaction<DB>;

/** period → metric → delta */
export type PeriodDeltas = Map<string, Map<string, number>>;

export function addDeltas(
  into: PeriodDeltas,
  period: string,
  metrics: ReadonlyMap<string, number>,
  sign: 1 | -1,
) {
  const m = into.get(period) ?? new Map<string, number>();
  for (const [k, v] of metrics) m.set(k, (m.get(k) ?? 0) + sign * v);
  into.set(period, m);
}

export interface CountedActivity {
  category: string;
  startDate: string;
  sessions: number;
  participants: number;
  female: number;
  minority: number | null;
}

/** The change to the counters when `before` becomes `after` (either may be absent). */
export function activityDeltas(before: CountedActivity | null, after: CountedActivity | null): PeriodDeltas {
  const out: PeriodDeltas = new Map();
  if (before) for (const p of periodsOf(before.startDate)) addDeltas(out, p, activityMetrics(before), -1);
  if (after) for (const p of periodsOf(after.startDate)) addDeltas(out, p, activityMetrics(after), 1);
  return out;
}

export async function bumpCentreStats(tx: Exec, path: string, deltas: PeriodDeltas): Promise<void> {
  const ids = countingUnitIds(path);
  if (ids.length === 0) return;
  for (const [period, metrics] of deltas) {
    const up = [...metrics].filter(([, d]) => d > 0);
    const down = [...metrics].filter(([, d]) => d < 0);
    // A new activity with zero women still creates its rows, so a later correction finds them.
    const zero = [...metrics].filter(([, d]) => d === 0);
    const inserts = [...up, ...zero];
    if (inserts.length > 0) {
      await sql`
        insert into centre_stats (org_unit_id, period, metric, n)
        select u.id, ${period}, m.metric, m.delta
        from unnest(${sql.val(ids)}::bigint[]) as u(id)
        cross join unnest(${sql.val(inserts.map(([m]) => m))}::text[], ${sql.val(inserts.map(([, d]) => d))}::bigint[])
          as m(metric, delta)
        on conflict (org_unit_id, period, metric) do update set n = centre_stats.n + excluded.n`.execute(tx);
    }
    if (down.length > 0) {
      const result = await sql`
        update centre_stats s set n = s.n + m.delta
        from unnest(${sql.val(down.map(([m]) => m))}::text[], ${sql.val(down.map(([, d]) => d))}::bigint[])
          as m(metric, delta)
        where s.org_unit_id = any(${sql.val(ids)}::bigint[]) and s.period = ${period}
          and s.metric = m.metric`.execute(tx);
      const expected = ids.length * down.length;
      if (Number(result.numAffectedRows ?? 0) !== expected) {
        throw new Error(
          `Counter out of step: centre_stats ${period} (${result.numAffectedRows} of ${expected} rows). Refusing the write.`,
        );
      }
    }
  }
}
