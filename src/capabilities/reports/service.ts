/**
 * Periodic reporting: a unit fills a template's form for a period (typed figures, narrative
 * sections; the figures computed from records are read live from the counters), saves drafts,
 * submits; the level above approves or returns it with a comment; an approved report is locked
 * until the level above reopens it (with a reason). A level asks the units below for a report
 * (a request, with its deadline) and sees who has submitted, on time or late, and who has not.
 * At the level that asked, the typed figures are the sum of its units' approved reports (or, on
 * choice, of all submitted ones); computed figures are always that level's own counters.
 *
 * Every write is authorised against the unit's path (the unit's own writes: `report.write` in
 * scope; decisions: `report.review` strictly above the unit) and audited in its transaction,
 * with a row of the report's append-only history.
 */
import type { Kysely, Transaction } from "kysely";
import { isInScope, isStrictlyBelowScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB, ReportStatus } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { OFFICIAL_KINDS, type OrgUnitKind } from "../../domain/org-units.ts";
import {
  childPeriods,
  nextPeriod,
  type Period,
  parsePeriod,
  periodCode,
  periodLabel,
  periodRange,
  previousPeriod,
} from "../../domain/periods.ts";
import { aggregateTyped } from "../../domain/reporting/aggregate.ts";
import { completeness } from "../../domain/reporting/completeness.ts";
import { composeAppendix, composeDocument } from "../../domain/reporting/compose.ts";
import type { Appendix, ReportDocument } from "../../domain/reporting/document.ts";
import { evaluateIndicators } from "../../domain/reporting/evaluate.ts";
import { rankUnits } from "../../domain/reporting/ranking.ts";
import type { ReportTemplate } from "../../domain/reporting/template.ts";
import { submitProblems, valueProblems } from "../../domain/reporting/validate.ts";
import { STATUS_LABELS, transition } from "../../domain/reporting/workflow.ts";
import { normalizeText } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { readCounterIndicators } from "./sources.ts";
import { latestTemplate, type StoredTemplate, templateById } from "./templates.ts";

type Exec = Kysely<DB> | Transaction<DB>;
type ValueMap = Map<string, number | null>;

interface Unit {
  id: number;
  name: string;
  kind: string;
  path: string;
  level: number;
  parent_id: number | null;
  valid_from: string | null;
  valid_to: string | null;
  sort_key: string;
}

const UNIT_COLUMNS = [
  "id",
  "name",
  "kind",
  "path",
  "level",
  "parent_id",
  "valid_from",
  "valid_to",
  "sort_key",
] as const;

async function unitById(db: Exec, id: number): Promise<Unit> {
  const u = await db.selectFrom("org_units").select(UNIT_COLUMNS).where("id", "=", id).executeTakeFirst();
  if (!u) throw problems.notFound("đơn vị này");
  return { ...u, id: Number(u.id), parent_id: u.parent_id === null ? null : Number(u.parent_id) };
}

/** Parse a period code for a template, or the Vietnamese refusal beside the field. */
export function periodFor(template: ReportTemplate, code: string): Period {
  const parsed = parsePeriod(code);
  if (!parsed.ok) throw problems.validation([{ field: "period", message: parsed.message }]);
  const p = parsed.period;
  const fits =
    p.kind === template.periodKind &&
    (p.kind !== "reporting_year" || p.startMonth === (template.startMonth ?? p.startMonth));
  if (!fits) {
    throw problems.validation([
      {
        field: "period",
        message: `Biểu mẫu «${template.name}» báo cáo theo kỳ khác: ${code} không phải kỳ của biểu mẫu.`,
      },
    ]);
  }
  return p;
}

/**
 * Did the unit exist during the period? An official unit's dates are the law's (the new communes
 * from 2025-07-01); a unit created in the system (a centre, a village) is dated by its entry, and
 * may report on years before it was entered — only its end counts.
 */
function existedDuring(u: Unit, p: Period): boolean {
  const { from, to } = periodRange(p);
  const started = u.valid_from === null || !OFFICIAL_KINDS.has(u.kind as OrgUnitKind) || u.valid_from <= to;
  return started && (u.valid_to === null || u.valid_to >= from);
}

