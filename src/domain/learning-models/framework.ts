/**
 * Criteria frameworks (bộ tiêu chí) as data. Pure: no I/O.
 *
 * A framework is a versioned document: which learning model it assesses, the legal text it
 * follows, where and when it applies, a tree of groups → criteria with maximum points and an
 * input kind, and the rules that turn a scored assessment into a rating. Defaults ship in
 * resources/criteria-frameworks/; administrators clone and edit them as new versions.
 */
import { z } from "zod";

export const MODELS = ["gdht", "dhht", "cdht_thon", "dvht", "cdht_xa", "cdht_cong_dan"] as const;
export type Model = (typeof MODELS)[number];

export const MODEL_LABELS_VI: Record<Model, string> = {
  gdht: "Gia đình học tập",
  dhht: "Dòng họ học tập",
  cdht_thon: "Cộng đồng học tập cấp thôn",
  dvht: "Đơn vị học tập",
  cdht_xa: "Cộng đồng học tập cấp xã",
  cdht_cong_dan: "Công dân học tập",
};

/** What a model assesses: the subject kind its evaluations are about. */
export const MODEL_SUBJECT: Record<Model, "household" | "clan" | "village" | "unit" | "commune" | "citizen"> =
  {
    gdht: "household",
    dhht: "clan",
    cdht_thon: "village",
    dvht: "unit",
    cdht_xa: "commune",
    cdht_cong_dan: "citizen",
  };

/**
 * Figures computed from the registry at assessment time, never typed by a user. Each is a
 * percentage (0–100) about the subject, for the assessment's year.
 */
export const DERIVED_SOURCES = {
  "clan.member_households_gdht_percent":
    "Tỷ lệ hộ thành viên của dòng họ được công nhận Gia đình học tập trong năm",
  "village.households_gdht_percent": "Tỷ lệ hộ gia đình trong thôn được công nhận Gia đình học tập trong năm",
  "village.clans_dhht_percent": "Tỷ lệ dòng họ trong thôn được công nhận Dòng họ học tập trong năm",
  "unit.members_cdht_percent":
    "Tỷ lệ cán bộ, người lao động của đơn vị được công nhận Công dân học tập trong năm",
  "commune.villages_cdht_percent": "Tỷ lệ thôn, tổ dân phố của xã được công nhận Cộng đồng học tập trong năm",
  "commune.households_gdht_percent": "Tỷ lệ hộ gia đình của xã được công nhận Gia đình học tập trong năm",
  "commune.units_dvht_percent": "Tỷ lệ đơn vị trên địa bàn xã được công nhận Đơn vị học tập trong năm",
} as const;
export type DerivedSource = keyof typeof DERIVED_SOURCES;

/** The model whose subject a derived figure is about ("village.*" is about a village…). */
export function derivedSourceModel(source: DerivedSource): Model {
  const subject = source.split(".")[0];
  switch (subject) {
    case "clan":
      return "dhht";
    case "village":
      return "cdht_thon";
    case "unit":
      return "dvht";
    default:
      return "cdht_xa";
  }
}
const DerivedSourceKey = z.enum(Object.keys(DERIVED_SOURCES) as [DerivedSource, ...DerivedSource[]]);

const Code = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9._-]+$/, "Mã chỉ gồm chữ không dấu, số và các ký tự . _ -");
const Points = z.number().int("Điểm phải là số nguyên.").min(0, "Điểm không được âm.").max(1000);

/** A value reaching `atLeast` earns `points` (the highest step reached wins). */
const Step = z.strictObject({ atLeast: z.number().min(0), points: Points });

