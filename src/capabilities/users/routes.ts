import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { IdParam } from "../auth/schemas.ts";
import { Page } from "../org-units/schemas.ts";
import { CreateUserBody, UpdateUserBody, UserListQuery, UserView, UserWithPassword } from "./schemas.ts";
import { createUser, listUsers, resetPassword, updateUser } from "./service.ts";

const tags = ["Người dùng"];

export async function userRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/users",
    {
      config: { action: "user.read" },
      schema: {
        tags,
        summary: "Người dùng trong phạm vi quản trị",
        querystring: UserListQuery,
        response: { 200: Page(UserView) },
      },
    },
    async (request) => listUsers(db, principalOf(request), request.query),
  );

  app.post(
    "/api/v1/users",
    {
      config: { action: "user.manage" },
      schema: { tags, summary: "Tạo người dùng", body: CreateUserBody, response: { 201: UserWithPassword } },
    },
    async (request, reply) => {
      reply.code(201);
      return createUser(db, principalOf(request), request.body, auditContextOf(request));
    },
  );

  app.patch(
    "/api/v1/users/:id",
    {
      config: { action: "user.manage" },
      schema: {
        tags,
        summary: "Sửa người dùng (vai trò, phạm vi, khóa/mở)",
        params: IdParam,
        body: UpdateUserBody,
        response: { 200: UserView },
      },
    },
    async (request) =>
      updateUser(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.post(
    "/api/v1/users/:id/reset-password",
    {
      config: { action: "user.manage" },
      schema: {
        tags,
        summary: "Đặt lại mật khẩu tạm thời và mở khóa",
        params: IdParam,
        response: { 200: UserWithPassword },
      },
    },
    async (request) => resetPassword(db, principalOf(request), request.params.id, auditContextOf(request)),
  );
}
