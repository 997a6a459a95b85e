import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { recordAudit, systemAuditContext } from "../capabilities/audit/audit-writer.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { openTestDatabase } from "../testing/test-database.ts";
import { bootstrap } from "./bootstrap.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase(inject("xhhtTemplate"));
});
afterAll(() => database.dispose());

describe("start-up on an existing database", () => {
  it("applies no migration twice, reloads nothing (units or frameworks), keeps users' data and creates no second admin", async () => {
    const { db } = database;
    const nation = await db
      .selectFrom("org_units")
      .select(["id", "path"])
      .where("kind", "=", "nation")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("org_units")
      .values({
        parent_id: nation.id,
        path: `${nation.path}~`,
        level: 1,
        kind: "agency",
        name: "Hội Khuyến học Việt Nam",
        search_key: "hoi khuyen hoc viet nam",
        sort_key: "x",
      })
      .execute();
    const before = await db
      .selectFrom("org_units")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();

    const result = await bootstrap(database, "another-password");
    expect(result).toEqual({
      migrations: [],
      adminUnitsLoaded: false,
      frameworksLoaded: 0,
      firstAdmin: null,
    });
    // The shipped criteria frameworks were loaded once, by the first start, not again.
    const frameworks = await db
      .selectFrom("criteria_frameworks")
      .select(sql<number>`count(*)`.as("n"))
      .where("source_key", "is not", null)
      .executeTakeFirstOrThrow();
    expect(Number(frameworks.n)).toBe(6);
    expect(await migrateToLatest(database)).toEqual([]);

    const after = await db
      .selectFrom("org_units")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const admins = await db.selectFrom("users").select("username").execute();
    expect(admins.map((u) => u.username)).toEqual(["admin"]);
  });
});

describe("the audit trail", () => {
  it("is kept in one partition per year (Vietnam time), older and later years in a default one", async () => {
    const { db } = database;
    await recordAudit(db, systemAuditContext("test"), {
      action: "test.partition",
      entityType: "test",
      entityId: 3,
      orgUnitId: null,
    });
    const where = await sql<{ part: string; year: number }>`
      select tableoid::regclass::text as part,
             extract(year from (at at time zone 'UTC') + interval '7 hours')::int as year
      from audit_log where action = 'test.partition'`.execute(db);
    expect(where.rows).toHaveLength(1);
    expect(where.rows[0]?.part).toBe(`audit_log_${where.rows[0]?.year}`);
    // The boundary is Vietnam's midnight, not UTC's; a year past the partitions still has a place.
    const placed = await sql<{ at: string; part: string }>`
      insert into audit_log (at, action, entity_type)
      values ('2025-12-31 23:30+07', 'test.boundary', 'test'), ('2026-01-01 00:30+07', 'test.boundary', 'test'),
             ('2099-06-01 12:00+07', 'test.boundary', 'test')
      returning to_char((at at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD HH24:MI') as at, tableoid::regclass::text as part`.execute(
      db,
    );
    expect(placed.rows).toEqual([
      { at: "2025-12-31 23:30", part: "audit_log_2025" },
      { at: "2026-01-01 00:30", part: "audit_log_2026" },
      { at: "2099-06-01 12:00", part: "audit_log_other_years" },
    ]);
  });

  it("cannot be edited or deleted, even by SQL that bypasses the services", async () => {
    const { db } = database;
    await recordAudit(db, systemAuditContext("test"), {
      action: "test.event",
      entityType: "test",
      entityId: 1,
      orgUnitId: null,
    });
    await expect(sql`update audit_log set action = 'forged'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
    const still = await db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "test.event")
      .execute();
    expect(still).toHaveLength(1);
  });

  it("never stores secrets, whatever a caller passes", async () => {
    const { db } = database;
    await recordAudit(db, systemAuditContext("test"), {
      action: "test.secret",
      entityType: "test",
      entityId: 2,
      orgUnitId: null,
      after: { username: "x", password: "hunter22", nested: { token: "xhht_abc" } },
    });
    const row = await db
      .selectFrom("audit_log")
      .select("after")
      .where("action", "=", "test.secret")
      .executeTakeFirstOrThrow();
    const text = JSON.stringify(row.after);
    expect(text).not.toContain("hunter22");
    expect(text).not.toContain("xhht_abc");
    expect(row.after).toMatchObject({ username: "x", password: "[đã ẩn]", nested: { token: "[đã ẩn]" } });
  });
});
