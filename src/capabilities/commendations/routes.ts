import { z } from "zod";
import { sendXlsx, XLSX_TYPE } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Ok } from "../auth/schemas.ts";
import {
  Commendation,
  CommendationBody,
  CommendationList,
  CommendationReport,
  DecisionBody,
  ExemplaryBody,
  ExemplaryModel,
  IdParam,
  ProposalBody,
  UnitYearQuery,
} from "./schemas.ts";
import {
  commendationReport,
  createModel,
  decideCommendation,
  deleteCommendation,
  deleteModel,
  listCommendations,
  propose,
  updateCommendation,
  updateModel,
} from "./service.ts";
import { commendationReportWorkbook } from "./xlsx.ts";

const tags = ["Khen thưởng, điển hình tiên tiến"];

export async function commendationRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/commendations",
    {
      config: { action: "commendation.read" },
      schema: {
        tags,
        summary: "Đề nghị khen thưởng và điển hình tiên tiến của một đơn vị trong một năm",
        querystring: UnitYearQuery,
        response: { 200: CommendationList },
      },
    },
    async (request) =>
      listCommendations(db, principalOf(request), request.query.orgUnitId, request.query.year),
  );

  app.post(
    "/api/v1/commendations",
    {
      config: { action: "commendation.write" },
      schema: {
        tags,
        summary: "Đề nghị khen thưởng cho một hoặc nhiều cá nhân/tập thể (tất cả hoặc không gì cả)",
        body: ProposalBody,
        response: { 201: z.array(Commendation) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await propose(db, principalOf(request), request.body, auditContextOf(request))),
  );

  app.put(
    "/api/v1/commendations/:id",
    {
      config: { action: "commendation.write" },
      schema: {
        tags,
        summary: "Sửa một đề nghị khen thưởng",
        params: IdParam,
        body: CommendationBody,
        response: { 200: Commendation },
      },
    },
    async (request) =>
      updateCommendation(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.put(
    "/api/v1/commendations/:id/decision",
    {
      config: { action: "commendation.write" },
      schema: {
        tags,
        summary: "Ghi kết quả: được khen thưởng (số, ngày quyết định) hoặc không",
        params: IdParam,
        body: DecisionBody,
        response: { 200: Commendation },
      },
    },
    async (request) =>
      decideCommendation(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.delete(
    "/api/v1/commendations/:id",
    {
      config: { action: "commendation.write" },
      schema: { tags, summary: "Xóa đề nghị nhập nhầm", params: IdParam, response: { 200: Ok } },
    },
    async (request) => {
      await deleteCommendation(db, principalOf(request), request.params.id, auditContextOf(request));
      return { ok: true as const };
    },
  );

  app.post(
    "/api/v1/exemplary-models",
    {
      config: { action: "commendation.write" },
      schema: {
        tags,
        summary: "Ghi một điển hình tiên tiến và câu chuyện của họ",
        body: ExemplaryBody,
        response: { 201: ExemplaryModel },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createModel(db, principalOf(request), request.body, auditContextOf(request))),
  );

  app.put(
    "/api/v1/exemplary-models/:id",
    {
      config: { action: "commendation.write" },
      schema: {
        tags,
        summary: "Sửa một điển hình",
        params: IdParam,
        body: ExemplaryBody,
        response: { 200: ExemplaryModel },
      },
    },
    async (request) =>
      updateModel(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.delete(
    "/api/v1/exemplary-models/:id",
    {
      config: { action: "commendation.write" },
      schema: { tags, summary: "Xóa một điển hình nhập nhầm", params: IdParam, response: { 200: Ok } },
    },
    async (request) => {
      await deleteModel(db, principalOf(request), request.params.id, auditContextOf(request));
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/commendations/report",
    {
      config: { action: "commendation.read" },
      schema: {
        tags,
        summary:
          "Số đề nghị, số được khen thưởng theo hình thức, điển hình theo mô hình, của một đơn vị và các đơn vị trực thuộc",
        querystring: UnitYearQuery,
        response: { 200: CommendationReport },
      },
    },
    async (request) => commendationReport(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/commendations/report/export.xlsx",
    {
      config: { action: "commendation.read" },
      schema: {
        tags,
        summary: "Tải bảng tổng hợp khen thưởng (Excel)",
        querystring: UnitYearQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const report = await commendationReport(db, principalOf(request), request.query);
      return sendXlsx(
        reply,
        `khen-thuong-${report.year}-${report.unit.id}.xlsx`,
        await commendationReportWorkbook(report),
      );
    },
  );
}
