/**
 * Benchmark: importing a household XLSX file into one commune's 40 villages (dry run, then commit
 * in one transaction). Run by bench/run.ts, each step in a process of its own:
 *
 *   tsx bench/import-households.ts prepare <pglite dir | postgres://…>
 *       a first start (migrations, the 13,000 official units, the administrator) and 40 villages;
 *   tsx bench/import-households.ts import <file.xlsx> <pglite dir | postgres://…>
 *       the import service alone, timed: rows/s of the dry run and of the commit;
 *   tsx bench/import-households.ts command <file.xlsx> <pglite dir | postgres://…>
 *       `xhht import households <file>` as an officer runs it (bin/xhht.js, its own process);
 *   tsx bench/import-households.ts server <file.xlsx> <pglite dir | postgres://…>
 *       `xhht serve`, and the file uploaded, checked and committed over HTTP as the web page does.
 *
 * Each prints one JSON line; the peak memory (RSS) of `command` and `server` is the officer's
 * process's own: the whole command or server, not a process that loads only the import.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { systemAuditContext } from "../src/capabilities/audit/audit-writer.ts";
import { checkImport, commitImport, uploadPath } from "../src/capabilities/imports/service.ts";
import { createOrgUnit } from "../src/capabilities/org-units/service.ts";
import { connect, type Database } from "../src/db/connection.ts";
import { bootstrap } from "../src/server/bootstrap.ts";

const COMMUNE_CODE = "05587";
const VILLAGES = 40;
const ROOT = join(import.meta.dirname, "..");
const XHHT = join(ROOT, "bin/xhht.js");
/** The heap cap the `xhht` command and `npm start` run with (bin/xhht.js). */
const HEAP_CAP = "--max-old-space-size=256";
const ADMIN_PASSWORD = "bench-admin-password";

function open(target: string): Promise<Database> {
  return connect(target.startsWith("postgres") ? { databaseUrl: target } : { dataDir: target });
}

async function adminOf(database: Database) {
  const nation = await database.db
    .selectFrom("org_units")
    .select("path")
    .where("level", "=", 0)
    .executeTakeFirstOrThrow();
  const admin = await database.db
    .selectFrom("users")
    .select(["id", "username"])
    .where("role", "=", "admin")
    .executeTakeFirstOrThrow();
  const principal = {
    userId: Number(admin.id),
    username: admin.username,
    role: "admin" as const,
    scopePaths: [nation.path],
    via: "token" as const,
  };
  const commune = await database.db
    .selectFrom("org_units")
    .select(["id"])
    .where("code", "=", COMMUNE_CODE)
    .where("kind", "=", "commune")
    .where("valid_to", "is", null)
    .executeTakeFirstOrThrow();
  return { principal, communeId: Number(commune.id), audit: systemAuditContext("bench") };
}

async function prepare(target: string) {
  const database = await open(target);
  try {
    await bootstrap(database, ADMIN_PASSWORD);
    const { principal, communeId, audit } = await adminOf(database);
    for (let i = 1; i <= VILLAGES; i++) {
      await createOrgUnit(
        database.db,
        principal,
        { parentId: communeId, kind: "village", name: `Thôn ${i}` },
        audit,
      );
    }
  } finally {
    await database.close();
  }
}

async function runImport(file: string, target: string) {
  const database = await open(target);
  try {
    const { principal, communeId, audit } = await adminOf(database);
    const path = uploadPath();
    copyFileSync(file, path);
    let t = performance.now();
    const job = await checkImport(database.db, principal, {
      kind: "households",
      orgUnitId: communeId,
      fileName: "bench.xlsx",
      path,
    });
    const checkSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const done = await commitImport(
      database.db,
      principal,
      job.id,
      { mode: "all", includeSuspected: true },
      audit,
    );
    const commitSeconds = (performance.now() - t) / 1000;
    const stored = await sql<{ n: number }>`select count(*)::int as n from households`.execute(database.db);
    const rows = done.rows.total;
    console.log(
      JSON.stringify({
        backend: database.backend,
        rows,
        stored: Number(stored.rows[0]?.n ?? 0),
        invalid: done.rows.invalid,
        checkSeconds,
        checkRowsPerSecond: rows / checkSeconds,
        commitSeconds,
        commitRowsPerSecond: rows / commitSeconds,
        totalRowsPerSecond: rows / (checkSeconds + commitSeconds),
        peakRssMb: process.resourceUsage().maxRSS / 1024,
      }),
    );
  } finally {
    await database.close();
  }
}