export const CriterionInput = z.discriminatedUnion("kind", [
  /** The assessor gives 0..maxPoints. */
  z.strictObject({ kind: z.literal("points") }),
  /** Met → maxPoints, not met → 0. */
  z.strictObject({ kind: z.literal("yes_no") }),
  /** A count (classes attended, members who…) converted by steps. */
  z.strictObject({
    kind: z.literal("count"),
    unit: z.string().trim().max(40).optional(),
    steps: z.array(Step).min(1),
  }),
  /** A percentage 0–100, typed or derived, converted by steps. */
  z.strictObject({ kind: z.literal("percentage"), steps: z.array(Step).min(1) }),
]);
export type CriterionInput = z.infer<typeof CriterionInput>;

export const Criterion = z.strictObject({
  code: Code,
  text: z.string().trim().min(1).max(2000),
  maxPoints: Points,
  input: CriterionInput,
  /** A mandatory criterion must earn its full points for any passing rating. */
  mandatory: z.boolean().default(false),
  /** Computed from the registry; only `percentage` criteria can be derived. */
  derivedFrom: DerivedSourceKey.optional(),
  guidance: z.string().trim().max(2000).optional(),
});
export type Criterion = z.infer<typeof Criterion>;

export const CriteriaGroup = z.strictObject({
  code: Code,
  title: z.string().trim().min(1).max(300),
  maxPoints: Points,
  /** A group below this many points blocks every passing rating (where the text says so). */
  minPoints: Points.optional(),
  criteria: z.array(Criterion).min(1).max(60),
});
export type CriteriaGroup = z.infer<typeof CriteriaGroup>;

export const RatingLevel = z.strictObject({
  code: Code,
  label: z.string().trim().min(1).max(60),
  minTotal: Points,
  /** Every group must reach this share (0–100) of its maximum, when the text says so. */
  minEachGroupPercent: z.number().min(0).max(100).optional(),
  /** Counts as recognisable (đạt) — false for "Chưa đạt"-like levels listed for display. */
  passing: z.boolean().default(true),
});
export type RatingLevel = z.infer<typeof RatingLevel>;

export const LegalBasis = z.strictObject({
  /** e.g. "448/QĐ-KHVN"; null when the framework is not taken from a known text. */
  documentNumber: z.string().trim().max(60).nullable(),
  documentDate: z.iso.date().nullable(),
  issuer: z.string().trim().max(200).nullable(),
  title: z.string().trim().max(500).nullable(),
  sources: z.array(z.string().trim().max(500)).max(20).default([]),
  /** What is not known about the text and was therefore left out or assumed, said plainly. */
  unknowns: z.array(z.string().trim().max(1000)).max(30).default([]),
  notes: z.string().trim().max(4000).optional(),
});

export const FrameworkScope = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("national") }),
  /** A province's own variant; `provinceCode` is the official code (e.g. "19"). */
  z.strictObject({ kind: z.literal("province"), provinceCode: z.string().regex(/^\d{2}$/) }),
]);

export const FrameworkDefinition = z
  .strictObject({
    model: z.enum(MODELS),
    title: z.string().trim().min(1).max(300),
    legalBasis: LegalBasis,
    scope: FrameworkScope,
    effectiveFromYear: z.number().int().min(2000).max(2100),
    effectiveToYear: z.number().int().min(2000).max(2100).nullable(),
    /** For the learning-citizen model: which citizen group (1–4) it is for; null otherwise. */
    citizenGroup: z.number().int().min(1).max(4).nullable().default(null),
    groups: z.array(CriteriaGroup).min(1).max(30),
    /** Best first. The first level whose conditions hold is the rating. */
    ratings: z.array(RatingLevel).min(1).max(6),
    /** The label when no passing level is reached. */
    failLabel: z.string().trim().min(1).max(60).default("Chưa đạt"),
  })
  .superRefine((f, ctx) => {
    for (const issue of frameworkProblems(f)) ctx.addIssue({ code: "custom", ...issue });
  });
export type FrameworkDefinition = z.infer<typeof FrameworkDefinition>;

/**
 * Consistency rules a framework must satisfy to be published; each problem names the field
 * path and says what is wrong in Vietnamese.
 */
