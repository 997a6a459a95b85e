/**
 * Org-unit kinds and the rules of the tree. Pure: no I/O.
 *
 * The tree has any depth: nation → province → (optional cụm / old district kept as a reporting
 * group) → commune → village; agencies, schools, enterprises, commune bodies and the community
 * learning centre are nodes too. Provinces and communes come from the official lists; users
 * create everything below or beside them.
 */

export const ORG_UNIT_KINDS = [
  "nation",
  "province",
  "cluster",
  "district",
  "commune",
  "village",
  "agency",
  "school",
  "enterprise",
  "commune_body",
  "learning_centre",
] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** Kinds that only come from the official administrative-unit lists. */
export const OFFICIAL_KINDS: ReadonlySet<OrgUnitKind> = new Set([
  "nation",
  "province",
  "district",
  "commune",
]);

const ALLOWED_CHILDREN: Record<OrgUnitKind, readonly OrgUnitKind[]> = {
  nation: ["province", "agency"],
  province: ["cluster", "district", "commune", "agency", "school", "enterprise"],
  cluster: ["commune", "agency", "school", "enterprise"],
  // Pre-2025 districts exist only as history (the 2025 reform abolished the level): formed by
  // an administrator from their old communes (capabilities/org-units/historical-districts.ts).
  district: ["commune"],
  commune: ["village", "agency", "school", "enterprise", "commune_body", "learning_centre"],
  village: [],
  agency: [],
  school: [],
  enterprise: [],
  commune_body: [],
  learning_centre: [],
};

/** Kinds a user may create under a parent of kind `parent` (official kinds are never created by hand). */
export function creatableChildKinds(parent: OrgUnitKind): OrgUnitKind[] {
  return ALLOWED_CHILDREN[parent].filter((k) => !OFFICIAL_KINDS.has(k));
}

export function isAllowedChild(parent: OrgUnitKind, child: OrgUnitKind): boolean {
  return ALLOWED_CHILDREN[parent].includes(child);
}

/** Only one community learning centre (TTHTCĐ) per commune. */
export const SINGLETON_CHILD_KINDS: ReadonlySet<OrgUnitKind> = new Set(["learning_centre"]);

export const KIND_LABELS_VI: Record<OrgUnitKind, string> = {
  nation: "Toàn quốc",
  province: "Tỉnh/Thành phố",
  cluster: "Cụm/Nhóm báo cáo",
  district: "Huyện/Quận (trước 2025)",
  commune: "Xã/Phường/Đặc khu",
  village: "Thôn/Bản/Ấp/Tổ dân phố",
  agency: "Cơ quan",
  school: "Trường học",
  enterprise: "Doanh nghiệp",
  commune_body: "Tổ chức cấp xã",
  learning_centre: "Trung tâm học tập cộng đồng",
};

/** The day the two-level local government took effect (Nghị quyết 202/2025/QH15). */
export const REFORM_2025_EFFECTIVE = "2025-07-01";
/** Last day the pre-2025 provinces and communes existed. */
export const REFORM_2025_LAST_DAY_OF_OLD = "2025-06-30";

/** A unit is current on `date` (YYYY-MM-DD) when that date lies within [valid_from, valid_to]. */
export function isValidOn(
  unit: { valid_from: string | null; valid_to: string | null },
  date: string,
): boolean {
  return (
    (unit.valid_from === null || unit.valid_from <= date) && (unit.valid_to === null || unit.valid_to >= date)
  );
}

/** Path of a child under `parentPath` once its id is known. */
export function childPath(parentPath: string, id: number): string {
  return `${parentPath}${id}/`;
}

/** Ids of the ancestors (root first) and the unit itself, read back from a path. */
export function pathIds(path: string): number[] {
  return path
    .split("/")
    .filter((s) => s.length > 0)
    .map(Number);
}

/**
 * What an org unit counts as in the learning-model statistics (the denominators): villages for
 * CĐHT thôn, units for ĐVHT, communes for CĐHT cấp xã; null for the rest.
 */
export function learningSubjectKind(kind: OrgUnitKind): "village" | "unit" | "commune" | null {
  switch (kind) {
    case "village":
      return "village";
    case "agency":
    case "school":
    case "enterprise":
    case "commune_body":
      return "unit";
    case "commune":
      return "commune";
    default:
      return null;
  }
}
