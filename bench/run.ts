/**
 * `npm run bench`: XHHT's benchmarks, each figure printed with its target and PASS/FAIL, and the
 * results appended to BENCHMARKS.md with the machine and the backend. Exits non-zero when a target
 * is missed. `npm run bench -- --quick` runs smaller inputs (minutes, for development; the targets
 * are then not judged).
 *
 * Backends: the embedded database (a fresh PGlite directory), and a PostgreSQL server — at
 * DATABASE_URL, or postgres://postgres@127.0.0.1:5432/postgres — in a database created for the
 * run and dropped afterwards; skipped (and said so) when no server answers.
 *
 * Benchmarks (`--only import` or `--only scale` runs one):
 * - import of 100,000 households from one XLSX file (issue 7): rows/s of the dry run and of the
 *   commit (the import service in a process of its own), and the peak memory of the processes an
 *   officer uses: `xhht import` and `xhht serve` with the file uploaded over HTTP. Targets:
 *   ≥ 10,000 rows/s on PostgreSQL, ≥ 3,000 rows/s on PGlite (the whole import: dry run + commit),
 *   peak RSS < 500 MB.
 * - scale (issue 8, bench/scale.ts): `xhht generate` at the commune scale on PGlite and at the
 *   national scale on PostgreSQL (province with --quick), then the dashboards against the naive
 *   reads, freshness, writes under load, report documents and the server's memory. The PostgreSQL
 *   database of a scale (`xhht_bench_<scale>`) is kept between runs: generating the nation takes
 *   long, and a run resumes it; `--fresh` drops it first.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { sql } from "kysely";
import { connect } from "../src/db/connection.ts";
import { formatInteger } from "../src/domain/format.ts";
import { writeHouseholdFile } from "./household-file.ts";

const quick = process.argv.includes("--quick");
const fresh = process.argv.includes("--fresh");
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
const ROWS = quick ? 20_000 : 100_000;
const ROOT = join(import.meta.dirname, "..");
const RESULTS = join(ROOT, "BENCHMARKS.md");

interface Figure {
  name: string;
  value: number;
  unit: string;
  target: { op: ">=" | "<="; value: number } | null;
}

const figures: { backend: string; figure: Figure }[] = [];
let failed = false;

function judge(f: Figure): string {
  if (!f.target || quick) return "—";
  const ok = f.target.op === ">=" ? f.value >= f.target.value : f.value <= f.target.value;
  if (!ok) failed = true;
  return ok ? "PASS" : "FAIL";
}

/** BENCHMARKS.md is English: plain digits, so that "3.845 rows/s" is never read as three. */
function show(value: number): string {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(2);
}

async function serverUrl(): Promise<string | null> {
  const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  try {
    const db = await connect({ databaseUrl: url, poolSize: 1 });
    await db.close();
    return url;
  } catch {
    return null;
  }
}

