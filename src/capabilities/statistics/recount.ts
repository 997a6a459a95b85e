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

/** model_stats as the evaluations say it should be (only non-zero rows). */
const modelStatsRecount = sql`
  select x.id as org_unit_id, e.year, e.model, m.metric, count(*)::bigint as n
  from evaluations e
  join org_units u on u.id = e.org_unit_id
  cross join lateral ${countingUnits} as x(id)
  cross join lateral unnest(${evaluationMetricsSql()}) as m(metric)
  group by x.id, e.year, e.model, m.metric`;

/** subject_counts of households (active) and citizens (verified) as the records say. */
const subjectCountsRecount = sql`
  select x.id as org_unit_id, 'household' as subject_kind, count(*)::bigint as n
  from households h join org_units u on u.id = h.village_id
  cross join lateral ${countingUnits} as x(id)
  where h.active group by x.id
  union all
  select x.id, 'citizen', count(*)::bigint
  from citizens c join org_units u on u.id = c.org_unit_id
  cross join lateral ${countingUnits} as x(id)
  where c.status = 'verified' group by x.id`;

/** Differences listed, at most (the count is what matters; a nation's counters are millions). */
const LISTED_DIFFERENCES = 1000;

/**
 * Where the kept counters differ from a recount: evaluations' metrics, households and citizens.
 * Empty when every write kept them exactly. Zero-valued counter rows equal a missing row. Compared
 * in the database (a full join of the recount and the counters), so a nation's millions of
 * counters never come into this process.
 */
export async function counterDifferences(db: Exec): Promise<string[]> {
  const models = await sql<{ key: string; kept: string; records: string }>`
    select concat_ws(' ', 'model', org_unit_id, year, model, metric) as key,
           coalesce(k.n, 0)::text as kept, coalesce(r.n, 0)::text as records
    from (${modelStatsRecount}) r
    full join (select org_unit_id, year, model, metric, n from model_stats where n <> 0) k
      using (org_unit_id, year, model, metric)
    where r.n is distinct from k.n
    limit ${LISTED_DIFFERENCES}`.execute(db);
  const subjects = await sql<{ key: string; kept: string; records: string }>`
    select concat_ws(' ', 'subject', org_unit_id, subject_kind) as key,
           coalesce(k.n, 0)::text as kept, coalesce(r.n, 0)::text as records
    from (${subjectCountsRecount}) r
    full join (select org_unit_id, subject_kind, n from subject_counts
               where subject_kind in ('household', 'citizen') and n <> 0) k
      using (org_unit_id, subject_kind)
    where r.n is distinct from k.n
    limit ${LISTED_DIFFERENCES}`.execute(db);
  return [...models.rows, ...subjects.rows].map((d) => `${d.key}: kept ${d.kept}, records ${d.records}`);
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
