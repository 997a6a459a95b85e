import { z } from "zod";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import {
  CloneBody,
  FrameworkDetail,
  FrameworkListQuery,
  FrameworkSummary,
  IdParam,
  UpdateDraftBody,
} from "./schemas.ts";
import {
  changeFrameworkStatus,
  cloneFramework,
  getFramework,
  listFrameworks,
  updateDraft,
} from "./service.ts";

const tags = ["Bộ tiêu chí"];

export async function frameworkRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/frameworks",
    {
      config: { action: "framework.read" },
      schema: {
        tags,
        summary: "Các bộ tiêu chí (toàn quốc và của tỉnh trong phạm vi)",
        querystring: FrameworkListQuery,
        response: { 200: z.array(FrameworkSummary) },
      },
    },
    async (request) => listFrameworks(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/frameworks/:id",
    {
      config: { action: "framework.read" },
      schema: {
        tags,
        summary: "Chi tiết một bộ tiêu chí",
        params: IdParam,
        response: { 200: FrameworkDetail },
      },
    },
    async (request) => getFramework(db, principalOf(request), request.params.id),
  );

  app.post(
    "/api/v1/frameworks/:id/clone",
    {
      config: { action: "framework.manage" },
      schema: {
        tags,
        summary: "Nhân bản thành phiên bản mới (bản nháp), toàn quốc hoặc của một tỉnh",
        params: IdParam,
        body: CloneBody,
        response: { 201: FrameworkDetail },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const id = await cloneFramework(
        db,
        principal,
        request.params.id,
        request.body,
        auditContextOf(request),
      );
      reply.code(201);
      return getFramework(db, principal, id);
    },
  );

  app.put(
    "/api/v1/frameworks/:id/definition",
    {
      config: { action: "framework.manage" },
      schema: {
        tags,
        summary: "Sửa nội dung bản nháp",
        params: IdParam,
        body: UpdateDraftBody,
        response: { 200: FrameworkDetail },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await updateDraft(db, principal, request.params.id, request.body.definition, auditContextOf(request));
      return getFramework(db, principal, request.params.id);
    },
  );

  for (const [path, to, summary] of [
    ["publish", "published", "Ban hành (từ đây không sửa được nữa)"],
    ["retire", "retired", "Ngừng áp dụng cho đăng ký mới"],
  ] as const) {
    app.post(
      `/api/v1/frameworks/:id/${path}`,
      {
        config: { action: "framework.manage" },
        schema: { tags, summary, params: IdParam, response: { 200: FrameworkDetail } },
      },
      async (request) => {
        const principal = principalOf(request);
        await changeFrameworkStatus(db, principal, request.params.id, to, auditContextOf(request));
        return getFramework(db, principal, request.params.id);
      },
    );
  }
}
