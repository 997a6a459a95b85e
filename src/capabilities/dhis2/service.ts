/**
 * Exchange with a province's DHIS2 (docs/DHIS2.md).
 *
 * Export: a unit's figures and those of its children (org units by their official code), for a
 * DHIS2 period, read from the live counters exactly as the reports read them — one data value per
 * mapped data element that the unit counts in that period (a unit with no counters of a source in
 * the period has no value there: missing, never 0).
 *
 * Import: the values of a DHIS2 file become XHHT targets (chỉ tiêu, `report_targets`) of the
 * mapped report indicator, unit and period. XHHT's figures are always computed from its own
 * records, so an imported value never replaces one:
 * - a value of a target data element (`targetCode`, e.g. XHHT_ASSOC_MEMBERS_CT) is a target;
 * - a value of a figure's data element (`code`) is a target only when the import says the whole
 *   file holds targets (`mode=targets`, e.g. a plan made in DHIS2 with the figures' elements);
 *   otherwise it is skipped, saying "Số liệu thực hiện được tính từ hồ sơ, không nhập".
 * Every value is checked first (known data element, org unit under the unit and inside the user's
 * scope, a DHIS2 period the target's template reports on, a non-negative number); a dry run only
 * reports; an import writes nothing unless every value is sound, then all targets in one
 * transaction, audited (each unit's targets as `report.targets_set`, the file as `dhis2.imported`).
 */