function databaseArgs(target: string): string[] {
  return target.startsWith("postgres") ? ["--database-url", target] : ["--data-dir", target];
}

async function storedHouseholds(target: string): Promise<number> {
  const database = await open(target);
  try {
    const stored = await sql<{ n: number }>`select count(*)::int as n from households`.execute(database.db);
    return Number(stored.rows[0]?.n ?? 0);
  } finally {
    await database.close();
  }
}

/** `xhht import households <file> --org 05587 --include-suspected`, and its process's peak RSS. */
async function throughCommand(file: string, target: string) {
  const dir = mkdtempSync(join(tmpdir(), "xhht-bench-peak-"));
  const peakFile = join(dir, "peak");
  try {
    const t = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        HEAP_CAP,
        "--import",
        join(ROOT, "bench/peak-memory.mjs"),
        XHHT,
        "import",
        "households",
        file,
        "--org",
        COMMUNE_CODE,
        "--include-suspected",
        ...databaseArgs(target),
      ],
      { env: { ...process.env, XHHT_BENCH_PEAK_FILE: peakFile }, encoding: "utf8" },
    );
    const seconds = (performance.now() - t) / 1000;
    if (run.status !== 0) throw new Error(`xhht import: ${run.status}\n${run.stdout}\n${run.stderr}`);
    console.log(
      JSON.stringify({
        seconds,
        stored: await storedHouseholds(target),
        peakRssMb: Number(readFileSync(peakFile, "utf8")) / 1024,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last line of a streamed job (NDJSON): the job, or the refusal. */
async function jobOf(res: Response): Promise<{ id: number; status: string; rows: { total: number } }> {
  const lines = (await res.text()).trim().split("\n");
  const last = JSON.parse(lines[lines.length - 1] as string);
  if (res.status !== 200 || last.type !== "result")
    throw new Error(`import over HTTP: ${JSON.stringify(last)}`);
  return last.job;
}

/** `xhht serve`, the file uploaded, checked and committed over HTTP; the server's peak RSS. */
async function throughServer(file: string, target: string) {
  const communeId = await (async () => {
    const database = await open(target);
    try {
      return (await adminOf(database)).communeId;
    } finally {
      await database.close();
    }
  })();
  const port = 21000 + (process.pid % 20000);
  const server = spawn(
    process.execPath,
    [HEAP_CAP, XHHT, "serve", "--port", String(port), "--host", "127.0.0.1", ...databaseArgs(target)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise((resolve) => server.on("exit", resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes(`:${port}`)) resolve();
      });
      server.on("exit", (code) => reject(new Error(`xhht serve exited: ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
    const session = {
      cookie: (login.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; "),
      "x-csrf-token": ((await login.json()) as { csrfToken: string }).csrfToken,
    };
    const t = performance.now();
    const checked = await jobOf(
      await fetch(`${base}/api/v1/imports/households/check?orgUnitId=${communeId}&fileName=ho.xlsx`, {
        method: "POST",
        headers: { ...session, "content-type": "application/octet-stream" },
        body: readFileSync(file),
      }),
    );
    const committed = await jobOf(
      await fetch(`${base}/api/v1/imports/${checked.id}/commit`, {
        method: "POST",
        headers: { ...session, "content-type": "application/json" },
        body: JSON.stringify({ mode: "all", includeSuspected: true }),
      }),
    );
    const seconds = (performance.now() - t) / 1000;
    if (committed.status !== "imported") throw new Error(`import over HTTP: ${committed.status}`);
    const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
    const peakRssMb = Number(/VmHWM:\s+(\d+)/u.exec(status)?.[1] ?? 0) / 1024;
    server.kill("SIGTERM");
    await exited;
    console.log(JSON.stringify({ seconds, stored: await storedHouseholds(target), peakRssMb }));
  } finally {
    server.kill("SIGKILL");
  }
}

const [command, a, b] = process.argv.slice(2);
if (command === "prepare" && a) await prepare(a);
else if (command === "import" && a && b) await runImport(a, b);
else if (command === "command" && a && b) await throughCommand(a, b);
else if (command === "server" && a && b) await throughServer(a, b);
else
  throw new Error(
    "usage: import-households.ts prepare <target> | import|command|server <file.xlsx> <target>",
  );
