import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, loginAsAdmin, startTestApp, type TestClient } from "../../testing/test-app.ts";
import {
  type Clan,
  del,
  type Household,
  type PageOf,
  type Problem,
  registryWorld,
  snapshot,
} from "./registry-fixtures.ts";

/**
 * Clans of a commune, and the walls of the registry: an officer of Xã Bình Yên (Thái Nguyên)
 * reaches nothing of Xã Hòa An (Cao Bằng); a viewer reads but never writes; data entry writes.
 */
let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let entryA: TestClient;
let viewerA: TestClient;
let officerB: TestClient;
let world: Awaited<ReturnType<typeof registryWorld>>;
let householdA1: Household;
let householdA2: Household;
let householdB: Household;
let clanA: Clan;

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  world = await registryWorld(admin);
  entryA = await createUser(ctx.app, admin, "nhaplieu.a", "data_entry", [world.communeA]);
  viewerA = await createUser(ctx.app, admin, "xem.a", "viewer", [world.communeA]);
  officerB = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [world.communeB]);
  const post = async (client: TestClient, body: object) => {
    const res = await client.post("/api/v1/households", body);
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json() as Household;
  };
  householdA1 = await post(entryA, {
    villageId: world.villageA1,
    headName: "Bùi Duy Khánh",
    members: [{ fullName: "Bùi Duy Khánh", birthYear: 1975 }],
  });
  householdA2 = await post(entryA, { villageId: world.villageA2, headName: "Bùi Duy Hưng" });
  householdB = await post(officerB, { villageId: world.villageB1, headName: "Nông Văn Dền" });
});
afterAll(() => ctx.close());

