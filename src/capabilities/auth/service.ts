import type { Kysely } from "kysely";
import { grantedActions, type Principal, type Role } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { problems } from "../../server/problem.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import {
  dummyPasswordHash,
  hashPassword,
  PASSWORD_MIN_LENGTH,
  randomSecret,
  sha256,
  verifyPassword,
} from "./secrets.ts";

export const SESSION_COOKIE = "xhht_session";
export const SESSION_TTL_MS = 12 * 3600_000;
/** Failed logins in a row before the account is locked, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;

async function loadScopes(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("user_scopes as s")
    .innerJoin("org_units as o", "o.id", "s.org_unit_id")
    .select(["o.id", "o.name", "o.code", "o.kind", "o.path", "o.sort_key"])
    .where("s.user_id", "=", userId)
    .orderBy("o.sort_key")
    .execute();
}

/** A user with their scopes (a row per scope), to be narrowed to one user. */
function principalQuery(db: Kysely<DB>) {
  return db
    .selectFrom("users as u")
    .leftJoin("user_scopes as s", "s.user_id", "u.id")
    .leftJoin("org_units as o", "o.id", "s.org_unit_id")
    .select(["u.id", "u.username", "u.role", "u.is_active", "o.path"])
    .orderBy("o.sort_key");
}

function principalOfRows(
  rows: readonly { id: number; username: string; role: string; is_active: boolean; path: string | null }[],
  via: Principal["via"],
): Principal | null {
  const user = rows[0];
  if (!user?.is_active) return null;
  return {
    userId: user.id,
    username: user.username,
    role: user.role as Role,
    scopePaths: rows.flatMap((r) => (r.path === null ? [] : [r.path])),
    via,
  };
}

export async function principalFor(
  db: Kysely<DB>,
  userId: number,
  via: Principal["via"],
): Promise<Principal | null> {
  return principalOfRows(await principalQuery(db).where("u.id", "=", userId).execute(), via);
}

/**
 * Resolve a session cookie to its principal; refreshes the session's last-seen time. The session,
 * its user and their scopes in one round trip: every request of a signed-in user asks this.
 */
export async function authenticateSession(db: Kysely<DB>, sessionId: string) {
  const idHash = sha256(sessionId);
  const rows = await principalQuery(db)
    .innerJoin("sessions as x", "x.user_id", "u.id")
    .select(["x.csrf_token", "x.expires_at", "x.last_seen_at"])
    .where("x.id_hash", "=", idHash)
    .execute();
  const session = rows[0];
  if (!session || session.expires_at.getTime() < Date.now()) return null;
  const principal = principalOfRows(rows, "session");
  if (!principal) return null;
  // Sliding expiry, written at most once a minute to spare the database.
  if (Date.now() - session.last_seen_at.getTime() > 60_000) {
    await db
      .updateTable("sessions")
      .set({ last_seen_at: new Date(), expires_at: new Date(Date.now() + SESSION_TTL_MS) })
      .where("id_hash", "=", idHash)
      .execute();
  }
  return { principal, csrfToken: session.csrf_token, idHash };
}

/** Resolve a Bearer API token to its principal (token, user and scopes in one round trip). */
export async function authenticateToken(db: Kysely<DB>, token: string) {
  const rows = await principalQuery(db)
    .innerJoin("api_tokens as t", "t.user_id", "u.id")
    .select(["t.id as token_id", "t.last_used_at"])
    .where("t.token_hash", "=", sha256(token))
    .where("t.revoked_at", "is", null)
    .execute();
  const row = rows[0];
  if (!row) return null;
  // "Last used" to the minute: a script's every request writing the same row would serialise
  // them all on its lock (the write benchmark's thousand requests a second use one token).
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db
      .updateTable("api_tokens")
      .set({ last_used_at: new Date() })
      .where("id", "=", row.token_id)
      .execute();
  }
  return principalOfRows(rows, "token");
}

