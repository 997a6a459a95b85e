import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema.ts";
import { REFORM_2025_EFFECTIVE, REFORM_2025_LAST_DAY_OF_OLD } from "../../domain/org-units.ts";
import { administrativeSortKey, foldForSearch, normalizeText, vietnameseSortKey } from "../../domain/text.ts";
import { PROJECT_ROOT } from "../../server/config.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";

/** The copy of the official lists shipped with the application. */
export const DEFAULT_ADMIN_UNITS_DIR = join(PROJECT_ROOT, "resources/admin-units-2025");

const SOURCE = "dvhcvn/20250701 (sắp xếp đơn vị hành chính 2025)";

interface MergesFile {
  data: Array<{
    level1_id: string;
    name: string;
    merges: Array<{ old_id: string; name: string; type: "full" | "partial" }>;
    level2s: Array<{
      level2_id: string;
      name: string;
      merges: Array<{ old_id: string; name: string; type: "full" | "partial" }>;
    }>;
  }>;
}

interface SplitsFile {
  data: Array<{
    level1_id: string;
    name: string;
    level3s: Array<{ level3_id: string; name: string }>;
  }>;
}

type Era = "new" | "old";

interface UnitRecord {
  kind: "province" | "district" | "commune";
  code: string;
  name: string;
  era: Era;
  parentCode: string | null;
}

interface LineageRecord {
  kind: "province" | "district" | "commune";
  oldCode: string;
  newCode: string;
  share: "full" | "partial";
}

/** Read and check the two files; throws a clear error for a malformed file. */
export function readAdminUnits(dir: string = DEFAULT_ADMIN_UNITS_DIR) {
  const merges = JSON.parse(readFileSync(join(dir, "merges.json"), "utf8")) as MergesFile;
  const splits = JSON.parse(readFileSync(join(dir, "splits.json"), "utf8")) as SplitsFile;
  if (!Array.isArray(merges?.data) || !Array.isArray(splits?.data)) {
    throw new Error(`${dir}: merges.json and splits.json must each have a "data" array`);
  }
  const units: UnitRecord[] = [];
  const lineage: LineageRecord[] = [];
  for (const p of merges.data) {
    units.push({
      kind: "province",
      code: p.level1_id,
      name: normalizeText(p.name),
      era: "new",
      parentCode: null,
    });
    for (const m of p.merges)
      lineage.push({ kind: "province", oldCode: m.old_id, newCode: p.level1_id, share: m.type });
    for (const c of p.level2s) {
      units.push({
        kind: "commune",
        code: c.level2_id,
        name: normalizeText(c.name),
        era: "new",
        parentCode: p.level1_id,
      });
      for (const m of c.merges)
        lineage.push({ kind: "commune", oldCode: m.old_id, newCode: c.level2_id, share: m.type });
    }
  }
  const oldCommuneCodes = new Set<string>();
  const oldProvinceRanges: { code: string; min: string }[] = [];
  for (const p of splits.data) {
    units.push({
      kind: "province",
      code: p.level1_id,
      name: normalizeText(p.name),
      era: "old",
      parentCode: null,
    });
    for (const c of p.level3s) {
      units.push({
        kind: "commune",
        code: c.level3_id,
        name: normalizeText(c.name),
        era: "old",
        parentCode: p.level1_id,
      });
      oldCommuneCodes.add(c.level3_id);
    }
    const codes = p.level3s.map((c) => c.level3_id).sort();
    if (codes[0]) oldProvinceRanges.push({ code: p.level1_id, min: codes[0] });
  }
  // Five new special zones (đặc khu) were formed from whole island districts (e.g. "Huyện Côn
  // Đảo", code 755), which the old-commune list does not have. They become historical district
  // units under their old province, so no lineage is lost.
  for (const link of lineage) {
    if (link.kind !== "commune" || oldCommuneCodes.has(link.oldCode)) continue;
    // Codes are allotted in blocks by province: the zone belongs to the last block starting below it.
    const province = oldProvinceRanges
      .filter((r) => r.min <= link.newCode)
      .sort((a, b) => (a.min < b.min ? -1 : 1))
      .at(-1);
    const source = merges.data
      .flatMap((p) => p.level2s.flatMap((c) => c.merges))
      .find((m) => m.old_id === link.oldCode);
    link.kind = "district";
    if (!units.some((u) => u.kind === "district" && u.code === link.oldCode)) {
      units.push({
        kind: "district",
        code: link.oldCode,
        name: normalizeText(source?.name ?? link.oldCode),
        era: "old",
        parentCode: province?.code ?? null,
      });
    }
  }
  return { units, lineage };
}

const validity = (era: Era) =>
  era === "new"
    ? { valid_from: REFORM_2025_EFFECTIVE, valid_to: null }
    : { valid_from: null, valid_to: REFORM_2025_LAST_DAY_OF_OLD };

/**
 * Load (or refresh) the official provinces and communes, old and new, and their lineage.
 * Idempotent: a unit is matched by kind, code and era; a changed name is updated, nothing is
 * deleted. Runs in one transaction. Returns counts.
 */
