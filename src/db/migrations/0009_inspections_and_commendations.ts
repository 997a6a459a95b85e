import { type Kysely, sql } from "kysely";
import { createYearStatsTable } from "./period-stats.ts";

/**
 * Inspections (kiểm tra), commendation proposals (khen thưởng) and exemplary models (điển hình
 * tiên tiến), with their live counters.
 *
 * inspection_stats counts, per inspecting unit and each ancestor below the nation, in the year of
 * a plan's issue date ('2024'): plans, targets, targets:<category>, targets:school:<level>,
 * inspected, rating:<r>. commendation_stats counts, per proposing unit and ancestors, in the
 * year of the proposal (or of the exemplary model): proposed:<kind>:<recipient>, awarded:…,
 * declined:…, exemplary:<model>. CHECK (n >= 0) refuses any decrement below zero.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table inspection_plans (
      id              bigint generated always as identity primary key,
      org_unit_id     bigint not null references org_units(id),
      document_number text not null check (length(document_number) between 1 and 60),
      issued_on       date not null,
      year            int not null,
      title           text not null check (length(title) between 1 and 300),
      search_key      text not null,
      from_date       date not null,
      to_date         date not null,
      -- [{ fullName, position, role: head|member }], checked by the service's schema.
      team            jsonb not null default '[]'::jsonb check (jsonb_typeof(team) = 'array'),
      notes           text check (length(notes) <= 5000),
      created_by      bigint references users(id),
      created_at      timestamptz not null default now(),
      updated_at      timestamptz not null default now(),
      check (to_date >= from_date),
      check (from_date >= issued_on),
      check (year = extract(year from issued_on)::int)
    )`.execute(db);
  await sql`create index inspection_plans_unit_year_idx on inspection_plans (org_unit_id, year)`.execute(db);

  await sql`
    create table inspection_targets (
      id              bigint generated always as identity primary key,
      plan_id         bigint not null references inspection_plans(id) on delete cascade,
      org_unit_id     bigint not null references org_units(id),
      position        int not null,
      category        text not null check (category in
                        ('commune_association', 'school_association', 'agency', 'clan', 'other')),
      school_level    text check (school_level in ('mam_non', 'tieu_hoc', 'thcs', 'thpt', 'lien_cap')),
      cluster         text check (length(cluster) <= 120),
      scheduled_on    date,
      inspected_on    date,
      rating          text check (rating in ('tot', 'kha', 'trung_binh', 'yeu')),
      findings        text check (length(findings) <= 5000),
      recommendations text check (length(recommendations) <= 5000),
      result_by       bigint references users(id),
      result_at       timestamptz,
      unique (plan_id, org_unit_id),
      check ((category = 'school_association') = (school_level is not null)),
      -- A result is a date and a rating together; findings only with a result.
      check ((inspected_on is null) = (rating is null)),
      check (rating is not null or (findings is null and recommendations is null))
    )`.execute(db);
  await sql`create index inspection_targets_unit_idx on inspection_targets (org_unit_id)`.execute(db);

  await createYearStatsTable(db, "inspection_stats");

  await sql`
    create table commendations (
      id                   bigint generated always as identity primary key,
      org_unit_id          bigint not null references org_units(id),
      kind                 text not null check (kind in ('bang_khen', 'giay_khen', 'other')),
      kind_other           text check (length(kind_other) <= 200),
      recipient_type       text not null check (recipient_type in ('individual', 'collective')),
      recipient_name       text not null check (length(recipient_name) between 1 and 300),
      search_key           text not null,
      recipient_org_unit_id bigint references org_units(id),
      awarding_body        text not null check (length(awarding_body) between 1 and 300),
      reason               text check (length(reason) <= 2000),
      proposed_on          date not null,
      year                 int not null,
      proposal_number      text check (length(proposal_number) <= 60),
      status               text not null default 'proposed' check (status in ('proposed', 'awarded', 'declined')),
      decision_number      text check (length(decision_number) <= 60),
      decided_on           date,
      decision_note        text check (length(decision_note) <= 1000),
      created_by           bigint references users(id),
      created_at           timestamptz not null default now(),
      updated_at           timestamptz not null default now(),
      check ((kind = 'other') = (kind_other is not null)),
      check (recipient_type = 'collective' or recipient_org_unit_id is null),
      check (status <> 'awarded' or (decision_number is not null and decided_on is not null)),
      check (status <> 'proposed' or (decision_number is null and decided_on is null)),
      check (decided_on is null or decided_on >= proposed_on),
      check (year = extract(year from proposed_on)::int)
    )`.execute(db);
  await sql`create index commendations_unit_year_idx on commendations (org_unit_id, year)`.execute(db);

  await sql`
    create table exemplary_models (
      id           bigint generated always as identity primary key,
      org_unit_id  bigint not null references org_units(id),
      model        text not null check (model in ('family', 'clan', 'community', 'unit', 'citizen', 'other')),
      name         text not null check (length(name) between 1 and 300),
      search_key   text not null,
      year         int not null check (year between 2000 and 2100),
      story        text check (length(story) <= 20000),
      honoured_at  text check (length(honoured_at) <= 300),
      created_by   bigint references users(id),
      created_at   timestamptz not null default now(),
      updated_at   timestamptz not null default now()
    )`.execute(db);
  await sql`create index exemplary_models_unit_year_idx on exemplary_models (org_unit_id, year)`.execute(db);

  await createYearStatsTable(db, "commendation_stats");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    "commendation_stats",
    "exemplary_models",
    "commendations",
    "inspection_stats",
    "inspection_targets",
    "inspection_plans",
  ]) {
    await sql`drop table if exists ${sql.id(t)}`.execute(db);
  }
}
