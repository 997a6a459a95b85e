/**
 * Importing targets (chỉ tiêu) into a province or a commune: one row per unit, template,
 * indicator and period — the unit (its official code or its name, the imported unit itself or a
 * unit under it), the template (code or name), the indicator (code or label, any indicator of the
 * template: a target may be set on a figure computed from the records), the period, the value.
 *
 * Natural key: (unit, template, indicator, period), the key of `report_targets`. The same value
 * again is unchanged; another value updates. Writes go through the reports service's own
 * target-setting path (`setTargetsIn`: the action `target.manage` on the unit, the template's
 * newest version, the period checked against it, the value checks of `targetProblems`, one audit
 * entry "report.targets_set" per unit, template and period with the targets before and after).
 */
import { sql, type Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { parseVietnameseNumber } from "../../domain/import/cells.ts";
import type { SheetSpec } from "../../domain/import/columns.ts";
import { isValidOn } from "../../domain/org-units.ts";
import { periodCode } from "../../domain/periods.ts";
import type { Indicator, ReportTemplate } from "../../domain/reporting/template.ts";
import { foldForSearch, vietnameseSortKey } from "../../domain/text.ts";
import { AppError } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { periodFor, setTargetsIn, targetProblems } from "../reports/service.ts";
import { listTemplates } from "../reports/templates.ts";
import type { ImportKind, ImportRow } from "./kind.ts";
import { findIndicator, findTemplate, periodCodeOf } from "./report-figures.ts";

export const TARGETS_SHEET: SheetSpec = {
  name: "Chỉ tiêu",
  columns: [
    {
      key: "unit",
      header: "Đơn vị",
      type: "lookup",
      max: 200,
      required: true,
      help: "Đơn vị được giao chỉ tiêu: mã đơn vị hành chính (ví dụ 05587) hoặc tên (ví dụ Xã Bình Yên), là đơn vị đang nhập hoặc đơn vị trực thuộc.",
      example: "Xã Bình Yên",
      aliases: ["Mã đơn vị", "Tên đơn vị", "Xã/Phường", "Đơn vị được giao", "Mã xã"],
    },
    {
      key: "template",
      header: "Biểu mẫu",
      type: "lookup",
      max: 300,
      required: true,
      help: "Mã biểu mẫu báo cáo (chọn trong danh sách) hoặc tên biểu mẫu.",
      example: "association-annual",
      aliases: ["Mã biểu mẫu", "Tên biểu mẫu", "Mẫu báo cáo"],
    },
    {
      key: "indicator",
      header: "Chỉ số",
      type: "lookup",
      max: 300,
      required: true,
      help: "Mã chỉ số (ví dụ members) hoặc tên chỉ số như trong biểu mẫu.",
      example: "members",
      aliases: ["Mã chỉ số", "Tên chỉ số", "Nội dung", "Nội dung chỉ tiêu"],
    },
    {
      key: "period",
      header: "Kỳ báo cáo",
      type: "text",
      max: 60,
      required: true,
      help: "Mã kỳ (2026, 2026-Q1, RY2026-11, GD2026-2030…) hoặc viết như trong báo cáo: Năm 2026, Quý I/2026, Giai đoạn 2026-2030.",
      example: "RY2026-11",
      aliases: ["Kỳ", "Mã kỳ", "Năm", "Giai đoạn", "Kỳ chỉ tiêu"],
    },
    {
      key: "value",
      header: "Chỉ tiêu",
      type: "text",
      max: 40,
      required: true,
      help: "Mức chỉ tiêu giao, số không âm (1.200; tỷ lệ 85,5).",
      example: 1300,
      aliases: ["Giá trị chỉ tiêu", "Mức chỉ tiêu", "Giá trị", "Kế hoạch", "Chỉ tiêu giao"],
    },
  ],
};

interface TargetUnit {
  id: number;
  name: string;
  code: string | null;
  kind: string;
  path: string;
  current: boolean;
}

interface TargetsContext {
  principal: Principal;
  unit: OrgUnitRow;
  templates: ReportTemplate[];
  /** Current units to offer in the drop-down: the unit and those below that fill a template. */
  unitNames: string[];
  /** In-file keys (unit, template, indicator, period) → the row that had it first. */
  seen: Map<string, number>;
}

interface TargetPlan {
  unitId: number;
  template: string;
  period: string;
  indicator: string;
  value: number;
}

/** A unit's name without its kind in front ("Xã Bình Yên" → "binh yen"), folded. */
const UNIT_PREFIX = /^(xa|phuong|thi tran|dac khu|tinh|thanh pho|huyen|quan|thi xa)\s+/u;
const UNIT_PREFIX_SQL = "^(xa|phuong|thi tran|dac khu|tinh|thanh pho|huyen|quan|thi xa) +";
const bareName = (name: string) => foldForSearch(name).replace(UNIT_PREFIX, "");

/** The units of the batch's rows: by official code or name (with or without "Xã"…), in the imported unit's subtree. */
async function unitsOf(tx: Transaction<DB>, ctx: TargetsContext, rows: ImportRow[]) {
  const texts = [...new Set(rows.map((r) => String(r.values.unit).trim()))];
  const bare = [...new Set(texts.map(bareName))];
  const found = await sql<{
    id: number;
    name: string;
    code: string | null;
    kind: string;
    path: string;
    search_key: string;
    valid_from: string | null;
    valid_to: string | null;
  }>`
    select id, name, code, kind, path, search_key, valid_from, valid_to from org_units
    where path like ${`${ctx.unit.path}%`}
      and (code = any(${texts}::text[])
        or regexp_replace(search_key, ${UNIT_PREFIX_SQL}, '') = any(${bare}::text[]))`.execute(tx);
  const today = todayInVietnam();
  return found.rows.map((u) => ({
    id: Number(u.id),
    name: u.name,
    code: u.code,
    kind: u.kind,
    path: u.path,
    searchKey: u.search_key,
    current: isValidOn(u, today),
  }));
}

export const targetsImport: ImportKind<TargetsContext> = {
  code: "targets",
  title: "Chỉ tiêu",
  description:
    "Chỉ tiêu giao cho đơn vị và các đơn vị trực thuộc theo biểu mẫu báo cáo, chỉ số và kỳ (mỗi dòng một chỉ tiêu). Nhập lại cùng một tệp không thay đổi gì; chỉ tiêu đã có mà khác giá trị thì được cập nhật (có ghi nhật ký).",
  action: "target.manage",
  sheets: [TARGETS_SHEET],

  unitProblem(unit) {
    if (unit.kind !== "province" && unit.kind !== "commune")
      return "Chỉ nhập chỉ tiêu vào một tỉnh/thành phố hoặc một xã/phường.";
    return null;
  },

  async prepare(tx, principal, unit) {
    authorize(principal, "target.manage", unit.path);
    const templates = (await listTemplates(tx)).map((t) => t.template);
    const kinds = [...new Set(templates.flatMap((t) => t.unitKinds))];
    const today = todayInVietnam();
    const below = await tx
      .selectFrom("org_units")
      .select(["name", "kind", "valid_from", "valid_to", "sort_key"])
      .where("path", "like", `${unit.path}%`)
      .where("kind", "in", kinds)
      .execute();
    const unitNames = below
      .filter((u) => isValidOn(u, today))
      .sort((a, b) => (a.sort_key < b.sort_key ? -1 : a.sort_key > b.sort_key ? 1 : 0))
      .map((u) => u.name);
    return { principal, unit, templates, unitNames: [...new Set(unitNames)], seen: new Map() };
  },

  choices(ctx) {
    const labels = new Set<string>();
    for (const t of ctx.templates) for (const i of t.indicators) labels.add(i.label);
    return {
      unit: ctx.unitNames,
      template: ctx.templates.map((t) => t.code),
      indicator: [...labels].sort((a, b) => vietnameseSortKey(a).localeCompare(vietnameseSortKey(b))),
    };
  },

  async check(tx, ctx, _sheet, rows) {
    const units = await unitsOf(tx, ctx, rows);
    const planned: ImportRow[] = [];
    for (const row of rows) {
      // The unit: by its code first, else by its name; a current unit before a past one.
      const text = String(row.values.unit).trim();
      let matches: TargetUnit[] = units.filter((u) => u.code === text);
      if (matches.length === 0) matches = units.filter((u) => u.searchKey === foldForSearch(text));
      if (matches.length === 0) matches = units.filter((u) => bareName(u.name) === bareName(text));
      if (matches.length > 1 && matches.some((u) => u.current)) matches = matches.filter((u) => u.current);
      if (matches.length !== 1) {
        row.problems.push({
          column: "unit",
          message:
            matches.length === 0
              ? `Không có đơn vị “${text}” thuộc ${ctx.unit.name}.`
              : `Có ${matches.length} đơn vị “${text}” thuộc ${ctx.unit.name}: hãy ghi mã đơn vị.`,
        });
      }
      const unit = matches.length === 1 ? (matches[0] as TargetUnit) : null;

      const template = findTemplate(ctx, String(row.values.template));
      if (!template) {
        row.problems.push({
          column: "template",
          message: `Không có biểu mẫu “${row.values.template}”. Các biểu mẫu: ${ctx.templates.map((t) => t.code).join(", ")}.`,
        });
        continue;
      }
      let period: string | null = null;
      try {
        period = periodCode(periodFor(template, periodCodeOf(String(row.values.period), template)));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        row.problems.push({ column: "period", message: error.errors?.[0]?.message ?? error.message });
      }
      const found = findIndicator(template, String(row.values.indicator));
      if (found.length !== 1) {
        row.problems.push({
          column: "indicator",
          message:
            found.length === 0
              ? `Biểu mẫu «${template.name}» không có chỉ số “${row.values.indicator}”.`
              : `Có ${found.length} chỉ số tên “${row.values.indicator}” trong biểu mẫu: hãy ghi mã chỉ số (${found.map((i) => i.id).join(", ")}).`,
        });
      }
      const parsed = parseVietnameseNumber(String(row.values.value).replace(/\s*%$/u, ""));
      if (!parsed.ok) row.problems.push({ column: "value", message: parsed.message });
      const indicator = found.length === 1 ? (found[0] as Indicator) : null;
      if (!unit || !indicator || period === null || !parsed.ok || parsed.value === null) continue;
      // The service's own checks of the value.
      for (const p of targetProblems(template, { [indicator.id]: parsed.value }))
        row.problems.push({ column: "value", message: p.message });
      if (row.problems.length > 0) continue;
      const key = `${unit.id}|${template.code}|${indicator.id}|${period}`;
      const first = ctx.seen.get(key);
      if (first !== undefined) {
        row.problems.push({
          column: "indicator",
          message: `Chỉ tiêu «${indicator.label}» của ${unit.name} kỳ ${period} đã có ở dòng ${first} của tệp.`,
        });
        continue;
      }
      ctx.seen.set(key, row.number);
      row.plan = {
        unitId: unit.id,
        template: template.code,
        period,
        indicator: indicator.id,
        value: parsed.value,
      } satisfies TargetPlan;
      planned.push(row);
    }
    if (planned.length === 0) return;
    const plans = planned.map((r) => r.plan as TargetPlan);
    const existing = await tx
      .selectFrom("report_targets")
      .select(["org_unit_id", "template_code", "indicator", "period", "value"])
      .where(
        "org_unit_id",
        "in",
        plans.map((p) => p.unitId),
      )
      .where(
        "template_code",
        "in",
        plans.map((p) => p.template),
      )
      .execute();
    const stored = new Map(
      existing.map((e) => [
        `${e.org_unit_id}|${e.template_code}|${e.indicator}|${e.period}`,
        Number(e.value),
      ]),
    );
    for (const row of planned) {
      const p = row.plan as TargetPlan;
      const before = stored.get(`${p.unitId}|${p.template}|${p.indicator}|${p.period}`);
      row.outcome = before === undefined ? "new" : before === p.value ? "unchanged" : "update";
    }
  },

  async apply(tx, ctx, _sheet, rows, audit) {
    // One call of the service per unit, template and period (its audit entry covers them).
    const groups = new Map<string, TargetPlan[]>();
    for (const row of rows) {
      const p = row.plan as TargetPlan;
      const key = `${p.unitId}|${p.template}|${p.period}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    for (const plans of groups.values()) {
      const first = plans[0] as TargetPlan;
      await setTargetsIn(
        tx,
        ctx.principal,
        { template: first.template, unitId: first.unitId, period: first.period },
        Object.fromEntries(plans.map((p) => [p.indicator, p.value])),
        audit,
      );
    }
  },
};
