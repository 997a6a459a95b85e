import { sql } from "kysely";
import { z } from "zod";
import type { App } from "../../server/types.ts";

const Health = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  backend: z.enum(["pglite", "postgres"]),
  database: z.enum(["ok", "unreachable"]),
});

export async function healthRoutes(app: App, options: { version: string }) {
  app.get(
    "/api/v1/health",
    {
      config: { action: "public" },
      schema: { tags: ["Hệ thống"], summary: "Tình trạng hệ thống", response: { 200: Health, 503: Health } },
    },
    async (_request, reply) => {
      let database: "ok" | "unreachable" = "ok";
      try {
        await sql`select 1`.execute(app.database.db);
      } catch {
        database = "unreachable";
      }
      if (database !== "ok") reply.code(503);
      return {
        status: database === "ok" ? ("ok" as const) : ("degraded" as const),
        version: options.version,
        backend: app.database.backend,
        database,
      };
    },
  );
}
