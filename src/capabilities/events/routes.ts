import { z } from "zod";
import { sendXlsx, XLSX_TYPE } from "../../server/attachment.ts";
import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Ok } from "../auth/schemas.ts";
import {
  CreateEventBody,
  Event,
  EventList,
  EventListQuery,
  IdParam,
  LinkableEntry,
  LinkBody,
  LinkParam,
  Summary,
  SummaryQuery,
  UpdateEventBody,
} from "./schemas.ts";
import {
  createEvent,
  deleteEvent,
  eventSummary,
  linkableEntries,
  linkEntry,
  listEvents,
  unlinkEntry,
  updateEvent,
} from "./service.ts";
import { eventSummaryWorkbook } from "./xlsx.ts";

const tags = ["Sự kiện"];

export async function eventRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/events",
    {
      config: { action: "event.read" },
      schema: {
        tags,
        summary: "Sự kiện của một đơn vị trong một năm (xã: kèm thôn, trường trực thuộc), lọc theo loại",
        querystring: EventListQuery,
        response: { 200: EventList },
      },
    },
    async (request) => listEvents(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/events/summary",
    {
      config: { action: "event.read" },
      schema: {
        tags,
        summary:
          "Tổng hợp năm: sự kiện theo loại, số xã đã tổ chức, học bổng, chương trình phối hợp; theo đơn vị trực thuộc",
        querystring: SummaryQuery,
        response: { 200: Summary },
      },
    },
    async (request) => eventSummary(db, principalOf(request), request.query),
  );

  app.get(
    "/api/v1/events/summary/export.xlsx",
    {
      config: { action: "event.read" },
      schema: {
        tags,
        summary: "Tải bảng tổng hợp sự kiện và chương trình phối hợp (Excel)",
        querystring: SummaryQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (request, reply) => {
      const summary = await eventSummary(db, principalOf(request), request.query);
      return sendXlsx(
        reply,
        `su-kien-${summary.year}-${summary.unit.id}.xlsx`,
        await eventSummaryWorkbook(summary),
      );
    },
  );

  app.post(
    "/api/v1/events",
    {
      config: { action: "event.write" },
      schema: { tags, summary: "Ghi một sự kiện", body: CreateEventBody, response: { 201: Event } },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createEvent(db, principalOf(request), request.body, auditContextOf(request))),
  );

  app.put(
    "/api/v1/events/:id",
    {
      config: { action: "event.write" },
      schema: {
        tags,
        summary: "Sửa một sự kiện",
        params: IdParam,
        body: UpdateEventBody,
        response: { 200: Event },
      },
    },
    async (request) =>
      updateEvent(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.delete(
    "/api/v1/events/:id",
    {
      config: { action: "event.write" },
      schema: { tags, summary: "Xóa một sự kiện nhập nhầm", params: IdParam, response: { 200: Ok } },
    },
    async (request) => {
      await deleteEvent(db, principalOf(request), request.params.id, auditContextOf(request));
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/events/:id/linkable-entries",
    {
      config: { action: "event.write" },
      schema: {
        tags,
        summary: "Khoản chi học bổng trong năm của các quỹ đơn vị (chưa gắn sự kiện nào) để gắn vào sự kiện",
        params: IdParam,
        response: { 200: z.array(LinkableEntry) },
      },
    },
    async (request) => linkableEntries(db, principalOf(request), request.params.id),
  );

  app.post(
    "/api/v1/events/:id/fund-entries",
    {
      config: { action: "event.write" },
      schema: {
        tags,
        summary: "Gắn một khoản chi học bổng của quỹ vào sự kiện",
        params: IdParam,
        body: LinkBody,
        response: { 200: Event },
      },
    },
    async (request) =>
      linkEntry(
        db,
        principalOf(request),
        request.params.id,
        request.body.fundEntryId,
        auditContextOf(request),
      ),
  );

  app.delete(
    "/api/v1/events/:id/fund-entries/:entryId",
    {
      config: { action: "event.write" },
      schema: {
        tags,
        summary: "Bỏ gắn một khoản chi khỏi sự kiện",
        params: LinkParam,
        response: { 200: Event },
      },
    },
    async (request) =>
      unlinkEntry(
        db,
        principalOf(request),
        request.params.id,
        request.params.entryId,
        auditContextOf(request),
      ),
  );
}
