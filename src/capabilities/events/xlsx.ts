/**
 * The year's events and coordination agreements of a unit and its children as an Excel
 * workbook: one row per unit below (communes of a province) plus the total; a unit with
 * nothing recorded shows "chưa có số liệu", never 0.
 */
import type { z } from "zod";
import { EVENT_KIND_LABELS_VI, EVENT_KINDS } from "../../domain/events/events.ts";
import {
  NO_DATA,
  newWorkbook,
  styleColumns,
  styleTitleAndHeader,
  workbookBuffer,
} from "../statistics/workbook.ts";
import type { Summary } from "./schemas.ts";

type Report = z.infer<typeof Summary>;
type Figures = Report["total"];

function changeText(f: Figures): string {
  const c = f.agreements.change;
  if (!c) return "";
  return c.direction === "same" ? "bằng" : `${c.direction === "up" ? "tăng" : "giảm"} ${c.difference}`;
}

export async function eventSummaryWorkbook(report: Report): Promise<Buffer> {
  const book = newWorkbook();
  const sheet = book.addWorksheet("Sự kiện và phối hợp");
  sheet.addRow([`${report.unit.name} — sự kiện và chương trình phối hợp năm ${report.year}`]);
  const header = [
    "Đơn vị",
    ...EVENT_KINDS.map((k) => `${EVENT_KIND_LABELS_VI[k]}: số sự kiện`),
    "Tổng số sự kiện",
    "Tổng số người tham gia",
    "Trong đó nữ (ở các sự kiện có số liệu)",
    "Số sự kiện có số liệu nữ",
    "Số xã hưởng ứng Tuần lễ học tập suốt đời",
    "Số xã tổ chức Ngày Khuyến học 2/10",
    "Số xã",
    "Học bổng qua quỹ (suất)",
    "Học bổng qua quỹ (đồng)",
    "Học bổng trao trực tiếp (suất)",
    "Học bổng trao trực tiếp (đồng)",
    "Chương trình phối hợp ký mới",
    `Ký mới năm ${report.year - 1}`,
    "So với năm trước",
    "Chương trình còn hiệu lực",
  ];
  sheet.addRow(header);
  const held = (f: Figures, kind: string) => f.kinds.find((k) => k.kind === kind)?.communesHeld ?? 0;
  const eventCells = (f: Figures) => [
    ...f.kinds.map((k) => k.events),
    f.events,
    f.participants,
    f.female,
    f.femaleEvents,
    held(f, "lifelong_learning_week"),
    held(f, "study_promotion_day"),
    f.communes,
    f.fundScholarships,
    Number(f.fundScholarshipAmount),
    f.directScholarships,
    Number(f.directScholarshipAmount),
  ];
  const agreementCells = (f: Figures) => [
    f.agreements.signed,
    f.agreements.signedLastYear ?? NO_DATA,
    changeText(f),
    f.agreements.active,
  ];
  const eventWidth = EVENT_KINDS.length + 11;
  for (const c of report.children) {
    sheet.addRow([
      c.name,
      ...(c.eventsMissing ? [NO_DATA, ...Array(eventWidth - 1).fill("")] : eventCells(c.figures)),
      ...(c.agreementsMissing ? [NO_DATA, "", "", ""] : agreementCells(c.figures)),
    ]);
  }
  sheet.addRow(["Cộng", ...eventCells(report.total), ...agreementCells(report.total)]).font = { bold: true };
  styleTitleAndHeader(sheet);
  styleColumns(sheet, { first: 40, others: 16 }, 1);
  sheet.views = [{ state: "frozen", ySplit: 2, xSplit: 1 }];
  return workbookBuffer(book);
}
