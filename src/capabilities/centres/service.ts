/**
 * Community learning centres (TTHTCĐ): profile (board, premises), years (plan, funding by
 * source, rating by the level above), activities with live counters, and the category table
 * of seed 004 for any unit and period. Every write is authorised against the centre's path and
 * audited in its own transaction, together with its counter changes.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import { isInScope, isStrictlyBelowScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import {
  activityProblems,
  parsePeriod,
  schoolYearName,
  schoolYearStartOf,
} from "../../domain/centres/activities.ts";
import { type BoardRole, type CentreRating, FUNDING_SOURCES } from "../../domain/centres/categories.ts";
import { parsePeriod as parsePeriodCode, periodRange } from "../../domain/periods.ts";
import { foldForSearch } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit, recordAudits } from "../audit/audit-writer.ts";
import { readChildrenSummary } from "../statistics/children-summary.ts";
import { addDeltas, type PeriodDeltas } from "../statistics/period-counters.ts";
import { activityDeltas, bumpCentreStats, type CountedActivity } from "./counters.ts";
import type { ActivityBody, ProfileBody, RatingBody, YearBody } from "./schemas.ts";

type Exec = Kysely<DB> | Transaction<DB>;

async function centreById(tx: Exec, id: number) {
  const centre = await tx
    .selectFrom("org_units as c")
    .innerJoin("org_units as p", "p.id", "c.parent_id")
    .select([
      "c.id",
      "c.name",
      "c.path",
      "p.id as commune_id",
      "p.name as commune_name",
      "p.path as commune_path",
    ])
    .where("c.id", "=", id)
    .where("c.kind", "=", "learning_centre")
    .executeTakeFirst();
  if (!centre) throw problems.notFound("trung tâm học tập cộng đồng này");
  return centre;
}

/** Rating is the level above's decision: a scope strictly above the centre's commune. */
function mayRate(principal: Principal, communePath: string) {
  return roleGrants(principal.role, "centre.rate") && isStrictlyBelowScope(principal.scopePaths, communePath);
}

export async function listCategories(db: Kysely<DB>) {
  return db
    .selectFrom("centre_categories")
    .select(["code", "position", "label", "version"])
    .where("retired_in", "is", null)
    .orderBy("version")
    .orderBy("position")
    .execute();
}

async function categoryLabels(tx: Exec): Promise<Map<string, { label: string; position: number }>> {
  const rows = await tx.selectFrom("centre_categories").select(["code", "label", "position"]).execute();
  return new Map(rows.map((r) => [r.code, { label: r.label, position: r.position }]));
}

// ─── Centre ────────────────────────────────────────────────────────────────────────────

export async function getCentre(db: Kysely<DB>, principal: Principal, id: number) {
  const centre = await centreById(db, id);
  authorize(principal, "centre.read", centre.path);
  const profile = await db
    .selectFrom("centre_profiles")
    .select(["board", "premises"])
    .where("org_unit_id", "=", id)
    .executeTakeFirst();
  const years = await db
    .selectFrom("centre_years")
    .selectAll()
    .where("org_unit_id", "=", id)
    .orderBy("year", "desc")
    .execute();
  return {
    id: centre.id,
    name: centre.name,
    commune: { id: centre.commune_id, name: centre.commune_name },
    board: (profile?.board ?? []) as { fullName: string; role: BoardRole; position: string | null }[],
    premises: profile?.premises ?? null,
    years: years.map((y) => ({
      year: y.year,
      plan: y.plan,
      rating: y.rating as CentreRating | null,
      ratingNote: y.rating_note,
      fundingStateBudget: Number(y.funding_state_budget),
      fundingSocialisation: Number(y.funding_socialisation),
      fundingLearners: Number(y.funding_learners),
    })),
    canWrite: roleGrants(principal.role, "centre.write") && isInScope(principal.scopePaths, centre.path),
    canRate: mayRate(principal, centre.commune_path),
  };
}

