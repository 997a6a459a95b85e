import { type Kysely, sql, type Transaction } from "kysely";
import { coversAll, type Principal, type Role } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { foldForSearch, normalizeText } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { generatePassword, hashPassword } from "../auth/secrets.ts";

type Exec = Kysely<DB> | Transaction<DB>;

async function scopesOf(db: Exec, userIds: number[]) {
  if (userIds.length === 0)
    return new Map<number, { id: number; name: string; code: string | null; kind: string; path: string }[]>();
  const rows = await db
    .selectFrom("user_scopes as s")
    .innerJoin("org_units as o", "o.id", "s.org_unit_id")
    .select(["s.user_id", "o.id", "o.name", "o.code", "o.kind", "o.path"])
    .where("s.user_id", "in", userIds)
    .orderBy("o.sort_key")
    .execute();
  const map = new Map<
    number,
    { id: number; name: string; code: string | null; kind: string; path: string }[]
  >();
  for (const { user_id, ...unit } of rows) map.set(user_id, [...(map.get(user_id) ?? []), unit]);
  return map;
}

function view(
  u: {
    id: number;
    username: string;
    full_name: string;
    role: string;
    is_active: boolean;
    must_change_password: boolean;
    locked_until: Date | null;
    created_at: Date;
  },
  scopes: { id: number; name: string; code: string | null; kind: string; path: string }[],
) {
  return {
    id: u.id,
    username: u.username,
    fullName: u.full_name,
    role: u.role as Role,
    isActive: u.is_active,
    mustChangePassword: u.must_change_password,
    lockedUntil:
      u.locked_until && u.locked_until.getTime() > Date.now() ? u.locked_until.toISOString() : null,
    scopes,
    createdAt: u.created_at.toISOString(),
  };
}

const USER_COLUMNS = [
  "id",
  "username",
  "full_name",
  "role",
  "is_active",
  "must_change_password",
  "locked_until",
  "created_at",
] as const;

/**
 * Users an administrator manages: those all of whose scope units lie inside the
 * administrator's own scope (a provincial administrator manages the province's users).
 */
function managedFilter(principal: Principal) {
  return sql<boolean>`not exists (
    select 1 from user_scopes s join org_units o on o.id = s.org_unit_id
    where s.user_id = users.id and not (${sql.join(
      principal.scopePaths.map((p) => sql`o.path like ${`${p}%`}`),
      sql` or `,
    )}))`;
}

export async function listUsers(
  db: Kysely<DB>,
  principal: Principal,
  query: { q?: string | undefined; page: number; pageSize: number },
) {
  authorize(principal, "user.read");
  let base = db.selectFrom("users").where(managedFilter(principal));
  if (query.q) {
    const folded = foldForSearch(query.q).replace(/[\\%_]/g, (c) => `\\${c}`);
    base = base.where((eb) =>
      eb.or([eb("search_key", "like", `%${folded}%`), eb("username", "like", `%${folded}%`)]),
    );
  }
  const rows = await base
    .select(USER_COLUMNS)
    .orderBy("username")
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const total = await base.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  const scopes = await scopesOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => view(r, scopes.get(r.id) ?? [])),
    total: Number(total.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}

async function resolveScopes(tx: Exec, principal: Principal, scopeIds: number[]) {
  const ids = [...new Set(scopeIds)];
  const units = await tx
    .selectFrom("org_units")
    .select(["id", "path", "valid_to"])
    .where("id", "in", ids)
    .execute();
  const missing = ids.filter((id) => !units.some((u) => u.id === id));
  if (missing.length > 0) {
    throw problems.validation([
      { field: "scopeIds", message: `Không tìm thấy đơn vị có mã số ${missing.join(", ")}.` },
    ]);
  }
  if (units.some((u) => u.valid_to !== null)) {
    throw problems.validation([
      { field: "scopeIds", message: "Chỉ phân công đơn vị hiện hành (sau sáp nhập)." },
    ]);
  }
  if (
    !coversAll(
      principal.scopePaths,
      units.map((u) => u.path),
    )
  ) {
    throw problems.validation([
      { field: "scopeIds", message: "Chỉ được phân công đơn vị nằm trong phạm vi của bạn." },
    ]);
  }
  return units;
}

