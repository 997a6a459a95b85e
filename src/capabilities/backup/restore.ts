/**
 * `xhht restore`: a backup (backup.ts) into an empty database of either kind, all or nothing.
 *
 * 1. A file is read through once and checked (header, row counts, every table's SHA-256
 *    against the footer) before the target is touched. The header must have the format version
 *    this code reads and a structure (schema) this code's migrations know.
 * 2. A target that is not empty (`assertEmpty`) is refused before anything is done to it; an
 *    empty one is migrated to the backup's structure (a brand-new database gets the tables).
 * 3. One transaction, with `session_replication_role = replica` (no triggers: neither the
 *    append-only guards nor the foreign-key checks, so tables load in any order): the target
 *    must be empty (`assertEmpty`), its tables are emptied of what bootstrap put there, every
 *    table's rows are inserted in batches (`jsonb_populate_recordset`, `overriding system value`
 *    for identity columns), identity sequences are set past max(id), and every table is read
 *    back and its row count and checksum compared with the footer. Anything wrong — a
 *    truncated or corrupted file, a checksum that does not match, a row the database refuses
 *    — rolls everything back (a brand-new target keeps only the empty tables of step 2).
 * 4. A backup of an older version is then migrated to the latest structure.
 *
 * Setting `session_replication_role` needs a superuser (PGlite's user is one; on a server, the
 * database owner created for XHHT is not by default — restore as `postgres`, or, since
 * PostgreSQL 15, `grant set on parameter session_replication_role to <user>`).
 */
import { createReadStream } from "node:fs";
import { pipeline, type Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { type Kysely, Migrator, sql, type Transaction } from "kysely";
import { migrationProvider } from "../../db/migrations/index.ts";
import type { DB } from "../../db/schema.ts";
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type BackupFooter,
  type BackupHeader,
  type BackupProgress,
  type BackupTableLine,
} from "./backup.ts";
import {
  checksumsIn,
  dataTables,
  quoteIdent,
  RowHash,
  setCanonicalOutput,
  type TableInfo,
  type TableSum,
} from "./catalog.ts";

/** A backup that cannot be restored, or a target it cannot be restored into: said in Vietnamese. */
export class BackupError extends Error {
  override name = "BackupError";
}

/**
 * What a database holds right after `bootstrap()` (migrations, the official units, the shipped
 * frameworks and templates, the first administrator). A target whose other tables hold rows is
 * not empty. The backup test checks this list against a freshly bootstrapped database.
 */
export const BOOTSTRAP_TABLES = [
  "audit_log",
  "centre_categories",
  "criteria_frameworks",
  "org_unit_lineage",
  "org_units",
  "report_templates",
  "subject_counts",
  "user_scopes",
  "users",
] as const;

/** The audit contexts of bootstrap's own writes; any other entry is someone's work. */
export const BOOTSTRAP_AUDIT_USERNAMES = [
  "system:first-start",
  "system:default-frameworks",
  "system:default-report-templates",
] as const;

const BATCH_ROWS = 1000;
const BATCH_CHARS = 4 * 1024 * 1024;

type BackupEvent =
  | { kind: "header"; header: BackupHeader }
  | { kind: "table"; table: BackupTableLine }
  | { kind: "rows"; table: string; rows: string[] }
  | { kind: "footer"; footer: BackupFooter };

export type BackupInput = Readable | string;

const damaged = (what: string) =>
  new BackupError(`Tệp sao lưu bị hỏng hoặc không trọn vẹn: ${what}. Không có dữ liệu nào được ghi.`);

