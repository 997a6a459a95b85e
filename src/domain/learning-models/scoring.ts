/**
 * Scoring an assessment against a framework. Pure: no I/O.
 *
 * Answers are raw values keyed by criterion code: points for `points`, true/false for
 * `yes_no`, a count for `count`, a percentage for `percentage`. Derived criteria take their
 * value from `derived` (computed by the service from the registry), never from answers.
 */
import {
  allCriteria,
  type Criterion,
  type DerivedSource,
  type FrameworkDefinition,
  maxTotal,
} from "./framework.ts";

/** A problem with one input field (same shape as the API's problem+json `errors`). */
export interface FieldError {
  field: string;
  message: string;
}

export type AnswerValue = number | boolean | null;
export type Answers = Record<string, AnswerValue>;
export type DerivedValues = Partial<Record<DerivedSource, number>>;

export interface GroupScore {
  code: string;
  title: string;
  points: number;
  maxPoints: number;
  belowMinimum: boolean;
}

export interface Score {
  total: number;
  maxTotal: number;
  groups: GroupScore[];
  /** Points per criterion code (unanswered → 0). */
  points: Record<string, number>;
  /** Criteria a user still has to answer. */
  unanswered: string[];
  /** Mandatory criteria not earning their full points. */
  mandatoryUnmet: string[];
  /** True when every typed criterion is answered and every derived value is known. */
  complete: boolean;
  rating: { code: string | null; label: string; passing: boolean };
}

/** Points a criterion earns for a value; null when there is no usable value. */
export function criterionPoints(criterion: Criterion, value: AnswerValue | undefined): number | null {
  if (value === null || value === undefined) return null;
  const input = criterion.input;
  switch (input.kind) {
    case "points":
      return typeof value === "number" ? clamp(Math.trunc(value), 0, criterion.maxPoints) : null;
    case "yes_no":
      return typeof value === "boolean" ? (value ? criterion.maxPoints : 0) : null;
    case "count":
    case "percentage": {
      if (typeof value !== "number" || !Number.isFinite(value)) return null;
      let points = 0;
      for (const step of input.steps) if (value >= step.atLeast) points = Math.max(points, step.points);
      return Math.min(points, criterion.maxPoints);
    }
  }
}

function clamp(n: number, lo: number, hi: number) {
  return Math.min(hi, Math.max(lo, n));
}

function criterionValue(
  criterion: Criterion,
  answers: Answers,
  derived: DerivedValues,
): AnswerValue | undefined {
  return criterion.derivedFrom ? (derived[criterion.derivedFrom] ?? null) : answers[criterion.code];
}

export function scoreAssessment(
  framework: FrameworkDefinition,
  answers: Answers,
  derived: DerivedValues = {},
): Score {
  const points: Record<string, number> = {};
  const unanswered: string[] = [];
  const mandatoryUnmet: string[] = [];
  let complete = true;
  const groups: GroupScore[] = framework.groups.map((group) => {
    let sum = 0;
    for (const criterion of group.criteria) {
      const earned = criterionPoints(criterion, criterionValue(criterion, answers, derived));
      if (earned === null) {
        complete = false;
        if (!criterion.derivedFrom) unanswered.push(criterion.code);
      }
      const p = earned ?? 0;
      points[criterion.code] = p;
      sum += p;
      if (criterion.mandatory && p < criterion.maxPoints) mandatoryUnmet.push(criterion.code);
    }
    return {
      code: group.code,
      title: group.title,
      points: sum,
      maxPoints: group.maxPoints,
      belowMinimum: group.minPoints !== undefined && sum < group.minPoints,
    };
  });
  const total = groups.reduce((s, g) => s + g.points, 0);
  return {
    total,
    maxTotal: maxTotal(framework),
    groups,
    points,
    unanswered,
    mandatoryUnmet,
    complete,
    rating: rate(framework, total, groups, mandatoryUnmet.length > 0),
  };
}

