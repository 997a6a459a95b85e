/**
 * `GET <list>/export.xlsx` and `GET <list>/export.csv` beside every list the web app shows, with the
 * list's own query (its page, if sent, is ignored: an export is every row) and the list's policy
 * action; the list's service then checks the scope as it does for the list.
 */
import { createReadStream } from "node:fs";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Action, Principal } from "../../authz/policy.ts";
import { sendAttachment, XLSX_TYPE } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { UnitParam as AssociationUnitParam, YearQuery } from "../association/schemas.ts";
import { ActivityListQuery, IdParam as CentreIdParam } from "../centres/schemas.ts";
import { CitizenListQuery } from "../citizens/schemas.ts";
import { EvaluationListQuery } from "../evaluations/schemas.ts";
import { EventListQuery } from "../events/schemas.ts";
import { EntryListQuery, IdParam as FundIdParam } from "../fund/schemas.ts";
import { UnitYearQuery } from "../inspections/schemas.ts";
import { ClanListQuery, HouseholdListQuery } from "../registry/schemas.ts";
import { CSV_TYPE, EXPORT_FORMATS, type ExportFormat, writeListExport } from "./list-export.ts";
import {
  activitiesExport,
  chaptersExport,
  citizensExport,
  clansExport,
  commendationsExport,
  evaluationsExport,
  eventsExport,
  fundEntriesExport,
  householdsExport,
  inspectionsExport,
  type ListSpec,
} from "./lists.ts";

const FORMAT_NOTE =
  "Excel (.xlsx): dòng tiêu đề in đậm, cố định; số, tiền (đồng), ngày (dd/mm/yyyy) đúng kiểu. " +
  "CSV: UTF-8 có BOM, dấu phẩy, số viết liền (1234567), ngày dạng 2024-03-05, để nhập lại được. " +
  "Cùng bộ lọc, phạm vi và quyền như danh sách; mỗi lần tải được ghi nhật ký (bộ lọc, số dòng). " +
  "Không bao giờ có số CCCD/CMND.";

interface ListExportRoute<Q extends z.ZodType, P extends z.ZodType | undefined> {
  /** The list's path; the exports are `<path>/export.xlsx` and `<path>/export.csv`. */
  path: string;
  action: Action;
  tags: string[];
  summary: string;
  querystring: Q;
  params?: P;
  build: (
    principal: Principal,
    query: z.infer<Q>,
    params: P extends z.ZodType ? z.infer<P> : undefined,
  ) => ListSpec<unknown> | Promise<ListSpec<unknown>>;
}

async function send(
  reply: FastifyReply,
  format: ExportFormat,
  file: Awaited<ReturnType<typeof writeListExport>>,
) {
  const body = createReadStream(file.file);
  body.once("close", file.cleanup);
  reply.header("content-length", file.size);
  reply.header("cache-control", "no-store");
  reply.header("x-row-count", String(file.rows));
  return sendAttachment(reply, format === "xlsx" ? XLSX_TYPE : CSV_TYPE, file.name, body);
}

