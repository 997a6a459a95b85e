/**
 * The `xhht` command. Each command loads what it needs when it runs (`await import`): the server,
 * the report renderers and the demo data cost a command that does not use them ~30 MB of memory,
 * which the import of a large file on the embedded database cannot spare (BENCHMARKS.md).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { ROLES, type Role } from "../authz/policy.ts";
import { systemAuditContext } from "../capabilities/audit/audit-writer.ts";
import { DEFAULT_ADMIN_UNITS_DIR } from "../capabilities/org-units/admin-units-loader.ts";
import { connect, type Database } from "../db/connection.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { configFromEnv, PROJECT_ROOT, VERSION, WEB_DIST_DIR } from "../server/config.ts";
import { AppError } from "../server/problem.ts";
import { backupCommands } from "./backup.ts";
import { registerGenerateCommand } from "./generate-command.ts";
import { registerImportCommand } from "./import-command.ts";

const program = new Command()
  .name("xhht")
  .description("XHHT — quản lý và báo cáo xây dựng xã hội học tập")
  .version(VERSION)
  .showHelpAfterError("(xem thêm: xhht --help)");

function dbOptions(cmd: Command) {
  return cmd
    .addOption(new Option("--database-url <url>", "PostgreSQL server (postgres://…)").env("DATABASE_URL"))
    .addOption(
      new Option("--data-dir <dir>", "embedded database directory").env("XHHT_DATA_DIR").default("./data"),
    );
}

async function withDatabase<T>(
  opts: { databaseUrl?: string; dataDir?: string },
  fn: (db: Database) => Promise<T>,
) {
  const database = await connect({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`vai trò phải là một trong: ${ROLES.join(", ")}`);
  }
  return value as Role;
}

/** The web app is built when missing, or older than its sources (after an update, say). */
function webNeedsBuild(): boolean {
  const built = join(WEB_DIST_DIR, "index.html");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = ["src/web", "src/domain", "vite.config.ts", "package-lock.json"].map((p) =>
    join(PROJECT_ROOT, p),
  );
  return sources.some((source) => newestMtime(source) > builtAt);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

dbOptions(
  program
    .command("serve")
    .description("chạy máy chủ (API + ứng dụng web); tạo CSDL, nạp danh mục hành chính ở lần chạy đầu")
    .addOption(new Option("--port <port>", "cổng HTTP").env("PORT").default("3000"))
    .addOption(new Option("--host <host>", "địa chỉ lắng nghe").env("HOST").default("0.0.0.0"))
    .option("--build-if-needed", "dựng ứng dụng web nếu chưa có hoặc cũ hơn mã nguồn"),
).action(async (opts) => {
  const env = configFromEnv();
  if (opts.buildIfNeeded && webNeedsBuild()) {
    console.log("Đang dựng ứng dụng web…");
    execFileSync(process.execPath, [join(PROJECT_ROOT, "node_modules/vite/bin/vite.js"), "build"], {
      cwd: PROJECT_ROOT,
      stdio: "inherit",
    });
  }
  const { bootstrap } = await import("../server/bootstrap.ts");
  const { buildApp } = await import("../server/app.ts");
  const database = await connect({
    databaseUrl: opts.databaseUrl,
    dataDir: opts.dataDir,
    readUrl: env.databaseReadUrl,
  });
  const result = await bootstrap(database, env.adminPassword);
  if (result.adminUnitsLoaded) console.log("Đã nạp danh mục 34 tỉnh, 3.321 xã và các đơn vị trước sáp nhập.");
  const app = await buildApp({
    database,
    version: VERSION,
    webDir: WEB_DIST_DIR,
    secureCookies: env.secureCookies,
    trustProxy: env.trustProxy,
    logger: true,
  });
  const address = await app.listen({ port: Number(opts.port), host: opts.host });
  const shown = address.replace("0.0.0.0", "localhost").replace("[::]", "localhost");
  console.log(`XHHT ${VERSION} đang chạy tại ${shown} (CSDL: ${database.backend}, ${database.location})`);
  if (result.firstAdmin) {
    console.log("──────────────────────────────────────────────");
    console.log("Lần chạy đầu tiên: đã tạo tài khoản quản trị.");
    console.log(`  Đăng nhập tại ${shown} với tên "${result.firstAdmin.username}"`);
    if (result.firstAdmin.generated) {
      console.log(`  Mật khẩu tạm thời: ${result.firstAdmin.password}`);
      console.log("  (chỉ hiển thị lần này; bạn sẽ được yêu cầu đổi mật khẩu khi đăng nhập)");
    } else {
      console.log("  Mật khẩu: giá trị của biến XHHT_ADMIN_PASSWORD");
    }
    console.log("──────────────────────────────────────────────");
  }
  if (webNeedsBuild()) console.log("Chưa có ứng dụng web đã dựng: chạy `npm run build` hoặc `npm start`.");
  const stop = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
});

dbOptions(program.command("migrate").description("áp dụng các bản cập nhật cấu trúc CSDL còn thiếu")).action(
  async (opts) => {
    await withDatabase(opts, async (database) => {
      const applied = await migrateToLatest(database);
      console.log(applied.length ? `Đã áp dụng: ${applied.join(", ")}` : "CSDL đã ở phiên bản mới nhất.");
    });
  },
);

dbOptions(
  program
    .command("demo")
    .description(
      "nạp dữ liệu mẫu: các hồ sơ đứng sau báo cáo mẫu (TTHTCĐ xã Thanh Định năm 2024, Hội Khuyến học thị xã Ninh Hòa năm 2024, huyện Hòa An giai đoạn 2016-2020, phường Mạo Khê 2016-2020)",
    ),
).action(async (opts) => {
  const { bootstrap } = await import("../server/bootstrap.ts");
  const { loadThanhDinhCentre2024, THANH_DINH_CENTRE } = await import(
    "../capabilities/demo/thanh-dinh-centre-2024.ts"
  );
  const { loadNinhHoaAssociation2024, NINH_HOA, NINH_HOA_PERIOD } = await import(
    "../capabilities/demo/ninh-hoa-association-2024.ts"
  );
  const { HOA_AN_PERIOD, HOA_AN_TEMPLATE, loadHoaAnPhase2016To2020 } = await import(
    "../capabilities/demo/hoa-an-phase-2016-2020.ts"
  );
  const { loadMaoKheDirective2016To2020, MAO_KHE_PERIOD, MAO_KHE_TEMPLATE } = await import(
    "../capabilities/demo/mao-khe-directive-2016-2020.ts"
  );
  await withDatabase(opts, async (database) => {
    const boot = await bootstrap(database);
    if (boot.firstAdmin) {
      console.log(`Đã tạo tài khoản quản trị: ${boot.firstAdmin.username} / ${boot.firstAdmin.password}`);
    }
    const admin = await database.db
      .selectFrom("users")
      .select(["id", "username"])
      .where("role", "=", "admin")
      .orderBy("id")
      .executeTakeFirst();
    if (!admin) throw new Error("chưa có tài khoản quản trị: tạo bằng xhht user create <tên> --role admin");
    // The records are entered as the first administrator, through the same services as the app.
    const principal = {
      userId: Number(admin.id),
      username: admin.username,
      role: "admin" as const,
      scopePaths: ["/"],
      via: "token" as const,
    };
    const centre = await loadThanhDinhCentre2024(database.db, principal, systemAuditContext("cli:demo"));
    console.log(
      centre.loaded
        ? `Đã nạp: ${THANH_DINH_CENTRE} — các lớp, chuyên đề và kinh phí năm 2024 (báo cáo mẫu 004).`
        : `${THANH_DINH_CENTRE}: dữ liệu năm 2024 đã có, không nạp lại.`,
    );
    console.log(
      `Xem báo cáo: xhht report --template centre-annual --org id:${centre.centreId} --period 2024 --out tthtcd-thanh-dinh-2024.docx`,
    );
    const association = await loadNinhHoaAssociation2024(
      database.db,
      principal,
      systemAuditContext("cli:demo"),
    );
    console.log(
      association.loaded
        ? `Đã nạp: Hội Khuyến học thị xã Ninh Hòa và 27 xã, phường — quỹ, kiểm tra, TTHTCĐ, sự kiện, chương trình phối hợp năm báo cáo 2024 (báo cáo mẫu 000).`
        : `${NINH_HOA.name}: dữ liệu năm báo cáo 2024 đã có, không nạp lại.`,
    );
    console.log(
      `Xem báo cáo: xhht report --template association-annual --org id:${association.districtId} --period ${NINH_HOA_PERIOD} --out hkh-ninh-hoa-2024.docx`,
    );
    const phase = await loadHoaAnPhase2016To2020(database.db, principal, systemAuditContext("cli:demo"));
    console.log(
      phase.loaded
        ? "Đã nạp: huyện Hòa An và 15 xã, thị trấn — số liệu xóa mù chữ từng năm 2016–2020 và chỉ tiêu các giai đoạn (báo cáo mẫu 003)."
        : "Huyện Hòa An: dữ liệu giai đoạn 2016-2020 đã có, không nạp lại.",
    );
    console.log(
      `Xem báo cáo: xhht report --template ${HOA_AN_TEMPLATE} --org id:${phase.districtId} --period ${HOA_AN_PERIOD} --out ubnd-hoa-an-2016-2020.docx`,
    );
    const review = await loadMaoKheDirective2016To2020(
      database.db,
      principal,
      systemAuditContext("cli:demo"),
    );
    console.log(
      review.loaded
        ? "Đã nạp: báo cáo tổng kết 5 năm thực hiện Chỉ thị 04-CT/TU của phường Mạo Khê (bản nháp, báo cáo mẫu 001)."
        : "Phường Mạo Khê: báo cáo giai đoạn 2016-2020 đã có, không nạp lại.",
    );
    console.log(
      `Xem báo cáo: xhht report --template ${MAO_KHE_TEMPLATE} --org id:${review.wardId} --period ${MAO_KHE_PERIOD} --out mao-khe-2016-2020.docx`,
    );
  });
});

const user = program.command("user").description("quản lý tài khoản từ dòng lệnh");
for (const [name, description] of [
  ["create", "tạo tài khoản"],
  ["reset", "đặt lại mật khẩu (và mở khóa) một tài khoản"],
] as const) {
  dbOptions(
    user
      .command(`${name} <username>`)
      .description(description)
      .option("--full-name <name>", "họ tên", "")
      .option("--role <role>", `vai trò: ${ROLES.join(", ")}`, parseRole, "officer")
      .option("--scope <code>", "mã đơn vị phụ trách (VN = toàn quốc, 2 số = tỉnh, 5 số = xã)", "VN")
      .addOption(
        new Option("--password <password>", "mật khẩu (bỏ trống để sinh ngẫu nhiên)").env(
          "XHHT_USER_PASSWORD",
        ),
      ),
  ).action(async (username: string, opts) => {
    if (!/^[a-z0-9._-]{3,40}$/.test(username)) {
      throw new InvalidArgumentError("tên đăng nhập gồm 3–40 ký tự a-z, 0-9, . _ -");
    }
    const { generatePassword, PASSWORD_MIN_LENGTH } = await import("../capabilities/auth/secrets.ts");
    const { upsertUserFromCli } = await import("../capabilities/users/service.ts");
    if (opts.password && opts.password.length < PASSWORD_MIN_LENGTH) {
      throw new InvalidArgumentError(`mật khẩu cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự`);
    }
    const password = opts.password || generatePassword();
    await withDatabase(opts, async (database) => {
      await migrateToLatest(database);
      await upsertUserFromCli(
        database.db,
        {
          mode: name,
          username,
          fullName: opts.fullName || username,
          role: opts.role,
          scopeCode: opts.scope,
          password,
          mustChange: !opts.password,
        },
        systemAuditContext(`cli:user-${name}`),
      );
    });
    console.log(`Tài khoản "${username}" đã sẵn sàng.`);
    if (!opts.password) console.log(`Mật khẩu tạm thời: ${password} (phải đổi khi đăng nhập)`);
  });
}

dbOptions(
  program
    .command("orgunits")
    .description("danh mục đơn vị")
    .command("import")
    .description("nạp/cập nhật danh mục tỉnh, xã (mới và trước 2025) và quan hệ sáp nhập")
    .option("--dir <dir>", "thư mục chứa merges.json và splits.json", DEFAULT_ADMIN_UNITS_DIR),
).action(async (opts) => {
  const { loadAdminUnits } = await import("../capabilities/org-units/admin-units-loader.ts");
  await withDatabase(opts, async (database) => {
    await migrateToLatest(database);
    const r = await loadAdminUnits(database.db, systemAuditContext("cli:orgunits-import"), opts.dir);
    console.log(
      `Đã nạp: ${r.provinces} tỉnh, ${r.communes} xã hiện hành; ${r.historicalProvinces} tỉnh, ` +
        `${r.historicalCommunes} xã trước sáp nhập; ${r.lineageLinks} liên kết sáp nhập; ${r.inserted} đơn vị mới.`,
    );
  });
});

// xhht backup, xhht restore (src/cli/backup.ts).
backupCommands(program, dbOptions, withDatabase);

program
  .command("report")
  .description("báo cáo định kỳ: liệt kê biểu mẫu, hoặc xuất báo cáo của một đơn vị ra Word/Excel")
  .option("--list", "liệt kê các biểu mẫu báo cáo")
  .option("--template <code>", "mã biểu mẫu (xem --list)")
  .option("--org <code>", "mã đơn vị (mã hành chính, ví dụ 05587; hoặc id:123)")
  .option("--period <period>", "kỳ báo cáo: 2024, 2024-Q1, 2024-H1, RY2024-11, 2024-2025, GD2021-2025")
  .addOption(new Option("--format <format>", "định dạng").choices(["docx", "xlsx"]).default("docx"))
  .option("--out <file>", "tệp kết quả")
  .addOption(new Option("--database-url <url>", "PostgreSQL server (postgres://…)").env("DATABASE_URL"))
  .addOption(
    new Option("--data-dir <dir>", "embedded database directory").env("XHHT_DATA_DIR").default("./data"),
  )
  .action(async (opts) => {
    const { listTemplates, loadDefaultTemplates } = await import("../capabilities/reports/templates.ts");
    const { reportDocument } = await import("../capabilities/reports/service.ts");
    const { renderReportDocx } = await import("../capabilities/reports/render/docx.ts");
    const { renderAppendixXlsx } = await import("../capabilities/reports/render/xlsx.ts");
    await withDatabase(opts, async (database) => {
      await migrateToLatest(database);
      await loadDefaultTemplates(database.db, systemAuditContext("cli:report"));
      if (opts.list) {
        for (const { template: t } of await listTemplates(database.db)) {
          console.log(`${t.code}\tv${t.version}\t${t.periodKind}\t${t.name}`);
        }
        return;
      }
      for (const name of ["template", "org", "period", "out"] as const) {
        if (!opts[name]) throw new Error(`thiếu --${name} (xem: xhht report --help)`);
      }
      const unitId = await unitIdByCode(database, opts.org);
      const r = await reportDocument(database.db, SYSTEM_READER, {
        template: opts.template,
        unitId,
        period: opts.period,
      });
      const body =
        opts.format === "xlsx" ? await renderAppendixXlsx(r.appendix) : await renderReportDocx(r.document);
      writeFileSync(opts.out, body);
      console.log(`Đã ghi ${opts.out} (${body.length} byte).`);
    });
  });

/** The command line reads every unit, as the system. */
const SYSTEM_READER = {
  userId: 0,
  username: "cli",
  role: "admin" as const,
  scopePaths: ["/"],
  via: "token" as const,
};

/** An org unit by official code (the current unit first) or by "id:N". */
async function unitIdByCode(database: Database, code: string): Promise<number> {
  if (/^id:\d+$/.test(code)) return Number(code.slice(3));
  const rows = await database.db
    .selectFrom("org_units")
    .select(["id", "name", "valid_to"])
    .where("code", "=", code)
    .orderBy("valid_to", "desc")
    .execute();
  const current = rows.filter((r) => r.valid_to === null);
  const pick = current.length > 0 ? current : rows;
  if (pick.length === 0) throw new Error(`không có đơn vị mã ${code}`);
  if (pick.length > 1) {
    throw new Error(
      `mã ${code} chỉ nhiều đơn vị: ${pick.map((r) => `${r.name} (id:${r.id})`).join(", ")}; dùng --org id:N`,
    );
  }
  return Number(pick[0]?.id);
}

registerImportCommand(program, dbOptions, withDatabase, unitIdByCode);
registerGenerateCommand(program, dbOptions, withDatabase);

try {
  await program.parseAsync();
} catch (error) {
  console.error(`Lỗi: ${error instanceof Error ? error.message : String(error)}`);
  // A refused input says what is wrong with each field, as the API does.
  if (error instanceof AppError) for (const e of error.errors ?? []) console.error(`- ${e.message}`);
  process.exitCode = 1;
}
