/**
 * The registry: households (hộ gia đình) of a village with their members, and clans (dòng họ) of
 * a commune. Every write runs in one transaction that checks the scope, writes, keeps the live
 * counters (subject_counts) and records the audit entry; a failure leaves nothing behind.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import { decide, type Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { isValidOn } from "../../domain/org-units.ts";
import { foldForSearch, normalizeText, vietnameseSortKey } from "../../domain/text.ts";
import { AppError, type FieldError, problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { bumpSubjectCount } from "../statistics/counters.ts";
import { hashNationalId, lastFour, maskNationalId, nationalIdKey } from "./national-id.ts";
import type {
  BulkHouseholdsBody,
  ClanHouseholdsBody,
  ClanListQuery,
  CreateClanBody,
  CreateHouseholdBody,
  HouseholdListQuery,
  HouseholdSummary,
  MemberInput,
  MemberPatch,
  UpdateClanBody,
  UpdateHouseholdBody,
} from "./schemas.ts";

type Exec = Kysely<DB> | Transaction<DB>;

// ───────────────────────────── helpers ─────────────────────────────

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Optional free text: normalised, and empty means "none". */
function optionalText(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const text = normalizeText(value);
  return text === "" ? null : text;
}

/**
 * What a household is found by: the head's and every member's name, folded. Names are kept apart
 * by " | " so that a search never matches across two people ("an tran" in "an | tran …").
 */
export function householdSearchKey(headName: string, memberNames: readonly string[]): string {
  const keys = [...new Set([headName, ...memberNames].map(foldForSearch).filter(Boolean))];
  return keys.join(" | ");
}

async function loadUnit(db: Exec, id: number) {
  return db.selectFrom("org_units").selectAll().where("id", "=", id).executeTakeFirst();
}

function ensureCurrent(unit: OrgUnitRow, field: string) {
  if (!isValidOn(unit, todayInVietnam())) {
    throw problems.validation([
      { field, message: `${unit.name} không còn tồn tại từ ${unit.valid_to}; hãy chọn đơn vị hiện hành.` },
    ]);
  }
}

/** The village a household is created in: it exists, is current, and is inside the writer's scope. */
async function writableVillage(tx: Exec, principal: Principal, villageId: number) {
  const village = await loadUnit(tx, villageId);
  if (village?.kind !== "village") {
    throw problems.validation([{ field: "villageId", message: "Không tìm thấy thôn/tổ dân phố này." }]);
  }
  authorize(principal, "registry.write", village.path);
  ensureCurrent(village, "villageId");
  return village;
}

const NATIONAL_ID_DUPLICATE =
  "Số CCCD/CMND này đã được ghi cho một người khác trong hệ thống. Hãy kiểm tra lại số đã nhập.";

function nationalIdConflict(field?: string) {
  return new AppError(
    409,
    "national_id_duplicate",
    "Dữ liệu bị trùng hoặc xung đột",
    NATIONAL_ID_DUPLICATE,
    field ? [{ field, message: NATIONAL_ID_DUPLICATE }] : undefined,
  );
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  return (
    e.code === "23505" &&
    (e.constraint === constraint || (typeof e.message === "string" && e.message.includes(constraint)))
  );
}

/**
 * Run a write; a unique-index violation from a concurrent request (the checks inside the
 * transaction cannot see uncommitted rows) becomes the same 409 as a duplicate found beforehand.
 */
async function withConflicts<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isUniqueViolation(error, "household_members_national_id_uq")) throw nationalIdConflict();
    if (isUniqueViolation(error, "clans_name_uq"))
      throw problems.conflict("clan_duplicate", "Xã đã có dòng họ cùng tên.");
    throw error;
  }
}

interface HashedId {
  hash: string;
  last4: string;
}

/**
 * Hash the national IDs given (index → digits); refuse one already on record for another member
 * or given twice in the same request. The message never says whose number it is.
 */
async function hashIds(
  tx: Exec,
  ids: ReadonlyMap<number, { digits: string; field: string; memberId?: number }>,
): Promise<Map<number, HashedId>> {
  const out = new Map<number, HashedId>();
  if (ids.size === 0) return out;
  const key = await nationalIdKey(tx);
  const seen = new Map<string, number>();
  for (const [index, { digits, field }] of ids) {
    const hash = hashNationalId(key, digits);
    if (seen.has(hash)) throw nationalIdConflict(field);
    seen.set(hash, index);
    out.set(index, { hash, last4: lastFour(digits) });
  }
  const taken = await tx
    .selectFrom("household_members")
    .select(["id", "national_id_hash"])
    .where("national_id_hash", "in", [...seen.keys()])
    .execute();
  for (const row of taken) {
    const index = seen.get(row.national_id_hash ?? "");
    if (index === undefined) continue;
    const entry = ids.get(index);
    if (entry && entry.memberId !== row.id) throw nationalIdConflict(entry.field);
  }
  return out;
}

type MemberRow = {
  id: number;
  household_id: number;
  full_name: string;
  birth_year: number | null;
  sex: "male" | "female" | null;
  ethnicity: string | null;
  is_head: boolean;
  national_id_last4: string | null;
};

const MEMBER_COLUMNS = [
  "id",
  "household_id",
  "full_name",
  "birth_year",
  "sex",
  "ethnicity",
  "is_head",
  "national_id_last4",
] as const;

