import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import type { TestProject } from "vitest/node";
import { connect, type Database } from "../db/connection.ts";
import { bootstrap } from "../server/bootstrap.ts";
import { TEST_ADMIN_PASSWORD, templateDatabaseUrl } from "./test-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: directory of the template data dir. PostgreSQL: URL of the template database. */
    xhhtTemplate: string;
  }
}

/** Migrate and seed one template database; every test file starts from a copy of it. */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const admin = await connect({ databaseUrl: serverUrl, poolSize: 1 });
    const templateUrl = templateDatabaseUrl(serverUrl);
    const name = new URL(templateUrl).pathname.slice(1);
    await dropDatabase(admin, name);
    await sql.raw(`create database "${name}"`).execute(admin.db);
    await admin.close();
    const template = await connect({ databaseUrl: templateUrl, poolSize: 1 });
    await bootstrap(template, TEST_ADMIN_PASSWORD);
    await template.close();
    project.provide("xhhtTemplate", templateUrl);
    return async () => {
      const again = await connect({ databaseUrl: serverUrl, poolSize: 1 });
      await dropDatabase(again, name);
      await again.close();
    };
  }
  const root = mkdtempSync(join(tmpdir(), "xhht-test-"));
  const dir = join(root, "template");
  const template = await connect({ dataDir: dir });
  await bootstrap(template, TEST_ADMIN_PASSWORD);
  await template.close();
  project.provide("xhhtTemplate", dir);
  return () => rmSync(root, { recursive: true, force: true });
}

async function dropDatabase(admin: Database, name: string) {
  await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin.db);
}
