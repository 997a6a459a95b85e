import { z } from "zod";
import { ACTIONS, ROLES } from "../../authz/policy.ts";
import { PASSWORD_MIN_LENGTH } from "./secrets.ts";

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1).max(40),
  password: z.string().min(1).max(200),
});

export const OrgUnitRef = z.object({
  id: z.number().int(),
  name: z.string(),
  code: z.string().nullable(),
  kind: z.string(),
  path: z.string(),
});

export const CurrentUser = z.object({
  id: z.number().int(),
  username: z.string(),
  fullName: z.string(),
  role: z.enum(ROLES),
  mustChangePassword: z.boolean(),
  scopes: z.array(OrgUnitRef),
  permissions: z.array(z.enum(ACTIONS)),
});

export const SessionResponse = z.object({
  user: CurrentUser,
  /** Send back as the X-CSRF-Token header on every write made with the session cookie. */
  csrfToken: z.string().nullable(),
});

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(PASSWORD_MIN_LENGTH).max(200),
});

export const CreateTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
});

export const ApiTokenInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  hint: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

export const CreatedToken = ApiTokenInfo.extend({
  /** Shown once; only its hash is stored. */
  token: z.string(),
});

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
export const Ok = z.object({ ok: z.literal(true) });
