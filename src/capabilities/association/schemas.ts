/**
 * The Association membership API's shapes. Dues cross the API like the fund's money: a JSON
 * integer of đồng in requests, a string of digits in responses (sums may pass 2^53).
 */
import { z } from "zod";
import {
  CHAPTER_KINDS,
  populationProblems,
  yearFigureProblems,
} from "../../domain/association/membership.ts";
import { normalizeText } from "../../domain/text.ts";

const Text = (max: number) =>
  z
    .string()
    .transform((s) => normalizeText(s))
    .pipe(z.string().max(max, `Tối đa ${max} ký tự.`));
const OptionalText = (max: number) =>
  Text(max)
    .optional()
    .nullable()
    .transform((s) => (s ? s : null));
const DateText = z.iso.date("Ngày không hợp lệ (định dạng YYYY-MM-DD).");
const OptionalDate = DateText.nullable()
  .optional()
  .transform((d) => d ?? null);
export const Year = z.coerce
  .number()
  .int("Năm không hợp lệ.")
  .min(2000, "Năm không hợp lệ.")
  .max(2100, "Năm không hợp lệ.");
const Id = z.coerce.number().int().positive();

/** An amount in a response: a string of digits. */
export const Money = z
  .string()
  .regex(/^\d+$/)
  .meta({ description: 'Số tiền (đồng) dạng chuỗi chữ số, ví dụ "1500000".' });

export const IdParam = z.strictObject({ id: Id });
export const UnitParam = z.strictObject({ unitId: Id });
export const ChapterYearParam = z.strictObject({ id: Id, year: Year });
export const PopulationParam = z.strictObject({ unitId: Id, year: Year });
export const YearQuery = z.strictObject({ year: Year });
export const ReportQuery = z.strictObject({ orgUnitId: Id, year: Year });

export const ChapterKind = z.enum(CHAPTER_KINDS, {
  error: "Chọn loại chi hội: thôn/tổ dân phố, trường học, cơ quan, doanh nghiệp, dòng họ hoặc khác.",
});

export const ChapterBody = z.strictObject({
  kind: ChapterKind,
  name: Text(200).pipe(z.string().min(1, "Nhập tên chi hội.")),
  /** The village, school, agency or enterprise (an org unit under the body). */
  linkedUnitId: Id.nullable()
    .optional()
    .transform((v) => v ?? null),
  /** For a clan: the registry's clan of this commune. */
  clanId: Id.nullable()
    .optional()
    .transform((v) => v ?? null),
  headName: OptionalText(120),
  foundedOn: OptionalDate,
});

export const DissolutionBody = z.strictObject({
  /** The date of the decision; null cancels a dissolution recorded by mistake. */
  dissolvedOn: DateText.nullable(),
});

// Whole, non-negative, at most MAX_COUNT: checked by the domain's rule set below.
const count = (what: string) => z.number({ error: `${what} phải là một số.` });

export const ChapterYearBody = z
  .strictObject({
    members: count("Số hội viên"),
    female: count("Số hội viên nữ"),
    newMembers: count("Số hội viên mới kết nạp"),
    dues: z.number({ error: "Hội phí phải là một số nguyên đồng, ví dụ 1500000." }),
  })
  .superRefine((body, ctx) => {
    // Whole numbers and the rules across fields are one domain rule set: every message at once.
    for (const p of yearFigureProblems(body))
      ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
  });

export const PopulationBody = z
  .strictObject({
    population: z.number({ error: "Dân số phải là một số, ví dụ 12500." }),
  })
  .superRefine((body, ctx) => {
    for (const p of populationProblems(body.population))
      ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
  });

const UnitRef = z.object({ id: z.number().int(), name: z.string() });

export const ChapterYear = z.object({
  year: z.number().int(),
  members: z.number().int(),
  female: z.number().int(),
  newMembers: z.number().int(),
  dues: Money,
});

export const Chapter = z.object({
  id: z.number().int(),
  bodyId: z.number().int(),
  kind: ChapterKind,
  name: z.string(),
  linkedUnit: UnitRef.extend({ kind: z.string() }).nullable(),
  clan: UnitRef.nullable(),
  headName: z.string().nullable(),
  foundedOn: z.string().nullable(),
  dissolvedOn: z.string().nullable(),
  /** Its figures for the year asked about, if entered. */
  figures: ChapterYear.nullable(),
  /** Years it has figures for (a chapter with figures is dissolved, never deleted). */
  yearsWithFigures: z.array(z.number().int()),
  canWrite: z.boolean(),
});

export const Population = z.object({
  year: z.number().int(),
  population: z.number().int(),
  source: z.string(),
  updatedAt: z.string(),
});

export const BodyView = z.object({
  unit: UnitRef.extend({ kind: z.string(), level: z.number().int() }),
  year: z.number().int(),
  chapters: z.array(Chapter),
  /** False when the user sees only the chapters inside their scope (a village chapter head). */
  complete: z.boolean(),
  /** Only communes have a population. */
  population: Population.nullable(),
  canManage: z.boolean(),
  canWritePopulation: z.boolean(),
  /** Units and registry clans a new chapter may be linked to (for those who may manage). */
  linkOptions: z.object({
    units: z.array(UnitRef.extend({ kind: z.string() })),
    clans: z.array(UnitRef),
  }),
  chapterKinds: z.array(ChapterKind),
});

export const Figures = z.object({
  /** False when no chapter of the unit (or below) reported for the year: "chưa có số liệu". */
  hasData: z.boolean(),
  chapters: z.number().int(),
  chaptersByKind: z.record(z.string(), z.number().int()),
  newChapters: z.number().int(),
  newChaptersByKind: z.record(z.string(), z.number().int()),
  dissolvedChapters: z.number().int(),
  members: z.number().int(),
  female: z.number().int(),
  newMembers: z.number().int(),
  dues: Money,
  /** Population of the communes that entered one, and the members of those communes. */
  population: z.number().int(),
  membersCovered: z.number().int(),
  communesWithPopulation: z.number().int(),
  communes: z.number().int(),
  /** Members of the communes with a population over their population × 100; null without one. */
  percentOfPopulation: z.number().nullable(),
  populationComplete: z.boolean(),
});

export const Report = z.object({
  unit: UnitRef.extend({ kind: z.string(), level: z.number().int() }),
  year: z.number().int(),
  figures: Figures,
  children: z.array(UnitRef.extend({ kind: z.string(), figures: Figures })),
  /** The last five years (oldest first), from the counters. */
  trend: z.array(
    z.object({
      year: z.number().int(),
      hasData: z.boolean(),
      members: z.number().int(),
      newMembers: z.number().int(),
      percentOfPopulation: z.number().nullable(),
      populationComplete: z.boolean(),
    }),
  ),
});