describe("clans (dòng họ)", () => {
  it("creates a clan in a commune, refuses a second of the same name, and counts it", async () => {
    const res = await entryA.post("/api/v1/clans", {
      communeId: world.communeA,
      name: " họ  Bùi Duy ",
      note: "Nhà thờ họ ở Thôn Đồng Bục",
    });
    expect(res.statusCode, res.body).toBe(201);
    clanA = res.json() as Clan;
    expect(clanA).toMatchObject({
      name: "họ Bùi Duy",
      commune: { id: world.communeA, name: "Xã Bình Yên" },
      active: true,
      householdCount: 0,
      households: [],
      canWrite: true,
    });
    const dup = await entryA.post("/api/v1/clans", { communeId: world.communeA, name: "HỌ BÙI DUY" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: "clan_duplicate", errors: [{ field: "name" }] });
    // A clan belongs to a commune, not a village.
    const village = await entryA.post("/api/v1/clans", { communeId: world.villageA1, name: "họ Lê" });
    expect(village.statusCode).toBe(400);
    expect((village.json() as Problem).errors?.[0]).toEqual({
      field: "communeId",
      message: "Không tìm thấy xã/phường này.",
    });
  });

  it("gathers households from different villages of the commune", async () => {
    const res = await entryA.post(`/api/v1/clans/${clanA.id}/households`, {
      householdIds: [householdA1.id, householdA2.id],
    });
    expect(res.statusCode, res.body).toBe(200);
    const clan = res.json() as Clan;
    expect(clan.householdCount).toBe(2);
    expect(clan.households.map((h) => [h.headName, h.village.name])).toEqual([
      ["Bùi Duy Hưng", "Thôn Ao Sen"],
      ["Bùi Duy Khánh", "Thôn Đồng Bục"],
    ]);
    // Adding again changes nothing.
    const again = await entryA.post(`/api/v1/clans/${clanA.id}/households`, {
      householdIds: [householdA1.id],
    });
    expect((again.json() as Clan).householdCount).toBe(2);
    // Households show their clans; the list filters by clan.
    const listed = (await entryA.get(`/api/v1/households?clanId=${clanA.id}`)).json() as PageOf<Household>;
    expect(listed.items.map((h) => h.clans)).toEqual([
      [{ id: clanA.id, name: "họ Bùi Duy" }],
      [{ id: clanA.id, name: "họ Bùi Duy" }],
    ]);
    const clans = (
      await entryA.get(`/api/v1/clans?communeId=${world.communeA}&q=bui%20duy`)
    ).json() as PageOf<Clan>;
    expect(clans.items.map((c) => [c.name, c.householdCount])).toEqual([["họ Bùi Duy", 2]]);
  });

  it("refuses a household from another commune, with a field message, and writes nothing", async () => {
    const before = await snapshot(ctx.database);
    const res = await admin.post(`/api/v1/clans/${clanA.id}/households`, {
      householdIds: [householdA1.id, householdB.id],
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json() as Problem;
    expect(problem.errors).toEqual([
      {
        field: "householdIds",
        message: "Hộ Nông Văn Dền (Xóm Nà Hoàng) không thuộc Xã Bình Yên; dòng họ chỉ gồm các hộ trong xã.",
      },
    ]);
    const bulk = await admin.post("/api/v1/households/bulk", {
      action: "addToClan",
      clanId: clanA.id,
      ids: [householdB.id],
    });
    expect(bulk.statusCode).toBe(400);
    expect((bulk.json() as Problem).errors?.[0]?.field).toBe("ids");
    expect(await snapshot(ctx.database)).toBe(before);
  });

  it("adds selected households through the bulk bar, removes one, renames and retires the clan", async () => {
    const h = (
      await entryA.post("/api/v1/households", { villageId: world.villageA1, headName: "Bùi Duy Tân" })
    ).json() as Household;
    const bulk = await entryA.post("/api/v1/households/bulk", {
      action: "addToClan",
      clanId: clanA.id,
      ids: [h.id],
    });
    expect(bulk.json()).toMatchObject({ changed: 1 });
    const removed = await del(entryA, `/api/v1/clans/${clanA.id}/households/${h.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect((removed.json() as Clan).householdCount).toBe(2);
    expect((await del(entryA, `/api/v1/clans/${clanA.id}/households/${h.id}`)).statusCode).toBe(404);

    const renamed = await entryA.patch(`/api/v1/clans/${clanA.id}`, { name: "Họ Bùi Duy" });
    expect((renamed.json() as Clan).name).toBe("Họ Bùi Duy");
    const count = async () =>
      Number(
        (
          await ctx.database.db
            .selectFrom("subject_counts")
            .select("n")
            .where("org_unit_id", "=", world.communeA)
            .where("subject_kind", "=", "clan")
            .executeTakeFirst()
        )?.n ?? 0,
      );
    expect(await count()).toBe(1);
    const retired = await entryA.patch(`/api/v1/clans/${clanA.id}`, { active: false });
    expect((retired.json() as Clan).active).toBe(false);
    expect(await count()).toBe(0);
    // A retired clan takes no households, and its name is free again.
    const closed = await entryA.post(`/api/v1/clans/${clanA.id}/households`, { householdIds: [h.id] });
    expect(closed.statusCode).toBe(400);
    const reopened = await entryA.patch(`/api/v1/clans/${clanA.id}`, { active: true });
    expect(reopened.statusCode).toBe(200);
    expect(await count()).toBe(1);
    const audit = (await admin.get(`/api/v1/audit?entityType=clan&entityId=${clanA.id}`)).json() as PageOf<{
      action: string;
      orgUnitId: number;
    }>;
    expect(audit.items.map((a) => a.action)).toEqual([
      "clan.reactivated",
      "clan.deactivated",
      "clan.updated",
      "clan.household_removed",
      "clan.households_added",
      "clan.households_added",
      "clan.created",
    ]);
    expect(audit.items.every((a) => a.orgUnitId === world.communeA)).toBe(true);
  });
});

describe("scope isolation: an officer of Xã Hòa An reaches nothing of Xã Bình Yên", () => {
  const outOfScope = (res: { statusCode: number; json: () => unknown }) => {
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: "out_of_scope", title: "Ngoài phạm vi quản lý" });
  };

  it("cannot list or read households or clans of another commune", async () => {
    outOfScope(await officerB.get(`/api/v1/households?villageId=${world.villageA1}`));
    outOfScope(await officerB.get(`/api/v1/households?communeId=${world.communeA}`));
    outOfScope(await officerB.get(`/api/v1/households?orgUnitId=${world.provinceA}`));
    outOfScope(await officerB.get(`/api/v1/households/${householdA1.id}`));
    outOfScope(await officerB.get(`/api/v1/clans?communeId=${world.communeA}`));
    outOfScope(await officerB.get(`/api/v1/clans/${clanA.id}`));
    outOfScope(await officerB.get(`/api/v1/households?clanId=${clanA.id}`));
    // Unfiltered lists and searches hold only the officer's own commune.
    const all = (
      await officerB.get("/api/v1/households?pageSize=200&active=all")
    ).json() as PageOf<Household>;
    expect(all.items.map((h) => h.id)).toEqual([householdB.id]);
    const search = (await officerB.get("/api/v1/households?q=bui%20duy")).json() as PageOf<Household>;
    expect(search.total).toBe(0);
    const clans = (await officerB.get("/api/v1/clans?active=all")).json() as PageOf<Clan>;
    expect(clans.total).toBe(0);
  });

  it("cannot create or change anything there, and nothing is written", async () => {
    const before = await snapshot(ctx.database);
    outOfScope(
      await officerB.post("/api/v1/households", { villageId: world.villageA1, headName: "Lấn Sân" }),
    );
    outOfScope(await officerB.patch(`/api/v1/households/${householdA1.id}`, { address: "x" }));
    outOfScope(
      await officerB.post(`/api/v1/households/${householdA1.id}/members`, { fullName: "X", birthYear: 2000 }),
    );
    const memberId = householdA1.members[0]?.id;
    outOfScope(
      await officerB.patch(`/api/v1/households/${householdA1.id}/members/${memberId}`, { birthYear: 1976 }),
    );
    outOfScope(await del(officerB, `/api/v1/households/${householdA1.id}/members/${memberId}`));
    // A bulk request with one foreign household among its own is refused whole.
    outOfScope(
      await officerB.post("/api/v1/households/bulk", {
        action: "deactivate",
        ids: [householdB.id, householdA1.id],
      }),
    );
    outOfScope(await officerB.post("/api/v1/clans", { communeId: world.communeA, name: "họ Nông" }));
    outOfScope(await officerB.patch(`/api/v1/clans/${clanA.id}`, { name: "Đổi" }));
    outOfScope(
      await officerB.post(`/api/v1/clans/${clanA.id}/households`, { householdIds: [householdB.id] }),
    );
    outOfScope(await del(officerB, `/api/v1/clans/${clanA.id}/households/${householdA1.id}`));
    expect(await snapshot(ctx.database)).toBe(before);
    // Their own household is untouched by the refused bulk request.
    const own = (await officerB.get(`/api/v1/households/${householdB.id}`)).json() as Household;
    expect(own.active).toBe(true);
  });
});

describe("roles", () => {
  it("a viewer reads but cannot write", async () => {
    const read = await viewerA.get(`/api/v1/households/${householdA1.id}`);
    expect(read.statusCode).toBe(200);
    expect((read.json() as Household).canWrite).toBe(false);
    expect((await viewerA.get(`/api/v1/clans/${clanA.id}`)).json()).toMatchObject({ canWrite: false });
    const before = await snapshot(ctx.database);
    const writes = [
      await viewerA.post("/api/v1/households", { villageId: world.villageA1, headName: "Chỉ Xem" }),
      await viewerA.patch(`/api/v1/households/${householdA1.id}`, { address: "x" }),
      await viewerA.post(`/api/v1/households/${householdA1.id}/members`, { fullName: "X", birthYear: 2000 }),
      await viewerA.post("/api/v1/households/bulk", { action: "deactivate", ids: [householdA1.id] }),
      await viewerA.post("/api/v1/clans", { communeId: world.communeA, name: "họ Xem" }),
      await del(viewerA, `/api/v1/clans/${clanA.id}/households/${householdA1.id}`),
    ];
    for (const res of writes) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: "forbidden" });
    }
    expect(await snapshot(ctx.database)).toBe(before);
  });

  it("data entry writes, and needs the CSRF token to do so", async () => {
    const res = await entryA.post("/api/v1/households", {
      villageId: world.villageA2,
      headName: "Nhập Liệu",
    });
    expect(res.statusCode).toBe(201);
    const noCsrf = await entryA.request(
      "POST",
      "/api/v1/households",
      { villageId: world.villageA2, headName: "Không CSRF" },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ code: "csrf_failed" });
  });

  it("nobody reads the registry without logging in", async () => {
    const res = await ctx.app.inject({ method: "GET", url: `/api/v1/households/${householdA1.id}` });
    expect(res.statusCode).toBe(401);
  });
});

describe("API description", () => {
  it("documents every registry route in the OpenAPI document, and no national ID in any response", async () => {
    const doc = (await ctx.app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json() as {
      paths: Record<string, Record<string, { responses?: unknown }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/households",
        "/api/v1/households/bulk",
        "/api/v1/households/{id}",
        "/api/v1/households/{id}/members",
        "/api/v1/households/{id}/members/{memberId}",
        "/api/v1/clans",
        "/api/v1/clans/{id}",
        "/api/v1/clans/{id}/households",
        "/api/v1/clans/{id}/households/{householdId}",
      ]),
    );
    const responses = Object.entries(doc.paths)
      .filter(([path]) => /households|clans/.test(path))
      .flatMap(([, methods]) => Object.values(methods).map((m) => JSON.stringify(m.responses ?? {})));
    for (const r of responses) expect(r).not.toMatch(/"nationalId"|national_id_hash/);
  });
});
