/**
 * The study promotion fund's ledger rules (quỹ khuyến học). Pure: no I/O; bigint money.
 *
 * A fund's ledger is append-only. Every entry has a kind and a positive amount; its effect on
 * the balance is the kind's direction, negated for a reversal (the only way to correct a posted
 * entry). A statement for any period is then arithmetic over the entries:
 *
 *   closing = opening + receipts − disbursements + transfers in − transfers out
 *
 * where every category is net of the reversals dated inside the period, and "opening" is the sum
 * of everything dated before the period plus the carried-over balance entered when the fund
 * started to be kept here (kind "opening", always counted in the opening balance).
 */

export const ENTRY_KINDS = ["opening", "receipt", "disbursement", "transfer_in", "transfer_out"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const ENTRY_KIND_LABELS_VI: Record<EntryKind, string> = {
  opening: "Số dư chuyển sang",
  receipt: "Thu",
  disbursement: "Chi",
  transfer_in: "Nhận chuyển quỹ",
  transfer_out: "Chuyển quỹ đi",
};

/** Who gave the money (thu theo nguồn). */
export const DONOR_TYPES = ["business", "individual", "member", "budget", "organisation", "other"] as const;
export type DonorType = (typeof DONOR_TYPES)[number];

export const DONOR_TYPE_LABELS_VI: Record<DonorType, string> = {
  business: "Doanh nghiệp",
  individual: "Cá nhân, nhà hảo tâm",
  member: "Hội viên đóng góp",
  budget: "Ngân sách nhà nước",
  organisation: "Tổ chức, đoàn thể khác",
  other: "Nguồn khác",
};

/** Donors whose name may appear on the public statement: bodies, not private persons. */
export const PUBLICLY_NAMED_DONORS: ReadonlySet<DonorType> = new Set(["business", "budget", "organisation"]);

/** What the money was paid for (chi theo mục đích). */
export const PURPOSES = [
  "scholarship",
  "award_pupil",
  "award_teacher",
  "sponsorship",
  "support",
  "operating",
  "other",
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const PURPOSE_LABELS_VI: Record<Purpose, string> = {
  scholarship: "Học bổng",
  award_pupil: "Khen thưởng học sinh",
  award_teacher: "Khen thưởng giáo viên",
  sponsorship: "Đỡ đầu học sinh",
  support: "Hỗ trợ",
  operating: "Chi hoạt động",
  other: "Chi khác",
};

/** Purposes paid to people, whose count of beneficiaries the statement shows. */
export const PURPOSES_WITH_BENEFICIARIES: ReadonlySet<Purpose> = new Set([
  "scholarship",
  "award_pupil",
  "award_teacher",
  "sponsorship",
  "support",
]);

export const PUPIL_LEVELS = [
  "preschool",
  "primary",
  "lower_secondary",
  "upper_secondary",
  "higher",
  "other",
] as const;
export type PupilLevel = (typeof PUPIL_LEVELS)[number];

export const PUPIL_LEVEL_LABELS_VI: Record<PupilLevel, string> = {
  preschool: "Mầm non",
  primary: "Tiểu học",
  lower_secondary: "THCS",
  upper_secondary: "THPT",
  higher: "Cao đẳng, đại học",
  other: "Khác",
};

export const FUND_KINDS = ["general", "named"] as const;
export type FundKind = (typeof FUND_KINDS)[number];

/** +1 for money in, −1 for money out. */
export function direction(kind: EntryKind): 1n | -1n {
  return kind === "disbursement" || kind === "transfer_out" ? -1n : 1n;
}

/** The entry's effect on the balance: its direction, reversed for a reversal. */
export function signedAmount(entry: { kind: EntryKind; amount: bigint; isReversal: boolean }): bigint {
  const signed = direction(entry.kind) * entry.amount;
  return entry.isReversal ? -signed : signed;
}

// ─── Statements ─────────────────────────────────────────────────────────────────────────

/** Entries of a period grouped by what the statement shows (one row per group, as SQL gives them). */
export interface StatementRow {
  kind: EntryKind;
  donorType: DonorType | null;
  purpose: Purpose | null;
  isReversal: boolean;
  amount: bigint;
  entries: number;
  beneficiaries: bigint;
}

export interface Statement {
  /** Balance before the period, plus the carried-over balance entered when the fund started. */
  opening: bigint;
  receipts: { total: bigint; byDonorType: Record<DonorType, { amount: bigint; entries: number }> };
  disbursements: {
    total: bigint;
    byPurpose: Record<Purpose, { amount: bigint; entries: number; beneficiaries: bigint }>;
  };
  transfersIn: { total: bigint; entries: number };
  transfersOut: { total: bigint; entries: number };
  closing: bigint;
}

function record<K extends string, V>(keys: readonly K[], make: () => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, make()])) as Record<K, V>;
}

