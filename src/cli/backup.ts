/**
 * `xhht backup <file>` (of the local database, or `--from` a running server), `xhht restore
 * <file>` into an empty database, `xhht restore --verify <file>`: the commands around
 * src/capabilities/backup, registered by main.ts with its database options.
 */
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { type Command, Option } from "commander";
import type { BackupHeader, BackupProgress } from "../capabilities/backup/backup.ts";
import type { Database } from "../db/connection.ts";
import { formatDateTime, formatDecimal, formatInteger } from "../domain/format.ts";

const EMBEDDED_WHILE_SERVING = `
Với CSDL nhúng (thư mục dữ liệu), máy chủ đang chạy giữ thư mục đó: lệnh này không mở được nó
cùng lúc. Khi máy chủ đang chạy, tải bản sao lưu qua HTTP (một ảnh chụp nhất quán, máy chủ vẫn
phục vụ), với mã truy cập API của một quản trị viên toàn quốc (tạo ở mục Tài khoản):
  xhht backup sao-luu.ndjson.gz --from http://localhost:3000 --token <mã>
Với PostgreSQL (DATABASE_URL), lệnh sao lưu trực tiếp cả khi máy chủ đang chạy.`;

const RESTORE_HELP = `
CSDL đích phải trống: một thư mục mới (--data-dir) hoặc một CSDL PostgreSQL mới tạo (create database …),
hay một CSDL chỉ mới chạy lần đầu (xhht serve) mà chưa ai dùng. CSDL đã có dữ liệu bị từ chối, không
thay đổi gì. Tệp được kiểm tra trọn vẹn trước khi mở CSDL; mọi bảng được nạp trong một giao dịch và
đọc lại để so tổng kiểm: hoặc giống hệt bản sao lưu, hoặc không ghi gì. Với PostgreSQL cần tài khoản
quản trị (postgres) hoặc quyền "grant set on parameter session_replication_role to <tài khoản>".

Chuyển từ CSDL nhúng sang PostgreSQL:
  xhht backup sao-luu.ndjson.gz      (máy chủ đã dừng; khi đang chạy: --from http://localhost:3000 --token <mã>)
  createdb xhht                      (trên máy chủ PostgreSQL)
  DATABASE_URL=postgres://user:pass@host:5432/xhht xhht restore sao-luu.ndjson.gz
rồi chạy máy chủ với DATABASE_URL đó.`;

/** An embedded database directory held by another process (a running server) is not opened. */
function refuseEmbeddedInUse(opts: { databaseUrl?: string; dataDir?: string; force?: boolean }) {
  if (opts.databaseUrl || opts.force) return;
  const dir = resolve(opts.dataDir ?? "./data");
  if (existsSync(join(dir, "postmaster.pid"))) {
    throw new Error(
      `CSDL nhúng ở ${dir} đang được một tiến trình khác mở (máy chủ xhht serve?). Khi máy chủ đang chạy, ` +
        "tải bản sao lưu qua HTTP: xhht backup <tệp> --from http://localhost:3000 --token <mã>. " +
        "Nếu chắc chắn không còn tiến trình nào dùng thư mục này (máy chủ đã dừng bất thường), thêm --force.",
    );
  }
}

/** Progress on stderr: one line per table once it is done, and every 100.000 rows of a big one. */
function tableProgress() {
  const totals = { started: Date.now() };
  let shown = 0;
  const onProgress = (p: BackupProgress) => {
    if (p.rows === p.total) {
      process.stderr.write(`  ${p.table}: ${formatInteger(p.total)} dòng\n`);
      shown = 0;
    } else if (p.rows - shown >= 100_000) {
      process.stderr.write(`  ${p.table}: ${formatInteger(p.rows)}/${formatInteger(p.total)} dòng…\n`);
      shown = p.rows;
    }
  };
  const seconds = () => formatDecimal((Date.now() - totals.started) / 1000, 1);
  return { totals, onProgress, seconds };
}

function describeBackup(header: BackupHeader, tables: Record<string, { rows: number }>) {
  const rows = Object.values(tables).reduce((n, t) => n + t.rows, 0);
  const source = header.source === "pglite" ? "CSDL nhúng" : "PostgreSQL";
  return (
    `${Object.keys(tables).length} bảng, ${formatInteger(rows)} dòng; ảnh chụp lúc ${formatDateTime(header.createdAt)} ` +
    `từ ${source}, cấu trúc ${header.schema}, XHHT ${header.xhhtVersion}`
  );
}

function fileSize(file: string) {
  return `${formatDecimal(statSync(file).size / 1024 / 1024, 1)} MB`;
}

/** GET /api/v1/system/backup of a running server into `file`, checked before it is kept. */
async function downloadBackup(from: string, token: string, file: string) {
  const url = new URL("api/v1/system/backup", from.endsWith("/") ? from : `${from}/`);
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new Error(`không kết nối được tới máy chủ ${url.origin} (${cause})`);
  }
  if (!res.ok || !res.body) {
    const problem = (await res.json().catch(() => ({}))) as { title?: string; detail?: string };
    const why = problem.detail ?? problem.title ?? res.statusText;
    throw new Error(`máy chủ từ chối tải bản sao lưu (HTTP ${res.status}: ${why})`);
  }
  const partial = `${file}.part-${process.pid}`;
  try {
    await pipeline(
      Readable.fromWeb(res.body as WebReadableStream),
      createWriteStream(partial, { mode: 0o600 }),
    );
    const { verifyBackup } = await import("../capabilities/backup/restore.ts");
    const checked = await verifyBackup(partial);
    renameSync(partial, file);
    return checked;
  } finally {
    rmSync(partial, { force: true });
  }
}

