/**
 * Association membership (Hội Khuyến học): the chapters of a commune's or province's body, their
 * yearly figures (members, women, new members, dues), the commune's population, and the live
 * roll-up for any unit. Every write is authorised against its target's path and audited in its own
 * transaction, together with its counter changes; nothing partial is ever stored.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import { isInScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import {
  BODY_CHAPTER_KINDS,
  CHAPTER_KIND_LABELS_VI,
  type ChapterKind,
  type Contribution,
  chapterContribution,
  chapterDateProblems,
  isBodyKind,
  LINKED_UNIT_KIND,
  populationContribution,
  shareOfPopulation,
  yearOutsideLife,
} from "../../domain/association/membership.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { KIND_LABELS_VI, type OrgUnitKind } from "../../domain/org-units.ts";
import { foldForSearch, vietnameseSortKey } from "../../domain/text.ts";
import { AppError, type FieldError, problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { communesInYear, readChildrenSummary } from "../statistics/children-summary.ts";
import { bumpAssociationStats } from "./counters.ts";
import type { ChapterBody, ChapterYearBody, Figures, PopulationBody, Report } from "./schemas.ts";

type Exec = Kysely<DB> | Transaction<DB>;

const wrongKind = (detail: string) => new AppError(400, "wrong_unit_kind", "Sai loại đơn vị", detail);

async function unitById(exec: Exec, id: number) {
  const unit = await exec
    .selectFrom("org_units")
    .select(["id", "name", "kind", "level", "path", "parent_id", "valid_to"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  return unit;
}

/** The unit whose Association body holds chapters: a commune or a province. */
async function bodyById(exec: Exec, id: number) {
  const unit = await unitById(exec, id);
  if (!isBodyKind(unit.kind)) {
    throw wrongKind(
      `${KIND_LABELS_VI[unit.kind as OrgUnitKind] ?? unit.kind} không có Hội Khuyến học riêng: chi hội thuộc Hội của xã/phường hoặc của tỉnh/thành phố.`,
    );
  }
  return unit as typeof unit & { kind: "commune" | "province" };
}

/**
 * Serialises the writes of one commune that touch both its chapters' members and its population
 * (members_covered depends on both), so two concurrent requests cannot miscount.
 */
async function lockUnit(tx: Exec, id: number) {
  await sql`select id from org_units where id = ${id} for no key update`.execute(tx);
}

// ─── Chapters ──────────────────────────────────────────────────────────────────────────

function selectChapters(exec: Exec) {
  return exec
    .selectFrom("association_chapters as c")
    .innerJoin("org_units as b", "b.id", "c.org_unit_id")
    .leftJoin("org_units as l", "l.id", "c.linked_unit_id")
    .leftJoin("clans as k", "k.id", "c.clan_id")
    .select([
      "c.id",
      "c.org_unit_id",
      "c.kind",
      "c.name",
      "c.linked_unit_id",
      "c.clan_id",
      "c.head_name",
      "c.founded_on",
      "c.dissolved_on",
      "b.path as body_path",
      "b.kind as body_kind",
      "l.name as linked_name",
      "l.kind as linked_kind",
      "l.path as linked_path",
      "k.name as clan_name",
    ]);
}
type ChapterRow = Awaited<ReturnType<ReturnType<typeof selectChapters>["executeTakeFirstOrThrow"]>>;

/** Where a chapter's figures are authorised: its village/school/agency if linked, else its body. */
const targetPath = (c: ChapterRow) => c.linked_path ?? c.body_path;

async function lockChapter(tx: Exec, id: number) {
  const locked = await tx
    .selectFrom("association_chapters")
    .select("id")
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) throw problems.notFound("chi hội này");
  return selectChapters(tx).where("c.id", "=", id).executeTakeFirstOrThrow();
}

async function yearsOf(exec: Exec, chapterId: number) {
  const rows = await exec
    .selectFrom("association_chapter_years")
    .select(["year", "members", "female", "new_members", sql<string>`dues::text`.as("dues")])
    .where("chapter_id", "=", chapterId)
    .orderBy("year")
    .execute();
  return rows.map((r) => ({
    year: r.year,
    members: r.members,
    female: r.female,
    newMembers: r.new_members,
    dues: r.dues,
  }));
}

