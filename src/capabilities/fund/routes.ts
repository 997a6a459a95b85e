import { z } from "zod";
import { DOCX_TYPE, sendAttachment, sendXlsx, XLSX_TYPE } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Ok } from "../auth/schemas.ts";
import { Page } from "../org-units/schemas.ts";
import { statementDocx } from "./docx.ts";
import {
  CreateFundBody,
  DisbursementBody,
  EntryDetail,
  EntryListQuery,
  EntryParam,
  EntryView,
  FundDetail,
  FundListQuery,
  FundStatsQuery,
  FundStatsResponse,
  FundSummary,
  FundTargetBody,
  IdParam,
  OpeningBody,
  PostingResult,
  PublicationBody,
  PublicFund,
  PublicStatement,
  ReceiptBody,
  ReopenBody,
  ReverseBody,
  Statement,
  StatementQuery,
  TransferBody,
  TransferTarget,
  YearParam,
} from "./schemas.ts";
import {
  closeYear,
  createFund,
  fundStatement,
  fundStats,
  getEntry,
  getFund,
  listEntries,
  listFunds,
  postDisbursement,
  postOpening,
  postReceipt,
  postTransfer,
  publicFund,
  publicStatement,
  reopenYear,
  reverseEntry,
  setFundTarget,
  setPublication,
  statementDetails,
  transferTargets,
} from "./service.ts";
import { statementWorkbook } from "./xlsx.ts";

const tags = ["Quỹ khuyến học"];

const POSTING_NOTE =
  "Số tiền gửi lên là số nguyên đồng (JSON integer); số tiền trả về là chuỗi chữ số. Gửi `idempotencyKey` để gửi lại an toàn: cùng khóa thì chỉ ghi một lần (trả 200, `replayed: true`).";

function fileName(statement: {
  fund: { id: number };
  period: { from: string; to: string; fiscalYear: number | null };
}) {
  const period = statement.period.fiscalYear ?? `${statement.period.from}_${statement.period.to}`;
  return `bao-cao-quy-khuyen-hoc-${statement.fund.id}-${period}`;
}

/** A posting answers 201 when it wrote, 200 when its idempotency key replayed an earlier one. */
async function postingReply<T extends { replayed: boolean }>(
  reply: { code(statusCode: number): unknown },
  posting: Promise<T>,
): Promise<T> {
  const result = await posting;
  reply.code(result.replayed ? 200 : 201);
  return result;
}

