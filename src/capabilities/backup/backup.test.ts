/**
 * Backup and restore: what counts as an empty target (checked against a freshly bootstrapped
 * database), refusals (a used target, a cut or altered file) that leave the target as it was,
 * a snapshot taken under concurrent writes, and the download for a national administrator.
 * The restores go into new databases of the other kind; the PostgreSQL server of
 * XHHT_TEST_PG_URL must be reachable.
 */
import { createReadStream, writeFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/connection.ts";
import { migrateToLatest } from "../../db/migrate.ts";
import { migrationProvider } from "../../db/migrations/index.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { bootstrap } from "../../server/bootstrap.ts";
import {
  createUser,
  startTestApp,
  TEST_ADMIN_PASSWORD,
  TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { expectCountersEqualRecount, key, recountBalances } from "../fund/fund-fixtures.ts";
import { BACKUP_FORMAT, writeBackup } from "./backup.ts";
import {
  appOn,
  backupLines,
  editedCopy,
  emptyDatabase,
  enterRecords,
  fundBalance,
  HARNESS_KIND,
  kindLabel,
  loginOn,
  OFFICER,
  otherKind,
  type Records,
  type ScratchDatabase,
  scratchDir,
  totalRows,
  truncatedCopy,
} from "./backup-fixtures.ts";
import { dataTables } from "./catalog.ts";
import { tableChecksums } from "./checksums.ts";
import {
  assertEmpty,
  BackupError,
  BOOTSTRAP_AUDIT_USERNAMES,
  BOOTSTRAP_TABLES,
  restoreBackup,
  verifyBackup,
} from "./restore.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
const files = scratchDir();
const scratch: ScratchDatabase[] = [];
const OTHER = otherKind(HARNESS_KIND);

beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(async () => {
  for (const database of scratch) await database.dispose();
  await ctx?.close();
  files.cleanup();
});

async function newEmpty(kind = OTHER) {
  const database = await emptyDatabase(kind);
  scratch.push(database);
  return database;
}

async function count(database: Database, query: ReturnType<typeof sql<{ n: number }>>) {
  return Number((await query.execute(database.db)).rows[0]?.n ?? 0);
}

describe("an empty database", () => {
  it("is what bootstrap leaves: rows only in BOOTSTRAP_TABLES, audit entries only bootstrap's", async () => {
    // The test file's database is a copy of one bootstrapped like a first start; nobody has
    // logged in yet.
    const { db } = ctx.database;
    const tables = await dataTables(db);
    const filled: string[] = [];
    for (const t of tables) {
      const n = await count(
        ctx.database,
        sql<{ n: number }>`select count(*)::int as n from ${sql.table(t.name)}`,
      );
      if (n > 0) filled.push(t.name);
    }
    expect(filled.sort()).toEqual([...BOOTSTRAP_TABLES].sort());
    const usernames = await sql<{ username: string | null; user_id: number | null }>`
      select distinct username, user_id from audit_log order by username`.execute(db);
    expect(usernames.rows).toEqual(
      [...BOOTSTRAP_AUDIT_USERNAMES].sort().map((username) => ({ username, user_id: null })),
    );
    await db.transaction().execute(async (tx) => assertEmpty(tx, await dataTables(tx)));
  });
});

describe("with a commune's records", () => {
  let records: Records;
  let backup: string;
  let sums: Awaited<ReturnType<typeof tableChecksums>>;

  beforeAll(async () => {
    records = await enterRecords(ctx.app);
    backup = files.file("records.ndjson.gz");
    const written = await writeBackup(ctx.database.db, backup);
    sums = await tableChecksums(ctx.database.db);
    expect(written.tables).toEqual(sums);
  });

  it("writes a file that says what it is and verifies on its own", async () => {
    const { header, footer } = await verifyBackup(backup);
    expect(header).toMatchObject({
      format: BACKUP_FORMAT,
      formatVersion: 1,
      source: ctx.database.backend === "pglite" ? "pglite" : "postgresql",
    });
    const latest = await sql<{ name: string }>`select max(name) as name from kysely_migration`.execute(
      ctx.database.db,
    );
    expect(header.schema).toBe(latest.rows[0]?.name);
    expect(footer.tables).toEqual(sums);
    // One header, per table a description and its rows, one footer.
    const lines = backupLines(backup).filter((l) => l !== "");
    expect(lines.length).toBe(1 + Object.keys(sums).length + totalRows(sums) + 1);
  });

  it(`restores into a ${kindLabel(OTHER)} database whose first start already ran (bootstrap), nobody having used it`, {
    timeout: 180_000,
  }, async () => {
    const target = await newEmpty();
    await bootstrap(target, "mat-khau-lan-dau-123");
    const restored = await restoreBackup(target.db, backup);
    expect(restored.tables).toEqual(sums);
    expect(await tableChecksums(target.db)).toEqual(sums);
    // The first start's administrator password is gone: the backup's accounts are back.
    const app = await appOn(target);
    try {
      await loginOn(app, "admin", TEST_ADMIN_PASSWORD);
      const refused = await new TestClient(app).login("admin", "mat-khau-lan-dau-123");
      expect(refused.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it("refuses a database someone has used, in Vietnamese, and changes nothing in it", async () => {
    const before = await tableChecksums(ctx.database.db);
    const error = await restoreBackup(ctx.database.db, backup).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as Error).message).toMatch(
      /^CSDL đích không trống \(.*có \d+ tài khoản.*\)\. Chỉ khôi phục vào một CSDL mới/,
    );
    expect(await tableChecksums(ctx.database.db)).toEqual(before);
  });

  it(`refuses a cut file, an altered amount, a stranger's file, leaving the new ${kindLabel(OTHER)} database untouched`, {
    timeout: 120_000,
  }, async () => {
    const target = await newEmpty();
    const refused = async (input: string | Readable, message: RegExp) => {
      const error = await restoreBackup(target.db, input).catch((e: unknown) => e);
      expect(error, String(error)).toBeInstanceOf(BackupError);
      expect((error as Error).message).toMatch(message);
    };
    await refused(
      truncatedCopy(backup, files.file("half.ndjson.gz")),
      /^Tệp sao lưu bị hỏng hoặc không trọn vẹn: tệp bị cắt cụt \(thiếu phần cuối\)\. Không có dữ liệu nào được ghi\.$/,
    );
    const amount = editedCopy(
      backup,
      files.file("amount.ndjson.gz"),
      (l) => l.includes('"amount": 2364000000'),
      (l) => l.replace('"amount": 2364000000', '"amount": 2364000001'),
    );
    await refused(
      amount,
      /^Tệp sao lưu bị hỏng hoặc không trọn vẹn: tổng kiểm của bảng fund_entries không khớp \(tệp đã bị sửa hoặc hỏng\)\. Không có dữ liệu nào được ghi\.$/,
    );
    const version = editedCopy(
      backup,
      files.file("version.ndjson.gz"),
      (l) => l.includes('"formatVersion":1'),
      (l) => l.replace('"formatVersion":1', '"formatVersion":9'),
    );
    await refused(
      version,
      /^Bản sao lưu có định dạng phiên bản 9; phiên bản XHHT này chỉ đọc định dạng 1\.$/,
    );
    const notABackup = files.file("not-a-backup.gz");
    writeFileSync(notABackup, "PK\u0003\u0004 không phải gzip");
    await refused(notABackup, /^Tệp sao lưu bị hỏng hoặc không trọn vẹn: không giải nén được/);
    await refused(files.file("missing.ndjson.gz"), /^Không tìm thấy tệp sao lưu /);
    // A file is checked whole before the target is touched: not even its tables were created.
    expect(await dataTables(target.db)).toEqual([]);

    // A stream is read once, while loading: a row the database refuses (here a duplicate key)
    // rolls everything back and is reported as the damage it is.
    const [first, second] = records.householdIds;
    const duplicateKey = editedCopy(
      backup,
      files.file("key.ndjson.gz"),
      (l) => l.startsWith(`{"id": ${second}, `) && l.includes('"village_id"'),
      (l) => l.replace(`{"id": ${second}, `, `{"id": ${first}, `),
    );
    await migrateToLatest(target);
    const migrated = await tableChecksums(target.db);
    await refused(createReadStream(duplicateKey), /tổng kiểm của bảng households không khớp/);
    await refused(
      createReadStream(truncatedCopy(backup, files.file("cut.ndjson.gz"), 0.9)),
      /tệp bị cắt cụt/,
    );
    expect(await tableChecksums(target.db)).toEqual(migrated);

    // The refusals left it empty and usable: the whole file restores into it.
    expect((await restoreBackup(target.db, createReadStream(backup))).tables).toEqual(sums);
  });

  it("restores a backup of an older structure and upgrades it; refuses one from a newer version", {
    timeout: 120_000,
  }, async () => {
    const source = await newEmpty(HARNESS_KIND);
    const migrator = new Migrator({ db: source.db, provider: migrationProvider });
    const names = (await migrator.getMigrations()).map((m) => m.name);
    const [older, latest] = names.slice(-2) as [string, string];
    expect((await migrator.migrateTo(older)).error).toBeUndefined();
    const file = files.file("older.ndjson.gz");
    const written = await writeBackup(source.db, file);
    expect(written.header.schema).toBe(older);

    // A target already at the newer structure cannot go back to the backup's.
    const ahead = await newEmpty();
    await migrateToLatest(ahead);
    await expect(restoreBackup(ahead.db, file)).rejects.toThrow(
      `CSDL đích đã ở cấu trúc mới hơn bản sao lưu (${latest} so với ${older}).`,
    );
    const target = await newEmpty();
    const restored = await restoreBackup(target.db, file);
    expect(restored.tables).toEqual(written.tables);
    expect(restored.upgraded).toEqual([latest]);
    const now = await sql<{ name: string }>`select max(name) as name from kysely_migration`.execute(
      target.db,
    );
    expect(now.rows[0]?.name).toBe(latest);

    const newer = editedCopy(
      backup,
      files.file("newer.ndjson.gz"),
      (l) => l.includes(`"format":"${BACKUP_FORMAT}"`),
      (l) => l.replace(/"schema":"[^"]+"/, '"schema":"9999_future"'),
    );
    const fresh = await newEmpty();
    await expect(restoreBackup(fresh.db, newer)).rejects.toThrow(
      /^Bản sao lưu được tạo bởi phiên bản XHHT mới hơn \(cấu trúc CSDL "9999_future", phiên bản này chỉ biết đến ".+"\)\. Hãy cập nhật XHHT rồi khôi phục lại\.$/,
    );
    expect(await dataTables(fresh.db)).toEqual([]);
  });

  it("takes a consistent snapshot while writes go on, which restores to a consistent database", {
    timeout: 180_000,
  }, async () => {
    const officer = await loginOn(ctx.app, OFFICER.username, OFFICER.password);
    const receipts = () =>
      count(
        ctx.database,
        sql<{ n: number }>`select count(*)::int as n from fund_entries where kind = 'receipt'`,
      );
    const initial = await receipts();
    let running = true;
    let written = 0;
    const writer = async (n: number) => {
      for (let i = 0; running || i < 2; i++) {
        const receipt = await officer.post(`/api/v1/funds/${records.fundId}/receipts`, {
          date: todayInVietnam(),
          amount: 10_000 + n * 1_000 + i,
          donorType: "member",
          idempotencyKey: key(),
        });
        expect(receipt.statusCode, receipt.body).toBe(201);
        const household = await officer.post("/api/v1/households", {
          villageId: records.village,
          headName: `Hộ đang ghi ${n}-${i}`,
        });
        expect(household.statusCode, household.body).toBe(201);
        written++;
      }
    };
    const writers = [writer(1), writer(2)];
    while (written < 2) await new Promise((r) => setTimeout(r, 5));
    const file = files.file("under-writes.ndjson.gz");
    const writtenBefore = written;
    const snapshot = await writeBackup(ctx.database.db, file);
    const writtenDuring = written - writtenBefore;
    running = false;
    await Promise.all(writers);
    // One write surely after the snapshot (on PGlite the writers may all have finished inside it).
    const after = await officer.post(`/api/v1/funds/${records.fundId}/receipts`, {
      date: todayInVietnam(),
      amount: 99_999,
      donorType: "member",
      idempotencyKey: key(),
    });
    expect(after.statusCode, after.body).toBe(201);
    // A server's writes go on during the snapshot; PGlite's one connection makes them wait.
    if (ctx.database.backend === "postgres") expect(writtenDuring).toBeGreaterThan(0);

    const restored = await newEmpty();
    const result = await restoreBackup(restored.db, file);
    expect(result.tables).toEqual(snapshot.tables);
    const inBackup = await count(
      restored,
      sql<{ n: number }>`select count(*)::int as n from fund_entries where kind = 'receipt'`,
    );
    expect(inBackup).toBeGreaterThan(initial);
    expect(inBackup).toBeLessThan(await receipts());
    // Each write and its audit entry and counters are all in the snapshot, or none of them.
    const pairs = await sql<{
      receipts: number;
      receipt_audits: number;
      households: number;
      household_audits: number;
    }>`
      select (select count(*) from fund_entries where kind = 'receipt' and reversal_of is null)::int as receipts,
             (select count(*) from audit_log where action = 'fund.receipt_posted')::int as receipt_audits,
             (select count(*) from households)::int as households,
             (select count(*) from audit_log where action = 'household.created')::int as household_audits`.execute(
      restored.db,
    );
    const p = pairs.rows[0];
    expect(p?.receipts).toBe(p?.receipt_audits);
    expect(p?.households).toBe(p?.household_audits);
    await expectCountersEqualRecount(restored);
    const app = await appOn(restored);
    try {
      const there = await loginOn(app, OFFICER.username, OFFICER.password);
      const recounted = (await recountBalances(restored)).get(records.fundId);
      expect(await fundBalance(there, records.fundId)).toBe(String(recounted));
    } finally {
      await app.close();
    }
  });

  describe("GET /api/v1/system/backup", () => {
    it("gives a national administrator a gzip file, audited in it, that restores", {
      timeout: 120_000,
    }, async () => {
      const res = await records.admin.get("/api/v1/system/backup");
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toBe("application/gzip");
      expect(res.headers["content-disposition"]).toBe(
        `attachment; filename="xhht-backup-${todayInVietnam()}.ndjson.gz"`,
      );
      const body = res.rawPayload;
      expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(Number(res.headers["content-length"])).toBe(body.length);
      const file = files.file("download.ndjson.gz");
      writeFileSync(file, body);
      const { footer } = await verifyBackup(file);
      // The download is audited before the snapshot, so the file records who took it.
      expect(
        backupLines(file).some(
          (l) => l.includes('"action": "system.backup"') && l.includes('"username": "admin"'),
        ),
      ).toBe(true);
      const audit = await records.admin.get("/api/v1/audit?action=system.backup");
      expect(audit.statusCode, audit.body).toBe(200);
      expect((audit.json() as { items: { username: string; after: unknown }[] }).items).toEqual([
        expect.objectContaining({
          username: "admin",
          after: { file: `xhht-backup-${todayInVietnam()}.ndjson.gz` },
        }),
      ]);
      const target = await newEmpty();
      expect((await restoreBackup(target.db, file)).tables).toEqual(footer.tables);
    });

    it("answers the same to an API token (what `xhht backup --from` sends)", async () => {
      const created = await records.admin.post("/api/v1/auth/tokens", { name: "sao lưu hằng đêm" });
      expect(created.statusCode, created.body).toBe(201);
      const { token } = created.json() as { token: string };
      const res = await ctx.app.inject({
        method: "GET",
        url: "/api/v1/system/backup",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    });

    it("refuses an officer, a province's administrator and an anonymous client; nothing is audited", async () => {
      const audited = () =>
        count(
          ctx.database,
          sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'system.backup'`,
        );
      const before = await audited();
      const { thaiNguyen } = await testUnits(records.admin);
      const nation = await ctx.database.db
        .selectFrom("org_units")
        .select("id")
        .where("level", "=", 0)
        .executeTakeFirstOrThrow();
      const nationalOfficer = await createUser(ctx.app, records.admin, "canbo.trunguong", "officer", [
        Number(nation.id),
      ]);
      const provinceAdmin = await createUser(ctx.app, records.admin, "quantri.thainguyen", "admin", [
        thaiNguyen,
      ]);
      for (const client of [records.officer, nationalOfficer, provinceAdmin]) {
        const res = await client.get("/api/v1/system/backup");
        expect(res.statusCode, res.body).toBe(403);
        expect(res.headers["content-type"]).toContain("application/problem+json");
      }
      const anonymous = await new TestClient(ctx.app).get("/api/v1/system/backup");
      expect(anonymous.statusCode).toBe(401);
      expect(await audited()).toBe(before);
    });
  });
});
