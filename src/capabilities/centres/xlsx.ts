/**
 * The centres' category table (seed 004's "Kết quả đạt được cụ thể") as an Excel workbook:
 * one sheet with the ten categories, a second with one row per unit below.
 */
import type { z } from "zod";
import {
  COUNT_FORMAT,
  newWorkbook,
  styleColumns,
  styleTitleAndHeader,
  workbookBuffer,
} from "../statistics/workbook.ts";
import type { CentreReport } from "./schemas.ts";

type Report = z.infer<typeof CentreReport>;

export async function centreReportWorkbook(report: Report): Promise<Buffer> {
  const book = newWorkbook();
  const kindOfPeriod = report.period.includes("-") ? "năm học" : "năm";
  const sheet = book.addWorksheet("Kết quả theo lĩnh vực");
  sheet.addRow([`${report.unit.name} — kết quả hoạt động TTHTCĐ ${kindOfPeriod} ${report.period}`]);
  sheet.addRow([
    "TT",
    "Tên hoạt động giáo dục",
    "Số lớp (chuyên đề)",
    "Số lượt người tham gia: Tổng số",
    "Nữ",
    "Dân tộc thiểu số",
    "Số buổi",
  ]);
  for (const r of report.rows)
    sheet.addRow([r.position, r.label, r.classes, r.participants, r.female, r.minority, r.sessions]);
  const t = report.total;
  sheet.addRow(["", "Cộng", t.classes, t.participants, t.female, t.minority, t.sessions]).font = {
    bold: true,
  };
  sheet.addRow([]);
  sheet.addRow(["", "Kinh phí hỗ trợ từ ngân sách nhà nước (đồng)", report.funding.stateBudget]);
  sheet.addRow(["", "Kinh phí do xã hội hóa (đồng)", report.funding.socialisation]);
  sheet.addRow(["", "Kinh phí do học viên tự nguyện đóng góp (đồng)", report.funding.learners]);
  styleTitleAndHeader(sheet);
  sheet.columns.forEach((c, i) => {
    c.width = i === 1 ? 60 : 14;
    if (i >= 2) c.numFmt = COUNT_FORMAT;
  });
  sheet.views = [{ state: "frozen", ySplit: 2 }];

  const units = book.addWorksheet("Theo đơn vị");
  units.addRow([`${report.unit.name} — theo đơn vị trực thuộc, ${kindOfPeriod} ${report.period}`]);
  units.addRow(["Đơn vị", "Số lớp (chuyên đề)", "Tổng số người tham gia", "Nữ", "Kinh phí (đồng)"]);
  for (const c of report.children) {
    units.addRow([
      c.name,
      c.total.classes,
      c.total.participants,
      c.total.female,
      c.funding.stateBudget + c.funding.socialisation + c.funding.learners,
    ]);
  }
  styleTitleAndHeader(units, 2, false);
  styleColumns(units, { first: 40, others: 16 }, 1);
  return workbookBuffer(book);
}