export async function centreOfCommune(db: Kysely<DB>, principal: Principal, communeId: number) {
  const commune = await db
    .selectFrom("org_units")
    .select(["id", "name", "path", "kind"])
    .where("id", "=", communeId)
    .executeTakeFirst();
  if (commune?.kind !== "commune") throw problems.notFound("xã/phường này");
  authorize(principal, "centre.read", commune.path);
  const centre = await db
    .selectFrom("org_units")
    .select("id")
    .where("parent_id", "=", communeId)
    .where("kind", "=", "learning_centre")
    .where("valid_to", "is", null)
    .executeTakeFirst();
  return {
    commune: { id: commune.id, name: commune.name },
    centre: centre ? await getCentre(db, principal, centre.id) : null,
    canCreate: roleGrants(principal.role, "org_unit.create") && isInScope(principal.scopePaths, commune.path),
  };
}

export async function saveProfile(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof ProfileBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const centre = await centreById(tx, id);
    authorize(principal, "centre.write", centre.path);
    const before = await tx
      .selectFrom("centre_profiles")
      .select(["board", "premises"])
      .where("org_unit_id", "=", id)
      .executeTakeFirst();
    const board = JSON.stringify(input.board);
    await tx
      .insertInto("centre_profiles")
      .values({ org_unit_id: id, board, premises: input.premises, updated_by: principal.userId })
      .onConflict((oc) =>
        oc.column("org_unit_id").doUpdateSet({
          board,
          premises: input.premises,
          updated_by: principal.userId,
          updated_at: sql`now()`,
        }),
      )
      .execute();
    await recordAudit(tx, ctx, {
      action: "centre.profile",
      entityType: "learning_centre",
      entityId: id,
      orgUnitId: id,
      before: before ?? null,
      after: input,
    });
  });
}

export async function saveYear(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  year: number,
  input: z.infer<typeof YearBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const centre = await centreById(tx, id);
    authorize(principal, "centre.write", centre.path);
    const before = await tx
      .selectFrom("centre_years")
      .selectAll()
      .where("org_unit_id", "=", id)
      .where("year", "=", year)
      .forUpdate()
      .executeTakeFirst();
    const values = {
      plan: input.plan,
      funding_state_budget: input.fundingStateBudget,
      funding_socialisation: input.fundingSocialisation,
      funding_learners: input.fundingLearners,
    };
    if (before) {
      await tx
        .updateTable("centre_years")
        .set({ ...values, updated_at: sql`now()` })
        .where("org_unit_id", "=", id)
        .where("year", "=", year)
        .execute();
    } else {
      await tx
        .insertInto("centre_years")
        .values({ org_unit_id: id, year, ...values })
        .execute();
    }
    const old = {
      state_budget: Number(before?.funding_state_budget ?? 0),
      socialisation: Number(before?.funding_socialisation ?? 0),
      learners: Number(before?.funding_learners ?? 0),
    };
    const now = {
      state_budget: input.fundingStateBudget,
      socialisation: input.fundingSocialisation,
      learners: input.fundingLearners,
    };
    const deltas: PeriodDeltas = new Map();
    addDeltas(
      deltas,
      String(year),
      new Map(
        FUNDING_SOURCES.map((s) => [`funding:${s}`, now[s] - old[s]] as const).filter(([, d]) => d !== 0),
      ),
      1,
    );
    await bumpCentreStats(tx, centre.path, deltas);
    await recordAudit(tx, ctx, {
      action: "centre.year",
      entityType: "learning_centre",
      entityId: id,
      orgUnitId: id,
      before: before ? { year, plan: before.plan, funding: old } : null,
      after: { year, plan: input.plan, funding: now },
    });
  });
}

