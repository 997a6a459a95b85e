import { type Kysely, sql } from "kysely";
import { createYearStatsTable } from "./period-stats.ts";

/**
 * Programme events (Tuần lễ học tập suốt đời, Ngày Khuyến học 2/10, Ngày hội đọc sách, hội nghị
 * biểu dương…), the fund disbursements linked to them as the scholarships handed out there, and
 * coordination agreements (chương trình phối hợp) with partner units; their live counters.
 *
 * event_stats, per unit (the event's unit and each ancestor below the nation) and calendar year
 * of the start date: 'events:<kind>', 'participants:<kind>', 'female:<kind>' and
 * 'female_events:<kind>' (women, and the events that gave that optional figure), 'held:<kind>'
 * (communes that held at least one event of the kind), 'direct_scholarships',
 * 'direct_scholarship_amount'.
 * agreement_stats, per unit and calendar year: 'signed', 'signed:<partner kind>' (year signed),
 * 'active', 'active:<partner kind>' (every year in force).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table programme_events (
      id              bigint generated always as identity primary key,
      org_unit_id     bigint not null references org_units(id),
      kind            text not null check (kind in ('lifelong_learning_week', 'study_promotion_day',
                        'study_promotion_month', 'reading_festival', 'honouring_conference', 'other')),
      title           text not null check (length(title) between 1 and 300),
      search_key      text not null,
      start_date      date not null,
      end_date        date not null,
      year            int not null,
      place           text check (length(place) <= 300),
      participants    int not null check (participants between 0 and 10000000),
      female          int check (female between 0 and 10000000),
      -- Handed out directly by sponsors, not paid through a fund (the fund's are linked entries).
      direct_scholarships       int check (direct_scholarships between 0 and 10000000),
      direct_scholarship_amount bigint check (direct_scholarship_amount between 0 and 9007199254740991),
      notes           text check (length(notes) <= 2000),
      created_by      bigint references users(id),
      created_at      timestamptz not null default now(),
      updated_at      timestamptz not null default now(),
      check (end_date >= start_date),
      check (female is null or female <= participants),
      check (direct_scholarship_amount is null or direct_scholarship_amount = 0
             or coalesce(direct_scholarships, 0) > 0),
      check (year = extract(year from start_date)::int)
    )`.execute(db);
  await sql`create index programme_events_unit_date_idx on programme_events (org_unit_id, start_date, id)`.execute(
    db,
  );
  await sql`create index programme_events_year_idx on programme_events (year, org_unit_id)`.execute(db);

  // A scholarship disbursement handed out at an event; an entry belongs to at most one event.
  await sql`
    create table event_fund_entries (
      event_id      bigint not null references programme_events(id),
      fund_entry_id bigint not null unique references fund_entries(id),
      linked_by     bigint references users(id),
      linked_at     timestamptz not null default now(),
      primary key (event_id, fund_entry_id)
    )`.execute(db);

  await createYearStatsTable(db, "event_stats");

  await sql`
    create table coordination_agreements (
      id              bigint generated always as identity primary key,
      org_unit_id     bigint not null references org_units(id),
      partner_name    text not null check (length(partner_name) between 1 and 300),
      search_key      text not null,
      partner_kind    text not null check (partner_kind in ('department', 'mass_organisation', 'school',
                        'enterprise', 'other')),
      document_number text check (length(document_number) <= 100),
      signed_on       date not null,
      covers_from     date not null,
      covers_to       date not null,
      content         text check (length(content) <= 5000),
      ended_on        date,
      created_by      bigint references users(id),
      created_at      timestamptz not null default now(),
      updated_at      timestamptz not null default now(),
      check (covers_to >= covers_from),
      check (extract(year from covers_to) - extract(year from covers_from) < 15),
      check (ended_on is null or (ended_on >= covers_from and ended_on >= signed_on and ended_on <= covers_to))
    )`.execute(db);
  await sql`create index coordination_agreements_unit_idx on coordination_agreements (org_unit_id, signed_on, id)`.execute(
    db,
  );
  await sql`create index coordination_agreements_search_idx on coordination_agreements
            using gin (search_key gin_trgm_ops)`.execute(db);

  await createYearStatsTable(db, "agreement_stats");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    "agreement_stats",
    "coordination_agreements",
    "event_stats",
    "event_fund_entries",
    "programme_events",
  ]) {
    await sql`drop table if exists ${sql.id(t)}`.execute(db);
  }
}
