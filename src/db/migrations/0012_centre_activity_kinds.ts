import { type Kysely, sql } from "kysely";

/**
 * The centres also count their activities by kind: "activities:class|talk" and
 * "attendance:class|talk" (participants), so that an Association's report can say "Số lớp tập
 * huấn mở được: 134 lớp; tổng số lượt người tham gia: 536 người; số chuyên đề: 08; 8046 lượt
 * người" (seed 000). From now on every activity write keeps them (src/domain/centres/
 * activities.ts `activityMetrics`); this fills them for the activities recorded before, in every
 * period an activity is counted in (its year, school year and month bucket, `periodsOf`), at the
 * centre and each ancestor below the nation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into centre_stats (org_unit_id, period, metric, n)
    select u.id, p.period, m.metric, sum(m.n)
    from centre_activities a
    join org_units c on c.id = a.org_unit_id
    join org_units u on u.level > 0 and c.path like u.path || '%'
    cross join lateral (values
      (to_char(a.start_date, 'YYYY')),
      (a.school_year::text || '-' || (a.school_year + 1)::text),
      ('M' || to_char(a.start_date, 'YYYY-MM'))
    ) as p(period)
    cross join lateral (values
      ('activities:' || a.kind, 1::bigint),
      ('attendance:' || a.kind, a.participants::bigint)
    ) as m(metric, n)
    group by u.id, p.period, m.metric
    on conflict (org_unit_id, period, metric) do update set n = centre_stats.n + excluded.n`.execute(db);
}