export function frameworkProblems(f: Omit<FrameworkDefinition, never> | z.input<typeof FrameworkDefinition>) {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const seen = new Set<string>();
  if (f.effectiveToYear !== null && f.effectiveToYear < f.effectiveFromYear) {
    problems.push({ path: ["effectiveToYear"], message: "Năm kết thúc phải sau năm bắt đầu." });
  }
  f.groups.forEach((group, gi) => {
    if (seen.has(group.code))
      problems.push({ path: ["groups", gi, "code"], message: `Mã ${group.code} bị trùng.` });
    seen.add(group.code);
    const sum = group.criteria.reduce((s, c) => s + c.maxPoints, 0);
    if (sum !== group.maxPoints) {
      problems.push({
        path: ["groups", gi, "maxPoints"],
        message: `Tổng điểm tối đa các tiêu chí (${sum}) phải bằng điểm tối đa của nhóm (${group.maxPoints}).`,
      });
    }
    if (group.minPoints !== undefined && group.minPoints > group.maxPoints) {
      problems.push({
        path: ["groups", gi, "minPoints"],
        message: "Điểm tối thiểu vượt quá điểm tối đa của nhóm.",
      });
    }
    group.criteria.forEach((c, ci) => {
      const path = ["groups", gi, "criteria", ci];
      if (seen.has(c.code)) problems.push({ path: [...path, "code"], message: `Mã ${c.code} bị trùng.` });
      seen.add(c.code);
      if (c.derivedFrom && derivedSourceModel(c.derivedFrom) !== f.model) {
        problems.push({
          path: [...path, "derivedFrom"],
          message: `Số liệu “${DERIVED_SOURCES[c.derivedFrom]}” không thuộc đối tượng của mô hình này.`,
        });
      }
      if (c.derivedFrom && c.input.kind !== "percentage") {
        problems.push({
          path: [...path, "derivedFrom"],
          message: "Chỉ tiêu chí dạng tỷ lệ % mới được tính tự động.",
        });
      }
      if (c.input.kind === "count" || c.input.kind === "percentage") {
        const steps = c.input.steps;
        for (let i = 1; i < steps.length; i++) {
          const prev = steps[i - 1];
          const step = steps[i];
          if (prev && step && !(step.atLeast > prev.atLeast && step.points >= prev.points)) {
            problems.push({
              path: [...path, "input", "steps", i],
              message: "Các mức phải tăng dần (ngưỡng lớn hơn, điểm không nhỏ hơn mức trước).",
            });
          }
        }
        if (steps.some((s) => s.points > c.maxPoints)) {
          problems.push({
            path: [...path, "input", "steps"],
            message: "Điểm của một mức vượt quá điểm tối đa.",
          });
        }
        if (c.input.kind === "percentage" && steps.some((s) => s.atLeast > 100)) {
          problems.push({
            path: [...path, "input", "steps"],
            message: "Ngưỡng tỷ lệ không được vượt quá 100%.",
          });
        }
      }
    });
  });
  const max = f.groups.reduce((s, g) => s + g.maxPoints, 0);
  f.ratings.forEach((r, ri) => {
    if (r.minTotal > max) {
      problems.push({
        path: ["ratings", ri, "minTotal"],
        message: `Ngưỡng ${r.minTotal} vượt tổng điểm tối đa ${max}.`,
      });
    }
    const prev = f.ratings[ri - 1];
    if (prev && prev.minTotal < r.minTotal) {
      problems.push({
        path: ["ratings", ri, "minTotal"],
        message: "Các mức xếp loại phải xếp từ cao xuống thấp theo ngưỡng điểm.",
      });
    }
  });
  return problems;
}

export function maxTotal(f: Pick<FrameworkDefinition, "groups">): number {
  return f.groups.reduce((s, g) => s + g.maxPoints, 0);
}

export function allCriteria(f: Pick<FrameworkDefinition, "groups">): Criterion[] {
  return f.groups.flatMap((g) => g.criteria);
}
