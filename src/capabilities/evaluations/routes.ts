import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Page } from "../org-units/schemas.ts";
import {
  BatchResult,
  DecideBody,
  EvaluationDetail,
  EvaluationListQuery,
  EvaluationSaved,
  EvaluationSummary,
  IdParam,
  RegisterBody,
  RegisterResult,
  ReviewBody,
  SaveAnswersBody,
} from "./schemas.ts";
import {
  decide,
  getEvaluation,
  listEvaluations,
  register,
  review,
  saveAnswers,
  withdraw,
} from "./service.ts";

const tags = ["Mô hình học tập"];

export async function evaluationRoutes(app: App) {
  const { db } = app.database;

  app.post(
    "/api/v1/evaluations/register",
    {
      config: { action: "evaluation.write" },
      schema: {
        tags,
        summary: "Đăng ký danh hiệu cho năm (từng đối tượng, hoặc tất cả trong một đơn vị)",
        description:
          "Lặp lại yêu cầu không tạo đăng ký trùng: đối tượng đã đăng ký được đếm vào `alreadyRegistered`.",
        body: RegisterBody,
        response: { 200: RegisterResult },
      },
    },
    async (request) => register(db, principalOf(request), request.body, auditContextOf(request)),
  );

  app.get(
    "/api/v1/evaluations",
    {
      config: { action: "evaluation.read" },
      schema: {
        tags,
        summary: "Danh sách đánh giá của một mô hình, năm, trong một đơn vị",
        querystring: EvaluationListQuery,
        response: { 200: Page(EvaluationSummary) },
      },
    },
    async (request) => listEvaluations(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/evaluations/:id",
    {
      config: { action: "evaluation.read" },
      schema: {
        tags,
        summary: "Phiếu đánh giá: bộ tiêu chí, điểm, xếp loại",
        params: IdParam,
        response: { 200: EvaluationDetail },
      },
    },
    async (request) => getEvaluation(db, principalOf(request), request.params.id),
  );

  app.put(
    "/api/v1/evaluations/:id/answers",
    {
      config: { action: "evaluation.write" },
      schema: {
        tags,
        summary: "Lưu nháp hoặc gửi bình xét phiếu tự đánh giá",
        description:
          "Trả về phiếu như đã lưu; bộ tiêu chí chỉ gồm mã và phiên bản (nội dung: GET /api/v1/evaluations/:id).",
        params: IdParam,
        body: SaveAnswersBody,
        response: { 200: EvaluationSaved },
      },
    },
    async (request) =>
      saveAnswers(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.delete(
    "/api/v1/evaluations/:id",
    {
      config: { action: "evaluation.write" },
      schema: {
        tags,
        summary: "Rút đăng ký (khi chưa tự đánh giá)",
        params: IdParam,
        response: { 200: BatchResult },
      },
    },
    async (request) => {
      await withdraw(db, principalOf(request), request.params.id, auditContextOf(request));
      return { changed: 1, unchanged: 0 };
    },
  );

  app.post(
    "/api/v1/evaluations/review",
    {
      config: { action: "evaluation.review" },
      schema: {
        tags,
        summary: "Bình xét: đạt, hoặc trả lại kèm ý kiến (theo lô)",
        body: ReviewBody,
        response: { 200: BatchResult },
      },
    },
    async (request) => review(db, principalOf(request), request.body, auditContextOf(request)),
  );

  app.post(
    "/api/v1/evaluations/decide",
    {
      config: { action: "evaluation.decide" },
      schema: {
        tags,
        summary: "Công nhận theo quyết định, không công nhận, hoặc hủy quyết định (theo lô)",
        body: DecideBody,
        response: { 200: BatchResult },
      },
    },
    async (request) => decide(db, principalOf(request), request.body, auditContextOf(request)),
  );
}
