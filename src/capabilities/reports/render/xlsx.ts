/**
 * A report's appendix (PHỤ LỤC) as an Excel workbook: one worksheet per sheet, its title (merged,
 * bold, centred), an optional subtitle, the header row and the rows, numbers kept as numbers with
 * the column's format; printed on A4, landscape when wide, fitted to the page width.
 */
import type ExcelJS from "exceljs";
import type { Appendix, AppendixColumn, AppendixSheet } from "../../../domain/reporting/document.ts";
import { FONT } from "../../fund/docx.ts";
import { COUNT_FORMAT, newWorkbook, styleTitleAndHeader, workbookBuffer } from "../../statistics/workbook.ts";

/** Percent columns hold percents (99.48), not fractions: shown with two decimals, no "%". */
const FORMATS: Record<AppendixColumn["format"], string | undefined> = {
  text: undefined,
  integer: COUNT_FORMAT,
  money: COUNT_FORMAT,
  decimal: "#,##0.00",
  percent: "0.00",
};
/** The header fill of the other exports (fund/xlsx.ts). */
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE6EEF7" } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: "thin" },
  bottom: { style: "thin" },
  left: { style: "thin" },
  right: { style: "thin" },
};

function defaultWidth(c: AppendixColumn, i: number): number {
  if (i === 0 && /^S?TT$/i.test(c.header.trim())) return 6;
  return c.format === "text" ? 40 : Math.max(12, Math.min(20, c.header.length / 2 + 2));
}

/** Rows as tall as their wrapped text (LibreOffice does not fit heights of imported rows). */
function fitHeight(row: ExcelJS.Row, widths: number[], merged = false): void {
  const total = widths.reduce((a, b) => a + b, 0);
  let lines = 1;
  row.eachCell((cell, col) => {
    const width = merged ? total : (widths[col - 1] ?? 10);
    const chars = Math.max(4, width);
    for (const part of String(cell.value ?? "").split("\n"))
      lines = Math.max(lines, Math.ceil(part.length / chars));
  });
  if (lines > 1) row.height = lines * 16 + 2;
}

function addSheet(book: ExcelJS.Workbook, s: AppendixSheet): void {
  const n = Math.max(1, s.columns.length);
  const widths = s.columns.map((c, i) => c.width ?? defaultWidth(c, i));
  const sheet = book.addWorksheet(s.name, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: n > 5 ? "landscape" : "portrait",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
  });
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });
  const banner = (value: string) => {
    const row = sheet.addRow([value]);
    sheet.mergeCells(row.number, 1, row.number, n);
    row.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    fitHeight(row, widths, true);
    return row;
  };
  banner(s.title);
  if (s.subtitle !== undefined) banner(s.subtitle).font = { italic: true };
  const headerRow = sheet.addRow(s.columns.map((c) => c.header));
  styleTitleAndHeader(sheet, headerRow.number);
  headerRow.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
  });
  fitHeight(headerRow, widths);
  const tt = /^S?TT$/i.test(s.columns[0]?.header.trim() ?? "");
  for (const values of s.rows) {
    const row = sheet.addRow(values);
    if (values.some((v) => typeof v === "string" && /^tổng( cộng| số)?$/i.test(v.trim())))
      row.font = { bold: true };
    s.columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.border = THIN;
      const numFmt = FORMATS[c.format];
      if (numFmt) cell.numFmt = numFmt;
      const horizontal = i === 0 && tt ? "center" : c.format === "text" ? "left" : "right";
      cell.alignment = { vertical: "top", horizontal, wrapText: c.format === "text" };
    });
    fitHeight(row, widths);
  }
  // Times New Roman throughout, as in the report itself; 12 pt unless styled otherwise.
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      cell.font = { size: 12, ...cell.font, name: FONT };
    }),
  );
  sheet.views = [{ state: "frozen", xSplit: 0, ySplit: headerRow.number }];
  sheet.pageSetup.printTitlesRow = `${headerRow.number}:${headerRow.number}`;
}

/** The appendix as an .xlsx (workbook creator "XHHT"). */
export async function renderAppendixXlsx(app: Appendix): Promise<Buffer> {
  const book = newWorkbook();
  for (const s of app.sheets) addSheet(book, s);
  return workbookBuffer(book);
}
