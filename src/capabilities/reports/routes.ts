import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";
import { DOCX_TYPE, sendAttachment, sendXlsx, XLSX_TYPE } from "../../server/attachment.ts";
import { AppError } from "../../server/problem.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { renderReportDocx } from "./render/docx.ts";
import { renderAppendixXlsx } from "./render/xlsx.ts";
import {
  ActionBody,
  CandidateList,
  CandidatesQuery,
  CreateRequestBody,
  ReportDocumentView,
  ReportQuery,
  ReportState,
  ReportView,
  RequestList,
  RequestParam,
  RequestQuery,
  RequestStatus,
  SaveReportBody,
  TargetsBody,
  TargetsState,
  TemplateList,
  UnitQuery,
} from "./schemas.ts";
import {
  actOnReport,
  createRequest,
  getReport,
  listRequests,
  reportDocument,
  requestCandidates,
  requestStatus,
  saveReport,
  setTargets,
} from "./service.ts";
import { listTemplates } from "./templates.ts";

const tags = ["Báo cáo định kỳ"];

/**
 * `reads` is `Database.read` (a replica when DATABASE_READ_URL is set): the document (preview,
 * Word, Excel appendix) and the completeness of requests are read from it and may lag by the
 * replica's lag. The form (`GET /reports/report`) stays on the primary: an officer reopens it right
 * after saving and must see what was saved; so do the candidates a request is then created from,
 * the templates and every write.
 */
export async function reportRoutes(app: App, { reads }: { reads: Kysely<DB> }) {
  const { db } = app.database;

  app.get(
    "/api/v1/reports/templates",
    {
      config: { action: "report.read" },
      schema: { tags, summary: "Các biểu mẫu báo cáo (phiên bản mới nhất)", response: { 200: TemplateList } },
    },
    async () => ({
      items: (await listTemplates(db)).map(({ id, template: t }) => ({
        id,
        code: t.code,
        version: t.version,
        name: t.name,
        description: t.description,
        unitKinds: t.unitKinds,
        periodKind: t.periodKind,
        deadlineDays: t.deadlineDays,
      })),
    }),
  );

  app.get(
    "/api/v1/reports/report",
    {
      config: { action: "report.read" },
      schema: {
        tags,
        summary: "Báo cáo của một đơn vị theo biểu mẫu và kỳ (số liệu tính từ dữ liệu luôn mới)",
        querystring: ReportQuery,
        response: { 200: ReportView },
      },
    },
    async (request) => getReport(db, principalOf(request), request.query),
  );

  app.put(
    "/api/v1/reports/report",
    {
      config: { action: "report.write" },
      schema: {
        tags,
        summary: "Lưu bản nháp báo cáo (số liệu nhập, các phần viết)",
        querystring: ReportQuery,
        body: SaveReportBody,
        response: { 200: ReportState },
      },
    },
    async (request) =>
      saveReport(db, principalOf(request), request.query, request.body, auditContextOf(request)),
  );

  app.post(
    "/api/v1/reports/report/actions",
    {
      config: { action: "report.read" },
      schema: {
        tags,
        summary:
          "Gửi báo cáo lên cấp trên; cấp trên duyệt, trả lại (kèm ý kiến) hoặc mở lại báo cáo đã duyệt",
        description:
          "Gửi cần quyền report.write trên đơn vị; duyệt, trả lại, mở lại cần report.review và phạm vi ở cấp trên của đơn vị.",
        querystring: ReportQuery,
        body: ActionBody,
        response: { 200: ReportState },
      },
    },
    async (request) =>
      actOnReport(
        db,
        principalOf(request),
        request.query,
        request.body.action,
        request.body.comment ?? null,
        auditContextOf(request),
      ),
  );

  app.get(
    "/api/v1/reports/report/document",
    {
      config: { action: "report.read" },
      schema: {
        tags,
        summary: "Văn bản báo cáo để xem trước và in (theo thể thức Nghị định 30/2020/NĐ-CP)",
        querystring: ReportQuery,
        response: { 200: ReportDocumentView },
      },
    },
    async (request) => (await reportDocument(reads, principalOf(request), request.query)).document,
  );

  app.get(
    "/api/v1/reports/report/document.docx",
    {
      config: { action: "report.read" },
      schema: {
        tags,
        summary: "Tải văn bản báo cáo (Word)",
        querystring: ReportQuery,
        produces: [DOCX_TYPE],
      },
    },
    async (request, reply) => {
      const r = await reportDocument(reads, principalOf(request), request.query);
      return sendAttachment(reply, DOCX_TYPE, `${r.fileStem}.docx`, await renderReportDocx(r.document));
    },
  );

  app.get(
    "/api/v1/reports/report/appendix.xlsx",
    {
      config: { action: "report.read" },
      schema: {
        tags,
        summary: "Tải phụ lục số liệu của báo cáo (Excel)",
        querystring: ReportQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const r = await reportDocument(reads, principalOf(request), request.query);
      return sendXlsx(reply, `${r.fileStem}.xlsx`, await renderAppendixXlsx(r.appendix));
    },
  );

  app.put(
    "/api/v1/reports/targets",
    {
      config: { action: "target.manage" },
      schema: {
        tags,
        summary: "Đặt chỉ tiêu của đơn vị cho các chỉ số của biểu mẫu trong một kỳ (null: bỏ chỉ tiêu)",
        querystring: ReportQuery,
        body: TargetsBody,
        response: { 200: TargetsState },
      },
    },
    async (request) =>
      setTargets(db, principalOf(request), request.query, request.body.targets, auditContextOf(request)),
  );

  app.post(
    "/api/v1/reports/requests",
    {
      config: { action: "report.request" },
      schema: {
        tags,
        summary: "Yêu cầu các đơn vị trực thuộc báo cáo theo biểu mẫu và kỳ, với hạn nộp",
        body: CreateRequestBody,
        response: { 200: ReportState.pick({ id: true }) },
      },
    },
    async (request) => createRequest(db, principalOf(request), request.body, auditContextOf(request)),
  );

  app.get(
    "/api/v1/reports/requests",
    {
      config: { action: "report.read" },
      schema: {
        tags,
        summary: "Các yêu cầu báo cáo một đơn vị đã gửi, với tình hình nộp",
        querystring: UnitQuery,
        response: { 200: RequestList },
      },
    },
    async (request) => ({ items: await listRequests(reads, principalOf(request), request.query.unitId) }),
  );

  app.get(
    "/api/v1/reports/requests/candidates",
    {
      config: { action: "report.read" },
      schema: {
        tags,
        summary: "Các đơn vị trực thuộc sẽ nhận yêu cầu báo cáo theo biểu mẫu và kỳ",
        querystring: CandidatesQuery,
        response: { 200: CandidateList },
      },
    },
    async (request) => requestCandidates(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/reports/requests/:id",
    {
      config: { action: "report.read" },
      schema: {
        tags,
        summary: "Tình hình nộp báo cáo: đã nộp, đúng hạn, trễ hạn, chưa nộp (kèm tên), xếp hạng",
        params: RequestParam,
        querystring: RequestQuery,
        response: { 200: RequestStatus },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { id } = request.params;
      try {
        return await requestStatus(reads, principal, id, request.query.rankBy);
      } catch (error) {
        // The web app opens a request's page right after creating it: one the replica has not
        // replayed yet is read from the primary rather than reported missing.
        if (reads === db || !(error instanceof AppError) || error.status !== 404) throw error;
        return requestStatus(db, principal, id, request.query.rankBy);
      }
    },
  );
}
