import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  sql,
  type Transaction,
} from "kysely";
import { type Action, decide, isInScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import {
  creatableChildKinds,
  isAllowedChild,
  isValidOn,
  KIND_LABELS_VI,
  learningSubjectKind,
  OFFICIAL_KINDS,
  type OrgUnitKind,
  pathIds,
  SINGLETON_CHILD_KINDS,
} from "../../domain/org-units.ts";
import { type DateRange, periodRange } from "../../domain/periods.ts";
import { foldForSearch, normalizeText, vietnameseSortKey } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { bumpSubjectCount } from "../statistics/counters.ts";

type Eb = ExpressionBuilder<DB, "org_units">;

/** Restrict a query on org_units to the principal's subtrees. */
export function inScopeFilter(eb: Eb, principal: Principal): Expression<SqlBool> {
  return eb.or(principal.scopePaths.map((p) => eb("org_units.path", "like", `${p}%`)));
}

function currentOn(eb: Eb, date: string): Expression<SqlBool> {
  return eb.and([
    eb.or([eb("org_units.valid_from", "is", null), eb("org_units.valid_from", "<=", date)]),
    eb.or([eb("org_units.valid_to", "is", null), eb("org_units.valid_to", ">=", date)]),
  ]);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toSummary(row: OrgUnitRow, childCount: number, today: string) {
  return {
    id: row.id,
    parentId: row.parent_id,
    level: row.level,
    kind: row.kind as OrgUnitKind,
    code: row.code,
    name: row.name,
    path: row.path,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    current: isValidOn(row, today),
    childCount,
  };
}

const childCountSql = (today: string) =>
  sql<number>`(select count(*) from org_units c where c.parent_id = org_units.id
     and (c.valid_to is null or c.valid_to >= ${today}))`;

async function lineageLinks(
  db: Kysely<DB>,
  ids: number[],
  direction: "successors" | "predecessors",
  today: string,
) {
  if (ids.length === 0) return new Map<number, ReturnType<typeof toLink>[]>();
  const [from, to] =
    direction === "successors"
      ? (["l.predecessor_id", "l.successor_id"] as const)
      : (["l.successor_id", "l.predecessor_id"] as const);
  const rows = await db
    .selectFrom("org_unit_lineage as l")
    .innerJoin("org_units as u", "u.id", to)
    .select([
      `${from} as key`,
      "u.id",
      "u.code",
      "u.name",
      "u.kind",
      "u.valid_from",
      "u.valid_to",
      "u.sort_key",
      "l.share",
      "l.effective_date",
    ])
    .where(from, "in", ids)
    .orderBy("u.sort_key")
    .execute();
  const byUnit = new Map<number, ReturnType<typeof toLink>[]>();
  for (const r of rows) {
    const key = r.key;
    const list = byUnit.get(key) ?? [];
    list.push(toLink(r, today));
    byUnit.set(key, list);
  }
  return byUnit;
}

function toLink(
  r: {
    id: number;
    code: string | null;
    name: string;
    kind: string;
    valid_from: string | null;
    valid_to: string | null;
    share: "full" | "partial";
    effective_date: string;
  },
  today: string,
) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind as OrgUnitKind,
    current: isValidOn(r, today),
    share: r.share,
    effectiveDate: r.effective_date,
  };
}

export interface ListOrgUnitsQuery {
  q?: string | undefined;
  level?: number | undefined;
  parentId?: number | undefined;
  kind?: OrgUnitKind | undefined;
  status?: "current" | "historical" | "all" | undefined;
  page: number;
  pageSize: number;
}