function checkFills(template: ReportTemplate, unit: Unit, period: Period) {
  if (!template.unitKinds.includes(unit.kind) && unit.level !== 0) {
    throw problems.badRequest(
      "wrong_unit_kind",
      `${unit.name} không lập báo cáo theo biểu mẫu «${template.name}».`,
    );
  }
  if (!existedDuring(unit, period)) {
    throw problems.validation([
      { field: "period", message: `${unit.name} không tồn tại trong ${periodLabel(period)}.` },
    ]);
  }
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const toMap = (o: unknown): ValueMap =>
  new Map(
    Object.entries((typeof o === "string" ? JSON.parse(o) : (o ?? {})) as Record<string, number | null>),
  );
const toObject = (m: ReadonlyMap<string, number | null>) => Object.fromEntries(m);
const narrativesOf = (o: unknown): Record<string, string> =>
  (typeof o === "string" ? JSON.parse(o) : (o ?? {})) as Record<string, string>;

async function reportRow(db: Exec, code: string, unitId: number, period: string, lock = false) {
  let q = db
    .selectFrom("reports")
    .selectAll()
    .where("template_code", "=", code)
    .where("org_unit_id", "=", unitId)
    .where("period", "=", period);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The request, if any, that the unit issued for this template and period (it then aggregates). */
async function ownRequest(db: Exec, code: string, unitId: number, period: string) {
  return db
    .selectFrom("report_requests")
    .selectAll()
    .where("template_code", "=", code)
    .where("org_unit_id", "=", unitId)
    .where("period", "=", period)
    .executeTakeFirst();
}

/** The deadline a unit's report is held to: the nearest request above that names it, else the template's. */
async function deadlineOf(
  db: Exec,
  template: ReportTemplate,
  unitId: number,
  period: Period,
): Promise<string> {
  const req = await db
    .selectFrom("report_requests as r")
    .innerJoin("report_request_units as u", "u.request_id", "r.id")
    .select("r.deadline")
    .where("r.template_code", "=", template.code)
    .where("r.period", "=", periodCode(period))
    .where("u.org_unit_id", "=", unitId)
    .orderBy("r.id", "desc")
    .executeTakeFirst();
  return req?.deadline ?? addDays(periodRange(period).to, template.deadlineDays);
}

async function targetsOf(db: Exec, code: string, unitId: number, period: string): Promise<ValueMap> {
  const rows = await db
    .selectFrom("report_targets")
    .select(["indicator", "value"])
    .where("org_unit_id", "=", unitId)
    .where("template_code", "=", code)
    .where("period", "=", period)
    .execute();
  return new Map(rows.map((r) => [r.indicator, Number(r.value)]));
}

const SUMMED = (t: ReportTemplate) =>
  new Set(t.indicators.filter((i) => i.kind === "typed" && i.aggregate === "sum").map((i) => i.id));

/**
 * The children's figures that a requesting unit sums: their reports' typed values, approved only
 * or also those submitted and waiting.
 */
async function aggregatedTyped(
  db: Exec,
  template: ReportTemplate,
  requestId: number,
  period: string,
  includeSubmitted: boolean,
) {
  const statuses: ReportStatus[] = includeSubmitted ? ["approved", "submitted"] : ["approved"];
  const rows = await db
    .selectFrom("report_request_units as u")
    .leftJoin("reports as r", (j) =>
      j
        .onRef("r.org_unit_id", "=", "u.org_unit_id")
        .on("r.template_code", "=", template.code)
        .on("r.period", "=", period),
    )
    .select(["u.org_unit_id", "r.status", "r.values"])
    .where("u.request_id", "=", requestId)
    .execute();
  const counted = rows.filter((r) => r.status && statuses.includes(r.status));
  return {
    values: aggregateTyped(
      template,
      counted.map((r) => toMap(r.values)),
    ),
    expected: rows.length,
    counted: counted.length,
  };
}

interface Evaluated {
  typed: ValueMap;
  all: ValueMap;
  /** The previous period's values, as the formulas saw them (empty when not asked for). */
  previous: ValueMap;
  aggregated: { requestId: number; expected: number; counted: number; includeSubmitted: boolean } | null;
}

/** Every value of a unit's report for a period: typed (or summed from the units below), counters, formulas. */
async function evaluate(
  db: Exec,
  template: ReportTemplate,
  unit: Unit,
  period: Period,
  typedStored: ValueMap,
  includeSubmitted: boolean,
  targets: ValueMap,
  withPrevious = true,
): Promise<Evaluated> {
  const code = periodCode(period);
  const request = await ownRequest(db, template.code, unit.id, code);
  const typed = new Map(typedStored);
  let aggregated: Evaluated["aggregated"] = null;
  if (request) {
    const agg = await aggregatedTyped(db, template, Number(request.id), code, includeSubmitted);
    for (const id of SUMMED(template)) typed.set(id, agg.values.get(id) ?? null);
    aggregated = {
      requestId: Number(request.id),
      expected: agg.expected,
      counted: agg.counted,
      includeSubmitted,
    };
  }
  const counters = await readCounterIndicators(db, template, unit, period);
  const base = new Map<string, number | null>([...typed, ...counters]);
  let previous: ValueMap | undefined;
  if (withPrevious) {
    const prevPeriod = previousPeriod(period);
    const prevRow = await reportRow(db, template.code, unit.id, periodCode(prevPeriod));
    const prev = await evaluate(
      db,
      template,
      unit,
      prevPeriod,
      prevRow ? toMap(prevRow.values) : new Map(),
      includeSubmitted,
      new Map(),
      false,
    );
    previous = prev.all;
  }
  const all = evaluateIndicators(template, { base, previous, targets });
  return { typed, all, previous: previous ?? new Map(), aggregated };
}

export interface OpenReportQuery {
  template: string;
  unitId: number;
  period: string;
  includeSubmitted?: boolean;
}

async function loadContext(db: Exec, principal: Principal, q: OpenReportQuery) {
  const unit = await unitById(db, q.unitId);
  authorize(principal, "report.read", unit.path);
  const row = await reportRow(db, q.template, unit.id, q.period);
  const stored: StoredTemplate = row
    ? await templateById(db, Number(row.template_id))
    : await latestTemplate(db, q.template);
  const period = periodFor(stored.template, q.period);
  checkFills(stored.template, unit, period);
  return { unit, row, stored, period };
}

/** A unit's report for a template and period, as the form shows it (not stored until saved). */
export async function getReport(db: Kysely<DB>, principal: Principal, q: OpenReportQuery) {
  const { unit, row, stored, period } = await loadContext(db, principal, q);
  const template = stored.template;
  const code = periodCode(period);
  const targets = await targetsOf(db, template.code, unit.id, code);
  const { typed, all, aggregated } = await evaluate(
    db,
    template,
    unit,
    period,
    row ? toMap(row.values) : new Map(),
    q.includeSubmitted ?? false,
    targets,
  );
  let narratives = row ? narrativesOf(row.narratives) : {};
  if (!row) {
    // A new report starts from last period's text where the template says so.
    const prev = await reportRow(db, template.code, unit.id, periodCode(previousPeriod(period)));
    const prevTexts = prev ? narrativesOf(prev.narratives) : {};
    narratives = Object.fromEntries(
      template.sections
        .filter((s) => s.kind === "narrative" && s.carryOver && prevTexts[s.key])
        .map((s) => [s.key, prevTexts[s.key] as string]),
    );
  }
  const history = row
    ? await db
        .selectFrom("report_history as h")
        .leftJoin("users as u", "u.id", "h.user_id")
        .select([
          "h.action",
          "h.from_status",
          "h.to_status",
          "h.comment",
          "h.at",
          "u.full_name",
          "u.username",
        ])
        .where("h.report_id", "=", row.id)
        .orderBy("h.id")
        .execute()
    : [];
  const status = (row?.status ?? "draft") as ReportStatus;
  return {
    template: { id: stored.id, ...template },
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    period: { code, label: periodLabel(period), ...periodRange(period) },
    deadline: await deadlineOf(db, template, unit.id, period),
    report: row
      ? {
          id: Number(row.id),
          status,
          statusLabel: STATUS_LABELS[status],
          docNumber: row.doc_number,
          issuedOn: row.issued_on,
          signerName: row.signer_name,
          submittedAt: row.submitted_at ? new Date(row.submitted_at).toISOString() : null,
          decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
          comment: row.comment,
          updatedAt: new Date(row.updated_at).toISOString(),
        }
      : null,
    typed: toObject(typed),
    values: toObject(all),
    targets: toObject(targets),
    narratives,
    aggregated,
    history: history.map((h) => ({
      action: h.action,
      fromStatus: h.from_status,
      toStatus: h.to_status,
      comment: h.comment,
      at: new Date(h.at).toISOString(),
      by: h.full_name || h.username || null,
    })),
    canEdit:
      roleGrants(principal.role, "report.write") &&
      isInScope(principal.scopePaths, unit.path) &&
      (status === "draft" || status === "returned"),
    canDecide:
      roleGrants(principal.role, "report.review") && isStrictlyBelowScope(principal.scopePaths, unit.path),
    nextPeriod: { code: periodCode(nextPeriod(period)), label: periodLabel(nextPeriod(period)) },
    nextTargets: toObject(await targetsOf(db, template.code, unit.id, periodCode(nextPeriod(period)))),
    canSetTargets: roleGrants(principal.role, "target.manage") && isInScope(principal.scopePaths, unit.path),
  };
}

/**
 * Set a unit's targets (chỉ tiêu) for a template's indicators and a period: typed with the
 * report's "Phương hướng" for the next period, or by the level above. A null clears one.
 */
export async function setTargets(
  db: Kysely<DB>,
  principal: Principal,
  q: OpenReportQuery,
  targets: Record<string, number | null>,
  ctx: AuditContext,
) {
  return db.transaction().execute((tx) => setTargetsIn(tx, principal, q, targets, ctx));
}

/** What is wrong with targets for a template's indicators (field `targets.<id>`). Pure. */
export function targetProblems(template: ReportTemplate, targets: Record<string, number | null>) {
  const known = new Map(template.indicators.map((i) => [i.id, i]));
  const field: { field: string; message: string }[] = [];
  for (const [id, v] of Object.entries(targets)) {
    const ind = known.get(id);
    if (!ind) field.push({ field: `targets.${id}`, message: "Chỉ tiêu này không có trong biểu mẫu." });
    else if (v !== null && !(Number.isFinite(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER)) {
      field.push({ field: `targets.${id}`, message: `Chỉ tiêu «${ind.label}» phải là số không âm.` });
    }
  }
  return field;
}

/**
 * `setTargets` inside the caller's transaction, so that several units' and periods' targets are
 * written all or nothing (the DHIS2 import).
 */
export async function setTargetsIn(
  tx: Transaction<DB>,
  principal: Principal,
  q: OpenReportQuery,
  targets: Record<string, number | null>,
  ctx: AuditContext,
) {
  const unit = await unitById(tx, q.unitId);
  authorize(principal, "target.manage", unit.path);
  const { template } = await latestTemplate(tx, q.template);
  const period = periodFor(template, q.period);
  const code = periodCode(period);
  const field = targetProblems(template, targets);
  if (field.length > 0) throw problems.validation(field);
  const before = toObject(await targetsOf(tx, template.code, unit.id, code));
  for (const [id, v] of Object.entries(targets)) {
    await tx
      .deleteFrom("report_targets")
      .where("org_unit_id", "=", unit.id)
      .where("template_code", "=", template.code)
      .where("indicator", "=", id)
      .where("period", "=", code)
      .execute();
    if (v === null) continue;
    await tx
      .insertInto("report_targets")
      .values({
        org_unit_id: unit.id,
        template_code: template.code,
        indicator: id,
        period: code,
        value: String(v),
        set_by: principal.userId,
      })
      .execute();
  }
  const after = toObject(await targetsOf(tx, template.code, unit.id, code));
  await recordAudit(tx, ctx, {
    action: "report.targets_set",
    entityType: "report_target",
    entityId: `${template.code}:${unit.id}:${code}`,
    orgUnitId: unit.id,
    before,
    after,
  });
  return { period: code, targets: after };
}

export interface SaveReportBody {
  values: Record<string, number | null>;
  narratives: Record<string, string>;
  docNumber?: string | null;
  issuedOn?: string | null;
  signerName?: string | null;
}

/** Lock (or create, as a draft) the unit's report row; the template version is fixed at creation. */
async function lockOrCreate(
  tx: Transaction<DB>,
  principal: Principal,
  stored: StoredTemplate,
  unit: Unit,
  period: string,
) {
  await tx
    .insertInto("reports")
    .values({
      template_id: stored.id,
      template_code: stored.template.code,
      org_unit_id: unit.id,
      period,
      values: "{}",
      narratives: "{}",
      created_by: principal.userId,
      updated_by: principal.userId,
      updated_at: new Date(),
    })
    .onConflict((oc) => oc.columns(["template_code", "org_unit_id", "period"]).doNothing())
    .execute();
  const row = await reportRow(tx, stored.template.code, unit.id, period, true);
  if (!row) throw new Error("report row vanished");
  return row;
}

async function recordHistory(
  tx: Transaction<DB>,
  reportId: number,
  principal: Principal,
  action: string,
  from: string | null,
  to: string,
  comment: string | null,
) {
  await tx
    .insertInto("report_history")
    .values({
      report_id: reportId,
      action,
      from_status: from,
      to_status: to,
      comment,
      user_id: principal.userId,
    })
    .execute();
}

function refuse(result: { ok: false; message: string }): never {
  throw problems.conflict("report_state", result.message);
}

/**
 * A unit's report opened for saving (the report as stored, if it exists, with the template
 * version it keeps; the period checked against the template and the unit): refused with the
 * service's own errors when the user may not write it. Reads only.
 */
export async function openForSave(tx: Exec, principal: Principal, q: OpenReportQuery) {
  const { unit, row, stored, period } = await loadContext(tx, principal, q);
  authorize(principal, "report.write", unit.path);
  return {
    unit,
    stored,
    period,
    status: (row?.status ?? "draft") as ReportStatus,
    values: row ? toObject(toMap(row.values)) : {},
    narratives: row ? narrativesOf(row.narratives) : {},
  };
}

/**
 * The checks of a save's typed values (field `values.<id>`): not an indicator one types, or
 * summed from the units below when this unit asked them; the value's type; the template's rules
 * over the whole report (counters and formulas included) and the previous period. Also what is
 * kept: the values without the summed ones.
 */
export async function saveValueProblems(
  tx: Exec,
  template: ReportTemplate,
  unit: Unit,
  period: Period,
  values: Record<string, number | null>,
) {
  const code = periodCode(period);
  const request = await ownRequest(tx, template.code, unit.id, code);
  const summed = request ? SUMMED(template) : new Set<string>();
  const field: { field: string; message: string }[] = [];
  for (const id of Object.keys(values)) {
    if (summed.has(id)) {
      const label = template.indicators.find((i) => i.id === id)?.label ?? id;
      field.push({
        field: `values.${id}`,
        message: `«${label}» được cộng từ báo cáo của các đơn vị trực thuộc, không nhập.`,
      });
    }
  }
  const typedInput = Object.fromEntries(Object.entries(values).filter(([id]) => !summed.has(id)));
  const targets = await targetsOf(tx, template.code, unit.id, code);
  const typedNumbers = new Map(
    Object.entries(typedInput).filter(([, v]) => v === null || typeof v === "number") as [
      string,
      number | null,
    ][],
  );
  const evaluated = await evaluate(tx, template, unit, period, typedNumbers, false, targets);
  field.push(...valueProblems(template, typedInput, { previous: evaluated.previous, all: evaluated.all }));
  return { field, typedInput, summed };
}

/** Save a draft (or a returned report): typed values checked by the template's rules, texts NFC. */
export async function saveReport(
  db: Kysely<DB>,
  principal: Principal,
  q: OpenReportQuery,
  body: SaveReportBody,
  ctx: AuditContext,
) {
  return db.transaction().execute((tx) => saveReportIn(tx, principal, q, body, ctx));
}

/** `saveReport` inside the caller's transaction (the import saves a file's figures in its commit). */
export async function saveReportIn(
  tx: Transaction<DB>,
  principal: Principal,
  q: OpenReportQuery,
  body: SaveReportBody,
  ctx: AuditContext,
) {
  const { unit, stored, period } = await loadContext(tx, principal, q);
  authorize(principal, "report.write", unit.path);
  const template = stored.template;
  const code = periodCode(period);
  const row = await lockOrCreate(tx, principal, stored, unit, code);
  const next = transition(row.status as ReportStatus, "save");
  if (!next.ok) refuse(next);

  const { field, typedInput } = await saveValueProblems(tx, template, unit, period, body.values);
  const sectionKeys = new Set(template.sections.filter((s) => s.kind === "narrative").map((s) => s.key));
  for (const key of Object.keys(body.narratives)) {
    if (!sectionKeys.has(key))
      field.push({ field: `narratives.${key}`, message: "Mục này không có trong biểu mẫu." });
  }
  if (field.length > 0) throw problems.validation(field);

  const narratives = Object.fromEntries(
    Object.entries(body.narratives)
      .map(([k, v]) => [k, normalizeText(v).trim()] as const)
      .filter(([, v]) => v.length > 0),
  );
  const before = { values: row.values, narratives: row.narratives, status: row.status };
  await tx
    .updateTable("reports")
    .set({
      values: JSON.stringify(typedInput),
      narratives: JSON.stringify(narratives),
      doc_number:
        body.docNumber === undefined
          ? row.doc_number
          : body.docNumber && normalizeText(body.docNumber).trim(),
      issued_on: body.issuedOn === undefined ? row.issued_on : body.issuedOn,
      signer_name:
        body.signerName === undefined
          ? row.signer_name
          : body.signerName && normalizeText(body.signerName).trim(),
      updated_by: principal.userId,
      updated_at: new Date(),
    })
    .where("id", "=", row.id)
    .execute();
  await recordHistory(tx, Number(row.id), principal, "save", row.status, row.status, null);
  await recordAudit(tx, ctx, {
    action: "report.saved",
    entityType: "report",
    entityId: row.id,
    orgUnitId: unit.id,
    before,
    after: { values: typedInput, narratives, status: row.status },
  });
  return { id: Number(row.id), status: row.status as ReportStatus };
}

export type DecisionAction = "submit" | "approve" | "return" | "reopen";

/** Submit (the unit), approve, return or reopen (the level above), with the comment it needs. */
export async function actOnReport(
  db: Kysely<DB>,
  principal: Principal,
  q: OpenReportQuery,
  action: DecisionAction,
  comment: string | null,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const { unit, row: existing, stored, period } = await loadContext(tx, principal, q);
    if (action === "submit") authorize(principal, "report.write", unit.path);
    else {
      authorize(principal, "report.review", unit.path);
      if (!isStrictlyBelowScope(principal.scopePaths, unit.path)) {
        throw problems.forbidden("Báo cáo do cấp trên trực tiếp của đơn vị duyệt hoặc trả lại.");
      }
    }
    if (!existing && action !== "submit") throw problems.notFound("báo cáo này");
    const template = stored.template;
    const code = periodCode(period);
    const row = await lockOrCreate(tx, principal, stored, unit, code);
    const text = comment ? normalizeText(comment).trim() : null;
    const next = transition(row.status as ReportStatus, action, { comment: text ?? undefined });
    if (!next.ok) {
      if (next.field) throw problems.validation([{ field: next.field, message: next.message }]);
      refuse(next);
    }
    if (action === "submit") {
      const { all } = await evaluate(tx, template, unit, period, toMap(row.values), false, new Map(), false);
      const missing = submitProblems(template, all);
      if (missing.length > 0) throw problems.validation(missing);
    }
    const now = new Date();
    await tx
      .updateTable("reports")
      .set({
        status: next.state,
        ...(action === "submit"
          ? { submitted_at: now, comment: null }
          : { decided_at: now, decided_by: principal.userId }),
        ...(action === "return" || action === "reopen" ? { comment: text } : {}),
        ...(action === "submit" ? { deadline: await deadlineOf(tx, template, unit.id, period) } : {}),
        updated_at: now,
        updated_by: principal.userId,
      })
      .where("id", "=", row.id)
      .execute();
    await recordHistory(tx, Number(row.id), principal, action, row.status, next.state, text);
    await recordAudit(tx, ctx, {
      action: `report.${action}`,
      entityType: "report",
      entityId: row.id,
      orgUnitId: unit.id,
      before: { status: row.status },
      after: { status: next.state, comment: text },
    });
    return { id: Number(row.id), status: next.state };
  });
}

// ─── Requests, completeness, rankings ──────────────────────────────────────────────────

/** The units below `unit` that fill `template` and existed in the period: the nearest ones of its kinds. */
export async function expectedReporters(db: Exec, template: ReportTemplate, unit: Unit, period: Period) {
  const rows = (
    await db
      .selectFrom("org_units")
      .select(UNIT_COLUMNS)
      .where("path", "like", `${unit.path}%`)
      .where("id", "!=", unit.id)
      .where("kind", "in", template.unitKinds)
      .execute()
  )
    .map((r) => ({ ...r, id: Number(r.id), parent_id: r.parent_id === null ? null : Number(r.parent_id) }))
    .filter((r) => existedDuring(r, period));
  const paths = rows.map((r) => r.path);
  return rows.filter((r) => !paths.some((p) => p !== r.path && r.path.startsWith(p)));
}

/** The units a request from `unitId` for a template and period would go to (all are ticked by default). */
export async function requestCandidates(
  db: Kysely<DB>,
  principal: Principal,
  q: { template: string; unitId: number; period: string },
) {
  const unit = await unitById(db, q.unitId);
  authorize(principal, "report.read", unit.path);
  const { template } = await latestTemplate(db, q.template);
  const period = periodFor(template, q.period);
  const units = await expectedReporters(db, template, unit, period);
  return {
    items: units
      .sort((a, b) => (a.sort_key < b.sort_key ? -1 : a.sort_key > b.sort_key ? 1 : 0))
      .map((u) => ({ id: u.id, name: u.name, kind: u.kind })),
  };
}

export interface CreateRequestBody {
  template: string;
  period: string;
  unitId: number;
  deadline: string;
  unitIds?: number[];
  note?: string | null;
}

/** A level asks the units below for a report by a deadline (all that fill it, or the ones named). */
export async function createRequest(
  db: Kysely<DB>,
  principal: Principal,
  body: CreateRequestBody,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const unit = await unitById(tx, body.unitId);
    authorize(principal, "report.request", unit.path);
    const { template } = await latestTemplate(tx, body.template);
    const period = periodFor(template, body.period);
    const code = periodCode(period);
    const candidates = await expectedReporters(tx, template, unit, period);
    let chosen = candidates;
    if (body.unitIds && body.unitIds.length > 0) {
      const ids = new Set(body.unitIds);
      chosen = candidates.filter((c) => ids.has(c.id));
      if (chosen.length !== ids.size) {
        throw problems.validation([
          {
            field: "unitIds",
            message: `Chỉ yêu cầu báo cáo được các đơn vị trực thuộc ${unit.name} lập biểu mẫu này trong ${periodLabel(period)}.`,
          },
        ]);
      }
    }
    if (chosen.length === 0) {
      throw problems.validation([
        { field: "unitIds", message: `${unit.name} không có đơn vị trực thuộc nào lập biểu mẫu này.` },
      ]);
    }
    if (body.deadline < periodRange(period).from) {
      throw problems.validation([
        { field: "deadline", message: "Hạn nộp không được trước ngày đầu của kỳ báo cáo." },
      ]);
    }
    if (await ownRequest(tx, template.code, unit.id, code)) {
      throw problems.conflict(
        "request_exists",
        `${unit.name} đã yêu cầu báo cáo «${template.name}» ${periodLabel(period)}.`,
      );
    }
    const req = await tx
      .insertInto("report_requests")
      .values({
        template_code: template.code,
        period: code,
        org_unit_id: unit.id,
        deadline: body.deadline,
        note: body.note ? normalizeText(body.note).trim() : null,
        created_by: principal.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("report_request_units")
      .values(chosen.map((c) => ({ request_id: req.id, org_unit_id: c.id })))
      .execute();
    await recordAudit(tx, ctx, {
      action: "report.requested",
      entityType: "report_request",
      entityId: req.id,
      orgUnitId: unit.id,
      after: {
        template: template.code,
        period: code,
        deadline: body.deadline,
        units: chosen.map((c) => c.id),
      },
    });
    return { id: Number(req.id) };
  });
}

/** The requests a unit has issued, newest first, each with its completeness in one line. */
export async function listRequests(db: Kysely<DB>, principal: Principal, unitId: number) {
  const unit = await unitById(db, unitId);
  authorize(principal, "report.read", unit.path);
  const rows = await db
    .selectFrom("report_requests")
    .selectAll()
    .where("org_unit_id", "=", unit.id)
    .orderBy("id", "desc")
    .limit(100)
    .execute();
  return Promise.all(rows.map((r) => requestStatus(db, principal, Number(r.id))));
}

/** Who has submitted, on time or late, who has not; and the rankings of the units on an indicator. */
export async function requestStatus(
  db: Kysely<DB>,
  principal: Principal,
  requestId: number,
  rankBy?: string,
) {
  const req = await db
    .selectFrom("report_requests")
    .selectAll()
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!req) throw problems.notFound("yêu cầu báo cáo này");
  const unit = await unitById(db, Number(req.org_unit_id));
  authorize(principal, "report.read", unit.path);
  const { template } = await latestTemplate(db, req.template_code);
  const period = periodFor(template, req.period);
  const units = await db
    .selectFrom("report_request_units as ru")
    .innerJoin("org_units as o", "o.id", "ru.org_unit_id")
    .leftJoin("reports as r", (j) =>
      j
        .onRef("r.org_unit_id", "=", "ru.org_unit_id")
        .on("r.template_code", "=", req.template_code)
        .on("r.period", "=", req.period),
    )
    .select(["o.id", "o.name", "o.sort_key", "r.status", "r.submitted_at", "r.values"])
    .where("ru.request_id", "=", req.id)
    .orderBy("o.sort_key")
    .execute();
  const reports = new Map(
    units
      .filter((u) => u.status)
      .map((u) => [
        Number(u.id),
        {
          status: u.status as ReportStatus,
          submittedAt: u.submitted_at ? new Date(u.submitted_at).toISOString() : null,
        },
      ]),
  );
  const c = completeness(
    units.map((u) => ({ id: Number(u.id), name: u.name })),
    reports,
    req.deadline,
    todayInVietnam(),
  );
  const indicator = rankBy
    ? template.indicators.find((i) => i.id === rankBy && i.kind === "typed")
    : undefined;
  const ranking = indicator
    ? rankUnits(
        units.map((u) => ({
          id: Number(u.id),
          name: u.name,
          value:
            u.status === "approved" || u.status === "submitted"
              ? (toMap(u.values).get(indicator.id) ?? null)
              : null,
        })),
        "desc",
      )
    : null;
  return {
    id: Number(req.id),
    template: { code: template.code, name: template.name },
    unit: { id: unit.id, name: unit.name },
    period: { code: req.period, label: periodLabel(period) },
    deadline: req.deadline,
    note: req.note,
    completeness: c,
    ranking:
      ranking && indicator ? { indicator: { id: indicator.id, label: indicator.label }, ...ranking } : null,
  };
}

