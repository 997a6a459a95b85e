/**
 * The lists that download as Excel and CSV: for each, its columns (the Vietnamese headers the list
 * shows) and its rows, read through the list's own service function — so the export applies the
 * same authorisation, scope and filters as the list on screen, and shows nothing the list hides.
 * Households and citizens, which can run to hundreds of thousands, are read by keyset; the others
 * page through their list or are whole lists already (a year's events, a centre's activities).
 *
 * Personal data: no national ID number (or its last digits) is ever in a list; citizens' phone
 * numbers stay masked as on screen; fund entries carry no recipients (pupils' names are only on an
 * entry's own page); everything that names people is marked `personalData` for the audit.
 */
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { CHAPTER_KIND_LABELS_VI } from "../../domain/association/membership.ts";
import { CENTRE_RATING_LABELS, type CentreRating } from "../../domain/centres/categories.ts";
import {
  COMMENDATION_KIND_LABELS,
  COMMENDATION_STATUS_LABELS,
  RECIPIENT_TYPE_LABELS,
} from "../../domain/commendations/rules.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import {
  SCHOOL_LEVEL_LABELS,
  type SchoolLevel,
  TARGET_CATEGORY_LABELS,
} from "../../domain/inspections/rules.ts";
import { STATUS_LABELS_VI } from "../../domain/learning-models/cycle.ts";
import { MODEL_LABELS_VI } from "../../domain/learning-models/framework.ts";
import type { YearQuery } from "../association/schemas.ts";
import { bodyView } from "../association/service.ts";
import type { ActivityListQuery } from "../centres/schemas.ts";
import { listActivities } from "../centres/service.ts";
import type { CitizenListQuery } from "../citizens/schemas.ts";
import { citizenGroupNames, citizenPages } from "../citizens/service.ts";
import { listCommendations } from "../commendations/service.ts";
import type { EvaluationListQuery } from "../evaluations/schemas.ts";
import { listEvaluations } from "../evaluations/service.ts";
import type { EventListQuery } from "../events/schemas.ts";
import { listEvents } from "../events/service.ts";
import type { EntryListQuery } from "../fund/schemas.ts";
import { listEntries } from "../fund/service.ts";
import type { UnitYearQuery } from "../inspections/schemas.ts";
import { listPlans } from "../inspections/service.ts";
import type { ClanListQuery, HouseholdListQuery } from "../registry/schemas.ts";
import { householdPages, listClans } from "../registry/service.ts";
import { type ListExport, pagedList, wholeList } from "./list-export.ts";

type Db = Kysely<DB>;
/** A list's export without the request's filters, which the route adds. */
export type ListSpec<R> = Omit<ListExport<R>, "filters">;

const stem = (name: string, ...parts: (string | number | undefined | null)[]) =>
  [name, ...parts.filter((p) => p !== undefined && p !== null && p !== ""), todayInVietnam()].join("-");

const yesNo = "yesno" as const;

/** Drop the page of a list query: an export is every row. */
function withoutPage<T extends { page?: unknown; pageSize?: unknown }>(q: T): Omit<T, "page" | "pageSize"> {
  const { page: _page, pageSize: _size, ...rest } = q;
  return rest;
}

// ─── Registry ──────────────────────────────────────────────────────────────────────────

/** The row type of a keyset-paged list. */
type PageRow<G> = G extends AsyncGenerator<infer P> ? (P extends readonly (infer R)[] ? R : never) : never;
type HouseholdRow = PageRow<ReturnType<typeof householdPages>>;

export function householdsExport(
  db: Db,
  principal: Principal,
  query: z.infer<typeof HouseholdListQuery>,
): ListSpec<HouseholdRow> {
  return {
    entity: "household",
    personalData: true,
    fileStem: stem("ho-gia-dinh", query.villageId ?? query.communeId ?? query.orgUnitId),
    sheet: "Hộ gia đình",
    orgUnitId: query.villageId ?? query.communeId ?? query.orgUnitId ?? null,
    pages: householdPages(db, principal, withoutPage(query)),
    columns: [
      { header: "Thôn, tổ dân phố", value: (h) => h.village.name, width: 24 },
      { header: "Họ tên chủ hộ", value: (h) => h.headName, width: 26 },
      { header: "Địa chỉ", value: (h) => h.address, width: 30 },
      { header: "Số thành viên", kind: "integer", value: (h) => h.memberCount },
      { header: "Hộ nghèo", kind: yesNo, value: (h) => h.isPoor },
      { header: "Hộ cận nghèo", kind: yesNo, value: (h) => h.isNearPoor },
      { header: "Dân tộc thiểu số", kind: yesNo, value: (h) => h.isEthnicMinority },
      { header: "Dòng họ", value: (h) => h.clans.map((c) => c.name).join("; "), width: 24 },
      { header: "Tình trạng", value: (h) => (h.active ? "Đang ở" : "Đã chuyển đi"), width: 14 },
      { header: "Cập nhật lúc", kind: "datetime", value: (h) => h.updatedAt, width: 17 },
    ],
  };
}

