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
  if (delta === 0) return;
  const ids = countingUnitIds(path);
  if (ids.length === 0) return;
  await sql`
    insert into subject_counts (org_unit_id, subject_kind, n)
    select id, ${kind}, ${delta}::bigint from unnest(${sql.val(ids)}::bigint[]) as t(id)
    on conflict (org_unit_id, subject_kind) do update set n = subject_counts.n + excluded.n`.execute(tx);
}

/** Apply metric deltas (from metricDeltas in the domain) for one model and year. */
export async function bumpModelStats(
  tx: Exec,
  path: string,
  year: number,
  model: string,
  deltas: ReadonlyMap<string, number>,
): Promise<void> {
  const ids = countingUnitIds(path);
  const metrics = [...deltas].filter(([, d]) => d !== 0);
  if (ids.length === 0 || metrics.length === 0) return;
  await sql`
    insert into model_stats (org_unit_id, year, model, metric, n)
    select u.id, ${year}::int, ${model}, m.metric, m.delta
    from unnest(${sql.val(ids)}::bigint[]) as u(id)
    cross join unnest(${sql.val(metrics.map(([m]) => m))}::text[], ${sql.val(metrics.map(([, d]) => d))}::bigint[])
      as m(metric, delta)
    on conflict (org_unit_id, year, model, metric) do update set n = model_stats.n + excluded.n`.execute(tx);
}
