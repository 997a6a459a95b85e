/**
 * Inspections (kiểm tra): plans with their team and the units to inspect, grouped in clusters,
 * the result of each unit, the inspections a unit has had, and the counts per unit and year
 * (live counters, `inspection_stats`). Every write is authorised against the inspecting unit's
 * path, checked by the domain rules, and applied in one transaction with its counter changes and
 * its audit entry.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import { isInScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import {
  defaultCategoryFor,
  INSPECTING_KINDS,
  type InspectionRating,
  planMetrics,
  planPeriod,
  resultProblems,
  type SchoolLevel,
  type TargetCategory,
  type TeamRole,
  targetProblems,
  targetUnitProblems,
} from "../../domain/inspections/rules.ts";
import { monthBucket } from "../../domain/periods.ts";
import { foldForSearch } from "../../domain/text.ts";
import { type FieldError, problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { countsByChild } from "../statistics/children-summary.ts";
import { bumpPeriodStats, recordDeltas } from "../statistics/period-counters.ts";
import type { PlanBody, ResultBody } from "./schemas.ts";

type Exec = Kysely<DB> | Transaction<DB>;
type PlanInput = z.infer<typeof PlanBody>;

const STATS = "inspection_stats";

async function unitById(exec: Exec, id: number) {
  return exec
    .selectFrom("org_units")
    .select(["id", "name", "kind", "path", "level"])
    .where("id", "=", id)
    .executeTakeFirst();
}

async function planRow(exec: Exec, id: number, lock = false) {
  let q = exec
    .selectFrom("inspection_plans as p")
    .innerJoin("org_units as u", "u.id", "p.org_unit_id")
    .selectAll("p")
    .select(["u.name as unit_name", "u.path as unit_path"])
    .where("p.id", "=", id);
  if (lock) q = q.forUpdate("p");
  const plan = await q.executeTakeFirst();
  if (!plan) throw problems.notFound("kế hoạch kiểm tra này");
  return plan;
}

function targetsOf(exec: Exec, planIds: readonly number[]) {
  return exec
    .selectFrom("inspection_targets as t")
    .innerJoin("org_units as u", "u.id", "t.org_unit_id")
    .selectAll("t")
    .select(["u.name as unit_name", "u.kind as unit_kind"])
    .where("t.plan_id", "in", planIds.length > 0 ? [...planIds] : [0])
    .orderBy("t.plan_id")
    .orderBy("t.position")
    .execute();
}
type TargetRow = Awaited<ReturnType<typeof targetsOf>>[number];

function toTarget(t: TargetRow) {
  return {
    id: t.id,
    unit: { id: t.org_unit_id, name: t.unit_name, kind: t.unit_kind },
    category: t.category as TargetCategory,
    schoolLevel: t.school_level as SchoolLevel | null,
    cluster: t.cluster,
    scheduledOn: t.scheduled_on,
    inspectedOn: t.inspected_on,
    rating: t.rating as InspectionRating | null,
    findings: t.findings,
    recommendations: t.recommendations,
  };
}

type PlanRow = Awaited<ReturnType<typeof planRow>>;

function toPlan(p: PlanRow, targets: TargetRow[], principal: Principal) {
  return {
    id: p.id,
    unit: { id: p.org_unit_id, name: p.unit_name },
    documentNumber: p.document_number,
    issuedOn: p.issued_on,
    title: p.title,
    fromDate: p.from_date,
    toDate: p.to_date,
    team: p.team as { fullName: string; position: string | null; role: TeamRole }[],
    notes: p.notes,
    targets: targets.map(toTarget),
    canWrite: roleGrants(principal.role, "inspection.write") && isInScope(principal.scopePaths, p.unit_path),
  };
}

/** A plan as the counters see it: its year and the metrics of its targets. */
async function countedPlan(tx: Exec, planId: number) {
  const plan = await tx
    .selectFrom("inspection_plans")
    .select("issued_on")
    .where("id", "=", planId)
    .executeTakeFirst();
  if (!plan) return null;
  const targets = await tx
    .selectFrom("inspection_targets")
    .select(["category", "school_level", "rating"])
    .where("plan_id", "=", planId)
    .execute();
  return {
    periods: [planPeriod(plan.issued_on), monthBucket(plan.issued_on)],
    metrics: planMetrics(
      targets.map((t) => ({ category: t.category, schoolLevel: t.school_level, rating: t.rating })),
    ),
  };
}

/**
 * Run `change` on a plan inside the transaction and move the counters of the inspecting unit
 * (and its ancestors) from what the plan counted before to what it counts after.
 */