/** The text lines of a gzip'd file; a truncated or corrupted gzip stream is a BackupError. */
async function* gunzipLines(input: BackupInput): AsyncGenerator<string> {
  const source = typeof input === "string" ? createReadStream(input) : input;
  const gunzip = pipeline(source, createGunzip(), () => {});
  const decoder = new StringDecoder("utf8");
  let rest = "";
  try {
    for await (const chunk of gunzip) {
      rest += decoder.write(chunk as Buffer);
      let at = rest.indexOf("\n");
      let from = 0;
      while (at !== -1) {
        yield rest.slice(from, at);
        from = at + 1;
        at = rest.indexOf("\n", from);
      }
      rest = rest.slice(from);
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT") throw new BackupError(`Không tìm thấy tệp sao lưu ${String(input)}.`);
    throw damaged(
      code === "Z_BUF_ERROR"
        ? "tệp bị cắt cụt (thiếu phần cuối)"
        : `không giải nén được (${(error as Error).message})`,
    );
  }
  rest += decoder.end();
  if (rest !== "") yield rest;
}

function parseLine(line: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(line) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw damaged(`dòng ${what} không phải JSON hợp lệ`);
}

/** Check a header this code can restore; otherwise say why, in Vietnamese. */
function checkHeader(value: Record<string, unknown>): BackupHeader {
  if (value.format !== BACKUP_FORMAT) throw new BackupError("Tệp này không phải bản sao lưu của XHHT.");
  if (value.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      `Bản sao lưu có định dạng phiên bản ${String(value.formatVersion)}; phiên bản XHHT này chỉ đọc định dạng ${BACKUP_FORMAT_VERSION}.`,
    );
  }
  if (typeof value.schema !== "string" || typeof value.createdAt !== "string")
    throw damaged("thiếu thông tin ở dòng đầu");
  return value as unknown as BackupHeader;
}

/**
 * Read a backup through, checking everything the file itself can prove: the header, each
 * table's announced row count, and each table's SHA-256 against the footer. Yields the rows in
 * batches; throws a BackupError — before the footer is yielded — when anything is wrong.
 */
export async function* readBackup(input: BackupInput): AsyncGenerator<BackupEvent> {
  const lines = gunzipLines(input);
  try {
    yield* parseBackup(lines);
  } finally {
    // Stopped early (an error while loading): close the file and the gunzip stream.
    await lines.return(undefined);
  }
}

async function* parseBackup(lines: AsyncGenerator<string>): AsyncGenerator<BackupEvent> {
  const next = async () => {
    const r = await lines.next();
    return r.done ? undefined : r.value;
  };
  const first = await next();
  if (first === undefined) throw damaged("tệp trống");
  yield { kind: "header", header: checkHeader(parseLine(first, "đầu")) };
  const sums = new Map<string, TableSum>();
  for (;;) {
    const line = await next();
    if (line === undefined) throw damaged("thiếu dòng tổng kiểm ở cuối tệp");
    const value = parseLine(line, "mô tả bảng");
    if ("tables" in value && !("table" in value)) {
      const footer = value as unknown as BackupFooter;
      if (!footer.tables || typeof footer.tables !== "object") throw damaged("dòng tổng kiểm không hợp lệ");
      if ((await next()) !== undefined) throw damaged("có dữ liệu sau dòng tổng kiểm");
      const listed = Object.keys(footer.tables).sort();
      const read = [...sums.keys()].sort();
      if (JSON.stringify(listed) !== JSON.stringify(read))
        throw damaged("danh sách bảng không khớp dòng tổng kiểm");
      for (const [table, sum] of sums) {
        const expected = footer.tables[table];
        if (expected?.rows !== sum.rows || expected.checksum !== sum.checksum) {
          throw damaged(`tổng kiểm của bảng ${table} không khớp (tệp đã bị sửa hoặc hỏng)`);
        }
      }
      yield { kind: "footer", footer };
      return;
    }
    const table = value as unknown as BackupTableLine;
    if (
      typeof table.table !== "string" ||
      !Array.isArray(table.columns) ||
      !Number.isSafeInteger(table.rows) ||
      table.rows < 0
    ) {
      throw damaged("dòng mô tả bảng không hợp lệ");
    }
    if (sums.has(table.table)) throw damaged(`bảng ${table.table} xuất hiện hai lần`);
    yield { kind: "table", table };
    const hash = new RowHash();
    let batch: string[] = [];
    let chars = 0;
    while (hash.rows < table.rows) {
      const row = await next();
      if (row === undefined) throw damaged(`bảng ${table.table} thiếu dòng (tệp bị cắt cụt)`);
      hash.add(row);
      batch.push(row);
      chars += row.length;
      if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) {
        yield { kind: "rows", table: table.table, rows: batch };
        batch = [];
        chars = 0;
      }
    }
    if (batch.length) yield { kind: "rows", table: table.table, rows: batch };
    sums.set(table.table, hash.sum());
  }
}

