import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { PGliteDialect } from "./pglite-driver.ts";
import type { DB } from "./schema.ts";

export type Backend = "pglite" | "postgres";

export interface Database {
  db: Kysely<DB>;
  backend: Backend;
  /** Human-readable location: a directory for PGlite, the server URL without password otherwise. */
  location: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres://… — when set, use a PostgreSQL server through a `pg` pool. */
  databaseUrl?: string | undefined;
  /** Directory of the embedded database (PGlite); ignored when `databaseUrl` is set. */
  dataDir?: string | undefined;
  /** Pool size for the server backend. */
  poolSize?: number;
}

/*
 * Both backends return the same JavaScript values:
 * - int8 (counts, money in đồng, ids) → number. Safe: 2^53 đồng is nine million billion.
 * - date → "YYYY-MM-DD" string, never a Date shifted by the server's time zone.
 * - numeric → string (exact decimals are parsed where used).
 * - timestamptz → Date.
 */
const parseInt8 = (value: string) => Number(value);
const keepDate = (value: string) => value;

export async function connect(options: ConnectOptions = {}): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser(oid: number, format?: "text" | "binary") {
          if (oid === pg.types.builtins.INT8) return parseInt8;
          if (oid === pg.types.builtins.DATE) return keepDate;
          // biome-ignore lint/suspicious/noExplicitAny: pg's overloads need a format literal.
          return pg.types.getTypeParser(oid, format as any);
        },
      },
    });
    // An idle connection can be cut by the server (restart, failover, a dropped test database).
    // The pool replaces it on the next query; without this listener the process would crash.
    pool.on("error", (error) => {
      process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`);
    });
    // Fail fast with a clear message when the server is unreachable.
    const client = await pool.connect();
    client.release();
    const url = new URL(options.databaseUrl);
    url.password = "";
    return {
      db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
      backend: "postgres",
      location: url.toString(),
      close: () => pool.end(),
    };
  }

  const dataDir = resolve(options.dataDir ?? "./data");
  mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    parsers: { [pgliteTypes.INT8]: parseInt8, [pgliteTypes.DATE]: keepDate },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    backend: "pglite",
    location: dataDir,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