// ─── Documents ─────────────────────────────────────────────────────────────────────────

/** "Tỉnh Thái Nguyên" → "tỉnh Thái Nguyên", as a unit is named inside a sentence. */
function inSentence(unitName: string): string {
  return unitName.replace(/^(Tỉnh|Thành phố|Xã|Phường|Thị trấn|Đặc khu|Thị xã|Huyện|Quận)\s/u, (w) =>
    w.toLowerCase(),
  );
}

/** "Xã Bình Yên" → "Bình Yên": the place name written before the date. */
function placeName(unitName: string): string {
  return unitName.replace(/^(Tỉnh|Thành phố|Xã|Phường|Thị trấn|Đặc khu|Thị xã|Huyện|Quận)\s+/u, "");
}

/**
 * What a template's period tables show besides the period's own values: each year of the phase
 * evaluated from that year's records (no typed values: a phase report has no yearly reports), and
 * the unit's targets for the phases after it.
 */
async function periodTableInputs(
  db: Exec,
  template: ReportTemplate,
  unit: Unit,
  period: Period,
  includeSubmitted: boolean,
) {
  const tables = template.sections.flatMap((s) => (s.kind === "period_table" ? [s] : []));
  if (tables.length === 0 || period.kind !== "phase") return {};
  const projections = Math.max(...tables.map((s) => s.projections));
  const years = [];
  for (const year of childPeriods(period, "year")) {
    const { all } = await evaluate(db, template, unit, year, new Map(), includeSubmitted, new Map(), false);
    years.push({ period: year, values: all });
  }
  const nextPhases = [];
  let next: Period = period;
  for (let i = 0; i < projections; i++) {
    next = nextPeriod(next);
    nextPhases.push({ period: next, targets: await targetsOf(db, template.code, unit.id, periodCode(next)) });
  }
  return { years, nextPhases };
}

