/**
 * The registry's API shapes: households (hộ gia đình) with their members, and clans (dòng họ).
 * Inputs are strict (unknown fields are refused); text is NFC-normalised and trimmed by the
 * service. A national ID (CCCD/CMND) is accepted on input only: outputs carry at most its last
 * four digits ("…1234").
 */
import { z } from "zod";
import { todayInVietnam } from "../../domain/dates.ts";

const Id = z.number().int().positive();

/** The current calendar year in Vietnam (a long-running server crosses New Year's Eve). */
export function currentYear(): number {
  return Number(todayInVietnam().slice(0, 4));
}

export const MIN_BIRTH_YEAR = 1900;
const birthYearMessage = () => `Năm sinh phải từ ${MIN_BIRTH_YEAR} đến ${currentYear()}.`;

const BirthYear = z
  .number({ error: (issue) => (issue.input === undefined ? "Bắt buộc nhập năm sinh." : birthYearMessage()) })
  .int({ error: birthYearMessage })
  .min(MIN_BIRTH_YEAR, { error: birthYearMessage })
  .refine((year) => year <= currentYear(), { error: birthYearMessage });

const PersonName = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Bắt buộc nhập ${what}.`)
    .max(120, "Tối đa 120 ký tự.")
    .refine((s) => !/[<>{}\\]/.test(s), "Tên không được chứa các ký tự < > { } \\.");

const OptionalText = (max: number) => z.string().trim().max(max, `Tối đa ${max} ký tự.`);

/**
 * A citizen identity card number (CCCD, 12 digits) or an old identity card number (CMND,
 * 9 digits). Spaces, dots and dashes typed between groups of digits are ignored.
 */
export const NationalId = z
  .string()
  .transform((s) => s.replace(/[\s.-]/g, ""))
  .refine((s) => /^(\d{12}|\d{9})$/.test(s), "Số CCCD gồm 12 chữ số (CMND cũ: 9 chữ số).");

export const Sex = z.enum(["male", "female"], { error: "Giới tính chỉ nhận: nam (male) hoặc nữ (female)." });

const poorMessage = "Một hộ không thể vừa là hộ nghèo vừa là hộ cận nghèo.";

export const MemberInput = z.strictObject({
  fullName: PersonName("họ và tên"),
  birthYear: BirthYear,
  sex: Sex.optional(),
  ethnicity: OptionalText(60).optional(),
  isHead: z.boolean().optional(),
  /** CCCD (12 digits) or CMND (9 digits); stored only as a keyed hash and its last 4 digits. */
  nationalId: NationalId.optional(),
});

export const MemberPatch = z
  .strictObject({
    fullName: PersonName("họ và tên").optional(),
    birthYear: BirthYear.optional(),
    sex: Sex.nullable().optional(),
    ethnicity: OptionalText(60).nullable().optional(),
    isHead: z.boolean().optional(),
    /** A new number, or null to erase the stored one. */
    nationalId: NationalId.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Cần ít nhất một trường để sửa.");

export const CreateHouseholdBody = z
  .strictObject({
    villageId: Id,
    headName: PersonName("họ tên chủ hộ"),
    address: OptionalText(200).optional(),
    isPoor: z.boolean().optional(),
    isNearPoor: z.boolean().optional(),
    isEthnicMinority: z.boolean().optional(),
    members: z.array(MemberInput).max(50, "Tối đa 50 thành viên trong một hộ.").optional(),
  })
  .superRefine((b, ctx) => {
    if (b.isPoor && b.isNearPoor)
      ctx.addIssue({ code: "custom", path: ["isNearPoor"], message: poorMessage });
    const heads = (b.members ?? []).flatMap((m, i) => (m.isHead ? [i] : []));
    for (const i of heads.slice(1)) {
      ctx.addIssue({ code: "custom", path: ["members", i, "isHead"], message: "Mỗi hộ chỉ có một chủ hộ." });
    }
  });

export const UpdateHouseholdBody = z
  .strictObject({
    headName: PersonName("họ tên chủ hộ").optional(),
    address: OptionalText(200).nullable().optional(),
    isPoor: z.boolean().optional(),
    isNearPoor: z.boolean().optional(),
    isEthnicMinority: z.boolean().optional(),
    /** false: the household moved away or no longer exists (it stays on record). */
    active: z.boolean().optional(),
  })
  .superRefine((b, ctx) => {
    if (Object.keys(b).length === 0)
      ctx.addIssue({ code: "custom", message: "Cần ít nhất một trường để sửa." });
    if (b.isPoor && b.isNearPoor)
      ctx.addIssue({ code: "custom", path: ["isNearPoor"], message: poorMessage });
  });

export const BulkHouseholdsBody = z
  .strictObject({
    action: z.enum(["deactivate", "activate", "addToClan"]),
    ids: z
      .array(Id)
      .min(1, "Chọn ít nhất một hộ.")
      .max(500, "Tối đa 500 hộ mỗi lần.")
      .refine((ids) => new Set(ids).size === ids.length, "Danh sách hộ bị lặp."),
    clanId: Id.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.action === "addToClan" && b.clanId === undefined)
      ctx.addIssue({ code: "custom", path: ["clanId"], message: "Chọn dòng họ." });
    if (b.action !== "addToClan" && b.clanId !== undefined)
      ctx.addIssue({ code: "custom", path: ["clanId"], message: "Chỉ dùng khi thêm vào dòng họ." });
  });

const QueryBool = z.enum(["true", "false"]).transform((v) => v === "true");
const QueryId = z.coerce.number().int().positive();

export const HouseholdListQuery = z.strictObject({
  /** Households of one village. */
  villageId: QueryId.optional(),
  /** Households of every village under this unit (a commune, or a province). */
  orgUnitId: QueryId.optional(),
  /** Same as orgUnitId, for a commune. */
  communeId: QueryId.optional(),
  /** Members of this clan. */
  clanId: QueryId.optional(),
  /** Part of the head's or a member's name, with or without diacritics. */
  q: z.string().trim().max(100).optional(),
  isPoor: QueryBool.optional(),
  isNearPoor: QueryBool.optional(),
  isEthnicMinority: QueryBool.optional(),
  /** true (default): current households; false: moved away; all: both. */
  active: z.enum(["true", "false", "all"]).default("true"),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const Ref = z.object({ id: z.number().int(), name: z.string() });

export const MemberView = z.object({
  id: z.number().int(),
  fullName: z.string(),
  birthYear: z.number().int().nullable(),
  sex: Sex.nullable(),
  ethnicity: z.string().nullable(),
  isHead: z.boolean(),
  /** "…1234" when a CCCD/CMND is on record; the number itself is never returned. */
  nationalIdMasked: z.string().nullable(),
});

export const HouseholdSummary = z.object({
  id: z.number().int(),
  village: Ref,
  headName: z.string(),
  address: z.string().nullable(),
  isPoor: z.boolean(),
  isNearPoor: z.boolean(),
  isEthnicMinority: z.boolean(),
  active: z.boolean(),
  memberCount: z.number().int(),
  clans: z.array(Ref),
  updatedAt: z.iso.datetime(),
});

export const HouseholdDetail = HouseholdSummary.extend({
  members: z.array(MemberView),
  /** The commune the village belongs to (clans are kept per commune). */
  commune: Ref.nullable(),
  /** Whether the current user may edit this household. */
  canWrite: z.boolean(),
});

export const BulkResult = z.object({
  action: z.enum(["deactivate", "activate", "addToClan"]),
  /** Households whose state changed (already-inactive ones are not counted twice). */
  changed: z.number().int(),
  ids: z.array(z.number().int()),
});

// ── Clans ──

const ClanName = z
  .string()
  .trim()
  .min(1, "Bắt buộc nhập tên dòng họ.")
  .max(120, "Tối đa 120 ký tự.")
  .refine((s) => !/[<>{}\\]/.test(s), "Tên không được chứa các ký tự < > { } \\.");

export const CreateClanBody = z.strictObject({
  communeId: Id,
  name: ClanName,
  note: OptionalText(500).optional(),
});

export const UpdateClanBody = z
  .strictObject({
    name: ClanName.optional(),
    note: OptionalText(500).nullable().optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Cần ít nhất một trường để sửa.");

export const ClanHouseholdsBody = z.strictObject({
  householdIds: z
    .array(Id)
    .min(1, "Chọn ít nhất một hộ.")
    .max(500, "Tối đa 500 hộ mỗi lần.")
    .refine((ids) => new Set(ids).size === ids.length, "Danh sách hộ bị lặp."),
});

export const ClanListQuery = z.strictObject({
  communeId: QueryId.optional(),
  q: z.string().trim().max(100).optional(),
  active: z.enum(["true", "false", "all"]).default("true"),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const ClanSummary = z.object({
  id: z.number().int(),
  commune: Ref,
  name: z.string(),
  note: z.string().nullable(),
  active: z.boolean(),
  householdCount: z.number().int(),
  updatedAt: z.iso.datetime(),
});

export const ClanHousehold = z.object({
  id: z.number().int(),
  headName: z.string(),
  village: Ref,
  active: z.boolean(),
  memberCount: z.number().int(),
});

export const ClanDetail = ClanSummary.extend({
  households: z.array(ClanHousehold),
  canWrite: z.boolean(),
});

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
export const MemberParams = z.strictObject({
  id: z.coerce.number().int().positive(),
  memberId: z.coerce.number().int().positive(),
});
export const ClanHouseholdParams = z.strictObject({
  id: z.coerce.number().int().positive(),
  householdId: z.coerce.number().int().positive(),
});
