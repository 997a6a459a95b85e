/**
 * An evaluation's change — its row, its counters and its audit entry — written as ONE statement.
 *
 * A save or a decision used to take a transaction of six round trips (begin, lock and load,
 * update, counters, audit, commit). Now the rows are read without a lock, the change is planned
 * in memory, and one statement writes it all: it changes a row only if the row is still the
 * version that was read (its `xmin`), and `xhht_check_write` (migration 0016) undoes the whole
 * statement when a row had changed meanwhile (SQLSTATE 40001: the caller reads again and plans
 * again, `retryOnConflict`) or when a counter was out of step. A statement is atomic on its own,
 * so nothing is ever half-written, and no lock is held while Node thinks.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import { AUDIT_YEARS } from "../../db/migrations/0015_audit_log_by_year.ts";
import type { DB } from "../../db/schema.ts";
import type { EvaluationStatus } from "../../domain/learning-models/cycle.ts";
import { metricDeltas } from "../../domain/learning-models/statistics.ts";
import { type AuditContext, type AuditEntry, auditInsert } from "../audit/audit-writer.ts";
import { modelStatMoves, modelStatsParts } from "../statistics/counters.ts";

type Exec = Kysely<DB> | Transaction<DB>;

/** The columns a change may set (`updated_at` is always set, to the statement's time). */
export interface EvaluationPatch {
  status: EvaluationStatus;
  answers?: Record<string, unknown>;
  derived?: Record<string, unknown>;
  total?: number | null;
  rating_code?: string | null;
  rating_label?: string | null;
  passing?: boolean | null;
  submitted_at?: Date | null;
  reviewed_at?: Date | null;
  review_comment?: string | null;
  decided_at?: Date | null;
  decision_number?: string | null;
  decision_date?: string | null;
  decision_issuer?: string | null;
  reject_reason?: string | null;
}

export interface EvaluationChange {
  /** The row as read: its id, version, where it is counted and what it counted as. */
  before: {
    id: number;
    version: string;
    unit_path: string;
    year: number;
    model: string;
    status: string;
    rating_code: string | null;
  };
  patch: EvaluationPatch;
  /** The rating the evaluation counts under afterwards. */
  ratingCode: string | null;
  audit: AuditEntry;
}

/** Write `changes` in one statement: all of them, or none (then it throws). Returns their `updated_at`. */
export async function writeEvaluationChanges(
  exec: Exec,
  ctx: AuditContext,
  changes: readonly EvaluationChange[],
): Promise<Date> {
  if (changes.length === 0) return new Date();
  const moves = modelStatMoves(
    changes.map(({ before, patch, ratingCode }) => ({
      path: before.unit_path,
      year: before.year,
      model: before.model,
      deltas: metricDeltas(
        { status: before.status as EvaluationStatus, ratingCode: before.rating_code },
        { status: patch.status, ratingCode },
      ),
    })),
  );
  const rows = JSON.stringify(changes.map((c) => ({ id: c.before.id, v: c.before.version, patch: c.patch })));
  const years = [...new Set(changes.map((c) => c.before.year))].sort((a, b) => a - b);
  // One update per year, each of its year's partition named: a statement whose plan does not
  // depend on the years given, so that PostgreSQL plans it once per connection and keeps the plan
  // (through the parent table it planned every save again, ~0.8 ms, pruning to the year).
  const updates = years.map(
    (year, i) => sql`${sql.ref(`changed_${i}`)} as (
      update ${sql.ref(evaluationPartition(year))} e
      set (status, answers, derived, total, rating_code, rating_label, passing, submitted_at, reviewed_at,
           review_comment, decided_at, decision_number, decision_date, decision_issuer, reject_reason, updated_at)
        = (select p.status, p.answers, p.derived, p.total, p.rating_code, p.rating_label, p.passing,
                  p.submitted_at, p.reviewed_at, p.review_comment, p.decided_at, p.decision_number,
                  p.decision_date, p.decision_issuer, p.reject_reason, now()
           from jsonb_populate_record(e, c.patch) p)
      from c
      -- The ids as a parameter of their own: index lookups, whatever the planner guesses of the JSON's rows.
      where e.id = c.id and e.xmin = c.v::xid and e.year = ${year}::int
        and e.id = any(${changes.filter((c) => c.before.year === year).map((c) => c.before.id)}::bigint[])
      returning e.id
    )`,
  );
  const allChanged = sql<boolean>`(select ok from gate)`;
  const result = await sql<{ at: Date }>`
    with c as (
      select * from jsonb_to_recordset(${rows}::jsonb) as c(id bigint, v text, patch jsonb)
    ), ${sql.join(updates)}, changed as (
      ${sql.join(
        years.map((_, i) => sql`select id from ${sql.ref(`changed_${i}`)}`),
        sql` union all `,
      )}
    ), gate as (
      select count(*) = ${changes.length} as ok from changed
    ), ${modelStatsParts(moves, allChanged)}, audit as (
      ${auditInsert(
        ctx,
        changes.map((c) => c.audit),
        allChanged,
      )}
    )
    select xhht_check_write((select count(*) from changed)::int, ${changes.length}::int,
                            (select count(*) from model_stats_down)::int, ${moves.down.ids.length}::int),
           now() as at`.execute(exec);
  return result.rows[0]?.at ?? new Date();
}

/**
 * The partition of `evaluations` that holds a year's rows (migration 0017: one a year for
 * AUDIT_YEARS, a default one for any other year).
 */
export function evaluationPartition(year: number): string {
  return year >= AUDIT_YEARS.from && year <= AUDIT_YEARS.to
    ? `evaluations_${year}`
    : "evaluations_other_years";
}

const RETRYABLE = new Set(["40001", "40P01"]); // changed since read; deadlock

/**
 * Run `attempt` (read, plan, write) again when its write found a row changed since it was read,
 * or was chosen as a deadlock's victim. Inside a caller's transaction there is no second try (the
 * transaction is aborted): the caller's own all-or-nothing takes over.
 */
export async function retryOnConflict<T>(exec: Exec, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || exec.isTransaction) throw error;
      if (tries >= 8) throw error; // answered 409 "busy" (src/server/app.ts)
    }
  }
}