async function documentInput(db: Kysely<DB>, principal: Principal, q: OpenReportQuery) {
  const view = await getReport(db, principal, q);
  const { unit } = await loadContext(db, principal, q);
  const parent = unit.parent_id ? await unitById(db, unit.parent_id) : null;
  const template = view.template;
  const period = periodFor(template, view.period.code);
  const centre = unit.kind === "learning_centre";
  // A centre is named after its commune: the place is the commune's.
  const place = placeName(centre && parent ? parent.name : unit.name);
  const association = template.document.issuer === "association";
  const issuer = association
    ? {
        name: `Hội Khuyến học ${unit.name}`,
        above: parent && parent.level > 0 ? `Hội Khuyến học ${parent.name}` : undefined,
      }
    : { name: unit.name, above: parent && parent.level > 0 ? `UBND ${parent.name}` : undefined };
  return {
    view,
    input: {
      template,
      unit: { name: association ? inSentence(unit.name) : unit.name, parentName: issuer.above },
      issuerLabel: issuer.name,
      period,
      number: view.report?.docNumber ?? null,
      issuedOn: view.report?.issuedOn ?? todayInVietnam(),
      place,
      values: new Map(Object.entries(view.values)),
      narratives: view.narratives,
      signerName: view.report?.signerName ?? undefined,
      targets: new Map(Object.entries(view.targets)),
      ...(await periodTableInputs(db, template, unit, period, q.includeSubmitted ?? false)),
    },
  };
}

/** The report as a document (the browser's preview, the DOCX) and its Excel appendix. */
export async function reportDocument(
  db: Kysely<DB>,
  principal: Principal,
  q: OpenReportQuery,
): Promise<{ document: ReportDocument; appendix: Appendix; fileStem: string; status: ReportStatus | null }> {
  const { view, input } = await documentInput(db, principal, q);
  return {
    document: composeDocument(input),
    appendix: composeAppendix(input),
    fileStem: `bao-cao-${view.template.code}-${view.period.code}-${view.unit.id}`,
    status: view.report?.status ?? null,
  };
}