function memberView(m: MemberRow) {
  return {
    id: m.id,
    fullName: m.full_name,
    birthYear: m.birth_year,
    sex: m.sex,
    ethnicity: m.ethnicity,
    isHead: m.is_head,
    nationalIdMasked: maskNationalId(m.national_id_last4),
  };
}

/** A member as the audit trail keeps it: whether a national ID is on record, never the number. */
function memberAudit(m: MemberRow) {
  return {
    id: m.id,
    householdId: m.household_id,
    fullName: m.full_name,
    birthYear: m.birth_year,
    sex: m.sex,
    ethnicity: m.ethnicity,
    isHead: m.is_head,
    hasNationalId: m.national_id_last4 !== null,
  };
}

type HouseholdRow = {
  id: number;
  village_id: number;
  head_name: string;
  address: string | null;
  is_poor: boolean;
  is_near_poor: boolean;
  is_ethnic_minority: boolean;
  member_count: number;
  active: boolean;
  updated_at: Date;
};

const HOUSEHOLD_COLUMNS = [
  "h.id",
  "h.village_id",
  "h.head_name",
  "h.address",
  "h.is_poor",
  "h.is_near_poor",
  "h.is_ethnic_minority",
  "h.member_count",
  "h.active",
  "h.updated_at",
] as const;

function householdAudit(h: HouseholdRow) {
  return {
    villageId: h.village_id,
    headName: h.head_name,
    address: h.address,
    isPoor: h.is_poor,
    isNearPoor: h.is_near_poor,
    isEthnicMinority: h.is_ethnic_minority,
    active: h.active,
  };
}

async function clansOf(db: Exec, householdIds: number[]) {
  const map = new Map<number, { id: number; name: string }[]>();
  if (householdIds.length === 0) return map;
  const rows = await db
    .selectFrom("clan_households as ch")
    .innerJoin("clans as c", "c.id", "ch.clan_id")
    .select(["ch.household_id", "c.id", "c.name"])
    .where("ch.household_id", "in", householdIds)
    .where("c.active", "=", true)
    .orderBy("c.sort_key")
    .orderBy("c.id")
    .execute();
  for (const r of rows)
    map.set(r.household_id, [...(map.get(r.household_id) ?? []), { id: r.id, name: r.name }]);
  return map;
}

function householdSummary(
  h: HouseholdRow & { village_name: string },
  clans: Map<number, { id: number; name: string }[]>,
) {
  return {
    id: h.id,
    village: { id: h.village_id, name: h.village_name },
    headName: h.head_name,
    address: h.address,
    isPoor: h.is_poor,
    isNearPoor: h.is_near_poor,
    isEthnicMinority: h.is_ethnic_minority,
    active: h.active,
    memberCount: h.member_count,
    clans: clans.get(h.id) ?? [],
    updatedAt: h.updated_at.toISOString(),
  };
}

/** Lock a household for the rest of the transaction, and load it with its village. */
async function lockHousehold(tx: Transaction<DB>, id: number) {
  const locked = await tx
    .selectFrom("households")
    .select("id")
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) throw problems.notFound("hộ gia đình này");
  return loadHouseholdWithVillage(tx, id);
}

async function loadHouseholdWithVillage(db: Exec, id: number) {
  const row = await db
    .selectFrom("households as h")
    .innerJoin("org_units as v", "v.id", "h.village_id")
    .select(HOUSEHOLD_COLUMNS)
    .select([
      "v.name as village_name",
      "v.path as village_path",
      "v.parent_id as commune_id",
      "v.valid_from as village_valid_from",
      "v.valid_to as village_valid_to",
    ])
    .where("h.id", "=", id)
    .executeTakeFirst();
  if (!row) throw problems.notFound("hộ gia đình này");
  return row;
}

/** A household the principal may change: inside the scope, in a village that still exists. */
async function writableHousehold(tx: Transaction<DB>, principal: Principal, id: number) {
  const h = await lockHousehold(tx, id);
  authorize(principal, "registry.write", h.village_path);
  if (!isValidOn({ valid_from: h.village_valid_from, valid_to: h.village_valid_to }, todayInVietnam())) {
    throw problems.badRequest(
      "village_not_current",
      `${h.village_name} không còn tồn tại; hộ của thôn này chỉ còn để tra cứu.`,
    );
  }
  return h;
}