export async function rateCentre(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  year: number,
  input: z.infer<typeof RatingBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const centre = await centreById(tx, id);
    authorize(principal, "centre.rate", centre.path);
    if (!mayRate(principal, centre.commune_path)) {
      throw problems.forbidden("Xếp loại trung tâm do cấp trên của xã thực hiện.");
    }
    const before = await tx
      .selectFrom("centre_years")
      .select(["rating", "rating_note"])
      .where("org_unit_id", "=", id)
      .where("year", "=", year)
      .executeTakeFirst();
    const values = {
      rating: input.rating,
      rating_note: input.note,
      rated_by: principal.userId,
      rated_at: new Date(),
    };
    if (before) {
      await tx
        .updateTable("centre_years")
        .set(values)
        .where("org_unit_id", "=", id)
        .where("year", "=", year)
        .execute();
    } else {
      await tx
        .insertInto("centre_years")
        .values({ org_unit_id: id, year, ...values })
        .execute();
    }
    await recordAudit(tx, ctx, {
      action: "centre.rate",
      entityType: "learning_centre",
      entityId: id,
      orgUnitId: id,
      before: before ?? null,
      after: { year, ...input },
    });
  });
}

// ─── Activities ────────────────────────────────────────────────────────────────────────

type ActivityRow = Awaited<ReturnType<typeof oneActivity>>;

function toActivity(r: ActivityRow) {
  return {
    id: r.id,
    centreId: r.org_unit_id,
    kind: r.kind as "class" | "talk",
    title: r.title,
    category: r.category,
    categoryLabel: r.category_label,
    startDate: r.start_date,
    endDate: r.end_date,
    schoolYear: schoolYearName(r.school_year),
    sessions: r.sessions,
    participants: r.participants,
    female: r.female,
    minority: r.minority,
    partner: r.partner,
    place: r.place,
  };
}

function counted(r: {
  kind: string;
  category: string;
  start_date: string;
  sessions: number;
  participants: number;
  female: number;
  minority: number | null;
}): CountedActivity {
  return {
    kind: r.kind === "talk" ? "talk" : "class",
    category: r.category,
    startDate: r.start_date,
    sessions: r.sessions,
    participants: r.participants,
    female: r.female,
    minority: r.minority,
  };
}

/** A year ("2024") or a school year ("2024-2025"), or the validation problem that says so. */
function periodOf(text: string) {
  const period = parsePeriod(text);
  if (!period)
    throw problems.validation([
      { field: "period", message: "Chọn một năm (2024) hoặc một năm học (2024-2025)." },
    ]);
  return period;
}

/** The days of a year or school-year code that `periodOf` has accepted. */
function periodRangeOf(code: string) {
  const parsed = parsePeriodCode(code);
  if (!parsed.ok) throw new Error(`Not a period: ${code}`);
  return periodRange(parsed.period);
}

/** Activities with their category's label, in the columns toActivity reads. */
function selectActivities(exec: Exec) {
  return exec
    .selectFrom("centre_activities as a")
    .innerJoin("centre_categories as c", "c.code", "a.category")
    .select([
      "a.id",
      "a.org_unit_id",
      "a.kind",
      "a.title",
      "a.category",
      "c.label as category_label",
      "a.start_date",
      "a.end_date",
      "a.school_year",
      "a.sessions",
      "a.participants",
      "a.female",
      "a.minority",
      "a.partner",
      "a.place",
    ]);
}

/** An activity locked for a change, and its centre, once the principal may write there. */
async function lockActivity(tx: Exec, principal: Principal, activityId: number) {
  const before = await tx
    .selectFrom("centre_activities")
    .selectAll()
    .where("id", "=", activityId)
    .forUpdate()
    .executeTakeFirst();
  if (!before) throw problems.notFound("hoạt động này");
  const centre = await centreById(tx, before.org_unit_id);
  authorize(principal, "centre.write", centre.path);
  return { before, centre };
}

export async function listActivities(db: Kysely<DB>, principal: Principal, id: number, periodText: string) {
  const centre = await centreById(db, id);
  authorize(principal, "centre.read", centre.path);
  const period = periodOf(periodText);
  let q = selectActivities(db).where("a.org_unit_id", "=", id);
  q =
    period.kind === "year"
      ? q.where("a.year", "=", period.year)
      : q.where("a.school_year", "=", period.startYear);
  const rows = await q.orderBy("a.start_date", "desc").orderBy("a.id", "desc").limit(2000).execute();
  return rows.map(toActivity);
}

