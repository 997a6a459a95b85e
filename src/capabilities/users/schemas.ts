import { z } from "zod";
import { ROLES } from "../../authz/policy.ts";
import { OrgUnitRef } from "../auth/schemas.ts";
import { PASSWORD_MIN_LENGTH } from "../auth/secrets.ts";

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9._-]{3,40}$/,
    "Tên đăng nhập gồm 3–40 ký tự: chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang.",
  );

export const UserView = z.object({
  id: z.number().int(),
  username: z.string(),
  fullName: z.string(),
  role: z.enum(ROLES),
  isActive: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.iso.datetime().nullable(),
  scopes: z.array(OrgUnitRef),
  createdAt: z.iso.datetime(),
});

export const UserListQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const ScopeIds = z.array(z.number().int().positive()).min(1, "Chọn ít nhất một đơn vị phụ trách.").max(50);

export const CreateUserBody = z.strictObject({
  username: Username,
  fullName: z.string().trim().min(1, "Bắt buộc nhập họ tên.").max(120),
  role: z.enum(ROLES),
  scopeIds: ScopeIds,
  /** Omit to have a temporary password generated; the user must change it at first login. */
  password: z.string().min(PASSWORD_MIN_LENGTH).max(200).optional(),
});

export const UpdateUserBody = z.strictObject({
  fullName: z.string().trim().min(1).max(120).optional(),
  role: z.enum(ROLES).optional(),
  scopeIds: ScopeIds.optional(),
  isActive: z.boolean().optional(),
});

export const UserWithPassword = z.object({
  user: UserView,
  /** Present only when the server generated it: hand it to the user; it is not stored in clear. */
  temporaryPassword: z.string().nullable(),
});
