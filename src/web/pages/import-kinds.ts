/**
 * What the web app knows of each import kind beyond what `GET /api/v1/imports/kinds` says (its
 * title, description and columns): the action a user needs to import it, the units that take it,
 * where its records are seen, and how its rows are counted in words. The unit kinds and actions
 * mirror each kind's `unitProblem` and `action` in src/capabilities/imports/*.ts; the server still
 * decides (a refused unit comes back as a message beside the upload), so a kind the app does not
 * know yet is simply offered everywhere.
 */
import type { OrgUnitKind } from "../../domain/org-units.ts";
import type { MessageKey } from "../i18n/index.tsx";
import type { CurrentUser, OrgUnitDetail } from "../types.ts";

type Action = CurrentUser["permissions"][number];

/** One kind as `GET /api/v1/imports/kinds` lists it. */
export interface ImportKindView {
  code: string;
  title: string;
  description: string;
  sheets: { name: string; columns: { header: string; required: boolean; help: string }[] }[];
}

export interface KindRule {
  /** The write the kind makes (besides `data.import`). */
  action: Action;
  /** The unit kinds the server takes; null: any (the server may still refuse, e.g. a unit with no fund). */
  unitKinds: readonly OrgUnitKind[] | null;
  /** Only a unit that exists today (not a historical one). */
  currentOnly: boolean;
  /** Where the imported records are seen. */
  listPath: (unit: OrgUnitDetail) => string;
  /** The name of that page ("Danh sách hộ gia đình"). */
  list: MessageKey;
  /** Which units take the kind, said when this one does not. */
  where: MessageKey;
}

const unitPage = (u: OrgUnitDetail) => `/org-units/${u.id}`;

/** The kinds in the order an officer meets them: the units and lists first, then figures. */
export const KIND_RULES: Record<string, KindRule> = {
  units: {
    action: "org_unit.create",
    unitKinds: ["commune"],
    currentOnly: true,
    listPath: unitPage,
    list: "import.list.units",
    where: "import.where.units",
  },
  households: {
    action: "registry.write",
    unitKinds: ["commune", "village"],
    currentOnly: true,
    listPath: (u) => `/org-units/${u.id}/households`,
    list: "import.list.households",
    where: "import.where.households",
  },
  clans: {
    action: "registry.write",
    unitKinds: ["commune"],
    currentOnly: true,
    listPath: (u) => `/org-units/${u.id}/clans`,
    list: "import.list.clans",
    where: "import.where.clans",
  },
  citizens: {
    action: "registry.write",
    unitKinds: ["commune", "agency", "school", "enterprise", "commune_body"],
    currentOnly: true,
    listPath: (u) => `/org-units/${u.id}/citizens`,
    list: "import.list.citizens",
    where: "import.where.citizens",
  },
  evaluations: {
    action: "evaluation.write",
    unitKinds: ["commune"],
    currentOnly: false,
    listPath: (u) => `/org-units/${u.id}/evaluations`,
    list: "import.list.evaluations",
    where: "import.where.evaluations",
  },
  "centre-activities": {
    action: "centre.write",
    unitKinds: ["commune", "learning_centre"],
    currentOnly: false,
    // The centre's page is its commune's.
    listPath: (u) =>
      `/org-units/${u.kind === "learning_centre" ? (u.ancestors.at(-1)?.id ?? u.id) : u.id}/centre`,
    list: "import.list.centre-activities",
    where: "import.where.centre-activities",
  },
  literacy: {
    action: "literacy.write",
    unitKinds: ["province", "district", "cluster", "commune"],
    currentOnly: false,
    listPath: (u) => `/org-units/${u.id}/literacy`,
    list: "import.list.literacy",
    where: "import.where.literacy",
  },
  "fund-entries": {
    action: "fund.write",
    unitKinds: null,
    currentOnly: false,
    listPath: (u) => `/org-units/${u.id}/funds`,
    list: "import.list.fund-entries",
    where: "import.where.fund-entries",
  },
  "report-figures": {
    action: "report.write",
    unitKinds: null,
    currentOnly: false,
    listPath: (u) => `/org-units/${u.id}/reports`,
    list: "import.list.report-figures",
    where: "import.where.report-figures",
  },
  targets: {
    action: "target.manage",
    unitKinds: ["province", "commune"],
    currentOnly: false,
    listPath: (u) => `/org-units/${u.id}/reports`,
    list: "import.list.targets",
    where: "import.where.targets",
  },
};

/** The position of a kind in the index (known kinds first, in KIND_RULES' order). */
export function kindOrder(code: string): number {
  const i = Object.keys(KIND_RULES).indexOf(code);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** Whether `unit` takes the kind at all (whoever asks). */
export function unitTakes(code: string, unit: Pick<OrgUnitDetail, "kind" | "current">): boolean {
  const rule = KIND_RULES[code];
  if (!rule) return true;
  if (rule.currentOnly && !unit.current) return false;
  return rule.unitKinds === null || rule.unitKinds.includes(unit.kind);
}

/** Whether the user may write what the kind writes (on top of `data.import`). */
export function mayWrite(code: string, can: (action: Action) => boolean): boolean {
  const rule = KIND_RULES[code];
  return rule ? can(rule.action) : true;
}

/**
 * Households keep the words they were first shown with ("thêm mới", "hộ nghi trùng"); every
 * other kind counts rows ("dòng mới", "dòng cập nhật").
 */
const HOUSEHOLD_WORDING: Partial<Record<MessageKey, MessageKey>> = {
  "import.step1.text": "import.households.step1.text",
  "import.summary.new": "import.households.summary.new",
  "import.summary.updated": "import.households.summary.updated",
  "import.summary.unchanged": "import.households.summary.unchanged",
  "import.summary.suspected": "import.households.summary.suspected",
  "import.includeSuspected": "import.households.includeSuspected",
  "import.suspectedHint": "import.households.suspectedHint",
  "import.nothingNew": "import.households.nothingNew",
  "import.done.nothing": "import.households.done.nothing",
};

/** The message a kind says `key` with. */
export function wording(kind: string, key: MessageKey): MessageKey {
  return kind === "households" ? (HOUSEHOLD_WORDING[key] ?? key) : key;
}

/** "Thu, chi quỹ khuyến học" → "thu, chi quỹ khuyến học"; an abbreviation ("TTHTCĐ") stays. */
export function lowerFirst(text: string): string {
  const [first = "", second = ""] = [...text];
  if (second && second === second.toLocaleUpperCase("vi") && second !== second.toLocaleLowerCase("vi"))
    return text;
  return first.toLocaleLowerCase("vi") + text.slice(first.length);
}
