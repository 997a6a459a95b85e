/**
 * Learning citizens. Anyone may register on the public page without an account; the entry waits
 * in the queue of the chosen commune or unit until an officer there verifies or rejects it.
 * Floods are contained in three ways: a per-address rate limit on the route, a bot trap field,
 * and flags on entries that arrive in a burst or repeat from one sender, which the queue shows.
 */
import { createHash } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { foldForSearch, normalizeText, vietnameseSortKey } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit, recordAudits } from "../audit/audit-writer.ts";
import { bumpSubjectCount } from "../statistics/counters.ts";
import type {
  CitizenListQuery,
  CreateCitizenBody,
  DecideCitizensBody,
  PublicRegistrationBody,
} from "./schemas.ts";

/** The units a citizen belongs to: a commune, or an agency, school, enterprise or commune body. */
export const CITIZEN_UNIT_KINDS = ["commune", "agency", "school", "enterprise", "commune_body"] as const;
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

/** The filters of a citizen list (without its page). */
export type CitizenFilters = Omit<z.infer<typeof CitizenListQuery>, "page" | "pageSize">;

/** The citizens a list shows: under the unit (authorised), the filters applied. */
async function citizenQuery(db: Kysely<DB>, principal: Principal, query: CitizenFilters) {
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
  return base;
}

const CITIZEN_COLUMNS = [
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
] as const;

function citizenView(r: {
  id: number;
  full_name: string;
  citizen_group: number;
  birth_year: number | null;
  phone: string | null;
  status: "pending" | "verified" | "rejected";
  source: "public" | "officer";
  flag: "burst" | "repeat" | "trap" | null;
  reject_reason: string | null;
  created_at: Date;
  unit_id: number;
  unit_name: string;
}) {
  return {
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
  };
}

export async function listCitizens(
  db: Kysely<DB>,
  principal: Principal,
  query: z.infer<typeof CitizenListQuery>,
) {
  const base = await citizenQuery(db, principal, query);
  const rows = await base
    .select(CITIZEN_COLUMNS)
    // Suspicious entries first in the queue, so nobody misses them; then oldest first.
    .orderBy(sql`c.flag is null`)
    .orderBy("c.created_at")
    .orderBy("c.id")
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const total = await base.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  return {
    items: rows.map(citizenView),
    total: Number(total.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * Every citizen of a list, in the list's order (flagged first, then oldest first), `pageSize` at
 * a time by keyset. The instant is carried as PostgreSQL's own text, so no microsecond is lost.
 */
export async function* citizenPages(
  db: Kysely<DB>,
  principal: Principal,
  query: CitizenFilters,
  pageSize = 1000,
) {
  const base = await citizenQuery(db, principal, query);
  type Key = { unflagged: boolean; at: string; id: number };
  const page = (from: Key | null) =>
    base
      .select(CITIZEN_COLUMNS)
      .select([sql<boolean>`c.flag is null`.as("unflagged"), sql<string>`c.created_at::text`.as("at")])
      .$if(from !== null, (q) =>
        q.where(
          sql<boolean>`(c.flag is null, c.created_at, c.id) > (${from?.unflagged}::boolean, ${from?.at}::timestamptz, ${from?.id})`,
        ),
      )
      .orderBy(sql`c.flag is null`)
      .orderBy("c.created_at")
      .orderBy("c.id")
      .limit(pageSize)
      .execute();
  let after: Key | null = null;
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) return;
    yield rows.map(citizenView);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    if (last) after = { unflagged: last.unflagged, at: last.at, id: last.id };
  }
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
  return db.transaction().execute((tx) => decideCitizensIn(tx, principal, input, ctx));
}

/**
 * Verify or reject entries inside the caller's transaction (`decideCitizens` and the Excel
 * import): locked, in scope, the counters and one audit entry per entry changed.
 */
export async function decideCitizensIn(
  tx: Transaction<DB>,
  principal: Principal,
  input: z.infer<typeof DecideCitizensBody>,
  ctx: AuditContext,
) {
  const ids = [...new Set(input.ids)];
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
    const [created] = await createCitizensIn(tx, principal, [input], ctx);
    return created as { id: number };
  });
}

