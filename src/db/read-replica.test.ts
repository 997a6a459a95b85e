/**
 * DATABASE_READ_URL: the dashboard's figures and the reports' documents and completeness are read
 * from a streaming replica, every write goes to the primary. Proven on two real clusters made
 * here (a primary and its `pg_basebackup -R` replica), whatever backend the rest of the suite
 * runs on: with the replica's replay paused, a write is on the primary and not yet on the
 * dashboard; resumed, it appears. The lag from a write's response to the dashboard showing it is
 * measured and printed.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../server/bootstrap.ts";
import { configFromEnv } from "../server/config.ts";
import type { App } from "../server/types.ts";
import {
  findPostgresTools,
  type StreamingReplica,
  startStreamingReplica,
} from "../testing/streaming-replica.ts";
import {
  buildTestApp,
  loginAsAdmin,
  TEST_ADMIN_PASSWORD,
  type TestClient,
  testUnits,
} from "../testing/test-app.ts";
import { connect, type Database } from "./connection.ts";

const tools = findPostgresTools();
if (!tools.ok) console.warn(`read-replica test skipped: ${tools.reason}`);

const YEAR = 2025;
const MODEL = "gdht";
const Q = "association-quarterly";
const PERIOD = "2026-Q3";
/** A figure that prints as "4.321" in the report's document and nowhere else. */
const MEMBERS = 4321;

let clusters: StreamingReplica | undefined;
let database: Database | undefined;
let app: App | undefined;
let admin: TestClient;
let thaiNguyen: number;
let binhYen: number;

/** The primary's and the replica's handles (set in beforeAll). */
const handles = () => {
  if (!database) throw new Error("no database");
  return database;
};

