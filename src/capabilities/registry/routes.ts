import { auditContextOf, principalOf } from "../../server/request-context.ts";
import type { App } from "../../server/types.ts";
import { Page } from "../org-units/schemas.ts";
import {
  BulkHouseholdsBody,
  BulkResult,
  ClanDetail,
  ClanHouseholdParams,
  ClanHouseholdsBody,
  ClanListQuery,
  ClanSummary,
  CreateClanBody,
  CreateHouseholdBody,
  HouseholdDetail,
  HouseholdListQuery,
  HouseholdSummary,
  IdParam,
  MemberInput,
  MemberParams,
  MemberPatch,
  UpdateClanBody,
  UpdateHouseholdBody,
} from "./schemas.ts";
import {
  addClanHouseholds,
  addMember,
  bulkHouseholds,
  createClan,
  createHousehold,
  getClan,
  getHousehold,
  listClans,
  listHouseholds,
  removeClanHousehold,
  removeMember,
  updateClan,
  updateHousehold,
  updateMember,
} from "./service.ts";

const householdTags = ["Hộ gia đình"];
const clanTags = ["Dòng họ"];
const NATIONAL_ID_NOTE =
  "Số CCCD/CMND không bao giờ được lưu dạng rõ: chỉ lưu mã băm có khóa (HMAC-SHA-256) và 4 số cuối; " +
  "các phản hồi chỉ hiện “…1234”. Số đã có trong hệ thống → 409.";

