/**
 * The villages (thôn, bản, ấp, tổ dân phố) an import names by their name: those valid today under
 * the unit imported into, found by folded name with or without "thôn"/"tổ dân phố"… in front
 * ("Đồng Bục" finds "Thôn Đồng Bục"). Shared by the kinds whose rows name a village.
 */
import type { Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { isValidOn } from "../../domain/org-units.ts";
import { foldForSearch } from "../../domain/text.ts";
import { authorize } from "../../server/request-context.ts";
import type { ImportRow } from "./kind.ts";

export interface Village {
  id: number;
  path: string;
  name: string;
}

export interface VillageIndex {
  unit: OrgUnitRow;
  villages: Village[];
  /** Folded village name (full, and without "thôn"/"tổ dân phố"… in front) → villages. */
  villageByName: Map<string, Village[]>;
}

const VILLAGE_PREFIX = /^(thon|to dan pho|to|ban|ap|xom|khu pho|khu|lang|buon|soc|phum|khom|doi)\s+/u;

/** The keys a village name is found by: folded, and folded without its kind in front. */
export function villageKeys(name: string): string[] {
  const folded = foldForSearch(name);
  const bare = folded.replace(VILLAGE_PREFIX, "");
  return bare === folded ? [folded] : [folded, bare];
}

/** The villages valid today under `unit` (or `unit` itself), each writable by the principal. */
export async function villagesOf(
  tx: Transaction<DB>,
  principal: Principal,
  unit: OrgUnitRow,
): Promise<VillageIndex> {
  const today = todayInVietnam();
  const rows = await tx
    .selectFrom("org_units")
    .select(["id", "path", "name", "valid_from", "valid_to"])
    .where("kind", "=", "village")
    .where((eb) => eb.or([eb("id", "=", unit.id), eb("path", "like", `${unit.path}%`)]))
    .execute();
  const villages = rows.filter((v) => isValidOn(v, today)).map(({ id, path, name }) => ({ id, path, name }));
  for (const v of villages) authorize(principal, "registry.write", v.path);
  const villageByName = new Map<string, Village[]>();
  for (const v of villages) {
    for (const key of villageKeys(v.name)) villageByName.set(key, [...(villageByName.get(key) ?? []), v]);
  }
  return { unit, villages, villageByName };
}

/** The one village the row's "village" column names, or a problem on that column. */
export function resolveVillage(index: VillageIndex, row: ImportRow): Village | null {
  const name = row.values.village;
  if (typeof name !== "string") return null;
  const found = new Map<number, Village>();
  for (const key of villageKeys(name)) for (const v of index.villageByName.get(key) ?? []) found.set(v.id, v);
  if (found.size === 1) return [...found.values()][0] as Village;
  row.problems.push({
    column: "village",
    message:
      found.size > 1
        ? `Có ${found.size} thôn trùng tên “${name}”: hãy ghi đầy đủ tên thôn.`
        : index.villages.length === 0
          ? `${index.unit.name} chưa có thôn/tổ dân phố nào: hãy tạo thôn trước.`
          : `Không có thôn/tổ dân phố “${name}” trong ${index.unit.name}.`,
  });
  return null;
}