export async function login(
  db: Kysely<DB>,
  input: { username: string; password: string },
  ctx: AuditContext,
): Promise<{ sessionId: string; csrfToken: string; userId: number }> {
  const username = input.username.toLowerCase();
  const user = await db
    .selectFrom("users")
    .select(["id", "username", "password_hash", "is_active", "failed_logins", "locked_until"])
    .where("username", "=", username)
    .executeTakeFirst();
  const invalid = problems.unauthenticated("Tên đăng nhập hoặc mật khẩu không đúng.");
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw invalid;
  }
  const scopeUnit = (await loadScopes(db, user.id))[0]?.id ?? null;
  const auditCtx = { ...ctx, userId: user.id, username: user.username };
  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    const minutes = Math.ceil((user.locked_until.getTime() - Date.now()) / 60_000);
    throw problems.locked(
      `Tài khoản tạm khóa vì nhập sai mật khẩu ${MAX_FAILED_LOGINS} lần. Vui lòng thử lại sau ${minutes} phút hoặc nhờ quản trị viên đặt lại mật khẩu.`,
    );
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const failed = user.failed_logins + 1;
    const lock = failed >= MAX_FAILED_LOGINS;
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable("users")
        .set({
          failed_logins: lock ? 0 : failed,
          locked_until: lock ? new Date(Date.now() + LOCKOUT_MS) : null,
        })
        .where("id", "=", user.id)
        .execute();
      await recordAudit(tx, auditCtx, {
        action: lock ? "auth.locked" : "auth.login_failed",
        entityType: "user",
        entityId: user.id,
        orgUnitId: scopeUnit,
        after: { failedLogins: failed },
      });
    });
    throw invalid;
  }
  if (!user.is_active)
    throw problems.forbidden("Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.");

  const sessionId = randomSecret();
  const csrfToken = randomSecret();
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable("users")
      .set({ failed_logins: 0, locked_until: null })
      .where("id", "=", user.id)
      .execute();
    await tx
      .insertInto("sessions")
      .values({
        id_hash: sha256(sessionId),
        user_id: user.id,
        csrf_token: csrfToken,
        expires_at: new Date(Date.now() + SESSION_TTL_MS),
        ip: ctx.ip,
        user_agent: ctx.userAgent,
      })
      .execute();
    // Expired sessions of this user are removed as they log in again: no sweeper job needed.
    await tx
      .deleteFrom("sessions")
      .where("user_id", "=", user.id)
      .where("expires_at", "<", new Date())
      .execute();
    await recordAudit(tx, auditCtx, {
      action: "auth.login",
      entityType: "user",
      entityId: user.id,
      orgUnitId: scopeUnit,
    });
  });
  return { sessionId, csrfToken, userId: user.id };
}

export async function logout(db: Kysely<DB>, idHash: string) {
  await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

export async function currentUser(db: Kysely<DB>, userId: number) {
  const user = await db
    .selectFrom("users")
    .select(["id", "username", "full_name", "role", "must_change_password"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const scopes = await loadScopes(db, userId);
  return {
    id: user.id,
    username: user.username,
    fullName: user.full_name,
    role: user.role as Role,
    mustChangePassword: user.must_change_password,
    scopes: scopes.map(({ sort_key: _, ...s }) => s),
    permissions: grantedActions(user.role as Role),
  };
}

export async function changePassword(
  db: Kysely<DB>,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
  keepSessionHash: string | null,
  ctx: AuditContext,
) {
  const user = await db
    .selectFrom("users")
    .select(["password_hash"])
    .where("id", "=", principal.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw problems.validation([{ field: "currentPassword", message: "Mật khẩu hiện tại không đúng." }]);
  }
  if (input.newPassword === input.currentPassword) {
    throw problems.validation([
      { field: "newPassword", message: "Mật khẩu mới phải khác mật khẩu hiện tại." },
    ]);
  }
  if (input.newPassword.length < PASSWORD_MIN_LENGTH) {
    throw problems.validation([
      { field: "newPassword", message: `Cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự.` },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable("users")
      .set({ password_hash: passwordHash, must_change_password: false, updated_at: new Date() })
      .where("id", "=", principal.userId)
      .execute();
    // Every other session of this user ends: a stolen session does not survive a password change.
    let others = tx.deleteFrom("sessions").where("user_id", "=", principal.userId);
    if (keepSessionHash) others = others.where("id_hash", "!=", keepSessionHash);
    await others.execute();
    await recordAudit(tx, ctx, {
      action: "auth.password_changed",
      entityType: "user",
      entityId: principal.userId,
      orgUnitId: null,
    });
  });
}

function tokenInfo(row: {
  id: number;
  name: string;
  token_hint: string;
  created_at: Date;
  last_used_at: Date | null;
}) {
  return {
    id: row.id,
    name: row.name,
    hint: row.token_hint,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

export async function listTokens(db: Kysely<DB>, principal: Principal) {
  const rows = await db
    .selectFrom("api_tokens")
    .select(["id", "name", "token_hint", "created_at", "last_used_at"])
    .where("user_id", "=", principal.userId)
    .where("revoked_at", "is", null)
    .orderBy("id")
    .execute();
  return rows.map(tokenInfo);
}

export async function createToken(db: Kysely<DB>, principal: Principal, name: string, ctx: AuditContext) {
  const token = `xhht_${randomSecret()}`;
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto("api_tokens")
      .values({ user_id: principal.userId, name, token_hash: sha256(token), token_hint: token.slice(-4) })
      .returning(["id", "name", "token_hint", "created_at", "last_used_at"])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: "auth.token_created",
      entityType: "api_token",
      entityId: row.id,
      orgUnitId: null,
      after: { name },
    });
    return { ...tokenInfo(row), token };
  });
}

export async function revokeToken(db: Kysely<DB>, principal: Principal, id: number, ctx: AuditContext) {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable("api_tokens")
      .set({ revoked_at: new Date() })
      .where("id", "=", id)
      .where("user_id", "=", principal.userId)
      .where("revoked_at", "is", null)
      .returning(["id", "name"])
      .executeTakeFirst();
    if (!row) throw problems.notFound("mã truy cập (API token) này");
    await recordAudit(tx, ctx, {
      action: "auth.token_revoked",
      entityType: "api_token",
      entityId: id,
      orgUnitId: null,
    });
  });
}
