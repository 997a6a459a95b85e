import { z } from "zod";

const Name = z
  .string()
  .trim()
  .min(2, "Nhập họ và tên đầy đủ.")
  .max(120)
  .refine((s) => !/[<>{}\\0-9]/.test(s), "Họ tên chỉ gồm chữ cái và dấu cách.");
/** Vietnamese phone numbers as people type them: spaces, dots, +84 are accepted. */
const Phone = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s.-]/g, "").replace(/^\+84/, "0"))
  .refine(
    (s) => /^0[0-9]{8,10}$/.test(s),
    "Số điện thoại gồm 9–11 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678).",
  );
const Group = z.number().int().min(1, "Chọn nhóm.").max(4, "Chọn nhóm.");
const BirthYear = z.number().int().min(1900, "Năm sinh không hợp lệ.").max(2100, "Năm sinh không hợp lệ.");

export const PublicRegistrationBody = z.strictObject({
  fullName: Name,
  citizenGroup: Group,
  orgUnitId: z.number().int().positive("Chọn xã, phường hoặc cơ quan, đơn vị."),
  phone: Phone,
  birthYear: BirthYear.optional(),
  /** Left empty by people; filled by bots that fill every field. */
  website: z.string().max(200).optional(),
});

export const PublicRegistrationResult = z.object({
  reference: z.string(),
  unitName: z.string(),
});

export const PublicUnitQuery = z.strictObject({ q: z.string().trim().min(2).max(100) });
export const PublicUnit = z.object({ id: z.number().int(), label: z.string() });

export const CitizenGroupNames = z.array(z.string()).length(4);
export const CitizenGroupsBody = z.strictObject({
  names: z.array(z.string().trim().min(1, "Nhập tên nhóm.").max(200)).length(4),
});

export const CitizenView = z.object({
  id: z.number().int(),
  fullName: z.string(),
  citizenGroup: z.number().int(),
  birthYear: z.number().int().nullable(),
  /** Masked in lists ("0912 *** 678"); an officer calls the citizen to verify. */
  phone: z.string().nullable(),
  orgUnit: z.object({ id: z.number().int(), name: z.string() }),
  status: z.enum(["pending", "verified", "rejected"]),
  source: z.enum(["public", "officer"]),
  flag: z.enum(["burst", "repeat", "trap"]).nullable(),
  rejectReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const CitizenListQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  status: z.enum(["pending", "verified", "rejected"]).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const QueueSummary = z.object({
  pending: z.number().int(),
  flagged: z.number().int(),
  lastHour: z.number().int(),
});

export const DecideCitizensBody = z
  .strictObject({
    ids: z.array(z.number().int().positive()).min(1, "Chọn ít nhất một người.").max(500),
    decision: z.enum(["verify", "reject"]),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((b) => b.decision === "verify" || (b.reason?.length ?? 0) > 0, {
    message: "Nêu lý do không xác nhận.",
    path: ["reason"],
  });

export const CreateCitizenBody = z.strictObject({
  orgUnitId: z.number().int().positive(),
  fullName: Name,
  citizenGroup: Group,
  birthYear: BirthYear.optional(),
  phone: Phone.optional(),
  /** The citizen as a member of a household in the registry, when they are one. */
  householdMemberId: z.number().int().positive().optional(),
});
