/**
 * A realistic household list for the benchmarks, written streaming (the file is never in memory
 * whole): the template's columns, a code per household, villages "Thôn 1" … "Thôn N" of uneven
 * sizes, Vietnamese names from common family, middle and given names, birth years 1935–2005,
 * about 8 % near-poor and 4 % poor households. Deterministic.
 */
import ExcelJS from "exceljs";
import { HOUSEHOLD_HEADERS } from "../src/capabilities/imports/import-fixtures.ts";
import { FAMILY_NAMES, GIVEN_NAMES, randomSource } from "../src/domain/generator/plan.ts";

const MIDDLE_MALE = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Công", "Xuân", "Thành"];
const MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bích", "Hồng", "Mai"];
const ETHNIC = ["Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Nùng", "Dao", "Mường"];

export async function writeHouseholdFile(
  path: string,
  rows: number,
  villages: number,
  seed = 7,
): Promise<void> {
  const next = randomSource(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: true,
    useStyles: false,
  });
  const sheet = book.addWorksheet("Hộ gia đình");
  sheet.addRow(HOUSEHOLD_HEADERS).commit();
  // Uneven villages: weights 1..villages.
  const weights = Array.from({ length: villages }, (_, i) => 1 + (i % 7));
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 1; i <= rows; i++) {
    let r = next() * total;
    let village = 0;
    while (r >= (weights[village] as number)) r -= weights[village++] as number;
    const female = next() < 0.3;
    const poor = next();
    sheet
      .addRow([
        `H${String(i).padStart(6, "0")}`,
        `Thôn ${village + 1}`,
        `${pick(FAMILY_NAMES)} ${pick(female ? MIDDLE_FEMALE : MIDDLE_MALE)} ${pick(GIVEN_NAMES)}`,
        1935 + Math.floor(next() * 71),
        female ? "Nữ" : "Nam",
        pick(ETHNIC),
        `Số ${1 + Math.floor(next() * 300)}`,
        poor < 0.04 ? "x" : "",
        poor >= 0.04 && poor < 0.12 ? "x" : "",
        "",
      ])
      .commit();
  }
  sheet.commit();
  await book.commit();
}
