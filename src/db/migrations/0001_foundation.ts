import { type Kysely, sql } from "kysely";

/**
 * Foundation: org-unit tree with history and lineage, accounts, sessions, API tokens, audit.
 * Migrations are append-only: a released migration is never edited; changes go in a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table org_units (
      id          bigint generated always as identity primary key,
      parent_id   bigint references org_units(id),
      -- Materialised path of ids from the root to this unit, e.g. '/1/2/35/'. A subtree is
      -- "path like '/1/2/%'"; authorisation scopes are checked with it.
      path        text not null collate "C",
      level       int  not null check (level >= 0),
      kind        text not null,
      -- Official statistics code (mã đơn vị hành chính) for provinces and communes; optional for
      -- units created by users. Codes were reused across the 2025 reform, so uniqueness is per era.
      code        text,
      name        text not null check (length(name) between 1 and 200),
      search_key  text not null,
      sort_key    text not null collate "C",
      valid_from  date,
      valid_to    date,
      created_at  timestamptz not null default now(),
      updated_at  timestamptz not null default now(),
      check (valid_to is null or valid_from is null or valid_to >= valid_from)
    )`.execute(db);
  await sql`create unique index org_units_path_uq on org_units (path)`.execute(db);
  await sql`create index org_units_parent_idx on org_units (parent_id, sort_key)`.execute(db);
  await sql`create index org_units_code_idx on org_units (code)`.execute(db);
  await sql`create index org_units_level_idx on org_units (level, sort_key)`.execute(db);
  await sql`create index org_units_search_trgm on org_units using gin (search_key gin_trgm_ops)`.execute(db);
  await sql`create unique index org_units_admin_code_uq on org_units (kind, code, coalesce(valid_to, 'infinity'::date))
            where code is not null and kind in ('nation', 'province', 'district', 'commune')`.execute(db);
  // Two villages of one commune cannot share a name. Official lists are exempt: a few new
  // communes of one province do share a name (they differ by code).
  await sql`create unique index org_units_sibling_name_uq on org_units (parent_id, kind, search_key)
            where valid_to is null and kind not in ('nation', 'province', 'district', 'commune')`.execute(db);

  await sql`
    create table org_unit_lineage (
      predecessor_id bigint not null references org_units(id),
      successor_id   bigint not null references org_units(id),
      -- 'full': the whole predecessor went into the successor; 'partial': only part of it.
      share          text not null check (share in ('full', 'partial')),
      effective_date date not null,
      source         text not null,
      primary key (predecessor_id, successor_id)
    )`.execute(db);
  await sql`create index org_unit_lineage_successor_idx on org_unit_lineage (successor_id)`.execute(db);

  await sql`
    create table users (
      id                    bigint generated always as identity primary key,
      username              text not null unique check (username ~ '^[a-z0-9._-]{3,40}$'),
      full_name             text not null,
      search_key            text not null,
      role                  text not null check (role in ('admin', 'officer', 'data_entry', 'viewer')),
      password_hash         text not null,
      must_change_password  boolean not null default false,
      is_active             boolean not null default true,
      failed_logins         int not null default 0,
      locked_until          timestamptz,
      created_at            timestamptz not null default now(),
      updated_at            timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table user_scopes (
      user_id     bigint not null references users(id) on delete cascade,
      org_unit_id bigint not null references org_units(id),
      primary key (user_id, org_unit_id)
    )`.execute(db);

  await sql`
    create table sessions (
      id_hash     text primary key,
      user_id     bigint not null references users(id) on delete cascade,
      csrf_token  text not null,
      created_at  timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at  timestamptz not null,
      ip          text,
      user_agent  text
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);

  await sql`
    create table api_tokens (
      id          bigint generated always as identity primary key,
      user_id     bigint not null references users(id) on delete cascade,
      name        text not null,
      token_hash  text not null unique,
      token_hint  text not null,
      created_at  timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at  timestamptz
    )`.execute(db);

  await sql`
    create table audit_log (
      id          bigint generated always as identity primary key,
      at          timestamptz not null default now(),
      user_id     bigint references users(id) on delete set null,
      username    text,
      action      text not null,
      entity_type text not null,
      entity_id   text,
      -- The org unit the entity belongs to: officers see audit entries of their subtree.
      org_unit_id bigint references org_units(id),
      before      jsonb,
      after       jsonb,
      request_id  text,
      ip          text,
      user_agent  text
    )`.execute(db);
  await sql`create index audit_log_at_idx on audit_log (at desc)`.execute(db);
  await sql`create index audit_log_entity_idx on audit_log (entity_type, entity_id)`.execute(db);
  await sql`create index audit_log_org_unit_idx on audit_log (org_unit_id, at desc)`.execute(db);
  // The audit trail is append-only: the database itself refuses edits and deletions.
  await sql`
    create function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only' using errcode = 'P0001';
    end $$`.execute(db);
  await sql`create trigger audit_log_no_update before update or delete on audit_log
            for each row execute function audit_log_is_append_only()`.execute(db);

  await sql`
    create table app_settings (
      key   text primary key,
      value jsonb not null
    )`.execute(db);
}
