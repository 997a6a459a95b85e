/**
 * Commendation proposals (Bằng khen, Giấy khen…) and exemplary models (điển hình tiên tiến) of a
 * unit, with the live counters `commendation_stats` kept at the proposing unit and its
 * ancestors. One proposal for several recipients makes one row each, in one transaction; the
 * outcome (awarded with its decision, declined) is recorded on each row. Every write is
 * authorised against the unit's path and audited in its own transaction.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import { isInScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import {
  type CommendationKind,
  type CommendationStatus,
  commendationMetrics,
  decisionProblems,
  type ExemplaryModel,
  exemplaryMetrics,
  type RecipientType,
} from "../../domain/commendations/rules.ts";
import { monthBucket } from "../../domain/periods.ts";
import { foldForSearch } from "../../domain/text.ts";
import { type FieldError, problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { countsByChild } from "../statistics/children-summary.ts";
import { bumpPeriodStats, recordDeltas } from "../statistics/period-counters.ts";
import type { CommendationBody, DecisionBody, ExemplaryBody, ProposalBody } from "./schemas.ts";

type Exec = Kysely<DB> | Transaction<DB>;
const STATS = "commendation_stats";

async function unitById(exec: Exec, id: number) {
  const unit = await exec
    .selectFrom("org_units")
    .select(["id", "name", "kind", "path", "level"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  return unit;
}

/** The unit a proposal or a model belongs to, once the principal may write there. */
async function writableUnit(tx: Exec, principal: Principal, id: number) {
  const unit = await unitById(tx, id);
  authorize(principal, "commendation.write", unit.path);
  if (unit.level === 0) {
    throw problems.validation([
      { field: "orgUnitId", message: "Chọn một tỉnh, xã hoặc đơn vị cụ thể, không phải toàn quốc." },
    ]);
  }
  return unit;
}

type Row = {
  kind: string;
  recipient_type: string;
  status: string;
  proposed_on: string;
};
const counted = (r: Row | null | undefined) =>
  r
    ? {
        periods: [r.proposed_on.slice(0, 4), monthBucket(r.proposed_on)],
        metrics: commendationMetrics({ kind: r.kind, recipientType: r.recipient_type, status: r.status }),
      }
    : null;
const countedModel = (m: { model: string; year: number } | null | undefined) =>
  m ? { periods: [String(m.year)], metrics: exemplaryMetrics(m.model) } : null;

function selectCommendations(exec: Exec) {
  return exec
    .selectFrom("commendations as c")
    .innerJoin("org_units as u", "u.id", "c.org_unit_id")
    .selectAll("c")
    .select(["u.name as unit_name", "u.path as unit_path"]);
}
type CommendationRow = Awaited<ReturnType<ReturnType<typeof selectCommendations>["executeTakeFirstOrThrow"]>>;

function toCommendation(c: CommendationRow) {
  return {
    id: c.id,
    unit: { id: c.org_unit_id, name: c.unit_name },
    kind: c.kind as CommendationKind,
    kindOther: c.kind_other,
    recipientType: c.recipient_type as RecipientType,
    recipientName: c.recipient_name,
    recipientOrgUnitId: c.recipient_org_unit_id,
    awardingBody: c.awarding_body,
    reason: c.reason,
    proposedOn: c.proposed_on,
    proposalNumber: c.proposal_number,
    status: c.status as CommendationStatus,
    decisionNumber: c.decision_number,
    decidedOn: c.decided_on,
    decisionNote: c.decision_note,
  };
}

function selectModels(exec: Exec) {
  return exec
    .selectFrom("exemplary_models as m")
    .innerJoin("org_units as u", "u.id", "m.org_unit_id")
    .selectAll("m")
    .select(["u.name as unit_name", "u.path as unit_path"]);
}
type ModelRow = Awaited<ReturnType<ReturnType<typeof selectModels>["executeTakeFirstOrThrow"]>>;

function toModel(m: ModelRow) {
  return {
    id: m.id,
    unit: { id: m.org_unit_id, name: m.unit_name },
    model: m.model as ExemplaryModel,
    name: m.name,
    year: m.year,
    story: m.story,
    honouredAt: m.honoured_at,
  };
}

// ─── Reading ───────────────────────────────────────────────────────────────────────────

export async function listCommendations(
  db: Kysely<DB>,
  principal: Principal,
  orgUnitId: number,
  year: number,
) {
  const unit = await unitById(db, orgUnitId);
  authorize(principal, "commendation.read", unit.path);
  const commendations = await selectCommendations(db)
    .where("c.org_unit_id", "=", orgUnitId)
    .where("c.year", "=", year)
    .orderBy("c.proposed_on", "desc")
    .orderBy("c.id")
    .limit(2000)
    .execute();
  const models = await selectModels(db)
    .where("m.org_unit_id", "=", orgUnitId)
    .where("m.year", "=", year)
    .orderBy("m.id", "desc")
    .limit(500)
    .execute();
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    year,
    canWrite:
      unit.level > 0 &&
      roleGrants(principal.role, "commendation.write") &&
      isInScope(principal.scopePaths, unit.path),
    commendations: commendations.map(toCommendation),
    exemplary: models.map(toModel),
  };
}

