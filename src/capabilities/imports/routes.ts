import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyReply } from "fastify";
import { sendAttachment, XLSX_TYPE } from "../../server/attachment.ts";
import { AppError } from "../../server/problem.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import {
  CheckQuery,
  CommitBody,
  IdParam,
  ImportJob,
  JobListQuery,
  KindParam,
  TemplateQuery,
} from "./schemas.ts";
import {
  annotatedFile,
  assertCanImport,
  checkImport,
  commitImport,
  committableJob,
  getImportJob,
  IMPORT_KINDS,
  importTemplate,
  listImportJobs,
  uploadPath,
} from "./service.ts";

const tags = ["Nhập dữ liệu từ Excel"];
/** The largest file accepted: a 100,000-household list is about 8 MB as XLSX, 12 MB as CSV. */
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const CSV_TYPE = "text/csv; charset=utf-8";
const NDJSON = "application/x-ndjson; charset=utf-8";

const STREAM_NOTE =
  'Trả về NDJSON: các dòng `{type:"progress", rows, bytes}` trong khi xử lý, rồi `{type:"result", job}` ' +
  'hoặc `{type:"error", problem}`. Ngắt kết nối giữa chừng là hủy: không dữ liệu nào được ghi.';

/**
 * Run `work` and stream its progress and outcome as NDJSON. The client closing the connection
 * before the end aborts the work (a commit rolls back).
 */
function streamJob(
  reply: FastifyReply,
  work: (hooks: {
    onProgress: (p: { rows: number; bytes: number }) => void;
    signal: AbortSignal;
  }) => Promise<unknown>,
) {
  const out = new PassThrough();
  const controller = new AbortController();
  reply.raw.on("close", () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  let last = 0;
  const line = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
  work({
    signal: controller.signal,
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      line({ type: "progress", ...p });
    },
  })
    .then((job) => line({ type: "result", job }))
    .catch((error: unknown) => {
      const problem =
        error instanceof AppError
          ? error.toProblem(reply.request.id)
          : new AppError(
              500,
              "internal",
              "Lỗi hệ thống",
              "Có lỗi khi xử lý tệp; không dữ liệu nào được ghi.",
            ).toProblem(reply.request.id);
      if (!(error instanceof AppError)) reply.request.log.error({ err: error }, "import failed");
      line({ type: "error", problem });
    })
    .finally(() => out.end());
  return reply.type(NDJSON).header("cache-control", "no-store").send(out);
}

export async function importRoutes(app: App) {
  const { db } = app.database;

  // The file arrives as the raw body, streamed to disk (never whole in memory).
  app.addContentTypeParser(
    [
      "application/octet-stream",
      "text/csv",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
    { bodyLimit: MAX_UPLOAD_BYTES },
    (_request, payload, done) => done(null, payload),
  );

  app.get(
    "/api/v1/imports/kinds",
    {
      config: { action: "data.import" },
      schema: { tags, summary: "Các loại dữ liệu nhập được từ Excel", hide: false },
    },
    async () =>
      Object.values(IMPORT_KINDS).map((k) => ({
        code: k.code,
        title: k.title,
        description: k.description,
        sheets: k.sheets.map((s) => ({
          name: s.name,
          columns: s.columns.map((c) => ({ header: c.header, required: c.required, help: c.help })),
        })),
      })),
  );

  app.get(
    "/api/v1/imports/templates/:kind",
    {
      config: { action: "data.import" },
      schema: {
        tags,
        summary: "Tải tệp Excel mẫu để nhập dữ liệu (kèm hướng dẫn, danh sách chọn, ví dụ)",
        params: KindParam,
        querystring: TemplateQuery,
      },
    },
    async (request, reply) => {
      const { body, name } = await importTemplate(
        db,
        principalOf(request),
        request.params.kind,
        request.query.orgUnitId,
      );
      return sendAttachment(reply, XLSX_TYPE, name, body);
    },
  );

  app.post(
    "/api/v1/imports/:kind/check",
    {
      config: { action: "data.import" },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags,
        summary: "Tải tệp lên và kiểm tra thử (chưa ghi gì)",
        description: `Thân yêu cầu là chính tệp .xlsx hoặc .csv (UTF-8, UTF-16, Windows-1258; chữ TCVN3/VNI được tự chuyển sang Unicode), Content-Type application/octet-stream. ${STREAM_NOTE}`,
        params: KindParam,
        querystring: CheckQuery,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { kind } = request.params;
      const { orgUnitId, fileName } = request.query;
      await assertCanImport(db, principal, kind, orgUnitId);
      const path = uploadPath();
      try {
        await pipeline(request.body as Readable, createWriteStream(path, { mode: 0o600 }));
      } catch (error) {
        rmSync(path, { force: true });
        throw error;
      }
      return streamJob(reply, (hooks) =>
        checkImport(db, principal, { kind, orgUnitId, fileName, path }, hooks),
      );
    },
  );

  app.get(
    "/api/v1/imports",
    {
      config: { action: "data.import" },
      schema: { tags, summary: "Các lần nhập dữ liệu gần đây của một đơn vị", querystring: JobListQuery },
    },
    async (request) => listImportJobs(db, principalOf(request), request.query.orgUnitId),
  );

  app.get(
    "/api/v1/imports/:id",
    {
      config: { action: "data.import" },
      schema: {
        tags,
        summary: "Kết quả kiểm tra/nhập của một tệp",
        params: IdParam,
        response: { 200: ImportJob },
      },
    },
    async (request) => getImportJob(db, principalOf(request), request.params.id),
  );

  app.get(
    "/api/v1/imports/:id/annotated",
    {
      config: { action: "data.import" },
      schema: {
        tags,
        summary: "Tải lại tệp đã tải lên, có thêm cột “Lỗi” ở các dòng cần sửa",
        params: IdParam,
      },
    },
    async (request, reply) => {
      const dir = mkdtempSync(join(tmpdir(), "xhht-annotated-"));
      const out = join(dir, "annotated");
      try {
        const { name, format } = await annotatedFile(db, principalOf(request), request.params.id, out);
        return sendAttachment(reply, format === "csv" ? CSV_TYPE : XLSX_TYPE, name, readFileSync(out));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  app.post(
    "/api/v1/imports/:id/commit",
    {
      config: { action: "data.import" },
      schema: {
        tags,
        summary: "Ghi dữ liệu của tệp đã kiểm tra",
        description: `\`mode\`: "all" — mọi dòng trong một giao dịch, không ghi gì nếu có dòng lỗi; "valid" — chỉ các dòng hợp lệ. \`includeSuspected\`: ghi cả các dòng nghi trùng. ${STREAM_NOTE}`,
        params: IdParam,
        body: CommitBody,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const audit = auditContextOf(request);
      const { id } = request.params;
      // Refusals that need no work (not found, not allowed, already imported) answer at once.
      await committableJob(db, principal, id);
      return streamJob(reply, (hooks) => commitImport(db, principal, id, request.body, audit, hooks));
    },
  );
}
