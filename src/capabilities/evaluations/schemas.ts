import { z } from "zod";
import { EVALUATION_STATUSES } from "../../domain/learning-models/cycle.ts";
import { FrameworkDefinition, MODELS } from "../../domain/learning-models/framework.ts";

const Year = z.number().int().min(2016, "Năm không hợp lệ.").max(2100, "Năm không hợp lệ.");
const Ids = z.array(z.number().int().positive()).min(1, "Chọn ít nhất một mục.").max(2000);

export const RegisterBody = z
  .strictObject({
    model: z.enum(MODELS),
    year: Year,
    /** Register these subjects (household, clan or org-unit ids, by model)… */
    subjectIds: Ids.optional(),
    /** …or every subject of the model inside this org unit (e.g. all households of a village). */
    allIn: z.number().int().positive().optional(),
  })
  .refine((b) => (b.subjectIds === undefined) !== (b.allIn === undefined), {
    message: "Chọn các đối tượng cần đăng ký, hoặc một đơn vị để đăng ký tất cả.",
    path: ["subjectIds"],
  });

export const RegisterResult = z.object({
  registered: z.number().int(),
  alreadyRegistered: z.number().int(),
});

const AnswerValue = z.union([z.number(), z.boolean(), z.null()]);

export const SaveAnswersBody = z.strictObject({
  answers: z.record(z.string().max(20), AnswerValue),
  /** false: keep as a draft; true: hand in for review (must be complete and valid). */
  submit: z.boolean().default(false),
});

export const ReviewBody = z
  .strictObject({
    ids: Ids,
    decision: z.enum(["accept", "return"]),
    comment: z.string().trim().max(2000).optional(),
  })
  .refine((b) => b.decision === "accept" || (b.comment?.length ?? 0) > 0, {
    message: "Khi trả lại, hãy ghi rõ cần bổ sung gì.",
    path: ["comment"],
  });

export const DecideBody = z
  .strictObject({
    ids: Ids,
    decision: z.enum(["recognise", "reject", "revoke"]),
    decisionNumber: z.string().trim().max(60).optional(),
    decisionDate: z.iso.date().optional(),
    issuer: z.string().trim().max(200).optional(),
    reason: z.string().trim().max(2000).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.decision === "recognise") {
      if (!b.decisionNumber)
        ctx.addIssue({ code: "custom", path: ["decisionNumber"], message: "Nhập số quyết định." });
      if (!b.decisionDate)
        ctx.addIssue({ code: "custom", path: ["decisionDate"], message: "Nhập ngày quyết định." });
      if (!b.issuer) ctx.addIssue({ code: "custom", path: ["issuer"], message: "Nhập cơ quan ban hành." });
    } else if (!b.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Nêu lý do." });
    }
  });

export const BatchResult = z.object({ changed: z.number().int(), unchanged: z.number().int() });

export const EvaluationListQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  model: z.enum(MODELS),
  year: z.coerce.number().int().min(2016).max(2100),
  status: z.enum(EVALUATION_STATUSES).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const ScoreView = z.object({
  total: z.number(),
  maxTotal: z.number(),
  groups: z.array(
    z.object({
      code: z.string(),
      title: z.string(),
      points: z.number(),
      maxPoints: z.number(),
      belowMinimum: z.boolean(),
    }),
  ),
  unanswered: z.array(z.string()),
  mandatoryUnmet: z.array(z.string()),
  complete: z.boolean(),
  rating: z.object({ code: z.string().nullable(), label: z.string(), passing: z.boolean() }),
});

export const EvaluationSummary = z.object({
  id: z.number().int(),
  model: z.enum(MODELS),
  year: z.number().int(),
  subjectKind: z.string(),
  subjectId: z.number().int(),
  subjectName: z.string(),
  orgUnit: z.object({ id: z.number().int(), name: z.string() }),
  status: z.enum(EVALUATION_STATUSES),
  total: z.number().int().nullable(),
  ratingLabel: z.string().nullable(),
  passing: z.boolean().nullable(),
  decisionNumber: z.string().nullable(),
  decisionDate: z.iso.date().nullable(),
  reviewComment: z.string().nullable(),
  rejectReason: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});

export const EvaluationDetail = EvaluationSummary.extend({
  framework: z.object({ id: z.number().int(), version: z.number().int(), definition: FrameworkDefinition }),
  answers: z.record(z.string(), AnswerValue),
  derived: z.record(z.string(), z.number()),
  score: ScoreView,
  decisionIssuer: z.string().nullable(),
  /** What the current user may do with it now. */
  can: z.object({ edit: z.boolean(), review: z.boolean(), decide: z.boolean() }),
});

/**
 * What a save answers: the evaluation as saved, its framework by id and version only. The
 * framework's definition (most of a detail's bytes: 7 of 8 KB for a household's) does not change
 * with a save; `GET /api/v1/evaluations/:id` has it.
 */
export const EvaluationSaved = EvaluationDetail.extend({
  framework: z.object({ id: z.number().int(), version: z.number().int() }),
});

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
