/**
 * The learning-model figures of a unit and its children as an Excel workbook, laid out the way
 * officers paste them into reports: one summary sheet, one sheet per model with a row per
 * child unit. Rates are real percentages (cell format 0.00%), so Excel can compute with them.
 */
import type ExcelJS from "exceljs";
import type { z } from "zod";
import { newWorkbook, styleTitleAndHeader, workbookBuffer } from "../statistics/workbook.ts";
import type { StatsResponse } from "./schemas.ts";

type Stats = z.infer<typeof StatsResponse>;

const HEADERS = [
  "Đơn vị",
  "Số đối tượng",
  "Đăng ký",
  "Đã tự đánh giá",
  "Được công nhận",
  "Tỷ lệ đăng ký",
  "Tỷ lệ công nhận",
  "Chỉ tiêu",
  "Chênh lệch so với chỉ tiêu",
];

type FiguresT = Stats["models"][number]["figures"];

function row(name: string, f: FiguresT) {
  const rate = (v: number | null) => (v === null ? null : v / 100);
  return [
    name,
    f.subjects,
    f.registered,
    f.selfAssessed,
    f.recognised,
    rate(f.registrationRate),
    rate(f.recognitionRate),
    rate(f.targetPercent),
    f.recognitionRate !== null && f.targetPercent !== null
      ? (f.recognitionRate - f.targetPercent) / 100
      : null,
  ];
}

function styleSheet(sheet: ExcelJS.Worksheet, title: string) {
  sheet.insertRow(1, [title]);
  styleTitleAndHeader(sheet);
  sheet.columns.forEach((column, i) => {
    column.width = i === 0 ? 36 : 14;
    if (i >= 5) column.numFmt = "0.00%";
  });
  sheet.views = [{ state: "frozen", ySplit: 2 }];
}

export async function statsWorkbook(stats: Stats): Promise<Buffer> {
  const book = newWorkbook();
  const summary = book.addWorksheet("Tổng hợp");
  summary.addRow(["Mô hình", ...HEADERS.slice(1)]);
  for (const m of stats.models) summary.addRow(row(m.label, m.figures));
  styleSheet(summary, `${stats.unit.name} — kết quả xây dựng mô hình học tập năm ${stats.year}`);

  for (const m of stats.models) {
    const sheet = book.addWorksheet(m.label.slice(0, 31));
    sheet.addRow(HEADERS);
    for (const child of m.children) sheet.addRow(row(child.name, child.figures));
    const total = sheet.addRow(row(`Cộng: ${stats.unit.name}`, m.figures));
    total.font = { bold: true };
    styleSheet(sheet, `${m.label} — ${stats.unit.name}, năm ${stats.year}`);
  }
  return workbookBuffer(book);
}