/**
 * The statement of a period: `before` is the signed sum of every entry dated before the period;
 * `rows` are the period's entries grouped. Reversals net against their category (a reversal
 * counts −1 entry and −its beneficiaries), so a category can be negative when a reversal is dated
 * in a later period than its original.
 */
export function buildStatement(before: bigint, rows: readonly StatementRow[]): Statement {
  const s: Statement = {
    opening: before,
    receipts: { total: 0n, byDonorType: record(DONOR_TYPES, () => ({ amount: 0n, entries: 0 })) },
    disbursements: {
      total: 0n,
      byPurpose: record(PURPOSES, () => ({ amount: 0n, entries: 0, beneficiaries: 0n })),
    },
    transfersIn: { total: 0n, entries: 0 },
    transfersOut: { total: 0n, entries: 0 },
    closing: 0n,
  };
  for (const row of rows) {
    const sign = row.isReversal ? -1n : 1n;
    const amount = sign * row.amount;
    const entries = row.isReversal ? -row.entries : row.entries;
    switch (row.kind) {
      case "opening":
        s.opening += amount;
        break;
      case "receipt": {
        const line = s.receipts.byDonorType[row.donorType ?? "other"];
        line.amount += amount;
        line.entries += entries;
        s.receipts.total += amount;
        break;
      }
      case "disbursement": {
        const line = s.disbursements.byPurpose[row.purpose ?? "other"];
        line.amount += amount;
        line.entries += entries;
        line.beneficiaries += sign * row.beneficiaries;
        s.disbursements.total += amount;
        break;
      }
      case "transfer_in":
        s.transfersIn.total += amount;
        s.transfersIn.entries += entries;
        break;
      case "transfer_out":
        s.transfersOut.total += amount;
        s.transfersOut.entries += entries;
        break;
    }
  }
  s.closing =
    s.opening + s.receipts.total - s.disbursements.total + s.transfersIn.total - s.transfersOut.total;
  return s;
}

// ─── Fiscal years ───────────────────────────────────────────────────────────────────────

/**
 * A fund's year starts on the first day of its start month (1 = January, the default). A year
 * that does not start in January is named after the calendar year it ends in: with start month
 * 11 (seed 000: "năm 2024, tính từ 1/11/2023 đến 30/10/2024"), 2023-11-01 … 2024-10-31 is 2024.
 */
export function fiscalYearOf(date: string, startMonth: number): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return startMonth > 1 && month >= startMonth ? year + 1 : year;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, "0");

/** First and last day (inclusive, ISO dates) of fiscal year `year`. */
export function fiscalYearRange(year: number, startMonth: number): { from: string; to: string } {
  if (startMonth === 1) return { from: `${year}-01-01`, to: `${year}-12-31` };
  const endMonth = startMonth - 1;
  return {
    from: `${year - 1}-${pad(startMonth)}-01`,
    to: `${year}-${pad(endMonth)}-${pad(lastDayOfMonth(year, endMonth))}`,
  };
}

