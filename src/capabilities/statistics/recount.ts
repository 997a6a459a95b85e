/**
 * The live counters recomputed from the records, in SQL: what `model_stats` and `subject_counts`
 * must hold if every write kept them (counters.ts). Used three ways: to check the counters after a
 * benchmark's write load or a generated load (`counterDifferences`), by the generator to set the
 * counters of the records it bulk-loads (`addCommuneCounters`), and as the naive read that the
 * benchmark compares the dashboard with (`naiveLearningModelFigures`). The metrics of an
 * evaluation come from the domain's `metricsOf` rule, written once here as SQL and tested against
 * it for every status.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { SELF_ASSESSED } from "../../domain/learning-models/cycle.ts";
import { METRIC } from "../../domain/learning-models/statistics.ts";

type Exec = Kysely<DB> | Transaction<DB>;

/** `metricsOf(e)` as a SQL text[] over an evaluation row aliased `e` (status, rating_code). */
export function evaluationMetricsSql(): RawBuilder<string[]> {
  const selfAssessed = [...SELF_ASSESSED];
  return sql<string[]>`(
    array[${METRIC.registered}::text, ${"status:"}::text || e.status]
    || case when e.status = any(${selfAssessed}::text[]) then array[${METRIC.selfAssessed}::text] else '{}'::text[] end
    || case when e.status = 'recognised' then
         array[${METRIC.recognised}::text]
         || case when e.rating_code is not null then array[${"rating:"}::text || e.rating_code] else '{}'::text[] end
       else '{}'::text[] end)`;
}

/** The counting units of an org unit aliased `u`: itself and its ancestors below the nation. */
const countingUnits = sql`unnest((string_to_array(trim(both '/' from u.path), '/')::bigint[])[2:])`;

export interface ModelStatRow {
  org_unit_id: number;
  year: number;
  model: string;
  metric: string;
  n: number;
}

/** model_stats as the evaluations say it should be (only non-zero rows), for units under `path`. */
export async function recountModelStats(db: Exec, path = "/"): Promise<ModelStatRow[]> {
  const rows = await sql<ModelStatRow>`
    select x.id as org_unit_id, e.year, e.model, m.metric, count(*)::bigint as n
    from evaluations e
    join org_units u on u.id = e.org_unit_id
    cross join lateral ${countingUnits} as x(id)
    cross join lateral unnest(${evaluationMetricsSql()}) as m(metric)
    where u.path like ${`${path}%`}
    group by x.id, e.year, e.model, m.metric`.execute(db);
  return rows.rows.map((r) => ({ ...r, org_unit_id: Number(r.org_unit_id), n: Number(r.n) }));
}

export interface SubjectCountRow {
  org_unit_id: number;
  subject_kind: string;
  n: number;
}

/** subject_counts of households (active) and citizens (verified) as the records say. */
export async function recountSubjectCounts(db: Exec): Promise<SubjectCountRow[]> {
  const rows = await sql<SubjectCountRow>`
    select x.id as org_unit_id, 'household' as subject_kind, count(*)::bigint as n
    from households h join org_units u on u.id = h.village_id
    cross join lateral ${countingUnits} as x(id)
    where h.active group by x.id
    union all
    select x.id, 'citizen', count(*)::bigint
    from citizens c join org_units u on u.id = c.org_unit_id
    cross join lateral ${countingUnits} as x(id)
    where c.status = 'verified' group by x.id`.execute(db);
  return rows.rows.map((r) => ({ ...r, org_unit_id: Number(r.org_unit_id), n: Number(r.n) }));
}

/**
 * Where the kept counters differ from a recount: evaluations' metrics, households and citizens.
 * Empty when every write kept them exactly. Zero-valued counter rows equal a missing row.
 */