type DatabaseOptions = { databaseUrl?: string; dataDir?: string };

export function backupCommands(
  program: Command,
  dbOptions: (cmd: Command) => Command,
  withDatabase: <T>(opts: DatabaseOptions, fn: (db: Database) => Promise<T>) => Promise<T>,
) {
  dbOptions(
    program
      .command("backup <file>")
      .description(
        "sao lưu toàn bộ dữ liệu vào một tệp: ảnh chụp nhất quán, NDJSON nén gzip, có tổng kiểm SHA-256 từng bảng",
      )
      .option("--from <url>", "tải bản sao lưu từ một máy chủ XHHT đang chạy (ví dụ http://localhost:3000)")
      .addOption(
        new Option(
          "--token <token>",
          "mã truy cập API của một quản trị viên toàn quốc (dùng với --from)",
        ).env("XHHT_API_TOKEN"),
      )
      .option("--force", "mở thư mục CSDL nhúng cả khi có dấu hiệu đang được dùng")
      .addHelpText("after", EMBEDDED_WHILE_SERVING),
  ).action(async (file: string, opts) => {
    const target = resolve(file);
    if (!existsSync(dirname(target))) throw new Error(`thư mục ${dirname(target)} không tồn tại`);
    if (opts.from) {
      if (!opts.token) throw new Error("thiếu --token (mã truy cập API của một quản trị viên toàn quốc)");
      const started = Date.now();
      const { header, footer } = await downloadBackup(opts.from, opts.token, target);
      console.log(
        `Đã tải bản sao lưu ${file} (${fileSize(target)}, ${formatDecimal((Date.now() - started) / 1000, 1)} giây; ` +
          `tổng kiểm khớp): ${describeBackup(header, footer.tables)}.`,
      );
      return;
    }
    if (!opts.databaseUrl && !existsSync(join(resolve(opts.dataDir), "PG_VERSION"))) {
      throw new Error(
        `không có CSDL nhúng ở ${resolve(opts.dataDir)} (chọn thư mục bằng --data-dir hoặc XHHT_DATA_DIR)`,
      );
    }
    refuseEmbeddedInUse(opts);
    await withDatabase(opts, async (database) => {
      const progress = tableProgress();
      process.stderr.write(`Đang sao lưu CSDL ${database.backend} (${database.location})…\n`);
      const { writeBackup } = await import("../capabilities/backup/backup.ts");
      const summary = await writeBackup(database.db, target, progress.onProgress);
      console.log(
        `Đã sao lưu vào ${file} (${fileSize(target)}, ${progress.seconds()} giây): ${describeBackup(summary.header, summary.tables)}.`,
      );
    });
  });

  dbOptions(
    program
      .command("restore <file>")
      .description(
        "khôi phục một bản sao lưu vào CSDL trống (nhúng hoặc PostgreSQL, bất kể bản sao lưu từ loại nào); --verify: chỉ kiểm tra tệp",
      )
      .option("--verify", "chỉ kiểm tra tệp (định dạng, số dòng, tổng kiểm từng bảng), không mở CSDL")
      .option("--force", "mở thư mục CSDL nhúng cả khi có dấu hiệu đang được dùng")
      .addHelpText("after", RESTORE_HELP),
  ).action(async (file: string, opts) => {
    if (!existsSync(file)) throw new Error(`không tìm thấy tệp sao lưu ${file}`);
    // The whole file is checked before any database is opened (or an embedded one created).
    const started = Date.now();
    const { restoreBackup, verifyBackup } = await import("../capabilities/backup/restore.ts");
    const { header, footer } = await verifyBackup(file);
    if (opts.verify) {
      console.log(
        `Tệp ${file} nguyên vẹn (${fileSize(file)}, tổng kiểm từng bảng khớp): ${describeBackup(header, footer.tables)}.`,
      );
      return;
    }
    refuseEmbeddedInUse(opts);
    await withDatabase(opts, async (database) => {
      const progress = tableProgress();
      progress.totals.started = started;
      process.stderr.write(`Đang khôi phục vào CSDL ${database.backend} (${database.location})…\n`);
      const summary = await restoreBackup(database.db, file, {
        onProgress: progress.onProgress,
        checkFirst: false,
      });
      console.log(
        `Đã khôi phục ${file} vào CSDL ${database.backend} (${database.location}) trong ${progress.seconds()} giây, ` +
          `tổng kiểm từng bảng khớp: ${describeBackup(summary.header, summary.tables)}.`,
      );
      if (summary.upgraded.length) console.log(`Đã nâng cấp cấu trúc CSDL: ${summary.upgraded.join(", ")}.`);
    });
  });
}
