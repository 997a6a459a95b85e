import { type Kysely, sql } from "kysely";
import { createYearStatsTable } from "./period-stats.ts";

/**
 * The Study Promotion Association's membership (Hội Khuyến học). Every commune and province has
 * its body (implicit: the unit itself); chapters belong to a body (association_chapters), report
 * yearly figures (association_chapter_years), and communes keep their population per year
 * (unit_populations) so members can be read as a share of it.
 *
 * association_stats keeps, per unit (the body's unit and each ancestor below the nation) and
 * period (a calendar year, '2024'), the metrics members, female, new_members, dues (đồng),
 * members_covered (members of communes that have a population), chapters and chapters:<kind>
 * (chapters reporting that year), new_chapters and new_chapters:<kind> (by founding year),
 * dissolved_chapters, population and population_units (communes with a population).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table association_chapters (
      id            bigint generated always as identity primary key,
      -- The body the chapter belongs to: a commune's or a province's Association.
      org_unit_id   bigint not null references org_units(id),
      kind          text not null check (kind in ('village', 'school', 'agency', 'enterprise', 'clan', 'other')),
      name          text not null check (length(name) between 1 and 200),
      search_key    text not null,
      sort_key      text not null collate "C",
      -- The village, school, agency or enterprise it is the chapter of (an org unit under the body).
      linked_unit_id bigint references org_units(id),
      -- For a clan: the registry's clan, if it is registered.
      clan_id       bigint references clans(id),
      head_name     text check (length(head_name) between 1 and 120),
      founded_on    date,
      dissolved_on  date,
      created_by    bigint references users(id),
      created_at    timestamptz not null default now(),
      updated_at    timestamptz not null default now(),
      check (dissolved_on is null or founded_on is null or dissolved_on >= founded_on),
      check (linked_unit_id is null or kind in ('village', 'school', 'agency', 'enterprise')),
      check (clan_id is null or kind = 'clan')
    )`.execute(db);
  await sql`create index association_chapters_unit_idx on association_chapters (org_unit_id, sort_key)`.execute(
    db,
  );
  // One living chapter per name in a body, per village/school/agency, per registered clan.
  await sql`
    create unique index association_chapters_name_uq on association_chapters (org_unit_id, search_key)
    where dissolved_on is null`.execute(db);
  await sql`
    create unique index association_chapters_linked_uq on association_chapters (linked_unit_id)
    where dissolved_on is null and linked_unit_id is not null`.execute(db);
  await sql`
    create unique index association_chapters_clan_uq on association_chapters (clan_id)
    where dissolved_on is null and clan_id is not null`.execute(db);

  await sql`
    create table association_chapter_years (
      chapter_id   bigint not null references association_chapters(id),
      year         int not null check (year between 2000 and 2100),
      members      int not null check (members between 0 and 10000000),
      female       int not null check (female between 0 and 10000000),
      new_members  int not null check (new_members between 0 and 10000000),
      dues         bigint not null check (dues between 0 and 9007199254740991),
      updated_by   bigint references users(id),
      updated_at   timestamptz not null default now(),
      primary key (chapter_id, year),
      check (female <= members),
      check (new_members <= members)
    )`.execute(db);

  await sql`
    create table unit_populations (
      org_unit_id  bigint not null references org_units(id),
      year         int not null check (year between 2000 and 2100),
      population   int not null check (population between 1 and 100000000),
      -- 'entered' by an officer; an import (a later issue) will say where it came from.
      source       text not null default 'entered' check (source ~ '^[a-z_:.-]{1,60}$'),
      updated_by   bigint references users(id),
      updated_at   timestamptz not null default now(),
      primary key (org_unit_id, year)
    )`.execute(db);

  await createYearStatsTable(db, "association_stats");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    "association_stats",
    "unit_populations",
    "association_chapter_years",
    "association_chapters",
  ]) {
    await sql`drop table if exists ${sql.id(t)}`.execute(db);
  }
}