/** Wait until the replica has replayed everything the primary has written so far. */
async function caughtUp(on: Pick<Database, "db" | "read"> = handles(), timeoutMs = 15_000) {
  const { rows } = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(on.db);
  const lsn = rows[0]?.lsn as string;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const done = await sql<{
      done: boolean;
    }>`select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as done`.execute(on.read);
    if (done.rows[0]?.done) return;
    if (Date.now() > until) throw new Error(`the replica did not replay up to ${lsn} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function pauseReplay() {
  const { read } = handles();
  await sql`select pg_wal_replay_pause()`.execute(read);
  // Pausing is requested, then takes effect: wait for it, or a write could slip through.
  for (;;) {
    const { rows } = await sql<{ state: string }>`select pg_get_wal_replay_pause_state() as state`.execute(
      read,
    );
    if (rows[0]?.state === "paused") return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function resumeReplay() {
  await sql`select pg_wal_replay_resume()`.execute(handles().read);
}

/** The target the dashboard shows for Tỉnh Thái Nguyên (GET /stats/learning-models). */
async function dashboardTarget(): Promise<number | null> {
  const res = await admin.get(`/api/v1/stats/learning-models?orgUnitId=${thaiNguyen}&year=${YEAR}`);
  expect(res.statusCode, res.body).toBe(200);
  const stats = res.json() as { models: { model: string; figures: { targetPercent: number | null } }[] };
  return stats.models.find((m) => m.model === MODEL)?.figures.targetPercent ?? null;
}

async function setTarget(targetPercent: number) {
  const res = await admin.put("/api/v1/stats/targets", {
    orgUnitId: thaiNguyen,
    year: YEAR,
    model: MODEL,
    targetPercent,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** The stored target on one side (primary or replica), straight from the table. */
async function storedTarget(side: "db" | "read"): Promise<number | null> {
  const row = await handles()
    [side].selectFrom("model_targets")
    .select("target_percent")
    .where("org_unit_id", "=", thaiNguyen)
    .where("year", "=", YEAR)
    .where("model", "=", MODEL)
    .executeTakeFirst();
  return row ? Number(row.target_percent) : null;
}

/** Poll `probe` until it is true; the milliseconds it took and the number of probes. */
async function until(probe: () => Promise<boolean>, timeoutMs = 10_000) {
  const start = performance.now();
  let probes = 0;
  for (;;) {
    probes++;
    if (await probe()) return { ms: performance.now() - start, probes };
    if (performance.now() - start > timeoutMs) throw new Error(`not seen in ${timeoutMs} ms`);
  }
}

describe.skipIf(!tools.ok)(
  tools.ok ? "reads from a streaming replica" : `reads from a streaming replica (skipped: ${tools.reason})`,
  () => {
    beforeAll(async () => {
      if (!tools.ok) return;
      clusters = await startStreamingReplica(tools);
      const server = await connect({
        databaseUrl: clusters.primaryUrl("postgres"),
        readUrl: clusters.replicaUrl("postgres"),
        poolSize: 1,
      });
      await sql`create database xhht`.execute(server.db);
      // The replica must have the new database before anything connects to it there.
      await caughtUp(server);
      await server.close();
      // Through the configuration, as the server reads it.
      const config = configFromEnv({
        DATABASE_URL: clusters.primaryUrl("xhht"),
        DATABASE_READ_URL: clusters.replicaUrl("xhht"),
      });
      database = await connect({
        databaseUrl: config.databaseUrl,
        readUrl: config.databaseReadUrl,
        poolSize: 4,
      });
      await bootstrap(database, TEST_ADMIN_PASSWORD);
      await caughtUp();
      app = await buildTestApp(database);
      admin = await loginAsAdmin(app);
      ({ thaiNguyen, binhYen } = await testUnits(admin));
    }, 90_000);

    afterAll(async () => {
      await app?.close();
      await database?.close();
      clusters?.stop();
    });

    it("reads through the replica, writes through the primary", async () => {
      const { db, read } = handles();
      expect(read).not.toBe(db);
      const recovery = async (side: typeof db) =>
        (await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(side)).rows[0]?.r;
      expect(await recovery(db)).toBe(false);
      expect(await recovery(read)).toBe(true);
      // A replica refuses writes, so a write routed to it by mistake fails loudly.
      await expect(sql`create table oops (a int)`.execute(read)).rejects.toThrow(/read-only transaction/);
    });

    it("is the primary alone without a read URL, and refuses an unreachable one", async () => {
      const url = clusters?.primaryUrl("xhht") as string;
      const alone = await connect({ databaseUrl: url, poolSize: 1 });
      expect(alone.read).toBe(alone.db);
      await alone.close();
      await expect(
        connect({ databaseUrl: url, readUrl: "postgres://postgres@127.0.0.1:1/xhht", poolSize: 1 }),
      ).rejects.toThrow();
    });

    it("serves the dashboard and the report documents from the replica: paused, a write is not there yet", async () => {
      await caughtUp();
      expect(await dashboardTarget()).toBeNull();
      await pauseReplay();
      try {
        // A dashboard figure: the province's target for the model.
        await setTarget(65);
        expect(await storedTarget("db")).toBe(65);
        expect(await storedTarget("read")).toBeNull();
        expect(await dashboardTarget()).toBeNull();
        const trend = await admin.get(
          `/api/v1/stats/learning-models/trend?orgUnitId=${thaiNguyen}&model=${MODEL}`,
        );
        expect(trend.statusCode, trend.body).toBe(200);
        const trendTargets = (trend.json() as { year: number; targetPercent: number | null }[])
          .filter((y) => y.year === YEAR)
          .map((y) => y.targetPercent);
        expect(trendTargets.every((t) => t === null)).toBe(true);
        const xlsx = await admin.get(
          `/api/v1/stats/learning-models/export.xlsx?orgUnitId=${thaiNguyen}&year=${YEAR}`,
        );
        expect(xlsx.statusCode, xlsx.body).toBe(200);

        // Authentication reads the primary: a session made now works at once, on replica routes too.
        const fresh = await loginAsAdmin(app as App);
        const viaFresh = await fresh.get(
          `/api/v1/stats/learning-models?orgUnitId=${thaiNguyen}&year=${YEAR}`,
        );
        expect(viaFresh.statusCode, viaFresh.body).toBe(200);

        // A report request: the list (replica) has not got it; its own page falls back to the primary.
        const created = await admin.post("/api/v1/reports/requests", {
          template: Q,
          period: PERIOD,
          unitId: thaiNguyen,
          deadline: "2026-10-10",
          unitIds: [binhYen],
        });
        expect(created.statusCode, created.body).toBe(200);
        const requestId = (created.json() as { id: number }).id;
        const listed = await admin.get(`/api/v1/reports/requests?unitId=${thaiNguyen}`);
        expect(listed.statusCode, listed.body).toBe(200);
        expect((listed.json() as { items: unknown[] }).items).toEqual([]);
        const status = await admin.get(`/api/v1/reports/requests/${requestId}`);
        expect(status.statusCode, status.body).toBe(200);
        expect((status.json() as { completeness: { expected: number } }).completeness.expected).toBe(1);

        // The report form stays on the primary (reopened right after saving); its document does not.
        const rq = `?template=${Q}&unitId=${binhYen}&period=${PERIOD}`;
        const saved = await admin.put(`/api/v1/reports/report${rq}`, {
          values: {
            members: MEMBERS,
            members_female: 640,
            new_members: 35,
            new_chapters: 1,
            funds_raised: 45_000_000,
            scholarships: 20,
            scholarships_amount: 10_000_000,
            classes: 6,
            participants: 410,
          },
          narratives: { thuan_loi: "Được cấp ủy quan tâm.", kho_khan: "Thiếu cán bộ chuyên trách." },
        });
        expect(saved.statusCode, saved.body).toBe(200);
        const form = await admin.get(`/api/v1/reports/report${rq}`);
        expect(form.statusCode, form.body).toBe(200);
        expect((form.json() as { typed: Record<string, number> }).typed.members).toBe(MEMBERS);
        const document = await admin.get(`/api/v1/reports/report/document${rq}`);
        expect(document.statusCode, document.body).toBe(200);
        expect(document.body).not.toContain("4.321");

        await resumeReplay();
        const seen = await until(async () => (await dashboardTarget()) === 65);
        console.log(
          `read replica: after resuming replay the dashboard showed the write in ${seen.ms.toFixed(1)} ms`,
        );
        const listedNow = await admin.get(`/api/v1/reports/requests?unitId=${thaiNguyen}`);
        expect((listedNow.json() as { items: { id: number }[] }).items.map((i) => i.id)).toEqual([requestId]);
        await caughtUp();
        expect((await admin.get(`/api/v1/reports/report/document${rq}`)).body).toContain("4.321");
      } finally {
        await resumeReplay();
      }
    });

    it("measures the replica lag: from a write's response to the dashboard showing it", async () => {
      await caughtUp();
      const lags: { ms: number; probes: number }[] = [];
      for (const [n, target] of [71, 72, 73, 74, 75, 76, 77, 78, 79, 80].entries()) {
        await setTarget(target);
        lags.push(await until(async () => (await dashboardTarget()) === target, 5_000));
        if (n === 0) expect(await storedTarget("db")).toBe(target);
      }
      // What one dashboard read costs: a lag shorter than that cannot be told apart from none.
      const t0 = performance.now();
      await dashboardTarget();
      const oneRead = performance.now() - t0;
      const sorted = lags.map((l) => l.ms).sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] as number;
      const max = sorted[sorted.length - 1] as number;
      const { rows } = await sql<{ replay_lag: string | null }>`
        select replay_lag::text from pg_stat_replication`.execute(handles().db);
      console.log(
        `read replica lag (PUT target response → dashboard read shows it), ${lags.length} writes: ` +
          `median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms ` +
          `[${lags.map((l) => `${l.ms.toFixed(1)}/${l.probes}`).join(", ")} ms/reads]; ` +
          `one dashboard read ${oneRead.toFixed(1)} ms; ` +
          `pg_stat_replication.replay_lag ${rows[0]?.replay_lag ?? "—"}`,
      );
      // Local streaming replication keeps up in milliseconds; seconds would mean reads went astray.
      expect(max).toBeLessThan(5_000);
    });
  },
);
