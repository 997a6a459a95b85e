import { type Kysely, sql } from "kysely";

/**
 * The audit trail, which every write adds to and nothing ever removes, partitioned by year (issue
 * 8: tables that grow without bound): one partition per calendar year in Vietnam time, 2015–2045,
 * and a default partition so that no entry is ever refused for its date. A year's entries can then
 * be archived or moved as one table, and indexes stay the size of a year. The partition key is
 * part of the primary key, as PostgreSQL requires: (id, at); ids still come from one identity.
 * Existing entries are copied with their ids; the append-only trigger is the same.
 */
export const AUDIT_YEARS = { from: 2015, to: 2045 } as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log rename to audit_log_unpartitioned`.execute(db);
  await sql`alter table audit_log_unpartitioned rename constraint audit_log_pkey to audit_log_unpartitioned_pkey`.execute(
    db,
  );
  for (const index of ["audit_log_at_idx", "audit_log_entity_idx", "audit_log_org_unit_idx"]) {
    await sql`alter index ${sql.ref(index)} rename to ${sql.ref(`${index}_unpartitioned`)}`.execute(db);
  }
  await sql`drop trigger audit_log_no_update on audit_log_unpartitioned`.execute(db);

  await sql`
    create table audit_log (
      id          bigint generated always as identity,
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
      user_agent  text,
      primary key (id, at)
    ) partition by range (at)`.execute(db);
  for (let year = AUDIT_YEARS.from; year <= AUDIT_YEARS.to; year++) {
    await sql`
      create table ${sql.ref(`audit_log_${year}`)} partition of audit_log
      for values from (${sql.lit(`${year}-01-01 00:00+07`)}) to (${sql.lit(`${year + 1}-01-01 00:00+07`)})`.execute(
      db,
    );
  }
  await sql`create table audit_log_other_years partition of audit_log default`.execute(db);
  await sql`create index audit_log_at_idx on audit_log (at desc)`.execute(db);
  await sql`create index audit_log_entity_idx on audit_log (entity_type, entity_id)`.execute(db);
  await sql`create index audit_log_org_unit_idx on audit_log (org_unit_id, at desc)`.execute(db);

  await sql`
    insert into audit_log (id, at, user_id, username, action, entity_type, entity_id, org_unit_id, before, after,
                           request_id, ip, user_agent)
    overriding system value
    select id, at, user_id, username, action, entity_type, entity_id, org_unit_id, before, after,
           request_id, ip, user_agent
    from audit_log_unpartitioned order by id`.execute(db);
  await sql`
    select setval(pg_get_serial_sequence('audit_log', 'id'), coalesce(max(id), 0) + 1, false)
    from audit_log`.execute(db);
  await sql`drop table audit_log_unpartitioned`.execute(db);

  // Still append-only: the database itself refuses edits and deletions, in every partition.
  await sql`create trigger audit_log_no_update before update or delete on audit_log
            for each row execute function audit_log_is_append_only()`.execute(db);
}