/** Recompute what is derived from the members: member_count and the search key. */
async function refreshHousehold(tx: Exec, id: number) {
  const h = await tx
    .selectFrom("households")
    .select("head_name")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const members = await tx
    .selectFrom("household_members")
    .select("full_name")
    .where("household_id", "=", id)
    .orderBy("id")
    .execute();
  await tx
    .updateTable("households")
    .set({
      member_count: members.length,
      search_key: householdSearchKey(
        h.head_name,
        members.map((m) => m.full_name),
      ),
      sort_key: vietnameseSortKey(h.head_name),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .execute();
}

async function membersOf(db: Exec, householdId: number): Promise<MemberRow[]> {
  return (
    db
      .selectFrom("household_members")
      .select(MEMBER_COLUMNS)
      .where("household_id", "=", householdId)
      // The head first, then by age (oldest first), then in the order they were entered.
      .orderBy("is_head", "desc")
      .orderBy(sql`birth_year asc nulls last`)
      .orderBy("id")
      .execute()
  );
}

async function householdDetail(db: Exec, principal: Principal, id: number) {
  const h = await loadHouseholdWithVillage(db, id);
  const commune =
    h.commune_id === null
      ? null
      : await db
          .selectFrom("org_units")
          .select(["id", "name"])
          .where("id", "=", h.commune_id)
          .executeTakeFirst();
  const members = await membersOf(db, id);
  const clans = await clansOf(db, [id]);
  const current = isValidOn(
    { valid_from: h.village_valid_from, valid_to: h.village_valid_to },
    todayInVietnam(),
  );
  return {
    ...householdSummary(h, clans),
    members: members.map(memberView),
    commune: commune ?? null,
    canWrite: current && decide(principal, "registry.write", h.village_path).allowed,
  };
}

// ───────────────────────────── households ─────────────────────────────

/** The filters of a household list (without its page). */
export type HouseholdFilters = Omit<z.infer<typeof HouseholdListQuery>, "page" | "pageSize">;

/**
 * The households a list shows: inside the principal's scope, every unit filter authorised, the
 * filters applied. The list pages through it; the export reads it by keyset.
 */
async function householdQuery(db: Kysely<DB>, principal: Principal, query: HouseholdFilters) {
  authorize(principal, "registry.read");
  let base = db.selectFrom("households as h").innerJoin("org_units as v", "v.id", "h.village_id");
  base = base.where((eb) =>
    eb.or(principal.scopePaths.map((p) => eb("v.path", "like", `${escapeLike(p)}%`))),
  );
  if (query.villageId !== undefined) {
    const village = await loadUnit(db, query.villageId);
    if (village?.kind !== "village") throw problems.notFound("thôn/tổ dân phố này");
    authorize(principal, "registry.read", village.path);
    base = base.where("h.village_id", "=", village.id);
  }
  for (const unitId of [query.orgUnitId, query.communeId]) {
    if (unitId === undefined) continue;
    const unit = await loadUnit(db, unitId);
    if (!unit) throw problems.notFound("đơn vị này");
    authorize(principal, "registry.read", unit.path);
    base = base.where("v.path", "like", `${escapeLike(unit.path)}%`);
  }
  if (query.clanId !== undefined) {
    const clan = await loadClan(db, query.clanId);
    authorize(principal, "registry.read", clan.commune_path);
    const clanId = clan.id;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom("clan_households as ch")
          .select("ch.clan_id")
          .whereRef("ch.household_id", "=", "h.id")
          .where("ch.clan_id", "=", clanId),
      ),
    );
  }
  const folded = query.q ? foldForSearch(query.q) : "";
  if (folded) base = base.where("h.search_key", "like", `%${escapeLike(folded)}%`);
  if (query.isPoor !== undefined) base = base.where("h.is_poor", "=", query.isPoor);
  if (query.isNearPoor !== undefined) base = base.where("h.is_near_poor", "=", query.isNearPoor);
  if (query.isEthnicMinority !== undefined)
    base = base.where("h.is_ethnic_minority", "=", query.isEthnicMinority);
  if (query.active !== "all") base = base.where("h.active", "=", query.active === "true");
  return base;
}

export async function listHouseholds(
  db: Kysely<DB>,
  principal: Principal,
  query: z.infer<typeof HouseholdListQuery>,
) {
  const base = await householdQuery(db, principal, query);
  const rows = await base
    .select(HOUSEHOLD_COLUMNS)
    .select(["v.name as village_name", sql<number>`count(*) over ()`.as("total")])
    .orderBy("h.sort_key")
    .orderBy("h.id")
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const clans = await clansOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => householdSummary(r, clans)),
    // Past the last page there are no rows to carry the window count: count apart.
    total:
      rows.length > 0
        ? Number(rows[0]?.total)
        : Number((await base.select(sql<number>`count(*)`.as("n")).executeTakeFirst())?.n ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * Every household of a list, in the list's order, `pageSize` at a time by keyset (sort key, id):
 * each page is an index range, so the hundred-thousandth household costs what the first does.
 */
export async function* householdPages(
  db: Kysely<DB>,
  principal: Principal,
  query: HouseholdFilters,
  pageSize = 1000,
): AsyncGenerator<z.infer<typeof HouseholdSummary>[]> {
  const base = await householdQuery(db, principal, query);
  type Key = { sortKey: string; id: number };
  const page = (from: Key | null) =>
    base
      .select(HOUSEHOLD_COLUMNS)
      .select(["v.name as village_name", "h.sort_key"])
      .$if(from !== null, (q) =>
        q.where(sql<boolean>`(h.sort_key, h.id) > (${from?.sortKey}::text collate "C", ${from?.id})`),
      )
      .orderBy("h.sort_key")
      .orderBy("h.id")
      .limit(pageSize)
      .execute();
  let after: Key | null = null;
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) return;
    const clans = await clansOf(
      db,
      rows.map((r) => r.id),
    );
    yield rows.map((r) => householdSummary(r, clans));
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    if (last) after = { sortKey: last.sort_key, id: last.id };
  }
}

export async function getHousehold(db: Kysely<DB>, principal: Principal, id: number) {
  const h = await loadHouseholdWithVillage(db, id);
  authorize(principal, "registry.read", h.village_path);
  return householdDetail(db, principal, id);
}

type NewMember = z.infer<typeof MemberInput>;

