import { sendXlsx, XLSX_TYPE } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Ok } from "../auth/schemas.ts";
import {
  BodyView,
  Chapter,
  ChapterBody,
  ChapterYearBody,
  ChapterYearParam,
  DissolutionBody,
  IdParam,
  PopulationBody,
  PopulationParam,
  Report,
  ReportQuery,
  UnitParam,
  YearQuery,
} from "./schemas.ts";
import {
  associationReport,
  bodyView,
  createChapter,
  deleteChapter,
  deleteChapterYear,
  getChapter,
  saveChapterYear,
  savePopulation,
  setDissolution,
  updateChapter,
} from "./service.ts";
import { associationReportWorkbook } from "./xlsx.ts";

const tags = ["Hội Khuyến học: chi hội, hội viên"];

export async function associationRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/association/bodies/:unitId",
    {
      config: { action: "association.read" },
      schema: {
        tags,
        summary: "Hội Khuyến học của một xã/phường hoặc tỉnh: các chi hội, số liệu của năm, dân số",
        params: UnitParam,
        querystring: YearQuery,
        response: { 200: BodyView },
      },
    },
    async (request) => bodyView(db, principalOf(request), request.params.unitId, request.query.year),
  );

  app.post(
    "/api/v1/association/bodies/:unitId/chapters",
    {
      config: { action: "association.manage" },
      schema: {
        tags,
        summary: "Lập chi hội (thôn, trường học, cơ quan, doanh nghiệp, dòng họ…)",
        params: UnitParam,
        body: ChapterBody,
        response: { 201: Chapter },
      },
    },
    async (request, reply) => {
      const created = await createChapter(
        db,
        principalOf(request),
        request.params.unitId,
        request.body,
        auditContextOf(request),
      );
      return reply.code(201).send(created);
    },
  );

  app.get(
    "/api/v1/association/chapters/:id",
    {
      config: { action: "association.read" },
      schema: {
        tags,
        summary: "Một chi hội",
        params: IdParam,
        querystring: YearQuery,
        response: { 200: Chapter },
      },
    },
    async (request) => getChapter(db, principalOf(request), request.params.id, request.query.year),
  );

  app.put(
    "/api/v1/association/chapters/:id",
    {
      config: { action: "association.manage" },
      schema: {
        tags,
        summary: "Sửa chi hội",
        params: IdParam,
        body: ChapterBody,
        response: { 200: Chapter },
      },
    },
    async (request) =>
      updateChapter(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.put(
    "/api/v1/association/chapters/:id/dissolution",
    {
      config: { action: "association.manage" },
      schema: {
        tags,
        summary: "Ghi nhận chi hội giải thể (ngày quyết định); null để hủy ghi nhận nhầm",
        params: IdParam,
        body: DissolutionBody,
        response: { 200: Chapter },
      },
    },
    async (request) =>
      setDissolution(
        db,
        principalOf(request),
        request.params.id,
        request.body.dissolvedOn,
        auditContextOf(request),
      ),
  );

  app.delete(
    "/api/v1/association/chapters/:id",
    {
      config: { action: "association.manage" },
      schema: {
        tags,
        summary: "Xóa chi hội nhập nhầm (chưa có số liệu)",
        params: IdParam,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await deleteChapter(db, principalOf(request), request.params.id, auditContextOf(request));
      return { ok: true as const };
    },
  );

  app.put(
    "/api/v1/association/chapters/:id/years/:year",
    {
      config: { action: "association.write" },
      schema: {
        tags,
        summary: "Số liệu năm của chi hội: hội viên, nữ, mới kết nạp, hội phí (đồng)",
        params: ChapterYearParam,
        body: ChapterYearBody,
        response: { 200: Chapter },
      },
    },
    async (request) =>
      saveChapterYear(
        db,
        principalOf(request),
        request.params.id,
        request.params.year,
        request.body,
        auditContextOf(request),
      ),
  );

  app.delete(
    "/api/v1/association/chapters/:id/years/:year",
    {
      config: { action: "association.write" },
      schema: { tags, summary: "Xóa số liệu năm nhập nhầm", params: ChapterYearParam, response: { 200: Ok } },
    },
    async (request) => {
      await deleteChapterYear(
        db,
        principalOf(request),
        request.params.id,
        request.params.year,
        auditContextOf(request),
      );
      return { ok: true as const };
    },
  );

  app.put(
    "/api/v1/association/populations/:unitId/:year",
    {
      config: { action: "association.write" },
      schema: {
        tags,
        summary: "Dân số của xã/phường trong năm (mẫu số của tỷ lệ hội viên)",
        params: PopulationParam,
        body: PopulationBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await savePopulation(
        db,
        principalOf(request),
        request.params.unitId,
        request.params.year,
        request.body,
        auditContextOf(request),
      );
      return { ok: true as const };
    },
  );

  app.delete(
    "/api/v1/association/populations/:unitId/:year",
    {
      config: { action: "association.write" },
      schema: { tags, summary: "Xóa dân số nhập nhầm", params: PopulationParam, response: { 200: Ok } },
    },
    async (request) => {
      await savePopulation(
        db,
        principalOf(request),
        request.params.unitId,
        request.params.year,
        null,
        auditContextOf(request),
      );
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/association/report",
    {
      config: { action: "association.read" },
      schema: {
        tags,
        summary:
          "Hội viên, chi hội, hội phí và tỷ lệ hội viên trên dân số của một đơn vị và các đơn vị trực thuộc",
        description:
          "Số liệu luôn mới (bộ đếm cập nhật cùng mỗi lần ghi); đơn vị chưa có số liệu có hasData = false.",
        querystring: ReportQuery,
        response: { 200: Report },
      },
    },
    async (request) => associationReport(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/association/report/export.xlsx",
    {
      config: { action: "association.read" },
      schema: {
        tags,
        summary: "Tải bảng tổng hợp hội viên (Excel)",
        querystring: ReportQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const report = await associationReport(db, principalOf(request), request.query);
      return sendXlsx(
        reply,
        `hoi-vien-${report.year}-${report.unit.id}.xlsx`,
        await associationReportWorkbook(report),
      );
    },
  );
}