async function checkActivity(tx: Exec, input: z.infer<typeof ActivityBody>) {
  return checkActivities(tx, [input]);
}

/** The activity checks of each input (one query for the categories); the first failing one is refused. */
async function checkActivities(tx: Exec, inputs: readonly z.infer<typeof ActivityBody>[]) {
  const active = new Set(
    (
      await tx
        .selectFrom("centre_categories")
        .select("code")
        .where("code", "in", [...new Set(inputs.map((i) => i.category))])
        .where("retired_in", "is", null)
        .execute()
    ).map((c) => c.code),
  );
  for (const input of inputs) {
    const errors = activityProblems({
      startDate: input.startDate,
      endDate: input.endDate,
      sessions: input.sessions,
      participants: input.participants,
      female: input.female,
      minority: input.minority ?? null,
    }).map((p) => ({ field: p.field, message: p.message }));
    if (!active.has(input.category))
      errors.push({ field: "category" as never, message: "Lĩnh vực không có trong danh mục." });
    if (errors.length > 0) throw problems.validation(errors);
  }
}

function activityValues(input: z.infer<typeof ActivityBody>) {
  return {
    kind: input.kind,
    title: input.title,
    search_key: foldForSearch(input.title),
    category: input.category,
    start_date: input.startDate,
    end_date: input.endDate,
    year: Number(input.startDate.slice(0, 4)),
    school_year: schoolYearStartOf(input.startDate),
    sessions: input.sessions,
    participants: input.participants,
    female: input.female,
    minority: input.minority ?? null,
    partner: input.partner,
    place: input.place,
  };
}

async function oneActivity(tx: Exec, activityId: number) {
  const rows = await selectActivities(tx).where("a.id", "=", activityId).execute();
  const row = rows[0];
  if (!row) throw problems.notFound("hoạt động này");
  return row;
}

export async function createActivity(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof ActivityBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute((tx) => createActivityIn(tx, principal, id, input, ctx));
}

/** `createActivity` inside the caller's transaction. */
export async function createActivityIn(
  tx: Transaction<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof ActivityBody>,
  ctx: AuditContext,
) {
  const [created] = await createActivitiesIn(tx, principal, id, [input], ctx);
  return toActivity(await oneActivity(tx, created as number));
}

/**
 * Activities of one centre created together, inside the caller's transaction (the Excel import
 * writes a whole file in one): each checked, one insert, the counters moved once by the sum of
 * their deltas, one audit entry each. Returns their ids, in the order of `inputs`.
 */
export async function createActivitiesIn(
  tx: Transaction<DB>,
  principal: Principal,
  id: number,
  inputs: readonly z.infer<typeof ActivityBody>[],
  ctx: AuditContext,
): Promise<number[]> {
  if (inputs.length === 0) return [];
  const centre = await centreById(tx, id);
  authorize(principal, "centre.write", centre.path);
  await checkActivities(tx, inputs);
  const values = inputs.map(activityValues);
  const created = await tx
    .insertInto("centre_activities")
    .values(values.map((v) => ({ ...v, org_unit_id: id, created_by: principal.userId })))
    .returning("id")
    .execute();
  const deltas: PeriodDeltas = new Map();
  for (const v of values) {
    for (const [period, metrics] of activityDeltas(null, counted(v))) addDeltas(deltas, period, metrics, 1);
  }
  await bumpCentreStats(tx, centre.path, deltas);
  await recordAudits(
    tx,
    ctx,
    created.map((c, i) => ({
      action: "centre.activity.create",
      entityType: "centre_activity",
      entityId: c.id,
      orgUnitId: id,
      after: inputs[i],
    })),
  );
  return created.map((c) => c.id);
}

export async function updateActivity(
  db: Kysely<DB>,
  principal: Principal,
  activityId: number,
  input: z.infer<typeof ActivityBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute((tx) => updateActivityIn(tx, principal, activityId, input, ctx));
}

