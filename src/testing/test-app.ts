import type { LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { inject } from "vitest";
import type { Role } from "../authz/policy.ts";
import type { Database } from "../db/connection.ts";
import type { DB } from "../db/schema.ts";
import { buildApp } from "../server/app.ts";
import type { App } from "../server/types.ts";
import { openTestDatabase, TEST_ADMIN_PASSWORD } from "./test-database.ts";

export { TEST_ADMIN_PASSWORD };

/** The app on a database of this test file's own, seeded like a first start. */
export async function startTestApp() {
  const database = await openTestDatabase(inject("xhhtTemplate"));
  const app = await buildTestApp(database);
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}

/**
 * The app as tests build it, on a database the caller opened (and closes): for a test that needs
 * a database of its own making, such as a primary with its replica.
 */
export async function buildTestApp(database: Database): Promise<App> {
  // trustProxy lets a test play clients at different addresses with X-Forwarded-For.
  // XHHT_TEST_LOG=1 shows the server log (unhandled errors with their stack) while debugging.
  const app = await buildApp({
    database,
    version: "test",
    trustProxy: true,
    logger: process.env.XHHT_TEST_LOG === "1",
  });
  await app.ready();
  return app;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/** A logged-in (or anonymous) browser-like client: session cookie plus CSRF header on writes. */
export class TestClient {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(private readonly app: App) {}

  async login(username: string, password: string): Promise<LightMyRequestResponse> {
    const res = await this.request("POST", "/api/v1/auth/login", { username, password });
    if (res.statusCode === 200) {
      const set = res.cookies.find((c) => c.name === "xhht_session");
      this.cookie = set ? `xhht_session=${set.value}` : null;
      this.csrf = (res.json() as { csrfToken: string }).csrfToken;
    }
    return res;
  }

  request(
    method: Method,
    url: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && options.csrf !== false && method !== "GET") headers["x-csrf-token"] = this.csrf;
    return this.app.inject({
      method,
      url,
      headers,
      ...(body === undefined
        ? {}
        : typeof body === "string"
          ? { payload: body }
          : { payload: body as object }),
    });
  }

  get(url: string) {
    return this.request("GET", url);
  }
  post(url: string, body?: unknown) {
    return this.request("POST", url, body ?? {});
  }
  patch(url: string, body: unknown) {
    return this.request("PATCH", url, body);
  }
  put(url: string, body: unknown) {
    return this.request("PUT", url, body);
  }
  delete(url: string) {
    return this.request("DELETE", url);
  }
}

export async function loginAsAdmin(app: App): Promise<TestClient> {
  const client = new TestClient(app);
  const res = await client.login("admin", TEST_ADMIN_PASSWORD);
  if (res.statusCode !== 200) throw new Error(`admin login failed: ${res.body}`);
  return client;
}

/** Id of the current official unit with this statistics code (e.g. commune "05587"). */
export async function unitIdByCode(client: TestClient, code: string, kind = "commune"): Promise<number> {
  const res = await client.get(`/api/v1/org-units?q=${encodeURIComponent(code)}&status=current&pageSize=500`);
  // Codes are not names: search by listing instead when the name search finds nothing.
  const items = (res.json() as { items: { id: number; code: string; kind: string }[] }).items;
  const hit = items.find((i) => i.code === code && i.kind === kind);
  if (hit) return hit.id;
  throw new Error(`no current ${kind} with code ${code}`);
}

/** Create a user through the API as `admin` and return a client logged in as them. */
export async function createUserAndLogin(
  app: App,
  admin: TestClient,
  input: { username: string; role: Role; scopeIds: number[] },
): Promise<TestClient> {
  const password = `pw-${input.username}-123`;
  const res = await admin.post("/api/v1/users", {
    username: input.username,
    fullName: `Người dùng ${input.username}`,
    role: input.role,
    scopeIds: input.scopeIds,
    password,
  });
  if (res.statusCode !== 201) throw new Error(`create user failed: ${res.body}`);
  const client = new TestClient(app);
  const login = await client.login(input.username, password);
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  return client;
}

/** Create a user through the API as `admin` and return a client logged in as them. */
export function createUser(app: App, admin: TestClient, username: string, role: Role, scopeIds: number[]) {
  return createUserAndLogin(app, admin, { username, role, scopeIds });
}

/**
 * The official units the API tests work in: Xã Bình Yên (Tỉnh Thái Nguyên), Xã Hòa An (Tỉnh Cao
 * Bằng) and Tỉnh Thái Nguyên.
 */
export async function testUnits(admin: TestClient) {
  return {
    binhYen: await unitIdByCode(admin, "05587"),
    hoaAn: await unitIdByCode(admin, "01654"),
    thaiNguyen: await unitIdByCode(admin, "19", "province"),
  };
}

/** A current commune under `provinceId` other than `besideId` (one with no figures of its own). */
export async function siblingCommune(
  admin: TestClient,
  provinceId: number,
  besideId: number,
): Promise<number> {
  const res = await admin.get(`/api/v1/org-units?parentId=${provinceId}&status=current&pageSize=50`);
  const { items } = res.json() as { items: { id: number; kind: string }[] };
  const other = items.find((u) => u.kind === "commune" && u.id !== besideId);
  if (!other) throw new Error(`no other commune under ${provinceId}`);
  return other.id;
}

/** Create a unit (village, school, centre…) under `parentId` through the API as `admin`. */
export async function createUnit(admin: TestClient, parentId: number, kind: string, name: string) {
  const res = await admin.post("/api/v1/org-units", { parentId, kind, name });
  if (res.statusCode !== 201) throw new Error(`${kind} ${name}: ${res.body}`);
  return (res.json() as { id: number }).id;
}

/** Number of rows of a table (to prove that a refused write wrote nothing). */
export async function countRows(database: Database, table: keyof DB): Promise<number> {
  const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
    database.db,
  );
  return Number(row.rows[0]?.n ?? 0);
}
