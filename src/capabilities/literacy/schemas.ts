import { z } from "zod";
import { AGE_BANDS, literacyProblems, MAX_COUNT, STANDARDS } from "../../domain/literacy/literacy.ts";

export const Year = z.coerce
  .number()
  .int("Năm không hợp lệ.")
  .min(2000, "Năm không hợp lệ.")
  .max(2100, "Năm không hợp lệ.");

export const CommuneYearParam = z.strictObject({
  communeId: z.coerce.number().int().positive(),
  year: Year,
});

/** A count typed in a cell; whole numbers and the checks across cells are literacyProblems'. */
const Count = (what: string) =>
  z.number({ error: `${what} phải là một số.` }).max(MAX_COUNT * 10, `${what} quá lớn.`);

const Band = (label: string) =>
  z.strictObject({
    population: Count(`Số dân ${label}`),
    level1: Count(`Số người biết chữ mức độ 1 ${label}`),
    level2: Count(`Số người biết chữ mức độ 2 ${label}`),
  });

const bandShape = Object.fromEntries(AGE_BANDS.map((b) => [b, Band(`(${b.replace("-", "–")} tuổi)`)])) as {
  [K in (typeof AGE_BANDS)[number]]: ReturnType<typeof Band>;
};

const standardShape = Object.fromEntries(
  STANDARDS.map((s) => [
    s.code,
    z.number({
      error:
        s.maxLevel === 1
          ? `${s.label}: chọn đạt chuẩn hoặc chưa đạt.`
          : `${s.label}: chọn mức độ từ 0 (chưa đạt) đến ${s.maxLevel}.`,
    }),
  ]),
) as { [K in (typeof STANDARDS)[number]["code"]]: z.ZodNumber };

export const LiteracyBody = z
  .strictObject({
    /** Thời điểm điều tra (YYYY-MM-DD), inside the year; optional. */
    surveyDate: z.iso.date("Ngày không hợp lệ (định dạng YYYY-MM-DD).").nullable().optional(),
    bands: z.strictObject(bandShape),
    newlyLiterateContinuing: Count("Số người mới biết chữ tiếp tục học").nullable().optional(),
    standards: z.strictObject(standardShape),
  })
  .superRefine((body, ctx) => {
    for (const p of literacyProblems(body)) {
      ctx.addIssue({ code: "custom", path: p.field.split("."), message: p.message });
    }
  });

const BandFigures = z.object({
  population: z.number().int(),
  level1: z.number().int(),
  level2: z.number().int(),
});

export const BandRow = BandFigures.extend({
  code: z.string(),
  label: z.string(),
  derived: z.boolean(),
  level1Percent: z.number().nullable(),
  level2Percent: z.number().nullable(),
});

export const LiteracyRecord = z.object({
  year: z.number().int(),
  surveyDate: z.string().nullable(),
  bands: z.object(
    Object.fromEntries(AGE_BANDS.map((b) => [b, BandFigures])) as Record<
      (typeof AGE_BANDS)[number],
      typeof BandFigures
    >,
  ),
  newlyLiterateContinuing: z.number().int().nullable(),
  standards: z.record(z.string(), z.number().int()),
  rows: z.array(BandRow),
  updatedAt: z.string(),
});

const UnitRef = z.object({ id: z.number().int(), name: z.string(), kind: z.string() });

export const CommuneYear = z.object({
  unit: UnitRef,
  year: z.number().int(),
  record: LiteracyRecord.nullable(),
  /** Years that have a record for this commune, newest first. */
  years: z.array(z.number().int()),
  canWrite: z.boolean(),
});

export const StandardCount = z.object({
  code: z.string(),
  label: z.string(),
  short: z.string(),
  maxLevel: z.number().int(),
  atLeast: z.array(z.number().int()),
});

export const SummedFigures = z.object({
  reported: z.number().int(),
  rows: z.array(BandRow),
  newlyLiterateContinuing: z.number().int(),
  standards: z.array(StandardCount),
});

export const SummaryQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  year: Year,
});

export const LiteracySummary = z.object({
  unit: UnitRef.extend({ level: z.number().int() }),
  year: z.number().int(),
  /** Communes under the unit that existed during the year (the denominator of "21/21 xã"). */
  communes: z.number().int(),
  total: SummedFigures,
  children: z.array(
    UnitRef.extend({
      communes: z.number().int(),
      /** null: no commune below has reported ("chưa có số liệu"), never zeros. */
      figures: SummedFigures.nullable(),
    }),
  ),
});
