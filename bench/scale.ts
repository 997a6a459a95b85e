/**
 * Benchmark at scale (issue 8), run by bench/run.ts in processes of its own:
 *
 *   tsx bench/scale.ts prepare <pglite dir | postgres://…> <scale> <seed>
 *       a first start and `xhht generate` (resumable: a database already generated is reused);
 *   tsx bench/scale.ts serve <target> <port>
 *       the server alone (its peak memory is its own), on loopback;
 *   tsx bench/scale.ts measure <target> <scale>
 *       the measurements, printed as one JSON line: direct reads, then `serve` started in a process
 *       of its own and measured over HTTP, then the recount.
 *
 * Measured: the national and a province's dashboard over HTTP (learning models, fund, centres:
 * p50/p95 over repeated reads) against the naive reads that aggregate the raw records, in the
 * same run; freshness (a recognition's effect on the national figures in the next read); writes
 * under load over HTTP (autocannon: self-assessment saves and recognitions, spread over many
 * communes, then concentrated on one), with the counters checked against a recount afterwards;
 * one commune's annual report as DOCX and every commune's quarterly report; the server's peak RSS.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { sql } from "kysely";
import { generate } from "../src/capabilities/generator/generate.ts";
import { counterDifferences, naiveLearningModelFigures } from "../src/capabilities/statistics/recount.ts";
import { connect, type Database } from "../src/db/connection.ts";
import type { Scale } from "../src/domain/generator/plan.ts";
import { FrameworkDefinition } from "../src/domain/learning-models/framework.ts";
import { fullMarks } from "../src/domain/learning-models/scoring.ts";
import { buildApp } from "../src/server/app.ts";
import { bootstrap } from "../src/server/bootstrap.ts";

export const BENCH_ADMIN_PASSWORD = "bench-admin-password";

function open(target: string): Promise<Database> {
  return connect(target.startsWith("postgres") ? { databaseUrl: target } : { dataDir: target });
}

async function prepare(target: string, scale: Scale, seed: number) {
  const database = await open(target);
  try {
    await bootstrap(database, BENCH_ADMIN_PASSWORD);
    const t = performance.now();
    const summary = await generate(database.db, {
      scale,
      seed,
      onProgress: (p) => process.stderr.write(`\r  ${p.communes}/${p.of} xã, ${p.households} hộ   `),
    });
    process.stderr.write("\n");
    console.log(JSON.stringify({ ...summary, seconds: (performance.now() - t) / 1000 }));
  } finally {
    await database.close();
  }
}

async function serve(target: string, port: number) {
  const database = await open(target);
  const app = await buildApp({ database, version: "bench", logger: false });
  await app.listen({ host: "127.0.0.1", port });
  console.log("ready");
  process.on("SIGTERM", async () => {
    await app.close();
    await database.close();
    process.exit(0);
  });
}

// ── measuring ──

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function timed(runs: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** Peak resident memory of a process (Linux). */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/u.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

interface Picked {
  id: number;
  framework: number;
  commune: number;
}

/** gdht evaluations of the year in these statuses (optionally of one commune), in a stable shuffled order. */
async function pick(db: Database["db"], year: number, statuses: string[], limit: number, communeId?: number) {
  const rows = await sql<{ id: number; framework_id: number; commune_id: number }>`
    select e.id, e.framework_id, (string_to_array(trim(both '/' from u.path), '/')::bigint[])[3] as commune_id
    from evaluations e join org_units u on u.id = e.org_unit_id
    where e.model = 'gdht' and e.year = ${year} and e.status = any(${statuses}::text[])
      ${communeId ? sql`and u.path like ${`%/${communeId}/%`}` : sql``}
    order by hashint8(e.id) limit ${limit}`.execute(db);
  return rows.rows.map(
    (r): Picked => ({ id: Number(r.id), framework: Number(r.framework_id), commune: Number(r.commune_id) }),
  );
}

/** Start `serve` in a process of its own and wait until it listens. */
async function startServer(target: string): Promise<{ child: ChildProcess; port: number }> {
  const port = 20000 + (process.pid % 20000);
  const child = spawn(
    process.execPath,
    // The heap cap the `xhht` command and `npm start` run with (bin/xhht.js).
    [
      // XHHT_BENCH_SERVER_FLAGS: more flags for the server's node (e.g. --cpu-prof, to see where it spends).
      ...(process.env.XHHT_BENCH_SERVER_FLAGS?.split(" ").filter(Boolean) ?? []),
      "--max-old-space-size=256",
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      "serve",
      target,
      String(port),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`server exited: ${code}`)));
  });
  return { child, port };
}

