/**
 * The study promotion fund's API shapes.
 *
 * Money crosses the API in two ways, on purpose:
 * - in requests, an amount is a JSON integer of đồng, 1 … 2^53 − 1 (an entry never needs more,
 *   and a JSON number is exact up to there); zero, negatives, decimals and strings are refused
 *   with a Vietnamese message;
 * - in responses, every amount (an entry's, a balance, a total) is a string of digits, because a
 *   sum can pass 2^53 and a JSON number would silently round it. Clients read them as BigInt.
 */
import { z } from "zod";
import { DONOR_TYPES, ENTRY_KINDS, FUND_KINDS, PUPIL_LEVELS, PURPOSES } from "../../domain/fund/ledger.ts";
import { MAX_ENTRY_AMOUNT } from "../../domain/fund/money.ts";
import { normalizeText } from "../../domain/text.ts";

export const AMOUNT_MESSAGES = {
  missing: "Nhập số tiền.",
  notNumber: "Số tiền phải là một số nguyên đồng, ví dụ 2364000000.",
  decimal: "Số tiền phải là số nguyên đồng, không có phần thập phân.",
  notPositive: "Số tiền phải lớn hơn 0 đồng.",
  tooLarge: "Số tiền quá lớn: một bút toán tối đa 9.007.199.254.740.991 đồng.",
} as const;

/** An amount in a request: a JSON integer of đồng. */
export const Amount = z
  .number({
    error: (issue) => (issue.input === undefined ? AMOUNT_MESSAGES.missing : AMOUNT_MESSAGES.notNumber),
  })
  .int({
    error: (issue) =>
      typeof issue.input === "number" && Math.abs(issue.input) > MAX_ENTRY_AMOUNT
        ? AMOUNT_MESSAGES.tooLarge
        : AMOUNT_MESSAGES.decimal,
  })
  .min(1, { error: AMOUNT_MESSAGES.notPositive })
  .max(MAX_ENTRY_AMOUNT, { error: AMOUNT_MESSAGES.tooLarge })
  .meta({ description: "Số tiền (đồng): số nguyên dương, tối đa 2^53 − 1." });

/** An amount in a response: a string of digits (sums may exceed 2^53). */
export const Money = z
  .string()
  .regex(/^-?\d+$/)
  .meta({ description: 'Số tiền (đồng) dạng chuỗi chữ số, ví dụ "2364000000".' });

/** Free text, NFC-normalised and trimmed; empty means absent. */
const Text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => normalizeText(s))
    .transform((s) => (s === "" ? undefined : s));

const RequiredText = (max: number, message: string) =>
  z
    .string({ error: message })
    .max(max)
    .transform((s) => normalizeText(s))
    .refine((s) => s.length > 0, { message });

const IsoDate = z.iso.date({ error: "Ngày phải có dạng YYYY-MM-DD." });
const Year = z.number().int().min(2000, "Năm không hợp lệ.").max(2100, "Năm không hợp lệ.");

/** Sent by the client with a posting; the same key twice records the posting once. */
const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,100}$/, "Mã chống ghi trùng gồm 8–100 ký tự chữ, số, . _ : -")
  .meta({ description: "Khóa chống ghi trùng: gửi lại cùng khóa thì bút toán chỉ được ghi một lần." });

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
export const EntryParam = z.strictObject({
  id: z.coerce.number().int().positive(),
  entryId: z.coerce.number().int().positive(),
});
export const YearParam = z.strictObject({
  id: z.coerce.number().int().positive(),
  year: z.coerce.number().int().min(2000).max(2100),
});

// ─── Funds ──────────────────────────────────────────────────────────────────────────────

