/**
 * Commendations and exemplary models of a unit and the units below it for a year, as an Excel
 * workbook: one row per unit, the unit's own, and the total; a unit below with no figures is
 * marked "chưa có số liệu", never 0.
 */
import type { z } from "zod";
import {
  COMMENDATION_KIND_LABELS,
  COMMENDATION_KINDS,
  EXEMPLARY_MODEL_LABELS,
  EXEMPLARY_MODELS,
  RECIPIENT_TYPE_LABELS,
  RECIPIENT_TYPES,
} from "../../domain/commendations/rules.ts";
import { countsByChildWorkbook } from "../statistics/workbook.ts";
import type { CommendationReport } from "./schemas.ts";

type Report = z.infer<typeof CommendationReport>;

export const COMMENDATION_COLUMNS: { metric: string; label: string }[] = [
  ...(["proposed", "awarded"] as const).flatMap((stage) =>
    COMMENDATION_KINDS.flatMap((k) =>
      RECIPIENT_TYPES.map((r) => ({
        metric: `${stage}:${k}:${r}`,
        label: `${stage === "proposed" ? "Đề nghị" : "Được tặng"} ${COMMENDATION_KIND_LABELS[k]} — ${RECIPIENT_TYPE_LABELS[r].toLowerCase()}`,
      })),
    ),
  ),
  ...EXEMPLARY_MODELS.map((m) => ({
    metric: `exemplary:${m}`,
    label: `Điển hình: ${EXEMPLARY_MODEL_LABELS[m]}`,
  })),
];

export function commendationReportWorkbook(report: Report): Promise<Buffer> {
  return countsByChildWorkbook(report, {
    sheet: "Khen thưởng",
    title: `${report.unit.name} — khen thưởng và điển hình tiên tiến năm ${report.year}`,
    columns: COMMENDATION_COLUMNS,
    ownLabel: "(tự đề nghị)",
    width: 16,
  });
}
