import { z } from "zod";
import { FrameworkDefinition, MODELS } from "../../domain/learning-models/framework.ts";

export const FrameworkStatus = z.enum(["draft", "published", "retired"]);

export const FrameworkSummary = z.object({
  id: z.number().int(),
  model: z.enum(MODELS),
  version: z.number().int(),
  title: z.string(),
  /** null: national; otherwise the province whose variant it is. */
  province: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  citizenGroup: z.number().int().nullable(),
  effectiveFromYear: z.number().int(),
  effectiveToYear: z.number().int().nullable(),
  status: FrameworkStatus,
  clonedFromId: z.number().int().nullable(),
  /** The legal text has parts that could not be verified (see definition.legalBasis.unknowns). */
  provisional: z.boolean(),
  createdAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().nullable(),
  /** Evaluations scored with this version. */
  evaluationCount: z.number().int(),
});

export const FrameworkDetail = FrameworkSummary.extend({
  definition: FrameworkDefinition,
  /** Whether the current user may edit/publish it (a draft in their scope) or clone it. */
  canEdit: z.boolean(),
  canClone: z.boolean(),
});

export const FrameworkListQuery = z.strictObject({
  model: z.enum(MODELS).optional(),
  status: FrameworkStatus.optional(),
});

export const CloneBody = z.strictObject({
  /** Make a province's variant; omit for a new national version. */
  provinceId: z.number().int().positive().optional(),
});

export const UpdateDraftBody = z.strictObject({ definition: FrameworkDefinition });

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
