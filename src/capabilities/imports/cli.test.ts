import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Database } from "../../db/connection.ts";
import { PROJECT_ROOT } from "../../server/config.ts";
import { createUser, loginAsAdmin, startTestApp } from "../../testing/test-app.ts";
import { registryWorld } from "../registry/registry-fixtures.ts";
import { ANNOTATION_HEADER } from "./annotate.ts";
import { householdWorkbook } from "./import-fixtures.ts";

const run = promisify(execFile);
const BIN = join(PROJECT_ROOT, "bin/xhht.js");
const files = mkdtempSync(join(tmpdir(), "xhht-cli-import-"));
let ctx: Awaited<ReturnType<typeof startTestApp>>;
let location: string;
let communeId: number;
let villageId: number;

beforeAll(async () => {
  ctx = await startTestApp();
  const admin = await loginAsAdmin(ctx.app);
  const world = await registryWorld(admin);
  communeId = world.communeA;
  villageId = world.villageA1;
  await createUser(ctx.app, admin, "canbo.cli", "officer", [world.communeA]);
  await createUser(ctx.app, admin, "canbo.khac", "officer", [world.communeB]);
  location = ctx.database.location;
  // The embedded database is one process's: the server lets go of it before the command opens it.
  if (ctx.database.backend === "pglite") await ctx.app.close().then(() => ctx.database.close());
});

afterAll(async () => {
  rmSync(files, { recursive: true, force: true });
  if (ctx.database.backend === "pglite") rmSync(join(location, ".."), { recursive: true, force: true });
  else await ctx.close();
});

async function xhht(...args: string[]) {
  const target = ctx.database.backend === "pglite" ? ["--data-dir", location] : ["--database-url", location];
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args, ...target], {
      env: { ...process.env, DATABASE_URL: "", XHHT_DATA_DIR: "" },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const database = await connect(
    ctx.database.backend === "pglite" ? { dataDir: location } : { databaseUrl: location },
  );
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

describe("xhht import", () => {
  it("checks, refuses a file with errors unless told, writes the annotated file, and imports as the named user", {
    timeout: 120_000,
  }, async () => {
    const file = join(files, "ho.xlsx");
    writeFileSync(
      file,
      await householdWorkbook([
        { code: "C1", village: "Thôn Đồng Bục", headName: "Hà Văn Cường", headBirthYear: 1971 },
        { code: "C2", village: "Thôn Đồng Bục", headName: "Nông Thị Dung", headBirthYear: "19x5" },
      ]),
    );
    const errors = join(files, "loi.xlsx");
    const refused = await xhht(
      "import",
      "households",
      file,
      "--org",
      `id:${communeId}`,
      "--user",
      "canbo.cli",
      "--errors",
      errors,
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("2 dòng — 1 mới, 0 cập nhật, 0 không đổi, 0 nghi trùng, 1 có lỗi");
    expect(refused.stdout).toContain("dòng 3, cột “Năm sinh chủ hộ”: Không phải là số: “19x5”.");
    expect(refused.stderr).toContain("1 dòng có lỗi: không ghi gì.");
    expect(existsSync(errors)).toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(errors);
    expect(book.getWorksheet("Hộ gia đình")?.getRow(1).getCell(11).value).toBe(ANNOTATION_HEADER);

    const done = await xhht(
      "import",
      "households",
      file,
      "--org",
      `id:${communeId}`,
      "--user",
      "canbo.cli",
      "--valid-only",
    );
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain("Đã ghi 1 dòng.");
    await withDb(async ({ db }) => {
      const rows = await sql<{
        head_name: string;
      }>`select head_name from households where village_id = ${villageId}`.execute(db);
      expect(rows.rows.map((r) => r.head_name)).toEqual(["Hà Văn Cường"]);
      const audit = await sql<{
        username: string;
      }>`select username from audit_log where action = 'import.committed'`.execute(db);
      expect(audit.rows.map((r) => r.username)).toEqual(["canbo.cli"]);
    });
  });

  it("refuses a user outside the unit, an unknown kind and a missing file, in Vietnamese", async () => {
    const file = join(files, "ho2.xlsx");
    writeFileSync(
      file,
      await householdWorkbook([{ village: "Thôn Ao Sen", headName: "Ai Đó", headBirthYear: 1990 }]),
    );
    const scope = await xhht(
      "import",
      "households",
      file,
      "--org",
      `id:${communeId}`,
      "--user",
      "canbo.khac",
    );
    expect(scope.code).toBe(1);
    expect(scope.stderr).toContain("Đơn vị này nằm ngoài phạm vi được phân công cho bạn.");
    const kind = await xhht("import", "trees", file, "--org", `id:${communeId}`);
    expect(kind.stderr).toContain("không có loại dữ liệu “trees”");
    const missing = await xhht(
      "import",
      "households",
      join(files, "khong-co.xlsx"),
      "--org",
      `id:${communeId}`,
    );
    expect(missing.stderr).toContain("không tìm thấy tệp");
  });
});
