import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, PUBLIC } from "../authz/policy.ts";
import { startTestApp } from "../testing/test-app.ts";
import { buildApp } from "./app.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(() => ctx.close());

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

describe("every route is governed by the central policy", () => {
  it("each registered /api/v1 route declares a known policy action", () => {
    const routes = ctx.app.routeTable;
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes)
      expect([...ACTIONS, PUBLIC], `${route.method} ${route.url}`).toContain(route.action);
    // Public: login, and the citizen's own registration (rate-limited, queued for verification).
    const publicRoutes = routes.filter((r) => r.action === PUBLIC).map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual([
      "GET /api/v1/health",
      "GET /api/v1/openapi.json",
      "GET /api/v1/public/citizen-groups",
      "GET /api/v1/public/funds/:id",
      "GET /api/v1/public/funds/:id/statements/:year",
      "GET /api/v1/public/units",
      "POST /api/v1/auth/login",
      "POST /api/v1/public/citizens",
    ]);
  });

  it("refuses to start with an /api route that declares no action", async () => {
    const app = await buildApp({ database: ctx.database, version: "test" });
    expect(() => app.get("/api/v1/forgotten", async () => ({}))).toThrow(/declares no policy action/);
    await app.close();
  });

  it("every non-public route answers 401 problem+json without credentials", async () => {
    const guarded = ctx.app.routeTable.filter((r) => r.action !== PUBLIC);
    for (const route of guarded) {
      const url = route.url.replace(/:\w+/g, "1");
      const res = await ctx.app.inject({
        method: route.method as "GET",
        url,
        ...(route.method === "GET" || route.method === "DELETE" ? {} : { payload: {} }),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.headers["content-type"]).toContain("application/problem+json");
    }
    expect(guarded.length).toBeGreaterThan(10);
  });
});

describe("OpenAPI and health", () => {
  it("serves a valid OpenAPI 3.1 document describing the API", async () => {
    const res = await ctx.app.inject({ method: "GET", url: "/api/v1/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as OpenApiDoc;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/org-units", "/api/v1/auth/login", "/api/v1/health"]),
    );
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("serves browsable API docs", async () => {
    const res = await ctx.app.inject({ method: "GET", url: "/api/docs/" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("swagger");
  });

  it("reports status, version and backend, with protective headers", async () => {
    const res = await ctx.app.inject({ method: "GET", url: "/api/v1/health" });
    expect(res.headers).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY" });
    expect(res.json()).toEqual({
      status: "ok",
      version: "test",
      backend: process.env.DATABASE_URL ? "postgres" : "pglite",
      database: "ok",
    });
  });
});