function normaliseMember(m: NewMember) {
  return {
    fullName: normalizeText(m.fullName),
    birthYear: m.birthYear,
    sex: m.sex ?? null,
    ethnicity: optionalText(m.ethnicity),
    isHead: m.isHead ?? false,
    nationalId: m.nationalId,
  };
}

export async function createHousehold(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof CreateHouseholdBody>,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  const headName = normalizeText(input.headName);
  const members = (input.members ?? []).map(normaliseMember);
  // The head listed among the members must be the head named on the household. When no member is
  // marked, the member who bears the head's name is the head.
  const headKey = foldForSearch(headName);
  const marked = members.findIndex((m) => m.isHead);
  if (marked >= 0 && foldForSearch(members[marked]?.fullName ?? "") !== headKey) {
    throw problems.validation([
      {
        field: `members.${marked}.fullName`,
        message: "Người được đánh dấu là chủ hộ phải trùng tên với “Họ tên chủ hộ”.",
      },
    ]);
  }
  if (marked < 0) {
    const same = members.find((m) => foldForSearch(m.fullName) === headKey);
    if (same) same.isHead = true;
  }

  return withConflicts(
    db.transaction().execute(async (tx) => {
      const village = await writableVillage(tx, principal, input.villageId);
      const ids = new Map<number, { digits: string; field: string }>();
      members.forEach((m, i) => {
        if (m.nationalId) ids.set(i, { digits: m.nationalId, field: `members.${i}.nationalId` });
      });
      const hashed = await hashIds(tx, ids);

      const household = await tx
        .insertInto("households")
        .values({
          village_id: village.id,
          head_name: headName,
          search_key: householdSearchKey(
            headName,
            members.map((m) => m.fullName),
          ),
          sort_key: vietnameseSortKey(headName),
          address: optionalText(input.address),
          is_poor: input.isPoor ?? false,
          is_near_poor: input.isNearPoor ?? false,
          is_ethnic_minority: input.isEthnicMinority ?? false,
          member_count: members.length,
        })
        .returning(["id"])
        .executeTakeFirstOrThrow();
      const inserted =
        members.length === 0
          ? []
          : await tx
              .insertInto("household_members")
              .values(
                members.map((m, i) => ({
                  household_id: household.id,
                  full_name: m.fullName,
                  birth_year: m.birthYear,
                  sex: m.sex,
                  ethnicity: m.ethnicity,
                  is_head: m.isHead,
                  national_id_hash: hashed.get(i)?.hash ?? null,
                  national_id_last4: hashed.get(i)?.last4 ?? null,
                })),
              )
              .returning(MEMBER_COLUMNS)
              .execute();
      await bumpSubjectCount(tx, village.path, "household", 1);
      const detail = await householdDetail(tx, principal, household.id);
      await recordAudit(tx, ctx, {
        action: "household.created",
        entityType: "household",
        entityId: household.id,
        orgUnitId: village.id,
        after: {
          villageId: village.id,
          headName,
          address: detail.address,
          isPoor: detail.isPoor,
          isNearPoor: detail.isNearPoor,
          isEthnicMinority: detail.isEthnicMinority,
          active: true,
          members: inserted.map(memberAudit),
        },
      });
      return detail;
    }),
  );
}

export async function updateHousehold(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof UpdateHouseholdBody>,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  return db.transaction().execute(async (tx) => {
    const h = await writableHousehold(tx, principal, id);
    const isPoor = input.isPoor ?? h.is_poor;
    const isNearPoor = input.isNearPoor ?? h.is_near_poor;
    if (isPoor && isNearPoor) {
      throw problems.validation([
        {
          field: input.isNearPoor !== undefined ? "isNearPoor" : "isPoor",
          message: "Một hộ không thể vừa là hộ nghèo vừa là hộ cận nghèo.",
        },
      ]);
    }
    const headName = input.headName !== undefined ? normalizeText(input.headName) : h.head_name;
    if (headName !== h.head_name) {
      // A spelling fix renames the head member too; another person means the head has changed.
      const head = await tx
        .selectFrom("household_members")
        .select(["id", "full_name"])
        .where("household_id", "=", id)
        .where("is_head", "=", true)
        .executeTakeFirst();
      if (head) {
        const same = foldForSearch(head.full_name) === foldForSearch(headName);
        await tx
          .updateTable("household_members")
          .set(same ? { full_name: headName } : { is_head: false })
          .where("id", "=", head.id)
          .execute();
      }
    }
    const active = input.active ?? h.active;
    const row = await tx
      .updateTable("households as h")
      .set({
        head_name: headName,
        address: input.address !== undefined ? optionalText(input.address) : h.address,
        is_poor: isPoor,
        is_near_poor: isNearPoor,
        is_ethnic_minority: input.isEthnicMinority ?? h.is_ethnic_minority,
        active,
        updated_at: new Date(),
      })
      .where("h.id", "=", id)
      .returning(HOUSEHOLD_COLUMNS)
      .executeTakeFirstOrThrow();
    if (headName !== h.head_name) await refreshHousehold(tx, id);
    if (active !== h.active) await bumpSubjectCount(tx, h.village_path, "household", active ? 1 : -1);
    await recordAudit(tx, ctx, {
      action:
        active !== h.active
          ? active
            ? "household.reactivated"
            : "household.deactivated"
          : "household.updated",
      entityType: "household",
      entityId: id,
      orgUnitId: h.village_id,
      before: householdAudit(h),
      after: householdAudit(row),
    });
    return householdDetail(tx, principal, id);
  });
}