function step(args: string[], script = "bench/import-households.ts"): string {
  return execFileSync(
    process.execPath,
    // The heap cap the `xhht` command and `npm start` run with (bin/xhht.js).
    ["--max-old-space-size=256", "--import", "tsx", join(ROOT, script), ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
}

interface ImportRates {
  rows: number;
  stored: number;
  invalid: number;
  checkRowsPerSecond: number;
  commitRowsPerSecond: number;
  totalRowsPerSecond: number;
  peakRssMb: number;
}

interface ImportThrough {
  seconds: number;
  stored: number;
  peakRssMb: number;
}

/**
 * One prepared database (a first start and the commune's villages), copied for each way in; then
 * the import service alone (the rates), `xhht import` and `xhht serve` over HTTP (the officer's
 * memory), each in a process of its own.
 */
async function importBench(backend: "pglite" | "postgres", file: string, server: string | null) {
  const ways = ["service", "command", "server"] as const;
  const targets: Record<(typeof ways)[number], string> = { service: "", command: "", server: "" };
  let drop: () => Promise<void>;
  if (backend === "postgres") {
    if (!server) return;
    const name = `xhht_bench_${process.pid}`;
    const admin = await connect({ databaseUrl: server, poolSize: 1 });
    const dbName = (way: (typeof ways)[number]) => (way === "service" ? name : `${name}_${way}`);
    const url = (db: string) => {
      const u = new URL(server);
      u.pathname = `/${db}`;
      return u.toString();
    };
    drop = async () => {
      for (const way of ways)
        await sql.raw(`drop database if exists "${dbName(way)}" with (force)`).execute(admin.db);
      await admin.close();
    };
    await sql.raw(`create database "${name}"`).execute(admin.db);
    step(["prepare", url(name)]);
    for (const way of ways) {
      if (way !== "service")
        await sql.raw(`create database "${dbName(way)}" template "${name}"`).execute(admin.db);
      targets[way] = url(dbName(way));
    }
  } else {
    const dir = mkdtempSync(join(tmpdir(), "xhht-bench-db-"));
    step(["prepare", join(dir, "service")]);
    for (const way of ways) {
      targets[way] = join(dir, way);
      if (way !== "service") cpSync(targets.service, targets[way], { recursive: true });
    }
    drop = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    const r = lastJson<ImportRates>(step(["import", file, targets.service]));
    const command = lastJson<ImportThrough>(step(["command", file, targets.command]));
    const served = lastJson<ImportThrough>(step(["server", file, targets.server]));
    for (const [way, stored] of [
      ["service", r.stored],
      ["command", command.stored],
      ["server", served.stored],
    ] as const)
      if (stored !== ROWS || r.invalid !== 0)
        throw new Error(`import (${way}) stored ${stored} of ${ROWS} households`);
    const rate = backend === "postgres" ? 10_000 : 3_000;
    const add = (figure: Figure) => figures.push({ backend, figure });
    add({
      name: `import ${ROWS} households: whole import`,
      value: r.totalRowsPerSecond,
      unit: "rows/s",
      target: { op: ">=", value: rate },
    });
    add({ name: "  of which the dry run", value: r.checkRowsPerSecond, unit: "rows/s", target: null });
    add({ name: "  of which the commit", value: r.commitRowsPerSecond, unit: "rows/s", target: null });
    add({ name: "  the service alone: peak memory (RSS)", value: r.peakRssMb, unit: "MB", target: null });
    add({
      name: "import through `xhht import`: whole command",
      value: command.seconds,
      unit: "s",
      target: null,
    });
    add({
      name: "import through `xhht import`: peak memory (RSS)",
      value: command.peakRssMb,
      unit: "MB",
      target: { op: "<=", value: 500 },
    });
    add({
      name: "import through `xhht serve` (HTTP): upload to commit",
      value: served.seconds,
      unit: "s",
      target: null,
    });
    add({
      name: "import through `xhht serve` (HTTP): server's peak memory (RSS)",
      value: served.peakRssMb,
      unit: "MB",
      target: { op: "<=", value: 500 },
    });
  } finally {
    await drop();
  }
}

function lastJson<T>(out: string): T {
  return JSON.parse(out.trim().split("\n").pop() as string) as T;
}

interface ScaleResult {
  nationalP50: number;
  nationalP95: number;
  nationalNaiveP50: number;
  nationalNaiveP95: number;
  provinceP50: number;
  provinceP95: number;
  provinceNaiveP50: number;
  provinceNaiveP95: number;
  freshnessSamples: number;
  freshnessVisibleInNextRead: number;
  freshnessWorstMs: number;
  spreadWritesPerSecond: number;
  spreadP99: number;
  spreadErrors: number;
  concentratedWritesPerSecond: number;
  concentratedP99: number;
  concentratedErrors: number;
  serverPeakRssMb: number;
  annualDocxP95: number;
  quarterlyCommunes: number;
  quarterlySeconds: number;
  counterDifferences: number;
}

async function scaleBench(backend: "pglite" | "postgres", server: string | null) {
  const scale = backend === "pglite" ? "commune" : quick ? "province" : "national";
  let target = join(mkdtempSync(join(tmpdir(), "xhht-bench-db-")), "data");
  let done: () => Promise<void> = async () => rmSync(dirname(target), { recursive: true, force: true });
  if (backend === "postgres") {
    if (!server) return;
    const name = `xhht_bench_${scale}`;
    const admin = await connect({ databaseUrl: server, poolSize: 1 });
    if (fresh) await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin.db);
    const exists = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_database where datname = ${name}`.execute(admin.db);
    if (!exists.rows[0]?.n) await sql.raw(`create database "${name}"`).execute(admin.db);
    await admin.close();
    const url = new URL(server);
    url.pathname = `/${name}`;
    target = url.toString();
    done = async () => {};
  }
  try {
    process.stderr.write(`Tạo dữ liệu quy mô ${scale} (${backend})…\n`);
    const generated = lastJson<{
      communes: number;
      households: number;
      evaluations: number;
      seconds: number;
    }>(step(["prepare", target, scale, "1"], "bench/scale.ts"));
    process.stderr.write(`Đo (${backend}, ${scale})…\n`);
    const r = lastJson<ScaleResult>(step(["measure", target, scale], "bench/scale.ts"));
    // The read, write-latency and all-communes targets are the national scale's on PostgreSQL.
    const national = backend === "postgres" && scale === "national";
    const add = (figure: Figure) => figures.push({ backend, figure });
    const at = `${scale} scale`;
    if (generated.communes > 0)
      add({
        name: `${at}: generate ${generated.communes} communes, ${generated.households} households`,
        value: generated.seconds / 60,
        unit: "min",
        target: null,
      });
    add({ name: `${at}: national dashboard p50`, value: r.nationalP50, unit: "ms", target: null });
    add({
      name: `${at}: national dashboard p95`,
      value: r.nationalP95,
      unit: "ms",
      target: national ? { op: "<=", value: 100 } : null,
    });
    add({ name: `${at}: naive national read p50`, value: r.nationalNaiveP50, unit: "ms", target: null });
    add({
      name: `${at}: naive ÷ dashboard (p50)`,
      value: r.nationalNaiveP50 / r.nationalP50,
      unit: "×",
      target: national ? { op: ">=", value: 100 } : null,
    });
    add({ name: `${at}: province dashboard p95`, value: r.provinceP95, unit: "ms", target: null });
    add({ name: `${at}: naive province read p50`, value: r.provinceNaiveP50, unit: "ms", target: null });
    add({
      name: `${at}: recognitions visible in the next national read (${r.freshnessSamples})`,
      value: r.freshnessVisibleInNextRead * 100,
      unit: "%",
      target: { op: ">=", value: 100 },
    });
    const writes = backend === "postgres" ? 1000 : 200;
    add({
      name: `${at}: writes/s, spread over communes`,
      value: r.spreadWritesPerSecond,
      unit: "writes/s",
      target: backend === "pglite" || national ? { op: ">=", value: writes } : null,
    });
    add({
      name: `${at}: writes p99, spread`,
      value: r.spreadP99,
      unit: "ms",
      target: national ? { op: "<=", value: 50 } : null,
    });
    add({
      name: `${at}: writes/s, one commune`,
      value: r.concentratedWritesPerSecond,
      unit: "writes/s",
      target: backend === "pglite" || national ? { op: ">=", value: writes } : null,
    });
    add({
      name: `${at}: writes p99, one commune`,
      value: r.concentratedP99,
      unit: "ms",
      target: national ? { op: "<=", value: 50 } : null,
    });
    add({
      name: `${at}: write errors`,
      value: r.spreadErrors + r.concentratedErrors,
      unit: "",
      target: { op: "<=", value: 0 },
    });
    add({
      name: `${at}: counters differing from a recount`,
      value: r.counterDifferences,
      unit: "",
      target: { op: "<=", value: 0 },
    });
    add({
      name: `${at}: server peak memory under load (RSS)`,
      value: r.serverPeakRssMb,
      unit: "MB",
      target: { op: "<=", value: 500 },
    });
    add({
      name: `${at}: one commune's annual report (DOCX) p95`,
      value: r.annualDocxP95,
      unit: "ms",
      target: { op: "<=", value: 1000 },
    });
    add({
      name: `${at}: quarterly DOCX of all ${r.quarterlyCommunes} communes`,
      value: r.quarterlySeconds,
      unit: "s",
      target: national ? { op: "<=", value: 600 } : null,
    });
  } finally {
    await done();
  }
}

