import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, loginAsAdmin, startTestApp, type TestClient } from "../../testing/test-app.ts";
import { type Household, registryWorld } from "./registry-fixtures.ts";

/**
 * The live counters (subject_counts) agree with a recount from the records after any sequence
 * of creations, deactivations and reactivations — one at a time or in bulk, across two villages
 * — of households, and of clans: at the villages, the commune and the province.
 */
let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let entry: TestClient;
let world: Awaited<ReturnType<typeof registryWorld>>;

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  world = await registryWorld(admin);
  entry = await createUser(ctx.app, admin, "nhaplieu.demso", "data_entry", [world.communeA]);
});
afterAll(() => ctx.close());

type Op =
  | { kind: "create"; village: 0 | 1 }
  | { kind: "setActive"; pick: number; active: boolean }
  | { kind: "bulk"; picks: number[]; active: boolean }
  | { kind: "createClan" }
  | { kind: "setClanActive"; pick: number; active: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      village: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("setActive" as const), pick: fc.nat(), active: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("bulk" as const),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      active: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("createClan" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("setClanActive" as const),
      pick: fc.nat(),
      active: fc.boolean(),
    }),
  },
);

let serial = 0;

async function apply(ops: Op[], households: number[], clans: number[]) {
  const villages = [world.villageA1, world.villageA2];
  for (const o of ops) {
    if (o.kind === "create") {
      const res = await entry.post("/api/v1/households", {
        villageId: villages[o.village],
        headName: `Hộ Số ${++serial}`,
      });
      expect(res.statusCode, res.body).toBe(201);
      households.push((res.json() as Household).id);
    } else if (o.kind === "setActive" && households.length > 0) {
      const id = households[o.pick % households.length];
      const res = await entry.patch(`/api/v1/households/${id}`, { active: o.active });
      expect(res.statusCode, res.body).toBe(200);
    } else if (o.kind === "bulk" && households.length > 0) {
      const ids = [...new Set(o.picks.map((p) => households[p % households.length] as number))];
      const res = await entry.post("/api/v1/households/bulk", {
        action: o.active ? "activate" : "deactivate",
        ids,
      });
      expect(res.statusCode, res.body).toBe(200);
    } else if (o.kind === "createClan") {
      const res = await entry.post("/api/v1/clans", { communeId: world.communeA, name: `họ Số ${++serial}` });
      expect(res.statusCode, res.body).toBe(201);
      clans.push((res.json() as { id: number }).id);
    } else if (o.kind === "setClanActive" && clans.length > 0) {
      const id = clans[o.pick % clans.length];
      const res = await entry.patch(`/api/v1/clans/${id}`, { active: o.active });
      expect(res.statusCode, res.body).toBe(200);
    }
  }
}

/** Counter and recount for each unit: active households (clans) in the unit's subtree. */
async function compare(unitIds: number[]) {
  const rows = await sql<{ id: number; kind: string; counted: number; recounted: number }>`
    select u.id, k.kind,
      coalesce((select n from subject_counts s where s.org_unit_id = u.id and s.subject_kind = k.kind), 0)::int
        as counted,
      (case k.kind
        when 'household' then (select count(*) from households h join org_units v on v.id = h.village_id
                               where h.active and v.path like u.path || '%')
        else (select count(*) from clans c join org_units o on o.id = c.commune_id
              where c.active and o.path like u.path || '%')
       end)::int as recounted
    from org_units u cross join (values ('household'), ('clan')) as k(kind)
    where u.id = any(${sql.val(unitIds)}::bigint[])`.execute(ctx.database.db);
  expect(rows.rows).toHaveLength(unitIds.length * 2);
  for (const r of rows.rows) expect(r.counted, `${r.kind} at unit ${r.id}`).toBe(r.recounted);
  return rows.rows;
}

describe("live registry counters", () => {
  it("equal a recount from the records after any sequence of writes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        await apply(ops, [], []);
        await compare([world.villageA1, world.villageA2, world.communeA, world.provinceA]);
      }),
      { numRuns: 15 },
    );
    // The property did exercise the counters.
    const rows = await compare([world.communeA]);
    expect(rows.find((r) => r.kind === "household")?.recounted).toBeGreaterThan(0);
  }, 240_000);

  it("a refused write moves no counter", async () => {
    const before = await compare([world.villageA1, world.communeA, world.provinceA]);
    const res = await entry.post("/api/v1/households", {
      villageId: world.villageA1,
      headName: "Hộ Lỗi",
      members: [{ fullName: "Hộ Lỗi", birthYear: 1800 }],
    });
    expect(res.statusCode).toBe(400);
    expect(await compare([world.villageA1, world.communeA, world.provinceA])).toEqual(before);
  });
});

describe("live registry counters under concurrent writes", () => {
  it("stay right when the same households are deactivated and reactivated at once", async () => {
    const ids: number[] = [];
    for (const village of [world.villageA1, world.villageA2, world.villageA1]) {
      const res = await entry.post("/api/v1/households", {
        villageId: village,
        headName: `Đồng Thời ${++serial}`,
      });
      ids.push((res.json() as Household).id);
    }
    const [a, b, c] = ids as [number, number, number];
    const requests = [
      () => entry.post("/api/v1/households/bulk", { action: "deactivate", ids: [a, b, c] }),
      () => entry.post("/api/v1/households/bulk", { action: "deactivate", ids: [c, b] }),
      () => entry.patch(`/api/v1/households/${a}`, { active: false }),
      () => entry.post("/api/v1/households/bulk", { action: "activate", ids: [b] }),
      () => entry.patch(`/api/v1/households/${c}`, { active: true }),
    ];
    const results = await Promise.all(requests.map((r) => r()));
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    await compare([world.villageA1, world.villageA2, world.communeA, world.provinceA]);
  });
});
