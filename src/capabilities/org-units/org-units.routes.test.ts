import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUserAndLogin,
  loginAsAdmin,
  startTestApp,
  type TestClient,
  unitIdByCode,
} from "../../testing/test-app.ts";
import { systemAuditContext } from "../audit/audit-writer.ts";
import { loadAdminUnits } from "./admin-units-loader.ts";

type Item = {
  id: number;
  name: string;
  code: string | null;
  kind: string;
  level: number;
  current: boolean;
  successors: { id: number; name: string; code: string; share: string }[];
  ancestry: string[];
};
type PageOf<T> = { items: T[]; total: number };

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
});
afterAll(() => ctx.close());

describe("official administrative units", () => {
  it("lists the 34 current provinces at level 1, in Vietnamese order of their names", async () => {
    const res = await admin.get("/api/v1/org-units?level=1&pageSize=100");
    expect(res.statusCode).toBe(200);
    const page = res.json() as PageOf<Item>;
    expect(page.total).toBe(34);
    expect(page.items).toHaveLength(34);
    expect(page.items.every((p) => p.kind === "province" && p.current)).toBe(true);
    expect(page.items[0]?.name).toBe("Tỉnh An Giang");
    const names = page.items.map((p) => p.name);
    expect(names.indexOf("Thành phố Cần Thơ")).toBeLessThan(names.indexOf("Thành phố Hà Nội"));
  });

  it("keeps the 63 old provinces and 10,047 old communes as history, with lineage", async () => {
    const { db } = ctx.database;
    const counts = await db
      .selectFrom("org_units")
      .select(["kind", sql<boolean>`valid_to is null`.as("current"), sql<number>`count(*)`.as("n")])
      .groupBy(["kind", sql`valid_to is null`])
      .execute();
    const count = (kind: string, current: boolean) =>
      Number(counts.find((c) => c.kind === kind && c.current === current)?.n ?? 0);
    expect(count("province", true)).toBe(34);
    expect(count("commune", true)).toBe(3321);
    expect(count("province", false)).toBe(63);
    expect(count("commune", false)).toBe(10047);
    // The five island districts that became special zones (đặc khu), e.g. Huyện Côn Đảo.
    expect(count("district", false)).toBe(5);
    const links = await db
      .selectFrom("org_unit_lineage")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    // 10,604 commune links (9,592 full + 1,012 partial) and 63 province links.
    expect(Number(links.n)).toBe(10604 + 63);
  });

  it('finds "Xã Thanh Định" by "thanh dinh" and shows its successor Xã Bình Yên', async () => {
    const res = await admin.get("/api/v1/org-units?q=thanh%20dinh");
    expect(res.statusCode).toBe(200);
    const page = res.json() as PageOf<Item>;
    const thanhDinh = page.items.find((i) => i.code === "05578");
    expect(thanhDinh).toMatchObject({
      name: "Xã Thanh Định",
      current: false,
      ancestry: ["Tỉnh Thái Nguyên"],
    });
    expect(thanhDinh?.successors).toEqual([
      expect.objectContaining({ name: "Xã Bình Yên", code: "05587", share: "full" }),
    ]);
  });

  it("search ignores case, diacritics and Unicode composition", async () => {
    for (const q of ["THANH ĐỊNH", "Thanh Định".normalize("NFD"), "thanh  dinh"]) {
      const page = (await admin.get(`/api/v1/org-units?q=${encodeURIComponent(q)}`)).json() as PageOf<Item>;
      expect(page.items.some((i) => i.code === "05578")).toBe(true);
    }
  });

  it("answers what new Xã Bình Yên came from and where old Xã Thanh Định went", async () => {
    const binhYen = await unitIdByCode(admin, "05587");
    const detail = (await admin.get(`/api/v1/org-units/${binhYen}`)).json() as {
      name: string;
      predecessors: { name: string; share: string; current: boolean }[];
      ancestors: { name: string }[];
    };
    expect(detail.name).toBe("Xã Bình Yên");
    expect(detail.ancestors.map((a) => a.name)).toEqual(["Việt Nam", "Tỉnh Thái Nguyên"]);
    expect(detail.predecessors.map((p) => p.name)).toContain("Xã Thanh Định");
    expect(detail.predecessors.every((p) => !p.current)).toBe(true);

    const thanhDinh = (await admin.get("/api/v1/org-units?q=05578")).json() as PageOf<Item>;
    const old = thanhDinh.items.find((i) => i.code === "05578" && !i.current);
    const oldDetail = (await admin.get(`/api/v1/org-units/${old?.id}`)).json() as {
      successors: { name: string }[];
      validTo: string;
      canWrite: boolean;
    };
    expect(oldDetail.successors.map((s) => s.name)).toEqual(["Xã Bình Yên"]);
    expect(oldDetail.validTo).toBe("2025-06-30");
    expect(oldDetail.canWrite).toBe(false);
  });

  it("lists a province's communes and a commune's children", async () => {
    const thaiNguyen = (await admin.get("/api/v1/org-units?level=1&q=thai%20nguyen")).json() as PageOf<Item>;
    const province = thaiNguyen.items.find((i) => i.kind === "province" && i.current);
    expect(province).toBeDefined();
    const communes = (
      await admin.get(`/api/v1/org-units?parentId=${province?.id}&pageSize=500`)
    ).json() as PageOf<Item>;
    expect(communes.total).toBeGreaterThan(50);
    expect(communes.items.every((c) => c.kind === "commune" && c.current)).toBe(true);
    expect(communes.items.some((c) => c.name === "Xã Bình Yên")).toBe(true);
  });

  it("re-importing the official lists changes nothing and duplicates nothing", async () => {
    const result = await loadAdminUnits(ctx.database.db, systemAuditContext("test"));
    expect(result).toMatchObject({ provinces: 34, communes: 3321, inserted: 0, lineageLinks: 10604 + 63 });
  });
});

