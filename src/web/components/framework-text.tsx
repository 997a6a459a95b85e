/**
 * How a criteria framework reads in plain words: scope, years, status, how a criterion is
 * scored, what a rating needs, and which field a problem concerns. Shared by the list, the
 * read-only view, the editor and the live preview.
 */

import { formatDecimal } from "../../domain/format.ts";
import type {
  Criterion,
  DerivedSource,
  FrameworkDefinition,
  Model,
  RatingLevel,
} from "../../domain/learning-models/framework.ts";
import { type MessageKey, type Translate, useT } from "../i18n/index.tsx";
import type { FrameworkSummary } from "../types.ts";

export type Path = readonly (string | number)[];

/** "groups.0.criteria.1.maxPoints", the key of field errors (the API's field without "definition."). */
export function pathKey(path: Path): string {
  return path.join(".");
}

/** The id of the input editing `path`, so a problem in the list can move the focus to it. */
export function pathId(path: Path): string {
  return `fw-${path.join("-")}`;
}

export function modelLabel(model: Model, t: Translate): string {
  return t(`frameworks.model.${model}`);
}

export function derivedLabel(source: DerivedSource, t: Translate): string {
  return t(`frameworks.derived.${source}`);
}

export function scopeLabel(province: FrameworkSummary["province"], t: Translate): string {
  return province ? province.name : t("frameworks.national");
}

export function yearsLabel(from: number, to: number | null, t: Translate): string {
  return to === null ? t("frameworks.yearsFrom", { from }) : t("frameworks.yearsRange", { from, to });
}

/** 80 → "80", 12.5 → "12,5". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "—";
  return Number.isInteger(value) ? formatDecimal(value, 0) : formatDecimal(value, 2).replace(/,?0+$/, "");
}

export function StatusBadge({ status }: { status: FrameworkSummary["status"] }) {
  const t = useT();
  const className =
    status === "published" ? "badge badge-ok" : status === "draft" ? "badge fw-badge-draft" : "badge";
  return <span className={className}>{t(`frameworks.status.${status}`)}</span>;
}

export function ProvisionalBadge() {
  const t = useT();
  return <span className="badge fw-badge-warn">{t("frameworks.provisional")}</span>;
}

/** "Chấm điểm 0–10", "Đạt – Không đạt", "Tỷ lệ % theo mức: từ 50% → 5 điểm; từ 80% → 10 điểm". */
export function inputDescription(criterion: Criterion, t: Translate): string {
  const input = criterion.input;
  switch (input.kind) {
    case "points":
      return t("frameworks.scoring.points", { max: criterion.maxPoints });
    case "yes_no":
      return t("frameworks.scoring.yesNo", { max: criterion.maxPoints });
    case "count": {
      const unit = input.unit ? ` ${input.unit}` : "";
      const steps = input.steps
        .map((s) =>
          t("frameworks.scoring.step", { from: `${formatNumber(s.atLeast)}${unit}`, points: s.points }),
        )
        .join("; ");
      return `${t("frameworks.kind.count")}: ${steps}`;
    }
    case "percentage": {
      const steps = input.steps
        .map((s) => t("frameworks.scoring.step", { from: `${formatNumber(s.atLeast)}%`, points: s.points }))
        .join("; ");
      return `${t("frameworks.kind.percentage")}: ${steps}`;
    }
  }
}

/** "Đạt: từ 80 điểm; mỗi nhóm ≥ 50%; đạt đủ điểm các tiêu chí bắt buộc". */
export function ratingRule(rating: RatingLevel, definition: FrameworkDefinition, t: Translate): string {
  const parts = [t("frameworks.rule.minTotal", { points: formatNumber(rating.minTotal) })];
  if (rating.minEachGroupPercent !== undefined)
    parts.push(t("frameworks.rule.eachGroup", { percent: formatNumber(rating.minEachGroupPercent) }));
  if (rating.passing) {
    if (definition.groups.some((g) => g.criteria.some((c) => c.mandatory)))
      parts.push(t("frameworks.rule.mandatory"));
    if (definition.groups.some((g) => g.minPoints !== undefined))
      parts.push(t("frameworks.rule.groupMinimum"));
  } else {
    parts.push(t("frameworks.rule.notPassing"));
  }
  return `${rating.label}: ${parts.join("; ")}`;
}