/** `updateActivity` (a correction: counters moved by after − before) inside the caller's transaction. */
export async function updateActivityIn(
  tx: Transaction<DB>,
  principal: Principal,
  activityId: number,
  input: z.infer<typeof ActivityBody>,
  ctx: AuditContext,
) {
  const { before, centre } = await lockActivity(tx, principal, activityId);
  await checkActivity(tx, input);
  const values = activityValues(input);
  await tx
    .updateTable("centre_activities")
    .set({ ...values, updated_at: sql`now()` })
    .where("id", "=", activityId)
    .execute();
  await bumpCentreStats(tx, centre.path, activityDeltas(counted(before), counted(values)));
  await recordAudit(tx, ctx, {
    action: "centre.activity.update",
    entityType: "centre_activity",
    entityId: activityId,
    orgUnitId: centre.id,
    before,
    after: input,
  });
  return toActivity(await oneActivity(tx, activityId));
}

export async function deleteActivity(
  db: Kysely<DB>,
  principal: Principal,
  activityId: number,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const { before, centre } = await lockActivity(tx, principal, activityId);
    await tx.deleteFrom("centre_activities").where("id", "=", activityId).execute();
    await bumpCentreStats(tx, centre.path, activityDeltas(counted(before), null));
    await recordAudit(tx, ctx, {
      action: "centre.activity.delete",
      entityType: "centre_activity",
      entityId: activityId,
      orgUnitId: centre.id,
      before,
    });
  });
}

// ─── The category table ────────────────────────────────────────────────────────────────

type Totals = { classes: number; sessions: number; participants: number; female: number; minority: number };
const METRIC_KEYS = ["classes", "sessions", "participants", "female", "minority"] as const;
const emptyTotals = (): Totals => ({ classes: 0, sessions: 0, participants: 0, female: 0, minority: 0 });

export async function centreReport(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; period: string },
) {
  periodOf(query.period); // rejects a malformed period before anything is read
  const { unit, children, ...counters } = await readChildrenSummary(db, principal, {
    action: "centre.read",
    table: "centre_stats",
    orgUnitId: query.orgUnitId,
    periods: [query.period],
    childrenValidIn: periodRangeOf(query.period),
    childKinds: ["province", "cluster", "commune", "learning_centre"],
  });
  const own = counters.own(query.period) ?? new Map<string, number>();
  const labels = await categoryLabels(db);
  const totalsOf = (m: Map<string, number>, category?: string) => {
    const t = emptyTotals();
    for (const [key, n] of m) {
      const [metric, cat] = key.split(":") as [string, string];
      if (
        (METRIC_KEYS as readonly string[]).includes(metric) &&
        (category === undefined || cat === category)
      ) {
        t[metric as keyof Totals] += n;
      }
    }
    return t;
  };
  const fundingOf = (m: Map<string, number>) => ({
    stateBudget: m.get("funding:state_budget") ?? 0,
    socialisation: m.get("funding:socialisation") ?? 0,
    learners: m.get("funding:learners") ?? 0,
  });
  const active = (await listCategories(db)).map((c) => c.code);
  // Retired categories still show when they have figures in this period.
  const used = new Set([...own.keys()].map((k) => k.split(":")[1] ?? ""));
  const codes = [...labels.keys()].filter((c) => active.includes(c) || used.has(c));
  codes.sort((a, b) => (labels.get(a)?.position ?? 0) - (labels.get(b)?.position ?? 0));
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind, level: unit.level },
    period: query.period,
    rows: codes.map((code) => ({
      code,
      position: labels.get(code)?.position ?? 0,
      label: labels.get(code)?.label ?? code,
      ...totalsOf(own, code),
    })),
    total: totalsOf(own),
    funding: fundingOf(own),
    children: children.map((c) => {
      const m = counters.of(c.id, query.period) ?? new Map<string, number>();
      return { id: c.id, name: c.name, kind: c.kind, total: totalsOf(m), funding: fundingOf(m) };
    }),
  };
}
