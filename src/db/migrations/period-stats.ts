import { type Kysely, sql } from "kysely";

/**
 * Create a capability's live counter table `<name>_stats` for calendar years and month buckets,
 * the shape the shared period counters read and write (src/capabilities/statistics/
 * period-counters.ts): one row per unit, period ('2025', or the month bucket 'M2025-03' of a
 * flow, see src/domain/periods.ts) and metric; CHECK (n >= 0) refuses a decrement below zero.
 * Used by migrations 0006 on (0005's centre_stats, also for school years, is written out).
 */
export async function createYearStatsTable(db: Kysely<unknown>, table: `${string}_stats`): Promise<void> {
  await sql`
    create table ${sql.table(table)} (
      org_unit_id bigint not null references org_units(id),
      period      text not null check (period ~ '^([0-9]{4}|M[0-9]{4}-(0[1-9]|1[0-2]))$'),
      metric      text not null,
      n           bigint not null check (n >= 0),
      primary key (org_unit_id, period, metric)
    )`.execute(db);
}
