import { type Kysely, sql } from "kysely";

/**
 * Learning models: the registry (households, members, clans), versioned criteria frameworks,
 * evaluations through the yearly cycle, and the live counters the statistics read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // ── Criteria frameworks: immutable once published; an edit is a new version. ──
  await sql`
    create table criteria_frameworks (
      id                  bigint generated always as identity primary key,
      model               text not null,
      version             int  not null check (version >= 1),
      title               text not null,
      -- null: national; otherwise the province whose variant this is.
      province_id         bigint references org_units(id),
      citizen_group       smallint check (citizen_group between 1 and 4),
      effective_from_year int  not null,
      effective_to_year   int,
      status              text not null default 'draft' check (status in ('draft', 'published', 'retired')),
      -- The whole framework document (FrameworkDefinition in src/domain/learning-models).
      definition          jsonb not null,
      cloned_from_id      bigint references criteria_frameworks(id),
      -- For shipped defaults: the resource file it came from, so a restart never loads it twice.
      source_key          text unique,
      created_by          bigint references users(id),
      created_at          timestamptz not null default now(),
      published_at        timestamptz
    )`.execute(db);
  await sql`create unique index criteria_frameworks_version_uq
            on criteria_frameworks (model, coalesce(province_id, 0), coalesce(citizen_group, 0), version)`.execute(
    db,
  );

  // ── Registry ──
  await sql`
    create table households (
      id                 bigint generated always as identity primary key,
      village_id         bigint not null references org_units(id),
      head_name          text not null check (length(head_name) between 1 and 120),
      search_key         text not null,
      sort_key           text not null collate "C",
      address            text,
      is_poor            boolean not null default false,
      is_near_poor       boolean not null default false,
      is_ethnic_minority boolean not null default false,
      member_count       int not null default 0 check (member_count >= 0),
      active             boolean not null default true,
      created_at         timestamptz not null default now(),
      updated_at         timestamptz not null default now(),
      check (not (is_poor and is_near_poor))
    )`.execute(db);
  await sql`create index households_village_idx on households (village_id, sort_key)`.execute(db);
  await sql`create index households_search_trgm on households using gin (search_key gin_trgm_ops)`.execute(
    db,
  );

  await sql`
    create table household_members (
      id                bigint generated always as identity primary key,
      household_id      bigint not null references households(id) on delete cascade,
      full_name         text not null check (length(full_name) between 1 and 120),
      birth_year        int check (birth_year between 1900 and 2100),
      sex               text check (sex in ('male', 'female')),
      ethnicity         text,
      is_head           boolean not null default false,
      -- A national ID is never stored in clear: a keyed hash (HMAC-SHA-256) and its last 4 digits.
      national_id_hash  text,
      national_id_last4 text check (national_id_last4 ~ '^[0-9]{4}$'),
      created_at        timestamptz not null default now()
    )`.execute(db);
  await sql`create index household_members_household_idx on household_members (household_id)`.execute(db);
  await sql`create unique index household_members_national_id_uq on household_members (national_id_hash)
            where national_id_hash is not null`.execute(db);

  await sql`
    create table clans (
      id          bigint generated always as identity primary key,
      commune_id  bigint not null references org_units(id),
      name        text not null check (length(name) between 1 and 120),
      search_key  text not null,
      sort_key    text not null collate "C",
      note        text,
      active      boolean not null default true,
      created_at  timestamptz not null default now(),
      updated_at  timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index clans_name_uq on clans (commune_id, search_key) where active`.execute(db);
  await sql`
    create table clan_households (
      clan_id      bigint not null references clans(id) on delete cascade,
      household_id bigint not null references households(id) on delete cascade,
      primary key (clan_id, household_id)
    )`.execute(db);
  await sql`create index clan_households_household_idx on clan_households (household_id)`.execute(db);

  // ── Evaluations: one per subject, model and year ──
  await sql`
    create table evaluations (
      id              bigint generated always as identity primary key,
      model           text not null,
      year            int  not null check (year between 2000 and 2100),
      subject_kind    text not null check (subject_kind in ('household', 'clan', 'village', 'unit', 'commune', 'citizen')),
      subject_id      bigint not null,
      -- The org unit the evaluation is counted in (a household's village, a clan's commune,
      -- the village/unit/commune itself); statistics roll up from here.
      org_unit_id     bigint not null references org_units(id),
      framework_id    bigint not null references criteria_frameworks(id),
      status          text not null check (status in
                        ('registered', 'draft', 'submitted', 'returned', 'accepted', 'recognised', 'rejected')),
      answers         jsonb not null default '{}',
      derived         jsonb not null default '{}',
      total           int,
      rating_code     text,
      rating_label    text,
      passing         boolean,
      submitted_at    timestamptz,
      reviewed_at     timestamptz,
      review_comment  text,
      decided_at      timestamptz,
      decision_number text,
      decision_date   date,
      decision_issuer text,
      reject_reason   text,
      created_at      timestamptz not null default now(),
      updated_at      timestamptz not null default now(),
      unique (model, year, subject_kind, subject_id)
    )`.execute(db);
  await sql`create index evaluations_unit_idx on evaluations (org_unit_id, year, model, status)`.execute(db);

  // ── Live counters, maintained in the same transaction as every write ──
  // Evaluation counters per org unit (the counting unit and each ancestor below the nation),
  // year, model and metric ('registered', 'status:recognised', 'rating:tot', …).
  await sql`
    create table model_stats (
      org_unit_id bigint not null references org_units(id),
      year        int    not null,
      model       text   not null,
      metric      text   not null,
      n           bigint not null default 0 check (n >= 0),
      primary key (org_unit_id, year, model, metric)
    )`.execute(db);
  // Registry counters (the denominators): active households, clans, villages, units, citizens
  // per org unit and each ancestor below the nation.
  await sql`
    create table subject_counts (
      org_unit_id  bigint not null references org_units(id),
      subject_kind text   not null,
      n            bigint not null default 0 check (n >= 0),
      primary key (org_unit_id, subject_kind)
    )`.execute(db);
  await sql`
    create table model_targets (
      org_unit_id    bigint not null references org_units(id),
      year           int    not null,
      model          text   not null,
      target_percent numeric(5, 2) not null check (target_percent between 0 and 100),
      set_by         bigint references users(id),
      set_at         timestamptz not null default now(),
      primary key (org_unit_id, year, model)
    )`.execute(db);
}
