import { createHash } from "node:crypto";
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
  /** The primary: every write, and every read a write or its caller depends on. */
  db: Kysely<DB>;
  /**
   * Where the dashboard and report reads that may lag go: a streaming replica's pool when
   * `readUrl` was given, otherwise the very same handle as `db`. Never write through it: a
   * replica refuses writes ("cannot execute … in a read-only transaction").
   */
  read: Kysely<DB>;
  backend: Backend;
  /** Human-readable location: a directory for PGlite, the primary's URL without password otherwise. */
  location: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres://… — when set, use a PostgreSQL server through a `pg` pool. */
  databaseUrl?: string | undefined;
  /** Directory of the embedded database (PGlite); ignored when `databaseUrl` is set. */
  dataDir?: string | undefined;
  /**
   * postgres://… of a streaming replica of `databaseUrl` (DATABASE_READ_URL): a second pool that
   * `Database.read` uses. Ignored without `databaseUrl`: PGlite has no replicas.
   */
  readUrl?: string | undefined;
  /** Pool size for the server backend (the replica's pool gets the same). */
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
    const pool = await openPool(options.databaseUrl, options.poolSize);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const readPool = options.readUrl ? await openPool(options.readUrl, options.poolSize, pool) : null;
    const read = readPool ? new Kysely<DB>({ dialect: new PostgresDialect({ pool: readPool }) }) : db;
    return {
      db,
      read,
      backend: "postgres",
      location: withoutPassword(options.databaseUrl),
      close: async () => {
        await readPool?.end();
        await pool.end();
      },
    };
  }
  if (options.readUrl) {
    // Said, not refused: an operator who set DATABASE_READ_URL alone should learn it does nothing.
    process.emitWarning("DATABASE_READ_URL chỉ có tác dụng khi có DATABASE_URL; bỏ qua.");
  }

  const dataDir = resolve(options.dataDir ?? "./data");
  mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    // PGlite's default 128 MB of shared buffers stay resident once a large import has touched
    // them; 32 MB keeps the process under 500 MB (BENCHMARKS.md) at no measured cost in speed.
    postgresqlconf: ["shared_buffers = 32MB"],
    parsers: { [pgliteTypes.INT8]: parseInt8, [pgliteTypes.DATE]: keepDate },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    read: db,
    backend: "pglite",
    location: dataDir,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/**
 * A `pg` pool with our type parsers, checked by one connection so that an unreachable server
 * fails the start with a clear message. `opened` is closed when this one cannot be, so a bad
 * DATABASE_READ_URL leaves no primary pool holding the process open.
 */
async function openPool(url: string, size: number | undefined, opened?: pg.Pool): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: size ?? 10,
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
  pool.on("connect", preparingRepeatedStatements);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    await opened?.end();
    throw error;
  }
  return pool;
}

/** Statement texts seen: how often, and their names (forgotten wholesale past a bound: texts with varying IN-lists). */
const statementUses = new Map<string, { uses: number; name: string }>();
/** Prepared statements per connection, at most (each keeps its plan in the server's backend). */
const PREPARED_PER_CONNECTION = 200;

/**
 * Prepare, on each connection, the statements this process sends again and again (the second
 * time a text is seen), so the server parses and plans them once per connection instead of on
 * every request: planning was a third of the server's time on a save. Kysely sends text and
 * values; this names a repeated text (by its hash) for `pg`, which prepares it once per
 * connection. Other queries (a cursor, a text seen once, past the bound) go as they are.
 */
function preparingRepeatedStatements(client: pg.PoolClient) {
  const prepared = new Set<string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text !== "string" || !Array.isArray(values) || args.length !== 2) return query(...args);
    let seen = statementUses.get(text);
    if (!seen) {
      if (statementUses.size >= 10_000) statementUses.clear();
      seen = { uses: 0, name: `xhht_${createHash("sha1").update(text).digest("base64url")}` };
      statementUses.set(text, seen);
    }
    seen.uses++;
    const { name } = seen;
    if (prepared.has(name) || (seen.uses >= 2 && prepared.size < PREPARED_PER_CONNECTION)) {
      prepared.add(name);
      return query({ name, text, values });
    }
    return query(text, values);
  };
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.toString();
}
