import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
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
