/**
 * Reading the live statistics. Every figure is a sum of counters kept by the writes
 * themselves (counters.ts), so a read touches one row per org unit and model asked about,
 * however many households or evaluations lie below.
 */
import { type Kysely, sql } from "kysely";
import type { z } from "zod";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import {
  MODEL_LABELS_VI,
  MODEL_SUBJECT,
  MODELS,
  type Model,
} from "../../domain/learning-models/framework.ts";
import { METRIC, ratePercent } from "../../domain/learning-models/statistics.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { unitWithChildren } from "../org-units/service.ts";
import type { Figures, TargetBody } from "./schemas.ts";

type FiguresT = z.infer<typeof Figures>;

interface Raw {
  metrics: Map<string, number>;
  subjects: Map<string, number>;
}

function emptyRaw(): Raw {
  return { metrics: new Map(), subjects: new Map() };
}

function addRaw(into: Raw, from: Raw) {
  for (const [k, n] of from.metrics) into.metrics.set(k, (into.metrics.get(k) ?? 0) + n);
  for (const [k, n] of from.subjects) into.subjects.set(k, (into.subjects.get(k) ?? 0) + n);
}

/** Counters of these units for a year, keyed by unit id. */
async function readRaw(db: Kysely<DB>, ids: number[], year: number): Promise<Map<number, Raw>> {
  const result = new Map<number, Raw>();
  if (ids.length === 0) return result;
  for (const id of ids) result.set(id, emptyRaw());
  const stats = await db
    .selectFrom("model_stats")
    .select(["org_unit_id", "model", "metric", "n"])
    .where("org_unit_id", "in", ids)
    .where("year", "=", year)
    .execute();
  for (const s of stats) result.get(s.org_unit_id)?.metrics.set(`${s.model}|${s.metric}`, Number(s.n));
  const counts = await db
    .selectFrom("subject_counts")
    .select(["org_unit_id", "subject_kind", "n"])
    .where("org_unit_id", "in", ids)
    .execute();
  for (const c of counts) result.get(c.org_unit_id)?.subjects.set(c.subject_kind, Number(c.n));
  return result;
}

function figuresOf(raw: Raw, model: Model, target: number | null): FiguresT {
  const get = (metric: string) => raw.metrics.get(`${model}|${metric}`) ?? 0;
  const subjects = raw.subjects.get(MODEL_SUBJECT[model]) ?? 0;
  const ratings: Record<string, number> = {};
  for (const [key, n] of raw.metrics) {
    const [m, metric] = key.split("|");
    if (m === model && metric?.startsWith("rating:") && n > 0) ratings[metric.slice(7)] = n;
  }
  const registered = get(METRIC.registered);
  const recognised = get(METRIC.recognised);
  return {
    subjects,
    registered,
    selfAssessed: get(METRIC.selfAssessed),
    recognised,
    ratings,
    registrationRate: ratePercent(registered, subjects),
    recognitionRate: ratePercent(recognised, subjects),
    targetPercent: target,
  };
}

async function targetsOf(db: Kysely<DB>, ids: number[], year: number) {
  const map = new Map<string, number>();
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom("model_targets")
    .select(["org_unit_id", "model", "target_percent"])
    .where("org_unit_id", "in", ids)
    .where("year", "=", year)
    .execute();
  for (const r of rows) map.set(`${r.org_unit_id}|${r.model}`, Number(r.target_percent));
  return map;
}

