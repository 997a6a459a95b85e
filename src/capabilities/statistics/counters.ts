/**
 * Live counters: every write that changes what the statistics count calls these in its own
 * transaction. A counter is kept for the counting unit and for each ancestor below the nation
 * (the nation's figures are the sum of its 34 provinces, so no single row is hot for the whole
 * country). Reads then touch one row per org unit asked about, whatever the number of records.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { pathIds } from "../../domain/org-units.ts";

type Exec = Kysely<DB> | Transaction<DB>;

/** The unit itself and its ancestors, without the nation (the root). */
export function countingUnitIds(path: string): number[] {
  return pathIds(path).slice(1);
}

export const SUBJECT_KINDS = ["household", "clan", "village", "unit", "commune", "citizen"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Add `delta` to the registry count of `kind` at the unit with `path` and its ancestors. */
export async function bumpSubjectCount(
  tx: Exec,
  path: string,
  kind: SubjectKind,
  delta: number,
): Promise<void> {
  const ids = countingUnitIds(path);
  if (delta === 0 || ids.length === 0) return;
  if (delta > 0) {
    await sql`
      insert into subject_counts (org_unit_id, subject_kind, n)
      select id, ${kind}, ${delta}::bigint from unnest(${sql.val(ids)}::bigint[]) as t(id)
      on conflict (org_unit_id, subject_kind) do update set n = subject_counts.n + excluded.n`.execute(tx);
    return;
  }
  const result = await sql`
    update subject_counts set n = n + ${delta}::bigint
    where subject_kind = ${kind} and org_unit_id = any(${sql.val(ids)}::bigint[])`.execute(tx);
  expectAll(result.numAffectedRows, ids.length, `subject_counts ${kind}`);
}

/**
 * Apply metric deltas (from metricDeltas in the domain) for one model and year. Increments
 * upsert; decrements update rows that must exist (a counter never goes below zero: the table's
 * CHECK refuses it, so a bug cannot pass unnoticed). PostgreSQL checks an upsert's proposed row
 * before it looks for a conflict, which is why the two are separate parts (data-modifying WITH
 * clauses, always executed) of one statement.
 */
export async function bumpModelStats(
  tx: Exec,
  path: string,
  year: number,
  model: string,
  deltas: ReadonlyMap<string, number>,
): Promise<void> {
  const ids = countingUnitIds(path);
  if (ids.length === 0) return;
  const up = [...deltas].filter(([, d]) => d > 0);
  const down = [...deltas].filter(([, d]) => d < 0);
  if (up.length === 0 && down.length === 0) return;
  // One round trip: the increments' upsert and the decrements' update touch different rows
  // (a metric's delta is one or the other) and run as two parts of one statement.
  const result = await sql<{ down: number }>`
    with up as (
      insert into model_stats (org_unit_id, year, model, metric, n)
      select u.id, ${year}::int, ${model}, m.metric, m.delta
      from unnest(${sql.val(ids)}::bigint[]) as u(id)
      cross join unnest(${sql.val(up.map(([m]) => m))}::text[], ${sql.val(up.map(([, d]) => d))}::bigint[])
        as m(metric, delta)
      on conflict (org_unit_id, year, model, metric) do update set n = model_stats.n + excluded.n
      returning 1
    ), down as (
      update model_stats s set n = s.n + m.delta
      from unnest(${sql.val(down.map(([m]) => m))}::text[], ${sql.val(down.map(([, d]) => d))}::bigint[])
        as m(metric, delta)
      where s.org_unit_id = any(${sql.val(ids)}::bigint[]) and s.year = ${year} and s.model = ${model}
        and s.metric = m.metric
      returning 1
    )
    select (select count(*) from down)::int as down`.execute(tx);
  expectAll(BigInt(result.rows[0]?.down ?? 0), ids.length * down.length, `model_stats ${model} ${year}`);
}

function expectAll(affected: bigint | undefined, expected: number, what: string) {
  if (Number(affected ?? 0) !== expected) {
    throw new Error(`Counter out of step: ${what} (${affected} of ${expected} rows). Refusing the write.`);
  }
}
