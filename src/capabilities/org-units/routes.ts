import { z } from "zod";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import {
  CreateOrgUnitBody,
  IdParam,
  ListQuery,
  OrgUnitDetail,
  OrgUnitListItem,
  OrgUnitSummary,
  Page,
  UpdateOrgUnitBody,
} from "./schemas.ts";
import { createOrgUnit, getOrgUnit, listOrgUnits, scopeRoots, updateOrgUnit } from "./service.ts";

const tags = ["Đơn vị"];

export async function orgUnitRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/org-units",
    {
      config: { action: "org_unit.read" },
      schema: {
        tags,
        summary: "Danh sách/tìm kiếm đơn vị trong phạm vi của người dùng",
        description:
          "Tìm theo tên không phân biệt dấu và hoa thường (`q=thanh dinh` tìm thấy “Xã Thanh Định”). " +
          "Mặc định chỉ các đơn vị hiện hành; khi tìm theo tên thì gồm cả đơn vị trước sáp nhập 2025.",
        querystring: ListQuery,
        response: { 200: Page(OrgUnitListItem) },
      },
    },
    async (request) => listOrgUnits(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/org-units/roots",
    {
      config: { action: "org_unit.read" },
      schema: {
        tags,
        summary: "Các đơn vị được phân công cho người dùng",
        response: { 200: z.array(OrgUnitSummary) },
      },
    },
    async (request) => scopeRoots(db, principalOf(request)),
  );

  app.get(
    "/api/v1/org-units/:id",
    {
      config: { action: "org_unit.read" },
      schema: {
        tags,
        summary: "Chi tiết đơn vị, cấp trên, nguồn gốc (trước/sau sáp nhập)",
        params: IdParam,
        response: { 200: OrgUnitDetail },
      },
    },
    async (request) => getOrgUnit(db, principalOf(request), request.params.id),
  );

  app.post(
    "/api/v1/org-units",
    {
      config: { action: "org_unit.create" },
      schema: {
        tags,
        summary: "Tạo thôn/tổ dân phố, cơ quan, trường học… dưới một đơn vị",
        body: CreateOrgUnitBody,
        response: { 201: OrgUnitSummary },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createOrgUnit(db, principalOf(request), request.body, auditContextOf(request));
    },
  );

  app.patch(
    "/api/v1/org-units/:id",
    {
      config: { action: "org_unit.update" },
      schema: {
        tags,
        summary: "Sửa tên/mã đơn vị",
        params: IdParam,
        body: UpdateOrgUnitBody,
        response: { 200: OrgUnitSummary },
      },
    },
    async (request) =>
      updateOrgUnit(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );
}