/** Read a backup through without a database (after a download): its header and footer. */
export async function verifyBackup(input: BackupInput) {
  let header: BackupHeader | undefined;
  let footer: BackupFooter | undefined;
  for await (const event of readBackup(input)) {
    if (event.kind === "header") header = event.header;
    if (event.kind === "footer") footer = event.footer;
  }
  if (!header || !footer) throw damaged("thiếu dòng đầu hoặc dòng tổng kiểm");
  return { header, footer };
}

export interface RestoreSummary {
  header: BackupHeader;
  tables: Record<string, TableSum>;
  /** Migrations applied after the load (a backup of an older version). */
  upgraded: string[];
}

export interface RestoreOptions {
  onProgress?: (p: BackupProgress) => void;
  /**
   * Read a file through once (`verifyBackup`) before touching the target, so that a damaged
   * file leaves it exactly as it was, not even migrated. Default: for a file path, unless the
   * caller has just verified it; a stream can be read only once.
   */
  checkFirst?: boolean;
}

/**
 * Restore `input` into `db`, which must be empty (see `assertEmpty`). Either every table ends
 * up identical to the backup — row counts and checksums verified by reading them back — or
 * no row is written.
 */
export async function restoreBackup(
  db: Kysely<DB>,
  input: BackupInput,
  { onProgress, checkFirst = typeof input === "string" }: RestoreOptions = {},
): Promise<RestoreSummary> {
  if (checkFirst) await verifyBackup(input);
  const events = readBackup(input);
  try {
    const first = await events.next();
    if (first.done || first.value.kind !== "header") throw damaged("thiếu dòng đầu");
    const header = first.value.header;
    // A target someone has used is refused before anything is done to it, migrations included.
    await db.transaction().execute(async (tx) => assertEmpty(tx, await dataTables(tx)));
    const migrator = new Migrator({ db, provider: migrationProvider });
    await migrateTarget(migrator, header.schema);

    const tables = await db.transaction().execute(async (tx) => {
      await replicaRole(tx);
      await setCanonicalOutput(tx);
      const targetTables = await dataTables(tx);
      const byName = new Map(targetTables.map((t) => [t.name, t]));
      await assertEmpty(tx, targetTables);
      for (const table of targetTables) await sql`delete from ${sql.raw(quoteIdent(table.name))}`.execute(tx);

      let current: { info: TableInfo; line: BackupTableLine; rows: number } | undefined;
      let footer: BackupFooter | undefined;
      for await (const event of events) {
        if (event.kind === "table") {
          const info = byName.get(event.table.table);
          if (!info) throw new BackupError(`CSDL đích không có bảng ${event.table.table} của bản sao lưu.`);
          checkColumns(info, event.table);
          current = { info, line: event.table, rows: 0 };
          onProgress?.({ table: info.name, rows: 0, total: event.table.rows });
        } else if (event.kind === "rows" && current) {
          try {
            await insertRows(tx, current.info, event.rows);
          } catch (error) {
            // A row the database refuses: if the file was altered, say so (the checksums tell).
            await drain(events);
            throw new BackupError(
              `Không nạp được bảng ${current.info.name} (${(error as Error).message}): đã hủy khôi phục, không có dữ liệu nào được ghi.`,
            );
          }
          current.rows += event.rows.length;
          onProgress?.({ table: current.info.name, rows: current.rows, total: current.line.rows });
        } else if (event.kind === "footer") {
          footer = event.footer;
        }
      }
      if (!footer) throw damaged("thiếu dòng tổng kiểm");
      const missing = targetTables.filter((t) => !(t.name in footer.tables)).map((t) => t.name);
      if (missing.length) throw new BackupError(`Bản sao lưu thiếu bảng: ${missing.join(", ")}.`);

      for (const table of targetTables) await resetSequences(tx, table);

      // Read everything back: what the target now holds must be what the source held.
      const loaded = await checksumsIn(tx, targetTables);
      for (const [name, expected] of Object.entries(footer.tables)) {
        const got = loaded[name];
        if (got?.rows !== expected.rows || got.checksum !== expected.checksum) {
          throw new BackupError(
            `Bảng ${name} sau khi khôi phục không giống bản sao lưu (${got?.rows ?? 0}/${expected.rows} dòng, tổng kiểm khác): đã hủy khôi phục, không có dữ liệu nào được ghi.`,
          );
        }
      }
      return loaded;
    });

    const upgraded = await migrateToLatest(migrator);
    return { header, tables, upgraded };
  } finally {
    await events.return(undefined);
  }
}

