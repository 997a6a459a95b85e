import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyError, type FastifyRequest } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import { ACTIONS, PUBLIC, type RouteAction, roleGrants } from "../authz/policy.ts";
import { agreementRoutes } from "../capabilities/agreements/routes.ts";
import { associationRoutes } from "../capabilities/association/routes.ts";
import { auditRoutes } from "../capabilities/audit/routes.ts";
import { authRoutes } from "../capabilities/auth/routes.ts";
import { authenticateSession, authenticateToken, SESSION_COOKIE } from "../capabilities/auth/service.ts";
import { backupRoutes } from "../capabilities/backup/routes.ts";
import { centreRoutes } from "../capabilities/centres/routes.ts";
import { citizenRoutes } from "../capabilities/citizens/routes.ts";
import { commendationRoutes } from "../capabilities/commendations/routes.ts";
import { frameworkRoutes } from "../capabilities/criteria-frameworks/routes.ts";
import { dhis2Routes } from "../capabilities/dhis2/routes.ts";
import { evaluationRoutes } from "../capabilities/evaluations/routes.ts";
import { eventRoutes } from "../capabilities/events/routes.ts";
import { listExportRoutes } from "../capabilities/exports/routes.ts";
import { fundRoutes } from "../capabilities/fund/routes.ts";
import { healthRoutes } from "../capabilities/health/routes.ts";
import { importRoutes } from "../capabilities/imports/routes.ts";
import { inspectionRoutes } from "../capabilities/inspections/routes.ts";
import { literacyRoutes } from "../capabilities/literacy/routes.ts";
import { orgUnitRoutes } from "../capabilities/org-units/routes.ts";
import { registryRoutes } from "../capabilities/registry/routes.ts";
import { reportRoutes } from "../capabilities/reports/routes.ts";
import { statisticsRoutes } from "../capabilities/statistics/routes.ts";
import { userRoutes } from "../capabilities/users/routes.ts";
import type { Database } from "../db/connection.ts";
import { vietnameseErrorMap } from "../domain/validation-messages.ts";
import { AppError, type FieldError, problems } from "./problem.ts";
import type { App, RouteEntry } from "./types.ts";

z.config({ customError: vietnameseErrorMap });

export interface AppOptions {
  database: Database;
  version: string;
  /** Directory of the built web app (index.html + assets); the API alone runs without it. */
  webDir?: string | undefined;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies?: boolean;
  logger?: boolean;
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /**
   * Trust X-Forwarded-For for the client address (rate limits, audit). Only behind a reverse
   * proxy that sets it: otherwise a client could pick its own address.
   */
  trustProxy?: boolean;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function fieldErrorsFromValidation(
  error: FastifyError & { validation?: unknown[]; validationContext?: string },
) {
  const out: FieldError[] = [];
  if (!hasZodFastifySchemaValidationErrors(error)) return out;
  for (const v of error.validation) {
    const path = v.instancePath.replace(/^\//, "").replaceAll("/", ".");
    out.push({
      field: path || (error.validationContext ?? "body"),
      message: v.message ?? "Giá trị không hợp lệ.",
    });
  }
  return out;
}

/** Build the HTTP application. Every /api route must declare its policy action. */
export async function buildApp(options: AppOptions): Promise<App> {
  const app = Fastify({
    logger: options.logger
      ? { level: "info", redact: ["req.headers.authorization", "req.headers.cookie"] }
      : false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    trustProxy: options.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate("database", options.database);
  app.decorateRequest("principal", null);
  app.decorateRequest("sessionCsrf", null);
  app.decorateRequest("sessionIdHash", null);

  // A route without a declared action is a bug caught at start-up, before it can serve anything.
  const routeTable: RouteEntry[] = [];
  app.decorate("routeTable", routeTable);
  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith("/api/v1/")) return;
    const action = route.config?.action;
    if (action !== PUBLIC && !(ACTIONS as readonly string[]).includes(action ?? "")) {
      throw new Error(`Route ${route.method} ${route.url} declares no policy action (config.action)`);
    }
    for (const method of [route.method].flat()) {
      if (method !== "HEAD") routeTable.push({ method, url: route.url, action: action as RouteAction });
    }
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => problems.tooMany(),
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "XHHT API",
        version: options.version,
        description:
          "API của hệ thống quản lý và báo cáo xây dựng xã hội học tập. Xác thực bằng cookie phiên " +
          "(POST /api/v1/auth/login; mọi thao tác ghi kèm header X-CSRF-Token) hoặc Bearer token.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/v1/openapi.json", { config: { action: PUBLIC }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/v1/")) return;
    await authenticate(app, request);
    const action = request.routeOptions.config?.action;
    if (!action || action === PUBLIC) return;
    if (!request.principal) throw problems.unauthenticated();
    if (!roleGrants(request.principal.role, action)) throw problems.forbidden();
    if (request.principal.via === "session" && UNSAFE_METHODS.has(request.method)) {
      const sent = request.headers["x-csrf-token"];
      if (typeof sent !== "string" || sent !== request.sessionCsrf) throw problems.csrf();
    }
  });

  // No sniffing, no framing (clickjacking), no leaking of URLs to other sites.
  app.addHook("onSend", async (_request, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "same-origin");
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toAppError(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, "unhandled error");
    reply.code(problem.status).type("application/problem+json").send(problem.toProblem(request.id));
  });

  // The routes given `reads` serve the dashboard's figures and the reports' documents and
  // completeness from `database.read` (a streaming replica with DATABASE_READ_URL, else the
  // primary itself); they may lag the primary by the replica's lag. Every other route, and every
  // write of these two, uses the primary.
  const reads = options.database.read;
  await app.register(healthRoutes, { version: options.version });
  await app.register(authRoutes, { secureCookies: options.secureCookies ?? false });
  await app.register(orgUnitRoutes);
  await app.register(userRoutes);
  await app.register(auditRoutes);
  await app.register(frameworkRoutes);
  await app.register(registryRoutes);
  await app.register(evaluationRoutes);
  await app.register(statisticsRoutes, { reads });
  await app.register(citizenRoutes);
  await app.register(fundRoutes);
  await app.register(centreRoutes);
  await app.register(eventRoutes);
  await app.register(agreementRoutes);
  await app.register(inspectionRoutes);
  await app.register(commendationRoutes);
  await app.register(associationRoutes);
  await app.register(literacyRoutes);
  await app.register(reportRoutes, { reads });
  await app.register(backupRoutes);
  await app.register(importRoutes);
  await app.register(listExportRoutes);
  await app.register(dhis2Routes);

  const webDir = options.webDir;
  const hasWeb = webDir !== undefined && existsSync(join(webDir, "index.html"));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ["index.html"] });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith("/api/") || !hasWeb || request.method !== "GET") {
      const problem = problems.notFound(`đường dẫn ${request.method} ${request.url.split("?")[0]}`);
      return reply.code(404).type("application/problem+json").send(problem.toProblem(request.id));
    }
    // Client-side routes of the single-page app.
    return reply.type("text/html").sendFile("index.html");
  });

  return app;
}

