/**
 * Coordination agreements (chương trình phối hợp) with partner units: sign, correct, end early,
 * delete one entered by mistake; each write audited with its counters (agreement_stats: 'signed'
 * in the year of signing, 'active' in every year in force, each also per partner kind) in one
 * transaction. "8, tăng 3 so với năm 2023" is this year's 'signed' against last year's.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import { isInScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import {
  activeYears,
  agreementMetrics,
  agreementProblems,
  changeFromLastYear,
  PARTNER_KIND_LABELS_VI,
  PARTNER_KINDS,
  type PartnerKind,
} from "../../domain/events/agreements.ts";
import { foldForSearch } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import {
  addDeltas,
  bumpPeriodStats,
  type PeriodDeltas,
  readPeriodStats,
} from "../statistics/period-counters.ts";
import type { CreateAgreementBody, UpdateAgreementBody } from "./schemas.ts";

type Exec = Kysely<DB> | Transaction<DB>;
type Input = z.infer<typeof UpdateAgreementBody>;

const ABOVE_COMMUNE = new Set(["nation", "province", "cluster", "district"]);

interface Counted {
  partnerKind: PartnerKind;
  signedOn: string;
  coversFrom: string;
  coversTo: string;
  endedOn: string | null;
}

/** The change to agreement_stats when `before` becomes `after` (either may be absent). */
export function agreementDeltas(before: Counted | null, after: Counted | null): PeriodDeltas {
  const out: PeriodDeltas = new Map();
  if (before) for (const c of agreementMetrics(before)) addDeltas(out, c.period, c.metrics, -1);
  if (after) for (const c of agreementMetrics(after)) addDeltas(out, c.period, c.metrics, 1);
  return out;
}

/** The figures of one unit from its counters for this year and last (absent = no data). */
export function agreementFigures(
  thisYear: ReadonlyMap<string, number> | undefined,
  lastYear: ReadonlyMap<string, number> | undefined,
) {
  const signed = thisYear?.get("signed") ?? 0;
  const signedLastYear = lastYear ? (lastYear.get("signed") ?? 0) : null;
  return {
    signed,
    signedLastYear,
    change: changeFromLastYear(thisYear ? signed : null, signedLastYear),
    active: thisYear?.get("active") ?? 0,
    byPartnerKind: PARTNER_KINDS.map((kind) => ({
      kind,
      label: PARTNER_KIND_LABELS_VI[kind],
      signed: thisYear?.get(`signed:${kind}`) ?? 0,
      active: thisYear?.get(`active:${kind}`) ?? 0,
    })),
  };
}

