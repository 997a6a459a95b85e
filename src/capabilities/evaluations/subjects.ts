/**
 * What each learning model evaluates, and where it is counted: a household in its village, a
 * clan in its commune, a village, a unit or a commune in itself.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { MODEL_SUBJECT, type Model } from "../../domain/learning-models/framework.ts";
import { pathIds } from "../../domain/org-units.ts";
import { problems } from "../../server/problem.ts";

type Exec = Kysely<DB> | Transaction<DB>;

export interface SubjectRef {
  kind: string;
  id: number;
  name: string;
  /** The counting unit: statistics roll up from here. */
  unitId: number;
  unitPath: string;
  provinceId: number | null;
}

const UNIT_KINDS = ["agency", "school", "enterprise", "commune_body"];

function ref(kind: string, r: { id: number; name: string; unit_id: number; unit_path: string }): SubjectRef {
  return {
    kind,
    id: r.id,
    name: r.name,
    unitId: r.unit_id,
    unitPath: r.unit_path,
    provinceId: pathIds(r.unit_path)[1] ?? null,
  };
}

/**
 * Subjects of `model` for `year`: the given ids, or every active one inside `within` (a path);
 * org units count when they existed during that year.
 * Unknown or inactive ids are reported as a field error.
 */
export async function findSubjects(
  tx: Exec,
  model: Model,
  year: number,
  selection: { ids: number[] } | { withinPath: string },
): Promise<SubjectRef[]> {
  const kind = MODEL_SUBJECT[model];
  let rows: { id: number; name: string; unit_id: number; unit_path: string }[];
  const ids = "ids" in selection ? selection.ids : null;
  const within = "withinPath" in selection ? `${selection.withinPath}%` : null;
  switch (kind) {
    case "household": {
      let q = tx
        .selectFrom("households as h")
        .innerJoin("org_units as u", "u.id", "h.village_id")
        .select(["h.id", sql<string>`h.head_name`.as("name"), "u.id as unit_id", "u.path as unit_path"])
        .where("h.active", "=", true);
      q = ids ? q.where("h.id", "in", ids) : q.where("u.path", "like", within as string);
      rows = await q.orderBy("h.sort_key").execute();
      break;
    }
    case "clan": {
      let q = tx
        .selectFrom("clans as c")
        .innerJoin("org_units as u", "u.id", "c.commune_id")
        .select(["c.id", "c.name", "u.id as unit_id", "u.path as unit_path"])
        .where("c.active", "=", true);
      q = ids ? q.where("c.id", "in", ids) : q.where("u.path", "like", within as string);
      rows = await q.orderBy("c.sort_key").execute();
      break;
    }
    case "village":
    case "unit":
    case "commune": {
      const kinds = kind === "unit" ? UNIT_KINDS : [kind];
      let q = tx
        .selectFrom("org_units as u")
        .select(["u.id", "u.name", "u.id as unit_id", "u.path as unit_path"])
        .where("u.kind", "in", kinds)
        // Units that existed during that year: the old communes for 2024, the new ones from 2025.
        .where((eb) => eb.or([eb("u.valid_from", "is", null), eb("u.valid_from", "<=", `${year}-12-31`)]))
        .where((eb) => eb.or([eb("u.valid_to", "is", null), eb("u.valid_to", ">=", `${year}-01-01`)]));
      q = ids ? q.where("u.id", "in", ids) : q.where("u.path", "like", within as string);
      rows = await q.orderBy("u.sort_key").execute();
      break;
    }
    case "citizen": {
      // Only verified citizens are evaluated; a public registration waits in the queue first.
      let q = tx
        .selectFrom("citizens as c")
        .innerJoin("org_units as u", "u.id", "c.org_unit_id")
        .select(["c.id", sql<string>`c.full_name`.as("name"), "u.id as unit_id", "u.path as unit_path"])
        .where("c.status", "=", "verified");
      q = ids ? q.where("c.id", "in", ids) : q.where("u.path", "like", within as string);
      rows = await q.orderBy("c.sort_key").execute();
      break;
    }
  }
  if (ids) {
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw problems.validation([
        {
          field: "subjectIds",
          message: `Không tìm thấy ${missing.length} đối tượng (mã số ${missing.slice(0, 10).join(", ")}) hoặc đối tượng đã ngừng theo dõi.`,
        },
      ]);
    }
  }
  return rows.map((r) => ref(kind, r));
}
