/**
 * Inspections (kiểm tra) by the Study Promotion Association: a plan ("Kế hoạch số 37/KH-HKH
 * ngày 25/10/2024") lists the units to inspect, grouped in clusters (cụm điểm), each with a
 * category (commune Association, school Association by school level, …) and, once inspected,
 * a result (rating, findings, recommendations). Pure: no I/O.
 *
 * Counting: a plan counts in the calendar year of its issue date, at the inspecting unit (and,
 * by the service, its ancestors): `plans`, `targets`, `targets:<category>`,
 * `targets:school:<level>`, `inspected`, `rating:<r>`.
 */
import { CENTRE_RATINGS, type CentreRating } from "../centres/categories.ts";

export const TARGET_CATEGORIES = [
  "commune_association",
  "school_association",
  "agency",
  "clan",
  "other",
] as const;
export type TargetCategory = (typeof TARGET_CATEGORIES)[number];

export const TARGET_CATEGORY_LABELS: Record<TargetCategory, string> = {
  commune_association: "Hội Khuyến học xã, phường",
  school_association: "Hội Khuyến học trường học",
  agency: "Ban khuyến học cơ quan, đơn vị",
  clan: "Dòng họ khuyến học",
  other: "Khác",
};

export const SCHOOL_LEVELS = ["mam_non", "tieu_hoc", "thcs", "thpt", "lien_cap"] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];
export const SCHOOL_LEVEL_LABELS: Record<SchoolLevel, string> = {
  mam_non: "Mầm non",
  tieu_hoc: "Tiểu học",
  thcs: "THCS",
  thpt: "THPT",
  lien_cap: "Liên cấp",
};

/** The ratings of an inspected unit: the same four grades as everywhere in the programme. */
export const INSPECTION_RATINGS = CENTRE_RATINGS;
export type InspectionRating = CentreRating;

export const TEAM_ROLES = ["head", "member"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** Kinds of unit that inspect the units below them. */
export const INSPECTING_KINDS = ["province", "cluster", "district", "commune"] as const;

/** The category a target unit gets unless the officer chooses another. */
export function defaultCategoryFor(kind: string): TargetCategory {
  switch (kind) {
    case "commune":
      return "commune_association";
    case "school":
      return "school_association";
    case "agency":
    case "enterprise":
    case "commune_body":
    case "learning_centre":
      return "agency";
    default:
      return "other";
  }
}

/** Categories that name a kind of unit: the target must be a unit of that kind. */
const CATEGORY_KINDS: Partial<Record<TargetCategory, readonly string[]>> = {
  commune_association: ["commune"],
  school_association: ["school"],
};

export interface Problem {
  field: string;
  message: string;
}

export interface PlanInput {
  issuedOn: string;
  fromDate: string;
  toDate: string;
  team: readonly { role: string }[];
}

export interface TargetInput {
  orgUnitId: number;
  category: string;
  schoolLevel: string | null;
  scheduledOn: string | null;
}

/** The checks across a plan's own fields (dates, team), every problem at once. */
export function planProblems(p: PlanInput): Problem[] {
  const out: Problem[] = [];
  if (p.toDate < p.fromDate) {
    out.push({ field: "toDate", message: "Ngày kết thúc kiểm tra không được trước ngày bắt đầu." });
  }
  if (p.fromDate < p.issuedOn) {
    out.push({
      field: "fromDate",
      message: "Ngày bắt đầu kiểm tra không được trước ngày ban hành kế hoạch.",
    });
  }
  if (p.team.filter((m) => m.role === "head").length > 1) {
    out.push({ field: "team", message: "Đoàn kiểm tra chỉ có một trưởng đoàn." });
  }
  return out;
}

/** The checks of a plan's list of targets against the plan (no unit needed), every problem at once. */
export function targetProblems(plan: { fromDate: string; toDate: string }, targets: readonly TargetInput[]) {
  const out: Problem[] = [];
  const seen = new Set<number>();
  targets.forEach((t, i) => {
    if (seen.has(t.orgUnitId)) {
      out.push({
        field: `targets.${i}.orgUnitId`,
        message: "Một đơn vị chỉ có mặt một lần trong kế hoạch.",
      });
    }
    seen.add(t.orgUnitId);
    if (t.category === "school_association" && !t.schoolLevel) {
      out.push({
        field: `targets.${i}.schoolLevel`,
        message: "Chọn cấp học của Hội Khuyến học trường học.",
      });
    }
    if (t.category !== "school_association" && t.schoolLevel) {
      out.push({
        field: `targets.${i}.schoolLevel`,
        message: "Cấp học chỉ dùng cho Hội Khuyến học trường học.",
      });
    }
    if (
      t.scheduledOn &&
      plan.fromDate <= plan.toDate &&
      (t.scheduledOn < plan.fromDate || t.scheduledOn > plan.toDate)
    ) {
      out.push({
        field: `targets.${i}.scheduledOn`,
        message: "Ngày kiểm tra đơn vị phải nằm trong thời gian của kế hoạch.",
      });
    }
  });
  return out;
}

/**
 * The checks of one target against the units (once the service has loaded them): strictly
 * below the inspecting unit, and of the kind its category names.
 */
export function targetUnitProblems(
  i: number,
  inspecting: { path: string; name: string },
  target: { path: string; name: string; kind: string },
  category: string,
): Problem[] {
  const field = `targets.${i}.orgUnitId`;
  if (target.path === inspecting.path) {
    return [{ field, message: `${target.name} là đơn vị lập kế hoạch, không tự kiểm tra chính mình.` }];
  }
  if (!target.path.startsWith(inspecting.path)) {
    return [{ field, message: `${target.name} không trực thuộc ${inspecting.name}.` }];
  }
  const kinds = CATEGORY_KINDS[category as TargetCategory];
  if (kinds && !kinds.includes(target.kind)) {
    return [
      {
        field,
        message:
          category === "school_association"
            ? `${target.name} không phải là trường học: chọn loại đơn vị khác.`
            : `${target.name} không phải là xã, phường: chọn loại đơn vị khác.`,
      },
    ];
  }
  return [];
}

/** A result (kết quả kiểm tra) of one target: not inspected before the plan was issued. */
export function resultProblems(plan: { issuedOn: string }, r: { inspectedOn: string }): Problem[] {
  if (r.inspectedOn < plan.issuedOn) {
    return [{ field: "inspectedOn", message: "Ngày kiểm tra không được trước ngày ban hành kế hoạch." }];
  }
  return [];
}

/** What a plan and its targets contribute to the counters of its year. */
export function planMetrics(
  targets: readonly { category: string; schoolLevel: string | null; rating: string | null }[],
) {
  const m = new Map<string, number>();
  const add = (k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  add("plans");
  m.set("targets", targets.length);
  for (const t of targets) {
    add(`targets:${t.category}`);
    if (t.category === "school_association" && t.schoolLevel) add(`targets:school:${t.schoolLevel}`);
    if (t.rating) {
      add("inspected");
      add(`rating:${t.rating}`);
    }
  }
  return m;
}

/** The period a plan counts in: the calendar year of its issue date. */
export const planPeriod = (issuedOn: string) => issuedOn.slice(0, 4);
