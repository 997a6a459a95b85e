import { z } from "zod";
import { sendXlsx, XLSX_TYPE } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Ok } from "../auth/schemas.ts";
import {
  Activity,
  ActivityBody,
  ActivityListQuery,
  Category,
  CentreDetail,
  CentreReport,
  CommuneCentre,
  CommuneParam,
  IdParam,
  ProfileBody,
  RatingBody,
  ReportQuery,
  YearBody,
  YearParam,
} from "./schemas.ts";
import {
  centreOfCommune,
  centreReport,
  createActivity,
  deleteActivity,
  getCentre,
  listActivities,
  listCategories,
  rateCentre,
  saveProfile,
  saveYear,
  updateActivity,
} from "./service.ts";
import { centreReportWorkbook } from "./xlsx.ts";

const tags = ["Trung tâm học tập cộng đồng"];

export async function centreRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/centres/categories",
    {
      config: { action: "centre.read" },
      schema: {
        tags,
        summary: "Danh mục lĩnh vực hoạt động (bảng của báo cáo TTHTCĐ)",
        response: { 200: z.array(Category) },
      },
    },
    async () => listCategories(db),
  );

  app.get(
    "/api/v1/centres/of-commune/:communeId",
    {
      config: { action: "centre.read" },
      schema: {
        tags,
        summary: "Trung tâm của một xã (nếu đã lập)",
        params: CommuneParam,
        response: { 200: CommuneCentre },
      },
    },
    async (request) => centreOfCommune(db, principalOf(request), request.params.communeId),
  );

  app.get(
    "/api/v1/centres/report",
    {
      config: { action: "centre.read" },
      schema: {
        tags,
        summary:
          "Kết quả theo lĩnh vực (số lớp, người tham gia, nữ) và kinh phí, của một đơn vị và các đơn vị trực thuộc",
        description:
          "`period`: một năm (2024) hoặc một năm học (2024-2025, từ 1/9 đến 31/8). Số liệu luôn mới.",
        querystring: ReportQuery,
        response: { 200: CentreReport },
      },
    },
    async (request) => centreReport(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/centres/report/export.xlsx",
    {
      config: { action: "centre.read" },
      schema: {
        tags,
        summary: "Tải bảng kết quả theo lĩnh vực (Excel)",
        querystring: ReportQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const report = await centreReport(db, principalOf(request), request.query);
      return sendXlsx(
        reply,
        `tthtcd-${report.period}-${report.unit.id}.xlsx`,
        await centreReportWorkbook(report),
      );
    },
  );

  app.get(
    "/api/v1/centres/:id",
    {
      config: { action: "centre.read" },
      schema: {
        tags,
        summary: "Trung tâm: ban giám đốc, cơ sở vật chất, kế hoạch, kinh phí, xếp loại",
        params: IdParam,
        response: { 200: CentreDetail },
      },
    },
    async (request) => getCentre(db, principalOf(request), request.params.id),
  );

  app.put(
    "/api/v1/centres/:id/profile",
    {
      config: { action: "centre.write" },
      schema: {
        tags,
        summary: "Ban giám đốc và cơ sở vật chất",
        params: IdParam,
        body: ProfileBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await saveProfile(db, principalOf(request), request.params.id, request.body, auditContextOf(request));
      return { ok: true as const };
    },
  );

  app.put(
    "/api/v1/centres/:id/years/:year",
    {
      config: { action: "centre.write" },
      schema: {
        tags,
        summary: "Kế hoạch và kinh phí theo nguồn của một năm",
        params: YearParam,
        body: YearBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await saveYear(
        db,
        principalOf(request),
        request.params.id,
        request.params.year,
        request.body,
        auditContextOf(request),
      );
      return { ok: true as const };
    },
  );

  app.put(
    "/api/v1/centres/:id/years/:year/rating",
    {
      config: { action: "centre.rate" },
      schema: {
        tags,
        summary: "Xếp loại năm (do cấp trên của xã)",
        params: YearParam,
        body: RatingBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await rateCentre(
        db,
        principalOf(request),
        request.params.id,
        request.params.year,
        request.body,
        auditContextOf(request),
      );
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/centres/:id/activities",
    {
      config: { action: "centre.read" },
      schema: {
        tags,
        summary: "Hoạt động của trung tâm trong một năm hoặc năm học",
        params: IdParam,
        querystring: ActivityListQuery,
        response: { 200: z.array(Activity) },
      },
    },
    async (request) => listActivities(db, principalOf(request), request.params.id, request.query.period),
  );

  app.post(
    "/api/v1/centres/:id/activities",
    {
      config: { action: "centre.write" },
      schema: {
        tags,
        summary: "Thêm hoạt động (lớp học, chuyên đề)",
        params: IdParam,
        body: ActivityBody,
        response: { 201: Activity },
      },
    },
    async (request, reply) => {
      const created = await createActivity(
        db,
        principalOf(request),
        request.params.id,
        request.body,
        auditContextOf(request),
      );
      return reply.code(201).send(created);
    },
  );

  app.put(
    "/api/v1/centres/activities/:id",
    {
      config: { action: "centre.write" },
      schema: {
        tags,
        summary: "Sửa một hoạt động",
        params: IdParam,
        body: ActivityBody,
        response: { 200: Activity },
      },
    },
    async (request) =>
      updateActivity(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.delete(
    "/api/v1/centres/activities/:id",
    {
      config: { action: "centre.write" },
      schema: { tags, summary: "Xóa một hoạt động nhập nhầm", params: IdParam, response: { 200: Ok } },
    },
    async (request) => {
      await deleteActivity(db, principalOf(request), request.params.id, auditContextOf(request));
      return { ok: true as const };
    },
  );
}