async function recount(tx: Exec, path: string, planId: number, change: () => Promise<void>) {
  const before = await countedPlan(tx, planId);
  await change();
  const after = await countedPlan(tx, planId);
  await bumpPeriodStats(tx, STATS, path, recordDeltas(before, after));
}

// ─── Reading ───────────────────────────────────────────────────────────────────────────

export async function listPlans(db: Kysely<DB>, principal: Principal, orgUnitId: number, year: number) {
  const unit = await unitById(db, orgUnitId);
  if (!unit) throw problems.notFound("đơn vị này");
  authorize(principal, "inspection.read", unit.path);
  const plans = await db
    .selectFrom("inspection_plans as p")
    .innerJoin("org_units as u", "u.id", "p.org_unit_id")
    .selectAll("p")
    .select(["u.name as unit_name", "u.path as unit_path"])
    .where("p.org_unit_id", "=", orgUnitId)
    .where("p.year", "=", year)
    .orderBy("p.issued_on", "desc")
    .orderBy("p.id", "desc")
    .execute();
  const targets = await targetsOf(
    db,
    plans.map((p) => p.id),
  );
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    year,
    canCreate:
      (INSPECTING_KINDS as readonly string[]).includes(unit.kind) &&
      roleGrants(principal.role, "inspection.write") &&
      isInScope(principal.scopePaths, unit.path),
    plans: plans.map((p) =>
      toPlan(
        p,
        targets.filter((t) => t.plan_id === p.id),
        principal,
      ),
    ),
  };
}

export async function getPlan(db: Kysely<DB>, principal: Principal, id: number) {
  const plan = await planRow(db, id);
  authorize(principal, "inspection.read", plan.unit_path);
  return toPlan(plan, await targetsOf(db, [id]), principal);
}

/** The inspections of one unit (as a target), newest first: "how was I inspected". */
export async function inspectionsOfUnit(db: Kysely<DB>, principal: Principal, orgUnitId: number) {
  const unit = await unitById(db, orgUnitId);
  if (!unit) throw problems.notFound("đơn vị này");
  authorize(principal, "inspection.read", unit.path);
  const rows = await db
    .selectFrom("inspection_targets as t")
    .innerJoin("inspection_plans as p", "p.id", "t.plan_id")
    .innerJoin("org_units as pu", "pu.id", "p.org_unit_id")
    .innerJoin("org_units as u", "u.id", "t.org_unit_id")
    .selectAll("t")
    .select([
      "u.name as unit_name",
      "u.kind as unit_kind",
      "p.document_number",
      "p.issued_on",
      "p.title",
      "pu.id as plan_unit_id",
      "pu.name as plan_unit_name",
    ])
    .where("t.org_unit_id", "=", orgUnitId)
    .orderBy("p.issued_on", "desc")
    .limit(200)
    .execute();
  return rows.map((r) => {
    const { unit: _unit, ...target } = toTarget(r);
    return {
      ...target,
      plan: {
        id: r.plan_id,
        unit: { id: r.plan_unit_id, name: r.plan_unit_name },
        documentNumber: r.document_number,
        issuedOn: r.issued_on,
        title: r.title,
      },
    };
  });
}

// ─── Plans ─────────────────────────────────────────────────────────────────────────────

/** The inspecting unit, once the principal may write there and it is a unit that inspects. */
async function inspectingUnit(tx: Exec, principal: Principal, orgUnitId: number) {
  const unit = await unitById(tx, orgUnitId);
  if (!unit) throw problems.notFound("đơn vị này");
  authorize(principal, "inspection.write", unit.path);
  if (!(INSPECTING_KINDS as readonly string[]).includes(unit.kind)) {
    throw problems.validation([
      {
        field: "orgUnitId",
        message: `${unit.name} không phải là đơn vị lập kế hoạch kiểm tra (chỉ tỉnh, cụm, xã, phường).`,
      },
    ]);
  }
  return unit;
}

