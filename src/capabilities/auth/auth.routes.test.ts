import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loginAsAdmin,
  startTestApp,
  TEST_ADMIN_PASSWORD,
  TestClient,
  unitIdByCode,
} from "../../testing/test-app.ts";
import { MAX_FAILED_LOGINS } from "./service.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let communeId: number;

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  communeId = await unitIdByCode(admin, "05587");
});
afterAll(() => ctx.close());

async function newUser(username: string, password = "mat-khau-123") {
  const res = await admin.post("/api/v1/users", {
    username,
    fullName: "Nguyễn Văn A",
    role: "officer",
    scopeIds: [communeId],
    password,
  });
  expect(res.statusCode, res.body).toBe(201);
  return password;
}

describe("login and sessions", () => {
  it("sets an httpOnly SameSite session cookie and returns the user with a CSRF token", async () => {
    const client = new TestClient(ctx.app);
    const res = await client.login("admin", TEST_ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === "xhht_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(res.json()).toMatchObject({
      user: { username: "admin", role: "admin" },
      csrfToken: expect.any(String),
    });
    const me = await client.get("/api/v1/auth/me");
    expect(me.json()).toMatchObject({ user: { username: "admin" }, csrfToken: client.csrf });
  });

  it("accepts the username in any case", async () => {
    const res = await new TestClient(ctx.app).login("ADMIN", TEST_ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
  });

  it("answers a wrong password and an unknown user alike, in Vietnamese", async () => {
    const wrong = await new TestClient(ctx.app).login("admin", "sai-mat-khau");
    const unknown = await new TestClient(ctx.app).login("khong-co-ai", "sai-mat-khau");
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json()).toMatchObject({
        code: "unauthenticated",
        detail: "Tên đăng nhập hoặc mật khẩu không đúng.",
      });
    }
  });

  it(`locks an account after ${MAX_FAILED_LOGINS} failures, even with the right password, until an admin resets it`, async () => {
    const password = await newUser("bi.khoa");
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      expect((await new TestClient(ctx.app).login("bi.khoa", "sai")).statusCode).toBe(401);
    }
    const locked = await new TestClient(ctx.app).login("bi.khoa", password);
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toMatchObject({ code: "account_locked" });

    const list = (await admin.get("/api/v1/users?q=bi.khoa")).json() as {
      items: { id: number; lockedUntil: string }[];
    };
    expect(list.items[0]?.lockedUntil).not.toBeNull();
    const reset = await admin.post(`/api/v1/users/${list.items[0]?.id}/reset-password`);
    const temporary = (reset.json() as { temporaryPassword: string }).temporaryPassword;
    const client = new TestClient(ctx.app);
    expect((await client.login("bi.khoa", temporary)).statusCode).toBe(200);
    expect((await client.get("/api/v1/auth/me")).json()).toMatchObject({
      user: { mustChangePassword: true },
    });
  });

  it("rate-limits repeated login attempts from one address", async () => {
    const client = new TestClient(ctx.app);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push(
        (
          await client.request(
            "POST",
            "/api/v1/auth/login",
            { username: "x", password: "y" },
            { headers: { "x-forwarded-for": "203.0.113.9" } },
          )
        ).statusCode,
      );
    }
    expect(statuses).toContain(429);
  });

  it("logout ends the session", async () => {
    const client = new TestClient(ctx.app);
    await client.login("admin", TEST_ADMIN_PASSWORD);
    expect((await client.post("/api/v1/auth/logout")).statusCode).toBe(200);
    expect((await client.get("/api/v1/auth/me")).statusCode).toBe(401);
  });
});

describe("CSRF protection of cookie-authenticated writes", () => {
  it("refuses a write with the session cookie but no X-CSRF-Token, and changes nothing", async () => {
    const res = await admin.request(
      "POST",
      "/api/v1/org-units",
      { parentId: communeId, kind: "village", name: "Thôn Giả Mạo" },
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: "csrf_failed" });
    const children = (await admin.get(`/api/v1/org-units?parentId=${communeId}&q=gia%20mao`)).json() as {
      total: number;
    };
    expect(children.total).toBe(0);
  });

  it("refuses a wrong token", async () => {
    const res = await admin.request(
      "POST",
      "/api/v1/org-units",
      { parentId: communeId, kind: "village", name: "Thôn X" },
      {
        csrf: false,
        headers: { "x-csrf-token": "not-the-token" },
      },
    );
    expect(res.statusCode).toBe(403);
  });
});

describe("API tokens for scripts", () => {
  it("a Bearer token works without CSRF and stops working once revoked", async () => {
    const created = await admin.post("/api/v1/auth/tokens", { name: "Script nhập liệu" });
    expect(created.statusCode).toBe(201);
    const { token, id, hint } = created.json() as { token: string; id: number; hint: string };
    expect(token.endsWith(hint)).toBe(true);
    const bearer = { authorization: `Bearer ${token}` };
    const read = await ctx.app.inject({ method: "GET", url: "/api/v1/org-units?level=1", headers: bearer });
    expect(read.statusCode).toBe(200);
    const write = await ctx.app.inject({
      method: "POST",
      url: "/api/v1/org-units",
      headers: bearer,
      payload: { parentId: communeId, kind: "village", name: "Thôn Script" },
    });
    expect(write.statusCode, write.body).toBe(201);
    const listed = (await admin.get("/api/v1/auth/tokens")).json() as { id: number }[];
    expect(listed.map((t) => t.id)).toContain(id);
    expect(JSON.stringify(listed)).not.toContain(token);

    expect((await admin.request("DELETE", `/api/v1/auth/tokens/${id}`)).statusCode).toBe(200);
    const after = await ctx.app.inject({ method: "GET", url: "/api/v1/org-units?level=1", headers: bearer });
    expect(after.statusCode).toBe(401);
  });
});

describe("password change", () => {
  it("needs the current password, ends the user's other sessions, and keeps this one", async () => {
    const password = await newUser("doi.matkhau");
    const here = new TestClient(ctx.app);
    const elsewhere = new TestClient(ctx.app);
    await here.login("doi.matkhau", password);
    await elsewhere.login("doi.matkhau", password);

    const wrong = await here.post("/api/v1/auth/password", {
      currentPassword: "sai",
      newPassword: "mat-khau-moi-456",
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      errors: [{ field: "currentPassword", message: "Mật khẩu hiện tại không đúng." }],
    });

    const short = await here.post("/api/v1/auth/password", {
      currentPassword: password,
      newPassword: "ngan",
    });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ errors: [{ field: "newPassword" }] });

    const ok = await here.post("/api/v1/auth/password", {
      currentPassword: password,
      newPassword: "mat-khau-moi-456",
    });
    expect(ok.statusCode).toBe(200);
    expect((await here.get("/api/v1/auth/me")).statusCode).toBe(200);
    expect((await elsewhere.get("/api/v1/auth/me")).statusCode).toBe(401);
    expect((await new TestClient(ctx.app).login("doi.matkhau", "mat-khau-moi-456")).statusCode).toBe(200);
  });
});
