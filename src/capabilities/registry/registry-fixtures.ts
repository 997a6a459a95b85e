/**
 * Shared setup of the registry tests: two communes in different provinces, villages under them,
 * and users of each role scoped to a commune.
 */
import type { LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import type { Database } from "../../db/connection.ts";
import { createUnit, type TestClient, testUnits } from "../../testing/test-app.ts";

export type Problem = {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: { field: string; message: string }[];
};

export type Member = {
  id: number;
  fullName: string;
  birthYear: number | null;
  sex: "male" | "female" | null;
  ethnicity: string | null;
  isHead: boolean;
  nationalIdMasked: string | null;
};

export type Household = {
  id: number;
  village: { id: number; name: string };
  headName: string;
  address: string | null;
  isPoor: boolean;
  isNearPoor: boolean;
  isEthnicMinority: boolean;
  active: boolean;
  memberCount: number;
  clans: { id: number; name: string }[];
  members: Member[];
  commune: { id: number; name: string } | null;
  canWrite: boolean;
};

export type Clan = {
  id: number;
  commune: { id: number; name: string };
  name: string;
  note: string | null;
  active: boolean;
  householdCount: number;
  households: { id: number; headName: string; village: { id: number; name: string }; active: boolean }[];
  canWrite: boolean;
};

export type PageOf<T> = { items: T[]; total: number; page: number; pageSize: number };

export function createVillage(admin: TestClient, communeId: number, name: string): Promise<number> {
  return createUnit(admin, communeId, "village", name);
}

/** Xã Bình Yên (Thái Nguyên) and Xã Hòa An (Cao Bằng), with two and one villages. */
export async function registryWorld(admin: TestClient) {
  const { binhYen: communeA, hoaAn: communeB, thaiNguyen: provinceA } = await testUnits(admin);
  const villageA1 = await createVillage(admin, communeA, "Thôn Đồng Bục");
  const villageA2 = await createVillage(admin, communeA, "Thôn Ao Sen");
  const villageB1 = await createVillage(admin, communeB, "Xóm Nà Hoàng");
  return { communeA, communeB, provinceA, villageA1, villageA2, villageB1 };
}

export function del(client: TestClient, url: string): Promise<LightMyRequestResponse> {
  return client.request("DELETE", url);
}

/** Everything a refused write could have touched, to compare before and after. */
export async function snapshot(database: Database) {
  const counts = await sql<{ t: string }>`select (
      select coalesce(json_agg(h order by h.id), '[]'::json) from households h)::text
      || (select coalesce(json_agg(m order by m.id), '[]'::json) from household_members m)::text
      || (select coalesce(json_agg(c order by c.id), '[]'::json) from clans c)::text
      || (select coalesce(json_agg(x order by x.clan_id, x.household_id), '[]'::json) from clan_households x)::text
      || (select coalesce(json_agg(s order by s.org_unit_id, s.subject_kind), '[]'::json) from subject_counts s)::text
      || (select count(*) from audit_log)::text as t`.execute(database.db);
  return counts.rows[0]?.t ?? "";
}
