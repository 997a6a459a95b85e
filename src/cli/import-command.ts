/**
 * `xhht import <kind> <file> --org <code>`: the same import as the web page (a dry run, then the
 * commit in one transaction), from the command line, with a progress bar on stderr. Acts as a
 * named user (`--user`, default the first administrator), so the import is authorised against
 * that user's role and units and audited under their name.
 */
import { copyFileSync, existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { systemAuditContext } from "../capabilities/audit/audit-writer.ts";
import { principalFor } from "../capabilities/auth/service.ts";
import {
  annotatedFile,
  checkImport,
  commitImport,
  IMPORT_KINDS,
  uploadPath,
} from "../capabilities/imports/service.ts";
import type { Database } from "../db/connection.ts";
import { formatInteger } from "../domain/format.ts";
import { progressBar } from "./progress.ts";

type WithDatabase = <T>(
  opts: { databaseUrl?: string; dataDir?: string },
  fn: (db: Database) => Promise<T>,
) => Promise<T>;

export function registerImportCommand(
  program: Command,
  dbOptions: (cmd: Command) => Command,
  withDatabase: WithDatabase,
  unitIdByCode: (database: Database, code: string) => Promise<number>,
) {
  dbOptions(
    program
      .command("import <kind> <file>")
      .description(
        `nhập dữ liệu từ tệp Excel (.xlsx) hoặc CSV theo mẫu (tải mẫu trên trang “Nhập từ Excel”); loại: ${Object.keys(IMPORT_KINDS).join(", ")}`,
      )
      .requiredOption("--org <code>", "đơn vị nhận dữ liệu: mã hành chính (ví dụ 05587) hoặc id:123")
      .option("--user <username>", "nhập với tư cách người dùng này (mặc định: quản trị viên đầu tiên)")
      .option("--dry-run", "chỉ kiểm tra, không ghi gì")
      .option("--valid-only", "chỉ nhập các dòng hợp lệ (mặc định: không ghi gì nếu có dòng lỗi)")
      .option("--include-suspected", "nhập cả các dòng nghi trùng với hồ sơ đã có")
      .option("--errors <file>", "ghi tệp có thêm cột “Lỗi” ở các dòng cần sửa"),
  ).action(async (kind: string, file: string, opts) => {
    if (!IMPORT_KINDS[kind])
      throw new Error(`không có loại dữ liệu “${kind}”; các loại: ${Object.keys(IMPORT_KINDS).join(", ")}`);
    const source = resolve(file);
    if (!existsSync(source)) throw new Error(`không tìm thấy tệp ${file}`);
    await withDatabase(opts, async (database) => {
      const db = database.db;
      const user = await db
        .selectFrom("users")
        .select(["id", "username"])
        .$if(Boolean(opts.user), (q) => q.where("username", "=", opts.user))
        .$if(!opts.user, (q) => q.where("role", "=", "admin"))
        .orderBy("id")
        .executeTakeFirst();
      if (!user)
        throw new Error(opts.user ? `không có tài khoản “${opts.user}”` : "chưa có tài khoản quản trị");
      const principal = await principalFor(db, Number(user.id), "token");
      if (!principal) throw new Error(`tài khoản “${user.username}” đã bị khóa`);
      const orgUnitId = await unitIdByCode(database, opts.org);
      const path = uploadPath();
      copyFileSync(source, path);
      const size = statSync(path).size;

      const reading = progressBar("Kiểm tra", size, "bytes");
      const job = await checkImport(
        db,
        principal,
        { kind, orgUnitId, fileName: file.split("/").pop() ?? file, path },
        { onProgress: (p) => reading.update(p.bytes) },
      );
      reading.end();
      if (job.status === "failed") throw new Error(job.message ?? "không đọc được tệp");
      const r = job.rows;
      console.log(
        `Tệp ${job.fileName}: ${formatInteger(r.total)} dòng — ${formatInteger(r.new)} mới, ${formatInteger(r.updated)} cập nhật, ` +
          `${formatInteger(r.unchanged)} không đổi, ${formatInteger(r.suspected)} nghi trùng, ${formatInteger(r.invalid)} có lỗi` +
          (job.cellsConverted > 0
            ? `; ${formatInteger(job.cellsConverted)} ô chữ TCVN3/VNI đã chuyển sang Unicode.`
            : "."),
      );
      for (const p of job.problems.slice(0, 20)) {
        console.log(
          `  ${p.warning ? "Cần xem xét" : "Lỗi"} — trang “${p.sheet}”, dòng ${p.row}${p.column ? `, cột “${p.column}”` : ""}: ${p.message}`,
        );
      }
      if (job.problems.length > 20)
        console.log(`  … và ${formatInteger(job.problems.length - 20)} vấn đề khác.`);
      if (opts.errors && job.problems.length > 0) {
        await annotatedFile(db, principal, job.id, resolve(opts.errors));
        console.log(`Đã ghi tệp có cột “Lỗi”: ${opts.errors}`);
      }
      if (opts.dryRun) return;
      if (r.invalid > 0 && !opts.validOnly) {
        throw new Error(
          `${formatInteger(r.invalid)} dòng có lỗi: không ghi gì. Sửa tệp, hoặc thêm --valid-only để chỉ nhập các dòng hợp lệ.`,
        );
      }
      const writing = progressBar("Ghi dữ liệu", r.total, "dòng");
      const done = await commitImport(
        db,
        principal,
        job.id,
        { mode: opts.validOnly ? "valid" : "all", includeSuspected: Boolean(opts.includeSuspected) },
        { ...systemAuditContext("cli:import"), userId: principal.userId, username: principal.username },
        { onProgress: (p) => writing.update(p.rows) },
      );
      writing.end();
      console.log(done.message ?? "Đã nhập.");
    });
  });
}
