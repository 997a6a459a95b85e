/**
 * Learning citizens. Anyone may register on the public page without an account; the entry waits
 * in the queue of the chosen commune or unit until an officer there verifies or rejects it.
 * Floods are contained in three ways: a per-address rate limit on the route, a bot trap field,
 * and flags on entries that arrive in a burst or repeat from one sender, which the queue shows.
 */
import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { z } from "zod";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { foldForSearch, normalizeText, vietnameseSortKey } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { bumpSubjectCount } from "../statistics/counters.ts";
import type {
  CitizenListQuery,
  CreateCitizenBody,
  DecideCitizensBody,
  PublicRegistrationBody,
} from "./schemas.ts";

const CITIZEN_UNIT_KINDS = ["commune", "agency", "school", "enterprise", "commune_body"] as const;
export const CITIZEN_GROUPS_SETTING = "citizen_group_names";

/**
 * Names of the four citizen groups of the Công dân học tập programme. The defaults are neutral:
 * the official wording was not found (see resources/criteria-frameworks/README.md); an
 * administrator names them under "Bộ tiêu chí".
 */
export const DEFAULT_CITIZEN_GROUPS = ["Nhóm 1", "Nhóm 2", "Nhóm 3", "Nhóm 4"];

/** More public entries than this for one unit within an hour are flagged as a burst. */
export const BURST_PER_UNIT_PER_HOUR = 30;
/** More entries than this from one sender within a day are flagged as repeats. */
export const REPEATS_PER_SENDER_PER_DAY = 3;

export async function citizenGroupNames(db: Kysely<DB>): Promise<string[]> {
  const row = await db
    .selectFrom("app_settings")
    .select("value")
    .where("key", "=", CITIZEN_GROUPS_SETTING)
    .executeTakeFirst();
  const names = row?.value;
  return Array.isArray(names) && names.length === 4 ? names.map(String) : DEFAULT_CITIZEN_GROUPS;
}

export async function setCitizenGroupNames(
  db: Kysely<DB>,
  principal: Principal,
  names: string[],
  ctx: AuditContext,
) {
  authorize(principal, "framework.manage");
  const nation = await db
    .selectFrom("org_units")
    .select("path")
    .where("level", "=", 0)
    .executeTakeFirstOrThrow();
  authorize(principal, "framework.manage", nation.path);
  const clean = names.map(normalizeText);
  await db.transaction().execute(async (tx) => {
    const before = await citizenGroupNames(tx);
    await tx
      .insertInto("app_settings")
      .values({ key: CITIZEN_GROUPS_SETTING, value: JSON.stringify(clean) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(clean) }))
      .execute();
    await recordAudit(tx, ctx, {
      action: "citizen_groups.renamed",
      entityType: "setting",
      entityId: CITIZEN_GROUPS_SETTING,
      orgUnitId: null,
      before,
      after: clean,
    });
  });
  return clean;
}