/** Read the rest of a backup through; a damaged file throws its BackupError. */
async function drain(events: AsyncGenerator<BackupEvent>) {
  let next = await events.next();
  while (!next.done) next = await events.next();
}

/**
 * No triggers while loading (append-only guards, foreign keys): needs a superuser, or on
 * PostgreSQL 15+ `grant set on parameter session_replication_role to <user>`.
 */
async function replicaRole(tx: Transaction<DB>) {
  try {
    await sql`set local session_replication_role = replica`.execute(tx);
  } catch (error) {
    if ((error as { code?: string }).code !== "42501") throw error;
    throw new BackupError(
      "Tài khoản PostgreSQL này không đủ quyền khôi phục (cần tắt tạm các trigger bằng session_replication_role). " +
        "Hãy khôi phục bằng tài khoản postgres (quản trị máy chủ), hoặc cấp quyền: " +
        "grant set on parameter session_replication_role to <tài khoản>; rồi chạy lại.",
    );
  }
}

/** Bring the target to the backup's structure; refuse a backup newer than this code, or a target ahead of it. */
async function migrateTarget(migrator: Migrator, schema: string) {
  const known = (await migrator.getMigrations()).map((m) => ({
    name: m.name,
    applied: m.executedAt !== undefined,
  }));
  const names = known.map((m) => m.name);
  if (!names.includes(schema)) {
    throw new BackupError(
      `Bản sao lưu được tạo bởi phiên bản XHHT mới hơn (cấu trúc CSDL "${schema}", phiên bản này chỉ biết đến "${names.at(-1)}"). Hãy cập nhật XHHT rồi khôi phục lại.`,
    );
  }
  const at = names.indexOf(schema);
  const ahead = known.filter((m, i) => m.applied && i > at).map((m) => m.name);
  if (ahead.length) {
    throw new BackupError(
      `CSDL đích đã ở cấu trúc mới hơn bản sao lưu (${ahead.at(-1)} so với ${schema}). Hãy khôi phục vào một CSDL mới chưa khởi tạo; phiên bản mới sẽ tự nâng cấp dữ liệu sau khi nạp.`,
    );
  }
  const { error, results } = await migrator.migrateTo(schema);
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(
      `Không cập nhật được cấu trúc CSDL đích (${failed?.migrationName ?? ""}): ${String(error)}`,
    );
  }
}

async function migrateToLatest(migrator: Migrator): Promise<string[]> {
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`Đã khôi phục, nhưng không nâng cấp được cấu trúc CSDL: ${String(error)}`);
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * "Empty" means: the data tables hold only what migrations and `bootstrap()` put there —
 * no table outside BOOTSTRAP_TABLES has a row, there is at most one account (the first
 * administrator) and every audit entry is bootstrap's own. A database that anyone has used
 * (logged in, entered a household, loaded the demo) is refused: restoring would destroy it.
 */
