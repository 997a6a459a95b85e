import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's folder: the nearest above this module with a package.json — src/server/ when the
 * sources run, dist/server/ when the built command does (scripts/build-server.mjs).
 */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = projectRoot(dirname(fileURLToPath(import.meta.url)));
/** The built web app; XHHT_WEB_DIST points elsewhere (parallel builds in development). */
export const WEB_DIST_DIR = resolve(PROJECT_ROOT, process.env.XHHT_WEB_DIST || "dist/web");

export const VERSION: string = (
  JSON.parse(readFileSync(resolve(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }
).version;

/** Settings from the environment, with the defaults the README documents. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT không hợp lệ: ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    /** A streaming replica of DATABASE_URL for the dashboard and report reads (`connect`'s `readUrl`). */
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    dataDir: env.XHHT_DATA_DIR || "./data",
    adminPassword: env.XHHT_ADMIN_PASSWORD || undefined,
    secureCookies: env.XHHT_SECURE_COOKIES === "1",
    trustProxy: env.XHHT_TRUST_PROXY === "1",
  };
}
