/**
 * Live counters: every write that changes what the statistics count calls these in its own
 * transaction. A counter is kept for the counting unit and for each ancestor below the nation
 * (the nation's figures are the sum of its 34 provinces, so no single row is hot for the whole
 * country). Reads then touch one row per org unit asked about, whatever the number of records.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
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

/** What one write does to the evaluation counters of one counting unit's chain, model and year. */
export interface ModelStatChange {
  path: string;
  year: number;
  model: string;
  deltas: ReadonlyMap<string, number>;
}

/** Counter rows to move, as parallel arrays (one statement parameter each). */
export interface ModelStatMoves {
  ids: number[];
  years: number[];
  models: string[];
  metrics: string[];
  deltas: number[];
}

/**
 * The counter rows `changes` move: each change applied to the counting unit and its ancestors,
 * summed per (unit, year, model, metric) so that no row is touched twice by one statement,
 * sums of zero left out, in key order (two writes lock the rows they share in the same order).
 * Increments and decrements apart: see `modelStatsParts`.
 */
export function modelStatMoves(changes: readonly ModelStatChange[]): {
  up: ModelStatMoves;
  down: ModelStatMoves;
} {
  const sums = new Map<string, { id: number; year: number; model: string; metric: string; delta: number }>();
  for (const change of changes) {
    for (const id of countingUnitIds(change.path)) {
      for (const [metric, delta] of change.deltas) {
        const key = `${String(id).padStart(20, "0")}|${change.year}|${change.model}|${metric}`;
        const sum = sums.get(key);
        if (sum) sum.delta += delta;
        else sums.set(key, { id, year: change.year, model: change.model, metric, delta });
      }
    }
  }
  const empty = (): ModelStatMoves => ({ ids: [], years: [], models: [], metrics: [], deltas: [] });
  const up = empty();
  const down = empty();
  for (const key of [...sums.keys()].sort()) {
    const m = sums.get(key) as { id: number; year: number; model: string; metric: string; delta: number };
    if (m.delta === 0) continue;
    const into = m.delta > 0 ? up : down;
    into.ids.push(m.id);
    into.years.push(m.year);
    into.models.push(m.model);
    into.metrics.push(m.metric);
    into.deltas.push(m.delta);
  }
  return { up, down };
}

function unnested(m: ModelStatMoves) {
  return sql`unnest(${sql.val(m.ids)}::bigint[], ${sql.val(m.years)}::int[], ${sql.val(m.models)}::text[],
                    ${sql.val(m.metrics)}::text[], ${sql.val(m.deltas)}::bigint[])
             as m(id, year, model, metric, delta)`;
}

/**
 * The two data-modifying parts of a WITH that apply `moves`, named `model_stats_up` and
 * `model_stats_down` (each returns a row per counter changed), done only `when` that holds.
 * Increments upsert; decrements update rows that must exist (a counter never goes below zero:
 * the table's CHECK refuses it, and the caller compares `model_stats_down`'s rows with the
 * decrements meant, so a bug cannot pass unnoticed). PostgreSQL checks an upsert's proposed row
 * before it looks for a conflict, which is why the two are separate parts.
 */
export function modelStatsParts(
  moves: { up: ModelStatMoves; down: ModelStatMoves },
  when: RawBuilder<boolean> = sql<boolean>`true`,
): RawBuilder<unknown> {
  return sql`
    model_stats_up as (
      insert into model_stats (org_unit_id, year, model, metric, n)
      select m.id, m.year, m.model, m.metric, m.delta from ${unnested(moves.up)}
      where ${when}
      on conflict (org_unit_id, year, model, metric) do update set n = model_stats.n + excluded.n
      returning 1
    ), model_stats_down as (
      update model_stats s set n = s.n + m.delta
      from ${unnested(moves.down)}
      where ${when} and s.org_unit_id = m.id and s.year = m.year and s.model = m.model and s.metric = m.metric
      returning 1
    )`;
}

/** Apply metric deltas (from metricDeltas in the domain) for one model and year, in one statement. */
export async function bumpModelStats(
  tx: Exec,
  path: string,
  year: number,
  model: string,
  deltas: ReadonlyMap<string, number>,
): Promise<void> {
  const moves = modelStatMoves([{ path, year, model, deltas }]);
  if (moves.up.ids.length === 0 && moves.down.ids.length === 0) return;
  const result = await sql<{ down: number }>`
    with ${modelStatsParts(moves)}
    select (select count(*) from model_stats_down)::int as down`.execute(tx);
  expectAll(BigInt(result.rows[0]?.down ?? 0), moves.down.ids.length, `model_stats ${model} ${year}`);
}

function expectAll(affected: bigint | undefined, expected: number, what: string) {
  if (Number(affected ?? 0) !== expected) {
    throw new Error(`Counter out of step: ${what} (${affected} of ${expected} rows). Refusing the write.`);
  }
}