async function unitById(tx: Exec, id: number) {
  const unit = await tx
    .selectFrom("org_units")
    .select(["id", "name", "kind", "level", "path", "valid_to"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  return unit;
}

function selectAgreements(exec: Exec) {
  return exec
    .selectFrom("coordination_agreements as a")
    .innerJoin("org_units as o", "o.id", "a.org_unit_id")
    .select([
      "a.id",
      "a.org_unit_id",
      "o.name as unit_name",
      "a.partner_name",
      "a.partner_kind",
      "a.document_number",
      "a.signed_on",
      "a.covers_from",
      "a.covers_to",
      "a.content",
      "a.ended_on",
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectAgreements>["execute"]>>[number];

function toAgreement(r: Row, year: number) {
  const a = { coversFrom: r.covers_from, coversTo: r.covers_to, endedOn: r.ended_on };
  return {
    id: r.id,
    unit: { id: r.org_unit_id, name: r.unit_name },
    partnerName: r.partner_name,
    partnerKind: r.partner_kind as PartnerKind,
    partnerKindLabel: PARTNER_KIND_LABELS_VI[r.partner_kind as PartnerKind] ?? r.partner_kind,
    documentNumber: r.document_number,
    signedOn: r.signed_on,
    coversFrom: r.covers_from,
    coversTo: r.covers_to,
    content: r.content,
    endedOn: r.ended_on,
    activeInYear: overlapsYear(a, year),
  };
}

/** In force at some point of the calendar year. */
function overlapsYear(a: { coversFrom: string; coversTo: string; endedOn: string | null }, year: number) {
  return activeYears(a).includes(String(year));
}

async function oneAgreement(tx: Exec, id: number, year: number) {
  const row = await selectAgreements(tx).where("a.id", "=", id).executeTakeFirst();
  if (!row) throw problems.notFound("chương trình phối hợp này");
  return toAgreement(row, year);
}

export async function listAgreements(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; year: number },
) {
  const unit = await unitById(db, query.orgUnitId);
  authorize(principal, "agreement.read", unit.path);
  const includesBelow = !ABOVE_COMMUNE.has(unit.kind);
  const y = query.year;
  let q = selectAgreements(db)
    // Signed that year, or in force at some point of it.
    .where((eb) =>
      eb.or([
        eb.between("a.signed_on", `${y}-01-01`, `${y}-12-31`),
        eb.and([
          eb("a.covers_from", "<=", `${y}-12-31`),
          eb("a.covers_to", ">=", `${y}-01-01`),
          eb.or([eb("a.ended_on", "is", null), eb("a.ended_on", ">=", `${y}-01-01`)]),
        ]),
      ]),
    );
  q = includesBelow ? q.where("o.path", "like", `${unit.path}%`) : q.where("a.org_unit_id", "=", unit.id);
  const rows = await q.orderBy("a.signed_on", "desc").orderBy("a.id", "desc").limit(1000).execute();
  const stats = await readPeriodStats(db, "agreement_stats", [unit.id], [String(y), String(y - 1)]);
  const mine = stats.get(unit.id);
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    year: y,
    canWrite:
      roleGrants(principal.role, "agreement.write") &&
      isInScope(principal.scopePaths, unit.path) &&
      unit.valid_to === null &&
      unit.level > 0,
    includesBelow,
    figures: agreementFigures(mine?.get(String(y)), mine?.get(String(y - 1))),
    agreements: rows.map((r) => toAgreement(r, y)),
  };
}

function values(input: Input) {
  return {
    partner_name: input.partnerName,
    search_key: foldForSearch(input.partnerName),
    partner_kind: input.partnerKind,
    document_number: input.documentNumber,
    signed_on: input.signedOn,
    covers_from: input.coversFrom,
    covers_to: input.coversTo,
    content: input.content,
    ended_on: input.endedOn ?? null,
  };
}

const counted = (r: {
  partner_kind: string;
  signed_on: string;
  covers_from: string;
  covers_to: string;
  ended_on: string | null;
}): Counted => ({
  partnerKind: r.partner_kind as PartnerKind,
  signedOn: r.signed_on,
  coversFrom: r.covers_from,
  coversTo: r.covers_to,
  endedOn: r.ended_on,
});

async function lock(tx: Exec, principal: Principal, id: number) {
  const before = await tx
    .selectFrom("coordination_agreements")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!before) throw problems.notFound("chương trình phối hợp này");
  const unit = await unitById(tx, before.org_unit_id);
  authorize(principal, "agreement.write", unit.path);
  return { before, unit };
}

export async function createAgreement(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof CreateAgreementBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const unit = await unitById(tx, input.orgUnitId);
    authorize(principal, "agreement.write", unit.path);
    if (unit.level === 0) {
      throw problems.validation([
        { field: "orgUnitId", message: "Chương trình phối hợp được ghi ở tỉnh, xã hoặc đơn vị cụ thể." },
      ]);
    }
    const v = values(input);
    const created = await tx
      .insertInto("coordination_agreements")
      .values({ ...v, org_unit_id: unit.id, created_by: principal.userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    await bumpPeriodStats(tx, "agreement_stats", unit.path, agreementDeltas(null, counted(v)));
    await recordAudit(tx, ctx, {
      action: "agreement.create",
      entityType: "coordination_agreement",
      entityId: created.id,
      orgUnitId: unit.id,
      after: input,
    });
    return oneAgreement(tx, created.id, Number(input.signedOn.slice(0, 4)));
  });
}

export async function updateAgreement(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: Input,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const { before, unit } = await lock(tx, principal, id);
    const v = values(input);
    await tx
      .updateTable("coordination_agreements")
      .set({ ...v, updated_at: sql`now()` })
      .where("id", "=", id)
      .execute();
    await bumpPeriodStats(tx, "agreement_stats", unit.path, agreementDeltas(counted(before), counted(v)));
    await recordAudit(tx, ctx, {
      action: "agreement.update",
      entityType: "coordination_agreement",
      entityId: id,
      orgUnitId: unit.id,
      before,
      after: input,
    });
    return oneAgreement(tx, id, Number(input.signedOn.slice(0, 4)));
  });
}

/** End an agreement early (or move the day it ended). */
export async function endAgreement(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  endedOn: string,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const { before, unit } = await lock(tx, principal, id);
    const after = { ...counted(before), endedOn };
    const errors = agreementProblems(after);
    if (errors.length > 0) throw problems.validation(errors);
    await tx
      .updateTable("coordination_agreements")
      .set({ ended_on: endedOn, updated_at: sql`now()` })
      .where("id", "=", id)
      .execute();
    await bumpPeriodStats(tx, "agreement_stats", unit.path, agreementDeltas(counted(before), after));
    await recordAudit(tx, ctx, {
      action: "agreement.end",
      entityType: "coordination_agreement",
      entityId: id,
      orgUnitId: unit.id,
      before: { endedOn: before.ended_on },
      after: { endedOn },
    });
    return oneAgreement(tx, id, Number(endedOn.slice(0, 4)));
  });
}

export async function deleteAgreement(db: Kysely<DB>, principal: Principal, id: number, ctx: AuditContext) {
  return db.transaction().execute(async (tx) => {
    const { before, unit } = await lock(tx, principal, id);
    await tx.deleteFrom("coordination_agreements").where("id", "=", id).execute();
    await bumpPeriodStats(tx, "agreement_stats", unit.path, agreementDeltas(counted(before), null));
    await recordAudit(tx, ctx, {
      action: "agreement.delete",
      entityType: "coordination_agreement",
      entityId: id,
      orgUnitId: unit.id,
      before,
    });
  });
}
