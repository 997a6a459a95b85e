import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Ok } from "../auth/schemas.ts";
import {
  Agreement,
  AgreementList,
  AgreementListQuery,
  CreateAgreementBody,
  EndAgreementBody,
  IdParam,
  UpdateAgreementBody,
} from "./schemas.ts";
import {
  createAgreement,
  deleteAgreement,
  endAgreement,
  listAgreements,
  updateAgreement,
} from "./service.ts";

const tags = ["Chương trình phối hợp"];

export async function agreementRoutes(app: App) {
  const { db } = app.database;

  app.get(
    "/api/v1/agreements",
    {
      config: { action: "agreement.read" },
      schema: {
        tags,
        summary: "Chương trình phối hợp ký trong năm hoặc còn hiệu lực trong năm; số ký mới so với năm trước",
        querystring: AgreementListQuery,
        response: { 200: AgreementList },
      },
    },
    async (request) => listAgreements(db, principalOf(request), request.query),
  );

  app.post(
    "/api/v1/agreements",
    {
      config: { action: "agreement.write" },
      schema: {
        tags,
        summary: "Ghi một chương trình phối hợp đã ký",
        body: CreateAgreementBody,
        response: { 201: Agreement },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createAgreement(db, principalOf(request), request.body, auditContextOf(request))),
  );

  app.put(
    "/api/v1/agreements/:id",
    {
      config: { action: "agreement.write" },
      schema: {
        tags,
        summary: "Sửa một chương trình phối hợp",
        params: IdParam,
        body: UpdateAgreementBody,
        response: { 200: Agreement },
      },
    },
    async (request) =>
      updateAgreement(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.post(
    "/api/v1/agreements/:id/end",
    {
      config: { action: "agreement.write" },
      schema: {
        tags,
        summary: "Chấm dứt trước thời hạn",
        params: IdParam,
        body: EndAgreementBody,
        response: { 200: Agreement },
      },
    },
    async (request) =>
      endAgreement(
        db,
        principalOf(request),
        request.params.id,
        request.body.endedOn,
        auditContextOf(request),
      ),
  );

  app.delete(
    "/api/v1/agreements/:id",
    {
      config: { action: "agreement.write" },
      schema: { tags, summary: "Xóa một chương trình nhập nhầm", params: IdParam, response: { 200: Ok } },
    },
    async (request) => {
      await deleteAgreement(db, principalOf(request), request.params.id, auditContextOf(request));
      return { ok: true as const };
    },
  );
}
