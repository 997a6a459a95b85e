/**
 * The move the issue promises, both ways: a commune's records entered through the API on the
 * test file's database, backed up, restored into a new empty database of the other kind, used
 * there (login, reads, writes), backed up again and restored into a new empty database of the
 * first kind. Every table's rows and SHA-256 are compared at each step, and what the API reads.
 * Run on PGlite this goes PGlite → PostgreSQL → PGlite; with DATABASE_URL, PostgreSQL → PGlite
 * → PostgreSQL. The PostgreSQL server of XHHT_TEST_PG_URL must be reachable either way.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/connection.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import type { App } from "../../server/types.ts";
import { startTestApp, TEST_ADMIN_PASSWORD } from "../../testing/test-app.ts";
import { writeBackup } from "./backup.ts";
import {
  appOn,
  emptyDatabase,
  enterRecords,
  fundBalance,
  HARNESS_KIND,
  kindLabel,
  loginOn,
  NATIONAL_ID,
  OFFICER,
  officerView,
  otherKind,
  type Records,
  type ScratchDatabase,
  scratchDir,
  totalRows,
} from "./backup-fixtures.ts";
import { tableChecksums } from "./checksums.ts";
import { restoreBackup } from "./restore.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let records: Records;
const files = scratchDir();
const opened: { database: ScratchDatabase; app?: App }[] = [];

beforeAll(async () => {
  ctx = await startTestApp();
  records = await enterRecords(ctx.app);
});
afterAll(async () => {
  for (const { database, app } of opened.reverse()) {
    await app?.close();
    await database.dispose();
  }
  await ctx?.close();
  files.cleanup();
});

/** Largest id of some identity tables: a write after a restore must go past them. */
async function maxIds(database: Database) {
  const r = await sql<{ entries: number; households: number; audit: number }>`
    select (select max(id) from fund_entries)::int as entries, (select max(id) from households)::int as households,
           (select max(id) from audit_log)::int as audit`.execute(database.db);
  return r.rows[0] as { entries: number; households: number; audit: number };
}

/** Back `source` up, restore into a new empty database of `kind`: identical, table by table. */
async function moveTo(source: Database, kind: "pglite" | "postgres", name: string) {
  const file = files.file(name);
  let t = performance.now();
  const written = await writeBackup(source.db, file);
  const backupMs = performance.now() - t;
  const before = await tableChecksums(source.db);
  // Nothing was written between the snapshot and the checksums.
  expect(written.tables).toEqual(before);

  const target = await emptyDatabase(kind);
  opened.push({ database: target });
  t = performance.now();
  const restored = await restoreBackup(target.db, file);
  const restoreMs = performance.now() - t;
  expect(restored.upgraded).toEqual([]);
  const after = await tableChecksums(target.db);
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
  expect(restored.tables).toEqual(before);
  console.info(
    `${name}: ${Object.keys(before).length} tables, ${totalRows(before)} rows; backup ${backupMs.toFixed(0)} ms, restore ${restoreMs.toFixed(0)} ms`,
  );
  return target;
}

const first = otherKind(HARNESS_KIND);

describe(`backup and restore, ${kindLabel(HARNESS_KIND)} → ${kindLabel(first)} → ${kindLabel(HARNESS_KIND)}`, () => {
  let middle: ScratchDatabase;
  let middleApp: App;
  let balanceAfterWrite: string;

  it(`${kindLabel(HARNESS_KIND)} → ${kindLabel(first)}: every record, balance and audit entry identical; the app works on it`, {
    timeout: 180_000,
  }, async () => {
    const officer = await loginOn(ctx.app, OFFICER.username, OFFICER.password);
    const seen = await officerView(officer, records);
    const balance = await fundBalance(officer, records.fundId);
    expect(balance).toBe(String(450_000_000 + 2_364_000_000 - 15_000_000 - 100_000_000));
    const auditEntries = Number(
      (await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(ctx.database.db)).rows[0]
        ?.n,
    );
    const ids = await maxIds(ctx.database);

    middle = await moveTo(ctx.database, first, `1-${HARNESS_KIND}.ndjson.gz`);
    middleApp = await appOn(middle);
    opened[opened.length - 1] = { database: middle, app: middleApp };

    // Login (the officer's password hash came along), reads equal to the source's.
    const there = await loginOn(middleApp, OFFICER.username, OFFICER.password);
    expect(await fundBalance(there, records.fundId)).toBe(balance);
    expect(await officerView(there, records)).toEqual(seen);
    await loginOn(middleApp, "admin", TEST_ADMIN_PASSWORD);
    expect(
      Number(
        (await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(middle.db)).rows[0]?.n,
      ),
    ).toBeGreaterThan(auditEntries);

    // Writes: identity sequences continue past the restored rows; nothing collides.
    const receipt = await there.post(`/api/v1/funds/${records.fundId}/receipts`, {
      date: todayInVietnam(),
      amount: 1_000_000,
      donorType: "member",
    });
    expect(receipt.statusCode, receipt.body).toBe(201);
    expect((receipt.json() as { entries: { id: number }[] }).entries[0]?.id).toBeGreaterThan(ids.entries);
    const household = await there.post("/api/v1/households", {
      villageId: records.village,
      headName: "Phạm Văn Dũng",
    });
    expect(household.statusCode, household.body).toBe(201);
    expect((household.json() as { id: number }).id).toBeGreaterThan(ids.households);
    const lastAudit = (await maxIds(middle)).audit;
    expect(lastAudit).toBeGreaterThan(ids.audit);
    // The national-ID key came along: the same number is still recognised as a duplicate.
    const duplicate = await there.post("/api/v1/households", {
      villageId: records.village,
      headName: "Trần Văn Em",
      members: [{ fullName: "Trần Văn Em", birthYear: 1990, nationalId: NATIONAL_ID }],
    });
    expect(duplicate.statusCode, duplicate.body).toBe(409);
    balanceAfterWrite = await fundBalance(there, records.fundId);
    expect(balanceAfterWrite).toBe(String(BigInt(balance) + 1_000_000n));
  });

  it(`${kindLabel(first)} → ${kindLabel(HARNESS_KIND)}: the records written there come back too`, {
    timeout: 180_000,
  }, async () => {
    expect(middle, "the first move must have succeeded").toBeDefined();
    const seen = await officerView(await loginOn(middleApp, OFFICER.username, OFFICER.password), records);
    const back = await moveTo(middle, HARNESS_KIND, `2-${first}.ndjson.gz`);
    const app = await appOn(back);
    opened[opened.length - 1] = { database: back, app };
    const officer = await loginOn(app, OFFICER.username, OFFICER.password);
    expect(await fundBalance(officer, records.fundId)).toBe(balanceAfterWrite);
    expect(await officerView(officer, records)).toEqual(seen);
    const paid = await officer.post(`/api/v1/funds/${records.fundId}/disbursements`, {
      date: todayInVietnam(),
      amount: 2_000_000,
      purpose: "scholarship",
      beneficiaries: 2,
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(await fundBalance(officer, records.fundId)).toBe(String(BigInt(balanceAfterWrite) - 2_000_000n));
  });
});
