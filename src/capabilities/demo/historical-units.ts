/**
 * Units the demo records need under pre-2025 communes (their learning centre, their schools),
 * which the app does not create under a unit that no longer exists: found if there, otherwise
 * created as history keeps them (open until 30/06/2025), with an audit entry.
 */
import type { Kysely } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { childPath, type OrgUnitKind, REFORM_2025_LAST_DAY_OF_OLD } from "../../domain/org-units.ts";
import { foldForSearch, vietnameseSortKey } from "../../domain/text.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { formHistoricalDistrict } from "../org-units/historical-districts.ts";

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

export interface DemoDistrict {
  /** the old province's code ("56") and its name for messages ("Khánh Hòa") */
  provinceCode: string;
  provinceName: string;
  /** the district's code and name ("568", "Thị xã Ninh Hòa") */
  code: string;
  name: string;
  /** its old communes in the official list, by code */
  communeCodes: readonly string[];
  /** its communes the official list lacks, added without a code */
  missing: readonly string[];
}

/**
 * A pre-2025 district of the demo records (seeds 000 and 003 are districts' reports), formed
 * under its old province from its old communes: its id and its communes' ids (listed ones by
 * code, then the added ones). Forming it again changes nothing.
 */
export async function demoDistrict(
  db: Kysely<DB>,
  principal: Principal,
  ctx: AuditContext,
  d: DemoDistrict,
): Promise<{ districtId: number; communeIds: number[] }> {
  const province = await db
    .selectFrom("org_units")
    .select(["id", "path", "level"])
    .where("kind", "=", "province")
    .where("code", "=", d.provinceCode)
    .where("valid_to", "is not", null)
    .executeTakeFirst();
  if (!province) {
    throw new Error(`Chưa có tỉnh ${d.provinceName} trước 2025: hãy nạp danh mục đơn vị hành chính.`);
  }
  const listed = await db
    .selectFrom("org_units")
    .select(["id", "code"])
    .where("kind", "=", "commune")
    .where("code", "in", [...d.communeCodes])
    .where("valid_to", "is not", null)
    .orderBy("code")
    .execute();
  if (listed.length !== d.communeCodes.length) {
    throw new Error(`Danh mục đơn vị hành chính thiếu xã của ${d.name.toLowerCase()}: hãy nạp lại danh mục.`);
  }
  const communeIds = listed.map((c) => Number(c.id));
  for (const name of d.missing) communeIds.push(await historicalChild(db, ctx, province, "commune", name));
  const { id } = await formHistoricalDistrict(
    db,
    principal,
    { provinceId: Number(province.id), code: d.code, name: d.name, communeIds },
    ctx,
  );
  return { districtId: id, communeIds };
}