export async function loadAdminUnits(
  db: Kysely<DB>,
  ctx: AuditContext,
  dir: string = DEFAULT_ADMIN_UNITS_DIR,
) {
  const { units, lineage } = readAdminUnits(dir);
  return db.transaction().execute(async (tx) => {
    let nation = await tx
      .selectFrom("org_units")
      .select(["id", "path"])
      .where("kind", "=", "nation")
      .executeTakeFirst();
    if (!nation) {
      const row = await tx
        .insertInto("org_units")
        .values({
          parent_id: null,
          path: "~nation",
          level: 0,
          kind: "nation",
          code: "VN",
          name: "Việt Nam",
          search_key: foldForSearch("Việt Nam"),
          sort_key: vietnameseSortKey("Việt Nam"),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      nation = await tx
        .updateTable("org_units")
        .set({ path: `/${row.id}/` })
        .where("id", "=", row.id)
        .returning(["id", "path"])
        .executeTakeFirstOrThrow();
    }

    const before = await tx
      .selectFrom("org_units")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    for (const kind of ["province", "district", "commune"] as const) {
      const rows = units
        .filter((u) => u.kind === kind)
        .map((u) => ({
          code: u.code,
          name: u.name,
          search_key: foldForSearch(u.name),
          sort_key: administrativeSortKey(u.name),
          parent_code: u.parentCode,
          ...validity(u.era),
        }));
      const level = kind === "province" ? 1 : 2;
      if (rows.length === 0) continue;
      // One statement per level: the rows travel as one JSON parameter; parents are found by
      // code within the same era. New rows get a placeholder path, fixed right after.
      await sql`
        insert into org_units (parent_id, path, level, kind, code, name, search_key, sort_key, valid_from, valid_to)
        select coalesce(p.id, ${nation.id}), '~' || r.code || coalesce(r.valid_to::text, ''), ${level}, ${kind},
               r.code, r.name, r.search_key, r.sort_key, r.valid_from, r.valid_to
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             as r(code text, name text, search_key text, sort_key text, parent_code text, valid_from date, valid_to date)
        left join org_units p on p.kind = 'province' and p.code = r.parent_code
             and coalesce(p.valid_to, 'infinity'::date) = coalesce(r.valid_to, 'infinity'::date)
        on conflict (kind, code, coalesce(valid_to, 'infinity'::date))
             where code is not null and kind in ('nation', 'province', 'district', 'commune')
        do update set name = excluded.name, search_key = excluded.search_key, sort_key = excluded.sort_key,
             updated_at = case when org_units.name is distinct from excluded.name then now() else org_units.updated_at end
      `.execute(tx);
      await sql`
        update org_units c set path = p.path || c.id || '/'
        from org_units p where c.parent_id = p.id and c.path like '~%'
      `.execute(tx);
    }

    const links = lineage.map((l) => ({
      old_kind: l.kind,
      new_kind: l.kind === "district" ? "commune" : l.kind,
      old_code: l.oldCode,
      new_code: l.newCode,
      share: l.share,
    }));
    await sql`
      insert into org_unit_lineage (predecessor_id, successor_id, share, effective_date, source)
      select o.id, n.id, r.share, ${REFORM_2025_EFFECTIVE}::date, ${SOURCE}
      from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as r(old_kind text, new_kind text, old_code text, new_code text, share text)
      join org_units o on o.kind = r.old_kind and o.code = r.old_code and o.valid_to = ${REFORM_2025_LAST_DAY_OF_OLD}::date
      join org_units n on n.kind = r.new_kind and n.code = r.new_code and n.valid_to is null
      on conflict (predecessor_id, successor_id) do update set share = excluded.share
    `.execute(tx);

    // The commune counts behind the CĐHT cấp xã rates: each commune counts at itself and at
    // every ancestor below the nation. Old communes sit under the old provinces, so the 2024
    // figures of an old province have their own denominator. An import redefines them here.
    await sql`delete from subject_counts where subject_kind = 'commune'`.execute(tx);
    await sql`
      insert into subject_counts (org_unit_id, subject_kind, n)
      select x.id, 'commune', count(*)
      from org_units c
      cross join lateral unnest((string_to_array(trim(both '/' from c.path), '/')::bigint[])[2:]) as x(id)
      where c.kind = 'commune'
      group by x.id
    `.execute(tx);

    const after = await tx
      .selectFrom("org_units")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    const lineageCount = await tx
      .selectFrom("org_unit_lineage")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    const result = {
      provinces: units.filter((u) => u.kind === "province" && u.era === "new").length,
      communes: units.filter((u) => u.kind === "commune" && u.era === "new").length,
      historicalProvinces: units.filter((u) => u.kind === "province" && u.era === "old").length,
      historicalCommunes: units.filter((u) => u.kind === "commune" && u.era === "old").length,
      historicalDistricts: units.filter((u) => u.kind === "district").length,
      inserted: Number(after.n) - Number(before.n),
      lineageLinks: Number(lineageCount.n),
    };
    await recordAudit(tx, ctx, {
      action: "org_unit.imported",
      entityType: "org_unit",
      entityId: null,
      orgUnitId: nation.id,
      after: { source: SOURCE, ...result },
    });
    return result;
  });
}