type ClanRow = Awaited<ReturnType<typeof listClans>>["items"][number];

export function clansExport(
  db: Db,
  principal: Principal,
  query: z.infer<typeof ClanListQuery>,
): ListSpec<ClanRow> {
  const filters = withoutPage(query);
  return {
    entity: "clan",
    personalData: false,
    fileStem: stem("dong-ho", query.communeId),
    sheet: "Dòng họ",
    orgUnitId: query.communeId ?? null,
    pages: pagedList((page, pageSize) => listClans(db, principal, { ...filters, page, pageSize })),
    columns: [
      { header: "Xã, phường", value: (c) => c.commune.name, width: 24 },
      { header: "Tên dòng họ", value: (c) => c.name, width: 26 },
      { header: "Số hộ", kind: "integer", value: (c) => c.householdCount },
      { header: "Ghi chú", value: (c) => c.note, width: 30 },
      { header: "Tình trạng", value: (c) => (c.active ? "Đang theo dõi" : "Ngừng theo dõi"), width: 16 },
      { header: "Cập nhật lúc", kind: "datetime", value: (c) => c.updatedAt, width: 17 },
    ],
  };
}

// ─── Citizens ──────────────────────────────────────────────────────────────────────────

const CITIZEN_STATUS: Record<string, string> = {
  pending: "Chờ xác minh",
  verified: "Đã xác nhận",
  rejected: "Không xác nhận",
};
const CITIZEN_FLAG: Record<string, string> = {
  burst: "Đăng ký dồn dập",
  repeat: "Lặp lại từ một máy",
  trap: "Nghi do máy tự điền",
};

type CitizenRow = PageRow<ReturnType<typeof citizenPages>>;

export async function citizensExport(
  db: Db,
  principal: Principal,
  query: z.infer<typeof CitizenListQuery>,
): Promise<ListSpec<CitizenRow>> {
  const groups = await citizenGroupNames(db);
  return {
    entity: "citizen",
    personalData: true,
    fileStem: stem("cong-dan-hoc-tap", query.orgUnitId, query.status),
    sheet: "Công dân học tập",
    orgUnitId: query.orgUnitId,
    pages: citizenPages(db, principal, withoutPage(query)),
    columns: [
      { header: "Họ và tên", value: (c) => c.fullName, width: 26 },
      { header: "Nhóm", value: (c) => groups[c.citizenGroup - 1] ?? `Nhóm ${c.citizenGroup}`, width: 20 },
      { header: "Năm sinh", kind: "integer", value: (c) => c.birthYear },
      // Masked as on screen ("0912 *** 678"): an officer calls the citizen from the app.
      { header: "Số điện thoại (đã ẩn)", value: (c) => c.phone, width: 16 },
      { header: "Đơn vị", value: (c) => c.orgUnit.name, width: 24 },
      { header: "Trạng thái", value: (c) => CITIZEN_STATUS[c.status] ?? c.status, width: 16 },
      {
        header: "Nguồn",
        value: (c) => (c.source === "public" ? "Tự đăng ký" : "Cán bộ ghi nhận"),
        width: 16,
      },
      { header: "Dấu hiệu bất thường", value: (c) => (c.flag ? (CITIZEN_FLAG[c.flag] ?? c.flag) : null) },
      { header: "Lý do không xác nhận", value: (c) => c.rejectReason, width: 24 },
      { header: "Đăng ký lúc", kind: "datetime", value: (c) => c.createdAt, width: 17 },
    ],
  };
}

// ─── Evaluations ───────────────────────────────────────────────────────────────────────

type EvaluationRow = Awaited<ReturnType<typeof listEvaluations>>["items"][number];

