import { z } from "zod";
import { sendXlsx, XLSX_TYPE } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Ok } from "../auth/schemas.ts";
import {
  IdParam,
  InspectionOfUnit,
  InspectionReport,
  Plan,
  PlanBody,
  PlanList,
  ResultBody,
  Target,
  UnitParam,
  UnitYearQuery,
} from "./schemas.ts";
import {
  clearResult,
  createPlan,
  deletePlan,
  getPlan,
  inspectionReport,
  inspectionsOfUnit,
  listPlans,
  saveResult,
  updatePlan,
} from "./service.ts";
import { inspectionReportWorkbook } from "./xlsx.ts";

const tags = ["Kiểm tra"];

export async function inspectionRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/inspections/plans",
    {
      config: { action: "inspection.read" },
      schema: {
        tags,
        summary: "Kế hoạch kiểm tra của một đơn vị trong một năm (theo ngày ban hành)",
        querystring: UnitYearQuery,
        response: { 200: PlanList },
      },
    },
    async (request) => listPlans(db, principalOf(request), request.query.orgUnitId, request.query.year),
  );

  app.post(
    "/api/v1/inspections/plans",
    {
      config: { action: "inspection.write" },
      schema: {
        tags,
        summary: "Lập kế hoạch kiểm tra: số, ngày, đoàn kiểm tra, các đơn vị được kiểm tra theo cụm",
        body: PlanBody,
        response: { 201: Plan },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPlan(db, principalOf(request), request.body, auditContextOf(request))),
  );

  app.get(
    "/api/v1/inspections/plans/:id",
    {
      config: { action: "inspection.read" },
      schema: { tags, summary: "Một kế hoạch kiểm tra và kết quả", params: IdParam, response: { 200: Plan } },
    },
    async (request) => getPlan(db, principalOf(request), request.params.id),
  );

  app.put(
    "/api/v1/inspections/plans/:id",
    {
      config: { action: "inspection.write" },
      schema: {
        tags,
        summary: "Sửa kế hoạch kiểm tra (kết quả đã ghi của các đơn vị còn trong kế hoạch được giữ)",
        params: IdParam,
        body: PlanBody,
        response: { 200: Plan },
      },
    },
    async (request) =>
      updatePlan(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.delete(
    "/api/v1/inspections/plans/:id",
    {
      config: { action: "inspection.write" },
      schema: { tags, summary: "Xóa kế hoạch nhập nhầm", params: IdParam, response: { 200: Ok } },
    },
    async (request) => {
      await deletePlan(db, principalOf(request), request.params.id, auditContextOf(request));
      return { ok: true as const };
    },
  );

  app.put(
    "/api/v1/inspections/targets/:id/result",
    {
      config: { action: "inspection.write" },
      schema: {
        tags,
        summary: "Ghi hoặc sửa kết quả kiểm tra một đơn vị (xếp loại, nhận xét, kiến nghị)",
        params: IdParam,
        body: ResultBody,
        response: { 200: Target },
      },
    },
    async (request) =>
      saveResult(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.delete(
    "/api/v1/inspections/targets/:id/result",
    {
      config: { action: "inspection.write" },
      schema: { tags, summary: "Xóa kết quả đã ghi nhầm", params: IdParam, response: { 200: Ok } },
    },
    async (request) => {
      await clearResult(db, principalOf(request), request.params.id, auditContextOf(request));
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/inspections/of-unit/:orgUnitId",
    {
      config: { action: "inspection.read" },
      schema: {
        tags,
        summary: "Các lần đơn vị này được kiểm tra",
        params: UnitParam,
        response: { 200: z.array(InspectionOfUnit) },
      },
    },
    async (request) => inspectionsOfUnit(db, principalOf(request), request.params.orgUnitId),
  );

  app.get(
    "/api/v1/inspections/report",
    {
      config: { action: "inspection.read" },
      schema: {
        tags,
        summary:
          "Số kế hoạch, đơn vị được kiểm tra theo loại và xếp loại, của một đơn vị và các đơn vị trực thuộc",
        querystring: UnitYearQuery,
        response: { 200: InspectionReport },
      },
    },
    async (request) => inspectionReport(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/inspections/report/export.xlsx",
    {
      config: { action: "inspection.read" },
      schema: {
        tags,
        summary: "Tải bảng tổng hợp kiểm tra (Excel)",
        querystring: UnitYearQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const report = await inspectionReport(db, principalOf(request), request.query);
      return sendXlsx(
        reply,
        `kiem-tra-${report.year}-${report.unit.id}.xlsx`,
        await inspectionReportWorkbook(report),
      );
    },
  );
}