async function loadManaged(tx: Exec, principal: Principal, id: number) {
  const user = await tx
    .selectFrom("users")
    .select(USER_COLUMNS)
    .where("id", "=", id)
    .where(managedFilter(principal))
    .executeTakeFirst();
  if (!user) throw problems.notFound("người dùng này trong phạm vi của bạn");
  return user;
}

export async function createUser(
  db: Kysely<DB>,
  principal: Principal,
  input: {
    username: string;
    fullName: string;
    role: Role;
    scopeIds: number[];
    password?: string | undefined;
  },
  ctx: AuditContext,
) {
  authorize(principal, "user.manage");
  const temporaryPassword = input.password ? null : generatePassword();
  const passwordHash = await hashPassword(input.password ?? (temporaryPassword as string));
  const fullName = normalizeText(input.fullName);
  return db.transaction().execute(async (tx) => {
    const units = await resolveScopes(tx, principal, input.scopeIds);
    const taken = await tx
      .selectFrom("users")
      .select("id")
      .where("username", "=", input.username)
      .executeTakeFirst();
    if (taken)
      throw problems.conflict("username_taken", `Tên đăng nhập "${input.username}" đã có người dùng.`);
    const user = await tx
      .insertInto("users")
      .values({
        username: input.username,
        full_name: fullName,
        search_key: foldForSearch(fullName),
        role: input.role,
        password_hash: passwordHash,
        must_change_password: temporaryPassword !== null,
      })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("user_scopes")
      .values(units.map((u) => ({ user_id: user.id, org_unit_id: u.id })))
      .execute();
    const scopes = (await scopesOf(tx, [user.id])).get(user.id) ?? [];
    const result = view(user, scopes);
    await recordAudit(tx, ctx, {
      action: "user.created",
      entityType: "user",
      entityId: user.id,
      orgUnitId: units[0]?.id ?? null,
      after: { username: result.username, fullName, role: result.role, scopes: scopes.map((s) => s.name) },
    });
    return { user: result, temporaryPassword };
  });
}

