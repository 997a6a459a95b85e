import { sql } from "kysely";
import { systemAuditContext } from "../capabilities/audit/audit-writer.ts";
import { generatePassword } from "../capabilities/auth/secrets.ts";
import { loadDefaultFrameworks } from "../capabilities/criteria-frameworks/default-frameworks.ts";
import { loadAdminUnits } from "../capabilities/org-units/admin-units-loader.ts";
import { loadDefaultTemplates } from "../capabilities/reports/templates.ts";
import { upsertUserFromCli } from "../capabilities/users/service.ts";
import type { Database } from "../db/connection.ts";
import { migrateToLatest } from "../db/migrate.ts";

export interface BootstrapResult {
  migrations: string[];
  adminUnitsLoaded: boolean;
  /** Shipped criteria frameworks published by this start. */
  frameworksLoaded: number;
  /** Set only on the very first start, when the administrator was created. */
  firstAdmin: { username: string; password: string; generated: boolean } | null;
}

/**
 * Bring a database to a usable state: run pending migrations, load the official administrative
 * units if there are none, and create the first administrator if there are no users.
 */
export async function bootstrap(database: Database, adminPassword?: string): Promise<BootstrapResult> {
  const migrations = await migrateToLatest(database);
  const { db } = database;
  const provinces = await db
    .selectFrom("org_units")
    .select(sql<number>`count(*)`.as("n"))
    .where("kind", "=", "province")
    .executeTakeFirstOrThrow();
  let adminUnitsLoaded = false;
  if (Number(provinces.n) === 0) {
    await loadAdminUnits(db, systemAuditContext("first-start"));
    adminUnitsLoaded = true;
  }
  // Shipped criteria frameworks, each loaded once (new files arrive with updates).
  const frameworksLoaded = await loadDefaultFrameworks(db, systemAuditContext("default-frameworks"));
  // Shipped report templates, each file loaded once as a version of its template.
  await loadDefaultTemplates(db, systemAuditContext("default-report-templates"));
  const users = await db.selectFrom("users").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  let firstAdmin: BootstrapResult["firstAdmin"] = null;
  if (Number(users.n) === 0) {
    const password = adminPassword || generatePassword(16);
    await upsertUserFromCli(
      db,
      {
        mode: "create",
        username: "admin",
        fullName: "Quản trị hệ thống",
        role: "admin",
        scopeCode: "VN",
        password,
        mustChange: !adminPassword,
      },
      systemAuditContext("first-start"),
    );
    firstAdmin = { username: "admin", password, generated: !adminPassword };
  }
  return { migrations, adminUnitsLoaded, frameworksLoaded, firstAdmin };
}