function rate(
  framework: FrameworkDefinition,
  total: number,
  groups: GroupScore[],
  mandatoryUnmet: boolean,
): Score["rating"] {
  for (const level of framework.ratings) {
    if (total < level.minTotal) continue;
    if (level.passing && (mandatoryUnmet || groups.some((g) => g.belowMinimum))) continue;
    const share = level.minEachGroupPercent;
    if (share !== undefined && groups.some((g) => g.points * 100 < share * g.maxPoints)) continue;
    return { code: level.code, label: level.label, passing: level.passing };
  }
  return { code: null, label: framework.failLabel, passing: false };
}

/**
 * Field errors for answers, in Vietnamese. A draft may leave criteria unanswered; a submitted
 * assessment may not. Derived criteria must not be typed.
 */
export function answerProblems(
  framework: FrameworkDefinition,
  answers: Answers,
  options: { final: boolean },
): FieldError[] {
  const problems: FieldError[] = [];
  const byCode = new Map(allCriteria(framework).map((c) => [c.code, c]));
  for (const code of Object.keys(answers)) {
    if (!byCode.has(code))
      problems.push({ field: `answers.${code}`, message: `Không có tiêu chí ${code} trong bộ tiêu chí.` });
  }
  for (const criterion of byCode.values()) {
    const field = `answers.${criterion.code}`;
    const value = answers[criterion.code];
    if (criterion.derivedFrom) {
      if (value !== undefined && value !== null)
        problems.push({ field, message: "Tiêu chí này được tính tự động từ dữ liệu, không nhập tay." });
      continue;
    }
    if (value === undefined || value === null) {
      if (options.final)
        problems.push({
          field,
          message: criterion.mandatory ? "Tiêu chí bắt buộc: cần chấm điểm." : "Cần chấm điểm tiêu chí này.",
        });
      continue;
    }
    const message = valueProblem(criterion, value);
    if (message) problems.push({ field, message });
  }
  return problems;
}

function valueProblem(criterion: Criterion, value: number | boolean): string | null {
  switch (criterion.input.kind) {
    case "yes_no":
      return typeof value === "boolean" ? null : "Chọn Đạt hoặc Không đạt.";
    case "points":
      if (typeof value !== "number" || !Number.isFinite(value)) return "Phải là số điểm.";
      if (!Number.isInteger(value)) return "Điểm phải là số nguyên.";
      if (value < 0) return "Điểm không được âm.";
      if (value > criterion.maxPoints) return `Điểm tối đa của tiêu chí này là ${criterion.maxPoints}.`;
      return null;
    case "count":
      if (typeof value !== "number" || !Number.isInteger(value)) return "Phải là số nguyên.";
      return value < 0 ? "Số lượng không được âm." : null;
    case "percentage":
      if (typeof value !== "number" || !Number.isFinite(value)) return "Phải là tỷ lệ phần trăm.";
      return value < 0 || value > 100 ? "Tỷ lệ phải từ 0 đến 100%." : null;
  }
}

/**
 * Answers earning every criterion's maximum, and the derived values that go with them: the
 * generator's assessments, the benchmark's saves, the default frameworks' tests.
 */
export function fullMarks(framework: FrameworkDefinition): { answers: Answers; derived: DerivedValues } {
  const answers: Answers = {};
  const derived: DerivedValues = {};
  for (const c of allCriteria(framework)) {
    const top = c.input.kind === "count" || c.input.kind === "percentage" ? c.input.steps.at(-1)?.atLeast : 0;
    if (c.derivedFrom) derived[c.derivedFrom] = c.input.kind === "percentage" ? 100 : (top ?? 0);
    else if (c.input.kind === "points") answers[c.code] = c.maxPoints;
    else if (c.input.kind === "yes_no") answers[c.code] = true;
    else answers[c.code] = c.input.kind === "percentage" ? 100 : (top ?? 0);
  }
  return { answers, derived };
}
