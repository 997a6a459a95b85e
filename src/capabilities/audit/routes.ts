import { principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Page } from "../org-units/schemas.ts";
import { AuditItem, AuditQuery } from "./schemas.ts";
import { listAudit } from "./service.ts";

export async function auditRoutes(app: App) {
  app.get(
    "/api/v1/audit",
    {
      config: { action: "audit.read" },
      schema: {
        tags: ["Nhật ký"],
        summary: "Nhật ký thao tác trong phạm vi",
        querystring: AuditQuery,
        response: { 200: Page(AuditItem) },
      },
    },
    async (request) => listAudit(app.database.db, principalOf(request), request.query),
  );
}