function listExport<Q extends z.ZodType, P extends z.ZodType | undefined = undefined>(
  app: App,
  route: ListExportRoute<Q, P>,
) {
  const { db } = app.database;
  for (const format of EXPORT_FORMATS) {
    app.get(
      `${route.path}/export.${format}`,
      {
        config: { action: route.action },
        schema: {
          tags: route.tags,
          summary: `${route.summary} (${format === "xlsx" ? "Excel" : "CSV"})`,
          description: FORMAT_NOTE,
          querystring: route.querystring,
          ...(route.params ? { params: route.params } : {}),
          produces: [format === "xlsx" ? XLSX_TYPE : CSV_TYPE],
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const query = request.query as z.infer<Q>;
        const params = request.params as P extends z.ZodType ? z.infer<P> : undefined;
        const spec = await route.build(principalOf(request), query, params);
        const written = await writeListExport(
          db,
          auditContextOf(request),
          { ...spec, filters: { ...(params ?? {}), ...(query as object) } },
          format,
        );
        return send(reply, format, written);
      },
    );
  }
}

export async function listExportRoutes(app: App) {
  const { db } = app.database;

  listExport(app, {
    path: "/api/v1/households",
    action: "registry.read",
    tags: ["Hộ gia đình"],
    summary: "Tải danh sách hộ gia đình",
    querystring: HouseholdListQuery,
    build: (principal, query) => householdsExport(db, principal, query) as ListSpec<unknown>,
  });
  listExport(app, {
    path: "/api/v1/clans",
    action: "registry.read",
    tags: ["Dòng họ"],
    summary: "Tải danh sách dòng họ",
    querystring: ClanListQuery,
    build: (principal, query) => clansExport(db, principal, query) as ListSpec<unknown>,
  });
  listExport(app, {
    path: "/api/v1/citizens",
    action: "registry.read",
    tags: ["Công dân học tập"],
    summary: "Tải danh sách công dân học tập",
    querystring: CitizenListQuery,
    build: async (principal, query) => (await citizensExport(db, principal, query)) as ListSpec<unknown>,
  });
  listExport(app, {
    path: "/api/v1/evaluations",
    action: "evaluation.read",
    tags: ["Mô hình học tập"],
    summary: "Tải danh sách đánh giá",
    querystring: EvaluationListQuery,
    build: (principal, query) => evaluationsExport(db, principal, query) as ListSpec<unknown>,
  });
  listExport(app, {
    path: "/api/v1/funds/:id/entries",
    action: "fund.read",
    tags: ["Quỹ khuyến học"],
    summary: "Tải sổ quỹ (các bút toán, không kèm danh sách người nhận)",
    querystring: EntryListQuery,
    params: FundIdParam,
    build: (principal, query, params) =>
      fundEntriesExport(db, principal, params.id, query) as ListSpec<unknown>,
  });
  listExport(app, {
    path: "/api/v1/centres/:id/activities",
    action: "centre.read",
    tags: ["Trung tâm học tập cộng đồng"],
    summary: "Tải danh sách hoạt động của trung tâm",
    querystring: ActivityListQuery,
    params: CentreIdParam,
    build: (principal, query, params) =>
      activitiesExport(db, principal, params.id, query) as ListSpec<unknown>,
  });
  listExport(app, {
    path: "/api/v1/events",
    action: "event.read",
    tags: ["Sự kiện"],
    summary: "Tải danh sách sự kiện",
    querystring: EventListQuery,
    build: (principal, query) => eventsExport(db, principal, query) as ListSpec<unknown>,
  });
  listExport(app, {
    path: "/api/v1/inspections/plans",
    action: "inspection.read",
    tags: ["Kiểm tra"],
    summary: "Tải danh sách kiểm tra (mỗi đơn vị được kiểm tra một dòng)",
    querystring: UnitYearQuery,
    build: (principal, query) => inspectionsExport(db, principal, query) as ListSpec<unknown>,
  });
  listExport(app, {
    path: "/api/v1/commendations",
    action: "commendation.read",
    tags: ["Khen thưởng, điển hình tiên tiến"],
    summary: "Tải danh sách đề nghị khen thưởng",
    querystring: UnitYearQuery,
    build: (principal, query) => commendationsExport(db, principal, query) as ListSpec<unknown>,
  });
  listExport(app, {
    path: "/api/v1/association/bodies/:unitId/chapters",
    action: "association.read",
    tags: ["Hội Khuyến học: chi hội, hội viên"],
    summary: "Tải danh sách chi hội và số liệu của năm",
    querystring: YearQuery,
    params: AssociationUnitParam,
    build: (principal, query, params) =>
      chaptersExport(db, principal, params.unitId, query) as ListSpec<unknown>,
  });
}