export async function assertEmpty(tx: Transaction<DB>, tables: TableInfo[]) {
  const problems: string[] = [];
  const names = new Set(tables.map((t) => t.name));
  for (const table of tables) {
    if ((BOOTSTRAP_TABLES as readonly string[]).includes(table.name)) continue;
    const any = await sql<{
      n: number;
    }>`select count(*)::int as n from (select 1 from ${sql.raw(quoteIdent(table.name))} limit 1000) x`.execute(
      tx,
    );
    const n = any.rows[0]?.n ?? 0;
    if (n > 0) problems.push(`bảng ${table.name} có ${n >= 1000 ? "từ 1000" : n} dòng`);
  }
  if (names.has("users")) {
    const users = await sql<{ n: number }>`select count(*)::int as n from users`.execute(tx);
    const n = users.rows[0]?.n ?? 0;
    if (n > 1) problems.push(`có ${n} tài khoản`);
  }
  if (names.has("audit_log")) {
    const entries = await sql<{ n: number }>`
      select count(*)::int as n from audit_log
       where user_id is not null or username is null
          or username not in (${sql.join(BOOTSTRAP_AUDIT_USERNAMES.map((u) => sql.lit(u)))})`.execute(tx);
    const n = entries.rows[0]?.n ?? 0;
    if (n > 0) problems.push(`nhật ký có ${n} thao tác ngoài lần khởi tạo`);
  }
  if (problems.length) {
    throw new BackupError(
      `CSDL đích không trống (${problems.join("; ")}). Chỉ khôi phục vào một CSDL mới: PostgreSQL — tạo CSDL trống (create database …) rồi đặt DATABASE_URL; CSDL nhúng — chọn một thư mục mới bằng --data-dir.`,
    );
  }
}

function checkColumns(info: TableInfo, line: BackupTableLine) {
  const key = (c: { name: string; type: string }) => `${c.name} ${c.type}`;
  const want = info.columns.map(key).sort();
  const got = line.columns.map(key).sort();
  if (JSON.stringify(want) !== JSON.stringify(got)) {
    throw new BackupError(
      `Cột của bảng ${info.name} trong bản sao lưu khác CSDL đích (${got.join(", ")} ≠ ${want.join(", ")}).`,
    );
  }
}

const insertStatements = new WeakMap<TableInfo, [string, string]>();

async function insertRows(tx: Transaction<DB>, table: TableInfo, rows: string[]) {
  let statement = insertStatements.get(table);
  if (!statement) {
    const columns = table.columns.filter((c) => !c.generated);
    const values = columns.map((c) =>
      c.json ? `(x.${quoteIdent(c.name)} -> 0)` : `x.${quoteIdent(c.name)}`,
    );
    const t = quoteIdent(table.name);
    statement = [
      `insert into ${t} (${columns.map((c) => quoteIdent(c.name)).join(", ")})${table.identity ? " overriding system value" : ""} select ${values.join(", ")} from jsonb_populate_recordset(null::${t},`,
      ") as x",
    ];
    insertStatements.set(table, statement);
  }
  const [head, tail] = statement;
  await sql`${sql.raw(head)} ${`[${rows.join(",")}]`}::jsonb${sql.raw(tail)}`.execute(tx);
}

/** Identity and serial sequences continue after the largest restored value. */
async function resetSequences(tx: Transaction<DB>, table: TableInfo) {
  for (const column of table.columns.filter((c) => c.sequence)) {
    await sql`
      select setval(pg_get_serial_sequence(${`public.${quoteIdent(table.name)}`}, ${column.name}),
                    coalesce(max(${sql.raw(quoteIdent(column.name))}), 0) + 1, false)
        from ${sql.raw(quoteIdent(table.name))}`.execute(tx);
  }
}