export async function fundRoutes(app: App) {
  const { db } = app.database;

  // ── Funds ──
  app.get(
    "/api/v1/funds",
    {
      config: { action: "fund.read" },
      schema: {
        tags,
        summary: "Các quỹ khuyến học của một đơn vị (và các đơn vị trực thuộc nếu subtree=true), kèm số dư",
        querystring: FundListQuery,
        response: { 200: z.array(FundSummary) },
      },
    },
    async (request) => listFunds(db, principalOf(request), request.query),
  );

  app.post(
    "/api/v1/funds",
    {
      config: { action: "fund.manage" },
      schema: {
        tags,
        summary: "Mở quỹ: quỹ khuyến học chung của đơn vị, hoặc quỹ mang tên riêng; kèm số dư chuyển sang",
        body: CreateFundBody,
        response: { 201: FundDetail },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const id = await createFund(db, principal, request.body, auditContextOf(request));
      reply.code(201);
      return getFund(db, principal, id);
    },
  );

  app.get(
    "/api/v1/funds/:id",
    {
      config: { action: "fund.read" },
      schema: {
        tags,
        summary: "Một quỹ: số dư, các năm (mở, đã khóa sổ, công khai), quyền của người dùng",
        params: IdParam,
        response: { 200: FundDetail },
      },
    },
    async (request) => getFund(db, principalOf(request), request.params.id),
  );

  // ── Ledger ──
  app.get(
    "/api/v1/funds/:id/entries",
    {
      config: { action: "fund.read" },
      schema: {
        tags,
        summary: "Sổ quỹ: các bút toán (mới nhất trước), kèm số dư sau mỗi bút toán",
        params: IdParam,
        querystring: EntryListQuery,
        response: { 200: Page(EntryView) },
      },
    },
    async (request) => listEntries(db, principalOf(request), request.params.id, request.query),
  );

  app.get(
    "/api/v1/funds/:id/entries/:entryId",
    {
      config: { action: "fund.read" },
      schema: {
        tags,
        summary: "Một bút toán, kèm danh sách người nhận",
        params: EntryParam,
        response: { 200: EntryDetail },
      },
    },
    async (request) => getEntry(db, principalOf(request), request.params.id, request.params.entryId),
  );

  const postingResponse = { 200: PostingResult, 201: PostingResult };

  app.post(
    "/api/v1/funds/:id/receipts",
    {
      config: { action: "fund.write" },
      schema: {
        tags,
        summary:
          "Ghi thu: ngày, số tiền, nguồn (doanh nghiệp, cá nhân, hội viên, ngân sách…), mục đích nếu có",
        description: POSTING_NOTE,
        params: IdParam,
        body: ReceiptBody,
        response: postingResponse,
      },
    },
    async (request, reply) =>
      postingReply(
        reply,
        postReceipt(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
      ),
  );

  app.post(
    "/api/v1/funds/:id/disbursements",
    {
      config: { action: "fund.write" },
      schema: {
        tags,
        summary:
          "Ghi chi: học bổng, khen thưởng, đỡ đầu, hỗ trợ, chi hoạt động; số người nhận, danh sách nếu có",
        description: `${POSTING_NOTE} Tổng tiền của danh sách người nhận phải bằng số tiền chi.`,
        params: IdParam,
        body: DisbursementBody,
        response: postingResponse,
      },
    },
    async (request, reply) =>
      postingReply(
        reply,
        postDisbursement(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
      ),
  );

  app.get(
    "/api/v1/funds/:id/transfer-targets",
    {
      config: { action: "fund.write" },
      schema: {
        tags,
        summary: "Các quỹ có thể chuyển đến: quỹ của đơn vị mình phụ trách và của Hội cấp trên",
        params: IdParam,
        response: { 200: z.array(TransferTarget) },
      },
    },
    async (request) => transferTargets(db, principalOf(request), request.params.id),
  );

  app.post(
    "/api/v1/funds/:id/transfers",
    {
      config: { action: "fund.write" },
      schema: {
        tags,
        summary: "Chuyển quỹ (ví dụ xã nộp về tỉnh): ghi đồng thời vào cả hai sổ, không bao giờ ghi một nửa",
        description: POSTING_NOTE,
        params: IdParam,
        body: TransferBody,
        response: postingResponse,
      },
    },
    async (request, reply) =>
      postingReply(
        reply,
        postTransfer(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
      ),
  );

  app.post(
    "/api/v1/funds/:id/entries/:entryId/reverse",
    {
      config: { action: "fund.write" },
      schema: {
        tags,
        summary: "Đảo bút toán (sửa sai): ghi một bút toán ngược chiều gắn với bút toán gốc",
        description:
          "Bút toán đã ghi không bao giờ bị sửa hay xóa. Không đảo được một bút toán đảo, và không đảo một bút toán hai lần. Đảo một khoản chuyển quỹ thì đảo ở cả hai sổ.",
        params: EntryParam,
        body: ReverseBody,
        response: postingResponse,
      },
    },
    async (request, reply) =>
      postingReply(
        reply,
        reverseEntry(
          db,
          principalOf(request),
          request.params.id,
          request.params.entryId,
          request.body,
          auditContextOf(request),
        ),
      ),
  );

  app.post(
    "/api/v1/funds/:id/opening",
    {
      config: { action: "fund.manage" },
      schema: {
        tags,
        summary: "Nhập số dư chuyển sang (tổng số quỹ năm trước chuyển qua) khi năm đầu còn mở",
        params: IdParam,
        body: OpeningBody,
        response: postingResponse,
      },
    },
    async (request, reply) =>
      postingReply(
        reply,
        postOpening(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
      ),
  );

  // ── Years ──
  app.post(
    "/api/v1/funds/:id/years/:year/close",
    {
      config: { action: "fund.manage" },
      schema: {
        tags,
        summary:
          "Khóa sổ một năm đã kết thúc: số dư cuối năm chuyển sang năm sau; năm đã khóa không nhận bút toán mới",
        params: YearParam,
        response: { 200: FundDetail },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await closeYear(db, principal, request.params.id, request.params.year, auditContextOf(request));
      return getFund(db, principal, request.params.id);
    },
  );

  app.post(
    "/api/v1/funds/:id/years/:year/reopen",
    {
      config: { action: "fund.reopen" },
      schema: {
        tags,
        summary: "Mở lại sổ năm khóa gần nhất (chỉ quản trị viên; ghi nhật ký kèm lý do)",
        params: YearParam,
        body: ReopenBody,
        response: { 200: FundDetail },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await reopenYear(
        db,
        principal,
        request.params.id,
        request.params.year,
        request.body.reason,
        auditContextOf(request),
      );
      return getFund(db, principal, request.params.id);
    },
  );

  app.put(
    "/api/v1/funds/:id/years/:year/publication",
    {
      config: { action: "fund.manage" },
      schema: {
        tags,
        summary: "Công khai (hoặc thôi công khai) báo cáo quỹ của một năm trên trang công khai",
        params: YearParam,
        body: PublicationBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await setPublication(
        db,
        principalOf(request),
        request.params.id,
        request.params.year,
        request.body.published,
        auditContextOf(request),
      );
      return { ok: true as const };
    },
  );

  // ── Statements ──
  app.get(
    "/api/v1/funds/:id/statement",
    {
      config: { action: "fund.read" },
      schema: {
        tags,
        summary: "Báo cáo thu, chi quỹ cho một năm hoặc một khoảng thời gian bất kỳ",
        description:
          "Số dư đầu kỳ, thu theo nguồn, chi theo mục đích (kèm số người nhận), chuyển quỹ, số dư cuối kỳ; số tiền kèm cách đọc bằng chữ.",
        params: IdParam,
        querystring: StatementQuery,
        response: { 200: Statement },
      },
    },
    async (request) => fundStatement(db, principalOf(request), request.params.id, request.query),
  );

  app.get(
    "/api/v1/funds/:id/statement.xlsx",
    {
      config: { action: "fund.read" },
      schema: {
        tags,
        summary: "Tải báo cáo quỹ (Excel): báo cáo, sổ quỹ, danh sách người nhận",
        params: IdParam,
        querystring: StatementQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const details = await statementDetails(db, principalOf(request), request.params.id, request.query);
      return sendXlsx(reply, `${fileName(details.statement)}.xlsx`, await statementWorkbook(details));
    },
  );

  app.get(
    "/api/v1/funds/:id/statement.docx",
    {
      config: { action: "fund.read" },
      schema: {
        tags,
        summary: "Tải báo cáo quỹ (Word) theo thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP)",
        params: IdParam,
        querystring: StatementQuery,
        produces: [DOCX_TYPE],
      },
    },
    async (request, reply) => {
      const statement = await fundStatement(db, principalOf(request), request.params.id, request.query);
      return sendAttachment(reply, DOCX_TYPE, `${fileName(statement)}.docx`, await statementDocx(statement));
    },
  );

  // ── Roll-up and targets ──
  app.get(
    "/api/v1/fund-stats",
    {
      config: { action: "fund.read" },
      schema: {
        tags,
        summary:
          "Tổng thu, chi quỹ khuyến học trong năm của đơn vị và từng đơn vị trực thuộc, theo mục đích, so với chỉ tiêu",
        description:
          "Số liệu luôn mới: mỗi bút toán cập nhật bộ đếm của đơn vị và các cấp trên trong cùng giao dịch. Năm là năm của quỹ (năm tài chính).",
        querystring: FundStatsQuery,
        response: { 200: FundStatsResponse },
      },
    },
    async (request) => fundStats(db, principalOf(request), request.query),
  );

  app.put(
    "/api/v1/fund-targets",
    {
      config: { action: "target.manage" },
      schema: {
        tags,
        summary: "Đặt chỉ tiêu xây dựng quỹ (đồng trên mỗi người dân) và dân số của đơn vị cho một năm",
        body: FundTargetBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await setFundTarget(db, principalOf(request), request.body, auditContextOf(request));
      return { ok: true as const };
    },
  );

  // ── Public (công khai): published statements only, nothing personal ──
  app.get(
    "/api/v1/public/funds/:id",
    {
      config: { action: "public", rateLimit: { max: 120, timeWindow: "1 minute" } },
      schema: {
        tags,
        summary: "Trang công khai của một quỹ: các năm đã công khai",
        params: IdParam,
        response: { 200: PublicFund },
      },
    },
    async (request) => publicFund(db, request.params.id),
  );

  app.get(
    "/api/v1/public/funds/:id/statements/:year",
    {
      config: { action: "public", rateLimit: { max: 120, timeWindow: "1 minute" } },
      schema: {
        tags,
        summary: "Báo cáo công khai thu, chi quỹ của một năm (không có thông tin cá nhân của học sinh)",
        params: YearParam,
        response: { 200: PublicStatement },
      },
    },
    async (request) => publicStatement(db, request.params.id, request.params.year),
  );
}