async function main() {
  const server = await serverUrl();
  if (only !== "scale") {
    const dir = mkdtempSync(join(tmpdir(), "xhht-bench-files-"));
    try {
      const file = join(dir, "households.xlsx");
      process.stderr.write(`Tạo tệp ${formatInteger(ROWS)} hộ…\n`);
      await writeHouseholdFile(file, ROWS, 40);
      process.stderr.write("Nhập vào CSDL nhúng (PGlite)…\n");
      await importBench("pglite", file, server);
      if (server) {
        process.stderr.write("Nhập vào PostgreSQL…\n");
        await importBench("postgres", file, server);
      } else {
        process.stderr.write("Không có máy chủ PostgreSQL: bỏ qua phần PostgreSQL.\n");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only !== "import") {
    await scaleBench("pglite", server);
    await scaleBench("postgres", server);
  }

  const when = new Date().toISOString().slice(0, 16).replace("T", " ");
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const lines = figures.map(({ backend, figure: f }) => {
    const target = f.target ? `${f.target.op} ${f.target.value} ${f.unit}` : "";
    return `| ${backend} | ${f.name} | ${show(f.value)} ${f.unit} | ${target} | ${judge(f)} |`;
  });
  const table = [
    `## ${when} UTC${quick ? " (quick: targets not judged)" : ""}`,
    "",
    `Machine: ${machine}.`,
    "",
    "| backend | figure | measured | target | |",
    "| --- | --- | --- | --- | --- |",
    ...lines,
    "",
  ].join("\n");
  console.log(table);
  if (!existsSync(RESULTS))
    writeFileSync(RESULTS, "# Benchmarks\n\nAppended by `npm run bench` (bench/run.ts); newest last.\n\n");
  appendFileSync(RESULTS, `${table}\n`);
  if (failed) {
    console.error("Có chỉ tiêu chưa đạt (FAIL).");
    process.exit(1);
  }
}

await main();
