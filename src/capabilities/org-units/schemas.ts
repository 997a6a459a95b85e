import { z } from "zod";
import { ORG_UNIT_KINDS } from "../../domain/org-units.ts";

const Kind = z.enum(ORG_UNIT_KINDS);
const IsoDate = z.iso.date();

export const OrgUnitSummary = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  level: z.number().int(),
  kind: Kind,
  code: z.string().nullable(),
  name: z.string(),
  path: z.string(),
  validFrom: IsoDate.nullable(),
  validTo: IsoDate.nullable(),
  /** False for units that no longer exist (e.g. communes before the 2025 reform). */
  current: z.boolean(),
  childCount: z.number().int(),
});

export const LineageLink = z.object({
  id: z.number().int(),
  code: z.string().nullable(),
  name: z.string(),
  kind: Kind,
  current: z.boolean(),
  /** full: the whole old unit went into the new one; partial: only part of it. */
  share: z.enum(["full", "partial"]),
  effectiveDate: IsoDate,
});

export const OrgUnitListItem = OrgUnitSummary.extend({
  /** For a historical unit: the unit(s) it went into. */
  successors: z.array(LineageLink),
  /** Names of the ancestors below the nation, e.g. ["Tỉnh Thái Nguyên"], for disambiguation. */
  ancestry: z.array(z.string()),
});

export const OrgUnitDetail = OrgUnitSummary.extend({
  ancestors: z.array(OrgUnitSummary.pick({ id: true, name: true, kind: true, code: true, level: true })),
  predecessors: z.array(LineageLink),
  successors: z.array(LineageLink),
  /** Kinds the current user may create under this unit. */
  creatableChildKinds: z.array(Kind),
  /** Whether the current user may create, rename or see the audit of this unit. */
  canWrite: z.boolean(),
});

export const ListQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  level: z.coerce.number().int().min(0).max(10).optional(),
  parentId: z.coerce.number().int().positive().optional(),
  kind: Kind.optional(),
  /** current (default), historical, all. A name search (q) spans history unless told otherwise. */
  status: z.enum(["current", "historical", "all"]).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });

const Name = z
  .string()
  .trim()
  .min(1, "Bắt buộc nhập tên.")
  .max(200)
  .refine((s) => !/[<>{}\\]/.test(s), "Tên không được chứa các ký tự < > { } \\.");
const Code = z
  .string()
  .trim()
  .max(20)
  .regex(/^[A-Za-z0-9._-]+$/, "Mã chỉ gồm chữ không dấu, số và các ký tự . _ -");

export const CreateOrgUnitBody = z.strictObject({
  parentId: z.number().int().positive(),
  kind: Kind,
  name: Name,
  code: Code.optional(),
});

export const UpdateOrgUnitBody = z
  .strictObject({ name: Name.optional(), code: Code.nullable().optional() })
  .refine((b) => b.name !== undefined || b.code !== undefined, "Cần ít nhất một trường để sửa.");

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
