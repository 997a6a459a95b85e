/**
 * `xhht backup` and `xhht restore`, run as the real command (as src/cli/cli.test.ts does): a
 * backup downloaded from a running server, verified, restored into a new embedded database,
 * backed up from there and restored into a new PostgreSQL database.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../db/connection.ts";
import { PROJECT_ROOT } from "../../server/config.ts";
import { createUser, startTestApp } from "../../testing/test-app.ts";
import {
  emptyDatabase,
  enterRecords,
  HARNESS_KIND,
  type Records,
  type ScratchDatabase,
  scratchDir,
  truncatedCopy,
} from "./backup-fixtures.ts";
import { tableChecksums } from "./checksums.ts";
import { verifyBackup } from "./restore.ts";

const run = promisify(execFile);
const BIN = join(PROJECT_ROOT, "bin/xhht.js");
const files = scratchDir();

/** Run the real `xhht` command; never throws, returns exit code and output. */
async function xhht(...args: string[]) {
  const env = {
    ...process.env,
    XHHT_DATA_DIR: files.file("default-data"),
    DATABASE_URL: "",
    XHHT_API_TOKEN: "",
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let records: Records;
let server: string;
let token: string;
let postgres: ScratchDatabase | undefined;

beforeAll(async () => {
  ctx = await startTestApp();
  records = await enterRecords(ctx.app);
  const created = await records.admin.post("/api/v1/auth/tokens", { name: "sao lưu" });
  token = (created.json() as { token: string }).token;
  server = await ctx.app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await postgres?.dispose();
  await ctx?.close();
  files.cleanup();
});

describe("xhht backup / xhht restore", () => {
  it("describe themselves, and say how to back up the embedded database while the server runs", async () => {
    const help = await xhht("--help");
    expect(help.stdout).toContain("backup");
    expect(help.stdout).toContain("restore");
    const backup = await xhht("backup", "--help");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain("--from <url>");
    expect(backup.stdout).toContain("máy chủ đang chạy giữ thư mục đó");
    const restore = await xhht("restore", "--help");
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain("--verify");
    expect(restore.stdout).toContain("Chuyển từ CSDL nhúng sang PostgreSQL");
  });

  it("downloads from a running server with a national administrator's token, and refuses others", {
    timeout: 120_000,
  }, async () => {
    const file = files.file("tai-ve.ndjson.gz");
    const got = await xhht("backup", file, "--from", server, "--token", token);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toMatch(
      /^Đã tải bản sao lưu .+ tổng kiểm khớp\): \d+ bảng, [\d.]+ dòng; ảnh chụp lúc /,
    );
    const { footer } = await verifyBackup(file);
    expect(footer.tables.fund_entries?.rows).toBeGreaterThan(0);

    const noToken = await xhht("backup", files.file("x.gz"), "--from", server);
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toContain("thiếu --token");
    const badToken = await xhht("backup", files.file("x.gz"), "--from", server, "--token", "sai");
    expect(badToken.code).not.toBe(0);
    expect(badToken.stderr).toContain("Lỗi: máy chủ từ chối tải bản sao lưu (HTTP 401");
    const officer = await createUser(ctx.app, records.admin, "canbo.token", "officer", [records.binhYen]);
    const officerToken = (
      (await officer.post("/api/v1/auth/tokens", { name: "thử" })).json() as { token: string }
    ).token;
    const forbidden = await xhht("backup", files.file("x.gz"), "--from", server, "--token", officerToken);
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.stderr).toContain("(HTTP 403: Bạn không có quyền thực hiện thao tác này.)");
    expect(existsSync(files.file("x.gz"))).toBe(false);
  });

  it("verifies a file without a database, and refuses a cut one", async () => {
    const file = files.file("tai-ve.ndjson.gz");
    const ok = await xhht("restore", "--verify", file);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Tệp .+ nguyên vẹn \(.+ MB, tổng kiểm từng bảng khớp\): \d+ bảng/);
    const cut = await xhht("restore", "--verify", truncatedCopy(file, files.file("cut.ndjson.gz")));
    expect(cut.code).not.toBe(0);
    expect(cut.stderr).toContain(
      "Lỗi: Tệp sao lưu bị hỏng hoặc không trọn vẹn: tệp bị cắt cụt (thiếu phần cuối).",
    );
    const missing = await xhht("restore", files.file("khong-co.ndjson.gz"));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("Lỗi: không tìm thấy tệp sao lưu");
    // A refused file opens no database: the embedded one is not even created.
    const dir = files.file("never");
    const refused = await xhht("restore", files.file("cut.ndjson.gz"), "--data-dir", dir);
    expect(refused.code).not.toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it("restores into a new embedded database, refuses it the second time, backs it up and restores that into a new PostgreSQL database", {
    timeout: 180_000,
  }, async () => {
    const file = files.file("tai-ve.ndjson.gz");
    const { footer } = await verifyBackup(file);
    const dir = files.file("nhung");
    const restored = await xhht("restore", file, "--data-dir", dir);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stderr).toContain(`Đang khôi phục vào CSDL pglite (${dir})…`);
    expect(restored.stderr).toMatch(/\n {2}fund_entries: \d+ dòng\n/);
    expect(restored.stdout).toContain("tổng kiểm từng bảng khớp");

    const again = await xhht("restore", file, "--data-dir", dir);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/^Lỗi: CSDL đích không trống \(/m);

    const local = files.file("tu-nhung.ndjson.gz");
    const backup = await xhht("backup", local, "--data-dir", dir);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toMatch(/\n {2}audit_log: [\d.]+ dòng\n/);
    expect(backup.stdout).toMatch(/^Đã sao lưu vào .+ từ CSDL nhúng, cấu trúc \d{4}_/);
    const embedded = await connect({ dataDir: dir });
    try {
      expect(await tableChecksums(embedded.db)).toEqual(footer.tables);
    } finally {
      await embedded.close();
    }

    postgres = await emptyDatabase("postgres");
    await postgres.close();
    const toServer = await xhht("restore", local, "--database-url", postgres.where);
    expect(toServer.code, toServer.stderr).toBe(0);
    expect(toServer.stdout).toContain("vào CSDL postgres");
    const server = await connect({ databaseUrl: postgres.where, poolSize: 1 });
    try {
      expect(await tableChecksums(server.db)).toEqual(footer.tables);
    } finally {
      await server.close();
    }
  });

  it.skipIf(HARNESS_KIND !== "pglite")(
    "refuses to open an embedded database a running server holds, pointing to --from",
    async () => {
      const held = await xhht("backup", files.file("held.ndjson.gz"), "--data-dir", ctx.database.location);
      expect(held.code).not.toBe(0);
      expect(held.stderr).toContain("đang được một tiến trình khác mở (máy chủ xhht serve?)");
      expect(held.stderr).toContain("xhht backup <tệp> --from http://localhost:3000 --token <mã>");
    },
  );

  it.skipIf(HARNESS_KIND !== "postgres")(
    "backs a PostgreSQL database up directly while its server serves",
    { timeout: 60_000 },
    async () => {
      const file = files.file("truc-tiep.ndjson.gz");
      const got = await xhht("backup", file, "--database-url", ctx.database.location);
      expect(got.code, got.stderr).toBe(0);
      expect(got.stdout).toMatch(/^Đã sao lưu vào .+ từ PostgreSQL, cấu trúc \d{4}_/);
      await verifyBackup(file);
    },
  );

  it("says so when there is no embedded database to back up, and creates none", async () => {
    const dir = files.file("khong-co");
    const missing = await xhht("backup", files.file("x.ndjson.gz"), "--data-dir", dir);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`Lỗi: không có CSDL nhúng ở ${dir}`);
    expect(existsSync(dir)).toBe(false);
    const noFolder = await xhht(
      "backup",
      files.file("khong-co/x.ndjson.gz"),
      "--from",
      server,
      "--token",
      token,
    );
    expect(noFolder.code).not.toBe(0);
    expect(noFolder.stderr).toContain("không tồn tại");
  });
});