export function evaluationsExport(
  db: Db,
  principal: Principal,
  query: z.infer<typeof EvaluationListQuery>,
): ListSpec<EvaluationRow> {
  const filters = withoutPage(query);
  return {
    entity: "evaluation",
    // Families are named by their head, citizens by their name.
    personalData: query.model === "gdht" || query.model === "cdht_cong_dan",
    fileStem: stem("danh-gia", query.model, query.year, query.orgUnitId),
    sheet: MODEL_LABELS_VI[query.model].slice(0, 31),
    orgUnitId: query.orgUnitId,
    pages: pagedList((page, pageSize) => listEvaluations(db, principal, { ...filters, page, pageSize })),
    columns: [
      { header: "Đơn vị", value: (e) => e.orgUnit.name, width: 24 },
      { header: "Đối tượng", value: (e) => e.subjectName, width: 28 },
      { header: "Mô hình", value: (e) => MODEL_LABELS_VI[e.model], width: 20 },
      { header: "Năm", kind: "integer", value: (e) => e.year },
      { header: "Trạng thái", value: (e) => STATUS_LABELS_VI[e.status], width: 22 },
      { header: "Tổng điểm", kind: "integer", value: (e) => e.total },
      { header: "Xếp loại", value: (e) => e.ratingLabel, width: 16 },
      { header: "Số quyết định", value: (e) => e.decisionNumber, width: 16 },
      { header: "Ngày quyết định", kind: "date", value: (e) => e.decisionDate },
      { header: "Ý kiến bình xét", value: (e) => e.reviewComment, width: 28 },
      { header: "Lý do không công nhận", value: (e) => e.rejectReason, width: 28 },
      { header: "Cập nhật lúc", kind: "datetime", value: (e) => e.updatedAt, width: 17 },
    ],
  };
}

// ─── Fund ledger ───────────────────────────────────────────────────────────────────────

type EntryRow = Awaited<ReturnType<typeof listEntries>>["items"][number];

export function fundEntriesExport(
  db: Db,
  principal: Principal,
  fundId: number,
  query: z.infer<typeof EntryListQuery>,
): ListSpec<EntryRow> {
  const filters = withoutPage(query);
  return {
    entity: "fund_entry",
    // Donors may be private persons; recipients (pupils) are never in the ledger's list.
    personalData: true,
    fileStem: stem("so-quy", fundId, query.year ?? [query.from, query.to].filter(Boolean).join("_")),
    sheet: "Sổ quỹ",
    orgUnitId: null,
    pages: pagedList((page, pageSize) => listEntries(db, principal, fundId, { ...filters, page, pageSize })),
    columns: [
      { header: "Số bút toán", kind: "integer", value: (e) => e.id },
      { header: "Ngày", kind: "date", value: (e) => e.date },
      { header: "Năm tài chính", kind: "integer", value: (e) => e.fiscalYear },
      { header: "Loại", value: (e) => e.kindLabel, width: 18 },
      { header: "Nguồn thu / mục chi", value: (e) => e.categoryLabel, width: 26 },
      { header: "Số tiền (đồng)", kind: "money", value: (e) => e.amount, width: 16 },
      { header: "Tăng (+) / giảm (−) quỹ (đồng)", kind: "money", value: (e) => e.signedAmount, width: 18 },
      { header: "Số dư sau bút toán (đồng)", kind: "money", value: (e) => e.balanceAfter, width: 18 },
      { header: "Người, đơn vị ủng hộ", value: (e) => e.donorName, width: 26 },
      { header: "Số người nhận", kind: "integer", value: (e) => e.beneficiaries },
      { header: "Diễn giải", value: (e) => e.description, width: 30 },
      { header: "Chứng từ", value: (e) => e.documentRef, width: 14 },
      {
        header: "Quỹ đối ứng (chuyển quỹ)",
        value: (e) => (e.counterpart ? `${e.counterpart.fundName} (${e.counterpart.unitName})` : null),
        width: 26,
      },
      { header: "Đảo của bút toán số", kind: "integer", value: (e) => e.reversalOf },
      { header: "Đã đảo bởi bút toán số", kind: "integer", value: (e) => e.reversedBy?.id ?? null },
      { header: "Người ghi", value: (e) => e.createdBy, width: 18 },
      { header: "Ghi lúc", kind: "datetime", value: (e) => e.createdAt, width: 17 },
    ],
  };
}

// ─── Centre activities ─────────────────────────────────────────────────────────────────

type ActivityRow = Awaited<ReturnType<typeof listActivities>>[number];

