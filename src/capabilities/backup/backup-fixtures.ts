/**
 * Shared set-up of the backup tests: databases of either kind (a new empty one, or the test
 * file's own), the app on any of them, and a commune's records entered through the API.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "kysely";
import { expect } from "vitest";
import { type Backend, connect, type Database } from "../../db/connection.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import type { FrameworkDefinition } from "../../domain/learning-models/framework.ts";
import type { Answers } from "../../domain/learning-models/scoring.ts";
import { buildApp } from "../../server/app.ts";
import type { App } from "../../server/types.ts";
import {
  TestClient as Client,
  createUnit,
  createUserAndLogin,
  loginAsAdmin,
  type TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { key } from "../fund/fund-fixtures.ts";

/** The PostgreSQL server the tests create their own databases on (it must be reachable). */
export const PG_URL = process.env.XHHT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The kind of database the test harness gives each file (DATABASE_URL set: a server). */
export const HARNESS_KIND: Backend = process.env.DATABASE_URL ? "postgres" : "pglite";
export const otherKind = (kind: Backend): Backend => (kind === "pglite" ? "postgres" : "pglite");
export const kindLabel = (kind: Backend) => (kind === "pglite" ? "PGlite" : "PostgreSQL");

export type ScratchDatabase = Database & {
  /** The server URL of a PostgreSQL database, or the PGlite directory. */
  where: string;
  dispose(): Promise<void>;
};

/**
 * A new, empty database of `kind`, never migrated: a fresh PGlite directory, or a database
 * `xhht_backup_<hex>` created on PG_URL's server (dropped by `dispose`). An unreachable server
 * fails the test: CI always has one.
 */