/**
 * Three phases, so that the embedded database (one process at a time) is measured like a server:
 * the direct reads (the naive aggregation, the evaluations to write to) with the database open
 * here; then the server in a process of its own, measured over HTTP; then the recount here again.
 */
async function measure(target: string, scale: Scale) {
  const year = Number(new Date().toISOString().slice(0, 4));
  const out: Record<string, number> = {};
  const naiveRuns = scale === "national" ? 3 : 5;

  // ── A: direct reads ──
  let database = await open(target);
  const nation = await database.db
    .selectFrom("org_units")
    .select(["id", "path"])
    .where("level", "=", 0)
    .executeTakeFirstOrThrow();
  const province = await sql<{ id: number; path: string }>`
    select p.id, p.path from generated_communes g join org_units c on c.id = g.commune_id
    join org_units p on p.id = c.parent_id order by g.commune_id limit 1`.execute(database.db);
  const prov = province.rows[0] as { id: number; path: string };
  const naive = (path: string, level: number) => async () => {
    await naiveLearningModelFigures(database.db, path, level, year);
    const child = sql`(string_to_array(trim(both '/' from u.path), '/')::bigint[])[${level + 2}]`;
    await sql`
      select ${child}, f.kind, sum(f.amount), count(*) from fund_entries f
      join funds fu on fu.id = f.fund_id join org_units u on u.id = fu.org_unit_id
      where f.fiscal_year = ${year} and u.path like ${`${path}%`} group by 1, 2`.execute(database.db);
    await sql`
      select ${child}, a.kind, count(*), sum(a.sessions), sum(a.participants), sum(a.female)
      from centre_activities a join org_units u on u.id = a.org_unit_id
      where a.year = ${year} and u.path like ${`${path}%`} group by 1, 2`.execute(database.db);
  };
  const natNaive = await timed(naiveRuns, naive(nation.path, 0));
  const prNaive = await timed(naiveRuns, naive(prov.path, 1));
  const fresh = await pick(database.db, year, ["accepted"], 20);
  const spreadSaves = await pick(database.db, year, ["registered", "draft"], 40_000);
  const spreadRecognitions = (await pick(database.db, year, ["accepted"], 20_020)).slice(fresh.length);
  const busiest = spreadSaves[0]?.commune ?? 0;
  const taken = new Set(spreadRecognitions.map((r) => r.id));
  const oneSaves = await pick(database.db, year, ["registered", "draft"], 40_000, busiest);
  const oneRecognitions = (await pick(database.db, year, ["accepted"], 20_000, busiest)).filter(
    (r) => !taken.has(r.id) && !fresh.some((f) => f.id === r.id),
  );
  const answers = new Map<number, string>();
  for (const e of [...spreadSaves, ...oneSaves]) {
    if (answers.has(e.framework)) continue;
    const row = await database.db
      .selectFrom("criteria_frameworks")
      .select("definition")
      .where("id", "=", e.framework)
      .executeTakeFirstOrThrow();
    answers.set(
      e.framework,
      JSON.stringify({
        answers: fullMarks(FrameworkDefinition.parse(row.definition)).answers,
        submit: false,
      }),
    );
  }
  const communes = (
    await database.db.selectFrom("generated_communes").select("commune_id").orderBy("commune_id").execute()
  ).map((r) => Number(r.commune_id));
  await database.close();

  // ── B: the server, over HTTP ──
  const { child, port } = await startServer(target);
  const base = `http://127.0.0.1:${port}`;
  try {
    // A token for the administrator (the bench writes as the national administrator).
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: BENCH_ADMIN_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const created = await fetch(`${base}/api/v1/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
      body: JSON.stringify({ name: "bench" }),
    });
    if (!created.ok) throw new Error(`token: ${created.status} ${await created.text()}`);
    const token = ((await created.json()) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: auth });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };

    // 1. The dashboards: learning models, fund and centres of the nation's provinces / a province's communes.
    const dashboard = (unitId: number) => async () => {
      await Promise.all([
        get(`/api/v1/stats/learning-models?orgUnitId=${unitId}&year=${year}`),
        get(`/api/v1/fund-stats?orgUnitId=${unitId}&year=${year}`),
        get(`/api/v1/centres/report?orgUnitId=${unitId}&period=${year}`),
      ]);
    };
    await dashboard(nation.id)(); // warm up
    const nat = await timed(50, dashboard(nation.id));
    const pr = await timed(50, dashboard(prov.id));
    Object.assign(out, {
      nationalP50: nat.p50,
      nationalP95: nat.p95,
      nationalNaiveP50: natNaive.p50,
      nationalNaiveP95: natNaive.p95,
      provinceP50: pr.p50,
      provinceP95: pr.p95,
      provinceNaiveP50: prNaive.p50,
      provinceNaiveP95: prNaive.p95,
    });

    // 2. Freshness: a recognition's effect on the national figures, in the very next read.
    const recognisedNationally = async () => {
      const stats = (await get(`/api/v1/stats/learning-models?orgUnitId=${nation.id}&year=${year}`)) as {
        models: { model: string; figures: { recognised: number } }[];
      };
      return stats.models.find((m) => m.model === "gdht")?.figures.recognised ?? 0;
    };
    const recognition = (id: number) =>
      JSON.stringify({
        ids: [id],
        decision: "recognise",
        decisionNumber: "99/QĐ-UBND",
        decisionDate: `${year}-11-30`,
        issuer: "UBND xã",
      });
    let visibleAtOnce = 0;
    let worstMs = 0;
    for (const e of fresh) {
      const before = await recognisedNationally();
      const res = await fetch(`${base}/api/v1/evaluations/decide`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: recognition(e.id),
      });
      if (!res.ok) throw new Error(`decide: ${res.status} ${await res.text()}`);
      const answered = performance.now();
      let after = await recognisedNationally();
      if (after === before + 1) visibleAtOnce++;
      while (after < before + 1) after = await recognisedNationally();
      worstMs = Math.max(worstMs, performance.now() - answered);
    }
    out.freshnessSamples = fresh.length;
    out.freshnessVisibleInNextRead = fresh.length === 0 ? 0 : visibleAtOnce / fresh.length;
    out.freshnessWorstMs = worstMs;

    // 3. Writes under load: two self-assessment saves for each recognition, each to its own evaluation.
    const load = async (saves: Picked[], recognitions: Picked[]) => {
      let i = 0;
      let j = 0;
      const result = await autocannon({
        url: base,
        connections: 16,
        duration: 10,
        headers: { ...auth, "content-type": "application/json" },
        requests: [
          {
            setupRequest: (req) => {
              if (i++ % 3 !== 2 || j >= recognitions.length) {
                const save = saves[i % saves.length] as Picked;
                return {
                  ...req,
                  method: "PUT",
                  path: `/api/v1/evaluations/${save.id}/answers`,
                  body: answers.get(save.framework),
                };
              }
              const r = recognitions[j++] as Picked;
              return { ...req, method: "POST", path: "/api/v1/evaluations/decide", body: recognition(r.id) };
            },
          },
        ],
      });
      return {
        rps: result.requests.average,
        p99: result.latency.p99,
        errors: result.errors + result.non2xx + result.timeouts,
      };
    };
    const spread = await load(spreadSaves, spreadRecognitions);
    const concentrated = await load(oneSaves, oneRecognitions);
    Object.assign(out, {
      spreadWritesPerSecond: spread.rps,
      spreadP99: spread.p99,
      spreadErrors: spread.errors,
      concentratedWritesPerSecond: concentrated.rps,
      concentratedP99: concentrated.p99,
      concentratedErrors: concentrated.errors,
    });
    out.serverPeakRssMb = peakRssMb(child.pid as number);

    // 4. Reports: one commune's annual DOCX; every generated commune's quarterly DOCX, two at a time.
    const docx = async (template: string, unitId: number, period: string) => {
      const res = await fetch(
        `${base}/api/v1/reports/report/document.docx?template=${template}&unitId=${unitId}&period=${period}`,
        { headers: auth },
      );
      if (!res.ok) throw new Error(`docx: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const annual = await timed(5, () => docx("association-annual", communes[0] as number, `RY${year}-11`));
    out.annualDocxP95 = annual.p95;
    const t = performance.now();
    const queue = [...communes];
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (let c = queue.shift(); c !== undefined; c = queue.shift())
          await docx("association-quarterly", c, `${year}-Q3`);
      }),
    );
    out.quarterlyCommunes = communes.length;
    out.quarterlySeconds = (performance.now() - t) / 1000;
    out.serverPeakRssMb = Math.max(out.serverPeakRssMb, peakRssMb(child.pid as number));
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }

  // ── C: the counters still equal a recount ──
  database = await open(target);
  try {
    out.counterDifferences = (await counterDifferences(database.db)).length;
  } finally {
    await database.close();
  }
  console.log(JSON.stringify(out));
}

const [command, a, b, c] = process.argv.slice(2);
if (command === "prepare" && a && b) await prepare(a, b as Scale, Number(c ?? 1));
else if (command === "serve" && a && b) await serve(a, Number(b));
else if (command === "measure" && a && b) await measure(a, b as Scale);
else
  throw new Error(
    "usage: scale.ts prepare <target> <scale> [seed] | serve <target> <port> | measure <target> <scale>",
  );