async function populationYears(exec: Exec, unitId: number): Promise<Set<number>> {
  const rows = await exec
    .selectFrom("unit_populations")
    .select("year")
    .where("org_unit_id", "=", unitId)
    .execute();
  return new Set(rows.map((r) => r.year));
}

/** What a chapter (as stored now, or as it is about to be) contributes to the counters. */
async function contributionOf(
  exec: Exec,
  chapter: {
    id: number;
    kind: string;
    founded_on: string | null;
    dissolved_on: string | null;
    org_unit_id: number;
  },
): Promise<Contribution> {
  const years = await yearsOf(exec, chapter.id);
  return chapterContribution({
    kind: chapter.kind as ChapterKind,
    foundedOn: chapter.founded_on,
    dissolvedOn: chapter.dissolved_on,
    years: years.map((y) => ({ ...y, dues: Number(y.dues) })),
    coveredYears: await populationYears(exec, chapter.org_unit_id),
  });
}

/** The chapter's fields checked against its body, the tree and the registry: every problem at once. */
async function checkChapter(
  tx: Exec,
  body: { id: number; kind: "commune" | "province"; path: string },
  input: z.infer<typeof ChapterBody>,
  self: { id: number; dissolvedOn: string | null } | null,
) {
  const errors: FieldError[] = chapterDateProblems(
    { foundedOn: input.foundedOn, dissolvedOn: self?.dissolvedOn ?? null },
    todayInVietnam(),
  ).map((p) => ({ field: p.field, message: p.message }));
  if (!BODY_CHAPTER_KINDS[body.kind].includes(input.kind)) {
    errors.push({
      field: "kind",
      message: `Hội Khuyến học cấp tỉnh không có ${CHAPTER_KIND_LABELS_VI[input.kind].toLowerCase()}: loại này thuộc Hội cấp xã.`,
    });
  }
  const linkKind = LINKED_UNIT_KIND[input.kind];
  if (input.linkedUnitId !== null) {
    const linked = await tx
      .selectFrom("org_units")
      .select(["id", "kind", "parent_id", "valid_to"])
      .where("id", "=", input.linkedUnitId)
      .executeTakeFirst();
    if (!linkKind) {
      errors.push({ field: "linkedUnitId", message: "Loại chi hội này không gắn với một đơn vị." });
    } else if (!linked || linked.parent_id !== body.id || linked.valid_to !== null) {
      errors.push({
        field: "linkedUnitId",
        message: "Đơn vị gắn với chi hội phải trực thuộc đơn vị của Hội.",
      });
    } else if (linked.kind !== linkKind) {
      errors.push({
        field: "linkedUnitId",
        message: `Chi hội loại này gắn với một ${KIND_LABELS_VI[linkKind as OrgUnitKind].toLowerCase()}, không phải ${KIND_LABELS_VI[linked.kind as OrgUnitKind]?.toLowerCase() ?? linked.kind}.`,
      });
    } else {
      const taken = await tx
        .selectFrom("association_chapters")
        .select("name")
        .where("linked_unit_id", "=", input.linkedUnitId)
        .where("dissolved_on", "is", null)
        .where("id", "!=", self?.id ?? 0)
        .executeTakeFirst();
      if (taken) errors.push({ field: "linkedUnitId", message: `Đơn vị này đã có chi hội: ${taken.name}.` });
    }
  }
  if (input.clanId !== null) {
    const clan = await tx
      .selectFrom("clans")
      .select(["commune_id", "active"])
      .where("id", "=", input.clanId)
      .executeTakeFirst();
    if (input.kind !== "clan") {
      errors.push({ field: "clanId", message: "Chỉ dòng họ khuyến học mới gắn với một dòng họ trong sổ." });
    } else if (!clan || clan.commune_id !== body.id || !clan.active) {
      errors.push({ field: "clanId", message: "Dòng họ phải thuộc sổ dòng họ của xã này." });
    } else {
      const taken = await tx
        .selectFrom("association_chapters")
        .select("name")
        .where("clan_id", "=", input.clanId)
        .where("dissolved_on", "is", null)
        .where("id", "!=", self?.id ?? 0)
        .executeTakeFirst();
      if (taken) errors.push({ field: "clanId", message: `Dòng họ này đã có chi hội: ${taken.name}.` });
    }
  }
  if (self?.dissolvedOn == null) {
    const sameName = await tx
      .selectFrom("association_chapters")
      .select("id")
      .where("org_unit_id", "=", body.id)
      .where("search_key", "=", foldForSearch(input.name))
      .where("dissolved_on", "is", null)
      .where("id", "!=", self?.id ?? 0)
      .executeTakeFirst();
    if (sameName) errors.push({ field: "name", message: "Hội đã có một chi hội cùng tên." });
  }
  if (errors.length > 0) throw problems.validation(errors);
}