export const CreateFundBody = z
  .strictObject({
    orgUnitId: z.number().int().positive(),
    kind: z.enum(FUND_KINDS),
    /** Required for a named fund; a general fund is called "Quỹ khuyến học <unit>" by default. */
    name: Text(200).optional(),
    fiscalYearStartMonth: z
      .number()
      .int()
      .min(1, "Tháng bắt đầu năm từ 1 đến 12.")
      .max(12, "Tháng bắt đầu năm từ 1 đến 12.")
      .default(1),
    startYear: Year,
    /** The balance carried over from the books kept before (e.g. 450.000.000 đ from 2023). */
    openingBalance: z
      .number({ error: AMOUNT_MESSAGES.notNumber })
      .int({ error: AMOUNT_MESSAGES.decimal })
      .min(0, { error: "Số dư chuyển sang không được âm." })
      .max(MAX_ENTRY_AMOUNT, { error: AMOUNT_MESSAGES.tooLarge })
      .optional(),
    openingNote: Text(500).optional(),
  })
  .refine((b) => b.kind === "general" || (b.name ?? "").length > 0, {
    message: "Nhập tên quỹ (ví dụ: Quỹ học bổng Ninh Hòa).",
    path: ["name"],
  });

export const FundListQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  /** Also the funds of the units below (a province sees its communes' funds). */
  subtree: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

const UnitRef = z.object({ id: z.number().int(), name: z.string(), kind: z.string() });

export const FundSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(FUND_KINDS),
  orgUnit: UnitRef,
  fiscalYearStartMonth: z.number().int(),
  startYear: z.number().int(),
  currentYear: z.number().int(),
  lastClosedYear: z.number().int().nullable(),
  balance: Money,
});

export const FundYear = z.object({
  year: z.number().int(),
  label: z.string(),
  from: IsoDate,
  to: IsoDate,
  status: z.enum(["open", "closed"]),
  closingBalance: Money.nullable(),
  closedAt: z.iso.datetime().nullable(),
  published: z.boolean(),
  /** Whether the year has ended, so it may be closed (in order). */
  ended: z.boolean(),
});

export const FundDetail = FundSummary.extend({
  ancestry: z.array(z.string()),
  years: z.array(FundYear),
  /** The carried-over opening entry in force (not reversed), if any. */
  opening: z.object({ entryId: z.number().int(), amount: Money }).nullable(),
  balanceInWords: z.string(),
  can: z.object({ write: z.boolean(), manage: z.boolean(), reopen: z.boolean() }),
});

// ─── Entries ────────────────────────────────────────────────────────────────────────────

const EntryBase = {
  date: IsoDate,
  description: Text(1000).optional(),
  documentRef: Text(100).optional(),
  idempotencyKey: IdempotencyKey.optional(),
};

export const ReceiptBody = z.strictObject({
  ...EntryBase,
  amount: Amount,
  donorType: z.enum(DONOR_TYPES, { error: "Chọn nguồn thu." }),
  donorName: Text(200).optional(),
  /** The purpose the donor earmarked the money for, if any. */
  earmark: Text(500).optional(),
});

export const PupilLine = z.strictObject({
  pupilName: RequiredText(120, "Nhập họ tên người nhận."),
  school: Text(200).optional(),
  level: z.enum(PUPIL_LEVELS).optional(),
  amount: Amount,
});

export const DisbursementBody = z
  .strictObject({
    ...EntryBase,
    amount: Amount,
    purpose: z.enum(PURPOSES, { error: "Chọn mục chi." }),
    /** Number of awards or people helped (suất học bổng, em được đỡ đầu…). */
    beneficiaries: z
      .number({ error: "Số người nhận phải là số nguyên." })
      .int("Số người nhận phải là số nguyên.")
      .min(0, "Số người nhận không được âm.")
      .max(10_000_000)
      .optional(),
    /** Optional list of recipients; their amounts must add up to the total. */
    lines: z.array(PupilLine).max(5000, "Tối đa 5.000 người trong một bút toán.").optional(),
  })
  .superRefine((b, ctx) => {
    const lines = b.lines ?? [];
    if (lines.length > 0) {
      const sum = lines.reduce((s, l) => s + BigInt(Number.isSafeInteger(l.amount) ? l.amount : 0), 0n);
      if (sum !== BigInt(Number.isSafeInteger(b.amount) ? b.amount : 0)) {
        ctx.addIssue({
          code: "custom",
          path: ["lines"],
          message: `Tổng tiền của danh sách (${sum.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".")} đồng) phải bằng số tiền chi.`,
        });
      }
      if (b.beneficiaries !== undefined && b.beneficiaries !== lines.length) {
        ctx.addIssue({
          code: "custom",
          path: ["beneficiaries"],
          message: `Số người nhận (${b.beneficiaries}) khác số dòng trong danh sách (${lines.length}).`,
        });
      }
    }
  });

