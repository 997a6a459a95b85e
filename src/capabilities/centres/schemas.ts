import { z } from "zod";
import { activityProblems } from "../../domain/centres/activities.ts";
import { BOARD_ROLES, CENTRE_RATINGS } from "../../domain/centres/categories.ts";
import { normalizeText } from "../../domain/text.ts";

export const Text = (max: number) =>
  z
    .string()
    .transform((s) => normalizeText(s))
    .pipe(z.string().max(max, `Tối đa ${max} ký tự.`));
/** Long text (plan, premises) keeps its line breaks: NFC and trimmed only. */
export const LongText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize("NFC").trim())
    .pipe(z.string().max(max, `Tối đa ${max} ký tự.`));
export const OptionalText = (max: number) =>
  (max > 300 ? LongText(max) : Text(max))
    .optional()
    .nullable()
    .transform((s) => (s ? s : null));
const Money = (what: string) =>
  z
    .number({ error: `${what} phải là một số (đồng).` })
    .int(`${what} phải là số nguyên (đồng).`)
    .min(0, `${what} không được âm.`)
    .max(Number.MAX_SAFE_INTEGER, `${what} quá lớn.`);
export const DateText = z.iso.date("Ngày không hợp lệ (định dạng YYYY-MM-DD).");
export const Year = z.coerce
  .number()
  .int("Năm không hợp lệ.")
  .min(2000, "Năm không hợp lệ.")
  .max(2100, "Năm không hợp lệ.");
export const PeriodText = z
  .string()
  .regex(/^\d{4}(-\d{4})?$/, "Chọn một năm (2024) hoặc một năm học (2024-2025).");

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
export const CommuneParam = z.strictObject({ communeId: z.coerce.number().int().positive() });
export const YearParam = z.strictObject({ id: z.coerce.number().int().positive(), year: Year });

export const Category = z.object({
  code: z.string(),
  position: z.number().int(),
  label: z.string(),
  version: z.number().int(),
});

export const BoardMember = z.strictObject({
  fullName: Text(120).pipe(z.string().min(1, "Nhập họ và tên.")),
  role: z.enum(BOARD_ROLES, { error: "Chọn chức danh trong ban giám đốc." }),
  /** Their position elsewhere: "Phó Chủ tịch UBND xã", "Hiệu trưởng THCS"… */
  position: OptionalText(200),
});

export const ProfileBody = z
  .strictObject({
    board: z.array(BoardMember).max(20, "Tối đa 20 thành viên."),
    premises: OptionalText(2000),
  })
  .refine((b) => b.board.filter((m) => m.role === "director").length <= 1, {
    message: "Trung tâm chỉ có một giám đốc.",
    path: ["board"],
  });

export const YearBody = z.strictObject({
  plan: OptionalText(5000),
  fundingStateBudget: Money("Kinh phí ngân sách nhà nước"),
  fundingSocialisation: Money("Kinh phí xã hội hóa"),
  fundingLearners: Money("Kinh phí học viên đóng góp"),
});

export const RatingBody = z.strictObject({
  rating: z.enum(CENTRE_RATINGS, { error: "Chọn xếp loại: Tốt, Khá, Trung bình hoặc Yếu." }),
  note: OptionalText(1000),
});

export const ActivityBody = z
  .strictObject({
    kind: z.enum(["class", "talk"], { error: "Chọn loại: lớp học hoặc chuyên đề." }),
    title: Text(300).pipe(z.string().min(1, "Nhập tên hoạt động.")),
    category: z.string({ error: "Chọn lĩnh vực." }).min(1, "Chọn lĩnh vực."),
    startDate: DateText,
    endDate: DateText,
    // Whole numbers and the checks across fields are one rule set (activityProblems in the
    // domain), run together below, so an officer sees every problem of the form at once.
    sessions: z.number({ error: "Số buổi phải là một số." }).max(10000, "Số buổi quá lớn."),
    participants: z
      .number({ error: "Tổng số người tham gia phải là một số." })
      .max(10_000_000, "Số quá lớn."),
    female: z.number({ error: "Số nữ phải là một số." }).max(10_000_000, "Số quá lớn."),
    minority: z
      .number({ error: "Số người dân tộc thiểu số phải là một số." })
      .max(10_000_000, "Số quá lớn.")
      .nullable()
      .optional(),
    partner: OptionalText(300),
    place: OptionalText(300),
  })
  .superRefine((body, ctx) => {
    for (const p of activityProblems({ ...body, minority: body.minority ?? null })) {
      ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
    }
  });

export const ActivityListQuery = z.strictObject({ period: PeriodText });

export const Activity = z.object({
  id: z.number().int(),
  centreId: z.number().int(),
  kind: z.enum(["class", "talk"]),
  title: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  schoolYear: z.string(),
  sessions: z.number().int(),
  participants: z.number().int(),
  female: z.number().int(),
  minority: z.number().int().nullable(),
  partner: z.string().nullable(),
  place: z.string().nullable(),
});

export const CentreYear = z.object({
  year: z.number().int(),
  plan: z.string().nullable(),
  rating: z.enum(CENTRE_RATINGS).nullable(),
  ratingNote: z.string().nullable(),
  fundingStateBudget: z.number().int(),
  fundingSocialisation: z.number().int(),
  fundingLearners: z.number().int(),
});

const UnitRef = z.object({ id: z.number().int(), name: z.string() });

export const CentreDetail = z.object({
  id: z.number().int(),
  name: z.string(),
  commune: UnitRef,
  board: z.array(
    z.object({ fullName: z.string(), role: z.enum(BOARD_ROLES), position: z.string().nullable() }),
  ),
  premises: z.string().nullable(),
  years: z.array(CentreYear),
  canWrite: z.boolean(),
  canRate: z.boolean(),
});

export const CommuneCentre = z.object({
  commune: UnitRef,
  centre: CentreDetail.nullable(),
  canCreate: z.boolean(),
});

export const ReportQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  period: PeriodText,
});

export const Totals = z.object({
  classes: z.number().int(),
  sessions: z.number().int(),
  participants: z.number().int(),
  female: z.number().int(),
  minority: z.number().int(),
});

export const Funding = z.object({
  stateBudget: z.number().int(),
  socialisation: z.number().int(),
  learners: z.number().int(),
});

export const CentreReport = z.object({
  unit: UnitRef.extend({ kind: z.string(), level: z.number().int() }),
  period: z.string(),
  rows: z.array(Totals.extend({ code: z.string(), position: z.number().int(), label: z.string() })),
  total: Totals,
  /** Funding by source, for a calendar year (a school year has none). */
  funding: Funding,
  children: z.array(UnitRef.extend({ kind: z.string(), total: Totals, funding: Funding })),
});