// ─── Proposals ─────────────────────────────────────────────────────────────────────────

/** Collective recipients' units: inside the proposing unit (itself included) and the user's scope. */
async function checkRecipientUnits(
  tx: Exec,
  principal: Principal,
  unit: { path: string; name: string },
  ids: readonly (number | null)[],
  field: (i: number) => string,
) {
  const wanted = ids.filter((id): id is number => id !== null);
  if (wanted.length === 0) return;
  const rows = await tx
    .selectFrom("org_units")
    .select(["id", "name", "path"])
    .where("id", "in", wanted)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  ids.forEach((id, i) => {
    if (id === null) return;
    const r = byId.get(id);
    if (!r) {
      errors.push({ field: field(i), message: "Không tìm thấy đơn vị này." });
      return;
    }
    authorize(principal, "commendation.write", r.path);
    if (!r.path.startsWith(unit.path)) {
      errors.push({ field: field(i), message: `${r.name} không trực thuộc ${unit.name}.` });
    }
  });
  if (errors.length > 0) throw problems.validation(errors);
}

function proposalValues(input: {
  kind: string;
  kindOther: string | null;
  recipientType: string;
  awardingBody: string;
  reason: string | null;
  proposedOn: string;
  proposalNumber: string | null;
}) {
  return {
    kind: input.kind,
    kind_other: input.kindOther,
    recipient_type: input.recipientType,
    awarding_body: input.awardingBody,
    reason: input.reason,
    proposed_on: input.proposedOn,
    year: Number(input.proposedOn.slice(0, 4)),
    proposal_number: input.proposalNumber,
  };
}

export async function propose(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof ProposalBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const unit = await writableUnit(tx, principal, input.orgUnitId);
    await checkRecipientUnits(
      tx,
      principal,
      unit,
      input.recipients.map((r) => r.orgUnitId ?? null),
      (i) => `recipients.${i}.orgUnitId`,
    );
    const values = proposalValues(input);
    const created = await tx
      .insertInto("commendations")
      .values(
        input.recipients.map((r) => ({
          ...values,
          org_unit_id: unit.id,
          recipient_name: r.name,
          search_key: foldForSearch(r.name),
          recipient_org_unit_id: r.orgUnitId ?? null,
          created_by: principal.userId,
        })),
      )
      .returning("id")
      .execute();
    const deltas = recordDeltas(null, counted({ ...values, status: "proposed" }));
    for (const m of deltas.values()) for (const [k, v] of m) m.set(k, v * created.length);
    await bumpPeriodStats(tx, STATS, unit.path, deltas);
    const { recipients, ...proposal } = input;
    for (const [i, c] of created.entries()) {
      await recordAudit(tx, ctx, {
        action: "commendation.propose",
        entityType: "commendation",
        entityId: c.id,
        orgUnitId: unit.id,
        after: { ...proposal, recipient: recipients[i] },
      });
    }
    const rows = await selectCommendations(tx)
      .where(
        "c.id",
        "in",
        created.map((c) => c.id),
      )
      .orderBy("c.id")
      .execute();
    return rows.map(toCommendation);
  });
}

async function lockCommendation(tx: Exec, principal: Principal, id: number) {
  const before = await selectCommendations(tx).where("c.id", "=", id).forUpdate("c").executeTakeFirst();
  if (!before) throw problems.notFound("đề nghị khen thưởng này");
  authorize(principal, "commendation.write", before.unit_path);
  return before;
}

export async function updateCommendation(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof CommendationBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const before = await lockCommendation(tx, principal, id);
    const unit = await unitById(tx, before.org_unit_id);
    await checkRecipientUnits(tx, principal, unit, [input.recipientOrgUnitId], () => "recipientOrgUnitId");
    const values = proposalValues(input);
    if (before.decided_on && before.decided_on < input.proposedOn) {
      throw problems.validation([
        { field: "proposedOn", message: "Ngày đề nghị không được sau ngày quyết định đã ghi." },
      ]);
    }
    await tx
      .updateTable("commendations")
      .set({
        ...values,
        recipient_name: input.recipientName,
        search_key: foldForSearch(input.recipientName),
        recipient_org_unit_id: input.recipientOrgUnitId,
        updated_at: sql`now()`,
      })
      .where("id", "=", id)
      .execute();
    await bumpPeriodStats(
      tx,
      STATS,
      unit.path,
      recordDeltas(counted(before), counted({ ...values, status: before.status })),
    );
    await recordAudit(tx, ctx, {
      action: "commendation.update",
      entityType: "commendation",
      entityId: id,
      orgUnitId: unit.id,
      before: toCommendation(before),
      after: input,
    });
    return toCommendation(await selectCommendations(tx).where("c.id", "=", id).executeTakeFirstOrThrow());
  });
}

