/**
 * `xhht generate --scale commune|province|national --seed N`: fills the database with realistic
 * generated records (src/capabilities/generator), with a progress bar; resumable (run it again
 * after an interruption: the communes already done are skipped).
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import type { Database } from "../db/connection.ts";
import { formatInteger } from "../domain/format.ts";
import { SCALES, type Scale } from "../domain/generator/plan.ts";
import { progressBar } from "./progress.ts";

type WithDatabase = <T>(
  opts: { databaseUrl?: string; dataDir?: string },
  fn: (db: Database) => Promise<T>,
) => Promise<T>;

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** 31)
    throw new InvalidArgumentError("seed phải là số nguyên từ 0.");
  return n;
}

export function registerGenerateCommand(
  program: Command,
  dbOptions: (cmd: Command) => Command,
  withDatabase: WithDatabase,
) {
  dbOptions(
    program
      .command("generate")
      .description(
        "tạo dữ liệu mẫu quy mô lớn để đo hiệu năng (thôn, hộ, công dân học tập, đánh giá hai năm, quỹ khuyến học, TTHTCĐ); chạy lại để tiếp tục khi bị ngắt",
      )
      .addOption(
        new Option("--scale <scale>", "quy mô: một xã, một tỉnh, hay cả nước")
          .choices(SCALES)
          .default("commune"),
      )
      .option("--seed <n>", "hạt giống: cùng hạt giống cho cùng dữ liệu", parseSeed, 1)
      .option("--province <code>", "mã tỉnh cho quy mô tỉnh (mặc định 19: Thái Nguyên)")
      .option("--commune <code>", "mã xã cho quy mô xã (mặc định 05587: Bình Yên)"),
  ).action(
    async (opts: {
      scale: Scale;
      seed: number;
      province?: string;
      commune?: string;
      databaseUrl?: string;
      dataDir?: string;
    }) => {
      // Loaded here, as each command's own modules are (src/cli/main.ts).
      const { bootstrap } = await import("../server/bootstrap.ts");
      const { generate } = await import("../capabilities/generator/generate.ts");
      await withDatabase(opts, async (database) => {
        await bootstrap(database);
        const bar = progressBar("Tạo dữ liệu", 1, "xã");
        const summary = await generate(database.db, {
          scale: opts.scale,
          seed: opts.seed,
          ...(opts.province ? { province: opts.province } : {}),
          ...(opts.commune ? { commune: opts.commune } : {}),
          onProgress: (p) => {
            bar.total = p.of;
            bar.update(p.communes);
          },
        });
        bar.end();
        console.log(
          `Đã tạo ${formatInteger(summary.communes)} xã (bỏ qua ${formatInteger(summary.skipped)} xã đã có): ` +
            `${formatInteger(summary.villages)} thôn, ${formatInteger(summary.households)} hộ, ` +
            `${formatInteger(summary.citizens)} công dân, ${formatInteger(summary.evaluations)} đánh giá, ` +
            `${formatInteger(summary.fundEntries)} bút toán quỹ, ${formatInteger(summary.activities)} hoạt động TTHTCĐ ` +
            `trong ${formatInteger(Math.round(summary.seconds))} giây.`,
        );
      });
    },
  );
}
