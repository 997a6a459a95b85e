import { type Kysely, sql } from "kysely";
import type { z } from "zod";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import type { AuditQuery } from "./schemas.ts";

/**
 * The audit trail a principal may read: entries about units inside their scope. Entries with no
 * unit (a user's own password change, token creation) are seen by administrators of the nation.
 */
export async function listAudit(db: Kysely<DB>, principal: Principal, query: z.infer<typeof AuditQuery>) {
  let base = db.selectFrom("audit_log as a").leftJoin("org_units as o", "o.id", "a.org_unit_id");
  const nationWide = principal.scopePaths.some((p) => p.split("/").filter(Boolean).length === 1);
  base = base.where((eb) =>
    eb.or([
      ...principal.scopePaths.map((p) => eb("o.path", "like", `${p}%`)),
      ...(nationWide && principal.role === "admin" ? [eb("a.org_unit_id", "is", null)] : []),
      eb("a.user_id", "=", principal.userId),
    ]),
  );
  if (query.entityType) base = base.where("a.entity_type", "=", query.entityType);
  if (query.entityId) base = base.where("a.entity_id", "=", query.entityId);
  if (query.orgUnitId) base = base.where("a.org_unit_id", "=", query.orgUnitId);
  if (query.username) base = base.where("a.username", "=", query.username.toLowerCase());
  if (query.action) base = base.where("a.action", "=", query.action);
  if (query.from) base = base.where("a.at", ">=", new Date(`${query.from}T00:00:00+07:00`));
  if (query.to)
    base = base.where("a.at", "<", new Date(new Date(`${query.to}T00:00:00+07:00`).getTime() + 86_400_000));
  const rows = await base
    .select([
      "a.id",
      "a.at",
      "a.username",
      "a.action",
      "a.entity_type",
      "a.entity_id",
      "a.org_unit_id",
      "o.name as org_unit_name",
      "a.before",
      "a.after",
      "a.request_id",
      "a.ip",
    ])
    .orderBy("a.id", "desc")
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const total = await base.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      username: r.username,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      orgUnitId: r.org_unit_id,
      orgUnitName: r.org_unit_name,
      before: r.before,
      after: r.after,
      requestId: r.request_id,
      ip: r.ip,
    })),
    total: Number(total.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}