function chapterValues(input: z.infer<typeof ChapterBody>) {
  return {
    kind: input.kind,
    name: input.name,
    search_key: foldForSearch(input.name),
    sort_key: vietnameseSortKey(input.name),
    linked_unit_id: input.linkedUnitId,
    clan_id: input.clanId,
    head_name: input.headName,
    founded_on: input.foundedOn,
  };
}

const auditChapter = (c: ChapterRow) => ({
  kind: c.kind,
  name: c.name,
  linkedUnitId: c.linked_unit_id,
  clanId: c.clan_id,
  headName: c.head_name,
  foundedOn: c.founded_on,
  dissolvedOn: c.dissolved_on,
});

function toChapter(
  c: ChapterRow,
  principal: Principal,
  years: Awaited<ReturnType<typeof yearsOf>>,
  year: number,
) {
  return {
    id: c.id,
    bodyId: c.org_unit_id,
    kind: c.kind as ChapterKind,
    name: c.name,
    linkedUnit:
      c.linked_unit_id !== null
        ? { id: c.linked_unit_id, name: c.linked_name ?? "", kind: c.linked_kind ?? "" }
        : null,
    clan: c.clan_id !== null ? { id: c.clan_id, name: c.clan_name ?? "" } : null,
    headName: c.head_name,
    foundedOn: c.founded_on,
    dissolvedOn: c.dissolved_on,
    figures: years.find((y) => y.year === year) ?? null,
    yearsWithFigures: years.map((y) => y.year),
    canWrite:
      roleGrants(principal.role, "association.write") && isInScope(principal.scopePaths, targetPath(c)),
  };
}

export async function getChapter(db: Kysely<DB>, principal: Principal, id: number, year: number) {
  const c = await selectChapters(db).where("c.id", "=", id).executeTakeFirst();
  if (!c) throw problems.notFound("chi hội này");
  authorize(principal, "association.read", targetPath(c));
  return toChapter(c, principal, await yearsOf(db, id), year);
}