export async function updateUser(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: {
    fullName?: string | undefined;
    role?: Role | undefined;
    scopeIds?: number[] | undefined;
    isActive?: boolean | undefined;
  },
  ctx: AuditContext,
) {
  authorize(principal, "user.manage");
  return db.transaction().execute(async (tx) => {
    const before = await loadManaged(tx, principal, id);
    const beforeScopes = (await scopesOf(tx, [id])).get(id) ?? [];
    if (id === principal.userId && (input.isActive === false || (input.role && input.role !== before.role))) {
      throw problems.badRequest(
        "self_lockout",
        "Bạn không thể tự khóa tài khoản hoặc đổi vai trò của chính mình.",
      );
    }
    const fullName = input.fullName !== undefined ? normalizeText(input.fullName) : before.full_name;
    const updated = await tx
      .updateTable("users")
      .set({
        full_name: fullName,
        search_key: foldForSearch(fullName),
        role: input.role ?? before.role,
        is_active: input.isActive ?? before.is_active,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    if (input.scopeIds) {
      const units = await resolveScopes(tx, principal, input.scopeIds);
      await tx.deleteFrom("user_scopes").where("user_id", "=", id).execute();
      await tx
        .insertInto("user_scopes")
        .values(units.map((u) => ({ user_id: id, org_unit_id: u.id })))
        .execute();
    }
    // A disabled account or changed rights take effect at once: its sessions end.
    if (input.isActive === false || input.role || input.scopeIds) {
      await tx.deleteFrom("sessions").where("user_id", "=", id).execute();
    }
    const scopes = (await scopesOf(tx, [id])).get(id) ?? [];
    await recordAudit(tx, ctx, {
      action: "user.updated",
      entityType: "user",
      entityId: id,
      orgUnitId: scopes[0]?.id ?? null,
      before: {
        fullName: before.full_name,
        role: before.role,
        isActive: before.is_active,
        scopes: beforeScopes.map((s) => s.name),
      },
      after: { fullName, role: updated.role, isActive: updated.is_active, scopes: scopes.map((s) => s.name) },
    });
    return view(updated, scopes);
  });
}

/** Set a new temporary password, unlock the account and end its sessions. */
export async function resetPassword(db: Kysely<DB>, principal: Principal, id: number, ctx: AuditContext) {
  authorize(principal, "user.manage");
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword);
  return db.transaction().execute(async (tx) => {
    await loadManaged(tx, principal, id);
    const user = await tx
      .updateTable("users")
      .set({
        password_hash: passwordHash,
        must_change_password: true,
        failed_logins: 0,
        locked_until: null,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    await tx.deleteFrom("sessions").where("user_id", "=", id).execute();
    const scopes = (await scopesOf(tx, [id])).get(id) ?? [];
    await recordAudit(tx, ctx, {
      action: "user.password_reset",
      entityType: "user",
      entityId: id,
      orgUnitId: scopes[0]?.id ?? null,
    });
    return { user: view(user, scopes), temporaryPassword };
  });
}

/**
 * Create a user, or reset one's password, from the command line (no HTTP principal):
 * `xhht user create|reset`. Scope is given by org-unit code; the nation is "VN".
 */
export async function upsertUserFromCli(
  db: Kysely<DB>,
  input: {
    mode: "create" | "reset";
    username: string;
    fullName: string;
    role: Role;
    scopeCode: string;
    password: string;
    mustChange: boolean;
  },
  ctx: AuditContext,
) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom("users")
      .select(["id"])
      .where("username", "=", input.username)
      .executeTakeFirst();
    if (input.mode === "reset") {
      if (!existing) throw new Error(`Không có tài khoản "${input.username}".`);
      await tx
        .updateTable("users")
        .set({
          password_hash: passwordHash,
          must_change_password: input.mustChange,
          failed_logins: 0,
          locked_until: null,
          is_active: true,
          updated_at: new Date(),
        })
        .where("id", "=", existing.id)
        .execute();
      await tx.deleteFrom("sessions").where("user_id", "=", existing.id).execute();
      await recordAudit(tx, ctx, {
        action: "user.password_reset",
        entityType: "user",
        entityId: existing.id,
        orgUnitId: null,
      });
      return existing;
    }
    if (existing)
      throw new Error(`Tên đăng nhập "${input.username}" đã có; dùng "xhht user reset" để đặt lại mật khẩu.`);
    const unit = await tx
      .selectFrom("org_units")
      .select(["id"])
      .where("code", "=", input.scopeCode)
      .where("valid_to", "is", null)
      .orderBy("level")
      .executeTakeFirst();
    if (!unit) throw new Error(`Không tìm thấy đơn vị hiện hành có mã "${input.scopeCode}".`);
    const fullName = normalizeText(input.fullName);
    const user = await tx
      .insertInto("users")
      .values({
        username: input.username,
        full_name: fullName,
        search_key: foldForSearch(fullName),
        role: input.role,
        password_hash: passwordHash,
        must_change_password: input.mustChange,
      })
      .returning(["id", "username"])
      .executeTakeFirstOrThrow();
    await tx.insertInto("user_scopes").values({ user_id: user.id, org_unit_id: unit.id }).execute();
    await recordAudit(tx, ctx, {
      action: "user.created",
      entityType: "user",
      entityId: user.id,
      orgUnitId: unit.id,
      after: { username: user.username, fullName, role: input.role, scope: input.scopeCode },
    });
    return user;
  });
}
