import { z } from "zod";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import {
  ApiTokenInfo,
  ChangePasswordBody,
  CreatedToken,
  CreateTokenBody,
  IdParam,
  LoginBody,
  Ok,
  SessionResponse,
} from "./schemas.ts";
import {
  changePassword,
  createToken,
  currentUser,
  listTokens,
  login,
  logout,
  revokeToken,
  SESSION_COOKIE,
  SESSION_TTL_MS,
} from "./service.ts";

const tags = ["Tài khoản"];

export interface AuthRouteOptions {
  secureCookies: boolean;
}

export async function authRoutes(app: App, options: AuthRouteOptions) {
  const { db } = app.database;

  app.post(
    "/api/v1/auth/login",
    {
      config: { action: "public", rateLimit: { max: 20, timeWindow: "1 minute" } },
      schema: {
        tags,
        summary: "Đăng nhập (đặt cookie phiên)",
        body: LoginBody,
        response: { 200: SessionResponse },
      },
    },
    async (request, reply) => {
      const result = await login(db, request.body, auditContextOf(request));
      reply.setCookie(SESSION_COOKIE, result.sessionId, {
        httpOnly: true,
        sameSite: "lax",
        secure: options.secureCookies,
        path: "/",
        maxAge: SESSION_TTL_MS / 1000,
      });
      return { user: await currentUser(db, result.userId), csrfToken: result.csrfToken };
    },
  );

  app.post(
    "/api/v1/auth/logout",
    { config: { action: "account.self" }, schema: { tags, summary: "Đăng xuất", response: { 200: Ok } } },
    async (request, reply) => {
      if (request.sessionIdHash) await logout(db, request.sessionIdHash);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/auth/me",
    {
      config: { action: "account.self" },
      schema: { tags, summary: "Người dùng hiện tại", response: { 200: SessionResponse } },
    },
    async (request) => {
      const principal = principalOf(request);
      return { user: await currentUser(db, principal.userId), csrfToken: request.sessionCsrf };
    },
  );

  app.post(
    "/api/v1/auth/password",
    {
      config: { action: "account.self", rateLimit: { max: 10, timeWindow: "1 minute" } },
      schema: { tags, summary: "Đổi mật khẩu", body: ChangePasswordBody, response: { 200: Ok } },
    },
    async (request) => {
      await changePassword(
        db,
        principalOf(request),
        request.body,
        request.sessionIdHash,
        auditContextOf(request),
      );
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/auth/tokens",
    {
      config: { action: "account.self" },
      schema: { tags, summary: "Mã truy cập API của tôi", response: { 200: z.array(ApiTokenInfo) } },
    },
    async (request) => listTokens(db, principalOf(request)),
  );

  app.post(
    "/api/v1/auth/tokens",
    {
      config: { action: "account.self" },
      schema: {
        tags,
        summary: "Tạo mã truy cập API (Bearer) cho script",
        body: CreateTokenBody,
        response: { 201: CreatedToken },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createToken(db, principalOf(request), request.body.name, auditContextOf(request));
    },
  );

  app.delete(
    "/api/v1/auth/tokens/:id",
    {
      config: { action: "account.self" },
      schema: { tags, summary: "Thu hồi mã truy cập API", params: IdParam, response: { 200: Ok } },
    },
    async (request) => {
      await revokeToken(db, principalOf(request), request.params.id, auditContextOf(request));
      return { ok: true as const };
    },
  );
}
