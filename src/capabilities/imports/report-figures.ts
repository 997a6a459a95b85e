/**
 * Importing the typed figures of a unit's periodic reports (số liệu nhập tay của báo cáo định kỳ)
 * from the officer's Excel table: one row per figure — template, period, indicator (its code or
 * its label as the template prints it), value and, optionally, the number of women ("Trong đó
 * nữ", the template's `<indicator>_female`).
 *
 * Natural key: (unit, template, period, indicator). Only typed indicators are imported; one
 * computed from the records (a counter) or by a formula is refused with the service's own
 * message. Each report is saved as a draft through the reports service's save path
 * (`saveReportIn`): the report's other figures, its texts and its number are kept; the value
 * checks and the template's rules (`saveValueProblems`, domain/reporting/validate.ts) are run on
 * the whole report and their messages put beside the row and column that gave the figure; the
 * workflow refuses a submitted or approved report (locked); the save is audited and written to
 * the report's history. The same figures again change nothing.
 */
import type { Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import { parseVietnameseNumber } from "../../domain/import/cells.ts";
import type { CellValue, SheetSpec } from "../../domain/import/columns.ts";
import { parsePeriod } from "../../domain/periods.ts";
import type { Indicator, ReportTemplate } from "../../domain/reporting/template.ts";
import { transition } from "../../domain/reporting/workflow.ts";
import { foldForSearch } from "../../domain/text.ts";
import { AppError } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { openForSave, saveReportIn, saveValueProblems } from "../reports/service.ts";
import { listTemplates } from "../reports/templates.ts";
import type { ImportKind, ImportRow } from "./kind.ts";

export const FIGURES_SHEET: SheetSpec = {
  name: "Số liệu báo cáo",
  columns: [
    {
      key: "template",
      header: "Biểu mẫu",
      type: "lookup",
      max: 300,
      required: true,
      help: "Mã biểu mẫu (chọn trong danh sách) hoặc tên biểu mẫu.",
      example: "association-quarterly",
      aliases: ["Mã biểu mẫu", "Tên biểu mẫu", "Mẫu báo cáo", "Loại báo cáo"],
    },
    {
      key: "period",
      header: "Kỳ báo cáo",
      type: "text",
      max: 60,
      required: true,
      help: "Mã kỳ (2024, 2024-Q1, 2024-H1, RY2024-11, 2024-2025, GD2021-2025) hoặc viết như trong báo cáo: Năm 2024, Quý I/2024, 6 tháng đầu năm 2024, Năm học 2024-2025, Giai đoạn 2021-2025.",
      example: "2024-Q1",
      aliases: ["Kỳ", "Mã kỳ", "Kỳ báo cáo (mã)"],
    },
    {
      key: "indicator",
      header: "Chỉ tiêu",
      type: "lookup",
      max: 300,
      required: true,
      help: "Mã chỉ tiêu (ví dụ members) hoặc tên chỉ tiêu như trong biểu mẫu. Chỉ nhập các chỉ tiêu nhập tay; chỉ tiêu tính từ dữ liệu thì hệ thống tự tính.",
      example: "members",
      aliases: ["Mã chỉ tiêu", "Tên chỉ tiêu", "Chỉ số", "Nội dung"],
    },
    {
      key: "value",
      header: "Giá trị",
      type: "text",
      max: 40,
      required: true,
      help: "Số liệu, viết kiểu Việt Nam (1.200 hoặc 1200; số thập phân 12,5; tiền bằng đồng).",
      example: 1200,
      aliases: ["Số liệu", "Số lượng", "Thực hiện", "Kết quả", "Giá trị (số liệu)"],
    },
    {
      key: "female",
      header: "Trong đó nữ",
      type: "text",
      max: 40,
      required: false,
      help: "Nếu biểu mẫu có chỉ tiêu “trong đó nữ” đi kèm (ví dụ hội viên nữ): số nữ.",
      example: 640,
      aliases: ["Nữ", "Số nữ", "Trong đó: nữ"],
    },
  ],
};

interface FiguresContext {
  principal: Principal;
  unit: OrgUnitRow;
  /** The templates this unit fills (newest versions). */
  templates: ReportTemplate[];
  /** In-file keys (template, period, indicator) → the row that gave it first. */
  seen: Map<string, number>;
  /** Per report key: stored values left out of the save (summed from the units below). */
  dropped: Map<string, Set<string>>;
}

interface FigurePlan {
  key: string;
  q: { template: string; unitId: number; period: string };
  /** Indicator id → value, and the column it came from. */
  entries: { id: string; value: number; column: "value" | "female" }[];
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

/** A period as officers write it → its code ("Quý I/2024" → "2024-Q1"); the code itself passes. */
export function periodCodeOf(text: string, template: ReportTemplate): string {
  const compact = text.trim().toUpperCase().replace(/\s+/gu, "");
  if (parsePeriod(compact).ok) return compact;
  const t = foldForSearch(text).replace(/\s*([/-])\s*/gu, "$1");
  let m = /^(?:nam )?(\d{4})$/u.exec(t);
  if (m) {
    return template.periodKind === "reporting_year" && template.startMonth
      ? `RY${m[1]}-${String(template.startMonth).padStart(2, "0")}`
      : String(m[1]);
  }
  m = /^quy (iv|i{1,3}|[1-4])[/-](?:nam )?(\d{4})$/u.exec(t);
  if (m) return `${m[2]}-Q${ROMAN[m[1] as string] ?? m[1]}`;
  m = /^6 thang (dau|cuoi)(?: nam)? (\d{4})$/u.exec(t);
  if (m) return `${m[2]}-H${m[1] === "dau" ? 1 : 2}`;
  m = /^nam hoc (\d{4})-(\d{4})$/u.exec(t);
  if (m) return `${m[1]}-${m[2]}`;
  m = /^giai doan (\d{4})-(\d{4})$/u.exec(t);
  if (m) return `GD${m[1]}-${m[2]}`;
  return compact;
}

function numberOf(row: ImportRow, column: "value" | "female"): number | null {
  const raw: CellValue = row.values[column] ?? null;
  if (raw === null) return null;
  const parsed = parseVietnameseNumber(String(raw).replace(/\s*%$/u, ""));
  if (!parsed.ok) {
    row.problems.push({ column, message: parsed.message });
    return null;
  }
  return parsed.value;
}

/** A report template named by its code or its title (any case, marks or not). */
export function findTemplate(
  ctx: { templates: readonly ReportTemplate[] },
  name: string,
): ReportTemplate | null {
  const folded = foldForSearch(name);
  return (
    ctx.templates.find((t) => t.code === name.trim().toLowerCase()) ??
    ctx.templates.find((t) => foldForSearch(t.name) === folded) ??
    null
  );
}

/** A template's indicators named by id or label: none, one, or several that share the label. */
export function findIndicator(template: ReportTemplate, text: string): Indicator[] {
  const byId = template.indicators.find((i) => i.id === text.trim());
  if (byId) return [byId];
  const folded = foldForSearch(text);
  return template.indicators.filter((i) => foldForSearch(i.label) === folded);
}

/** The service's hint added to its refusal of a computed indicator. */
function computedHint(ind: Indicator): string {
  return ind.kind === "counter"
    ? " Số liệu này hệ thống tự tính từ các hồ sơ đã ghi (hãy nhập các hồ sơ đó)."
    : ind.kind === "formula"
      ? " Số liệu này được tính theo công thức từ các chỉ tiêu khác."
      : "";
}

export const reportFiguresImport: ImportKind<FiguresContext> = {
  code: "report-figures",
  title: "Số liệu nhập tay của báo cáo định kỳ",
  description:
    "Các số liệu nhập tay của báo cáo định kỳ của đơn vị (mỗi dòng một số liệu: biểu mẫu, kỳ báo cáo, chỉ tiêu, giá trị). Số liệu được lưu vào bản nháp của báo cáo, kiểm tra theo các quy tắc của biểu mẫu; báo cáo đã gửi hoặc đã duyệt không sửa được. Chỉ tiêu tính từ dữ liệu do hệ thống tự tính, không nhập. Nhập lại cùng một tệp không thay đổi gì.",
  action: "report.write",
  sheets: [FIGURES_SHEET],

  unitProblem() {
    return null;
  },

  async prepare(tx, principal, unit) {
    authorize(principal, "report.write", unit.path);
    const templates = (await listTemplates(tx))
      .map((t) => t.template)
      .filter((t) => unit.level === 0 || t.unitKinds.includes(unit.kind));
    return { principal, unit, templates, seen: new Map(), dropped: new Map() };
  },

  choices(ctx) {
    const labels = new Set<string>();
    for (const t of ctx.templates) for (const i of t.indicators) if (i.kind === "typed") labels.add(i.label);
    return { template: ctx.templates.map((t) => t.code), indicator: [...labels] };
  },

  async check(tx, ctx, _sheet, rows) {
    // Per row: the template, the period, the indicator(s); then per report, the service's checks.
    const groups = new Map<string, { rows: ImportRow[]; open: Awaited<ReturnType<typeof openForSave>> }>();
    const opened = new Map<string, Awaited<ReturnType<typeof openForSave>> | AppError>();
    for (const row of rows) {
      const template = findTemplate(ctx, String(row.values.template));
      if (!template) {
        row.problems.push({
          column: "template",
          message: `Không có biểu mẫu “${row.values.template}” cho ${ctx.unit.name}. Các biểu mẫu: ${ctx.templates.map((t) => t.code).join(", ") || "(không có)"}.`,
        });
        continue;
      }
      const period = periodCodeOf(String(row.values.period), template);
      const key = `${template.code}|${period}`;
      let open = opened.get(key);
      if (!open) {
        try {
          open = await openForSave(tx, ctx.principal, {
            template: template.code,
            unitId: ctx.unit.id,
            period,
          });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          open = error;
        }
        opened.set(key, open);
      }
      if (open instanceof AppError) {
        const periodError = open.errors?.find((e) => e.field === "period");
        row.problems.push(
          periodError
            ? { column: "period", message: periodError.message }
            : { column: "template", message: open.detail ?? open.title },
        );
        continue;
      }
      const state = transition(open.status, "save");
      if (!state.ok) {
        row.problems.push({ column: "", message: state.message });
        continue;
      }
      const reportTemplate = open.stored.template;
      const found = findIndicator(reportTemplate, String(row.values.indicator));
      if (found.length !== 1) {
        row.problems.push({
          column: "indicator",
          message:
            found.length === 0
              ? `Biểu mẫu «${reportTemplate.name}» không có chỉ tiêu “${row.values.indicator}”.`
              : `Có ${found.length} chỉ tiêu tên “${row.values.indicator}” trong biểu mẫu: hãy ghi mã chỉ tiêu (${found.map((i) => i.id).join(", ")}).`,
        });
        continue;
      }
      const indicator = found[0] as Indicator;
      const entries: FigurePlan["entries"] = [];
      const value = numberOf(row, "value");
      if (value !== null) entries.push({ id: indicator.id, value, column: "value" });
      const female = numberOf(row, "female");
      if (female !== null) {
        const pair = reportTemplate.indicators.find(
          (i) => i.id === `${indicator.id}_female` || i.id === `female_${indicator.id}`,
        );
        if (!pair) {
          row.problems.push({
            column: "female",
            message: `Biểu mẫu không có chỉ tiêu số nữ đi kèm «${indicator.label}»: hãy ghi số nữ ở một dòng riêng với chỉ tiêu của nó.`,
          });
        } else entries.push({ id: pair.id, value: female, column: "female" });
      }
      if (row.problems.length > 0) continue;
      for (const e of entries) {
        const first = ctx.seen.get(`${key}|${e.id}`);
        if (first !== undefined) {
          const label = reportTemplate.indicators.find((i) => i.id === e.id)?.label ?? e.id;
          row.problems.push({
            column: e.column === "female" ? "female" : "indicator",
            message: `«${label}» của kỳ ${period} đã có ở dòng ${first} của tệp.`,
          });
        }
      }
      if (row.problems.length > 0) continue;
      for (const e of entries) ctx.seen.set(`${key}|${e.id}`, row.number);
      row.plan = {
        key,
        q: { template: template.code, unitId: ctx.unit.id, period },
        entries,
      } satisfies FigurePlan;
      const group = groups.get(key) ?? { rows: [], open };
      group.rows.push(row);
      groups.set(key, group);
    }

    for (const [key, { rows: groupRows, open }] of groups) {
      await checkReport(tx, ctx, key, groupRows, open);
    }
  },

  async apply(tx, ctx, _sheet, rows, audit) {
    const byKey = new Map<string, ImportRow[]>();
    for (const row of rows) {
      const plan = row.plan as FigurePlan;
      byKey.set(plan.key, [...(byKey.get(plan.key) ?? []), row]);
    }
    for (const [key, group] of byKey) {
      const q = ((group[0] as ImportRow).plan as FigurePlan).q;
      const open = await openForSave(tx, ctx.principal, q);
      const dropped = ctx.dropped.get(key) ?? new Set<string>();
      const values: Record<string, number | null> = Object.fromEntries(
        Object.entries(open.values).filter(([id]) => !dropped.has(id)),
      );
      for (const row of group) for (const e of (row.plan as FigurePlan).entries) values[e.id] = e.value;
      await saveReportIn(tx, ctx.principal, q, { values, narratives: open.narratives }, audit);
    }
  },
};

/**
 * The service's checks over one report with the file's figures in it. A problem on a figure of
 * the file goes beside its row and column; one on a stored figure (a rule with one side stored)
 * goes to every row of the report; a stored figure that the units below now sum is left out, as
 * the form leaves it out. Repeated until the rows left pass together, so what the commit saves is
 * exactly what was checked.
 */
async function checkReport(
  tx: Transaction<DB>,
  ctx: FiguresContext,
  key: string,
  rows: ImportRow[],
  open: Awaited<ReturnType<typeof openForSave>>,
) {
  const template = open.stored.template;
  const dropped = new Set<string>();
  let live = rows;
  for (let round = 0; round < 10 && live.length > 0; round++) {
    const given = new Map<string, { row: ImportRow; column: "value" | "female" }>();
    const values: Record<string, number | null> = Object.fromEntries(
      Object.entries(open.values).filter(([id]) => !dropped.has(id)),
    );
    for (const row of live) {
      for (const e of (row.plan as FigurePlan).entries) {
        values[e.id] = e.value;
        given.set(e.id, { row, column: e.column });
      }
    }
    const { field, summed } = await saveValueProblems(tx, template, open.unit, open.period, values);
    if (field.length === 0) break;
    let changed = false;
    for (const p of field) {
      const id = p.field.replace(/^values\./u, "");
      const source = given.get(id);
      const ind = template.indicators.find((i) => i.id === id);
      if (source) {
        // An indicator one does not type is wrong in the "Chỉ tiêu" column, not in its value.
        const computed = ind !== undefined && ind.kind !== "typed";
        source.row.problems.push({
          column: computed && source.column === "value" ? "indicator" : source.column,
          message: p.message + (ind ? computedHint(ind) : ""),
        });
        changed = true;
      } else if (summed.has(id)) {
        dropped.add(id);
        changed = true;
      } else {
        for (const row of live) row.problems.push({ column: "value", message: p.message });
        changed = true;
      }
    }
    live = live.filter((r) => r.problems.length === 0);
    if (!changed) break;
  }
  ctx.dropped.set(key, dropped);
  for (const row of live) {
    const plan = row.plan as FigurePlan;
    const before = plan.entries.map((e) => open.values[e.id] ?? null);
    if (plan.entries.every((e, i) => before[i] === e.value)) row.outcome = "unchanged";
    else if (before.some((v) => v !== null)) row.outcome = "update";
    else row.outcome = "new";
  }
}