/**
 * Record citizens directly inside the caller's transaction (`createCitizen` with one, the Excel
 * import a batch at a time): each unit a current commune or unit in the officer's scope, each
 * household member in scope and not already a citizen, one insert, the citizen counters of each
 * unit, one audit entry per citizen. All or nothing; returns the ids in the order given.
 */
export async function createCitizensIn(
  tx: Transaction<DB>,
  principal: Principal,
  inputs: readonly z.infer<typeof CreateCitizenBody>[],
  ctx: AuditContext,
): Promise<{ id: number }[]> {
  if (inputs.length === 0) return [];
  const unitRows = await tx
    .selectFrom("org_units")
    .select(["id", "path", "name"])
    .where("id", "in", [...new Set(inputs.map((i) => i.orgUnitId))])
    .where("kind", "in", [...CITIZEN_UNIT_KINDS])
    .where("valid_to", "is", null)
    .execute();
  const units = new Map(unitRows.map((u) => [u.id, u]));
  for (const input of inputs) {
    const unit = units.get(input.orgUnitId);
    if (!unit) {
      throw problems.validation([
        { field: "orgUnitId", message: "Chọn một xã, phường hoặc cơ quan, đơn vị hiện hành." },
      ]);
    }
    authorize(principal, "registry.write", unit.path);
  }
  const memberIds = inputs.flatMap((i) => (i.householdMemberId === undefined ? [] : [i.householdMemberId]));
  if (memberIds.length > 0) {
    const members = await tx
      .selectFrom("household_members as m")
      .innerJoin("households as h", "h.id", "m.household_id")
      .innerJoin("org_units as v", "v.id", "h.village_id")
      .select(["m.id", "v.path"])
      .where("m.id", "in", memberIds)
      .execute();
    const paths = new Map(members.map((m) => [m.id, m.path]));
    for (const id of memberIds) {
      const path = paths.get(id);
      if (path === undefined) {
        throw problems.validation([
          { field: "householdMemberId", message: "Không tìm thấy thành viên hộ này." },
        ]);
      }
      authorize(principal, "registry.read", path);
    }
    const taken = await tx
      .selectFrom("citizens")
      .select("id")
      .where("household_member_id", "in", memberIds)
      .where("status", "!=", "rejected")
      .executeTakeFirst();
    if (taken || new Set(memberIds).size !== memberIds.length) {
      throw problems.conflict(
        "citizen_duplicate",
        "Thành viên hộ này đã có trong danh sách công dân học tập.",
      );
    }
  }
  const rows = await tx
    .insertInto("citizens")
    .values(
      inputs.map((input) => {
        const name = normalizeText(input.fullName);
        return {
          org_unit_id: input.orgUnitId,
          full_name: name,
          search_key: foldForSearch(name),
          sort_key: vietnameseSortKey(name),
          citizen_group: input.citizenGroup,
          birth_year: input.birthYear ?? null,
          phone: input.phone ?? null,
          household_member_id: input.householdMemberId ?? null,
          status: "verified" as const,
          source: "officer" as const,
          decided_at: new Date(),
          decided_by: principal.userId,
        };
      }),
    )
    .returning("id")
    .execute();
  const perUnit = new Map<string, number>();
  for (const input of inputs) {
    const path = (units.get(input.orgUnitId) as { path: string }).path;
    perUnit.set(path, (perUnit.get(path) ?? 0) + 1);
  }
  for (const [path, n] of perUnit) await bumpSubjectCount(tx, path, "citizen", n);
  await recordAudits(
    tx,
    ctx,
    inputs.map((input, i) => ({
      action: "citizen.created",
      entityType: "citizen",
      entityId: rows[i]?.id ?? null,
      orgUnitId: input.orgUnitId,
      after: {
        fullName: normalizeText(input.fullName),
        citizenGroup: input.citizenGroup,
        householdMemberId: input.householdMemberId ?? null,
      },
    })),
  );
  return rows.map((r) => ({ id: r.id }));
}
