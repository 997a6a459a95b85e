import { type Kysely, sql } from "kysely";

/**
 * Create a capability's live counter table `<name>_stats` for calendar years, the shape the
 * shared period counters read and write (src/capabilities/statistics/period-counters.ts):
 * one row per unit, year ('2025') and metric; CHECK (n >= 0) refuses a decrement below zero.
 * Used by migrations 0006 on (0005's centre_stats, also for school years, is written out).
 */
export async function createYearStatsTable(db: Kysely<unknown>, table: `${string}_stats`): Promise<void> {
  await sql`
    create table ${sql.table(table)} (
      org_unit_id bigint not null references org_units(id),
      period      text not null check (period ~ '^[0-9]{4}$'),
      metric      text not null,
      n           bigint not null check (n >= 0),
      primary key (org_unit_id, period, metric)
    )`.execute(db);
}
