import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";
import { sendXlsx, XLSX_TYPE } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Ok } from "../auth/schemas.ts";
import { StatsQuery, StatsResponse, TargetBody, TrendQuery, TrendResponse } from "./schemas.ts";
import { learningModelStats, learningModelTrend, setTarget } from "./service.ts";
import { statsWorkbook } from "./xlsx.ts";

const tags = ["Thống kê"];

/**
 * `reads` is `Database.read`: the figures, the trend and their Excel come from it (a replica when
 * DATABASE_READ_URL is set) — they are counters read whole, and a dashboard may lag by the
 * replica's lag. Setting a target writes to the primary.
 */
export async function statisticsRoutes(app: App, { reads }: { reads: Kysely<DB> }) {
  const { db } = app.database;

  app.get(
    "/api/v1/stats/learning-models",
    {
      config: { action: "stats.read" },
      schema: {
        tags,
        summary: "Số liệu mô hình học tập của một đơn vị và các đơn vị trực thuộc, theo năm",
        description:
          "Số liệu luôn mới: mỗi lần ghi cập nhật bộ đếm trong cùng giao dịch (khi máy chủ đọc số liệu từ bản sao — DATABASE_READ_URL — số liệu chậm hơn bằng độ trễ của bản sao, thường dưới một giây). `includePredecessors=true` cộng thêm số liệu của các đơn vị trước sáp nhập đã hợp thành đơn vị này.",
        querystring: StatsQuery,
        response: { 200: StatsResponse },
      },
    },
    async (request) => learningModelStats(reads, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/stats/learning-models/export.xlsx",
    {
      config: { action: "stats.read" },
      schema: {
        tags,
        summary: "Tải bảng số liệu (Excel) của đơn vị và các đơn vị trực thuộc",
        querystring: StatsQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const stats = await learningModelStats(reads, principalOf(request), request.query);
      return sendXlsx(
        reply,
        `so-lieu-mo-hinh-hoc-tap-${stats.year}-${stats.unit.id}.xlsx`,
        await statsWorkbook(stats),
      );
    },
  );

  app.get(
    "/api/v1/stats/learning-models/trend",
    {
      config: { action: "stats.read" },
      schema: {
        tags,
        summary: "Diễn biến qua các năm",
        querystring: TrendQuery,
        response: { 200: TrendResponse },
      },
    },
    async (request) => learningModelTrend(reads, principalOf(request), request.query),
  );

  app.put(
    "/api/v1/stats/targets",
    {
      config: { action: "target.manage" },
      schema: {
        tags,
        summary: "Đặt chỉ tiêu (%) của đơn vị cho một mô hình, năm",
        body: TargetBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await setTarget(db, principalOf(request), request.body, auditContextOf(request));
      return { ok: true as const };
    },
  );
}
