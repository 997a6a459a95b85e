/**
 * Benchmark: importing a household XLSX file into one commune's 40 villages, through the same
 * service the API and `xhht import` use (dry run, then commit in one transaction). Run by
 * bench/run.ts in two processes of their own:
 *
 *   tsx bench/import-households.ts prepare <pglite dir | postgres://…>
 *       a first start (migrations, the 13,000 official units, the administrator) and 40 villages;
 *   tsx bench/import-households.ts import <file.xlsx> <pglite dir | postgres://…>
 *       the import alone, so that the process's peak memory (maxRSS) is the import's.
 *
 * `import` prints one JSON line: rows, seconds and rows/s of the dry run and of the commit, peak RSS.
 */
import { copyFileSync } from "node:fs";
import { sql } from "kysely";
import { systemAuditContext } from "../src/capabilities/audit/audit-writer.ts";
import { checkImport, commitImport, uploadPath } from "../src/capabilities/imports/service.ts";
import { createOrgUnit } from "../src/capabilities/org-units/service.ts";
import { connect, type Database } from "../src/db/connection.ts";
import { bootstrap } from "../src/server/bootstrap.ts";

const COMMUNE_CODE = "05587";
const VILLAGES = 40;

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
    await bootstrap(database, "bench-admin-password");
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

const [command, a, b] = process.argv.slice(2);
if (command === "prepare" && a) await prepare(a);
else if (command === "import" && a && b) await runImport(a, b);
else throw new Error("usage: import-households.ts prepare <target> | import <file.xlsx> <target>");
