/**
 * What every Excel export shares (ExcelJS): the workbook, a sheet's title row and header row,
 * the number formats, the buffer sent; and the counts-by-unit sheet of the capabilities that
 * show their metrics as they are (inspections, commendations).
 */
import ExcelJS from "exceljs";

/** Whole numbers with a thousands separator (1.234 in a Vietnamese Excel). */
export const COUNT_FORMAT = "#,##0";
/** Marks a unit below that has no counters: never shown as 0. */
export const NO_DATA = "chưa có số liệu";

export function newWorkbook(): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = "XHHT";
  book.created = new Date();
  return book;
}

export async function workbookBuffer(book: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Row 1 is the sheet's title, `headerRow` its column headers (wrapped unless `wrap` is false). */
export function styleTitleAndHeader(sheet: ExcelJS.Worksheet, headerRow = 2, wrap = true): void {
  sheet.getRow(1).font = { bold: true, size: 13 };
  sheet.getRow(headerRow).font = { bold: true };
  if (wrap) sheet.getRow(headerRow).alignment = { wrapText: true, vertical: "middle" };
}

/** The first column (unit names) `first` wide, the others `others` wide and counted from `countsFrom` on. */
export function styleColumns(
  sheet: ExcelJS.Worksheet,
  widths: { first: number; others: number },
  countsFrom?: number,
): void {
  sheet.columns.forEach((c, i) => {
    c.width = i === 0 ? widths.first : widths.others;
    if (countsFrom !== undefined && i >= countsFrom) c.numFmt = COUNT_FORMAT;
  });
}

/**
 * One row per unit below (its counts, or "chưa có số liệu"), the unit's own row (its counts less
 * its children's, labelled `ownLabel`) and the total.
 */
export async function countsByChildWorkbook(
  report: {
    unit: { name: string; level: number };
    counts: Record<string, number>;
    children: { name: string; counts: Record<string, number> | null }[];
  },
  layout: {
    sheet: string;
    title: string;
    columns: readonly { metric: string; label: string }[];
    ownLabel: string;
    width: number;
  },
): Promise<Buffer> {
  const book = newWorkbook();
  const sheet = book.addWorksheet(layout.sheet);
  sheet.addRow([layout.title]);
  sheet.addRow(["Đơn vị", ...layout.columns.map((c) => c.label)]);
  const line = (counts: Record<string, number>) => layout.columns.map((c) => counts[c.metric] ?? 0);
  const own: Record<string, number> = { ...report.counts };
  for (const child of report.children) {
    if (!child.counts) {
      sheet.addRow([child.name, NO_DATA]);
      continue;
    }
    sheet.addRow([child.name, ...line(child.counts)]);
    for (const [k, n] of Object.entries(child.counts)) own[k] = (own[k] ?? 0) - n;
  }
  if (report.children.length > 0 && report.unit.level > 0) {
    sheet.addRow([`${report.unit.name} ${layout.ownLabel}`, ...line(own)]);
  }
  sheet.addRow(["Tổng cộng", ...line(report.counts)]).font = { bold: true };
  styleTitleAndHeader(sheet);
  styleColumns(sheet, { first: 40, others: layout.width }, 1);
  sheet.views = [{ state: "frozen", xSplit: 1, ySplit: 2 }];
  return workbookBuffer(book);
}
