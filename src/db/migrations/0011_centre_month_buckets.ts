import { type Kysely, sql } from "kysely";

/**
 * The centres' counters also by month ('M2024-03', see src/domain/periods.ts), so that a
 * quarter, a half-year or a reporting year from 1/11 (seed 000) is the sum of its months rather
 * than something the counters cannot say. From now on every activity write keeps its month
 * bucket (src/domain/centres/activities.ts `periodsOf`); this fills the buckets of the
 * activities recorded before, at the centre and each ancestor below the nation, with the
 * metrics `activityMetrics` writes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table centre_stats drop constraint centre_stats_period_check`.execute(db);
  await sql`
    alter table centre_stats add constraint centre_stats_period_check
      check (period ~ '^([0-9]{4}(-[0-9]{4})?|M[0-9]{4}-(0[1-9]|1[0-2]))$')`.execute(db);
  await sql`
    insert into centre_stats (org_unit_id, period, metric, n)
    select u.id, 'M' || to_char(a.start_date, 'YYYY-MM'), m.metric, sum(m.n)
    from centre_activities a
    join org_units c on c.id = a.org_unit_id
    join org_units u on u.level > 0 and c.path like u.path || '%'
    cross join lateral (values
      ('classes:' || a.category, 1::bigint),
      ('sessions:' || a.category, a.sessions::bigint),
      ('participants:' || a.category, a.participants::bigint),
      ('female:' || a.category, a.female::bigint),
      ('minority:' || a.category, coalesce(a.minority, 0)::bigint)
    ) as m(metric, n)
    group by u.id, 'M' || to_char(a.start_date, 'YYYY-MM'), m.metric`.execute(db);
}