export async function registryRoutes(app: App) {
  const { db } = app.database;

  // ── Households ──

  app.get(
    "/api/v1/households",
    {
      config: { action: "registry.read" },
      schema: {
        tags: householdTags,
        summary: "Danh sách/tìm kiếm hộ gia đình trong phạm vi của người dùng",
        description:
          "Lọc theo thôn (`villageId`) hoặc theo mọi thôn dưới một đơn vị (`communeId`/`orgUnitId`). " +
          "`q` tìm theo tên chủ hộ hoặc tên thành viên, không phân biệt dấu (`q=nguyen van an` tìm thấy " +
          "“Nguyễn Văn An”). Sắp xếp theo thứ tự tiếng Việt của tên chủ hộ.",
        querystring: HouseholdListQuery,
        response: { 200: Page(HouseholdSummary) },
      },
    },
    async (request) => listHouseholds(db, principalOf(request), request.query),
  );

  app.post(
    "/api/v1/households",
    {
      config: { action: "registry.write" },
      schema: {
        tags: householdTags,
        summary: "Thêm hộ gia đình (kèm danh sách thành viên) vào một thôn",
        description: `Hộ và mọi thành viên được ghi trong cùng một giao dịch. ${NATIONAL_ID_NOTE}`,
        body: CreateHouseholdBody,
        response: { 201: HouseholdDetail },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createHousehold(db, principalOf(request), request.body, auditContextOf(request));
    },
  );

  app.post(
    "/api/v1/households/bulk",
    {
      config: { action: "registry.write" },
      schema: {
        tags: householdTags,
        summary: "Thao tác hàng loạt trên các hộ đã chọn (chuyển đi, khôi phục, thêm vào dòng họ)",
        description:
          "Tất cả hoặc không: nếu một hộ không tồn tại hoặc ngoài phạm vi, không hộ nào bị thay đổi.",
        body: BulkHouseholdsBody,
        response: { 200: BulkResult },
      },
    },
    async (request) => bulkHouseholds(db, principalOf(request), request.body, auditContextOf(request)),
  );

  app.get(
    "/api/v1/households/:id",
    {
      config: { action: "registry.read" },
      schema: {
        tags: householdTags,
        summary: "Chi tiết hộ gia đình và các thành viên",
        params: IdParam,
        response: { 200: HouseholdDetail },
      },
    },
    async (request) => getHousehold(db, principalOf(request), request.params.id),
  );

  app.patch(
    "/api/v1/households/:id",
    {
      config: { action: "registry.write" },
      schema: {
        tags: householdTags,
        summary: "Sửa thông tin hộ (chủ hộ, địa chỉ, hộ nghèo/cận nghèo, đã chuyển đi)",
        params: IdParam,
        body: UpdateHouseholdBody,
        response: { 200: HouseholdDetail },
      },
    },
    async (request) =>
      updateHousehold(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.post(
    "/api/v1/households/:id/members",
    {
      config: { action: "registry.write" },
      schema: {
        tags: householdTags,
        summary: "Thêm thành viên vào hộ",
        description: NATIONAL_ID_NOTE,
        params: IdParam,
        body: MemberInput,
        response: { 201: HouseholdDetail },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return addMember(db, principalOf(request), request.params.id, request.body, auditContextOf(request));
    },
  );

  app.patch(
    "/api/v1/households/:id/members/:memberId",
    {
      config: { action: "registry.write" },
      schema: {
        tags: householdTags,
        summary: "Sửa thông tin thành viên (nationalId: null để xóa số CCCD đã ghi)",
        description: NATIONAL_ID_NOTE,
        params: MemberParams,
        body: MemberPatch,
        response: { 200: HouseholdDetail },
      },
    },
    async (request) =>
      updateMember(
        db,
        principalOf(request),
        request.params.id,
        request.params.memberId,
        request.body,
        auditContextOf(request),
      ),
  );

  app.delete(
    "/api/v1/households/:id/members/:memberId",
    {
      config: { action: "registry.write" },
      schema: {
        tags: householdTags,
        summary: "Xóa thành viên khỏi hộ (xóa cả số CCCD đã ghi)",
        params: MemberParams,
        response: { 200: HouseholdDetail },
      },
    },
    async (request) =>
      removeMember(
        db,
        principalOf(request),
        request.params.id,
        request.params.memberId,
        auditContextOf(request),
      ),
  );

  // ── Clans ──

  app.get(
    "/api/v1/clans",
    {
      config: { action: "registry.read" },
      schema: {
        tags: clanTags,
        summary: "Danh sách/tìm kiếm dòng họ trong phạm vi của người dùng",
        querystring: ClanListQuery,
        response: { 200: Page(ClanSummary) },
      },
    },
    async (request) => listClans(db, principalOf(request), request.query),
  );

  app.post(
    "/api/v1/clans",
    {
      config: { action: "registry.write" },
      schema: {
        tags: clanTags,
        summary: "Thêm dòng họ của một xã",
        body: CreateClanBody,
        response: { 201: ClanDetail },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createClan(db, principalOf(request), request.body, auditContextOf(request));
    },
  );

  app.get(
    "/api/v1/clans/:id",
    {
      config: { action: "registry.read" },
      schema: {
        tags: clanTags,
        summary: "Chi tiết dòng họ và các hộ thành viên",
        params: IdParam,
        response: { 200: ClanDetail },
      },
    },
    async (request) => getClan(db, principalOf(request), request.params.id),
  );

  app.patch(
    "/api/v1/clans/:id",
    {
      config: { action: "registry.write" },
      schema: {
        tags: clanTags,
        summary: "Sửa tên, ghi chú, hoặc ngừng/mở lại theo dõi dòng họ",
        params: IdParam,
        body: UpdateClanBody,
        response: { 200: ClanDetail },
      },
    },
    async (request) =>
      updateClan(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.post(
    "/api/v1/clans/:id/households",
    {
      config: { action: "registry.write" },
      schema: {
        tags: clanTags,
        summary: "Thêm hộ vào dòng họ (các hộ phải thuộc cùng xã)",
        params: IdParam,
        body: ClanHouseholdsBody,
        response: { 200: ClanDetail },
      },
    },
    async (request) =>
      addClanHouseholds(db, principalOf(request), request.params.id, request.body, auditContextOf(request)),
  );

  app.delete(
    "/api/v1/clans/:id/households/:householdId",
    {
      config: { action: "registry.write" },
      schema: {
        tags: clanTags,
        summary: "Bỏ một hộ khỏi dòng họ",
        params: ClanHouseholdParams,
        response: { 200: ClanDetail },
      },
    },
    async (request) =>
      removeClanHousehold(
        db,
        principalOf(request),
        request.params.id,
        request.params.householdId,
        auditContextOf(request),
      ),
  );
}
