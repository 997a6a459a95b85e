import { z } from "zod";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { BatchResult } from "../evaluations/schemas.ts";
import { Page } from "../org-units/schemas.ts";
import {
  CitizenGroupNames,
  CitizenGroupsBody,
  CitizenListQuery,
  CitizenView,
  CreateCitizenBody,
  DecideCitizensBody,
  PublicRegistrationBody,
  PublicRegistrationResult,
  PublicUnit,
  PublicUnitQuery,
  QueueSummary,
} from "./schemas.ts";
import {
  citizenGroupNames,
  createCitizen,
  decideCitizens,
  listCitizens,
  publicUnits,
  queueSummary,
  registerPublicly,
  setCitizenGroupNames,
} from "./service.ts";

const tags = ["Công dân học tập"];

export async function citizenRoutes(app: App) {
  const { db } = app.database;

  // ── Public: no account needed ──
  app.get(
    "/api/v1/public/citizen-groups",
    {
      config: { action: "public" },
      schema: { tags, summary: "Tên bốn nhóm công dân", response: { 200: CitizenGroupNames } },
    },
    async () => citizenGroupNames(db),
  );

  app.get(
    "/api/v1/public/units",
    {
      config: { action: "public", rateLimit: { max: 60, timeWindow: "1 minute" } },
      schema: {
        tags,
        summary: "Tìm xã, phường hoặc cơ quan, đơn vị để đăng ký (chỉ tên)",
        querystring: PublicUnitQuery,
        response: { 200: z.array(PublicUnit) },
      },
    },
    async (request) => publicUnits(db, request.query.q),
  );

  app.post(
    "/api/v1/public/citizens",
    {
      config: { action: "public", rateLimit: { max: 20, timeWindow: "10 minutes" } },
      schema: {
        tags,
        summary: "Công dân tự đăng ký; chờ xã hoặc đơn vị xác minh",
        body: PublicRegistrationBody,
        response: { 201: PublicRegistrationResult },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return registerPublicly(db, request.body, request.ip, auditContextOf(request));
    },
  );

  // ── Officers ──
  app.put(
    "/api/v1/citizen-groups",
    {
      config: { action: "framework.manage" },
      schema: {
        tags,
        summary: "Đặt tên bốn nhóm công dân",
        body: CitizenGroupsBody,
        response: { 200: CitizenGroupNames },
      },
    },
    async (request) =>
      setCitizenGroupNames(db, principalOf(request), request.body.names, auditContextOf(request)),
  );

  app.get(
    "/api/v1/citizens",
    {
      config: { action: "registry.read" },
      schema: {
        tags,
        summary: "Công dân của một đơn vị (hàng chờ xác minh: status=pending)",
        querystring: CitizenListQuery,
        response: { 200: Page(CitizenView) },
      },
    },
    async (request) => listCitizens(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/citizens/queue",
    {
      config: { action: "registry.read" },
      schema: {
        tags,
        summary: "Tình trạng hàng chờ: số chờ xác minh, số nghi ngờ, số đến trong 1 giờ qua",
        querystring: z.strictObject({ orgUnitId: z.coerce.number().int().positive() }),
        response: { 200: QueueSummary },
      },
    },
    async (request) => queueSummary(db, principalOf(request), request.query.orgUnitId),
  );

  app.post(
    "/api/v1/citizens",
    {
      config: { action: "registry.write" },
      schema: {
        tags,
        summary: "Cán bộ ghi nhận một công dân (đã xác minh), có thể gắn với thành viên một hộ",
        body: CreateCitizenBody,
        response: { 201: z.object({ id: z.number().int() }) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createCitizen(db, principalOf(request), request.body, auditContextOf(request));
    },
  );

  app.post(
    "/api/v1/citizens/decide",
    {
      config: { action: "registry.write" },
      schema: {
        tags,
        summary: "Xác nhận hoặc không xác nhận (theo lô)",
        body: DecideCitizensBody,
        response: { 200: BatchResult },
      },
    },
    async (request) => decideCitizens(db, principalOf(request), request.body, auditContextOf(request)),
  );
}
