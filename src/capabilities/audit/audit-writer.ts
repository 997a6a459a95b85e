import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";

export interface AuditContext {
  userId: number | null;
  username: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  orgUnitId: number | null;
  before?: unknown;
  after?: unknown;
}

/** Secrets never reach the audit trail, whatever a caller passes. */
const REDACTED_KEYS = new Set([
  "password",
  "password_hash",
  "passwordHash",
  "token",
  "token_hash",
  "csrf_token",
  // Personal data that must never reach a log, even if a caller passes it by mistake.
  "nationalId",
  "national_id",
  "national_id_hash",
]);

function redact(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = REDACTED_KEYS.has(k) ? "[đã ẩn]" : redact(v);
    return out;
  }
  return value;
}

/**
 * Record one write in the audit trail. Call it inside the write's own transaction, so a write
 * and its audit entry commit or roll back together.
 */
export async function recordAudit(db: Kysely<DB> | Transaction<DB>, ctx: AuditContext, entry: AuditEntry) {
  await recordAudits(db, ctx, [entry]);
}

/**
 * Record many writes of one request at once (an import): one row each, in the caller's
 * transaction, 5,000 to a statement.
 */
export async function recordAudits(
  db: Kysely<DB> | Transaction<DB>,
  ctx: AuditContext,
  entries: readonly AuditEntry[],
) {
  for (let i = 0; i < entries.length; i += 5000) {
    await auditInsert(ctx, entries.slice(i, i + 5000)).execute(db);
  }
}

/**
 * The INSERT that records `entries`, for a caller's own statement (a data-modifying part of a
 * WITH: a write, its counters and its audit entry in one round trip); rows are added only
 * `when` that condition holds. The entries travel as one JSON parameter (a statement with 11
 * parameters per row costs more to bind and plan than the rows cost to write), with
 * `before`/`after` as JSON text so that a missing value stays SQL NULL and an explicit `null`
 * stays JSON null. `entityIds`, when given, is an array (SQL) of the entities' ids, one per
 * entry in order, for entities the same statement creates (their `entityId` is then unused).
 */
export function auditInsert(
  ctx: AuditContext,
  entries: readonly AuditEntry[],
  when: RawBuilder<boolean> = sql<boolean>`true`,
  entityIds?: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const rows = entries.map((entry) => ({
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId === null ? null : String(entry.entityId),
    org_unit_id: entry.orgUnitId,
    before: entry.before === undefined ? null : JSON.stringify(redact(entry.before)),
    after: entry.after === undefined ? null : JSON.stringify(redact(entry.after)),
  }));
  const entityId = entityIds ? sql`((${entityIds})[r.n::int])::text` : sql`r.entity_id`;
  return sql`
    insert into audit_log
      (user_id, username, action, entity_type, entity_id, org_unit_id, before, after, request_id, ip, user_agent)
    select ${ctx.userId}::bigint, ${ctx.username}::text, r.action, r.entity_type, ${entityId}, r.org_unit_id,
           r.before::jsonb, r.after::jsonb, ${ctx.requestId}::text, ${ctx.ip}::text, ${ctx.userAgent}::text
    from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as (action text, entity_type text, entity_id text, org_unit_id bigint, before text, after text))
      with ordinality as r(action, entity_type, entity_id, org_unit_id, before, after, n)
    where ${when}
    order by r.n`;
}

/** Audit context for work started from the command line or at first start. */
export function systemAuditContext(what: string): AuditContext {
  return { userId: null, username: `system:${what}`, requestId: null, ip: null, userAgent: null };
}