describe("villages and units created by users", () => {
  it("a commune officer creates villages under their commune, in Vietnamese order, with no duplicates", async () => {
    const binhYen = await unitIdByCode(admin, "05587");
    const officer = await createUserAndLogin(ctx.app, admin, {
      username: "canbo.binhyen",
      role: "officer",
      scopeIds: [binhYen],
    });
    for (const name of ["Thôn 10", "Thôn 2", "  Thôn   Đồng  Bục ", "Thôn Ao Sen"]) {
      const res = await officer.post("/api/v1/org-units", { parentId: binhYen, kind: "village", name });
      expect(res.statusCode, res.body).toBe(201);
    }
    const children = (await officer.get(`/api/v1/org-units?parentId=${binhYen}`)).json() as PageOf<Item>;
    expect(children.items.map((c) => c.name)).toEqual(["Thôn 2", "Thôn 10", "Thôn Ao Sen", "Thôn Đồng Bục"]);

    const dup = await officer.post("/api/v1/org-units", {
      parentId: binhYen,
      kind: "village",
      name: "thôn ao sen",
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.headers["content-type"]).toContain("application/problem+json");
    expect(dup.json()).toMatchObject({ code: "org_unit_duplicate" });
  });

  it("refuses a kind that cannot sit under the parent, with a Vietnamese field message", async () => {
    const binhYen = await unitIdByCode(admin, "05587");
    const res = await admin.post("/api/v1/org-units", {
      parentId: binhYen,
      kind: "province",
      name: "Tỉnh Mới",
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors[0]).toMatchObject({ field: "kind" });
    expect(problem.errors[0]?.message).toMatch(/chỉ tạo được/);
  });

  it("allows one community learning centre per commune", async () => {
    const commune = await unitIdByCode(admin, "05587");
    const first = await admin.post("/api/v1/org-units", {
      parentId: commune,
      kind: "learning_centre",
      name: "TTHTCĐ xã Bình Yên",
    });
    expect(first.statusCode).toBe(201);
    const second = await admin.post("/api/v1/org-units", {
      parentId: commune,
      kind: "learning_centre",
      name: "TTHTCĐ thứ hai",
    });
    expect(second.statusCode).toBe(409);
  });

  it("refuses children under a unit that no longer exists", async () => {
    const old = ((await admin.get("/api/v1/org-units?q=05578")).json() as PageOf<Item>).items.find(
      (i) => !i.current,
    );
    const res = await admin.post("/api/v1/org-units", {
      parentId: old?.id,
      kind: "village",
      name: "Thôn Cũ",
    });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { errors: { field: string }[] }).errors[0]?.field).toBe("parentId");
  });

  it("records every creation and rename in the audit trail with before and after", async () => {
    const commune = await unitIdByCode(admin, "05587");
    const created = (
      await admin.post("/api/v1/org-units", { parentId: commune, kind: "school", name: "Trường TH Bình Yên" })
    ).json() as {
      id: number;
    };
    const renamed = await admin.patch(`/api/v1/org-units/${created.id}`, {
      name: "Trường Tiểu học Bình Yên",
    });
    expect(renamed.statusCode).toBe(200);
    const audit = (
      await admin.get(`/api/v1/audit?entityType=org_unit&entityId=${created.id}`)
    ).json() as PageOf<{
      action: string;
      before: { name: string } | null;
      after: { name: string };
      username: string;
    }>;
    expect(audit.items.map((a) => a.action)).toEqual(["org_unit.updated", "org_unit.created"]);
    expect(audit.items[0]).toMatchObject({
      username: "admin",
      before: { name: "Trường TH Bình Yên" },
      after: { name: "Trường Tiểu học Bình Yên" },
    });
  });
});
