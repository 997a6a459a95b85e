import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { connect, type Database } from "../db/connection.ts";

export const TEST_ADMIN_PASSWORD = "admin-test-password";

/**
 * A template database's URL on the same server as `serverUrl`, named for this run so that two
 * test runs against one server (a developer's and CI's) never drop each other's template.
 */
export function templateDatabaseUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/xhht_test_template_${process.pid}_${randomBytes(3).toString("hex")}`;
  return url.toString();
}

/**
 * A database of this test file's own, copied from the run's template (migrated, with the
 * official administrative units and the administrator "admin"). Close it with `dispose`.
 */
export async function openTestDatabase(template: string): Promise<Database & { dispose(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `xhht_test_${randomBytes(6).toString("hex")}`;
    const admin = await connect({ databaseUrl: serverUrl, poolSize: 1 });
    const templateName = new URL(template).pathname.slice(1);
    await sql.raw(`create database "${name}" template "${templateName}"`).execute(admin.db);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await connect({ databaseUrl: url.toString(), poolSize: 10 });
    return {
      ...database,
      dispose: async () => {
        await database.close();
        await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin.db);
        await admin.close();
      },
    };
  }
  const root = mkdtempSync(join(tmpdir(), "xhht-db-"));
  const dir = join(root, "data");
  cpSync(template, dir, { recursive: true });
  const database = await connect({ dataDir: dir });
  return {
    ...database,
    dispose: async () => {
      await database.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
