import { type Kysely, sql } from "kysely";

/**
 * The audit trail keeps the ids it records without foreign keys. It is append-only and outlives
 * what it mentions: an entry says which user (with the username beside the id) and which unit,
 * as they were; nothing in it is ever looked up through those keys or changed by them (the
 * user key's `on delete set null` could only ever have been refused by the append-only trigger).
 * Checking the keys cost about 5 µs on every entry — a third of what an audit entry costs in a
 * household import, whose every row is audited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const keys = await sql<{ name: string }>`
    select conname as name from pg_constraint
    where conrelid = 'audit_log'::regclass and contype = 'f'
    order by conname`.execute(db);
  for (const key of keys.rows) {
    await sql`alter table audit_log drop constraint ${sql.ref(key.name)}`.execute(db);
  }
}
