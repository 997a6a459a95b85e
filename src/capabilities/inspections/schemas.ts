import { z } from "zod";
import {
  INSPECTION_RATINGS,
  planProblems,
  SCHOOL_LEVELS,
  TARGET_CATEGORIES,
  TEAM_ROLES,
  targetProblems,
} from "../../domain/inspections/rules.ts";
import { DateText, OptionalText, Text, Year } from "../centres/schemas.ts";

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
export const UnitParam = z.strictObject({ orgUnitId: z.coerce.number().int().positive() });
export const UnitYearQuery = z.strictObject({ orgUnitId: z.coerce.number().int().positive(), year: Year });

const Required = (max: number, message: string) => Text(max).pipe(z.string().min(1, message));

export const TeamMember = z.strictObject({
  fullName: Required(120, "Nhập họ và tên thành viên đoàn."),
  position: OptionalText(200),
  role: z.enum(TEAM_ROLES, { error: "Chọn vai trò: trưởng đoàn hoặc thành viên." }),
});

export const TargetBody = z.strictObject({
  orgUnitId: z.number({ error: "Chọn đơn vị được kiểm tra." }).int().positive(),
  /** Left out: from the unit's kind (a commune → Hội Khuyến học xã, a school → trường học). */
  category: z.enum(TARGET_CATEGORIES, { error: "Chọn loại đơn vị được kiểm tra." }).optional(),
  schoolLevel: z
    .enum(SCHOOL_LEVELS, { error: "Chọn cấp học: Mầm non, Tiểu học, THCS, THPT hoặc Liên cấp." })
    .nullable()
    .optional(),
  cluster: OptionalText(120),
  scheduledOn: DateText.nullable().optional(),
});

export const PlanBody = z
  .strictObject({
    orgUnitId: z.number({ error: "Chọn đơn vị lập kế hoạch." }).int().positive(),
    documentNumber: Required(60, "Nhập số kế hoạch (ví dụ 37/KH-HKH)."),
    issuedOn: DateText,
    title: Required(300, "Nhập nội dung kiểm tra."),
    fromDate: DateText,
    toDate: DateText,
    team: z.array(TeamMember).max(30, "Tối đa 30 thành viên đoàn."),
    notes: OptionalText(5000),
    targets: z
      .array(TargetBody)
      .min(1, "Chọn ít nhất một đơn vị được kiểm tra.")
      .max(500, "Tối đa 500 đơn vị."),
  })
  .superRefine((b, ctx) => {
    const problems = [
      ...planProblems(b),
      // Categories left out are filled from the unit's kind by the service, which checks again.
      ...targetProblems(
        b,
        b.targets.map((t) => ({
          orgUnitId: t.orgUnitId,
          category: t.category ?? "",
          schoolLevel: t.category ? (t.schoolLevel ?? null) : null,
          scheduledOn: t.scheduledOn ?? null,
        })),
      ),
    ];
    for (const p of problems) ctx.addIssue({ code: "custom", path: p.field.split("."), message: p.message });
  });

export const ResultBody = z.strictObject({
  inspectedOn: DateText,
  rating: z.enum(INSPECTION_RATINGS, { error: "Chọn xếp loại: Tốt, Khá, Trung bình hoặc Yếu." }),
  findings: OptionalText(5000),
  recommendations: OptionalText(5000),
});

const UnitRef = z.object({ id: z.number().int(), name: z.string() });

export const Target = z.object({
  id: z.number().int(),
  unit: UnitRef.extend({ kind: z.string() }),
  category: z.enum(TARGET_CATEGORIES),
  schoolLevel: z.enum(SCHOOL_LEVELS).nullable(),
  cluster: z.string().nullable(),
  scheduledOn: z.string().nullable(),
  inspectedOn: z.string().nullable(),
  rating: z.enum(INSPECTION_RATINGS).nullable(),
  findings: z.string().nullable(),
  recommendations: z.string().nullable(),
});

export const Plan = z.object({
  id: z.number().int(),
  unit: UnitRef,
  documentNumber: z.string(),
  issuedOn: z.string(),
  title: z.string(),
  fromDate: z.string(),
  toDate: z.string(),
  team: z.array(
    z.object({ fullName: z.string(), position: z.string().nullable(), role: z.enum(TEAM_ROLES) }),
  ),
  notes: z.string().nullable(),
  targets: z.array(Target),
  canWrite: z.boolean(),
});

export const PlanList = z.object({
  unit: UnitRef.extend({ kind: z.string() }),
  year: z.number().int(),
  canCreate: z.boolean(),
  plans: z.array(Plan),
});

/** An inspection of one unit, seen from the inspected unit ("how was I inspected"). */
export const InspectionOfUnit = Target.omit({ unit: true }).extend({
  plan: z.object({
    id: z.number().int(),
    unit: UnitRef,
    documentNumber: z.string(),
    issuedOn: z.string(),
    title: z.string(),
  }),
});

export const Counts = z.record(z.string(), z.number().int());

export const InspectionReport = z.object({
  unit: UnitRef.extend({ kind: z.string(), level: z.number().int() }),
  year: z.number().int(),
  /** The unit's own counters (the nation: the sum of its provinces). */
  counts: Counts,
  /** One row per unit below; `counts` null when it has no figures for the year ("chưa có số liệu"). */
  children: z.array(UnitRef.extend({ kind: z.string(), counts: Counts.nullable() })),
});
