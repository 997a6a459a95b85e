import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUserAndLogin,
  loginAsAdmin,
  startTestApp,
  type TestClient,
  unitIdByCode,
} from "../testing/test-app.ts";

/**
 * A commune officer of Xã A (Bình Yên, Thái Nguyên) cannot read or write anything of Xã B
 * (Hòa An, Cao Bằng) or of its own province; a provincial administrator manages only the
 * province's users. Proven over HTTP, through the same routes the web app uses.
 */
let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officerA: TestClient;
let communeA: number;
let communeB: number;
let provinceA: number;
let villageB: number;

type Page = { items: { id: number; name: string; path: string }[]; total: number };

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  communeA = await unitIdByCode(admin, "05587"); // Xã Bình Yên
  communeB = await unitIdByCode(admin, "01654"); // Xã Hòa An
  provinceA = await unitIdByCode(admin, "19", "province"); // Tỉnh Thái Nguyên
  villageB = (
    (
      await admin.post("/api/v1/org-units", { parentId: communeB, kind: "village", name: "Xóm Nà Hoàng" })
    ).json() as {
      id: number;
    }
  ).id;
  officerA = await createUserAndLogin(ctx.app, admin, {
    username: "canbo.a",
    role: "officer",
    scopeIds: [communeA],
  });
});
afterAll(() => ctx.close());

describe("a commune officer's scope", () => {
  it("reads their own commune", async () => {
    expect((await officerA.get(`/api/v1/org-units/${communeA}`)).statusCode).toBe(200);
  });

  it("cannot read another commune, its village, or their own province", async () => {
    for (const id of [communeB, villageB, provinceA]) {
      const res = await officerA.get(`/api/v1/org-units/${id}`);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: "out_of_scope", title: "Ngoài phạm vi quản lý" });
    }
  });

  it("sees nothing outside the commune in lists and searches", async () => {
    const byParent = (await officerA.get(`/api/v1/org-units?parentId=${communeB}`)).json() as Page;
    expect(byParent.total).toBe(0);
    const search = (await officerA.get("/api/v1/org-units?q=na%20hoang")).json() as Page;
    expect(search.total).toBe(0);
    const provinces = (await officerA.get("/api/v1/org-units?level=1")).json() as Page;
    expect(provinces.total).toBe(0);
    const everything = (await officerA.get("/api/v1/org-units?status=all&pageSize=500")).json() as Page;
    const ownPath = everything.items.find((i) => i.id === communeA)?.path ?? "-";
    expect(everything.items.every((i) => i.path.startsWith(ownPath))).toBe(true);
  });

  it("cannot create under, or rename, another commune's units", async () => {
    const create = await officerA.post("/api/v1/org-units", {
      parentId: communeB,
      kind: "village",
      name: "Thôn Lấn Sân",
    });
    expect(create.statusCode).toBe(403);
    const rename = await officerA.patch(`/api/v1/org-units/${villageB}`, { name: "Đổi Tên" });
    expect(rename.statusCode).toBe(403);
    const check = (await admin.get(`/api/v1/org-units/${villageB}`)).json() as { name: string };
    expect(check.name).toBe("Xóm Nà Hoàng");
  });

  it("may read the history of its commune: the old communes it was formed from", async () => {
    const detail = (await officerA.get(`/api/v1/org-units/${communeA}`)).json() as {
      predecessors: { id: number }[];
    };
    const oldThanhDinh = detail.predecessors[0]?.id;
    expect((await officerA.get(`/api/v1/org-units/${oldThanhDinh}`)).statusCode).toBe(200);
  });

  it("cannot manage users or see the audit of another commune", async () => {
    expect((await officerA.get("/api/v1/users")).statusCode).toBe(403);
    const create = await officerA.post("/api/v1/users", {
      username: "ke.mao.danh",
      fullName: "X",
      role: "admin",
      scopeIds: [communeA],
    });
    expect(create.statusCode).toBe(403);
    const audit = (await officerA.get("/api/v1/audit?pageSize=200")).json() as {
      items: { orgUnitId: number | null; entityId: string }[];
    };
    expect(audit.items.some((a) => a.entityId === String(villageB))).toBe(false);
  });

  it("a viewer reads but cannot write", async () => {
    const viewer = await createUserAndLogin(ctx.app, admin, {
      username: "chi.xem",
      role: "viewer",
      scopeIds: [communeA],
    });
    expect((await viewer.get(`/api/v1/org-units/${communeA}`)).statusCode).toBe(200);
    const res = await viewer.post("/api/v1/org-units", {
      parentId: communeA,
      kind: "village",
      name: "Thôn Xem",
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: "forbidden" });
  });
});

describe("a provincial administrator's scope", () => {
  it("manages only users inside the province and delegates only inside it", async () => {
    const provAdmin = await createUserAndLogin(ctx.app, admin, {
      username: "qtv.thainguyen",
      role: "admin",
      scopeIds: [provinceA],
    });
    const outside = await provAdmin.post("/api/v1/users", {
      username: "ngoai.tinh",
      fullName: "Ngoài Tỉnh",
      role: "officer",
      scopeIds: [communeB],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ errors: [{ field: "scopeIds" }] });

    const inside = await provAdmin.post("/api/v1/users", {
      username: "trong.tinh",
      fullName: "Trong Tỉnh",
      role: "officer",
      scopeIds: [communeA],
    });
    expect(inside.statusCode).toBe(201);
    const users = (await provAdmin.get("/api/v1/users?pageSize=200")).json() as {
      items: { username: string }[];
    };
    const names = users.items.map((u) => u.username);
    expect(names).toContain("trong.tinh");
    expect(names).toContain("canbo.a");
    expect(names).not.toContain("admin");

    const nationalAdmin = (await admin.get("/api/v1/users?q=admin")).json() as {
      items: { id: number; username: string }[];
    };
    const adminId = nationalAdmin.items.find((u) => u.username === "admin")?.id;
    const reset = await provAdmin.post(`/api/v1/users/${adminId}/reset-password`);
    expect(reset.statusCode).toBe(404);
  });
});
