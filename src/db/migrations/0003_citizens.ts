import { type Kysely, sql } from "kysely";

/**
 * Learning citizens (công dân học tập): registered by officers, or by citizens themselves on the
 * public page, in which case they wait in their commune's or unit's verification queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table citizens (
      id                  bigint generated always as identity primary key,
      -- The commune or the unit (agency, school, enterprise, commune body) the citizen belongs to.
      org_unit_id         bigint not null references org_units(id),
      full_name           text not null check (length(full_name) between 1 and 120),
      search_key          text not null,
      sort_key            text not null collate "C",
      citizen_group       smallint not null check (citizen_group between 1 and 4),
      birth_year          int check (birth_year between 1900 and 2100),
      phone               text check (phone ~ '^[0-9]{9,11}$'),
      household_member_id bigint references household_members(id),
      status              text not null default 'pending' check (status in ('pending', 'verified', 'rejected')),
      source              text not null check (source in ('public', 'officer')),
      -- Set when a public entry arrived in a burst or tripped the bot trap, so the queue shows it.
      flag                text check (flag in ('burst', 'repeat', 'trap')),
      -- SHA-256 of the sender's address and the day: enough to see repeats, not who sent it.
      client_hash         text,
      reject_reason       text,
      created_at          timestamptz not null default now(),
      decided_at          timestamptz,
      decided_by          bigint references users(id)
    )`.execute(db);
  await sql`create index citizens_queue_idx on citizens (org_unit_id, status, created_at)`.execute(db);
  await sql`create index citizens_client_idx on citizens (client_hash, created_at)`.execute(db);
  await sql`create index citizens_search_trgm on citizens using gin (search_key gin_trgm_ops)`.execute(db);
}
