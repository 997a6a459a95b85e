/**
 * A fund's statement as an Excel workbook, laid out for reports: the statement (opening,
 * receipts by source, disbursements by purpose with recipients, transfers, closing, in figures
 * and in words), the ledger of the period with the running balance, and the recipients.
 *
 * Money cells are numbers (format #,##0) when exact as a double, i.e. up to 2^53; a larger sum
 * is written as text so Excel never rounds it.
 */
import ExcelJS from "exceljs";
import type { z } from "zod";
import { formatDateShort } from "../../domain/format.ts";
import {
  PUPIL_LEVEL_LABELS_VI,
  PURPOSE_LABELS_VI,
  type PupilLevel,
  type Purpose,
} from "../../domain/fund/ledger.ts";
import type { EntryView, Statement } from "./schemas.ts";

type StatementT = z.infer<typeof Statement>;
type EntryT = z.infer<typeof EntryView>;

export interface StatementDetails {
  statement: StatementT;
  entries: EntryT[];
  lines: {
    entry_id: number;
    entry_date: string;
    purpose: string | null;
    pupil_name: string;
    school: string | null;
    level: string | null;
    amount: number;
  }[];
}

const MONEY_FORMAT = "#,##0";

/** A money string as a cell value: a number when exact, else the digits as text. */
function money(value: string | null): number | string | null {
  if (value === null) return null;
  const n = BigInt(value);
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  return n <= safe && n >= -safe ? Number(n) : value;
}

function title(sheet: ExcelJS.Worksheet, lines: string[]) {
  for (const line of lines) sheet.addRow([line]);
  sheet.getRow(1).font = { bold: true, size: 13 };
}

function header(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: "middle" };
  row.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE6EEF7" } };
    cell.border = { bottom: { style: "thin" } };
  });
}

export async function statementWorkbook(details: StatementDetails): Promise<Buffer> {
  const { statement: s, entries, lines } = details;
  const book = new ExcelJS.Workbook();
  book.creator = "XHHT";
  book.created = new Date();
  const unit = s.fund.orgUnit.name;

  // ── The statement ──
  const report = book.addWorksheet("Báo cáo");
  title(report, [
    `${s.fund.name} — ${unit}`,
    `Báo cáo thu, chi quỹ: ${s.period.label}`,
    s.yearStatus === "open" ? "Năm chưa khóa sổ: số liệu có thể còn thay đổi." : "",
    "",
  ]);
  header(
    report.addRow([
      "Khoản mục",
      "Số lượt",
      "Số người nhận",
      "Số tiền (đồng)",
      "Thấp nhất / người",
      "Cao nhất / người",
    ]),
  );
  const line = (
    label: string,
    amount: string,
    entries?: number | null,
    people?: number | null,
    bold = false,
  ) => {
    const row = report.addRow([label, entries ?? null, people ?? null, money(amount)]);
    if (bold) row.font = { bold: true };
    return row;
  };
  line("I. Số dư đầu kỳ (chuyển sang)", s.opening.amount, null, null, true);
  line("II. Thu trong kỳ", s.receipts.amount, null, null, true);
  for (const r of s.receipts.lines) line(`   ${r.label}`, r.amount, r.entries);
  line("III. Chi trong kỳ", s.disbursements.amount, null, null, true);
  for (const d of s.disbursements.lines) {
    const row = line(`   ${d.label}`, d.amount, d.entries, d.beneficiaries);
    row.getCell(5).value = money(d.smallest);
    row.getCell(6).value = money(d.largest);
  }
  line("IV. Nhận chuyển từ quỹ khác", s.transfersIn.amount, s.transfersIn.entries, null, true);
  line("V. Chuyển sang quỹ khác", s.transfersOut.amount, s.transfersOut.entries, null, true);
  line("VI. Số dư cuối kỳ", s.closing.amount, null, null, true);
  report.addRow([]);
  report.addRow([`Số dư đầu kỳ bằng chữ: ${s.opening.inWords}.`]);
  report.addRow([`Tổng thu bằng chữ: ${s.receipts.inWords}.`]);
  report.addRow([`Tổng chi bằng chữ: ${s.disbursements.inWords}.`]);
  report.addRow([`Số dư cuối kỳ bằng chữ: ${s.closing.inWords}.`]);
  report.columns.forEach((column, i) => {
    column.width = i === 0 ? 44 : i === 3 ? 20 : 14;
    if (i >= 3) column.numFmt = MONEY_FORMAT;
  });

  // ── The ledger of the period ──
  const ledger = book.addWorksheet("Sổ quỹ");
  title(ledger, [`Sổ quỹ — ${s.fund.name}`, s.period.label, ""]);
  header(
    ledger.addRow([
      "Số",
      "Ngày",
      "Loại",
      "Nguồn / mục chi",
      "Người, đơn vị nộp",
      "Nội dung",
      "Số chứng từ",
      "Số người nhận",
      "Thu (đồng)",
      "Chi (đồng)",
      "Số dư (đồng)",
    ]),
  );
  for (const e of entries) {
    const signed = BigInt(e.signedAmount);
    ledger.addRow([
      e.id,
      formatDateShort(e.date),
      e.kindLabel,
      e.categoryLabel ?? e.counterpart?.fundName ?? "",
      e.donorName ?? "",
      [e.description, e.earmark ? `Mục đích: ${e.earmark}` : ""].filter(Boolean).join(" · "),
      e.documentRef ?? "",
      e.beneficiaries,
      signed > 0n ? money(signed.toString()) : null,
      signed < 0n ? money((-signed).toString()) : null,
      money(e.balanceAfter),
    ]);
  }
  ledger.columns.forEach((column, i) => {
    column.width = [8, 12, 18, 24, 24, 40, 14, 10, 16, 16, 18][i] ?? 14;
    if (i >= 8) column.numFmt = MONEY_FORMAT;
  });
  ledger.views = [{ state: "frozen", ySplit: 4 }];

  // ── Recipients (personal data: officers only, never on the public page) ──
  const people = book.addWorksheet("Danh sách người nhận");
  title(people, [`Danh sách người nhận — ${s.fund.name}`, s.period.label, ""]);
  header(people.addRow(["Bút toán", "Ngày", "Mục chi", "Họ và tên", "Trường", "Cấp học", "Số tiền (đồng)"]));
  for (const l of lines) {
    people.addRow([
      l.entry_id,
      formatDateShort(l.entry_date),
      l.purpose ? PURPOSE_LABELS_VI[l.purpose as Purpose] : "",
      l.pupil_name,
      l.school ?? "",
      l.level ? PUPIL_LEVEL_LABELS_VI[l.level as PupilLevel] : "",
      l.amount,
    ]);
  }
  people.columns.forEach((column, i) => {
    column.width = [10, 12, 20, 28, 28, 16, 16][i] ?? 14;
    if (i === 6) column.numFmt = MONEY_FORMAT;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
