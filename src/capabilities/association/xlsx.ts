/**
 * The Association's membership roll-up as an Excel workbook: one row per unit below (communes of
 * a province) with the total, units without figures marked "chưa có số liệu"; a second sheet with
 * the unit's chapters by kind and the five-year trend.
 */
import type { z } from "zod";
import { CHAPTER_KIND_LABELS_VI, CHAPTER_KINDS } from "../../domain/association/membership.ts";
import {
  COUNT_FORMAT,
  NO_DATA,
  newWorkbook,
  styleColumns,
  styleTitleAndHeader,
  workbookBuffer,
} from "../statistics/workbook.ts";
import type { Figures, Report } from "./schemas.ts";

type ReportT = z.infer<typeof Report>;
type FiguresT = z.infer<typeof Figures>;

/** The share of population as a number (2 decimals) or the reason it has none. */
function share(f: FiguresT): number | string {
  if (f.percentOfPopulation === null) return "chưa có dân số";
  return Math.round(f.percentOfPopulation * 100) / 100;
}

const coverage = (f: FiguresT) => `${f.communesWithPopulation}/${f.communes}`;

function figureRow(name: string, f: FiguresT): (string | number)[] {
  const population = f.communesWithPopulation > 0 ? f.population : NO_DATA;
  if (!f.hasData) return [name, NO_DATA, "", "", "", "", population, share(f), coverage(f)];
  return [
    name,
    f.chapters,
    f.members,
    f.female,
    f.newMembers,
    Number(f.dues),
    population,
    share(f),
    coverage(f),
  ];
}

export async function associationReportWorkbook(report: ReportT): Promise<Buffer> {
  const book = newWorkbook();
  const sheet = book.addWorksheet("Hội viên theo đơn vị");
  sheet.addRow([`${report.unit.name} — hội viên Hội Khuyến học năm ${report.year}`]);
  sheet.addRow([
    "Đơn vị",
    "Số chi hội báo cáo",
    "Số hội viên",
    "Nữ",
    "Mới kết nạp",
    "Hội phí (đồng)",
    "Dân số",
    "Tỷ lệ hội viên/dân số (%)",
    "Số xã có số dân",
  ]);
  for (const c of report.children) sheet.addRow(figureRow(c.name, c.figures));
  sheet.addRow(figureRow(report.children.length > 0 ? "Cộng" : report.unit.name, report.figures)).font = {
    bold: true,
  };
  styleTitleAndHeader(sheet);
  sheet.columns.forEach((c, i) => {
    c.width = i === 0 ? 40 : 16;
    if (i >= 1 && i <= 6) c.numFmt = COUNT_FORMAT;
    if (i === 7) c.numFmt = "0.00";
  });
  sheet.views = [{ state: "frozen", ySplit: 2 }];

  const kinds = book.addWorksheet("Chi hội theo loại");
  kinds.addRow([`${report.unit.name} — chi hội năm ${report.year}`]);
  kinds.addRow(["Loại", "Số chi hội báo cáo", "Thành lập mới trong năm"]);
  for (const k of CHAPTER_KINDS) {
    kinds.addRow([
      CHAPTER_KIND_LABELS_VI[k],
      report.figures.chaptersByKind[k] ?? 0,
      report.figures.newChaptersByKind[k] ?? 0,
    ]);
  }
  kinds.addRow(["Cộng", report.figures.chapters, report.figures.newChapters]).font = { bold: true };
  kinds.addRow([]);
  kinds.addRow(["Năm", "Số hội viên", "Mới kết nạp", "Tỷ lệ hội viên/dân số (%)"]).font = { bold: true };
  for (const t of report.trend) {
    kinds.addRow(
      t.hasData
        ? [
            t.year,
            t.members,
            t.newMembers,
            t.percentOfPopulation === null ? "chưa có dân số" : Math.round(t.percentOfPopulation * 100) / 100,
          ]
        : [t.year, NO_DATA],
    );
  }
  styleTitleAndHeader(kinds, 2, false);
  styleColumns(kinds, { first: 40, others: 18 });
  return workbookBuffer(book);
}