/** Make `memberId` the household's only head, and the household's head name theirs. */
async function makeHead(tx: Exec, householdId: number, memberId: number, fullName: string) {
  await tx
    .updateTable("household_members")
    .set({ is_head: false })
    .where("household_id", "=", householdId)
    .where("id", "!=", memberId)
    .where("is_head", "=", true)
    .execute();
  await tx.updateTable("households").set({ head_name: fullName }).where("id", "=", householdId).execute();
}

export async function addMember(
  db: Kysely<DB>,
  principal: Principal,
  householdId: number,
  input: NewMember,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  const m = normaliseMember(input);
  return withConflicts(
    db.transaction().execute(async (tx) => {
      const h = await writableHousehold(tx, principal, householdId);
      const count = h.member_count;
      if (count >= 50) {
        throw problems.validation([{ field: "fullName", message: "Tối đa 50 thành viên trong một hộ." }]);
      }
      const hashed = m.nationalId
        ? (await hashIds(tx, new Map([[0, { digits: m.nationalId, field: "nationalId" }]]))).get(0)
        : undefined;
      const member = await tx
        .insertInto("household_members")
        .values({
          household_id: householdId,
          full_name: m.fullName,
          birth_year: m.birthYear,
          sex: m.sex,
          ethnicity: m.ethnicity,
          is_head: m.isHead,
          national_id_hash: hashed?.hash ?? null,
          national_id_last4: hashed?.last4 ?? null,
        })
        .returning(MEMBER_COLUMNS)
        .executeTakeFirstOrThrow();
      if (m.isHead) await makeHead(tx, householdId, member.id, m.fullName);
      await refreshHousehold(tx, householdId);
      await recordAudit(tx, ctx, {
        action: "household_member.created",
        entityType: "household_member",
        entityId: member.id,
        orgUnitId: h.village_id,
        after: memberAudit(member),
      });
      return householdDetail(tx, principal, householdId);
    }),
  );
}

async function lockMember(tx: Exec, householdId: number, memberId: number) {
  const member = await tx
    .selectFrom("household_members")
    .select(MEMBER_COLUMNS)
    .where("id", "=", memberId)
    .where("household_id", "=", householdId)
    .forUpdate()
    .executeTakeFirst();
  if (!member) throw problems.notFound("thành viên này trong hộ");
  return member;
}

export async function updateMember(
  db: Kysely<DB>,
  principal: Principal,
  householdId: number,
  memberId: number,
  input: z.infer<typeof MemberPatch>,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  return withConflicts(
    db.transaction().execute(async (tx) => {
      const h = await writableHousehold(tx, principal, householdId);
      const before = await lockMember(tx, householdId, memberId);
      const fullName = input.fullName !== undefined ? normalizeText(input.fullName) : before.full_name;
      let idColumns: { national_id_hash: string | null; national_id_last4: string | null } | undefined;
      if (input.nationalId === null) idColumns = { national_id_hash: null, national_id_last4: null };
      else if (input.nationalId !== undefined) {
        const hashed = (
          await hashIds(tx, new Map([[0, { digits: input.nationalId, field: "nationalId", memberId }]]))
        ).get(0);
        idColumns = { national_id_hash: hashed?.hash ?? null, national_id_last4: hashed?.last4 ?? null };
      }
      const isHead = input.isHead ?? before.is_head;
      const after = await tx
        .updateTable("household_members")
        .set({
          full_name: fullName,
          birth_year: input.birthYear ?? before.birth_year,
          sex: input.sex !== undefined ? input.sex : before.sex,
          ethnicity: input.ethnicity !== undefined ? optionalText(input.ethnicity) : before.ethnicity,
          is_head: isHead,
          ...idColumns,
        })
        .where("id", "=", memberId)
        .returning(MEMBER_COLUMNS)
        .executeTakeFirstOrThrow();
      // The head's name is the household's head name.
      if (isHead && (!before.is_head || fullName !== before.full_name))
        await makeHead(tx, householdId, memberId, fullName);
      await refreshHousehold(tx, householdId);
      await recordAudit(tx, ctx, {
        action: "household_member.updated",
        entityType: "household_member",
        entityId: memberId,
        orgUnitId: h.village_id,
        before: memberAudit(before),
        after: memberAudit(after),
      });
      return householdDetail(tx, principal, householdId);
    }),
  );
}

export async function removeMember(
  db: Kysely<DB>,
  principal: Principal,
  householdId: number,
  memberId: number,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  return db.transaction().execute(async (tx) => {
    const h = await writableHousehold(tx, principal, householdId);
    const member = await lockMember(tx, householdId, memberId);
    // Deleting the row erases the national ID's hash and last digits with it.
    await tx.deleteFrom("household_members").where("id", "=", memberId).execute();
    await refreshHousehold(tx, householdId);
    await recordAudit(tx, ctx, {
      action: "household_member.deleted",
      entityType: "household_member",
      entityId: memberId,
      orgUnitId: h.village_id,
      before: memberAudit(member),
    });
    return householdDetail(tx, principal, householdId);
  });
}

/**
 * A bulk action on selected households: all or nothing. Every household must exist, lie inside
 * the writer's scope and in a current village, or nothing is changed.
 */