export function activitiesExport(
  db: Db,
  principal: Principal,
  centreId: number,
  query: z.infer<typeof ActivityListQuery>,
): ListSpec<ActivityRow> {
  return {
    entity: "centre_activity",
    personalData: false,
    fileStem: stem("hoat-dong-tthtcd", centreId, query.period),
    sheet: "Hoạt động TTHTCĐ",
    orgUnitId: centreId,
    pages: wholeList(listActivities(db, principal, centreId, query.period)),
    columns: [
      { header: "Tên lớp, chuyên đề", value: (a) => a.title, width: 32 },
      { header: "Hình thức", value: (a) => (a.kind === "class" ? "Lớp học" : "Chuyên đề"), width: 12 },
      { header: "Lĩnh vực", value: (a) => a.categoryLabel, width: 28 },
      { header: "Từ ngày", kind: "date", value: (a) => a.startDate },
      { header: "Đến ngày", kind: "date", value: (a) => a.endDate },
      { header: "Năm học", value: (a) => a.schoolYear, width: 11 },
      { header: "Số buổi", kind: "integer", value: (a) => a.sessions },
      { header: "Số người tham gia", kind: "integer", value: (a) => a.participants },
      { header: "Trong đó nữ", kind: "integer", value: (a) => a.female },
      { header: "Người dân tộc thiểu số", kind: "integer", value: (a) => a.minority },
      { header: "Đơn vị phối hợp", value: (a) => a.partner, width: 24 },
      { header: "Địa điểm", value: (a) => a.place, width: 24 },
    ],
  };
}

// ─── Events ────────────────────────────────────────────────────────────────────────────

type EventRow = Awaited<ReturnType<typeof listEvents>>["events"][number];

export function eventsExport(
  db: Db,
  principal: Principal,
  query: z.infer<typeof EventListQuery>,
): ListSpec<EventRow> {
  return {
    entity: "event",
    personalData: false,
    fileStem: stem("su-kien", query.year, query.orgUnitId, query.kind),
    sheet: "Sự kiện",
    orgUnitId: query.orgUnitId,
    pages: wholeList(listEvents(db, principal, query).then((l) => l.events)),
    columns: [
      { header: "Đơn vị", value: (e) => e.unit.name, width: 24 },
      { header: "Loại sự kiện", value: (e) => e.kindLabel, width: 28 },
      { header: "Tên sự kiện", value: (e) => e.title, width: 32 },
      { header: "Từ ngày", kind: "date", value: (e) => e.startDate },
      { header: "Đến ngày", kind: "date", value: (e) => e.endDate },
      { header: "Địa điểm", value: (e) => e.place, width: 22 },
      { header: "Số người tham gia", kind: "integer", value: (e) => e.participants },
      { header: "Trong đó nữ", kind: "integer", value: (e) => e.female },
      { header: "Học bổng trao trực tiếp (suất)", kind: "integer", value: (e) => e.directScholarships },
      {
        header: "Trị giá học bổng trao trực tiếp (đồng)",
        kind: "money",
        value: (e) => e.directScholarshipAmount,
        width: 18,
      },
      { header: "Học bổng từ quỹ (suất)", kind: "integer", value: (e) => e.fundScholarships },
      { header: "Học bổng từ quỹ (đồng)", kind: "money", value: (e) => e.fundScholarshipAmount, width: 18 },
      { header: "Ghi chú", value: (e) => e.notes, width: 28 },
    ],
  };
}

// ─── Inspections: one row per inspected unit of each plan ──────────────────────────────

type PlanRow = Awaited<ReturnType<typeof listPlans>>["plans"][number];
type InspectionRow = { plan: PlanRow; target: PlanRow["targets"][number] | null };

export function inspectionsExport(
  db: Db,
  principal: Principal,
  query: z.infer<typeof UnitYearQuery>,
): ListSpec<InspectionRow> {
  const rows = listPlans(db, principal, query.orgUnitId, query.year).then((l) =>
    l.plans.flatMap((plan): InspectionRow[] =>
      plan.targets.length > 0 ? plan.targets.map((target) => ({ plan, target })) : [{ plan, target: null }],
    ),
  );
  return {
    entity: "inspection_plan",
    personalData: false,
    fileStem: stem("kiem-tra", query.year, query.orgUnitId),
    sheet: "Kiểm tra",
    orgUnitId: query.orgUnitId,
    pages: wholeList(rows),
    columns: [
      { header: "Số kế hoạch", value: (r) => r.plan.documentNumber, width: 16 },
      { header: "Ngày ban hành", kind: "date", value: (r) => r.plan.issuedOn },
      { header: "Nội dung kế hoạch", value: (r) => r.plan.title, width: 32 },
      { header: "Kiểm tra từ ngày", kind: "date", value: (r) => r.plan.fromDate },
      { header: "Đến ngày", kind: "date", value: (r) => r.plan.toDate },
      { header: "Đơn vị được kiểm tra", value: (r) => r.target?.unit.name, width: 28 },
      {
        header: "Đối tượng",
        value: (r) => (r.target ? TARGET_CATEGORY_LABELS[r.target.category] : null),
        width: 24,
      },
      {
        header: "Cấp học",
        value: (r) =>
          r.target?.schoolLevel ? SCHOOL_LEVEL_LABELS[r.target.schoolLevel as SchoolLevel] : null,
      },
      { header: "Cụm", value: (r) => r.target?.cluster },
      { header: "Ngày dự kiến", kind: "date", value: (r) => r.target?.scheduledOn },
      { header: "Ngày kiểm tra", kind: "date", value: (r) => r.target?.inspectedOn },
      {
        header: "Xếp loại",
        value: (r) => (r.target?.rating ? CENTRE_RATING_LABELS[r.target.rating as CentreRating] : null),
      },
      { header: "Kết quả, nhận xét", value: (r) => r.target?.findings, width: 32 },
      { header: "Kiến nghị", value: (r) => r.target?.recommendations, width: 32 },
    ],
  };
}