import { type Kysely, sql } from "kysely";
import { decide, type Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { fromDhis2Period } from "../../domain/dhis2/periods.ts";
import { type Period, periodCode, periodLabel, periodRange } from "../../domain/periods.ts";
import type { ReportTemplate } from "../../domain/reporting/template.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { COUNTER_TABLES } from "../org-units/historical-districts.ts";
import { setTargetsIn } from "../reports/service.ts";
import { readCounters } from "../reports/sources.ts";
import { latestTemplate } from "../reports/templates.ts";
import type { DataValue, RawDataValue } from "./data-value-set.ts";
import { type DataElement, dhis2Mapping, periodKindsOf } from "./mapping.ts";

type Db = Kysely<DB>;

interface UnitRow {
  id: number;
  name: string;
  kind: string;
  code: string | null;
  path: string;
  level: number;
  valid_from: string | null;
  valid_to: string | null;
}

const UNIT_COLUMNS = ["id", "name", "kind", "code", "path", "level", "valid_from", "valid_to"] as const;

async function unitById(db: Db, id: number): Promise<UnitRow> {
  const unit = await db.selectFrom("org_units").select(UNIT_COLUMNS).where("id", "=", id).executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  return { ...unit, id: Number(unit.id) };
}

function dhis2Period(id: string, field = "period"): Period {
  const parsed = fromDhis2Period(id);
  if (!parsed.ok) throw problems.validation([{ field, message: parsed.message }]);
  return parsed.period;
}

// ─── Mapping ───────────────────────────────────────────────────────────────────────────

const PERIOD_TYPE_NAMES: Record<string, string> = {
  year: "Yearly",
  quarter: "Quarterly",
  half_year: "SixMonthly",
  reporting_year: "FinancialApril, FinancialJuly, FinancialOct, FinancialNov",
};

/** The mapping table as the API shows it, with the DHIS2 period types each element is counted in. */
export function mappingView() {
  const mapping = dhis2Mapping();
  return {
    version: mapping.version,
    dataElements: mapping.elements.map((e) => ({
      ...e,
      unit: e.unit ?? null,
      targetCode: e.targetCode ?? null,
      periodTypes: periodKindsOf(e).map((k) => PERIOD_TYPE_NAMES[k] ?? k),
    })),
  };
}

// ─── Export ────────────────────────────────────────────────────────────────────────────

/**
 * The data values of a unit and its children (those with an official code) for a DHIS2 period,
 * in order: the unit first, then its children in the tree's order; within a unit, the mapping's
 * order. Values are strings, as DHIS2 writes them.
 */
export async function exportDataValues(
  db: Db,
  principal: Principal,
  query: { orgUnitId: number; period: string },
): Promise<{ unit: UnitRow; period: string; dataValues: DataValue[] }> {
  const period = dhis2Period(query.period);
  const unit = await unitById(db, query.orgUnitId);
  authorize(principal, "stats.read", unit.path);
  // Children with an official code that have counted anything at all (the others have no value
  // in any period, so they are not read one source at a time).
  const counted = COUNTER_TABLES.filter((t) => t.table !== "subject_counts").map(
    (t) => sql<boolean>`exists (select 1 from ${sql.table(t.table)} s where s.org_unit_id = u.id)`,
  );
  const children = await db
    .selectFrom("org_units as u")
    .select(UNIT_COLUMNS.map((c) => `u.${c}` as const))
    .where("u.parent_id", "=", unit.id)
    .where("u.code", "is not", null)
    .where(sql<boolean>`(${sql.join(counted, sql` or `)})`)
    .orderBy("u.sort_key")
    .orderBy("u.id")
    .execute();
  const mapping = dhis2Mapping();
  const counters = mapping.elements.map((e) => ({ id: e.code, source: e.source, metric: e.metric }));
  const dataValues: DataValue[] = [];
  for (const u of [unit, ...children]) {
    if (!u.code) continue;
    const values = await readCounters(db, counters, { id: Number(u.id), level: u.level }, period);
    for (const e of mapping.elements) {
      const v = values.get(e.code);
      if (v === null || v === undefined) continue;
      dataValues.push({
        dataElement: e.code,
        period: query.period.trim(),
        orgUnit: u.code,
        value: String(v),
      });
    }
  }
  return { unit, period: query.period.trim(), dataValues };
}

// ─── Import ────────────────────────────────────────────────────────────────────────────

export const IMPORT_MODES = ["auto", "targets"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const ACTUAL_NOT_IMPORTED = "Số liệu thực hiện được tính từ hồ sơ, không nhập.";

/** DHIS2's default category option combo, by UID, code and name: the only one XHHT accepts. */
const DEFAULT_COMBOS = new Set(["", "default", "HllvX50cXC0"]);

export interface CheckedValue {
  row: number;
  dataElement: string;
  period: string;
  orgUnit: string;
  value: string;
  status: "target" | "skipped" | "error";
  messages: string[];
  target: {
    template: string;
    templateName: string;
    indicator: string;
    indicatorLabel: string;
    unit: { id: number; name: string };
    period: string;
    periodLabel: string;
    value: number;
  } | null;
}

interface ImportQuery {
  orgUnitId: number;
  dryRun: boolean;
  mode: ImportMode;
}

function parseValue(text: string): { ok: true; value: number } | { ok: false; message: string } {
  if (text === "") return { ok: false, message: "Thiếu giá trị." };
  if (!/^[+-]?\d+(\.\d+)?$/.test(text)) return { ok: false, message: `Giá trị «${text}» không phải là số.` };
  const value = Number(text);
  if (value < 0) return { ok: false, message: `Chỉ tiêu phải là số không âm (tệp ghi ${text}).` };
  if (value > Number.MAX_SAFE_INTEGER) return { ok: false, message: `Giá trị ${text} quá lớn.` };
  return { ok: true, value };
}

function existedDuring(u: UnitRow, p: Period): boolean {
  const { from, to } = periodRange(p);
  return (u.valid_from === null || u.valid_from <= to) && (u.valid_to === null || u.valid_to >= from);
}

const PERIOD_KIND_WORDS: Record<string, string> = {
  year: "theo năm (ví dụ 2024)",
  quarter: "theo quý (ví dụ 2024Q1)",
  half_year: "theo 6 tháng (ví dụ 2024S1)",
  school_year: "theo năm học",
  phase: "theo giai đoạn",
};

function templatePeriodWords(t: ReportTemplate): string {
  if (t.periodKind !== "reporting_year") return PERIOD_KIND_WORDS[t.periodKind] ?? t.periodKind;
  const month = t.startMonth ?? 1;
  const suffix = { 4: "April", 7: "July", 10: "Oct", 11: "Nov" }[month];
  return `theo năm báo cáo bắt đầu từ tháng ${month}${suffix ? ` (kỳ DHIS2 dạng 2024${suffix})` : ""}`;
}

/** Check every value of a file; write the targets unless it is a dry run or a value is wrong. */
export async function importDataValues(
  db: Db,
  principal: Principal,
  query: ImportQuery,
  raw: readonly RawDataValue[],
  ctx: AuditContext,
) {
  const unit = await unitById(db, query.orgUnitId);
  authorize(principal, "target.manage", unit.path);
  if (raw.length === 0) throw problems.badRequest("dhis2_empty", "Tệp không có giá trị nào để nhập.");
  const mapping = dhis2Mapping();

  // The org units the file names, by code: those under the unit, and those elsewhere (to say so).
  const codes = [...new Set(raw.map((v) => v.orgUnit).filter((c) => c !== ""))];
  const named =
    codes.length === 0
      ? []
      : await db.selectFrom("org_units").select(UNIT_COLUMNS).where("code", "in", codes).execute();
  const byCode = new Map<string, UnitRow[]>();
  for (const u of named)
    byCode.set(u.code ?? "", [...(byCode.get(u.code ?? "") ?? []), { ...u, id: Number(u.id) }]);

  const templates = new Map<string, ReportTemplate | null>();
  const templateOf = async (code: string) => {
    if (!templates.has(code)) {
      templates.set(
        code,
        await latestTemplate(db, code).then(
          (s) => s.template,
          () => null,
        ),
      );
    }
    return templates.get(code) ?? null;
  };

  const seen = new Map<string, number>();
  const checked: CheckedValue[] = [];
  for (const v of raw) {
    const messages: string[] = [];
    const out: CheckedValue = {
      row: v.row,
      dataElement: v.dataElement,
      period: v.period,
      orgUnit: v.orgUnit,
      value: v.value,
      status: "error",
      messages,
      target: null,
    };
    checked.push(out);

    const mapped = v.dataElement ? mapping.byCode.get(v.dataElement) : undefined;
    if (!v.dataElement) messages.push("Thiếu mã phần tử dữ liệu (dataElement).");
    else if (!mapped) {
      messages.push(`Phần tử dữ liệu «${v.dataElement}» không có trong bảng ánh xạ DHIS2 của XHHT.`);
    }
    let period: Period | null = null;
    if (!v.period) messages.push("Thiếu kỳ (period).");
    else {
      const p = fromDhis2Period(v.period);
      if (p.ok) period = p.period;
      else messages.push(p.message);
    }
    let target: UnitRow | null = null;
    if (!v.orgUnit) messages.push("Thiếu mã đơn vị (orgUnit).");
    else {
      const all = byCode.get(v.orgUnit) ?? [];
      const existing = period ? all.filter((u) => existedDuring(u, period as Period)) : all;
      const candidates = existing.length > 0 ? existing : all;
      const below = candidates.filter((u) => u.path.startsWith(unit.path));
      if (candidates.length === 0) messages.push(`Không có đơn vị nào mã «${v.orgUnit}».`);
      else if (below.length > 1) {
        messages.push(
          `Mã đơn vị «${v.orgUnit}» chỉ nhiều đơn vị thuộc ${unit.name}; không biết là đơn vị nào.`,
        );
      } else if (below.length === 0) {
        const elsewhere = candidates[0] as UnitRow;
        messages.push(
          decide(principal, "target.manage", elsewhere.path).allowed
            ? `${elsewhere.name} (mã ${v.orgUnit}) không thuộc ${unit.name}: tệp này chỉ nhập cho ${unit.name} và các đơn vị trực thuộc.`
            : `${elsewhere.name} (mã ${v.orgUnit}) nằm ngoài phạm vi quản lý của bạn.`,
        );
      } else {
        target = below[0] as UnitRow;
        if (!decide(principal, "target.manage", target.path).allowed) {
          messages.push(`${target.name} (mã ${v.orgUnit}) nằm ngoài phạm vi quản lý của bạn.`);
          target = null;
        }
      }
    }
    const number = parseValue(v.value);
    if (!number.ok) messages.push(number.message);
    if (!DEFAULT_COMBOS.has(v.categoryOptionCombo)) {
      messages.push(
        `XHHT không có phân tổ (categoryOptionCombo «${v.categoryOptionCombo}»): mỗi phân tổ (ví dụ nữ) là một phần tử dữ liệu riêng.`,
      );
    }
    if (!DEFAULT_COMBOS.has(v.attributeOptionCombo)) {
      messages.push(`XHHT không có attributeOptionCombo «${v.attributeOptionCombo}»; để trống hoặc default.`);
    }
    if (v.deleted) {
      messages.push("Tệp đánh dấu xóa giá trị này (deleted): XHHT không xóa chỉ tiêu theo tệp; bỏ dòng này.");
    }
    if (!mapped) continue;

    const element: DataElement = mapped.element;
    const isTarget = mapped.role === "target" || query.mode === "targets";
    if (!isTarget) {
      // A figure XHHT counts itself: never imported, whatever else is wrong with it.
      out.status = "skipped";
      out.messages.splice(0, out.messages.length, ACTUAL_NOT_IMPORTED);
      continue;
    }
    if (!element.target) {
      messages.push(`«${element.name}» không có chỉ tiêu trong biểu mẫu báo cáo nào của XHHT.`);
      continue;
    }
    const template = await templateOf(element.target.template);
    const indicator = template?.indicators.find((i) => i.id === element.target?.indicator);
    if (!template || !indicator) {
      messages.push(`Biểu mẫu «${element.target.template}» không có chỉ số «${element.target.indicator}».`);
      continue;
    }
    if (period) {
      const fits =
        period.kind === template.periodKind &&
        (period.kind !== "reporting_year" ||
          period.startMonth === (template.startMonth ?? period.startMonth));
      if (!fits) {
        messages.push(
          `Chỉ tiêu «${indicator.label}» đặt theo biểu mẫu «${template.name}», báo cáo ${templatePeriodWords(template)}: kỳ «${v.period}» không dùng được.`,
        );
      }
    }
    if (target && !template.unitKinds.includes(target.kind)) {
      messages.push(`${target.name} không lập báo cáo theo biểu mẫu «${template.name}».`);
    }
    if (messages.length > 0 || !target || !period || !number.ok) continue;
    const key = `${template.code}|${indicator.id}|${target.id}|${periodCode(period)}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      messages.push(`Trùng với dòng ${earlier}: cùng chỉ tiêu, đơn vị và kỳ.`);
      continue;
    }
    seen.set(key, v.row);
    out.status = "target";
    out.target = {
      template: template.code,
      templateName: template.name,
      indicator: indicator.id,
      indicatorLabel: indicator.label,
      unit: { id: target.id, name: target.name },
      period: periodCode(period),
      periodLabel: periodLabel(period),
      value: number.value,
    };
  }

  const counts = {
    total: checked.length,
    targets: checked.filter((c) => c.status === "target").length,
    skipped: checked.filter((c) => c.status === "skipped").length,
    errors: checked.filter((c) => c.status === "error").length,
  };
  const report = { dryRun: query.dryRun, mode: query.mode, counts, values: checked };
  if (query.dryRun) return { ...report, written: 0 };
  if (counts.errors > 0) {
    throw problems.validation(
      checked.flatMap((c) =>
        c.status === "error" ? c.messages.map((message) => ({ field: `dataValues.${c.row}`, message })) : [],
      ),
      `Tệp có ${counts.errors} giá trị lỗi: không nhập giá trị nào. Sửa tệp (xem từng dòng) rồi nhập lại.`,
    );
  }
  if (counts.targets === 0) {
    throw problems.badRequest(
      "dhis2_nothing_to_import",
      "Tệp không có chỉ tiêu nào để nhập: mọi giá trị là số liệu thực hiện, được tính từ hồ sơ. " +
        "Nếu tệp là chỉ tiêu, chọn «Tệp là chỉ tiêu» (mode=targets).",
    );
  }
  // Group by unit, template and period: one targets write (and audit entry) each.
  const groups = new Map<
    string,
    { unitId: number; template: string; period: string; targets: Record<string, number> }
  >();
  for (const c of checked) {
    const t = c.target;
    if (c.status !== "target" || !t) continue;
    const key = `${t.unit.id}|${t.template}|${t.period}`;
    const g = groups.get(key) ?? { unitId: t.unit.id, template: t.template, period: t.period, targets: {} };
    g.targets[t.indicator] = t.value;
    groups.set(key, g);
  }
  await db.transaction().execute(async (tx) => {
    for (const g of groups.values()) {
      await setTargetsIn(
        tx,
        principal,
        { template: g.template, unitId: g.unitId, period: g.period },
        g.targets,
        ctx,
      );
    }
    await recordAudit(tx, ctx, {
      action: "dhis2.imported",
      entityType: "dhis2_data_value_set",
      entityId: null,
      orgUnitId: unit.id,
      after: {
        mode: query.mode,
        values: counts.total,
        targets: counts.targets,
        skipped: counts.skipped,
        written: [...groups.values()].map((g) => ({
          unitId: g.unitId,
          template: g.template,
          period: g.period,
          indicators: Object.keys(g.targets).length,
        })),
      },
    });
  });
  return { ...report, written: counts.targets };
}
