import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import { isInScope, isStrictlyBelowScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import {
  checkTransition,
  type EvaluationStatus,
  STATUS_LABELS_VI,
  TRANSITIONS,
  type Transition,
} from "../../domain/learning-models/cycle.ts";
import { FrameworkDefinition, MODEL_LABELS_VI, type Model } from "../../domain/learning-models/framework.ts";
import {
  type Answers,
  answerProblems,
  type DerivedValues,
  type FieldError,
  scoreAssessment,
} from "../../domain/learning-models/scoring.ts";
import { metricDeltas } from "../../domain/learning-models/statistics.ts";
import { foldForSearch } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { applicableFramework } from "../criteria-frameworks/service.ts";
import { bumpModelStats } from "../statistics/counters.ts";
import { computeDerived } from "./derived.ts";
import type { DecideBody, EvaluationListQuery, RegisterBody, ReviewBody } from "./schemas.ts";
import { findSubjects } from "./subjects.ts";
import {
  type EvaluationChange,
  type EvaluationPatch,
  retryOnConflict,
  writeEvaluationChanges,
} from "./write.ts";

type Exec = Kysely<DB> | Transaction<DB>;

async function unitById(tx: Exec, id: number) {
  const unit = await tx
    .selectFrom("org_units")
    .select(["id", "path", "name", "kind"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  return unit;
}

/** Years one may register for: from the programme's 2016 phase to next year. */
export function yearProblem(year: number): string | null {
  const current = Number(todayInVietnam().slice(0, 4));
  return year > current + 1 ? `Chỉ đăng ký được đến năm ${current + 1}.` : null;
}

function checkYear(year: number) {
  const message = yearProblem(year);
  if (message) throw problems.validation([{ field: "year", message }]);
}

/** The message when no published framework of `model` applies in `year`. */
export function noFrameworkMessage(model: Model, year: number): string {
  return `Chưa có bộ tiêu chí “${MODEL_LABELS_VI[model]}” được ban hành áp dụng cho năm ${year}.`;
}

// ─── Register ───────────────────────────────────────────────────────────────────────────

export async function register(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof RegisterBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute((tx) => registerIn(tx, principal, input, ctx));
}

/** `register` inside the caller's transaction (the import registers a file's rows in its commit). */
export async function registerIn(
  tx: Transaction<DB>,
  principal: Principal,
  input: z.infer<typeof RegisterBody>,
  ctx: AuditContext,
) {
  authorize(principal, "evaluation.write");
  checkYear(input.year);
  let subjects: Awaited<ReturnType<typeof findSubjects>>;
  let auditUnit: number | null = null;
  if (input.allIn !== undefined) {
    const unit = await unitById(tx, input.allIn);
    authorize(principal, "evaluation.write", unit.path);
    subjects = await findSubjects(tx, input.model, input.year, { withinPath: unit.path });
    auditUnit = unit.id;
  } else {
    subjects = await findSubjects(tx, input.model, input.year, { ids: input.subjectIds ?? [] });
    for (const s of subjects) authorize(principal, "evaluation.write", s.unitPath);
    auditUnit = subjects[0]?.unitId ?? null;
  }
  if (subjects.length === 0) return { registered: 0, alreadyRegistered: 0 };

  const existing = new Set(
    (
      await tx
        .selectFrom("evaluations")
        .select("subject_id")
        .where("model", "=", input.model)
        .where("year", "=", input.year)
        .where("subject_kind", "=", subjects[0]?.kind ?? "")
        .where(
          "subject_id",
          "in",
          subjects.map((s) => s.id),
        )
        .execute()
    ).map((r) => r.subject_id),
  );
  const fresh = subjects.filter((s) => !existing.has(s.id));
  const frameworks = new Map<number | null, number>();
  for (const s of fresh) {
    if (frameworks.has(s.provinceId)) continue;
    const framework = await applicableFramework(tx, input.model, input.year, s.provinceId);
    if (!framework) {
      throw problems.validation([{ field: "year", message: noFrameworkMessage(input.model, input.year) }]);
    }
    frameworks.set(s.provinceId, framework.id);
  }
  for (let i = 0; i < fresh.length; i += 500) {
    await tx
      .insertInto("evaluations")
      .values(
        fresh.slice(i, i + 500).map((s) => ({
          model: input.model,
          year: input.year,
          subject_kind: s.kind,
          subject_id: s.id,
          org_unit_id: s.unitId,
          framework_id: frameworks.get(s.provinceId) as number,
          status: "registered",
        })),
      )
      .execute();
  }
  // Counters: one registration per subject, summed per counting unit.
  const perUnit = new Map<string, number>();
  for (const s of fresh) perUnit.set(s.unitPath, (perUnit.get(s.unitPath) ?? 0) + 1);
  const unit = metricDeltas(null, { status: "registered", ratingCode: null });
  for (const [path, n] of perUnit) {
    await bumpModelStats(tx, path, input.year, input.model, new Map([...unit].map(([m, d]) => [m, d * n])));
  }
  if (fresh.length > 0) {
    await recordAudit(tx, ctx, {
      action: "evaluation.registered",
      entityType: "evaluation",
      entityId: null,
      orgUnitId: auditUnit,
      after: {
        model: input.model,
        year: input.year,
        count: fresh.length,
        subjects: fresh.slice(0, 50).map((s) => s.name),
      },
    });
  }
  return { registered: fresh.length, alreadyRegistered: subjects.length - fresh.length };
}

// ─── Load ───────────────────────────────────────────────────────────────────────────────

function evaluationQuery(tx: Exec) {
  return tx
    .selectFrom("evaluations as e")
    .innerJoin("org_units as u", "u.id", "e.org_unit_id")
    .select([
      "e.id",
      "e.model",
      "e.year",
      "e.subject_kind",
      "e.subject_id",
      "e.org_unit_id",
      "e.framework_id",
      "e.status",
      "e.answers",
      "e.derived",
      "e.total",
      "e.rating_code",
      "e.rating_label",
      "e.passing",
      "e.review_comment",
      "e.reject_reason",
      "e.decision_number",
      "e.decision_date",
      "e.decision_issuer",
      "e.updated_at",
      // The row's version (its last writer's transaction): a write changes it only if unchanged since.
      sql<string>`e.xmin::text`.as("version"),
      "u.name as unit_name",
      "u.path as unit_path",
      // The subject's name by its kind; a subquery each rather than four outer joins, which cost
      // more to plan (every save reads its evaluation through this) than to run.
      sql<string>`coalesce(case e.subject_kind
        when 'household' then (select h.head_name from households h where h.id = e.subject_id)
        when 'clan' then (select c.name from clans c where c.id = e.subject_id)
        when 'citizen' then (select z.full_name from citizens z where z.id = e.subject_id)
        else (select s.name from org_units s where s.id = e.subject_id) end, '')`.as("subject_name"),
    ]);
}
type EvaluationRow = Awaited<ReturnType<ReturnType<typeof evaluationQuery>["executeTakeFirstOrThrow"]>>;

function summary(r: EvaluationRow) {
  return {
    id: r.id,
    model: r.model as Model,
    year: r.year,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    orgUnit: { id: r.org_unit_id, name: r.unit_name },
    status: r.status as EvaluationStatus,
    total: r.total,
    ratingLabel: r.rating_label,
    passing: r.passing,
    decisionNumber: r.decision_number,
    decisionDate: r.decision_date,
    reviewComment: r.review_comment,
    rejectReason: r.reject_reason,
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * The evaluations `ids`, in id order, every one or a 404. `forUpdate` locks them until the
 * transaction ends (in id order, so two callers never wait on each other crosswise); the hot
 * writes do not lock, they write only if the rows are still the versions read (write.ts).
 */
async function loadEvaluations(exec: Exec, ids: number[], options: { forUpdate: boolean }) {
  const query = evaluationQuery(exec).where("e.id", "in", ids).orderBy("e.id");
  const rows = await (options.forUpdate ? query.forUpdate("e") : query).execute();
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw problems.notFound(`đánh giá có mã số ${missing.join(", ")}`);
  return rows;
}

/**
 * Published (and retired) framework versions never change, so each is read and parsed once per
 * process: every save and every evaluation shown would otherwise read and check the whole document.
 */
const frozenFrameworks = new Map<number, { id: number; version: number; definition: FrameworkDefinition }>();

export async function frameworkOf(tx: Exec, id: number) {
  const frozen = frozenFrameworks.get(id);
  if (frozen) return frozen;
  const row = await tx
    .selectFrom("criteria_frameworks")
    .select(["id", "version", "status", "definition"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const framework = {
    id: row.id,
    version: row.version,
    definition: FrameworkDefinition.parse(row.definition),
  };
  if (row.status !== "draft") frozenFrameworks.set(id, framework);
  return framework;
}

export async function listEvaluations(
  db: Kysely<DB>,
  principal: Principal,
  query: z.infer<typeof EvaluationListQuery>,
) {
  const unit = await unitById(db, query.orgUnitId);
  authorize(principal, "evaluation.read", unit.path);
  // The subjects joined, to search and sort by their names.
  let base = evaluationQuery(db)
    .leftJoin("households as h", (j) =>
      j.onRef("h.id", "=", "e.subject_id").on("e.subject_kind", "=", "household"),
    )
    .leftJoin("clans as c", (j) => j.onRef("c.id", "=", "e.subject_id").on("e.subject_kind", "=", "clan"))
    .leftJoin("citizens as z", (j) =>
      j.onRef("z.id", "=", "e.subject_id").on("e.subject_kind", "=", "citizen"),
    )
    .leftJoin("org_units as s", (j) =>
      j.onRef("s.id", "=", "e.subject_id").on("e.subject_kind", "in", ["village", "unit", "commune"]),
    )
    .where("u.path", "like", `${unit.path}%`)
    .where("e.model", "=", query.model)
    .where("e.year", "=", query.year);
  if (query.status) base = base.where("e.status", "=", query.status);
  if (query.q) {
    const folded = `%${foldForSearch(query.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where(
      sql<boolean>`coalesce(h.search_key, c.search_key, z.search_key, s.search_key) like ${folded}`,
    );
  }
  const rows = await base
    .orderBy("u.sort_key")
    .orderBy(sql`coalesce(h.sort_key, c.sort_key, z.sort_key, s.sort_key)`)
    .orderBy("e.id")
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const total = await base.clearSelect().select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  return { items: rows.map(summary), total: Number(total.n), page: query.page, pageSize: query.pageSize };
}

function permissions(principal: Principal, row: EvaluationRow) {
  const status = row.status as EvaluationStatus;
  const above = isStrictlyBelowScope(principal.scopePaths, row.unit_path);
  return {
    edit:
      roleGrants(principal.role, "evaluation.write") &&
      isInScope(principal.scopePaths, row.unit_path) &&
      (TRANSITIONS.save.from as readonly string[]).includes(status),
    review:
      roleGrants(principal.role, "evaluation.review") && above && ["submitted", "accepted"].includes(status),
    decide:
      roleGrants(principal.role, "evaluation.decide") &&
      above &&
      ["submitted", "accepted", "recognised", "rejected"].includes(status),
  };
}

export async function getEvaluation(db: Kysely<DB>, principal: Principal, id: number) {
  const row = await evaluationQuery(db).where("e.id", "=", id).executeTakeFirst();
  if (!row) throw problems.notFound("đánh giá này");
  authorize(principal, "evaluation.read", row.unit_path);
  return detailOf(db, principal, row);
}

/**
 * The evaluation as its form shows it. A decided evaluation shows the figures it was decided on;
 * an open one today's (`derived`, when the caller has just computed them).
 */
async function detailOf(db: Exec, principal: Principal, row: EvaluationRow, derivedNow?: DerivedValues) {
  const framework = await frameworkOf(db, row.framework_id);
  const answers = (row.answers ?? {}) as Answers;
  const frozen = row.status === "recognised" || row.status === "rejected";
  const derived = frozen
    ? ((row.derived ?? {}) as DerivedValues)
    : (derivedNow ??
      (await computeDerived(db, framework.definition, {
        subjectKind: row.subject_kind,
        subjectId: row.subject_id,
        year: row.year,
      })));
  return {
    ...summary(row),
    framework,
    answers,
    derived: derived as Record<string, number>,
    score: scoreAssessment(framework.definition, answers, derived),
    decisionIssuer: row.decision_issuer,
    can: permissions(principal, row),
  };
}

// ─── Self-assessment ────────────────────────────────────────────────────────────────────

function counted(row: { status: string; rating_code: string | null }) {
  return { status: row.status as EvaluationStatus, ratingCode: row.rating_code };
}

/** Two sets of answers are the same whatever the order of their criteria. */
export function sameAnswers(a: Answers, b: Answers): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? null) !== (b[k] ?? null)) return false;
  return true;
}

export type AnswersPlan =
  | { kind: "refused"; code: "evaluation_status" | "derived_unknown"; message: string }
  | { kind: "invalid"; problems: FieldError[] }
  | { kind: "noop" }
  | {
      kind: "save";
      transition: Transition;
      status: EvaluationStatus;
      derived: DerivedValues;
      score: ReturnType<typeof scoreAssessment>;
    };

/**
 * What saving `input` would do to an evaluation: refused by the cycle (or, for a submission, by
 * figures not yet computable), answers with problems (per field `answers.<code>`), nothing (a
 * repeated submission), or the new state and score. The one place the self-assessment rules are
 * applied, for the form (`saveAnswers`) and the import.
 */
export async function planAnswers(
  tx: Exec,
  evaluation: {
    status: EvaluationStatus;
    answers: Answers;
    framework: FrameworkDefinition;
    subjectKind: string;
    subjectId: number;
    year: number;
  },
  input: { answers: Answers; submit: boolean },
): Promise<AnswersPlan> {
  const transition: Transition = input.submit ? "submit" : "save";
  const check = checkTransition(evaluation.status, transition);
  if (!check.ok) return { kind: "refused", code: "evaluation_status", message: check.message };
  if (check.noop) {
    if (sameAnswers(evaluation.answers, input.answers)) return { kind: "noop" };
    return {
      kind: "refused",
      code: "evaluation_status",
      message: "Đánh giá đã gửi bình xét nên không sửa được nữa, trừ khi cấp trên trả lại.",
    };
  }
  const fieldProblems = answerProblems(evaluation.framework, input.answers, { final: input.submit });
  if (fieldProblems.length > 0) return { kind: "invalid", problems: fieldProblems };
  const derived = await computeDerived(tx, evaluation.framework, {
    subjectKind: evaluation.subjectKind,
    subjectId: evaluation.subjectId,
    year: evaluation.year,
  });
  const score = scoreAssessment(evaluation.framework, input.answers, derived);
  if (input.submit && !score.complete) {
    return {
      kind: "refused",
      code: "derived_unknown",
      message:
        "Chưa tính được một số tiêu chí từ dữ liệu (ví dụ: chưa có hộ hoặc dòng họ nào trong sổ). Hãy cập nhật sổ rồi gửi lại.",
    };
  }
  return { kind: "save", transition, status: TRANSITIONS[transition].to, derived, score };
}

/**
 * Save or submit a self-assessment; answers with the evaluation as saved. No transaction: the
 * row is read, the change planned, and written as one statement (write.ts), again if the row
 * changed meanwhile.
 */
export async function saveAnswers(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: { answers: Answers; submit: boolean },
  ctx: AuditContext,
) {
  const saved = await retryOnConflict(db, () => saveAnswersIn(db, principal, id, input, ctx));
  const { framework, ...detail } = await detailOf(db, principal, saved.row, saved.derived);
  return { ...detail, framework: { id: framework.id, version: framework.version } };
}

/**
 * `saveAnswers` once, on `exec` (the import saves a file's scores in its commit's transaction);
 * gives the row as it stands afterwards, with the derived figures just computed.
 */
export async function saveAnswersIn(
  exec: Exec,
  principal: Principal,
  id: number,
  input: { answers: Answers; submit: boolean },
  ctx: AuditContext,
) {
  const row = await evaluationQuery(exec).where("e.id", "=", id).executeTakeFirst();
  if (!row) throw problems.notFound("đánh giá này");
  authorize(principal, "evaluation.write", row.unit_path);
  const framework = await frameworkOf(exec, row.framework_id);
  const plan = await planAnswers(
    exec,
    {
      status: row.status as EvaluationStatus,
      answers: (row.answers ?? {}) as Answers,
      framework: framework.definition,
      subjectKind: row.subject_kind,
      subjectId: row.subject_id,
      year: row.year,
    },
    input,
  );
  if (plan.kind === "noop") return { row, derived: undefined };
  if (plan.kind === "invalid") throw problems.validation(plan.problems);
  if (plan.kind === "refused") {
    throw plan.code === "derived_unknown"
      ? problems.badRequest(plan.code, plan.message)
      : problems.conflict(plan.code, plan.message);
  }
  const { status, derived, score } = plan;
  const patch = {
    status,
    answers: input.answers,
    derived,
    total: score.total,
    rating_code: score.rating.code,
    rating_label: score.rating.label,
    passing: score.rating.passing,
    submitted_at: input.submit ? new Date() : null,
  };
  const updatedAt = await writeEvaluationChanges(exec, ctx, [
    {
      before: row,
      patch,
      ratingCode: score.rating.code,
      audit: {
        action: input.submit ? "evaluation.submitted" : "evaluation.saved",
        entityType: "evaluation",
        entityId: id,
        orgUnitId: row.org_unit_id,
        before: { status: row.status, total: row.total, rating: row.rating_label },
        after: { status, total: score.total, rating: score.rating.label, answers: input.answers },
      },
    },
  ]);
  return { row: { ...row, ...patch, updated_at: updatedAt }, derived };
}

/** Withdraw a registration nobody has started on. */
export async function withdraw(db: Kysely<DB>, principal: Principal, id: number, ctx: AuditContext) {
  await db.transaction().execute(async (tx) => {
    const [row] = await loadEvaluations(tx, [id], { forUpdate: true });
    if (!row) throw problems.notFound("đánh giá này");
    authorize(principal, "evaluation.write", row.unit_path);
    if (row.status !== "registered") {
      throw problems.conflict(
        "evaluation_status",
        `Chỉ rút được đăng ký chưa tự đánh giá (hiện: “${STATUS_LABELS_VI[row.status as EvaluationStatus]}”).`,
      );
    }
    await tx.deleteFrom("evaluations").where("id", "=", id).execute();
    await bumpModelStats(tx, row.unit_path, row.year, row.model, metricDeltas(counted(row), null));
    await recordAudit(tx, ctx, {
      action: "evaluation.withdrawn",
      entityType: "evaluation",
      entityId: id,
      orgUnitId: row.org_unit_id,
      before: { model: row.model, year: row.year, subject: row.subject_name },
    });
  });
}

const AUDIT_ACTIONS: Record<Transition, string> = {
  save: "evaluation.saved",
  submit: "evaluation.submitted",
  accept: "evaluation.accepted",
  return: "evaluation.returned",
  recognise: "evaluation.recognised",
  reject: "evaluation.rejected",
  revoke: "evaluation.revoked",
};

// ─── Review and decision, in batches ────────────────────────────────────────────────────

/**
 * Apply one transition to many evaluations, all or nothing: every one must be strictly below
 * the reviewer's own units (the level above decides) and in a state that allows it. A repeat
 * of what was already done is counted as unchanged.
 */
async function batch(
  db: Kysely<DB>,
  principal: Principal,
  ids: number[],
  transition: Transition,
  action: "evaluation.review" | "evaluation.decide",
  apply: (row: EvaluationRow) => Promise<{ set: Omit<EvaluationPatch, "status">; ratingCode: string | null }>,
  audit: (row: EvaluationRow) => { before?: unknown; after?: unknown },
  ctx: AuditContext,
) {
  authorize(principal, action);
  const unique = [...new Set(ids)];
  // Read, check and plan every row, then write them all in one statement (again if one changed meanwhile).
  return retryOnConflict(db, async () => {
    const rows = await loadEvaluations(db, unique, { forUpdate: false });
    const refused: string[] = [];
    for (const row of rows) {
      authorize(principal, action, row.unit_path);
      if (!isStrictlyBelowScope(principal.scopePaths, row.unit_path)) {
        throw problems.forbidden(
          `${row.subject_name} (${row.unit_name}): việc bình xét, công nhận do cấp trên của đơn vị thực hiện.`,
        );
      }
      const check = checkTransition(row.status as EvaluationStatus, transition);
      if (!check.ok) refused.push(`${row.subject_name}: ${check.message}`);
    }
    if (refused.length > 0) {
      throw problems.conflict(
        "evaluation_status",
        `Không thực hiện được cho ${refused.length} mục. ${refused.slice(0, 5).join(" ")}`,
      );
    }
    const to = TRANSITIONS[transition].to;
    const changes: EvaluationChange[] = [];
    for (const row of rows) {
      if (row.status === to) continue; // already done
      const { set, ratingCode } = await apply(row);
      changes.push({
        before: row,
        patch: { ...set, status: to },
        ratingCode,
        audit: {
          action: AUDIT_ACTIONS[transition],
          entityType: "evaluation",
          entityId: row.id,
          orgUnitId: row.org_unit_id,
          ...audit(row),
        },
      });
    }
    await writeEvaluationChanges(db, ctx, changes);
    return { changed: changes.length, unchanged: rows.length - changes.length };
  });
}

export async function review(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof ReviewBody>,
  ctx: AuditContext,
) {
  const transition = input.decision === "accept" ? "accept" : "return";
  return batch(
    db,
    principal,
    input.ids,
    transition,
    "evaluation.review",
    async (row) => ({
      set: { reviewed_at: new Date(), review_comment: input.comment ?? null },
      ratingCode: row.rating_code,
    }),
    (row) => ({
      before: { status: row.status },
      after: { status: TRANSITIONS[transition].to, comment: input.comment },
    }),
    ctx,
  );
}

export async function decide(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof DecideBody>,
  ctx: AuditContext,
) {
  if (input.decision === "recognise") {
    return batch(
      db,
      principal,
      input.ids,
      "recognise",
      "evaluation.decide",
      async (row) => {
        // The figures are taken as they stand at the decision, then frozen with it.
        const framework = await frameworkOf(db, row.framework_id);
        const derived = await computeDerived(db, framework.definition, {
          subjectKind: row.subject_kind,
          subjectId: row.subject_id,
          year: row.year,
        });
        const score = scoreAssessment(framework.definition, (row.answers ?? {}) as Answers, derived);
        if (!score.complete || !score.rating.passing) {
          throw problems.conflict(
            "not_passing",
            `${row.subject_name} chưa đạt theo bộ tiêu chí (${score.total}/${score.maxTotal} điểm, ${score.rating.label}); không công nhận được.`,
          );
        }
        return {
          set: {
            derived,
            total: score.total,
            rating_code: score.rating.code,
            rating_label: score.rating.label,
            passing: true,
            decided_at: new Date(),
            decision_number: input.decisionNumber ?? null,
            decision_date: input.decisionDate ?? null,
            decision_issuer: input.issuer ?? null,
            reject_reason: null,
          },
          ratingCode: score.rating.code,
        };
      },
      (row) => ({
        before: { status: row.status },
        after: {
          status: "recognised",
          decisionNumber: input.decisionNumber,
          decisionDate: input.decisionDate,
          issuer: input.issuer,
        },
      }),
      ctx,
    );
  }
  const transition = input.decision === "reject" ? "reject" : "revoke";
  return batch(
    db,
    principal,
    input.ids,
    transition,
    "evaluation.decide",
    async (row) => ({
      set:
        transition === "reject"
          ? {
              decided_at: new Date(),
              reject_reason: input.reason ?? null,
              decision_number: input.decisionNumber ?? null,
            }
          : {
              decided_at: null,
              decision_number: null,
              decision_date: null,
              decision_issuer: null,
              reject_reason: null,
              review_comment: `Hủy quyết định: ${input.reason ?? ""}`,
            },
      ratingCode: row.rating_code,
    }),
    (row) => ({
      before: { status: row.status, decisionNumber: row.decision_number },
      after: { status: TRANSITIONS[transition].to, reason: input.reason },
    }),
    ctx,
  );
}