const LEGAL_FIELDS: Record<string, MessageKey> = {
  documentNumber: "frameworks.legal.documentNumber",
  documentDate: "frameworks.legal.documentDate",
  issuer: "frameworks.legal.issuer",
  title: "frameworks.legal.title",
  sources: "frameworks.legal.sources",
  unknowns: "frameworks.legal.unknowns",
  notes: "frameworks.legal.notes",
};

const ITEM_FIELDS: Record<string, MessageKey> = {
  code: "frameworks.field.code",
  title: "frameworks.field.groupTitle",
  text: "frameworks.field.text",
  maxPoints: "frameworks.field.maxPoints",
  minPoints: "frameworks.field.minPoints",
  input: "frameworks.field.kind",
  unit: "frameworks.field.unit",
  mandatory: "frameworks.field.mandatory",
  derivedFrom: "frameworks.field.derivedFrom",
  guidance: "frameworks.field.guidance",
  label: "frameworks.field.ratingLabel",
  minTotal: "frameworks.field.minTotal",
  minEachGroupPercent: "frameworks.field.minEachGroupPercent",
  passing: "frameworks.field.passing",
  steps: "frameworks.field.steps",
  criteria: "frameworks.field.criteria",
};

const TOP_FIELDS: Record<string, MessageKey> = {
  title: "frameworks.field.title",
  effectiveFromYear: "frameworks.field.fromYear",
  effectiveToYear: "frameworks.field.toYear",
  failLabel: "frameworks.field.failLabel",
  groups: "frameworks.editor.groups",
  ratings: "frameworks.editor.ratings",
  model: "frameworks.field.model",
  scope: "frameworks.field.scope",
  citizenGroup: "frameworks.field.citizenGroup",
  legalBasis: "frameworks.legal.heading",
};

/** Where a problem is, in words: "Nhóm 1 › Tiêu chí 1.2 › Điểm tối đa". */
export function fieldLabel(definition: FrameworkDefinition, path: Path, t: Translate): string {
  const [head, ...rest] = path;
  const parts: string[] = [];
  if (head === "groups" && typeof rest[0] === "number") {
    const gi = rest[0];
    const group = definition.groups[gi];
    parts.push(t("frameworks.editor.groupLegend", { code: group?.code || String(gi + 1) }));
    if (rest[1] === "criteria" && typeof rest[2] === "number") {
      const ci = rest[2];
      const criterion = group?.criteria[ci];
      parts.push(t("frameworks.editor.criterionLegend", { code: criterion?.code || String(ci + 1) }));
      parts.push(...itemParts(rest.slice(3), t));
    } else {
      parts.push(...itemParts(rest.slice(1), t));
    }
  } else if (head === "ratings" && typeof rest[0] === "number") {
    parts.push(t("frameworks.editor.ratingLegend", { index: rest[0] + 1 }));
    parts.push(...itemParts(rest.slice(1), t));
  } else if (head === "legalBasis") {
    parts.push(t("frameworks.legal.heading"));
    const key = rest[0];
    if (typeof key === "string" && LEGAL_FIELDS[key]) parts.push(t(LEGAL_FIELDS[key]));
    if (typeof rest[1] === "number") parts.push(String(rest[1] + 1));
  } else if (typeof head === "string" && TOP_FIELDS[head]) {
    parts.push(t(TOP_FIELDS[head]));
  } else if (path.length > 0) {
    parts.push(path.join("."));
  }
  return parts.join(" › ");
}

function itemParts(rest: Path, t: Translate): string[] {
  const parts: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i];
    if (key === "input") continue;
    if (key === "steps" && typeof rest[i + 1] === "number") {
      parts.push(t("frameworks.editor.stepLegend", { index: Number(rest[i + 1]) + 1 }));
      break;
    }
    if (typeof key === "string" && ITEM_FIELDS[key]) parts.push(t(ITEM_FIELDS[key]));
  }
  if (parts.length === 0 && rest[0] === "input") parts.push(t("frameworks.field.kind"));
  return parts;
}
