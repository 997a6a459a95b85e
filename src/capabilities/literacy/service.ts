/**
 * Literacy and universal education (xóa mù chữ, phổ cập giáo dục): a commune's figures per year
 * (saved whole, corrected by saving again, deletable), and the summary of any unit above from
 * the live counters. Every write is authorised against the commune's path and audited in its
 * own transaction, together with its counter changes.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import { isInScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB, LiteracyYearsTable } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import {
  AGE_BANDS,
  type AgeBand,
  bandRows,
  figuresFromMetrics,
  type LiteracyFigures,
  STANDARDS,
  type StandardCode,
  surveyDateProblem,
  yearProblem,
} from "../../domain/literacy/literacy.ts";
import { isValidOn } from "../../domain/org-units.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { communesInYear, readChildrenSummary } from "../statistics/children-summary.ts";
import { bumpLiteracyStats, LITERACY_STATS, literacyDeltas } from "./counters.ts";
import type { LiteracyBody } from "./schemas.ts";

type Exec = Kysely<DB> | Transaction<DB>;
type Row = Omit<LiteracyYearsTable, "created_at" | "updated_at"> & { updated_at: Date | string };

const col = (b: AgeBand) => b.replace("-", "_") as "15_25" | "26_35" | "36_60";
const levelColumn = (code: StandardCode) => `${code}_level` as "xmc_level";

/** A stored year's figures (the import compares a row of its file with them). */
export function figuresOf(r: Row): LiteracyFigures {
  const bands = Object.fromEntries(
    AGE_BANDS.map((b) => [
      b,
      {
        population: r[`population_${col(b)}`],
        level1: r[`level1_${col(b)}`],
        level2: r[`level2_${col(b)}`],
      },
    ]),
  ) as LiteracyFigures["bands"];
  const standards = Object.fromEntries(
    STANDARDS.map((s) => [s.code, Number(r[levelColumn(s.code)])]),
  ) as LiteracyFigures["standards"];
  return { bands, newlyLiterateContinuing: r.newly_literate_continuing, standards };
}

function columnsOf(f: LiteracyFigures, surveyDate: string | null) {
  const out: Record<string, number | string | null> = {
    survey_date: surveyDate,
    newly_literate_continuing: f.newlyLiterateContinuing,
  };
  for (const b of AGE_BANDS) {
    out[`population_${col(b)}`] = f.bands[b].population;
    out[`level1_${col(b)}`] = f.bands[b].level1;
    out[`level2_${col(b)}`] = f.bands[b].level2;
  }
  for (const s of STANDARDS) out[levelColumn(s.code)] = f.standards[s.code];
  return out as Omit<Row, "org_unit_id" | "year" | "created_by" | "updated_by" | "updated_at">;
}

