/**
 * Inspection counts of a unit and the units below it for a year, as an Excel workbook: one row
 * per unit (communes of a province), the unit's own plans, and the total; a unit below with no
 * figures is marked "chưa có số liệu", never 0.
 */
import type { z } from "zod";
import { CENTRE_RATING_LABELS } from "../../domain/centres/categories.ts";
import {
  INSPECTION_RATINGS,
  SCHOOL_LEVEL_LABELS,
  SCHOOL_LEVELS,
  TARGET_CATEGORIES,
  TARGET_CATEGORY_LABELS,
} from "../../domain/inspections/rules.ts";
import { countsByChildWorkbook } from "../statistics/workbook.ts";
import type { InspectionReport } from "./schemas.ts";

type Report = z.infer<typeof InspectionReport>;

export const REPORT_COLUMNS: { metric: string; label: string }[] = [
  { metric: "plans", label: "Số kế hoạch" },
  { metric: "targets", label: "Số đơn vị được kiểm tra" },
  ...TARGET_CATEGORIES.map((c) => ({ metric: `targets:${c}`, label: TARGET_CATEGORY_LABELS[c] })),
  ...SCHOOL_LEVELS.map((l) => ({ metric: `targets:school:${l}`, label: `Trường ${SCHOOL_LEVEL_LABELS[l]}` })),
  { metric: "inspected", label: "Đã có kết quả" },
  ...INSPECTION_RATINGS.map((r) => ({ metric: `rating:${r}`, label: `Xếp loại ${CENTRE_RATING_LABELS[r]}` })),
];

export function inspectionReportWorkbook(report: Report): Promise<Buffer> {
  return countsByChildWorkbook(report, {
    sheet: "Kiểm tra",
    title: `${report.unit.name} — công tác kiểm tra năm ${report.year}`,
    columns: REPORT_COLUMNS,
    ownLabel: "(tự thực hiện)",
    width: 14,
  });
}