/** Communes and units a citizen can choose, by name without diacritics; names only. */
export async function publicUnits(db: Kysely<DB>, q: string) {
  const folded = `%${foldForSearch(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom("org_units as u")
    .innerJoin("org_units as p", "p.id", "u.parent_id")
    .select(["u.id", "u.name", "p.name as parent_name"])
    .where("u.kind", "in", [...CITIZEN_UNIT_KINDS])
    .where("u.valid_to", "is", null)
    .where("u.search_key", "like", folded)
    .orderBy("u.level")
    .orderBy("u.sort_key")
    .limit(10)
    .execute();
  return rows.map((r) => ({ id: r.id, label: `${r.name} — ${r.parent_name}` }));
}

function clientHash(ip: string, day: string) {
  return createHash("sha256").update(`${ip}|${day}`).digest("hex");
}

export async function registerPublicly(
  db: Kysely<DB>,
  input: z.infer<typeof PublicRegistrationBody>,
  ip: string,
  ctx: AuditContext,
) {
  const day = new Date().toISOString().slice(0, 10);
  const sender = clientHash(ip, day);
  return db.transaction().execute(async (tx) => {
    const unit = await tx
      .selectFrom("org_units")
      .select(["id", "name", "path"])
      .where("id", "=", input.orgUnitId)
      .where("kind", "in", [...CITIZEN_UNIT_KINDS])
      .where("valid_to", "is", null)
      .executeTakeFirst();
    if (!unit) {
      throw problems.validation([
        { field: "orgUnitId", message: "Chọn xã, phường hoặc cơ quan, đơn vị trong danh sách." },
      ]);
    }
    const [burst, repeats] = await Promise.all([
      tx
        .selectFrom("citizens")
        .select(sql<number>`count(*)`.as("n"))
        .where("org_unit_id", "=", unit.id)
        .where("source", "=", "public")
        .where("created_at", ">", sql<Date>`now() - interval '1 hour'`)
        .executeTakeFirstOrThrow(),
      tx
        .selectFrom("citizens")
        .select(sql<number>`count(*)`.as("n"))
        .where("client_hash", "=", sender)
        .executeTakeFirstOrThrow(),
    ]);
    const flag = input.website
      ? ("trap" as const)
      : Number(repeats.n) >= REPEATS_PER_SENDER_PER_DAY
        ? ("repeat" as const)
        : Number(burst.n) >= BURST_PER_UNIT_PER_HOUR
          ? ("burst" as const)
          : null;
    const name = normalizeText(input.fullName);
    const row = await tx
      .insertInto("citizens")
      .values({
        org_unit_id: unit.id,
        full_name: name,
        search_key: foldForSearch(name),
        sort_key: vietnameseSortKey(name),
        citizen_group: input.citizenGroup,
        birth_year: input.birthYear ?? null,
        phone: input.phone,
        source: "public",
        flag,
        client_hash: sender,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: "citizen.registered_publicly",
      entityType: "citizen",
      entityId: row.id,
      orgUnitId: unit.id,
      after: { fullName: name, citizenGroup: input.citizenGroup, flag },
    });
    return { reference: `CD-${row.id}`, unitName: unit.name };
  });
}

function maskPhone(phone: string | null) {
  if (!phone) return null;
  return `${phone.slice(0, 4)} *** ${phone.slice(-3)}`;
}

async function unitInScope(
  db: Kysely<DB>,
  principal: Principal,
  action: "registry.read" | "registry.write",
  id: number,
) {
  const unit = await db
    .selectFrom("org_units")
    .select(["id", "path"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  authorize(principal, action, unit.path);
  return unit;
}

export async function listCitizens(
  db: Kysely<DB>,
  principal: Principal,
  query: z.infer<typeof CitizenListQuery>,
) {
  const unit = await unitInScope(db, principal, "registry.read", query.orgUnitId);
  let base = db
    .selectFrom("citizens as c")
    .innerJoin("org_units as u", "u.id", "c.org_unit_id")
    .where("u.path", "like", `${unit.path}%`);
  if (query.status) base = base.where("c.status", "=", query.status);
  if (query.q)
    base = base.where(
      "c.search_key",
      "like",
      `%${foldForSearch(query.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    );
  const rows = await base
    .select([
      "c.id",
      "c.full_name",
      "c.citizen_group",
      "c.birth_year",
      "c.phone",
      "c.status",
      "c.source",
      "c.flag",
      "c.reject_reason",
      "c.created_at",
      "u.id as unit_id",
      "u.name as unit_name",
    ])
    // Suspicious entries first in the queue, so nobody misses them; then oldest first.
    .orderBy(sql`c.flag is null`)
    .orderBy("c.created_at")
    .orderBy("c.id")
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const total = await base.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  return {
    items: rows.map((r) => ({
      id: r.id,
      fullName: r.full_name,
      citizenGroup: r.citizen_group,
      birthYear: r.birth_year,
      phone: maskPhone(r.phone),
      orgUnit: { id: r.unit_id, name: r.unit_name },
      status: r.status,
      source: r.source,
      flag: r.flag,
      rejectReason: r.reject_reason,
      createdAt: r.created_at.toISOString(),
    })),
    total: Number(total.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** How the queue looks: waiting entries, suspicious ones, and how many arrived in the last hour. */
export async function queueSummary(db: Kysely<DB>, principal: Principal, orgUnitId: number) {
  const unit = await unitInScope(db, principal, "registry.read", orgUnitId);
  const row = await db
    .selectFrom("citizens as c")
    .innerJoin("org_units as u", "u.id", "c.org_unit_id")
    .where("u.path", "like", `${unit.path}%`)
    .where("c.status", "=", "pending")
    .select([
      sql<number>`count(*)`.as("pending"),
      sql<number>`count(*) filter (where c.flag is not null)`.as("flagged"),
      sql<number>`count(*) filter (where c.created_at > now() - interval '1 hour')`.as("last_hour"),
    ])
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), flagged: Number(row.flagged), lastHour: Number(row.last_hour) };
}

/** Verify or reject queued entries, all or nothing; verified citizens count in the statistics. */
export async function decideCitizens(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof DecideCitizensBody>,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  const ids = [...new Set(input.ids)];
  return db.transaction().execute(async (tx) => {
    await sql`select id from citizens where id in (${sql.join(ids)}) order by id for update`.execute(tx);
    const rows = await tx
      .selectFrom("citizens as c")
      .innerJoin("org_units as u", "u.id", "c.org_unit_id")
      .select(["c.id", "c.status", "c.full_name", "u.id as unit_id", "u.path"])
      .where("c.id", "in", ids)
      .execute();
    if (rows.length !== ids.length) throw problems.notFound("một số người trong danh sách");
    for (const r of rows) authorize(principal, "registry.write", r.path);
    const to = input.decision === "verify" ? "verified" : "rejected";
    let changed = 0;
    for (const r of rows) {
      if (r.status === to) continue;
      await tx
        .updateTable("citizens")
        .set({
          status: to,
          decided_at: new Date(),
          decided_by: principal.userId,
          reject_reason: to === "rejected" ? (input.reason ?? null) : null,
        })
        .where("id", "=", r.id)
        .execute();
      if (to === "verified") await bumpSubjectCount(tx, r.path, "citizen", 1);
      if (r.status === "verified") await bumpSubjectCount(tx, r.path, "citizen", -1);
      await recordAudit(tx, ctx, {
        action: to === "verified" ? "citizen.verified" : "citizen.rejected",
        entityType: "citizen",
        entityId: r.id,
        orgUnitId: r.unit_id,
        before: { status: r.status },
        after: { status: to, reason: input.reason },
      });
      changed++;
    }
    return { changed, unchanged: rows.length - changed };
  });
}

/**
 * An officer records a citizen directly (verified at once), in a commune or a unit, optionally
 * as a member of a household of the registry (which must lie in the officer's scope).
 */
export async function createCitizen(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof CreateCitizenBody>,
  ctx: AuditContext,
) {
  authorize(principal, "registry.write");
  return db.transaction().execute(async (tx) => {
    const unit = await tx
      .selectFrom("org_units")
      .select(["id", "path", "name"])
      .where("id", "=", input.orgUnitId)
      .where("kind", "in", [...CITIZEN_UNIT_KINDS])
      .where("valid_to", "is", null)
      .executeTakeFirst();
    if (!unit) {
      throw problems.validation([
        { field: "orgUnitId", message: "Chọn một xã, phường hoặc cơ quan, đơn vị hiện hành." },
      ]);
    }
    authorize(principal, "registry.write", unit.path);
    if (input.householdMemberId !== undefined) {
      const member = await tx
        .selectFrom("household_members as m")
        .innerJoin("households as h", "h.id", "m.household_id")
        .innerJoin("org_units as v", "v.id", "h.village_id")
        .select(["v.path"])
        .where("m.id", "=", input.householdMemberId)
        .executeTakeFirst();
      if (!member) {
        throw problems.validation([
          { field: "householdMemberId", message: "Không tìm thấy thành viên hộ này." },
        ]);
      }
      authorize(principal, "registry.read", member.path);
      const taken = await tx
        .selectFrom("citizens")
        .select("id")
        .where("household_member_id", "=", input.householdMemberId)
        .where("status", "!=", "rejected")
        .executeTakeFirst();
      if (taken) {
        throw problems.conflict(
          "citizen_duplicate",
          "Thành viên hộ này đã có trong danh sách công dân học tập.",
        );
      }
    }
    const name = normalizeText(input.fullName);
    const row = await tx
      .insertInto("citizens")
      .values({
        org_unit_id: unit.id,
        full_name: name,
        search_key: foldForSearch(name),
        sort_key: vietnameseSortKey(name),
        citizen_group: input.citizenGroup,
        birth_year: input.birthYear ?? null,
        phone: input.phone ?? null,
        household_member_id: input.householdMemberId ?? null,
        status: "verified",
        source: "officer",
        decided_at: new Date(),
        decided_by: principal.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await bumpSubjectCount(tx, unit.path, "citizen", 1);
    await recordAudit(tx, ctx, {
      action: "citizen.created",
      entityType: "citizen",
      entityId: row.id,
      orgUnitId: unit.id,
      after: {
        fullName: name,
        citizenGroup: input.citizenGroup,
        householdMemberId: input.householdMemberId ?? null,
      },
    });
    return { id: row.id };
  });
}