export async function bulkHouseholds(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof BulkHouseholdsBody>,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  return db.transaction().execute(async (tx) => {
    const ids = [...input.ids].sort((a, b) => a - b);
    // Lock in id order so that two bulk requests over overlapping sets cannot deadlock.
    await tx.selectFrom("households").select("id").where("id", "in", ids).orderBy("id").forUpdate().execute();
    const rows = await tx
      .selectFrom("households as h")
      .innerJoin("org_units as v", "v.id", "h.village_id")
      .select(HOUSEHOLD_COLUMNS)
      .select(["v.name as village_name", "v.path as village_path", "v.valid_from", "v.valid_to"])
      .where("h.id", "in", ids)
      .orderBy("h.id")
      .execute();
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0) {
      throw problems.validation([
        { field: "ids", message: `Không tìm thấy hộ có mã số ${missing.join(", ")}.` },
      ]);
    }
    for (const r of rows) authorize(principal, "registry.write", r.village_path);
    const today = todayInVietnam();
    const stale = rows.find((r) => !isValidOn(r, today));
    if (stale) {
      throw problems.validation([
        { field: "ids", message: `${stale.village_name} không còn tồn tại; không sửa được hộ của thôn này.` },
      ]);
    }

    if (input.action === "addToClan") {
      const clan = await writableClan(tx, principal, input.clanId ?? 0, "clanId");
      const changed = await addToClan(tx, clan, rows, "ids", ctx);
      return { action: input.action, changed, ids };
    }

    const active = input.action === "activate";
    const changedRows = rows.filter((r) => r.active !== active);
    if (changedRows.length > 0) {
      await tx
        .updateTable("households")
        .set({ active, updated_at: new Date() })
        .where(
          "id",
          "in",
          changedRows.map((r) => r.id),
        )
        .execute();
    }
    const byVillage = new Map<string, number>();
    for (const r of changedRows) byVillage.set(r.village_path, (byVillage.get(r.village_path) ?? 0) + 1);
    for (const [path, n] of byVillage) await bumpSubjectCount(tx, path, "household", active ? n : -n);
    for (const r of changedRows) {
      await recordAudit(tx, ctx, {
        action: active ? "household.reactivated" : "household.deactivated",
        entityType: "household",
        entityId: r.id,
        orgUnitId: r.village_id,
        before: householdAudit(r),
        after: { ...householdAudit(r), active },
      });
    }
    return { action: input.action, changed: changedRows.length, ids };
  });
}

// ───────────────────────────── clans ─────────────────────────────

async function loadClan(db: Exec, id: number, lock = false) {
  let q = db
    .selectFrom("clans as c")
    .innerJoin("org_units as o", "o.id", "c.commune_id")
    .select([
      "c.id",
      "c.commune_id",
      "c.name",
      "c.search_key",
      "c.note",
      "c.active",
      "c.updated_at",
      "o.name as commune_name",
      "o.path as commune_path",
      "o.valid_from",
      "o.valid_to",
    ])
    .where("c.id", "=", id);
  if (lock) q = q.forUpdate("c");
  const clan = await q.executeTakeFirst();
  if (!clan) throw problems.notFound("dòng họ này");
  return clan;
}

type LoadedClan = Awaited<ReturnType<typeof loadClan>>;

function clanAudit(c: { commune_id: number; name: string; note: string | null; active: boolean }) {
  return { communeId: c.commune_id, name: c.name, note: c.note, active: c.active };
}

/** A clan the principal may change. `field` names the input that chose it, for the error. */
async function writableClan(tx: Exec, principal: Principal, id: number, field?: string) {
  let clan: LoadedClan;
  try {
    clan = await loadClan(tx, id, true);
  } catch (error) {
    if (field && error instanceof AppError && error.status === 404)
      throw problems.validation([{ field, message: "Không tìm thấy dòng họ này." }]);
    throw error;
  }
  authorize(principal, "registry.write", clan.commune_path);
  if (!isValidOn(clan, todayInVietnam())) {
    throw problems.badRequest("commune_not_current", `${clan.commune_name} không còn tồn tại.`);
  }
  return clan;
}

/**
 * Put households into a clan. They must be current households of the clan's commune (in any of
 * its villages); households already in the clan are left as they are. Returns how many joined.
 */
async function addToClan(
  tx: Exec,
  clan: LoadedClan,
  households: readonly {
    id: number;
    head_name: string;
    village_name: string;
    village_path: string;
    active: boolean;
  }[],
  field: string,
  ctx: AuditContext,
) {
  if (!clan.active) {
    throw problems.validation([
      { field, message: `Dòng họ “${clan.name}” đã ngừng theo dõi; hãy mở lại trước.` },
    ]);
  }
  const errors: FieldError[] = [];
  for (const h of households) {
    if (!h.village_path.startsWith(clan.commune_path)) {
      errors.push({
        field,
        message: `Hộ ${h.head_name} (${h.village_name}) không thuộc ${clan.commune_name}; dòng họ chỉ gồm các hộ trong xã.`,
      });
    } else if (!h.active) {
      errors.push({
        field,
        message: `Hộ ${h.head_name} (${h.village_name}) đã chuyển đi; không thêm vào dòng họ.`,
      });
    }
  }
  if (errors.length > 0) throw problems.validation(errors);
  const added = await tx
    .insertInto("clan_households")
    .values(households.map((h) => ({ clan_id: clan.id, household_id: h.id })))
    .onConflict((oc) => oc.columns(["clan_id", "household_id"]).doNothing())
    .returning("household_id")
    .execute();
  if (added.length > 0) {
    await tx.updateTable("clans").set({ updated_at: new Date() }).where("id", "=", clan.id).execute();
    await recordAudit(tx, ctx, {
      action: "clan.households_added",
      entityType: "clan",
      entityId: clan.id,
      orgUnitId: clan.commune_id,
      after: { householdIds: added.map((a) => a.household_id).sort((a, b) => a - b) },
    });
  }
  return added.length;
}

