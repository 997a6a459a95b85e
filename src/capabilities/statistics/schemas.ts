import { z } from "zod";
import { MODELS } from "../../domain/learning-models/framework.ts";

export const StatsQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  year: z.coerce.number().int().min(2016).max(2100),
  /** Add the figures of the units this one was formed from (e.g. 2024 of old communes). */
  includePredecessors: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

export const Figures = z.object({
  /** The denominator: households, clans, villages, units or communes in the registry. */
  subjects: z.number().int(),
  registered: z.number().int(),
  selfAssessed: z.number().int(),
  recognised: z.number().int(),
  /** Recognised evaluations by rating code. */
  ratings: z.record(z.string(), z.number().int()),
  registrationRate: z.number().nullable(),
  recognitionRate: z.number().nullable(),
  targetPercent: z.number().nullable(),
});

const UnitRef = z.object({ id: z.number().int(), name: z.string(), kind: z.string() });

export const ModelStats = z.object({
  model: z.enum(MODELS),
  label: z.string(),
  subjectKind: z.string(),
  figures: Figures,
  children: z.array(UnitRef.extend({ figures: Figures })),
});

export const StatsResponse = z.object({
  unit: UnitRef.extend({ level: z.number().int() }),
  year: z.number().int(),
  models: z.array(ModelStats),
  predecessors: z.array(UnitRef.extend({ share: z.enum(["full", "partial"]) })),
});

export const TrendQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  model: z.enum(MODELS),
});

export const TrendResponse = z.array(
  z.object({
    year: z.number().int(),
    registered: z.number().int(),
    recognised: z.number().int(),
    targetPercent: z.number().nullable(),
  }),
);

export const TargetBody = z.strictObject({
  orgUnitId: z.number().int().positive(),
  year: z.number().int().min(2016).max(2100),
  model: z.enum(MODELS),
  targetPercent: z.number().min(0, "Chỉ tiêu từ 0 đến 100%.").max(100, "Chỉ tiêu từ 0 đến 100%."),
});