/** The day before fiscal year `startYear` begins: the date of the carried-over opening balance. */
export function openingDate(startYear: number, startMonth: number): string {
  const { from } = fiscalYearRange(startYear, startMonth);
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** "Năm 2024 (01/11/2023 – 31/10/2024)" or "Năm 2025" for a calendar year. */
export function fiscalYearLabel(year: number, startMonth: number): string {
  if (startMonth === 1) return `Năm ${year}`;
  const { from, to } = fiscalYearRange(year, startMonth);
  const short = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  return `Năm ${year} (${short(from)} – ${short(to)})`;
}

// ─── Posting rules ──────────────────────────────────────────────────────────────────────

export interface FundCalendar {
  startYear: number;
  startMonth: number;
  /** The latest closed year; closed years are always the first ones (closed in order). */
  lastClosedYear: number | null;
}

export type Check<T = object> = ({ ok: true } & T) | { ok: false; code: string; message: string };

const short = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** May an entry be dated `date` in this fund today? Returns its fiscal year. */
export function checkPostingDate(
  fund: FundCalendar,
  date: string,
  today: string,
): Check<{ fiscalYear: number }> {
  if (date > today) {
    return { ok: false, code: "future_date", message: "Ngày ghi sổ không được sau ngày hôm nay." };
  }
  const fiscalYear = fiscalYearOf(date, fund.startMonth);
  if (fiscalYear < fund.startYear) {
    const { from } = fiscalYearRange(fund.startYear, fund.startMonth);
    return {
      ok: false,
      code: "before_fund_start",
      message: `Quỹ bắt đầu ghi sổ từ ngày ${short(from)}; số liệu trước đó nằm trong số dư chuyển sang.`,
    };
  }
  if (fund.lastClosedYear !== null && fiscalYear <= fund.lastClosedYear) {
    return {
      ok: false,
      code: "year_closed",
      message: `Năm ${fiscalYear} của quỹ đã khóa sổ, không ghi thêm được. Nếu cần sửa, hãy ghi bút toán điều chỉnh vào năm đang mở, hoặc đề nghị quản trị viên mở lại sổ.`,
    };
  }
  return { ok: true, fiscalYear };
}

/** May year `year` be closed today? Years close in order, once they have ended. */
export function checkClose(fund: FundCalendar, year: number, today: string): Check {
  const next = (fund.lastClosedYear ?? fund.startYear - 1) + 1;
  if (fund.lastClosedYear !== null && year <= fund.lastClosedYear) {
    return { ok: false, code: "year_closed", message: `Năm ${year} đã khóa sổ.` };
  }
  if (year < fund.startYear) {
    return { ok: false, code: "before_fund_start", message: `Quỹ bắt đầu ghi sổ từ năm ${fund.startYear}.` };
  }
  if (year !== next) {
    return { ok: false, code: "close_in_order", message: `Hãy khóa sổ năm ${next} trước năm ${year}.` };
  }
  const { to } = fiscalYearRange(year, fund.startMonth);
  if (today < to) {
    return {
      ok: false,
      code: "year_not_ended",
      message: `Năm ${year} chưa kết thúc (đến hết ngày ${short(to)}), chưa khóa sổ được.`,
    };
  }
  return { ok: true };
}

/** May year `year` be reopened? Only the latest closed year, so later openings never change. */
export function checkReopen(fund: FundCalendar, year: number): Check {
  if (fund.lastClosedYear === null || year > fund.lastClosedYear) {
    return { ok: false, code: "year_open", message: `Năm ${year} đang mở, không cần mở lại.` };
  }
  if (year !== fund.lastClosedYear) {
    return {
      ok: false,
      code: "reopen_in_order",
      message: `Chỉ mở lại được năm khóa sổ gần nhất (năm ${fund.lastClosedYear}).`,
    };
  }
  return { ok: true };
}

/** May `original` be reversed? Never a reversal, never twice. */
export function checkReversal(original: {
  isReversal: boolean;
  reversedOn: string | null;
  id: number;
}): Check {
  if (original.isReversal) {
    return {
      ok: false,
      code: "reversal_of_reversal",
      message: `Bút toán số ${original.id} là bút toán đảo; không đảo một bút toán đảo. Nếu cần, hãy ghi lại bút toán đúng.`,
    };
  }
  if (original.reversedOn !== null) {
    return {
      ok: false,
      code: "already_reversed",
      message: `Bút toán số ${original.id} đã được đảo ngày ${short(original.reversedOn)}; không đảo lần thứ hai.`,
    };
  }
  return { ok: true };
}

/** The years of a fund from its first to the current one (today's fiscal year). */
export function fundYears(fund: { startYear: number; startMonth: number }, today: string): number[] {
  const current = Math.max(fiscalYearOf(today, fund.startMonth), fund.startYear);
  return Array.from({ length: current - fund.startYear + 1 }, (_, i) => fund.startYear + i);
}

/**
 * Counter metrics an entry adds to the live roll-up (fund_stats). Counters only grow: a reversal
 * adds to its own "reversed:" metric instead of subtracting, so a net figure is gross − reversed
 * and no counter ever needs a decrement.
 */
export function statMetric(entry: {
  kind: EntryKind;
  donorType: DonorType | null;
  purpose: Purpose | null;
  isReversal: boolean;
}): string | null {
  const base =
    entry.kind === "receipt"
      ? `receipt:${entry.donorType ?? "other"}`
      : entry.kind === "disbursement"
        ? `disbursement:${entry.purpose ?? "other"}`
        : entry.kind === "opening"
          ? null
          : entry.kind;
  if (base === null) return null;
  return entry.isReversal ? `reversed:${base}` : base;
}