const householdCountSql = sql<number>`(select count(*) from clan_households ch
  join households h on h.id = ch.household_id where ch.clan_id = c.id and h.active)`;

function clanSummary(c: {
  id: number;
  commune_id: number;
  commune_name: string;
  name: string;
  note: string | null;
  active: boolean;
  updated_at: Date;
  household_count: number;
}) {
  return {
    id: c.id,
    commune: { id: c.commune_id, name: c.commune_name },
    name: c.name,
    note: c.note,
    active: c.active,
    householdCount: Number(c.household_count),
    updatedAt: c.updated_at.toISOString(),
  };
}

export async function listClans(db: Kysely<DB>, principal: Principal, query: z.infer<typeof ClanListQuery>) {
  authorize(principal, "registry.read");
  let base = db
    .selectFrom("clans as c")
    .innerJoin("org_units as o", "o.id", "c.commune_id")
    .where((eb) => eb.or(principal.scopePaths.map((p) => eb("o.path", "like", `${escapeLike(p)}%`))));
  if (query.communeId !== undefined) {
    const unit = await loadUnit(db, query.communeId);
    if (!unit) throw problems.notFound("đơn vị này");
    authorize(principal, "registry.read", unit.path);
    base = base.where("o.path", "like", `${escapeLike(unit.path)}%`);
  }
  const folded = query.q ? foldForSearch(query.q) : "";
  if (folded) base = base.where("c.search_key", "like", `%${escapeLike(folded)}%`);
  if (query.active !== "all") base = base.where("c.active", "=", query.active === "true");
  const rows = await base
    .select([
      "c.id",
      "c.commune_id",
      "o.name as commune_name",
      "c.name",
      "c.note",
      "c.active",
      "c.updated_at",
      householdCountSql.as("household_count"),
      sql<number>`count(*) over ()`.as("total"),
    ])
    .orderBy("c.sort_key")
    .orderBy("c.id")
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return {
    items: rows.map(clanSummary),
    total:
      rows.length > 0
        ? Number(rows[0]?.total)
        : Number((await base.select(sql<number>`count(*)`.as("n")).executeTakeFirst())?.n ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

async function clanDetail(db: Exec, principal: Principal, id: number) {
  const clan = await loadClan(db, id);
  const count = await db
    .selectFrom("clans as c")
    .select(householdCountSql.as("n"))
    .where("c.id", "=", id)
    .executeTakeFirstOrThrow();
  const households = await db
    .selectFrom("clan_households as ch")
    .innerJoin("households as h", "h.id", "ch.household_id")
    .innerJoin("org_units as v", "v.id", "h.village_id")
    .select([
      "h.id",
      "h.head_name",
      "h.active",
      "h.member_count",
      "v.id as village_id",
      "v.name as village_name",
    ])
    .where("ch.clan_id", "=", id)
    .orderBy("h.active", "desc")
    .orderBy("h.sort_key")
    .orderBy("h.id")
    .execute();
  return {
    ...clanSummary({ ...clan, household_count: count.n }),
    households: households.map((h) => ({
      id: h.id,
      headName: h.head_name,
      village: { id: h.village_id, name: h.village_name },
      active: h.active,
      memberCount: h.member_count,
    })),
    canWrite:
      isValidOn(clan, todayInVietnam()) && decide(principal, "registry.write", clan.commune_path).allowed,
  };
}

export async function getClan(db: Kysely<DB>, principal: Principal, id: number) {
  const clan = await loadClan(db, id);
  authorize(principal, "registry.read", clan.commune_path);
  return clanDetail(db, principal, id);
}

async function ensureUniqueClanName(tx: Exec, communeId: number, searchKey: string, exceptId?: number) {
  let q = tx
    .selectFrom("clans")
    .select("name")
    .where("commune_id", "=", communeId)
    .where("search_key", "=", searchKey)
    .where("active", "=", true);
  if (exceptId !== undefined) q = q.where("id", "!=", exceptId);
  const duplicate = await q.executeTakeFirst();
  if (duplicate) {
    throw new AppError(
      409,
      "clan_duplicate",
      "Dữ liệu bị trùng hoặc xung đột",
      `Xã đã có dòng họ “${duplicate.name}”.`,
      [{ field: "name", message: `Xã đã có dòng họ “${duplicate.name}”.` }],
    );
  }
}

export async function createClan(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof CreateClanBody>,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  return withConflicts(
    db.transaction().execute(async (tx) => {
      const id = await createClanIn(tx, principal, input, ctx);
      return clanDetail(tx, principal, id);
    }),
  );
}

/**
 * Create a clan inside the caller's transaction (`createClan` and the Excel import): the commune
 * is current and in scope, no active clan of the commune has the name, the clan counter and the
 * audit entry. Returns the clan's id.
 */
export async function createClanIn(
  tx: Transaction<DB>,
  principal: Principal,
  input: z.infer<typeof CreateClanBody>,
  ctx: AuditContext,
): Promise<number> {
  const name = normalizeText(input.name);
  const searchKey = foldForSearch(name);
  const commune = await loadUnit(tx, input.communeId);
  if (commune?.kind !== "commune") {
    throw problems.validation([{ field: "communeId", message: "Không tìm thấy xã/phường này." }]);
  }
  authorize(principal, "registry.write", commune.path);
  ensureCurrent(commune, "communeId");
  await ensureUniqueClanName(tx, commune.id, searchKey);
  const clan = await tx
    .insertInto("clans")
    .values({
      commune_id: commune.id,
      name,
      search_key: searchKey,
      sort_key: vietnameseSortKey(name),
      note: optionalText(input.note),
    })
    .returning(["id", "commune_id", "name", "note", "active"])
    .executeTakeFirstOrThrow();
  await bumpSubjectCount(tx, commune.path, "clan", 1);
  await recordAudit(tx, ctx, {
    action: "clan.created",
    entityType: "clan",
    entityId: clan.id,
    orgUnitId: commune.id,
    after: clanAudit(clan),
  });
  return clan.id;
}

export async function updateClan(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof UpdateClanBody>,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  return withConflicts(
    db.transaction().execute(async (tx) => {
      await updateClanIn(tx, principal, id, input, ctx);
      return clanDetail(tx, principal, id);
    }),
  );
}

/** Rename, annotate, stop or resume a clan inside the caller's transaction (`updateClan` and the import). */
export async function updateClanIn(
  tx: Transaction<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof UpdateClanBody>,
  ctx: AuditContext,
): Promise<void> {
  const clan = await writableClan(tx, principal, id);
  const name = input.name !== undefined ? normalizeText(input.name) : clan.name;
  const searchKey = foldForSearch(name);
  const active = input.active ?? clan.active;
  if (active && (searchKey !== clan.search_key || !clan.active)) {
    await ensureUniqueClanName(tx, clan.commune_id, searchKey, id);
  }
  const after = await tx
    .updateTable("clans")
    .set({
      name,
      search_key: searchKey,
      sort_key: vietnameseSortKey(name),
      note: input.note !== undefined ? optionalText(input.note) : clan.note,
      active,
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returning(["commune_id", "name", "note", "active"])
    .executeTakeFirstOrThrow();
  if (active !== clan.active) await bumpSubjectCount(tx, clan.commune_path, "clan", active ? 1 : -1);
  await recordAudit(tx, ctx, {
    action: active !== clan.active ? (active ? "clan.reactivated" : "clan.deactivated") : "clan.updated",
    entityType: "clan",
    entityId: id,
    orgUnitId: clan.commune_id,
    before: clanAudit(clan),
    after: clanAudit(after),
  });
}

export async function addClanHouseholds(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof ClanHouseholdsBody>,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  return db.transaction().execute(async (tx) => {
    await addClanHouseholdsIn(tx, principal, id, input.householdIds, ctx);
    return clanDetail(tx, principal, id);
  });
}

/**
 * Put households into a clan inside the caller's transaction (`addClanHouseholds` and the
 * import): current households of the clan's commune, the clan active, one audit entry. Returns
 * how many joined (those already in the clan are left as they are).
 */
export async function addClanHouseholdsIn(
  tx: Transaction<DB>,
  principal: Principal,
  id: number,
  householdIds: readonly number[],
  ctx: AuditContext,
): Promise<number> {
  // Scope first; then lock in the order every registry write uses: households, then the clan.
  authorize(principal, "registry.write", (await loadClan(tx, id)).commune_path);
  const ids = [...householdIds].sort((a, b) => a - b);
  const rows = await tx
    .selectFrom("households as h")
    .innerJoin("org_units as v", "v.id", "h.village_id")
    .select(["h.id", "h.head_name", "h.active", "v.name as village_name", "v.path as village_path"])
    .where("h.id", "in", ids)
    .orderBy("h.id")
    .forUpdate("h")
    .execute();
  const missing = ids.filter((hid) => !rows.some((r) => r.id === hid));
  if (missing.length > 0) {
    throw problems.validation([
      { field: "householdIds", message: `Không tìm thấy hộ có mã số ${missing.join(", ")}.` },
    ]);
  }
  const clan = await writableClan(tx, principal, id);
  return addToClan(tx, clan, rows, "householdIds", ctx);
}

export async function removeClanHousehold(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  householdId: number,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  return db.transaction().execute(async (tx) => {
    const clan = await writableClan(tx, principal, id);
    const removed = await tx
      .deleteFrom("clan_households")
      .where("clan_id", "=", id)
      .where("household_id", "=", householdId)
      .returning("household_id")
      .executeTakeFirst();
    if (!removed) throw problems.notFound("hộ này trong dòng họ");
    await tx.updateTable("clans").set({ updated_at: new Date() }).where("id", "=", id).execute();
    await recordAudit(tx, ctx, {
      action: "clan.household_removed",
      entityType: "clan",
      entityId: id,
      orgUnitId: clan.commune_id,
      before: { householdIds: [householdId] },
    });
    return clanDetail(tx, principal, id);
  });
}