export async function emptyDatabase(kind: Backend): Promise<ScratchDatabase> {
  if (kind === "pglite") {
    const root = mkdtempSync(join(tmpdir(), "xhht-backup-db-"));
    const dir = join(root, "data");
    const database = await connect({ dataDir: dir });
    let closed = false;
    return {
      ...database,
      where: dir,
      close: async () => {
        if (!closed) await database.close();
        closed = true;
      },
      dispose: async () => {
        if (!closed) await database.close();
        closed = true;
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
  let admin: Database;
  try {
    admin = await connect({ databaseUrl: PG_URL, poolSize: 1 });
  } catch (error) {
    throw new Error(
      `PostgreSQL server ${PG_URL} is unreachable (set XHHT_TEST_PG_URL): ${(error as Error).message}`,
    );
  }
  const name = `xhht_backup_${randomBytes(6).toString("hex")}`;
  await sql.raw(`create database "${name}"`).execute(admin.db);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const database = await connect({ databaseUrl: url.toString(), poolSize: 5 });
  let closed = false;
  return {
    ...database,
    where: url.toString(),
    close: async () => {
      if (!closed) await database.close();
      closed = true;
    },
    dispose: async () => {
      if (!closed) await database.close();
      closed = true;
      await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin.db);
      await admin.close();
    },
  };
}

/** The app on any database, as the test harness builds it. */
export async function appOn(database: Database): Promise<App> {
  const app = await buildApp({ database, version: "test", trustProxy: true, logger: false });
  await app.ready();
  return app;
}

/** A private temporary directory for backup files; `cleanup` removes it. */
export function scratchDir() {
  const dir = mkdtempSync(join(tmpdir(), "xhht-backup-files-"));
  return {
    dir,
    file: (name: string) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Full marks for every typed criterion, whatever its input kind. */
function fullMarks(definition: FrameworkDefinition): Answers {
  const answers: Answers = {};
  for (const c of definition.groups.flatMap((g) => g.criteria)) {
    if (c.derivedFrom) continue;
    const input = c.input;
    answers[c.code] =
      input.kind === "points"
        ? c.maxPoints
        : input.kind === "yes_no"
          ? true
          : input.kind === "count"
            ? Math.max(...input.steps.map((s) => s.atLeast))
            : 100;
  }
  return answers;
}

export const NATIONAL_ID = "001 203 004 567";
export const OFFICER = { username: "canbo.binhyen", password: "pw-canbo.binhyen-123" };
const TODAY = todayInVietnam();
const YEAR = Number(TODAY.slice(0, 4));

export interface Records {
  admin: TestClient;
  officer: TestClient;
  binhYen: number;
  village: number;
  fundId: number;
  provinceFundId: number;
  householdIds: number[];
  evaluationIds: number[];
}

async function ok<T>(res: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 201) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json() as T;
}

/**
 * A commune's records, entered through the API as its officer and village clerk: a village
 * with households and members (one with a national ID), a clan, the year's family
 * evaluations submitted, the commune's fund (opening balance, a donation, scholarships with the
 * pupils, a mistaken receipt and its reversal, a transfer to the province's fund), and their
 * audit entries. Texts carry what a row's canonical text must escape: quotes, backslashes,
 * tabs, emoji, Vietnamese in NFC.
 */
export async function enterRecords(app: App): Promise<Records> {
  const admin = await loginAsAdmin(app);
  const { binhYen, thaiNguyen } = await testUnits(admin);
  const village = await createUnit(admin, binhYen, "village", "Thôn Đồng Tâm");
  const officer = await createUserAndLogin(app, admin, {
    username: OFFICER.username,
    role: "officer",
    scopeIds: [binhYen],
  });
  const clerk = await createUserAndLogin(app, admin, {
    username: "truongthon.dongtam",
    role: "data_entry",
    scopeIds: [village],
  });
  const province = await createUserAndLogin(app, admin, {
    username: "canbo.thainguyen",
    role: "officer",
    scopeIds: [thaiNguyen],
  });

  const householdIds: number[] = [];
  for (const [headName, extra] of [
    ["Nguyễn Văn An", { members: [{ fullName: "Nguyễn Văn An", birthYear: 1968, nationalId: NATIONAL_ID }] }],
    ["Bùi Duy Bình", { address: 'Xóm "Giữa", ngõ 3\\4', isPoor: true }],
    [
      "Lê Thị Cúc",
      { isEthnicMinority: true, members: [{ fullName: "Lê Thị Cúc", birthYear: 1975, sex: "female" }] },
    ],
  ] as const) {
    const h = await ok<{ id: number }>(
      clerk.post("/api/v1/households", { villageId: village, headName, ...extra }),
    );
    householdIds.push(h.id);
  }
  const clan = await ok<{ id: number }>(
    officer.post("/api/v1/clans", { communeId: binhYen, name: "Dòng họ Nguyễn Văn" }),
  );
  await ok(officer.post(`/api/v1/clans/${clan.id}/households`, { householdIds: [householdIds[0]] }), 200);

  await ok(clerk.post("/api/v1/evaluations/register", { model: "gdht", year: YEAR, allIn: village }), 200);
  const evaluations = await ok<{ items: { id: number }[] }>(
    clerk.get(`/api/v1/evaluations?orgUnitId=${village}&model=gdht&year=${YEAR}&pageSize=50`),
    200,
  );
  const evaluationIds = evaluations.items.map((e) => e.id);
  for (const id of evaluationIds) {
    const detail = await ok<{ framework: { definition: FrameworkDefinition } }>(
      clerk.get(`/api/v1/evaluations/${id}`),
      200,
    );
    await ok(
      clerk.put(`/api/v1/evaluations/${id}/answers`, {
        answers: fullMarks(detail.framework.definition),
        submit: true,
      }),
      200,
    );
  }

  const fund = await ok<{ id: number }>(
    officer.post("/api/v1/funds", {
      orgUnitId: binhYen,
      kind: "general",
      startYear: YEAR - 1,
      openingBalance: 450_000_000,
    }),
  );
  const provinceFund = await ok<{ id: number }>(
    province.post("/api/v1/funds", { orgUnitId: thaiNguyen, kind: "general", startYear: YEAR - 1 }),
  );
  const post = (what: string, body: Record<string, unknown>) =>
    ok<{ entries: { id: number }[] }>(officer.post(`/api/v1/funds/${fund.id}/${what}`, body));
  await post("receipts", {
    date: TODAY,
    amount: 2_364_000_000,
    donorType: "business",
    donorName: 'Công ty TNHH "Ánh Dương" \\ chi nhánh\tBình Yên 🎓',
    earmark: "Học bổng cho học sinh nghèo",
    idempotencyKey: key(),
  });
  await post("disbursements", {
    date: TODAY,
    amount: 15_000_000,
    purpose: "sponsorship",
    description: "Đỡ đầu học sinh năm học mới",
    lines: [
      {
        pupilName: "Nguyễn Thị Lan",
        school: "Trường THCS Bình Yên",
        level: "lower_secondary",
        amount: 1_500_000,
      },
      { pupilName: "Trần Văn Minh", level: "primary", amount: 10_000_000 },
      { pupilName: "Lê Hoàng Nam", level: "upper_secondary", amount: 3_500_000 },
    ],
  });
  const mistaken = await post("receipts", { date: TODAY, amount: 5_000_000, donorType: "individual" });
  await post(`entries/${mistaken.entries[0]?.id}/reverse`, { reason: "Nhập nhầm số tiền" });
  await post("transfers", {
    date: TODAY,
    amount: 100_000_000,
    toFundId: provinceFund.id,
    description: "Nộp quỹ về Hội Khuyến học tỉnh",
  });
  return {
    admin,
    officer,
    binhYen,
    village,
    fundId: fund.id,
    provinceFundId: provinceFund.id,
    householdIds,
    evaluationIds,
  };
}

/** A logged-in client of `app`, or a failed test. */
export async function loginOn(app: App, username: string, password: string): Promise<TestClient> {
  const client = new Client(app);
  const res = await client.login(username, password);
  expect(res.statusCode, res.body).toBe(200);
  return client;
}

/** What the officer reads of the commune's records: equal before a backup and after a restore. */
export async function officerView(
  client: TestClient,
  records: Pick<Records, "fundId" | "village" | "householdIds" | "evaluationIds">,
) {
  const get = async (url: string) => {
    const res = await client.get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json() as unknown;
  };
  return {
    fund: await get(`/api/v1/funds/${records.fundId}`),
    entries: await get(`/api/v1/funds/${records.fundId}/entries?pageSize=200`),
    statement: await get(`/api/v1/funds/${records.fundId}/statement?year=${YEAR}`),
    households: await get(`/api/v1/households?villageId=${records.village}&pageSize=100`),
    evaluation: await get(`/api/v1/evaluations/${records.evaluationIds[0]}`),
  };
}

/** The balance of a fund as the API states it (a string of đồng). */
export async function fundBalance(client: TestClient, fundId: number): Promise<string> {
  const res = await client.get(`/api/v1/funds/${fundId}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { balance: string }).balance;
}

/** Sum of the rows of every data table (0: nothing was loaded). */
export function totalRows(sums: Record<string, { rows: number }>) {
  return Object.values(sums).reduce((n, s) => n + s.rows, 0);
}

/** A copy of a backup with its first `fraction` of bytes (a download cut short). */
export function truncatedCopy(file: string, out: string, fraction = 0.5) {
  const bytes = readFileSync(file);
  writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return out;
}

/** A copy of a backup with the first line matching `match` edited by `edit`, recompressed. */
export function editedCopy(
  file: string,
  out: string,
  match: (line: string) => boolean,
  edit: (line: string) => string,
) {
  const lines = gunzipSync(readFileSync(file)).toString("utf8").split("\n");
  const at = lines.findIndex(match);
  if (at < 0) throw new Error("no line to edit");
  const line = lines[at] as string;
  const edited = edit(line);
  if (edited === line) throw new Error("the edit changed nothing");
  lines[at] = edited;
  writeFileSync(out, gzipSync(lines.join("\n")));
  return out;
}

/** The table a backup's line `at` belongs to, and the line (for tests that inspect a file). */
export function backupLines(file: string): string[] {
  return gunzipSync(readFileSync(file)).toString("utf8").split("\n");
}