/** A page of org units inside the principal's scope, in Vietnamese order. */
export async function listOrgUnits(db: Kysely<DB>, principal: Principal, query: ListOrgUnitsQuery) {
  const today = todayInVietnam();
  const folded = query.q ? foldForSearch(query.q) : "";
  const status = query.status ?? (folded ? "all" : "current");
  let base = db.selectFrom("org_units").where((eb) => inScopeFilter(eb, principal));
  if (query.level !== undefined) base = base.where("level", "=", query.level);
  if (query.parentId !== undefined) base = base.where("parent_id", "=", query.parentId);
  if (query.kind !== undefined) base = base.where("kind", "=", query.kind);
  if (status === "current") base = base.where((eb) => currentOn(eb, today));
  if (status === "historical") base = base.where((eb) => eb.not(currentOn(eb, today)));
  // A name fragment, or an official code typed as it is ("05587").
  if (folded) {
    base = base.where((eb) =>
      eb.or([eb("search_key", "like", `%${escapeLike(folded)}%`), eb("code", "=", query.q?.trim() ?? "")]),
    );
  }

  let q = base
    .selectAll()
    .select([childCountSql(today).as("child_count"), sql<number>`count(*) over ()`.as("total")]);
  if (folded) {
    // Whole-name matches ("xa thanh dinh" for "thanh dinh") before partial ones, then current
    // units before historical ones, then higher levels first.
    q = q
      .orderBy(
        sql`(code = ${query.q?.trim() ?? ""} or search_key like ${`% ${escapeLike(folded)}`} or search_key = ${folded})`,
        "desc",
      )
      .orderBy(sql`(valid_to is null)`, "desc")
      .orderBy("level");
  }
  const rows = await q
    .orderBy("sort_key")
    .orderBy("id")
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();

  const ancestorIds = [...new Set(rows.flatMap((r) => pathIds(r.path).slice(1, -1)))];
  const ancestorNames = new Map<number, string>();
  if (ancestorIds.length > 0) {
    const ancestors = await db
      .selectFrom("org_units")
      .select(["id", "name"])
      .where("id", "in", ancestorIds)
      .execute();
    for (const a of ancestors) ancestorNames.set(a.id, a.name);
  }
  const historicalIds = rows.filter((r) => !isValidOn(r, today)).map((r) => r.id);
  const successors = await lineageLinks(db, historicalIds, "successors", today);

  return {
    items: rows.map((r) => ({
      ...toSummary(r, Number(r.child_count), today),
      successors: successors.get(r.id) ?? [],
      ancestry: pathIds(r.path)
        .slice(1, -1)
        .map((id) => ancestorNames.get(id) ?? ""),
    })),
    // The window count rides on the rows; past the last page there are none, so count apart.
    total:
      rows.length > 0
        ? Number(rows[0]?.total)
        : Number((await base.select(sql<number>`count(*)`.as("n")).executeTakeFirst())?.n ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** The units a user is assigned to: the roots of their org-unit picker. */
export async function scopeRoots(db: Kysely<DB>, principal: Principal) {
  const today = todayInVietnam();
  const rows = await db
    .selectFrom("org_units")
    .selectAll()
    .select(childCountSql(today).as("child_count"))
    .where("path", "in", [...principal.scopePaths])
    .orderBy("sort_key")
    .execute();
  return rows.map((r) => toSummary(r, Number(r.child_count), today));
}

async function findUnit(db: Kysely<DB>, id: number) {
  return db.selectFrom("org_units").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * A unit is readable when it is inside the principal's scope, or when it is a predecessor of a
 * unit inside it: the history of new Xã Bình Yên includes old Xã Thanh Định.
 */
async function canRead(db: Kysely<DB>, principal: Principal, unit: OrgUnitRow) {
  if (!roleGrants(principal.role, "org_unit.read")) return false;
  if (isInScope(principal.scopePaths, unit.path)) return true;
  const successors = await db
    .selectFrom("org_unit_lineage as l")
    .innerJoin("org_units as u", "u.id", "l.successor_id")
    .select("u.path")
    .where("l.predecessor_id", "=", unit.id)
    .execute();
  return successors.some((s) => isInScope(principal.scopePaths, s.path));
}

export async function getOrgUnit(db: Kysely<DB>, principal: Principal, id: number) {
  const today = todayInVietnam();
  const unit = await findUnit(db, id);
  if (!unit) throw problems.notFound("đơn vị này");
  if (!(await canRead(db, principal, unit))) throw problems.outOfScope();

  const ids = pathIds(unit.path).slice(0, -1);
  const ancestors =
    ids.length === 0
      ? []
      : await db
          .selectFrom("org_units")
          .select(["id", "name", "kind", "code", "level"])
          .where("id", "in", ids)
          .orderBy("level")
          .execute();
  const [childCount] = await db
    .selectFrom("org_units")
    .select(sql<number>`count(*)`.as("n"))
    .where("parent_id", "=", id)
    .where((eb) => currentOn(eb, today))
    .execute();
  const predecessors = (await lineageLinks(db, [id], "predecessors", today)).get(id) ?? [];
  const successors = (await lineageLinks(db, [id], "successors", today)).get(id) ?? [];
  const writable = isValidOn(unit, today) && decide(principal, "org_unit.create", unit.path).allowed;
  return {
    ...toSummary(unit, Number(childCount?.n ?? 0), today),
    ancestors: ancestors.map((a) => ({ ...a, kind: a.kind as OrgUnitKind })),
    predecessors,
    successors,
    creatableChildKinds: writable ? creatableChildKinds(unit.kind as OrgUnitKind) : [],
    canWrite: writable,
  };
}

export interface CreateOrgUnitInput {
  parentId: number;
  kind: OrgUnitKind;
  name: string;
  code?: string | undefined;
}

export async function createOrgUnit(
  db: Kysely<DB>,
  principal: Principal,
  input: CreateOrgUnitInput,
  ctx: AuditContext,
) {
  return db.transaction().execute((tx) => createOrgUnitIn(tx, principal, input, ctx));
}

/**
 * Create a unit inside the caller's transaction: the checks (scope, current parent, allowed kind,
 * one centre per commune, no sibling of the same kind and name), the path, the learning-model
 * subject counter and the audit entry. `createOrgUnit` and the Excel import call it.
 */
export async function createOrgUnitIn(
  tx: Transaction<DB>,
  principal: Principal,
  input: CreateOrgUnitInput,
  ctx: AuditContext,
) {
  const today = todayInVietnam();
  const name = normalizeText(input.name);
  const code = input.code ? normalizeText(input.code) : null;
  const parent = await tx
    .selectFrom("org_units")
    .selectAll()
    .where("id", "=", input.parentId)
    .executeTakeFirst();
  if (!parent) throw problems.validation([{ field: "parentId", message: "Không tìm thấy đơn vị cấp trên." }]);
  authorize(principal, "org_unit.create", parent.path);
  if (!isValidOn(parent, today)) {
    throw problems.validation([
      {
        field: "parentId",
        message: `${parent.name} không còn tồn tại từ ${parent.valid_to}; hãy chọn đơn vị hiện hành.`,
      },
    ]);
  }
  const parentKind = parent.kind as OrgUnitKind;
  if (OFFICIAL_KINDS.has(input.kind) || !isAllowedChild(parentKind, input.kind)) {
    const allowed = creatableChildKinds(parentKind).map((k) => KIND_LABELS_VI[k]);
    throw problems.validation([
      {
        field: "kind",
        message: allowed.length
          ? `Dưới ${parent.name} chỉ tạo được: ${allowed.join(", ")}.`
          : `Không tạo được đơn vị con dưới ${parent.name}.`,
      },
    ]);
  }
  if (SINGLETON_CHILD_KINDS.has(input.kind)) {
    const existing = await tx
      .selectFrom("org_units")
      .select("name")
      .where("parent_id", "=", parent.id)
      .where("kind", "=", input.kind)
      .where("valid_to", "is", null)
      .executeTakeFirst();
    if (existing) {
      throw problems.conflict(
        "org_unit_singleton",
        `${parent.name} đã có ${existing.name}; mỗi xã chỉ có một trung tâm.`,
      );
    }
  }
  const searchKey = foldForSearch(name);
  const duplicate = await tx
    .selectFrom("org_units")
    .select("name")
    .where("parent_id", "=", parent.id)
    .where("kind", "=", input.kind)
    .where("search_key", "=", searchKey)
    .where("valid_to", "is", null)
    .executeTakeFirst();
  if (duplicate) {
    throw problems.conflict("org_unit_duplicate", `${parent.name} đã có đơn vị "${duplicate.name}".`);
  }
  const inserted = await tx
    .insertInto("org_units")
    .values({
      parent_id: parent.id,
      // Placeholder until the id is known; rewritten below in the same transaction.
      path: `${parent.path}~${searchKey}`,
      level: parent.level + 1,
      kind: input.kind,
      code,
      name,
      search_key: searchKey,
      sort_key: vietnameseSortKey(name),
      valid_from: today,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = await tx
    .updateTable("org_units")
    .set({ path: `${parent.path}${inserted.id}/` })
    .where("id", "=", inserted.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const counted = learningSubjectKind(input.kind);
  if (counted) await bumpSubjectCount(tx, row.path, counted, 1);
  await recordAudit(tx, ctx, {
    action: "org_unit.created",
    entityType: "org_unit",
    entityId: row.id,
    orgUnitId: row.id,
    after: { parentId: row.parent_id, kind: row.kind, name: row.name, code: row.code },
  });
  return toSummary(row, 0, today);
}

export async function updateOrgUnit(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: UpdateOrgUnitInput,
  ctx: AuditContext,
) {
  return db.transaction().execute((tx) => updateOrgUnitIn(tx, principal, id, input, ctx));
}

export interface UpdateOrgUnitInput {
  name?: string | undefined;
  code?: string | null | undefined;
}

/** Rename or recode a unit inside the caller's transaction (`updateOrgUnit` and the Excel import). */
export async function updateOrgUnitIn(
  tx: Transaction<DB>,
  principal: Principal,
  id: number,
  input: UpdateOrgUnitInput,
  ctx: AuditContext,
) {
  const today = todayInVietnam();
  const unit = await tx.selectFrom("org_units").selectAll().where("id", "=", id).executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  authorize(principal, "org_unit.update", unit.path);
  const official = OFFICIAL_KINDS.has(unit.kind as OrgUnitKind);
  if (official && principal.role !== "admin") {
    throw problems.forbidden("Tên và mã của tỉnh, xã theo danh mục hành chính chỉ quản trị viên được sửa.");
  }
  if (official && input.code !== undefined) {
    throw problems.validation([{ field: "code", message: "Không sửa mã đơn vị hành chính chính thức." }]);
  }
  const name = input.name !== undefined ? normalizeText(input.name) : unit.name;
  const code = input.code !== undefined ? (input.code ? normalizeText(input.code) : null) : unit.code;
  const searchKey = foldForSearch(name);
  if (searchKey !== unit.search_key && unit.parent_id !== null) {
    const duplicate = await tx
      .selectFrom("org_units")
      .select("name")
      .where("parent_id", "=", unit.parent_id)
      .where("kind", "=", unit.kind)
      .where("search_key", "=", searchKey)
      .where("valid_to", "is", null)
      .where("id", "!=", id)
      .executeTakeFirst();
    if (duplicate)
      throw problems.conflict("org_unit_duplicate", `Đã có đơn vị "${duplicate.name}" cùng cấp.`);
  }
  const row = await tx
    .updateTable("org_units")
    .set({ name, code, search_key: searchKey, sort_key: vietnameseSortKey(name), updated_at: new Date() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: "org_unit.updated",
    entityType: "org_unit",
    entityId: id,
    orgUnitId: id,
    before: { name: unit.name, code: unit.code },
    after: { name: row.name, code: row.code },
  });
  const [childCount] = await tx
    .selectFrom("org_units")
    .select(sql<number>`count(*)`.as("n"))
    .where("parent_id", "=", id)
    .execute();
  return toSummary(row, Number(childCount?.n ?? 0), today);
}

/**
 * A unit the principal may read for `action`, with its children in Vietnamese order: those that
 * existed at some time during `validIn`, a calendar year or a range of days (for 2024 the old
 * communes, from 2025-07-01 the new ones; a period across the 2025 reform lists both, since
 * either may hold its records); only of the given `kinds` when there are some. Used by the
 * figures pages: statistics, fund roll-ups, the capabilities' summaries.
 */
export async function unitWithChildren(
  db: Kysely<DB>,
  principal: Principal,
  action: Action,
  orgUnitId: number,
  options: { validIn: number | DateRange; kinds?: readonly string[] },
) {
  const unit = await db
    .selectFrom("org_units")
    .select(["id", "name", "kind", "level", "path"])
    .where("id", "=", orgUnitId)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  authorize(principal, action, unit.path);
  const { validIn, kinds } = options;
  let children = db
    .selectFrom("org_units")
    .select(["id", "name", "kind", "path"])
    .where("parent_id", "=", unit.id);
  if (kinds) children = children.where("kind", "in", [...kinds]);
  const { from, to } = typeof validIn === "number" ? periodRange({ kind: "year", year: validIn }) : validIn;
  children = children
    .where((eb) => eb.or([eb("valid_from", "is", null), eb("valid_from", "<=", to)]))
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">=", from)]));
  return { unit, children: await children.orderBy("sort_key").execute() };
}
