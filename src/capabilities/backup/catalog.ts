/**
 * What a backup reads, discovered from the catalog: every table of the public schema but the
 * migrations' bookkeeping, its columns, and the one canonical text of a row that both the file
 * and the checksums are made of.
 *
 * A row's text is PostgreSQL's own `to_jsonb(row)::text`, read under fixed settings (UTC, ISO
 * dates, hex bytea, shortest exact floats), in primary-key order with text keys compared
 * byte-wise (`collate "C"`), so that PGlite and a PostgreSQL server print the same rows in the
 * same order, byte for byte. One exception: a json/jsonb column's value is wrapped in a
 * one-element array (`[v]`), because `to_jsonb` prints SQL NULL and JSON `null` alike and the
 * audit trail keeps both; SQL NULL stays `null`.
 */
import { createHash } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";

/** Kysely's bookkeeping: recreated by the migrations, not data. */
export const MIGRATION_TABLES = ["kysely_migration", "kysely_migration_lock"] as const;

/** Rows fetched from a cursor at a time: a table is never held in memory whole. */
export const FETCH_ROWS = 1000;

export interface ColumnInfo {
  name: string;
  /** `format_type`, e.g. "bigint", "timestamp with time zone", "numeric(5,2)". */
  type: string;
  /** json/jsonb: the value is wrapped in `[v]` in the row text. */
  json: boolean;
  /** A stored generated column: in the row text, never inserted. */
  generated: boolean;
  /** An identity or serial column: its sequence is reset to max after a restore. */
  sequence: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Primary-key columns in key order, each with whether it is compared by collation. */
  key: { name: string; collatable: boolean }[];
  identity: boolean;
}

export interface TableSum {
  rows: number;
  checksum: string;
}

type Db = Kysely<DB> | Transaction<DB>;

/** The data tables of the public schema, by name (byte order), with their columns and key. */
export async function dataTables(db: Db): Promise<TableInfo[]> {
  const rows = await sql<{
    table_name: string;
    column_name: string;
    type: string;
    typname: string;
    generated: string;
    identity: string;
    has_default_seq: boolean;
    key_position: number | null;
    collatable: boolean;
  }>`
    select c.relname as table_name, a.attname as column_name,
           format_type(a.atttypid, a.atttypmod) as type, t.typname,
           a.attgenerated::text as generated, a.attidentity::text as identity,
           coalesce(pg_get_expr(d.adbin, d.adrelid) like 'nextval(%', false) as has_default_seq,
           (select k.ord::int from pg_index i cross join lateral unnest(i.indkey) with ordinality k(attnum, ord)
             where i.indrelid = c.oid and i.indisprimary and k.attnum = a.attnum) as key_position,
           a.attcollation <> 0 as collatable
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_type t on t.oid = a.atttypid
      left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
       and c.relname not in (${sql.join(MIGRATION_TABLES.map((t) => sql.lit(t)))})
     order by c.relname collate "C", a.attnum`.execute(db);
  const tables = new Map<string, TableInfo & { keyAt: Map<number, { name: string; collatable: boolean }> }>();
  for (const r of rows.rows) {
    let table = tables.get(r.table_name);
    if (!table) {
      table = { name: r.table_name, columns: [], key: [], identity: false, keyAt: new Map() };
      tables.set(r.table_name, table);
    }
    table.columns.push({
      name: r.column_name,
      type: r.type,
      json: r.typname === "json" || r.typname === "jsonb",
      generated: r.generated !== "",
      sequence: r.identity !== "" || r.has_default_seq,
    });
    if (r.identity !== "") table.identity = true;
    if (r.key_position !== null) {
      table.keyAt.set(Number(r.key_position), { name: r.column_name, collatable: r.collatable });
    }
  }
  return [...tables.values()].map(({ keyAt, ...table }) => ({
    ...table,
    key: [...keyAt.entries()].sort((a, b) => a[0] - b[0]).map(([, k]) => k),
  }));
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** `select <row text> as r from <table> order by <key>`: the canonical rows of a table, in order. */
export function rowTextQuery(table: TableInfo): string {
  const names = new Set(table.columns.map((c) => c.name));
  let alias = "xhht_row";
  while (names.has(alias)) alias = `_${alias}`;
  const a = ident(alias);
  const wrapped = table.columns.filter((c) => c.json);
  const row = wrapped.length
    ? `(to_jsonb(${a}) || jsonb_build_object(${wrapped
        .map(
          (c) =>
            `'${c.name.replaceAll("'", "''")}', case when ${a}.${ident(c.name)} is null then null else jsonb_build_array(${a}.${ident(c.name)}) end`,
        )
        .join(", ")}))::text`
    : `to_jsonb(${a})::text`;
  // Without a primary key, the row text itself (byte order) is the only order both backends share
  // (the expression, not `1`: `order by 1 collate "C"` is not the output column but a constant).
  const order = table.key.length
    ? table.key.map((k) => `${a}.${ident(k.name)}${k.collatable ? ' collate "C"' : ""}`).join(", ")
    : `(${row}) collate "C"`;
  return `select ${row} as r from ${ident(table.name)} ${a} order by ${order}`;
}

/**
 * The settings under which row texts are printed, for the current transaction only. Both
 * backends then print timestamptz as "2024-03-04T18:02:03.456789+00:00", bytea as "\\x…".
 */
export async function setCanonicalOutput(tx: Transaction<DB>) {
  for (const setting of [
    "set local timezone = 'UTC'",
    "set local datestyle = 'ISO, YMD'",
    "set local intervalstyle = 'postgres'",
    "set local bytea_output = 'hex'",
    "set local extra_float_digits = 1",
  ]) {
    await sql.raw(setting).execute(tx);
  }
}

/** The running SHA-256 of a table's row texts, one per line, in order. */
export class RowHash {
  readonly #hash = createHash("sha256");
  rows = 0;
  add(text: string) {
    this.#hash.update(text);
    this.#hash.update("\n");
    this.rows++;
  }
  sum(): TableSum {
    return { rows: this.rows, checksum: this.#hash.digest("hex") };
  }
}

let cursorSerial = 0;

/**
 * The canonical rows of `table`, `FETCH_ROWS` at a time, through a cursor of the transaction
 * `tx` (which must have run `setCanonicalOutput`).
 */
export async function* tableRows(tx: Transaction<DB>, table: TableInfo): AsyncGenerator<string[]> {
  const cursor = `xhht_rows_${++cursorSerial}`;
  await sql.raw(`declare ${cursor} no scroll cursor for ${rowTextQuery(table)}`).execute(tx);
  for (;;) {
    const batch = await sql.raw<{ r: string }>(`fetch forward ${FETCH_ROWS} from ${cursor}`).execute(tx);
    if (batch.rows.length > 0) yield batch.rows.map((row) => row.r);
    if (batch.rows.length < FETCH_ROWS) break;
  }
  // On an error the transaction is rolled back, which closes the cursor with it.
  await sql.raw(`close ${cursor}`).execute(tx);
}

/** Rows and checksum of every table, read inside `tx` (with `setCanonicalOutput` already run). */
export async function checksumsIn(tx: Transaction<DB>, tables?: TableInfo[]) {
  const out: Record<string, TableSum> = {};
  for (const table of tables ?? (await dataTables(tx))) {
    const hash = new RowHash();
    for await (const batch of tableRows(tx, table)) for (const row of batch) hash.add(row);
    out[table.name] = hash.sum();
  }
  return out;
}

export { ident as quoteIdent };
