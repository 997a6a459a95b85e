import { sendXlsx, XLSX_TYPE } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Ok } from "../auth/schemas.ts";
import {
  CommuneYear,
  CommuneYearParam,
  LiteracyBody,
  LiteracyRecord,
  LiteracySummary,
  SummaryQuery,
} from "./schemas.ts";
import { deleteCommuneYear, getCommuneYear, literacySummary, saveCommuneYear } from "./service.ts";
import { literacySummaryWorkbook } from "./xlsx.ts";

const tags = ["Xóa mù chữ, phổ cập giáo dục"];

export async function literacyRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/literacy/summary",
    {
      config: { action: "literacy.read" },
      schema: {
        tags,
        summary:
          "Tổng hợp xóa mù chữ, phổ cập giáo dục của một đơn vị và các đơn vị trực thuộc trong một năm",
        description:
          "Số liệu luôn mới (bộ đếm do mỗi lần nhập cập nhật). Đơn vị trực thuộc chưa có số liệu có `figures: null`.",
        querystring: SummaryQuery,
        response: { 200: LiteracySummary },
      },
    },
    async (request) => literacySummary(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/literacy/summary/export.xlsx",
    {
      config: { action: "literacy.read" },
      schema: {
        tags,
        summary: "Tải bảng tổng hợp xóa mù chữ, phổ cập giáo dục (Excel)",
        querystring: SummaryQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const summary = await literacySummary(db, principalOf(request), request.query);
      return sendXlsx(
        reply,
        `xoa-mu-chu-${summary.year}-${summary.unit.id}.xlsx`,
        await literacySummaryWorkbook(summary),
      );
    },
  );

  app.get(
    "/api/v1/literacy/communes/:communeId/years/:year",
    {
      config: { action: "literacy.read" },
      schema: {
        tags,
        summary: "Số liệu xóa mù chữ, phổ cập giáo dục của một xã trong một năm",
        params: CommuneYearParam,
        response: { 200: CommuneYear },
      },
    },
    async (request) =>
      getCommuneYear(db, principalOf(request), request.params.communeId, request.params.year),
  );

  app.put(
    "/api/v1/literacy/communes/:communeId/years/:year",
    {
      config: { action: "literacy.write" },
      schema: {
        tags,
        summary: "Lưu (hoặc sửa) toàn bộ số liệu của xã trong năm",
        description:
          "Ba nhóm tuổi 15–25, 26–35, 36–60: dân số, biết chữ mức độ 1, mức độ 2 (mức độ 2 ≤ mức độ 1 ≤ dân số). Nhóm 15–35, 15–60 và các tỷ lệ được tính, không nhập.",
        params: CommuneYearParam,
        body: LiteracyBody,
        response: { 200: LiteracyRecord },
      },
    },
    async (request) =>
      saveCommuneYear(
        db,
        principalOf(request),
        request.params.communeId,
        request.params.year,
        request.body,
        auditContextOf(request),
      ),
  );

  app.delete(
    "/api/v1/literacy/communes/:communeId/years/:year",
    {
      config: { action: "literacy.write" },
      schema: {
        tags,
        summary: "Xóa số liệu nhập nhầm của xã trong năm",
        params: CommuneYearParam,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await deleteCommuneYear(
        db,
        principalOf(request),
        request.params.communeId,
        request.params.year,
        auditContextOf(request),
      );
      return { ok: true as const };
    },
  );
}
