import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAsAdmin, startTestApp, type TestClient, unitIdByCode } from "../testing/test-app.ts";

/**
 * Bad input of every kind gets a 4xx application/problem+json with a Vietnamese title, never a
 * 500, and leaves the database exactly as it was.
 */
let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let communeId: number;

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  communeId = await unitIdByCode(admin, "05587");
});
afterAll(() => ctx.close());

async function snapshot() {
  const { db } = ctx.database;
  const count = async (table: "org_units" | "users" | "audit_log" | "user_scopes") =>
    Number((await db.selectFrom(table).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);
  const writesAudited = await db
    .selectFrom("audit_log")
    .select(sql<number>`count(*)`.as("n"))
    .where("action", "not like", "auth.%")
    .executeTakeFirstOrThrow();
  return {
    orgUnits: await count("org_units"),
    users: await count("users"),
    scopes: await count("user_scopes"),
    audited: Number(writesAudited.n),
  };
}

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers["content-type"])).toContain("application/problem+json");
  const body = res.json() as { title: string; code: string; status: number };
  expect(body.status).toBe(status);
  expect(body.code).toMatch(/^[a-z_]+$/);
  expect(body.title.length).toBeGreaterThan(0);
  return body;
}

const cases: {
  name: string;
  status: number;
  code?: string;
  send(): Promise<Parameters<typeof expectProblem>[0]>;
}[] = [
  {
    name: "malformed JSON",
    status: 400,
    code: "malformed_json",
    send: () =>
      ctx.app.inject({
        method: "POST",
        url: "/api/v1/org-units",
        headers: {
          cookie: admin.cookie ?? "",
          "x-csrf-token": admin.csrf ?? "",
          "content-type": "application/json",
        },
        payload: '{"parentId": 1, "kind": "village", "name": "Thôn',
      }),
  },
  {
    name: "wrong types",
    status: 400,
    code: "validation_failed",
    send: () => admin.post("/api/v1/org-units", { parentId: "một", kind: 7, name: ["Thôn"] }),
  },
  {
    name: "unknown fields",
    status: 400,
    code: "validation_failed",
    send: () =>
      admin.post("/api/v1/org-units", {
        parentId: communeId,
        kind: "village",
        name: "Thôn Lạ",
        isAdmin: true,
      }),
  },
  {
    name: "a 10 MB body",
    status: 413,
    code: "body_too_large",
    send: () =>
      admin.post("/api/v1/org-units", {
        parentId: communeId,
        kind: "village",
        name: "x".repeat(10 * 1024 * 1024),
      }),
  },
  {
    name: "an SQL-looking name that is also too long for a name",
    status: 400,
    send: () =>
      admin.post("/api/v1/org-units", {
        parentId: communeId,
        kind: "village",
        name: `'); drop table org_units; --${"x".repeat(300)}`,
      }),
  },
  {
    name: "an invalid kind code",
    status: 400,
    code: "validation_failed",
    send: () =>
      admin.post("/api/v1/org-units", { parentId: communeId, kind: "lang-xa", name: "Thôn Hợp Lệ" }),
  },
  {
    name: "an invalid org-unit code",
    status: 400,
    code: "validation_failed",
    send: () =>
      admin.post("/api/v1/org-units", {
        parentId: communeId,
        kind: "village",
        name: "Thôn Mã",
        code: "A B;--",
      }),
  },
  {
    name: "a parent that does not exist",
    status: 400,
    code: "validation_failed",
    send: () => admin.post("/api/v1/org-units", { parentId: 999999999, kind: "village", name: "Thôn Ma" }),
  },
  {
    name: "an id that is not a number",
    status: 400,
    code: "validation_failed",
    send: () => admin.get("/api/v1/org-units/1%20or%201=1"),
  },
  {
    name: "an out-of-range id",
    status: 400,
    send: () => admin.get("/api/v1/org-units/99999999999999999999999"),
  },
  {
    name: "a query parameter of the wrong type",
    status: 400,
    code: "validation_failed",
    send: () => admin.get("/api/v1/org-units?level=abc"),
  },
  {
    name: "an empty name after trimming",
    status: 400,
    code: "validation_failed",
    send: () => admin.post("/api/v1/org-units", { parentId: communeId, kind: "village", name: "   " }),
  },
  {
    name: "a user with a malformed username and an empty scope list",
    status: 400,
    code: "validation_failed",
    send: () =>
      admin.post("/api/v1/users", { username: "Tên Có Dấu", fullName: "A", role: "officer", scopeIds: [] }),
  },
  {
    name: "a role that does not exist",
    status: 400,
    code: "validation_failed",
    send: () =>
      admin.post("/api/v1/users", {
        username: "ok.user",
        fullName: "A",
        role: "superuser",
        scopeIds: [communeId],
      }),
  },
  {
    name: "a wrong content type",
    status: 415,
    send: () =>
      ctx.app.inject({
        method: "POST",
        url: "/api/v1/org-units",
        headers: { cookie: admin.cookie ?? "", "x-csrf-token": admin.csrf ?? "", "content-type": "text/xml" },
        payload: "<unit/>",
      }),
  },
  {
    name: "an unknown API path",
    status: 404,
    code: "not_found",
    send: () => admin.get("/api/v1/khong-co"),
  },
];

describe("bad input", () => {
  for (const c of cases) {
    it(`${c.name} → ${c.status} problem+json, database unchanged`, async () => {
      const before = await snapshot();
      const body = expectProblem(await c.send(), c.status);
      if (c.code) expect(body.code).toBe(c.code);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("names the offending fields with Vietnamese messages", async () => {
    const res = await admin.post("/api/v1/org-units", { parentId: "một", kind: "village" });
    const body = expectProblem(res, 400) as unknown as { errors: { field: string; message: string }[] };
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: "parentId", message: "Phải là số." },
        { field: "name", message: "Bắt buộc nhập." },
      ]),
    );
  });

  it("stores an SQL-looking name verbatim as text, harmlessly", async () => {
    const name = "Thôn '); DROP TABLE org_units; --";
    const res = await admin.post("/api/v1/org-units", { parentId: communeId, kind: "village", name });
    expect(res.statusCode).toBe(201);
    expect((res.json() as { name: string }).name).toBe(name);
    const page = (await admin.get(`/api/v1/org-units?q=${encodeURIComponent("drop table")}`)).json() as {
      total: number;
    };
    expect(page.total).toBe(1);
  });

  it("NFC-normalises and trims text input", async () => {
    const nfd = "  Thôn   Khuổi Đứa ".normalize("NFD");
    const res = await admin.post("/api/v1/org-units", { parentId: communeId, kind: "village", name: nfd });
    expect(res.statusCode).toBe(201);
    expect((res.json() as { name: string }).name).toBe("Thôn Khuổi Đứa".normalize("NFC"));
  });

  it("search input with LIKE wildcards matches them literally", async () => {
    const page = (await admin.get(`/api/v1/org-units?q=${encodeURIComponent("%")}`)).json() as {
      total: number;
    };
    expect(page.total).toBe(0);
  });
});
