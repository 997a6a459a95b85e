import { z } from "zod";
import {
  COMMENDATION_KINDS,
  COMMENDATION_STATUSES,
  decisionProblems,
  EXEMPLARY_MODELS,
  proposalProblems,
  RECIPIENT_TYPES,
} from "../../domain/commendations/rules.ts";
import { DateText, LongText, OptionalText, Text, Year } from "../centres/schemas.ts";

export { IdParam, UnitYearQuery } from "../inspections/schemas.ts";

const Required = (max: number, message: string) => Text(max).pipe(z.string().min(1, message));

const ProposalFields = {
  kind: z.enum(COMMENDATION_KINDS, { error: "Chọn hình thức: Bằng khen, Giấy khen hoặc hình thức khác." }),
  kindOther: OptionalText(200),
  recipientType: z.enum(RECIPIENT_TYPES, { error: "Chọn khen thưởng cá nhân hay tập thể." }),
  awardingBody: Required(300, "Nhập cấp khen thưởng (ví dụ: Hội Khuyến học tỉnh)."),
  reason: OptionalText(2000),
  proposedOn: DateText,
  proposalNumber: OptionalText(60),
};

const Recipient = z.strictObject({
  name: Required(300, "Nhập tên người hoặc tập thể được đề nghị."),
  orgUnitId: z.number().int().positive().nullable().optional(),
});

/** One proposal for several recipients at once: one row each, all or nothing. */
export const ProposalBody = z
  .strictObject({
    orgUnitId: z.number({ error: "Chọn đơn vị đề nghị." }).int().positive(),
    ...ProposalFields,
    recipients: z
      .array(Recipient)
      .min(1, "Nhập ít nhất một người hoặc tập thể được đề nghị.")
      .max(200, "Tối đa 200 người hoặc tập thể một lần."),
  })
  .superRefine((b, ctx) => {
    const problems = proposalProblems({
      ...b,
      recipients: b.recipients.map((r) => ({ name: r.name, orgUnitId: r.orgUnitId ?? null })),
    });
    for (const p of problems) ctx.addIssue({ code: "custom", path: p.field.split("."), message: p.message });
  });

/** Correcting one row (its recipient and the proposal's fields; the status has its own route). */
export const CommendationBody = z
  .strictObject({
    ...ProposalFields,
    recipientName: Required(300, "Nhập tên người hoặc tập thể được đề nghị."),
    recipientOrgUnitId: z.number().int().positive().nullable(),
  })
  .superRefine((b, ctx) => {
    const problems = proposalProblems({
      ...b,
      recipients: [{ name: b.recipientName, orgUnitId: b.recipientOrgUnitId }],
    }).map((p) => (p.field.startsWith("recipients.") ? { ...p, field: "recipientOrgUnitId" } : p));
    for (const p of problems) ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
  });

/** The outcome: awarded (decision number and date), declined, or back to proposed. */
export const DecisionBody = z.strictObject({
  status: z.enum(COMMENDATION_STATUSES, { error: "Chọn kết quả." }),
  decisionNumber: OptionalText(60),
  decidedOn: DateText.nullable(),
  note: OptionalText(1000),
});

export { decisionProblems };

export const ExemplaryBody = z.strictObject({
  orgUnitId: z.number({ error: "Chọn đơn vị." }).int().positive(),
  model: z.enum(EXEMPLARY_MODELS, { error: "Chọn mô hình học tập." }),
  name: Required(300, "Nhập tên điển hình (gia đình, dòng họ, đơn vị, người…)."),
  year: Year,
  story: LongText(20000)
    .optional()
    .nullable()
    .transform((s) => (s ? s : null)),
  honouredAt: OptionalText(300),
});

const UnitRef = z.object({ id: z.number().int(), name: z.string() });

export const Commendation = z.object({
  id: z.number().int(),
  unit: UnitRef,
  kind: z.enum(COMMENDATION_KINDS),
  kindOther: z.string().nullable(),
  recipientType: z.enum(RECIPIENT_TYPES),
  recipientName: z.string(),
  recipientOrgUnitId: z.number().int().nullable(),
  awardingBody: z.string(),
  reason: z.string().nullable(),
  proposedOn: z.string(),
  proposalNumber: z.string().nullable(),
  status: z.enum(COMMENDATION_STATUSES),
  decisionNumber: z.string().nullable(),
  decidedOn: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

export const ExemplaryModel = z.object({
  id: z.number().int(),
  unit: UnitRef,
  model: z.enum(EXEMPLARY_MODELS),
  name: z.string(),
  year: z.number().int(),
  story: z.string().nullable(),
  honouredAt: z.string().nullable(),
});

export const CommendationList = z.object({
  unit: UnitRef.extend({ kind: z.string() }),
  year: z.number().int(),
  canWrite: z.boolean(),
  commendations: z.array(Commendation),
  exemplary: z.array(ExemplaryModel),
});

export const Counts = z.record(z.string(), z.number().int());

export const CommendationReport = z.object({
  unit: UnitRef.extend({ kind: z.string(), level: z.number().int() }),
  year: z.number().int(),
  counts: Counts,
  /** One row per unit below; `counts` null when it has no figures for the year ("chưa có số liệu"). */
  children: z.array(UnitRef.extend({ kind: z.string(), counts: Counts.nullable() })),
});