/** The targets with their categories filled in and every check against the units done. */
async function checkedTargets(
  tx: Exec,
  principal: Principal,
  unit: { path: string; name: string },
  input: PlanInput,
) {
  const ids = [...new Set(input.targets.map((t) => t.orgUnitId))];
  const units = await tx
    .selectFrom("org_units")
    .select(["id", "name", "kind", "path"])
    .where("id", "in", ids)
    .execute();
  const byId = new Map(units.map((u) => [u.id, u]));
  const errors: FieldError[] = [];
  const targets = input.targets.map((t, i) => {
    const target = byId.get(t.orgUnitId);
    if (!target) {
      errors.push({ field: `targets.${i}.orgUnitId`, message: "Không tìm thấy đơn vị được kiểm tra." });
      return null;
    }
    // A unit outside the user's own units is refused as such, saying nothing about it.
    authorize(principal, "inspection.write", target.path);
    const category = t.category ?? defaultCategoryFor(target.kind);
    errors.push(...targetUnitProblems(i, unit, target, category));
    return {
      orgUnitId: t.orgUnitId,
      category,
      schoolLevel: t.schoolLevel ?? null,
      cluster: t.cluster,
      scheduledOn: t.scheduledOn ?? null,
    };
  });
  const filled = targets.filter((t) => t !== null);
  if (filled.length === targets.length) errors.push(...targetProblems(input, filled));
  if (errors.length > 0) throw problems.validation(dedupe(errors));
  return filled;
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function planValues(input: PlanInput) {
  return {
    document_number: input.documentNumber,
    issued_on: input.issuedOn,
    year: Number(input.issuedOn.slice(0, 4)),
    title: input.title,
    search_key: foldForSearch(`${input.documentNumber} ${input.title}`),
    from_date: input.fromDate,
    to_date: input.toDate,
    team: JSON.stringify(input.team),
    notes: input.notes,
  };
}

export async function createPlan(db: Kysely<DB>, principal: Principal, input: PlanInput, ctx: AuditContext) {
  return db.transaction().execute(async (tx) => {
    const unit = await inspectingUnit(tx, principal, input.orgUnitId);
    const targets = await checkedTargets(tx, principal, unit, input);
    const created = await tx
      .insertInto("inspection_plans")
      .values({ ...planValues(input), org_unit_id: unit.id, created_by: principal.userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("inspection_targets")
      .values(
        targets.map((t, i) => ({
          plan_id: created.id,
          org_unit_id: t.orgUnitId,
          position: i,
          category: t.category,
          school_level: t.schoolLevel,
          cluster: t.cluster,
          scheduled_on: t.scheduledOn,
        })),
      )
      .execute();
    await bumpPeriodStats(tx, STATS, unit.path, recordDeltas(null, await countedPlan(tx, created.id)));
    await recordAudit(tx, ctx, {
      action: "inspection.plan.create",
      entityType: "inspection_plan",
      entityId: created.id,
      orgUnitId: unit.id,
      after: { ...input, targets },
    });
    return toPlan(await planRow(tx, created.id), await targetsOf(tx, [created.id]), principal);
  });
}

export async function updatePlan(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: PlanInput,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const before = await planRow(tx, id, true);
    authorize(principal, "inspection.write", before.unit_path);
    if (input.orgUnitId !== before.org_unit_id) {
      throw problems.validation([
        { field: "orgUnitId", message: "Không đổi được đơn vị lập kế hoạch; hãy lập kế hoạch mới." },
      ]);
    }
    const unit = await inspectingUnit(tx, principal, before.org_unit_id);
    const targets = await checkedTargets(tx, principal, unit, input);
    const oldTargets = await targetsOf(tx, [id]);
    const kept = new Set(targets.map((t) => t.orgUnitId));
    // A result already recorded must not predate the plan's (new) issue date.
    const early = oldTargets.filter(
      (t) => kept.has(t.org_unit_id) && t.inspected_on !== null && t.inspected_on < input.issuedOn,
    );
    if (early.length > 0) {
      throw problems.validation([
        {
          field: "issuedOn",
          message: `Đã có kết quả kiểm tra trước ngày này (${early.map((t) => t.unit_name).join(", ")}).`,
        },
      ]);
    }
    await recount(tx, unit.path, id, async () => {
      await tx
        .updateTable("inspection_plans")
        .set({ ...planValues(input), updated_at: sql`now()` })
        .where("id", "=", id)
        .execute();
      const removed = oldTargets.filter((t) => !kept.has(t.org_unit_id)).map((t) => t.id);
      if (removed.length > 0) await tx.deleteFrom("inspection_targets").where("id", "in", removed).execute();
      const existing = new Set(oldTargets.map((t) => t.org_unit_id));
      for (const [i, t] of targets.entries()) {
        const values = {
          position: i,
          category: t.category,
          school_level: t.schoolLevel,
          cluster: t.cluster,
          scheduled_on: t.scheduledOn,
        };
        if (existing.has(t.orgUnitId)) {
          await tx
            .updateTable("inspection_targets")
            .set(values)
            .where("plan_id", "=", id)
            .where("org_unit_id", "=", t.orgUnitId)
            .execute();
        } else {
          await tx
            .insertInto("inspection_targets")
            .values({ ...values, plan_id: id, org_unit_id: t.orgUnitId })
            .execute();
        }
      }
    });
    await recordAudit(tx, ctx, {
      action: "inspection.plan.update",
      entityType: "inspection_plan",
      entityId: id,
      orgUnitId: unit.id,
      before: { ...before, targets: oldTargets },
      after: { ...input, targets },
    });
    return toPlan(await planRow(tx, id), await targetsOf(tx, [id]), principal);
  });
}

export async function deletePlan(db: Kysely<DB>, principal: Principal, id: number, ctx: AuditContext) {
  return db.transaction().execute(async (tx) => {
    const before = await planRow(tx, id, true);
    authorize(principal, "inspection.write", before.unit_path);
    const targets = await targetsOf(tx, [id]);
    await recount(tx, before.unit_path, id, async () => {
      await tx.deleteFrom("inspection_targets").where("plan_id", "=", id).execute();
      await tx.deleteFrom("inspection_plans").where("id", "=", id).execute();
    });
    await recordAudit(tx, ctx, {
      action: "inspection.plan.delete",
      entityType: "inspection_plan",
      entityId: id,
      orgUnitId: before.org_unit_id,
      before: { ...before, targets },
    });
  });
}

// ─── Results ───────────────────────────────────────────────────────────────────────────

async function lockTarget(tx: Exec, principal: Principal, targetId: number) {
  const target = await tx
    .selectFrom("inspection_targets")
    .selectAll()
    .where("id", "=", targetId)
    .forUpdate()
    .executeTakeFirst();
  if (!target) throw problems.notFound("đơn vị trong kế hoạch kiểm tra này");
  const plan = await planRow(tx, target.plan_id, true);
  authorize(principal, "inspection.write", plan.unit_path);
  return { target, plan };
}

const resultOf = (t: {
  inspected_on: string | null;
  rating: string | null;
  findings: string | null;
  recommendations: string | null;
}) => ({
  inspectedOn: t.inspected_on,
  rating: t.rating,
  findings: t.findings,
  recommendations: t.recommendations,
});

export async function saveResult(
  db: Kysely<DB>,
  principal: Principal,
  targetId: number,
  input: z.infer<typeof ResultBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const { target, plan } = await lockTarget(tx, principal, targetId);
    const errors = resultProblems({ issuedOn: plan.issued_on }, input);
    if (errors.length > 0) throw problems.validation(errors);
    await recount(tx, plan.unit_path, plan.id, async () => {
      await tx
        .updateTable("inspection_targets")
        .set({
          inspected_on: input.inspectedOn,
          rating: input.rating,
          findings: input.findings,
          recommendations: input.recommendations,
          result_by: principal.userId,
          result_at: new Date(),
        })
        .where("id", "=", targetId)
        .execute();
    });
    await recordAudit(tx, ctx, {
      action: target.rating ? "inspection.result.correct" : "inspection.result.record",
      entityType: "inspection_target",
      entityId: targetId,
      orgUnitId: target.org_unit_id,
      before: target.rating ? resultOf(target) : null,
      after: input,
    });
    const [row] = await targetsOf(tx, [plan.id]).then((rows) => rows.filter((r) => r.id === targetId));
    if (!row) throw problems.notFound("đơn vị trong kế hoạch kiểm tra này");
    return toTarget(row);
  });
}

export async function clearResult(db: Kysely<DB>, principal: Principal, targetId: number, ctx: AuditContext) {
  return db.transaction().execute(async (tx) => {
    const { target, plan } = await lockTarget(tx, principal, targetId);
    if (!target.rating) return;
    await recount(tx, plan.unit_path, plan.id, async () => {
      await tx
        .updateTable("inspection_targets")
        .set({
          inspected_on: null,
          rating: null,
          findings: null,
          recommendations: null,
          result_by: principal.userId,
          result_at: new Date(),
        })
        .where("id", "=", targetId)
        .execute();
    });
    await recordAudit(tx, ctx, {
      action: "inspection.result.clear",
      entityType: "inspection_target",
      entityId: targetId,
      orgUnitId: target.org_unit_id,
      before: resultOf(target),
      after: null,
    });
  });
}

// ─── Counts ────────────────────────────────────────────────────────────────────────────

export async function inspectionReport(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; year: number },
) {
  return countsByChild(db, principal, {
    ...query,
    action: "inspection.read",
    table: STATS,
    childKinds: INSPECTING_KINDS,
  });
}
