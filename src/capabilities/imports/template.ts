/**
 * The downloadable XLSX template of an import kind: an instructions sheet ("Hướng dẫn"), one
 * empty sheet per list with its Vietnamese headers (required ones marked "(*)"), drop-down
 * validation for coded columns (the villages of the user's commune, Nam/Nữ, x for yes), whole
 * numbers checked as typed, an example sheet per list, and a hidden sheet of the drop-down lists.
 */
import type ExcelJS from "exceljs";
import type { ColumnSpec, SheetSpec } from "../../domain/import/columns.ts";
import { newWorkbook, workbookBuffer } from "../statistics/workbook.ts";
import type { ImportKind } from "./kind.ts";

/** Rows of a data sheet that carry the drop-downs and checks. */
const VALIDATED_ROWS = 5000;
const LISTS_SHEET = "Danh mục";
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };

function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function headerText(column: ColumnSpec): string {
  return column.required ? `${column.header} (*)` : column.header;
}

function howToWrite(column: ColumnSpec): string {
  switch (column.type) {
    case "choice":
      return `Chọn: ${column.choices.map((c) => c.label).join(" / ")}. ${column.help}`;
    case "yesno":
      return column.help;
    case "integer":
      return `Số nguyên. ${column.help}`;
    case "date":
      return `Ngày/tháng/năm, ví dụ 05/09/2024. ${column.help}`;
    default:
      return column.help;
  }
}

function addDataSheet(book: ExcelJS.Workbook, spec: SheetSpec, lists: Map<string, string>): void {
  const sheet = book.addWorksheet(spec.name, { views: [{ state: "frozen", ySplit: 1 }] });
  const header = sheet.addRow(spec.columns.map(headerText));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "middle" };
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
  // ExcelJS applies a rule to a whole range, though its types only declare the per-cell form.
  const rules = (
    sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }
  ).dataValidations;
  spec.columns.forEach((column, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = Math.max(12, Math.min(40, column.header.length + 6));
    if (column.type === "text" || column.type === "lookup") col.numFmt = "@";
    const range = `${columnLetter(i)}2:${columnLetter(i)}${VALIDATED_ROWS}`;
    const list = lists.get(column.key);
    if (column.type === "choice") {
      rules.add(range, {
        type: "list",
        allowBlank: !column.required,
        formulae: [`"${column.choices.map((c) => c.label).join(",")}"`],
        showErrorMessage: true,
        errorTitle: column.header,
        error: `Chọn một trong: ${column.choices.map((c) => c.label).join(", ")}.`,
      });
    } else if (column.type === "yesno") {
      rules.add(range, {
        type: "list",
        allowBlank: true,
        formulae: ['"x"'],
        showErrorMessage: false,
      });
    } else if (column.type === "integer") {
      rules.add(range, {
        type: "whole",
        operator: "between",
        allowBlank: !column.required,
        formulae: [column.min, column.max],
        showErrorMessage: true,
        errorTitle: column.header,
        error: `Số nguyên từ ${column.min} đến ${column.max}.`,
      });
    } else if (list) {
      rules.add(range, {
        type: "list",
        allowBlank: !column.required,
        formulae: [list],
        showErrorMessage: true,
        errorTitle: column.header,
        error: "Chọn trong danh sách.",
      });
    }
  });
}

/** The template of `kind` with the drop-down lists `choices` (column key → values). */
export async function templateWorkbook(
  kind: ImportKind,
  unitName: string,
  choices: Record<string, readonly string[]>,
  sheets: readonly SheetSpec[] = kind.sheets,
): Promise<Buffer> {
  const book = newWorkbook();
  const guide = book.addWorksheet("Hướng dẫn");
  guide.getColumn(1).width = 28;
  guide.getColumn(2).width = 12;
  guide.getColumn(3).width = 90;
  guide.addRow([`MẪU NHẬP DỮ LIỆU: ${kind.title.toUpperCase()}`]).font = { bold: true, size: 14 };
  guide.addRow([`Đơn vị: ${unitName}`]);
  guide.addRow([kind.description]).alignment = { wrapText: true };
  guide.mergeCells(3, 1, 3, 3);
  guide.getRow(3).height = 48;
  guide.addRow([
    "Cách làm: điền danh sách vào các trang bên cạnh (không đổi tên cột; cột có (*) là bắt buộc), lưu tệp, rồi tải lên ở trang “Nhập từ Excel”. Hệ thống kiểm tra từng dòng trước khi ghi và trả lại tệp có thêm cột “Lỗi” nếu có dòng sai. Có thể dán dữ liệu từ tệp cũ (kể cả phông .VnTime/TCVN3 hoặc VNI): chữ được tự chuyển sang Unicode.",
  ]).alignment = { wrapText: true };
  guide.mergeCells(4, 1, 4, 3);
  guide.getRow(4).height = 62;

  // Drop-down lists live on a hidden sheet (a list typed into the rule is limited to 255 characters).
  const listed = Object.entries(choices).filter(([, values]) => values.length > 0);
  const lists = new Map(
    listed.map(([key, values], i) => {
      const letter = columnLetter(i);
      return [key, `'${LISTS_SHEET}'!$${letter}$2:$${letter}$${values.length + 1}`] as const;
    }),
  );

  for (const spec of sheets) {
    guide.addRow([]);
    guide.addRow([`Trang “${spec.name}”`]).font = { bold: true, size: 12 };
    const head = guide.addRow(["Cột", "Bắt buộc", "Cách ghi"]);
    head.font = { bold: true };
    head.eachCell((cell) => {
      cell.fill = HEADER_FILL;
    });
    for (const column of spec.columns) {
      const values = choices[column.key];
      const extra =
        values && values.length > 0
          ? ` Danh sách: ${values.slice(0, 12).join(", ")}${values.length > 12 ? ", …" : ""}.`
          : "";
      guide.addRow([column.header, column.required ? "có" : "", `${howToWrite(column)}${extra}`]).alignment =
        {
          wrapText: true,
          vertical: "top",
        };
    }
  }
  for (const spec of sheets) addDataSheet(book, spec, lists);
  for (const spec of sheets) {
    const example = book.addWorksheet(`Ví dụ - ${spec.name}`.slice(0, 31));
    example.addRow(spec.columns.map(headerText)).font = { bold: true };
    example.addRow(
      spec.columns.map((c) => (c.key === "village" && choices.village?.[0] ? choices.village[0] : c.example)),
    );
    spec.columns.forEach((c, i) => {
      example.getColumn(i + 1).width = Math.max(12, Math.min(40, c.header.length + 6));
    });
  }
  // The list sheet last, so that the data sheets come first in Excel's tab bar.
  const listSheet = book.addWorksheet(LISTS_SHEET, { state: "hidden" });
  listed.forEach(([key, values], i) => {
    listSheet.getColumn(i + 1).values = [key, ...values];
  });
  return workbookBuffer(book);
}