export async function createChapter(
  db: Kysely<DB>,
  principal: Principal,
  bodyId: number,
  input: z.infer<typeof ChapterBody>,
  ctx: AuditContext,
) {
  const id = await db.transaction().execute(async (tx) => {
    const body = await bodyById(tx, bodyId);
    authorize(principal, "association.manage", body.path);
    await checkChapter(tx, body, input, null);
    const created = await tx
      .insertInto("association_chapters")
      .values({ ...chapterValues(input), org_unit_id: body.id, created_by: principal.userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    const after = await contributionOf(tx, {
      id: created.id,
      kind: input.kind,
      founded_on: input.foundedOn,
      dissolved_on: null,
      org_unit_id: body.id,
    });
    await bumpAssociationStats(tx, body.path, new Map(), after);
    await recordAudit(tx, ctx, {
      action: "association.chapter.create",
      entityType: "association_chapter",
      entityId: created.id,
      orgUnitId: body.id,
      after: input,
    });
    return created.id;
  });
  return getChapter(db, principal, id, Number(todayInVietnam().slice(0, 4)));
}

export async function updateChapter(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: z.infer<typeof ChapterBody>,
  ctx: AuditContext,
) {
  await db.transaction().execute(async (tx) => {
    const before = await lockChapter(tx, id);
    const body = await bodyById(tx, before.org_unit_id);
    authorize(principal, "association.manage", body.path);
    await checkChapter(tx, body, input, { id, dissolvedOn: before.dissolved_on });
    const years = await yearsOf(tx, id);
    const outside = years
      .map((y) => yearOutsideLife({ foundedOn: input.foundedOn, dissolvedOn: before.dissolved_on }, y.year))
      .find((p) => p !== null);
    if (outside) throw problems.validation([{ field: "foundedOn", message: outside }]);
    const old = await contributionOf(tx, before);
    await tx
      .updateTable("association_chapters")
      .set({ ...chapterValues(input), updated_at: sql`now()` })
      .where("id", "=", id)
      .execute();
    const now = await contributionOf(tx, {
      id,
      kind: input.kind,
      founded_on: input.foundedOn,
      dissolved_on: before.dissolved_on,
      org_unit_id: body.id,
    });
    await bumpAssociationStats(tx, body.path, old, now);
    await recordAudit(tx, ctx, {
      action: "association.chapter.update",
      entityType: "association_chapter",
      entityId: id,
      orgUnitId: body.id,
      before: auditChapter(before),
      after: input,
    });
  });
  return getChapter(db, principal, id, Number(todayInVietnam().slice(0, 4)));
}

/** Dissolving is a dated act (null cancels one recorded by mistake); figures stay. */
export async function setDissolution(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  dissolvedOn: string | null,
  ctx: AuditContext,
) {
  await db.transaction().execute(async (tx) => {
    const before = await lockChapter(tx, id);
    const body = await bodyById(tx, before.org_unit_id);
    authorize(principal, "association.manage", body.path);
    const errors: FieldError[] = chapterDateProblems(
      { foundedOn: before.founded_on, dissolvedOn },
      todayInVietnam(),
    ).map((p) => ({ field: p.field, message: p.message }));
    const years = await yearsOf(tx, id);
    const late = years.filter((y) => dissolvedOn !== null && y.year > Number(dissolvedOn.slice(0, 4)));
    if (late.length > 0) {
      errors.push({
        field: "dissolvedOn",
        message: `Chi hội đã có số liệu năm ${late.map((y) => y.year).join(", ")}: ngày giải thể không được trước năm đó.`,
      });
    }
    if (dissolvedOn === null && before.dissolved_on !== null) {
      // Back to life: it must not collide with a chapter founded in its place meanwhile.
      const clash = await tx
        .selectFrom("association_chapters")
        .select("name")
        .where("dissolved_on", "is", null)
        .where("id", "!=", id)
        .where((eb) =>
          eb.or([
            eb.and([eb("org_unit_id", "=", body.id), eb("search_key", "=", foldForSearch(before.name))]),
            ...(before.linked_unit_id !== null ? [eb("linked_unit_id", "=", before.linked_unit_id)] : []),
            ...(before.clan_id !== null ? [eb("clan_id", "=", before.clan_id)] : []),
          ]),
        )
        .executeTakeFirst();
      if (clash) {
        errors.push({
          field: "dissolvedOn",
          message: `Không hủy được việc giải thể: chi hội “${clash.name}” đang hoạt động thay thế.`,
        });
      }
    }
    if (errors.length > 0) throw problems.validation(errors);
    const old = await contributionOf(tx, before);
    await tx
      .updateTable("association_chapters")
      .set({ dissolved_on: dissolvedOn, updated_at: sql`now()` })
      .where("id", "=", id)
      .execute();
    await bumpAssociationStats(
      tx,
      body.path,
      old,
      await contributionOf(tx, { ...before, dissolved_on: dissolvedOn }),
    );
    await recordAudit(tx, ctx, {
      action: dissolvedOn ? "association.chapter.dissolve" : "association.chapter.undissolve",
      entityType: "association_chapter",
      entityId: id,
      orgUnitId: body.id,
      before: { dissolvedOn: before.dissolved_on },
      after: { dissolvedOn },
    });
  });
  return getChapter(db, principal, id, Number(todayInVietnam().slice(0, 4)));
}

/** Only a chapter entered by mistake, without figures, is deleted; one with figures is dissolved. */
export async function deleteChapter(db: Kysely<DB>, principal: Principal, id: number, ctx: AuditContext) {
  await db.transaction().execute(async (tx) => {
    const before = await lockChapter(tx, id);
    const body = await bodyById(tx, before.org_unit_id);
    authorize(principal, "association.manage", body.path);
    const years = await yearsOf(tx, id);
    if (years.length > 0) {
      throw problems.conflict(
        "chapter_has_figures",
        `Chi hội đã có số liệu năm ${years.map((y) => y.year).join(", ")}: không xóa được, hãy ghi nhận giải thể.`,
      );
    }
    const old = await contributionOf(tx, before);
    await tx.deleteFrom("association_chapters").where("id", "=", id).execute();
    await bumpAssociationStats(tx, body.path, old, new Map());
    await recordAudit(tx, ctx, {
      action: "association.chapter.delete",
      entityType: "association_chapter",
      entityId: id,
      orgUnitId: body.id,
      before: auditChapter(before),
    });
  });
}

// ─── A chapter's figures ───────────────────────────────────────────────────────────────

export async function saveChapterYear(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  year: number,
  input: z.infer<typeof ChapterYearBody>,
  ctx: AuditContext,
) {
  await db.transaction().execute(async (tx) => {
    const chapter = await lockChapter(tx, id);
    authorize(principal, "association.write", targetPath(chapter));
    const outside = yearOutsideLife(
      { foundedOn: chapter.founded_on, dissolvedOn: chapter.dissolved_on },
      year,
    );
    if (outside) throw problems.validation([{ field: "year", message: outside }]);
    await lockUnit(tx, chapter.org_unit_id);
    const old = await contributionOf(tx, chapter);
    const before = await tx
      .selectFrom("association_chapter_years")
      .select(["members", "female", "new_members", sql<string>`dues::text`.as("dues")])
      .where("chapter_id", "=", id)
      .where("year", "=", year)
      .executeTakeFirst();
    const values = {
      members: input.members,
      female: input.female,
      new_members: input.newMembers,
      dues: input.dues,
      updated_by: principal.userId,
    };
    await tx
      .insertInto("association_chapter_years")
      .values({ chapter_id: id, year, ...values })
      .onConflict((oc) =>
        oc.columns(["chapter_id", "year"]).doUpdateSet({ ...values, updated_at: sql`now()` }),
      )
      .execute();
    await bumpAssociationStats(tx, chapter.body_path, old, await contributionOf(tx, chapter));
    await recordAudit(tx, ctx, {
      action: "association.chapter_year.save",
      entityType: "association_chapter",
      entityId: id,
      orgUnitId: chapter.org_unit_id,
      before: before ? { year, ...before } : null,
      after: { year, ...input },
    });
  });
  return getChapter(db, principal, id, year);
}

export async function deleteChapterYear(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  year: number,
  ctx: AuditContext,
) {
  await db.transaction().execute(async (tx) => {
    const chapter = await lockChapter(tx, id);
    authorize(principal, "association.write", targetPath(chapter));
    await lockUnit(tx, chapter.org_unit_id);
    const old = await contributionOf(tx, chapter);
    const removed = await tx
      .deleteFrom("association_chapter_years")
      .where("chapter_id", "=", id)
      .where("year", "=", year)
      .returning(["members", "female", "new_members", sql<string>`dues::text`.as("dues")])
      .executeTakeFirst();
    if (!removed) throw problems.notFound(`số liệu năm ${year} của chi hội này`);
    await bumpAssociationStats(tx, chapter.body_path, old, await contributionOf(tx, chapter));
    await recordAudit(tx, ctx, {
      action: "association.chapter_year.delete",
      entityType: "association_chapter",
      entityId: id,
      orgUnitId: chapter.org_unit_id,
      before: { year, ...removed },
    });
  });
}

// ─── Population ────────────────────────────────────────────────────────────────────────

async function communeById(exec: Exec, id: number) {
  const unit = await unitById(exec, id);
  if (unit.kind !== "commune") throw wrongKind("Dân số được nhập cho từng xã/phường.");
  return unit;
}

/** Members of the commune's own chapters in a year, from the records. */
async function communeMembers(exec: Exec, communeId: number, year: number): Promise<number> {
  const r = await exec
    .selectFrom("association_chapter_years as y")
    .innerJoin("association_chapters as c", "c.id", "y.chapter_id")
    .select(sql<string>`coalesce(sum(y.members), 0)::text`.as("n"))
    .where("c.org_unit_id", "=", communeId)
    .where("y.year", "=", year)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function populationCounted(year: number, population: number | null, members: number): Contribution {
  const c = populationContribution(year, population);
  if (population !== null) c.get(String(year))?.set("members_covered", members);
  return c;
}

export async function savePopulation(
  db: Kysely<DB>,
  principal: Principal,
  unitId: number,
  year: number,
  input: z.infer<typeof PopulationBody> | null,
  ctx: AuditContext,
) {
  await db.transaction().execute(async (tx) => {
    const commune = await communeById(tx, unitId);
    authorize(principal, "association.write", commune.path);
    await lockUnit(tx, commune.id);
    const before = await tx
      .selectFrom("unit_populations")
      .select(["population", "source"])
      .where("org_unit_id", "=", unitId)
      .where("year", "=", year)
      .executeTakeFirst();
    if (input === null && !before) throw problems.notFound(`dân số năm ${year} của xã này`);
    if (input) {
      const values = { population: input.population, source: "entered", updated_by: principal.userId };
      await tx
        .insertInto("unit_populations")
        .values({ org_unit_id: unitId, year, ...values })
        .onConflict((oc) =>
          oc.columns(["org_unit_id", "year"]).doUpdateSet({ ...values, updated_at: sql`now()` }),
        )
        .execute();
    } else {
      await tx
        .deleteFrom("unit_populations")
        .where("org_unit_id", "=", unitId)
        .where("year", "=", year)
        .execute();
    }
    const members = await communeMembers(tx, unitId, year);
    await bumpAssociationStats(
      tx,
      commune.path,
      populationCounted(year, before?.population ?? null, members),
      populationCounted(year, input?.population ?? null, members),
    );
    await recordAudit(tx, ctx, {
      action: input ? "association.population.save" : "association.population.delete",
      entityType: "unit_population",
      entityId: unitId,
      orgUnitId: unitId,
      before: before ? { year, ...before } : null,
      after: input ? { year, population: input.population, source: "entered" } : null,
    });
  });
}

// ─── The body's page ───────────────────────────────────────────────────────────────────

export async function bodyView(db: Kysely<DB>, principal: Principal, unitId: number, year: number) {
  const body = await bodyById(db, unitId);
  // A village chapter head sees the chapters inside his scope (his village's), not the others.
  const complete = isInScope(principal.scopePaths, body.path);
  if (!complete && !principal.scopePaths.some((s) => s.startsWith(body.path))) {
    authorize(principal, "association.read", body.path);
  }
  authorize(principal, "association.read");
  const rows = await selectChapters(db)
    .where("c.org_unit_id", "=", body.id)
    .orderBy(sql`c.dissolved_on is not null`)
    .orderBy("c.sort_key")
    .orderBy("c.id")
    .execute();
  const visible = complete ? rows : rows.filter((c) => isInScope(principal.scopePaths, targetPath(c)));
  const years = await db
    .selectFrom("association_chapter_years")
    .select(["chapter_id", "year", "members", "female", "new_members", sql<string>`dues::text`.as("dues")])
    .where("chapter_id", "in", visible.map((c) => c.id).concat([0]))
    .orderBy("year")
    .execute();
  const yearsBy = new Map<number, Awaited<ReturnType<typeof yearsOf>>>();
  for (const y of years) {
    const list = yearsBy.get(y.chapter_id) ?? [];
    list.push({
      year: y.year,
      members: y.members,
      female: y.female,
      newMembers: y.new_members,
      dues: y.dues,
    });
    yearsBy.set(y.chapter_id, list);
  }
  const population =
    body.kind === "commune" && complete
      ? await db
          .selectFrom("unit_populations")
          .select(["year", "population", "source", "updated_at"])
          .where("org_unit_id", "=", body.id)
          .where("year", "=", year)
          .executeTakeFirst()
      : undefined;
  const canManage = complete && roleGrants(principal.role, "association.manage");
  const linkUnits = canManage
    ? await db
        .selectFrom("org_units")
        .select(["id", "name", "kind"])
        .where("parent_id", "=", body.id)
        .where("kind", "in", ["village", "school", "agency", "enterprise"])
        .where("valid_to", "is", null)
        .orderBy("kind")
        .orderBy("sort_key")
        .execute()
    : [];
  const clans =
    canManage && body.kind === "commune"
      ? await db
          .selectFrom("clans")
          .select(["id", "name"])
          .where("commune_id", "=", body.id)
          .where("active", "=", true)
          .orderBy("sort_key")
          .execute()
      : [];
  return {
    unit: { id: body.id, name: body.name, kind: body.kind, level: body.level },
    year,
    chapters: visible.map((c) => toChapter(c, principal, yearsBy.get(c.id) ?? [], year)),
    complete,
    population: population
      ? {
          year: population.year,
          population: population.population,
          source: population.source,
          updatedAt: new Date(population.updated_at).toISOString(),
        }
      : null,
    canManage,
    canWritePopulation:
      body.kind === "commune" && complete && roleGrants(principal.role, "association.write"),
    linkOptions: { units: linkUnits, clans },
    chapterKinds: [...BODY_CHAPTER_KINDS[body.kind]],
  };
}

// ─── The roll-up ───────────────────────────────────────────────────────────────────────

type FiguresT = z.infer<typeof Figures>;

function figuresOf(m: ReadonlyMap<string, bigint> | undefined, communes: number): FiguresT {
  const n = (k: string) => Number(m?.get(k) ?? 0n);
  const byPrefix = (prefix: string) => {
    const out: Record<string, number> = {};
    for (const [k, v] of m ?? []) if (k.startsWith(prefix) && v > 0n) out[k.slice(prefix.length)] = Number(v);
    return out;
  };
  const share = shareOfPopulation({
    membersCovered: n("members_covered"),
    population: n("population"),
    communesWithPopulation: n("population_units"),
    communes,
  });
  return {
    hasData: n("chapters") > 0,
    chapters: n("chapters"),
    chaptersByKind: byPrefix("chapters:"),
    newChapters: n("new_chapters"),
    newChaptersByKind: byPrefix("new_chapters:"),
    dissolvedChapters: n("dissolved_chapters"),
    members: n("members"),
    female: n("female"),
    newMembers: n("new_members"),
    dues: String(m?.get("dues") ?? 0n),
    population: n("population"),
    membersCovered: n("members_covered"),
    communesWithPopulation: share.communesWithPopulation,
    communes: share.communes,
    percentOfPopulation: share.percent,
    populationComplete: share.complete,
  };
}

export async function associationReport(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; year: number },
): Promise<z.infer<typeof Report>> {
  const periods = Array.from({ length: 5 }, (_, i) => String(query.year - 4 + i));
  const { unit, children, own, of } = await readChildrenSummary(db, principal, {
    action: "association.read",
    table: "association_stats",
    orgUnitId: query.orgUnitId,
    periods,
    childrenValidIn: query.year,
    childKinds: ["province", "cluster", "commune"],
    exact: true,
  });
  // The denominators of "x/y xã có số dân": the communes that existed in each year shown.
  const communesBy = await Promise.all(periods.map((p) => communesInYear(db, unit, Number(p))));
  const inYear = communesBy[communesBy.length - 1] as (typeof communesBy)[number];
  const year = String(query.year);
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind, level: unit.level },
    year: query.year,
    figures: figuresOf(own(year), inYear.total),
    children: children.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      figures: figuresOf(of(c.id, year), inYear.below(c.id)),
    })),
    trend: periods.map((p, i) => {
      const f = figuresOf(own(p), communesBy[i]?.total ?? 0);
      return {
        year: Number(p),
        hasData: f.hasData,
        members: f.members,
        newMembers: f.newMembers,
        percentOfPopulation: f.percentOfPopulation,
        populationComplete: f.populationComplete,
      };
    }),
  };
}