async function authenticate(app: App, request: FastifyRequest) {
  const { db } = app.database;
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) {
    const principal = await authenticateToken(db, header.slice(7).trim());
    if (!principal)
      throw problems.unauthenticated("Mã truy cập (API token) không hợp lệ hoặc đã bị thu hồi.");
    request.principal = principal;
    return;
  }
  const sessionId = request.cookies[SESSION_COOKIE];
  if (!sessionId) return;
  const session = await authenticateSession(db, sessionId);
  if (!session) return;
  request.principal = session.principal;
  request.sessionCsrf = session.csrfToken;
  request.sessionIdHash = session.idHash;
}

/** Map any error to a problem with a Vietnamese message; unknown errors become a plain 500. */
function toAppError(error: FastifyError, _request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error))
    return problems.validation(fieldErrorsFromValidation(error));
  if (isResponseSerializationError(error)) {
    return new AppError(500, "internal_error", "Lỗi hệ thống", "Máy chủ tạo ra dữ liệu trả về không hợp lệ.");
  }
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return problems.badRequest("malformed_json", "Nội dung gửi lên không phải JSON hợp lệ.");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return problems.badRequest("empty_body", "Nội dung gửi lên đang trống.");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError(
        413,
        "body_too_large",
        "Dữ liệu quá lớn",
        "Nội dung gửi lên vượt quá giới hạn cho phép (1 MB).",
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError(
        415,
        "unsupported_media_type",
        "Định dạng không hỗ trợ",
        "Hãy gửi dữ liệu dạng application/json.",
      );
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return problems.badRequest("invalid_content_length", "Độ dài nội dung không khớp.");
    case "FST_ERR_BAD_URL":
      return problems.badRequest("bad_url", "Đường dẫn không hợp lệ.");
  }
  if (error.statusCode === 429) return problems.tooMany();
  // PostgreSQL errors that mean "your input", not "our bug".
  const pgCode = (error as { code?: string }).code;
  if (pgCode === "23505") return problems.conflict("duplicate", "Dữ liệu đã tồn tại.");
  if (pgCode === "40001" || pgCode === "40P01") {
    return problems.conflict(
      "busy",
      "Dữ liệu vừa được người khác cập nhật cùng lúc. Vui lòng tải lại trang và thử lại.",
    );
  }
  if (pgCode === "23503")
    return problems.badRequest("reference_not_found", "Dữ liệu tham chiếu không tồn tại.");
  if (pgCode?.startsWith("22")) return problems.badRequest("invalid_value", "Giá trị không hợp lệ.");
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError(error.statusCode, "bad_request", "Yêu cầu không hợp lệ", error.message);
  }
  return new AppError(
    500,
    "internal_error",
    "Lỗi hệ thống",
    "Đã có lỗi xảy ra. Vui lòng thử lại; nếu vẫn lỗi, báo quản trị viên kèm mã yêu cầu.",
  );
}