export async function decideCommendation(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof DecisionBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const before = await lockCommendation(tx, principal, id);
    const errors = decisionProblems(before.proposed_on, input);
    if (errors.length > 0) throw problems.validation(errors);
    await tx
      .updateTable("commendations")
      .set({
        status: input.status,
        decision_number: input.decisionNumber,
        decided_on: input.decidedOn,
        decision_note: input.note,
        updated_at: sql`now()`,
      })
      .where("id", "=", id)
      .execute();
    await bumpPeriodStats(
      tx,
      STATS,
      before.unit_path,
      recordDeltas(counted(before), counted({ ...before, status: input.status })),
    );
    await recordAudit(tx, ctx, {
      action: "commendation.decide",
      entityType: "commendation",
      entityId: id,
      orgUnitId: before.org_unit_id,
      before: {
        status: before.status,
        decisionNumber: before.decision_number,
        decidedOn: before.decided_on,
        note: before.decision_note,
      },
      after: input,
    });
    return toCommendation(await selectCommendations(tx).where("c.id", "=", id).executeTakeFirstOrThrow());
  });
}

export async function deleteCommendation(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const before = await lockCommendation(tx, principal, id);
    await tx.deleteFrom("commendations").where("id", "=", id).execute();
    await bumpPeriodStats(tx, STATS, before.unit_path, recordDeltas(counted(before), null));
    await recordAudit(tx, ctx, {
      action: "commendation.delete",
      entityType: "commendation",
      entityId: id,
      orgUnitId: before.org_unit_id,
      before: toCommendation(before),
    });
  });
}

// ─── Exemplary models ──────────────────────────────────────────────────────────────────

function modelValues(input: z.infer<typeof ExemplaryBody>) {
  return {
    model: input.model,
    name: input.name,
    search_key: foldForSearch(input.name),
    year: input.year,
    story: input.story,
    honoured_at: input.honouredAt,
  };
}

export async function createModel(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof ExemplaryBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const unit = await writableUnit(tx, principal, input.orgUnitId);
    const created = await tx
      .insertInto("exemplary_models")
      .values({ ...modelValues(input), org_unit_id: unit.id, created_by: principal.userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    await bumpPeriodStats(tx, STATS, unit.path, recordDeltas(null, countedModel(input)));
    await recordAudit(tx, ctx, {
      action: "exemplary.create",
      entityType: "exemplary_model",
      entityId: created.id,
      orgUnitId: unit.id,
      after: input,
    });
    return toModel(await selectModels(tx).where("m.id", "=", created.id).executeTakeFirstOrThrow());
  });
}

async function lockModel(tx: Exec, principal: Principal, id: number) {
  const before = await selectModels(tx).where("m.id", "=", id).forUpdate("m").executeTakeFirst();
  if (!before) throw problems.notFound("điển hình này");
  authorize(principal, "commendation.write", before.unit_path);
  return before;
}

export async function updateModel(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof ExemplaryBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const before = await lockModel(tx, principal, id);
    if (input.orgUnitId !== before.org_unit_id) {
      throw problems.validation([{ field: "orgUnitId", message: "Không đổi được đơn vị của điển hình." }]);
    }
    await tx
      .updateTable("exemplary_models")
      .set({ ...modelValues(input), updated_at: sql`now()` })
      .where("id", "=", id)
      .execute();
    await bumpPeriodStats(
      tx,
      STATS,
      before.unit_path,
      recordDeltas(countedModel(before), countedModel(input)),
    );
    await recordAudit(tx, ctx, {
      action: "exemplary.update",
      entityType: "exemplary_model",
      entityId: id,
      orgUnitId: before.org_unit_id,
      before: toModel(before),
      after: input,
    });
    return toModel(await selectModels(tx).where("m.id", "=", id).executeTakeFirstOrThrow());
  });
}

export async function deleteModel(db: Kysely<DB>, principal: Principal, id: number, ctx: AuditContext) {
  return db.transaction().execute(async (tx) => {
    const before = await lockModel(tx, principal, id);
    await tx.deleteFrom("exemplary_models").where("id", "=", id).execute();
    await bumpPeriodStats(tx, STATS, before.unit_path, recordDeltas(countedModel(before), null));
    await recordAudit(tx, ctx, {
      action: "exemplary.delete",
      entityType: "exemplary_model",
      entityId: id,
      orgUnitId: before.org_unit_id,
      before: toModel(before),
    });
  });
}

// ─── Counts ────────────────────────────────────────────────────────────────────────────

/** Kinds of unit below that propose commendations and are expected to have figures. */
const REPORTING_KINDS = ["province", "cluster", "district", "commune"];

export async function commendationReport(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; year: number },
) {
  return countsByChild(db, principal, {
    ...query,
    action: "commendation.read",
    table: STATS,
    childKinds: REPORTING_KINDS,
  });
}
