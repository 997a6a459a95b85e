/**
 * The officer's own file given back with a column "Lỗi" at the end of every row that has a
 * problem (and "Cần xem xét" notes for suspected duplicates), the rows with an error shaded. An
 * XLSX is rewritten sheet by sheet with ExcelJS's streaming writer (cell values kept, formatting
 * not); a CSV comes back as UTF-8 CSV (with a BOM, so Excel opens it in Vietnamese).
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import ExcelJS from "exceljs";
import { plainCell } from "../../domain/import/columns.ts";
import { type FileFormat, readSheets } from "./reader.ts";
import type { RowProblem } from "./run.ts";

export const ANNOTATION_HEADER = "Lỗi (XHHT ghi khi kiểm tra)";
const ERROR_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFDE2E1" } };

/** sheet name → row number → the text of its annotation. */
function annotations(
  problems: readonly RowProblem[],
  sheets: readonly { name: string; spec: string; headerRow: number }[],
) {
  const bySpec = new Map(sheets.map((s) => [s.spec, s.name]));
  const out = new Map<string, Map<number, { text: string; error: boolean }>>();
  for (const p of problems) {
    const sheet = bySpec.get(p.sheet) ?? p.sheet;
    const rows = out.get(sheet) ?? new Map<number, { text: string; error: boolean }>();
    out.set(sheet, rows);
    const line = `${p.warning ? "Cần xem xét: " : ""}${p.column ? `${p.column}: ` : ""}${p.message}`;
    const existing = rows.get(p.row);
    rows.set(p.row, {
      text: existing ? `${existing.text}; ${line}` : line,
      error: (existing?.error ?? false) || !p.warning,
    });
  }
  return out;
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",;\n\r\t]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

/** Write the annotated copy of `path` to `out`. */
export async function writeAnnotatedFile(
  path: string,
  format: FileFormat,
  out: string,
  problems: readonly RowProblem[],
  sheets: readonly { name: string; spec: string; headerRow: number }[],
): Promise<void> {
  const notes = annotations(problems, sheets);
  const headerRows = new Map(sheets.map((s) => [s.name, s.headerRow]));
  if (format === "csv") {
    const file = createWriteStream(out);
    file.write("\ufeff");
    const rows = notes.get("") ?? notes.get(sheets[0]?.spec ?? "") ?? new Map();
    for await (const sheet of readSheets(path, format)) {
      let width = 0;
      for await (const row of sheet.rows) {
        width = Math.max(width, row.cells.length);
        const note =
          row.number === headerRows.get("") ? ANNOTATION_HEADER : (rows.get(row.number)?.text ?? "");
        const cells = [...row.cells, ...Array(Math.max(0, width - row.cells.length)).fill("")];
        if (!file.write(`${[...cells, note].map(csvField).join(",")}\r\n`)) await once(file, "drain");
      }
    }
    file.end();
    await once(file, "finish");
    return;
  }
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: out,
    useStyles: true,
    useSharedStrings: false,
  });
  for await (const sheet of readSheets(path, format)) {
    const target = book.addWorksheet(sheet.name);
    const rows = notes.get(sheet.name);
    const headerRow = headerRows.get(sheet.name);
    // The note goes one column right of the widest row seen up to the header (the list's width).
    let width = 0;
    for await (const row of sheet.rows) {
      const values = row.cells.map(plainCell);
      if (headerRow === undefined || row.number <= headerRow) width = Math.max(width, values.length);
      const out = target.getRow(row.number);
      out.values = values as ExcelJS.CellValue[];
      const note = row.number === headerRow ? ANNOTATION_HEADER : rows?.get(row.number);
      if (note !== undefined && headerRow !== undefined) {
        const cell = out.getCell(Math.max(width, values.length) + 1);
        if (typeof note === "string") {
          cell.value = note;
          cell.font = { bold: true, color: { argb: "FFC00000" } };
        } else {
          cell.value = note.text;
          cell.font = { color: { argb: "FFC00000" } };
          if (note.error) {
            out.eachCell((c) => {
              c.fill = ERROR_FILL;
            });
          }
        }
      }
      out.commit();
    }
    target.commit();
  }
  await book.commit();
}
