import { type PGlite, parse, protocol, type Results } from "@electric-sql/pglite";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";

/**
 * A Kysely dialect for embedded PGlite.
 *
 * PGlite is one Postgres backend with one session, so a transaction must own it until COMMIT:
 * `acquireConnection` hands out the single connection behind a FIFO lock, and every other
 * query or transaction waits its turn. That is what a pool of size 1 does on a server.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  #queue: Promise<void> = Promise.resolve();

  constructor(pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#queue;
    this.#queue = previous.then(() => turn);
    await previous;
    this.#connection.release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : "";
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PGliteConnection).release();
  }

  async destroy(): Promise<void> {}
}

/** A statement text with parameters: how often it was seen; once prepared, its name and parameter types. */
interface Statement {
  uses: number;
  name?: string;
  types?: number[];
}

/** SQLSTATE 0A000 "cached plan must not change result type". */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === "0A000" && /cached plan must not change result type/u.test(e.message ?? "");
}

/** Prepared statements kept in the embedded session, at most (each keeps its plan in memory). */
const PREPARED_STATEMENTS = 500;

class PGliteConnection implements DatabaseConnection {
  release: () => void = () => {};
  readonly #statements = new Map<string, Statement>();
  #prepared = 0;
  /** Prepared statements whose plans went stale, deallocated once out of a transaction. */
  #stale: string[] = [];
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const values = compiled.parameters as unknown[];
    const statement = values.length > 0 ? this.#seen(compiled.sql) : undefined;
    const result =
      statement && (statement.name || (statement.uses >= 2 && this.#prepared < PREPARED_STATEMENTS))
        ? await this.#executePreparedOrAgain<R>(compiled.sql, statement, values)
        : await this.pglite.query<R>(compiled.sql, values);
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  #seen(text: string) {
    let statement = this.#statements.get(text);
    if (!statement) {
      // Texts that vary (an IN-list of changing length) would grow this without end: past the
      // bound, the unprepared ones are forgotten and counted afresh.
      if (this.#statements.size >= 10 * PREPARED_STATEMENTS) {
        for (const [t, s] of this.#statements) if (!s.name) this.#statements.delete(t);
      }
      statement = { uses: 0 };
      this.#statements.set(text, statement);
    }
    statement.uses++;
    return statement;
  }

  /**
   * A prepared statement whose result's columns changed since it was prepared (`select *` of a
   * table that gained a column) fails with "cached plan must not change result type" — a server
   * with node-postgres does the same. Its text is then prepared afresh on its next use and, out of
   * a transaction, run again at once; inside one, the transaction is already aborted and the error
   * is the caller's.
   */
  async #executePreparedOrAgain<R>(
    text: string,
    statement: Statement,
    values: unknown[],
  ): Promise<Results<R>> {
    if (this.#stale.length > 0 && !this.pglite.isInTransaction()) {
      const stale = this.#stale;
      this.#stale = [];
      // One already gone (a `deallocate all`) is what was wanted.
      for (const name of stale) await this.pglite.exec(`deallocate ${name}`).catch(() => {});
    }
    try {
      return await this.#executePrepared<R>(text, statement, values);
    } catch (error) {
      if (!statement.name || !isStalePlan(error)) throw error;
      this.#stale.push(statement.name);
      delete statement.name;
      delete statement.types;
      if (this.pglite.isInTransaction()) throw error;
      return this.#executePreparedOrAgain<R>(text, statement, values);
    }
  }

  /**
   * A statement this session runs again and again is parsed and planned once: `pglite.query`
   * sends every text as an unnamed statement, so the embedded engine planned each save anew, and
   * planning is where it spent (with a file size looked up for every partition of a table).
   * Here the text is prepared under a name the second time it is seen, and each execution is
   * one round (Bind, Describe, Execute, Sync) into the engine. Errors and results are PGlite's own.
   */
  async #executePrepared<R>(text: string, statement: Statement, values: unknown[]) {
    const { serialize } = protocol;
    return this.pglite.runExclusive(async () => {
      try {
        if (!statement.name) {
          const name = `xhht_${++this.#prepared}`;
          const described = await this.pglite.execProtocolStream(
            concat([
              serialize.parse({ name, text }),
              serialize.describe({ type: "S", name }),
              serialize.sync(),
            ]),
          );
          statement.types = parse.parseDescribeStatementResults(described);
          statement.name = name;
        }
        const types = statement.types ?? [];
        const serialized = values.map((value, i) => {
          if (value === null || value === undefined) return null;
          const serializer = this.pglite.serializers[types[i] as number];
          return serializer ? serializer(value) : String(value);
        });
        const messages = await this.pglite.execProtocolStream(
          concat([
            serialize.bind({ statement: statement.name, values: serialized }),
            serialize.describe({ type: "P" }),
            serialize.execute({}),
            serialize.sync(),
          ]),
        );
        return parse.parseResults(messages, this.pglite.parsers)[0] as Results<R>;
      } catch (error) {
        Object.assign(error as object, { query: text, params: values });
        throw error;
      }
    });
  }

  /** PGlite materialises a result before returning it; this yields it in chunks. */
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiled);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
