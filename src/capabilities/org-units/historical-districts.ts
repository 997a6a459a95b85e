/**
 * Pre-2025 districts as reporting groups. The official lists (../shared/data/admin-units-2025)
 * carry the old provinces and their communes but not the districts between them, and reports
 * written before mid-2025 are often a district's (seed 000: Hội Khuyến học thị xã Ninh Hòa, its
 * 27 communes and wards). An administrator forms the district under its old province from the
 * old communes it had: the district becomes their parent, so every counter written below it rolls
 * up to it as to any ancestor, and its own records (its fund, its inspection plans) count there.
 *
 * Forming a district keeps every counter true in the same transaction: the province above stays
 * an ancestor of the communes moved, so only the district's own counters change, by the sum of
 * its new communes' (each counter table's row of a unit is the total of its subtree).
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { childPath } from "../../domain/org-units.ts";
import { foldForSearch, normalizeText, vietnameseSortKey } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";

/**
 * Every live counter table (the unit and each ancestor below the nation) with its key and value
 * columns. A new counter table must be listed here, or forming a district would leave it behind;
 * `historical-districts.test.ts` checks the list against the database.
 */
export const COUNTER_TABLES: readonly {
  table: string;
  keys: readonly string[];
  values: readonly string[];
}[] = [
  { table: "subject_counts", keys: ["subject_kind"], values: ["n"] },
  { table: "model_stats", keys: ["year", "model", "metric"], values: ["n"] },
  { table: "fund_stats", keys: ["year", "metric"], values: ["amount", "entries", "beneficiaries"] },
  ...[
    "centre_stats",
    "literacy_stats",
    "association_stats",
    "event_stats",
    "agreement_stats",
    "inspection_stats",
    "commendation_stats",
  ].map((table) => ({ table, keys: ["period", "metric"], values: ["n"] })),
];

export interface FormDistrictInput {
  /** The old province (valid until 30/06/2025) the district belonged to. */
  provinceId: number;
  /** The district's official code (mã huyện, 3 digits), e.g. 568 for thị xã Ninh Hòa. */
  code: string;
  name: string;
  /** Old communes of that province, directly under it until now or already in this district. */
  communeIds: readonly number[];
}

type Exec = Transaction<DB>;

/** Add the counters of `fromIds` to unit `intoId`, table by table. */
async function addCounters(tx: Exec, intoId: number, fromIds: readonly number[]): Promise<void> {
  if (fromIds.length === 0) return;
  for (const { table, keys, values } of COUNTER_TABLES) {
    const keyList = sql.join(keys.map((k) => sql.ref(k)));
    const valueList = sql.join(values.map((v) => sql.ref(v)));
    const sums = sql.join(values.map((v) => sql`sum(${sql.ref(v)})`));
    const updates = sql.join(
      values.map((v) => sql`${sql.ref(v)} = ${sql.table(table)}.${sql.ref(v)} + excluded.${sql.ref(v)}`),
    );
    await sql`
      insert into ${sql.table(table)} (org_unit_id, ${keyList}, ${valueList})
      select ${intoId}::bigint, ${keyList}, ${sums} from ${sql.table(table)}
       where org_unit_id = any(${sql.val(fromIds)}::bigint[])
       group by ${keyList}
      on conflict (org_unit_id, ${keyList}) do update set ${updates}`.execute(tx);
  }
}

/**
 * Form (or extend) a pre-2025 district under its old province from old communes. Idempotent: the
 * district is found by its code, and communes already in it are left as they are.
 */
export async function formHistoricalDistrict(
  db: Kysely<DB>,
  principal: Principal,
  input: FormDistrictInput,
  ctx: AuditContext,
): Promise<{ id: number; moved: number }> {
  const name = normalizeText(input.name);
  const code = normalizeText(input.code);
  if (!/^[0-9]{3}$/.test(code)) {
    throw problems.validation([{ field: "code", message: "Mã huyện gồm 3 chữ số (ví dụ 568)." }]);
  }
  if (name.length === 0 || name.length > 200) {
    throw problems.validation([{ field: "name", message: "Tên huyện từ 1 đến 200 ký tự." }]);
  }
  return db.transaction().execute(async (tx) => {
    const province = await tx
      .selectFrom("org_units")
      .selectAll()
      .where("id", "=", input.provinceId)
      .executeTakeFirst();
    if (province?.kind !== "province" || province.valid_to === null) {
      throw problems.validation([
        { field: "provinceId", message: "Huyện trước 2025 chỉ thuộc một tỉnh trước 2025 (đã hết hiệu lực)." },
      ]);
    }
    authorize(principal, "org_unit.import", province.path);

    let district = await tx
      .selectFrom("org_units")
      .selectAll()
      .where("kind", "=", "district")
      .where("code", "=", code)
      .where("parent_id", "=", province.id)
      .executeTakeFirst();
    if (!district) {
      const inserted = await tx
        .insertInto("org_units")
        .values({
          parent_id: province.id,
          path: `${province.path}~district-${code}`,
          level: province.level + 1,
          kind: "district",
          code,
          name,
          search_key: foldForSearch(name),
          sort_key: vietnameseSortKey(name),
          valid_from: province.valid_from,
          valid_to: province.valid_to,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      district = await tx
        .updateTable("org_units")
        .set({ path: childPath(province.path, Number(inserted.id)) })
        .where("id", "=", inserted.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, ctx, {
        action: "org_unit.district_formed",
        entityType: "org_unit",
        entityId: district.id,
        orgUnitId: district.id,
        after: { parentId: province.id, kind: "district", code, name },
      });
    }

    const ids = [...new Set(input.communeIds)];
    const communes =
      ids.length === 0
        ? []
        : await tx
            .selectFrom("org_units")
            .select(["id", "name", "kind", "parent_id", "path", "valid_to"])
            .where("id", "in", ids)
            .execute();
    const refused = ids.filter((id) => {
      const c = communes.find((u) => Number(u.id) === id);
      return (
        c?.kind !== "commune" ||
        c.valid_to === null ||
        (Number(c.parent_id) !== Number(province.id) && Number(c.parent_id) !== Number(district.id))
      );
    });
    if (refused.length > 0) {
      const names = refused.map((id) => communes.find((u) => Number(u.id) === id)?.name ?? `#${id}`);
      throw problems.validation([
        {
          field: "communeIds",
          message: `Chỉ xếp vào huyện được các xã trước 2025 của ${province.name}: ${names.join(", ")} không thuộc.`,
        },
      ]);
    }
    const moving = communes.filter((c) => Number(c.parent_id) === Number(province.id));
    for (const c of moving) {
      const newPath = childPath(district.path, Number(c.id));
      // The commune and everything below it (villages, its centre…) move one level down.
      await sql`
        update org_units
           set path = ${newPath} || substr(path, ${c.path.length + 1}), level = level + 1,
               parent_id = case when id = ${c.id} then ${district.id}::bigint else parent_id end,
               updated_at = now()
         where path like ${`${c.path}%`}`.execute(tx);
    }
    await addCounters(
      tx,
      Number(district.id),
      moving.map((c) => Number(c.id)),
    );
    if (moving.length > 0) {
      await recordAudit(tx, ctx, {
        action: "org_unit.district_communes_added",
        entityType: "org_unit",
        entityId: district.id,
        orgUnitId: district.id,
        after: { communes: moving.map((c) => ({ id: Number(c.id), name: c.name })) },
      });
    }
    return { id: Number(district.id), moved: moving.length };
  });
}
