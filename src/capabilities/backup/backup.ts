/**
 * `xhht backup`: one consistent snapshot of all data as gzip'd NDJSON.
 *
 *   {"format":"xhht-backup","formatVersion":1,"schema":"0012_…","createdAt":"…","source":"pglite"}
 *   {"table":"audit_log","columns":[{"name":"id","type":"bigint"},…],"rows":1234}
 *   <1234 row lines: the canonical row texts of catalog.ts, in primary-key order>
 *   … one such section per table, by name …
 *   {"tables":{"audit_log":{"rows":1234,"checksum":"<sha-256 hex of the row lines>"},…}}
 *
 * The snapshot is one `repeatable read, read only` transaction, so a server keeps serving
 * writes while it runs and the file is the database as of one instant (`createdAt`); rows are
 * read through a cursor, a thousand at a time, so a table is never in memory whole.
 */
import { once } from "node:events";
import { createWriteStream, renameSync, rmSync } from "node:fs";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema.ts";
import { VERSION } from "../../server/config.ts";
import { dataTables, quoteIdent, RowHash, setCanonicalOutput, type TableSum, tableRows } from "./catalog.ts";

export const BACKUP_FORMAT = "xhht-backup";
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  /** The latest migration applied to the source: the structure the rows fit. */
  schema: string;
  /** The instant of the snapshot (the transaction's start), ISO 8601 UTC. */
  createdAt: string;
  source: "pglite" | "postgresql";
  /** The XHHT version that wrote the file (information only). */
  xhhtVersion: string;
}

export interface BackupTableLine {
  table: string;
  columns: { name: string; type: string }[];
  /** Exactly this many row lines follow. */
  rows: number;
}

export interface BackupFooter {
  tables: Record<string, TableSum>;
}

export interface BackupProgress {
  table: string;
  /** Rows of `table` written so far, of `total`. */
  rows: number;
  total: number;
}

export interface BackupSummary {
  header: BackupHeader;
  tables: Record<string, TableSum>;
}

/** About this many bytes of row text are handed to gzip at a time. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Write a snapshot of every data table of `db` to `out` (a stream, or a file path: written
 * beside it and renamed only when complete, so a failed backup never leaves a file that looks
 * whole).
 */
export async function writeBackup(
  db: Kysely<DB>,
  out: Writable | string,
  onProgress?: (p: BackupProgress) => void,
): Promise<BackupSummary> {
  if (typeof out !== "string") return snapshot(db, out, onProgress);
  const partial = `${out}.part-${process.pid}`;
  const file = createWriteStream(partial, { mode: 0o600 });
  try {
    await once(file, "open");
    const summary = await snapshot(db, file, onProgress);
    renameSync(partial, out);
    return summary;
  } catch (error) {
    // Refused before the pipeline took the file (nothing to back up): close it too.
    file.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

async function snapshot(
  db: Kysely<DB>,
  out: Writable,
  onProgress: ((p: BackupProgress) => void) | undefined,
): Promise<BackupSummary> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (tx) => {
      await sql`set transaction read only`.execute(tx);
      await setCanonicalOutput(tx);
      const meta = await sql<{ migrated: boolean; now: Date; version: string }>`
        select to_regclass('public.kysely_migration') is not null as migrated, now() as now,
               version() as version`.execute(tx);
      const schema = meta.rows[0]?.migrated
        ? (await sql<{ name: string | null }>`select max(name) as name from kysely_migration`.execute(tx))
            .rows[0]?.name
        : null;
      if (!schema)
        throw new Error(
          "CSDL chưa được khởi tạo (chưa có bản cập nhật cấu trúc nào): không có gì để sao lưu.",
        );
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        schema,
        createdAt: new Date(meta.rows[0]?.now ?? Date.now()).toISOString(),
        source: /PGlite/.test(meta.rows[0]?.version ?? "") ? "pglite" : "postgresql",
        xhhtVersion: VERSION,
      };
      const tables = await dataTables(tx);
      const sums: Record<string, TableSum> = {};

      async function* lines(): AsyncGenerator<string> {
        yield `${JSON.stringify(header)}\n`;
        for (const table of tables) {
          const counted = await sql<{
            n: string;
          }>`select count(*)::text as n from ${sql.raw(quoteIdent(table.name))}`.execute(tx);
          const total = Number(counted.rows[0]?.n ?? 0);
          const line: BackupTableLine = {
            table: table.name,
            columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
            rows: total,
          };
          yield `${JSON.stringify(line)}\n`;
          const hash = new RowHash();
          onProgress?.({ table: table.name, rows: 0, total });
          let chunk = "";
          for await (const batch of tableRows(tx, table)) {
            for (const row of batch) {
              hash.add(row);
              chunk += `${row}\n`;
              if (chunk.length >= CHUNK_BYTES) {
                yield chunk;
                chunk = "";
              }
            }
            onProgress?.({ table: table.name, rows: hash.rows, total });
          }
          if (chunk) yield chunk;
          // Repeatable read: the count and the rows come from the same snapshot.
          if (hash.rows !== total)
            throw new Error(`bảng ${table.name}: đếm được ${total} dòng nhưng đọc được ${hash.rows}`);
          sums[table.name] = hash.sum();
        }
        const footer: BackupFooter = { tables: sums };
        yield `${JSON.stringify(footer)}\n`;
      }

      await pipeline(Readable.from(lines()), createGzip(), out);
      return { header, tables: sums };
    });
}