export async function learningModelStats(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; year: number; includePredecessors?: boolean | undefined },
) {
  // Children shown: those existing in the year asked about (new communes from 2025 on, the
  // old ones before), plus reporting groups and units.
  const { unit, children } = await unitWithChildren(db, principal, "stats.read", query.orgUnitId, {
    validIn: query.year,
  });

  const predecessors = query.includePredecessors
    ? await db
        .selectFrom("org_unit_lineage as l")
        .innerJoin("org_units as o", "o.id", "l.predecessor_id")
        .select(["o.id", "o.name", "o.kind", "l.share"])
        .where("l.successor_id", "=", unit.id)
        .orderBy("o.sort_key")
        .execute()
    : [];

  const childIds = children.map((c) => c.id);
  const raw = await readRaw(db, [unit.id, ...childIds, ...predecessors.map((p) => p.id)], query.year);
  const targets = await targetsOf(db, [unit.id, ...childIds], query.year);

  // The nation keeps no counters of its own: its figures are the sum of its provinces.
  const own = emptyRaw();
  if (unit.level === 0) for (const id of childIds) addRaw(own, raw.get(id) ?? emptyRaw());
  else addRaw(own, raw.get(unit.id) ?? emptyRaw());
  for (const p of predecessors) addRaw(own, raw.get(p.id) ?? emptyRaw());

  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind, level: unit.level },
    year: query.year,
    models: MODELS.map((model) => ({
      model,
      label: MODEL_LABELS_VI[model],
      subjectKind: MODEL_SUBJECT[model],
      figures: figuresOf(own, model, targets.get(`${unit.id}|${model}`) ?? null),
      children: children.map((c) => ({
        id: c.id,
        name: c.name,
        kind: c.kind,
        figures: figuresOf(raw.get(c.id) ?? emptyRaw(), model, targets.get(`${c.id}|${model}`) ?? null),
      })),
    })),
    predecessors: predecessors.map((p) => ({ id: p.id, name: p.name, kind: p.kind, share: p.share })),
  };
}

/** Registered and recognised per year for one unit and model (the trend). */
export async function learningModelTrend(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; model: Model },
) {
  const unit = await db
    .selectFrom("org_units")
    .select(["id", "level", "path"])
    .where("id", "=", query.orgUnitId)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  authorize(principal, "stats.read", unit.path);
  const ids =
    unit.level === 0
      ? (await db.selectFrom("org_units").select("id").where("parent_id", "=", unit.id).execute()).map(
          (r) => r.id,
        )
      : [unit.id];
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("model_stats")
    .select(["year", "metric", sql<number>`sum(n)`.as("n")])
    .where("org_unit_id", "in", ids)
    .where("model", "=", query.model)
    .where("metric", "in", [METRIC.registered, METRIC.recognised])
    .groupBy(["year", "metric"])
    .orderBy("year")
    .execute();
  const targets = await db
    .selectFrom("model_targets")
    .select(["year", "target_percent"])
    .where("org_unit_id", "=", unit.id)
    .where("model", "=", query.model)
    .execute();
  const years = new Map<
    number,
    { year: number; registered: number; recognised: number; targetPercent: number | null }
  >();
  const at = (year: number) => {
    let y = years.get(year);
    if (!y) {
      y = { year, registered: 0, recognised: 0, targetPercent: null };
      years.set(year, y);
    }
    return y;
  };
  for (const r of rows)
    at(r.year)[r.metric === METRIC.registered ? "registered" : "recognised"] = Number(r.n);
  for (const t of targets) at(t.year).targetPercent = Number(t.target_percent);
  return [...years.values()].sort((a, b) => a.year - b.year);
}

export async function setTarget(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof TargetBody>,
  ctx: AuditContext,
) {
  await db.transaction().execute(async (tx) => {
    const unit = await tx
      .selectFrom("org_units")
      .select(["id", "path"])
      .where("id", "=", input.orgUnitId)
      .executeTakeFirst();
    if (!unit) throw problems.validation([{ field: "orgUnitId", message: "Không tìm thấy đơn vị." }]);
    authorize(principal, "target.manage", unit.path);
    const before = await tx
      .selectFrom("model_targets")
      .select("target_percent")
      .where("org_unit_id", "=", unit.id)
      .where("year", "=", input.year)
      .where("model", "=", input.model)
      .executeTakeFirst();
    await tx
      .insertInto("model_targets")
      .values({
        org_unit_id: unit.id,
        year: input.year,
        model: input.model,
        target_percent: String(input.targetPercent),
        set_by: principal.userId,
      })
      .onConflict((oc) =>
        oc.columns(["org_unit_id", "year", "model"]).doUpdateSet({
          target_percent: String(input.targetPercent),
          set_by: principal.userId,
          set_at: new Date(),
        }),
      )
      .execute();
    await recordAudit(tx, ctx, {
      action: "target.set",
      entityType: "model_target",
      entityId: `${input.model}:${input.year}`,
      orgUnitId: unit.id,
      before: before ? { targetPercent: Number(before.target_percent) } : null,
      after: { model: input.model, year: input.year, targetPercent: input.targetPercent },
    });
  });
}