function toRecord(r: Row) {
  const f = figuresOf(r);
  return {
    year: r.year,
    surveyDate: r.survey_date,
    bands: f.bands,
    newlyLiterateContinuing: f.newlyLiterateContinuing,
    standards: f.standards as Record<string, number>,
    rows: bandRows(f.bands),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** The audit's view of a record: the figures as entered. */
const audited = (r: Row) => ({ year: r.year, surveyDate: r.survey_date, ...figuresOf(r) });

async function unitById(tx: Exec, id: number) {
  const unit = await tx
    .selectFrom("org_units")
    .select(["id", "name", "kind", "path", "valid_from", "valid_to"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  return unit;
}

const WRONG_KIND =
  "Số liệu xóa mù chữ, phổ cập giáo dục chỉ nhập ở cấp xã (xã, phường, đặc khu); cấp trên xem số liệu tổng hợp.";

/** Why a commune that did not exist during `year` takes no figures for it, or null. */
export function communeYearProblem(
  unit: { name: string; valid_from: string | null; valid_to: string | null },
  year: number,
): string | null {
  const existed =
    isValidOn({ valid_from: unit.valid_from, valid_to: null }, `${year}-12-31`) &&
    isValidOn({ valid_from: null, valid_to: unit.valid_to }, `${year}-01-01`);
  return existed
    ? null
    : `${unit.name} không tồn tại trong năm ${year}: nhập số liệu năm đó cho đơn vị hành chính khi ấy.`;
}

/** A commune that existed during `year`, or the Vietnamese refusal. */
function checkCommuneYear(unit: Awaited<ReturnType<typeof unitById>>, year: number) {
  if (unit.kind !== "commune") throw problems.badRequest("wrong_unit_kind", WRONG_KIND);
  const problem = communeYearProblem(unit, year);
  if (problem) throw problems.validation([{ field: "year", message: problem }]);
}

async function lockRecord(tx: Exec, communeId: number, year: number) {
  return (await tx
    .selectFrom("literacy_years")
    .selectAll()
    .where("org_unit_id", "=", communeId)
    .where("year", "=", year)
    .forUpdate()
    .executeTakeFirst()) as Row | undefined;
}

export async function getCommuneYear(db: Kysely<DB>, principal: Principal, communeId: number, year: number) {
  const unit = await unitById(db, communeId);
  authorize(principal, "literacy.read", unit.path);
  if (unit.kind !== "commune") throw problems.badRequest("wrong_unit_kind", WRONG_KIND);
  const rows = (await db
    .selectFrom("literacy_years")
    .selectAll()
    .where("org_unit_id", "=", communeId)
    .orderBy("year", "desc")
    .execute()) as Row[];
  const record = rows.find((r) => r.year === year);
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    year,
    record: record ? toRecord(record) : null,
    years: rows.map((r) => r.year),
    canWrite: roleGrants(principal.role, "literacy.write") && isInScope(principal.scopePaths, unit.path),
  };
}

export async function saveCommuneYear(
  db: Kysely<DB>,
  principal: Principal,
  communeId: number,
  year: number,
  input: z.infer<typeof LiteracyBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute((tx) => saveCommuneYearIn(tx, principal, communeId, year, input, ctx));
}

/**
 * `saveCommuneYear` inside the caller's transaction (the Excel import saves a whole file in one):
 * a first save or a correction, the counters moved by after − before, audited.
 */
export async function saveCommuneYearIn(
  tx: Transaction<DB>,
  principal: Principal,
  communeId: number,
  year: number,
  input: z.infer<typeof LiteracyBody>,
  ctx: AuditContext,
) {
  const unit = await unitById(tx, communeId);
  authorize(principal, "literacy.write", unit.path);
  checkCommuneYear(unit, year);
  const today = todayInVietnam();
  const surveyDate = input.surveyDate ?? null;
  const errors = [
    { field: "year", message: yearProblem(year, today) },
    { field: "surveyDate", message: surveyDateProblem(year, surveyDate, today) },
  ].filter((e): e is { field: string; message: string } => e.message !== null);
  if (errors.length > 0) throw problems.validation(errors);

  const after: LiteracyFigures = {
    bands: input.bands,
    newlyLiterateContinuing: input.newlyLiterateContinuing ?? null,
    standards: input.standards,
  };
  // Two first saves of the same commune at once: the second waits for the first and then
  // corrects it, instead of failing on the primary key.
  await sql`select pg_advisory_xact_lock(hashtext('literacy_years'), ${communeId}::int)`.execute(tx);
  const before = await lockRecord(tx, communeId, year);
  const values = columnsOf(after, surveyDate);
  if (before) {
    await tx
      .updateTable("literacy_years")
      .set({ ...values, updated_by: principal.userId, updated_at: sql`now()` })
      .where("org_unit_id", "=", communeId)
      .where("year", "=", year)
      .execute();
  } else {
    await tx
      .insertInto("literacy_years")
      .values({
        ...values,
        org_unit_id: communeId,
        year,
        created_by: principal.userId,
        updated_by: principal.userId,
      })
      .execute();
  }
  await bumpLiteracyStats(tx, unit.path, literacyDeltas(year, before ? figuresOf(before) : null, after));
  await recordAudit(tx, ctx, {
    action: before ? "literacy.year.update" : "literacy.year.create",
    entityType: "literacy_year",
    entityId: `${communeId}/${year}`,
    orgUnitId: communeId,
    before: before ? audited(before) : null,
    after: { year, surveyDate, ...after },
  });
  const saved = await lockRecord(tx, communeId, year);
  if (!saved) throw new Error("literacy record vanished inside its own transaction");
  return toRecord(saved);
}

export async function deleteCommuneYear(
  db: Kysely<DB>,
  principal: Principal,
  communeId: number,
  year: number,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const unit = await unitById(tx, communeId);
    authorize(principal, "literacy.write", unit.path);
    if (unit.kind !== "commune") throw problems.badRequest("wrong_unit_kind", WRONG_KIND);
    const before = await lockRecord(tx, communeId, year);
    if (!before) throw problems.notFound(`số liệu năm ${year} của ${unit.name}`);
    await tx
      .deleteFrom("literacy_years")
      .where("org_unit_id", "=", communeId)
      .where("year", "=", year)
      .execute();
    await bumpLiteracyStats(tx, unit.path, literacyDeltas(year, figuresOf(before), null));
    await recordAudit(tx, ctx, {
      action: "literacy.year.delete",
      entityType: "literacy_year",
      entityId: `${communeId}/${year}`,
      orgUnitId: communeId,
      before: audited(before),
    });
  });
}

// ─── Summary ───────────────────────────────────────────────────────────────────────────

/** Kinds of child that hold communes (or are one): the rows of a summary. */
const COMMUNE_HOLDERS = ["province", "cluster", "district", "commune"];

export async function literacySummary(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; year: number },
) {
  const period = String(query.year);
  const { unit, children, own, of } = await readChildrenSummary(db, principal, {
    action: "literacy.read",
    table: LITERACY_STATS,
    orgUnitId: query.orgUnitId,
    periods: [period],
    childrenValidIn: query.year,
    childKinds: COMMUNE_HOLDERS,
  });
  const communes = await communesInYear(db, unit, query.year);
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind, level: unit.level },
    year: query.year,
    communes: communes.total,
    total: figuresFromMetrics(own(period) ?? new Map()),
    children: children.map((c) => {
      const m = of(c.id, period);
      return {
        id: c.id,
        name: c.name,
        kind: c.kind,
        communes: communes.below(c.id),
        figures: m && (m.get("reported") ?? 0) > 0 ? figuresFromMetrics(m) : null,
      };
    }),
  };
}