export const TransferBody = z.strictObject({
  ...EntryBase,
  amount: Amount,
  toFundId: z.number({ error: "Chọn quỹ nhận." }).int().positive(),
});

export const ReverseBody = z.strictObject({
  reason: RequiredText(500, "Nêu lý do đảo bút toán."),
  /** Date of the reversal; today by default. A carried-over opening is reversed on its own date. */
  date: IsoDate.optional(),
  idempotencyKey: IdempotencyKey.optional(),
});

export const OpeningBody = z.strictObject({
  amount: Amount,
  description: Text(500).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});

export const EntryView = z.object({
  id: z.number().int(),
  fundId: z.number().int(),
  kind: z.enum(ENTRY_KINDS),
  kindLabel: z.string(),
  amount: Money,
  /** The effect on the balance: negative for money out, and for the reversal of money in. */
  signedAmount: Money,
  date: IsoDate,
  fiscalYear: z.number().int(),
  donorType: z.enum(DONOR_TYPES).nullable(),
  donorName: z.string().nullable(),
  earmark: z.string().nullable(),
  purpose: z.enum(PURPOSES).nullable(),
  /** The donor type or the purpose, in words. */
  categoryLabel: z.string().nullable(),
  beneficiaries: z.number().int().nullable(),
  description: z.string().nullable(),
  documentRef: z.string().nullable(),
  transferId: z.number().int().nullable(),
  /** The other fund of a transfer. */
  counterpart: z.object({ fundId: z.number().int(), fundName: z.string(), unitName: z.string() }).nullable(),
  reversalOf: z.number().int().nullable(),
  reversedBy: z.object({ id: z.number().int(), date: IsoDate }).nullable(),
  lineCount: z.number().int(),
  balanceAfter: Money.nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const EntryDetail = EntryView.extend({
  lines: z.array(
    z.object({
      pupilName: z.string(),
      school: z.string().nullable(),
      level: z.enum(PUPIL_LEVELS).nullable(),
      levelLabel: z.string().nullable(),
      amount: Money,
    }),
  ),
});

export const PostingResult = z.object({
  /** The entry posted (first) and, for a transfer or its reversal, the other fund's leg. */
  entries: z.array(EntryView),
  /** True when the idempotency key had been used: nothing new was recorded. */
  replayed: z.boolean(),
  balance: Money,
});

export const EntryListQuery = z
  .strictObject({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    kind: z.enum(ENTRY_KINDS).optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: "Ngày bắt đầu phải trước ngày kết thúc.",
    path: ["from"],
  });

export const TransferTarget = z.object({
  id: z.number().int(),
  name: z.string(),
  orgUnit: UnitRef,
  /** "up": a body above (province, nation); "own": within the user's units. */
  relation: z.enum(["up", "own"]),
});

// ─── Years ──────────────────────────────────────────────────────────────────────────────

export const ReopenBody = z.strictObject({
  reason: RequiredText(500, "Nêu lý do mở lại sổ."),
});

export const PublicationBody = z.strictObject({ published: z.boolean() });

// ─── Statements ─────────────────────────────────────────────────────────────────────────

export const StatementQuery = z
  .strictObject({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .refine((q) => (q.year !== undefined) !== (q.from !== undefined || q.to !== undefined), {
    message: "Chọn một năm, hoặc một khoảng thời gian (từ ngày, đến ngày).",
    path: ["year"],
  })
  .refine((q) => q.year !== undefined || (q.from !== undefined && q.to !== undefined), {
    message: "Nhập cả ngày bắt đầu và ngày kết thúc.",
    path: ["to"],
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: "Ngày bắt đầu phải trước ngày kết thúc.",
    path: ["from"],
  });

const MoneyWithWords = z.object({ amount: Money, inWords: z.string() });

export const Statement = z.object({
  fund: z.object({
    id: z.number().int(),
    name: z.string(),
    orgUnit: UnitRef,
    ancestry: z.array(z.string()),
  }),
  period: z.object({
    from: IsoDate,
    to: IsoDate,
    label: z.string(),
    fiscalYear: z.number().int().nullable(),
  }),
  /** For a fiscal year: whether it is closed, and the closing of the year before ("chuyển qua"). */
  yearStatus: z.enum(["open", "closed"]).nullable(),
  carriedFrom: z.object({ year: z.number().int(), closing: Money }).nullable(),
  published: z.boolean(),
  opening: MoneyWithWords,
  receipts: MoneyWithWords.extend({
    lines: z.array(
      z.object({
        donorType: z.enum(DONOR_TYPES),
        label: z.string(),
        amount: Money,
        entries: z.number().int(),
      }),
    ),
  }),
  disbursements: MoneyWithWords.extend({
    lines: z.array(
      z.object({
        purpose: z.enum(PURPOSES),
        label: z.string(),
        amount: Money,
        entries: z.number().int(),
        beneficiaries: z.number().int(),
        /** Smallest and largest amount paid to one recipient (from the per-pupil lists). */
        smallest: Money.nullable(),
        largest: Money.nullable(),
      }),
    ),
  }),
  transfersIn: z.object({ amount: Money, entries: z.number().int() }),
  transfersOut: z.object({ amount: Money, entries: z.number().int() }),
  closing: MoneyWithWords,
});

/** An entry as the public sees it: no recipients, no private donor's name, no user names. */
export const PublicEntry = z.object({
  id: z.number().int(),
  date: IsoDate,
  kindLabel: z.string(),
  categoryLabel: z.string().nullable(),
  donorName: z.string().nullable(),
  description: z.string().nullable(),
  documentRef: z.string().nullable(),
  beneficiaries: z.number().int().nullable(),
  signedAmount: Money,
  isReversal: z.boolean(),
});

export const PublicStatement = Statement.extend({ entries: z.array(PublicEntry) });

export const PublicFund = z.object({
  id: z.number().int(),
  name: z.string(),
  unitName: z.string(),
  ancestry: z.array(z.string()),
  years: z.array(
    z.object({
      year: z.number().int(),
      label: z.string(),
      closed: z.boolean(),
      publishedAt: z.iso.datetime(),
    }),
  ),
});

export const PublicYearParam = YearParam;

// ─── Roll-up and targets ────────────────────────────────────────────────────────────────

export const FundStatsQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  year: z.coerce.number().int().min(2000).max(2100),
});

export const FundFigures = z.object({
  receipts: Money,
  disbursements: Money,
  transfersIn: Money,
  transfersOut: Money,
  receiptsByDonorType: z.array(
    z.object({ donorType: z.enum(DONOR_TYPES), label: z.string(), amount: Money }),
  ),
  disbursementsByPurpose: z.array(
    z.object({
      purpose: z.enum(PURPOSES),
      label: z.string(),
      amount: Money,
      beneficiaries: z.number().int(),
    }),
  ),
  target: z
    .object({
      perInhabitant: Money,
      population: z.number().int().nullable(),
      /** perInhabitant × population, when the population is known. */
      amount: Money.nullable(),
      /** Receipts as a percentage of the target amount. */
      percent: z.number().nullable(),
    })
    .nullable(),
});

export const FundStatsResponse = z.object({
  unit: UnitRef.extend({ level: z.number().int() }),
  year: z.number().int(),
  figures: FundFigures,
  children: z.array(UnitRef.extend({ figures: FundFigures })),
});

export const FundTargetBody = z.strictObject({
  orgUnitId: z.number().int().positive(),
  year: Year,
  perInhabitant: Amount,
  /** Inhabitants of the unit, as the unit states it (the registry does not know everyone). */
  population: z
    .number({ error: "Dân số phải là số nguyên." })
    .int("Dân số phải là số nguyên.")
    .min(1, "Dân số phải lớn hơn 0.")
    .max(200_000_000)
    .nullable()
    .optional(),
});