// ─── Commendations ─────────────────────────────────────────────────────────────────────

type CommendationRow = Awaited<ReturnType<typeof listCommendations>>["commendations"][number];

export function commendationsExport(
  db: Db,
  principal: Principal,
  query: z.infer<typeof UnitYearQuery>,
): ListSpec<CommendationRow> {
  return {
    entity: "commendation",
    // Individual recipients are named.
    personalData: true,
    fileStem: stem("khen-thuong", query.year, query.orgUnitId),
    sheet: "Khen thưởng",
    orgUnitId: query.orgUnitId,
    pages: wholeList(
      listCommendations(db, principal, query.orgUnitId, query.year).then((l) => l.commendations),
    ),
    columns: [
      { header: "Ngày đề nghị", kind: "date", value: (c) => c.proposedOn },
      { header: "Số tờ trình", value: (c) => c.proposalNumber, width: 14 },
      {
        header: "Hình thức",
        value: (c) => (c.kind === "other" && c.kindOther ? c.kindOther : COMMENDATION_KIND_LABELS[c.kind]),
        width: 18,
      },
      { header: "Cá nhân / tập thể", value: (c) => RECIPIENT_TYPE_LABELS[c.recipientType], width: 14 },
      { header: "Người, tập thể được đề nghị", value: (c) => c.recipientName, width: 30 },
      { header: "Cấp khen", value: (c) => c.awardingBody, width: 26 },
      { header: "Thành tích", value: (c) => c.reason, width: 32 },
      { header: "Kết quả", value: (c) => COMMENDATION_STATUS_LABELS[c.status], width: 20 },
      { header: "Số quyết định", value: (c) => c.decisionNumber, width: 16 },
      { header: "Ngày quyết định", kind: "date", value: (c) => c.decidedOn },
      { header: "Ghi chú", value: (c) => c.decisionNote, width: 24 },
    ],
  };
}

// ─── Association chapters ──────────────────────────────────────────────────────────────

type ChapterRow = Awaited<ReturnType<typeof bodyView>>["chapters"][number];

export function chaptersExport(
  db: Db,
  principal: Principal,
  unitId: number,
  query: z.infer<typeof YearQuery>,
): ListSpec<ChapterRow> {
  return {
    entity: "association_chapter",
    // The chapters' heads are named.
    personalData: true,
    fileStem: stem("chi-hoi", unitId, query.year),
    sheet: "Chi hội",
    orgUnitId: unitId,
    pages: wholeList(bodyView(db, principal, unitId, query.year).then((b) => b.chapters)),
    columns: [
      { header: "Tên chi hội", value: (c) => c.name, width: 30 },
      { header: "Loại", value: (c) => CHAPTER_KIND_LABELS_VI[c.kind], width: 28 },
      { header: "Đơn vị, dòng họ", value: (c) => c.linkedUnit?.name ?? c.clan?.name, width: 24 },
      { header: "Chi hội trưởng", value: (c) => c.headName, width: 24 },
      { header: "Ngày thành lập", kind: "date", value: (c) => c.foundedOn },
      { header: "Ngày giải thể", kind: "date", value: (c) => c.dissolvedOn },
      { header: `Hội viên năm ${query.year}`, kind: "integer", value: (c) => c.figures?.members },
      { header: "Trong đó nữ", kind: "integer", value: (c) => c.figures?.female },
      { header: "Hội viên mới", kind: "integer", value: (c) => c.figures?.newMembers },
      { header: "Hội phí (đồng)", kind: "money", value: (c) => c.figures?.dues, width: 16 },
    ],
  };
}
