/**
 * Units the demo records need under pre-2025 communes (their learning centre, their schools),
 * which the app does not create under a unit that no longer exists: found if there, otherwise
 * created as history keeps them (open until 30/06/2025), with an audit entry.
 */
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";
import { childPath, type OrgUnitKind, REFORM_2025_LAST_DAY_OF_OLD } from "../../domain/org-units.ts";
import { foldForSearch, vietnameseSortKey } from "../../domain/text.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";

export interface HistoricalParent {
  id: number | string;
  path: string;
  level: number;
}

export async function historicalChild(
  db: Kysely<DB>,
  ctx: AuditContext,
  parent: HistoricalParent,
  kind: OrgUnitKind,
  name: string,
  code: string | null = null,
): Promise<number> {
  const existing = await db
    .selectFrom("org_units")
    .select("id")
    .where("parent_id", "=", Number(parent.id))
    .where("kind", "=", kind)
    .where("search_key", "=", foldForSearch(name))
    .executeTakeFirst();
  if (existing) return Number(existing.id);
  return db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto("org_units")
      .values({
        parent_id: Number(parent.id),
        path: `${parent.path}~${foldForSearch(name)}`,
        level: parent.level + 1,
        kind,
        code,
        name,
        search_key: foldForSearch(name),
        sort_key: vietnameseSortKey(name),
        valid_from: null,
        valid_to: REFORM_2025_LAST_DAY_OF_OLD,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const id = Number(inserted.id);
    await tx
      .updateTable("org_units")
      .set({ path: childPath(parent.path, id) })
      .where("id", "=", id)
      .execute();
    await recordAudit(tx, ctx, {
      action: "org_unit.create",
      entityType: "org_unit",
      entityId: id,
      orgUnitId: id,
      after: { kind, name, code, parentId: Number(parent.id), validTo: REFORM_2025_LAST_DAY_OF_OLD },
    });
    return id;
  });
}
