import { type Kysely, sql } from "kysely";
import { createYearStatsTable } from "./period-stats.ts";

/**
 * Literacy and universal education (xóa mù chữ, phổ cập giáo dục). One row per commune and year:
 * the three disjoint age bands 15–25, 26–35, 36–60 (population, literate at level 1, at level 2;
 * the cumulative 15–35 and 15–60 are sums, computed, never stored), the newly literate who go on
 * learning, and the level of each standard the commune meets. The database checks the same
 * rules as the domain (src/domain/literacy): level 2 ≤ level 1 ≤ population per band.
 *
 * literacy_stats keeps, per unit (the commune and each ancestor below the nation) and period
 * (the year, '2019'), metrics such as 'reported', 'population:15-25', 'l1:15-25', 'l2:15-25',
 * 'newly_literate_continuing', 'xmc>=2', 'pcth>=3'. CHECK (n >= 0) refuses any decrement that
 * would go below zero.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const band = (b: string) =>
    sql.raw(`
      population_${b} int not null check (population_${b} between 0 and 10000000),
      level1_${b}     int not null check (level1_${b} >= 0),
      level2_${b}     int not null check (level2_${b} >= 0),
      check (level1_${b} <= population_${b}),
      check (level2_${b} <= level1_${b}),`);
  await sql`
    create table literacy_years (
      org_unit_id  bigint not null references org_units(id),
      year         int not null check (year between 2000 and 2100),
      survey_date  date,
      ${band("15_25")}
      ${band("26_35")}
      ${band("36_60")}
      newly_literate_continuing int check (newly_literate_continuing between 0 and 10000000),
      xmc_level    smallint not null default 0 check (xmc_level between 0 and 2),
      pcmn5_level  smallint not null default 0 check (pcmn5_level between 0 and 1),
      pcth_level   smallint not null default 0 check (pcth_level between 0 and 3),
      pcthcs_level smallint not null default 0 check (pcthcs_level between 0 and 3),
      created_by   bigint references users(id),
      updated_by   bigint references users(id),
      created_at   timestamptz not null default now(),
      updated_at   timestamptz not null default now(),
      check (survey_date is null or extract(year from survey_date)::int = year),
      primary key (org_unit_id, year)
    )`.execute(db);

  await createYearStatsTable(db, "literacy_stats");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists literacy_stats`.execute(db);
  await sql`drop table if exists literacy_years`.execute(db);
}
