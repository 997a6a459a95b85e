import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDatabase } from "../../capabilities/backup/backup-fixtures.ts";
import { migrateToLatest } from "../migrate.ts";

let database: Awaited<ReturnType<typeof emptyDatabase>>;
beforeAll(async () => {
  database = await emptyDatabase(process.env.DATABASE_URL ? "postgres" : "pglite");
});
afterAll(() => database.dispose());

describe("the audit trail without foreign keys (migration 0019)", () => {
  it("keeps the user and unit ids it is given, in every year's partition, and stays append-only", async () => {
    const { db } = database;
    await migrateToLatest(database);
    const keys = await sql<{ n: number }>`
      select count(*)::int as n from pg_constraint c join pg_class t on t.oid = c.conrelid
      where c.contype = 'f' and t.relname like 'audit_log%'`.execute(db);
    expect(keys.rows[0]?.n).toBe(0);
    await sql`
      insert into audit_log (user_id, username, action, entity_type, entity_id, org_unit_id, at)
      values (987654321, 'đã nghỉ', 'household.updated', 'household', '1', 123456789, '2016-05-01'),
             (987654321, 'đã nghỉ', 'household.updated', 'household', '1', 123456789, now())`.execute(db);
    const kept = await sql<{ user_id: string; org_unit_id: string }>`
      select user_id::text, org_unit_id::text from audit_log where username = 'đã nghỉ'`.execute(db);
    expect(kept.rows).toEqual([
      { user_id: "987654321", org_unit_id: "123456789" },
      { user_id: "987654321", org_unit_id: "123456789" },
    ]);
    await expect(sql`update audit_log set org_unit_id = null`.execute(db)).rejects.toThrow(/append-only/);
  });
});