export async function counterDifferences(db: Exec): Promise<string[]> {
  const out: string[] = [];
  const expected = new Map<string, number>();
  for (const r of await recountModelStats(db))
    expected.set(`model ${r.org_unit_id} ${r.year} ${r.model} ${r.metric}`, r.n);
  for (const r of await recountSubjectCounts(db))
    expected.set(`subject ${r.org_unit_id} ${r.subject_kind}`, r.n);
  const kept = new Map<string, number>();
  const stats = await db
    .selectFrom("model_stats")
    .select(["org_unit_id", "year", "model", "metric", "n"])
    .execute();
  for (const s of stats)
    if (Number(s.n) !== 0) kept.set(`model ${s.org_unit_id} ${s.year} ${s.model} ${s.metric}`, Number(s.n));
  const counts = await db
    .selectFrom("subject_counts")
    .select(["org_unit_id", "subject_kind", "n"])
    .where("subject_kind", "in", ["household", "citizen"])
    .execute();
  for (const c of counts)
    if (Number(c.n) !== 0) kept.set(`subject ${c.org_unit_id} ${c.subject_kind}`, Number(c.n));
  for (const [key, n] of expected)
    if (kept.get(key) !== n) out.push(`${key}: kept ${kept.get(key) ?? 0}, records ${n}`);
  for (const [key, n] of kept) if (!expected.has(key)) out.push(`${key}: kept ${n}, records 0`);
  return out;
}

/**
 * Add the counters of a commune's records created by a bulk load (evaluations with `id > afterEvaluationId`,
 * households with `id > afterHouseholdId`, verified citizens with `id > afterCitizenId`, under the
 * commune's path) to the commune and its ancestors — what the services would have added one
 * record at a time — in the caller's transaction.
 */
export async function addBulkCounters(
  tx: Transaction<DB>,
  communePath: string,
  after: { evaluation: number; household: number; citizen: number; village: number },
): Promise<void> {
  const under = `${communePath}%`;
  await sql`
    insert into model_stats (org_unit_id, year, model, metric, n)
    select x.id, e.year, e.model, m.metric, count(*)::bigint
    from evaluations e
    join org_units u on u.id = e.org_unit_id
    cross join lateral ${countingUnits} as x(id)
    cross join lateral unnest(${evaluationMetricsSql()}) as m(metric)
    where e.id > ${after.evaluation} and u.path like ${under}
    group by x.id, e.year, e.model, m.metric
    on conflict (org_unit_id, year, model, metric) do update set n = model_stats.n + excluded.n`.execute(tx);
  await sql`
    insert into subject_counts (org_unit_id, subject_kind, n)
    select x.id, s.kind, count(*)::bigint from (
      select h.village_id as unit_id, 'household' as kind from households h
      where h.id > ${after.household} and h.active
      union all
      select c.org_unit_id, 'citizen' from citizens c where c.id > ${after.citizen} and c.status = 'verified'
      union all
      select v.id, 'village' from org_units v where v.id > ${after.village} and v.kind = 'village'
    ) s
    join org_units u on u.id = s.unit_id
    cross join lateral ${countingUnits} as x(id)
    where u.path like ${under}
    group by x.id, s.kind
    on conflict (org_unit_id, subject_kind) do update set n = subject_counts.n + excluded.n`.execute(tx);
}

export interface NaiveFigures {
  unitId: number;
  model: string;
  metric: string;
  n: number;
}

/**
 * The learning-model figures of a unit's children for a year, aggregated from the raw records at
 * read time (evaluations by child and metric, and the children's subjects): what the dashboard
 * shows, the way a system without live counters would compute it. The benchmark's baseline.
 */
export async function naiveLearningModelFigures(db: Exec, unitPath: string, level: number, year: number) {
  // The child of the unit a record lies under: the path's element at the child's level.
  const childOf = sql`(string_to_array(trim(both '/' from u.path), '/')::bigint[])[${level + 2}]`;
  const metrics = await sql<NaiveFigures>`
    select ${childOf} as "unitId", e.model, m.metric, count(*)::bigint as n
    from evaluations e
    join org_units u on u.id = e.org_unit_id
    cross join lateral unnest(${evaluationMetricsSql()}) as m(metric)
    where e.year = ${year} and u.path like ${`${unitPath}%`} and u.level > ${level}
    group by 1, 2, 3`.execute(db);
  const subjects = await sql<{ unitId: number; kind: string; n: number }>`
    select ${childOf} as "unitId", 'household' as kind, count(*)::bigint as n
    from households h join org_units u on u.id = h.village_id
    where h.active and u.path like ${`${unitPath}%`}
    group by 1
    union all
    select ${childOf}, 'village', count(*)::bigint
    from org_units u where u.kind = 'village' and u.valid_to is null and u.path like ${`${unitPath}%`} and u.level > ${level}
    group by 1`.execute(db);
  return { metrics: metrics.rows, subjects: subjects.rows };
}
