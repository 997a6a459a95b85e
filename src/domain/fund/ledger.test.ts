import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildStatement,
  checkClose,
  checkPostingDate,
  checkReopen,
  checkReversal,
  DONOR_TYPES,
  type DonorType,
  ENTRY_KINDS,
  type EntryKind,
  fiscalYearLabel,
  fiscalYearOf,
  fiscalYearRange,
  fundYears,
  openingDate,
  PURPOSES,
  type Purpose,
  type StatementRow,
  signedAmount,
  statMetric,
} from "./ledger.ts";

interface Entry {
  kind: EntryKind;
  donorType: DonorType | null;
  purpose: Purpose | null;
  isReversal: boolean;
  amount: bigint;
  beneficiaries: bigint;
  day: number;
}

const entry: fc.Arbitrary<Entry> = fc
  .record({
    kind: fc.constantFrom(...ENTRY_KINDS),
    donorType: fc.constantFrom(...DONOR_TYPES),
    purpose: fc.constantFrom(...PURPOSES),
    isReversal: fc.boolean(),
    // Amounts up to 2^62: sums go far past 2^53 and stay exact.
    amount: fc.bigInt({ min: 1n, max: 2n ** 62n }),
    beneficiaries: fc.bigInt({ min: 0n, max: 1000n }),
    day: fc.integer({ min: 0, max: 30 }),
  })
  .map((e) => ({
    ...e,
    donorType: e.kind === "receipt" ? e.donorType : null,
    purpose: e.kind === "disbursement" ? e.purpose : null,
    beneficiaries: e.kind === "disbursement" ? e.beneficiaries : 0n,
  }));

/** Group entries the way the SQL of the service does. */
function rowsOf(entries: readonly Entry[]): StatementRow[] {
  const rows = new Map<string, StatementRow>();
  for (const e of entries) {
    const key = `${e.kind}|${e.donorType}|${e.purpose}|${e.isReversal}`;
    const row = rows.get(key) ?? {
      kind: e.kind,
      donorType: e.donorType,
      purpose: e.purpose,
      isReversal: e.isReversal,
      amount: 0n,
      entries: 0,
      beneficiaries: 0n,
    };
    row.amount += e.amount;
    row.entries += 1;
    row.beneficiaries += e.beneficiaries;
    rows.set(key, row);
  }
  return [...rows.values()];
}

const sum = (entries: readonly Entry[]) => entries.reduce((s, e) => s + signedAmount(e), 0n);

describe("statement arithmetic", () => {
  it("closing = opening + receipts − disbursements + transfers in − transfers out, to the đồng", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
        fc.array(entry, { maxLength: 60 }),
        (before, entries) => {
          const s = buildStatement(before, rowsOf(entries));
          expect(s.closing).toBe(
            s.opening + s.receipts.total - s.disbursements.total + s.transfersIn.total - s.transfersOut.total,
          );
          // …and equals the plain signed sum of every entry.
          expect(s.closing).toBe(before + sum(entries));
          // Categories add up to their totals.
          const byDonor = Object.values(s.receipts.byDonorType).reduce((a, l) => a + l.amount, 0n);
          const byPurpose = Object.values(s.disbursements.byPurpose).reduce((a, l) => a + l.amount, 0n);
          expect(byDonor).toBe(s.receipts.total);
          expect(byPurpose).toBe(s.disbursements.total);
        },
      ),
    );
  });

  it("splits at any day: the first part's closing is the second part's opening", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), fc.integer({ min: 0, max: 31 }), (entries, cut) => {
        // Opening entries are dated before every period: keep them in the first part.
        const first = entries.filter((e) => e.day < cut || e.kind === "opening");
        const second = entries.filter((e) => !(e.day < cut || e.kind === "opening"));
        const whole = buildStatement(0n, rowsOf(entries));
        const a = buildStatement(0n, rowsOf(first));
        const b = buildStatement(a.closing, rowsOf(second));
        expect(b.opening).toBe(a.closing);
        expect(b.closing).toBe(whole.closing);
        expect(a.receipts.total + b.receipts.total).toBe(whole.receipts.total);
        expect(a.disbursements.total + b.disbursements.total).toBe(whole.disbursements.total);
      }),
    );
  });

  it("a reversal cancels its original exactly, in every category", () => {
    fc.assert(
      fc.property(entry, (e) => {
        const original = { ...e, isReversal: false };
        const reversal = { ...e, isReversal: true };
        const s = buildStatement(123n, rowsOf([original, reversal]));
        expect(s.closing).toBe(123n);
        expect(s.receipts.total).toBe(0n);
        expect(s.disbursements.total).toBe(0n);
        for (const line of Object.values(s.disbursements.byPurpose)) {
          expect(line.entries).toBe(0);
          expect(line.beneficiaries).toBe(0n);
        }
      }),
    );
  });

  it("counts the seed's figures: 450 million carried, 2,364 million raised, scholarships paid", () => {
    const rows: StatementRow[] = [
      {
        kind: "opening",
        donorType: null,
        purpose: null,
        isReversal: false,
        amount: 450_000_000n,
        entries: 1,
        beneficiaries: 0n,
      },
      {
        kind: "receipt",
        donorType: "business",
        purpose: null,
        isReversal: false,
        amount: 2_364_000_000n,
        entries: 4,
        beneficiaries: 0n,
      },
      {
        kind: "disbursement",
        donorType: null,
        purpose: "scholarship",
        isReversal: false,
        amount: 167_000_000n,
        entries: 1,
        beneficiaries: 125n,
      },
      {
        kind: "disbursement",
        donorType: null,
        purpose: "sponsorship",
        isReversal: false,
        amount: 370_000_000n,
        entries: 90,
        beneficiaries: 90n,
      },
    ];
    const s = buildStatement(0n, rows);
    expect(s.opening).toBe(450_000_000n);
    expect(s.disbursements.byPurpose.scholarship).toEqual({
      amount: 167_000_000n,
      entries: 1,
      beneficiaries: 125n,
    });
    expect(s.closing).toBe(450_000_000n + 2_364_000_000n - 167_000_000n - 370_000_000n);
  });
});

describe("fiscal years", () => {
  it("names a year that starts in November after the year it ends in (seed 000)", () => {
    expect(fiscalYearOf("2023-11-01", 11)).toBe(2024);
    expect(fiscalYearOf("2024-10-31", 11)).toBe(2024);
    expect(fiscalYearOf("2024-11-01", 11)).toBe(2025);
    expect(fiscalYearRange(2024, 11)).toEqual({ from: "2023-11-01", to: "2024-10-31" });
    expect(fiscalYearLabel(2024, 11)).toBe("Năm 2024 (01/11/2023 – 31/10/2024)");
    expect(openingDate(2024, 11)).toBe("2023-10-31");
  });

  it("is the calendar year by default", () => {
    expect(fiscalYearOf("2025-01-01", 1)).toBe(2025);
    expect(fiscalYearOf("2025-12-31", 1)).toBe(2025);
    expect(fiscalYearRange(2025, 1)).toEqual({ from: "2025-01-01", to: "2025-12-31" });
    expect(fiscalYearLabel(2025, 1)).toBe("Năm 2025");
    expect(openingDate(2025, 1)).toBe("2024-12-31");
    expect(fiscalYearRange(2024, 3)).toEqual({ from: "2023-03-01", to: "2024-02-29" });
  });

  it("tiles time: every day belongs to exactly one year, and years follow each other without gaps", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2099 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 365 }),
        (year, month, offset) => {
          const { from, to } = fiscalYearRange(year, month);
          const next = fiscalYearRange(year + 1, month);
          const dayAfter = new Date(`${to}T00:00:00Z`);
          dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
          expect(dayAfter.toISOString().slice(0, 10)).toBe(next.from);
          const d = new Date(`${from}T00:00:00Z`);
          d.setUTCDate(d.getUTCDate() + offset);
          const date = d.toISOString().slice(0, 10);
          expect(fiscalYearOf(date, month)).toBe(date <= to ? year : year + 1);
          expect(fiscalYearOf(openingDate(year, month), month)).toBe(year - 1);
        },
      ),
    );
  });
});

describe("posting and closing rules", () => {
  const fund = { startYear: 2024, startMonth: 11, lastClosedYear: null };

  it("refuses future dates, dates before the fund started and dates in a closed year", () => {
    expect(checkPostingDate(fund, "2024-05-01", "2024-06-01")).toEqual({ ok: true, fiscalYear: 2024 });
    expect(checkPostingDate(fund, "2024-07-01", "2024-06-01")).toMatchObject({
      ok: false,
      code: "future_date",
    });
    expect(checkPostingDate(fund, "2023-10-31", "2024-06-01")).toMatchObject({
      ok: false,
      code: "before_fund_start",
    });
    const closed = { ...fund, lastClosedYear: 2024 };
    const refused = checkPostingDate(closed, "2024-10-30", "2024-12-01");
    expect(refused).toMatchObject({ ok: false, code: "year_closed" });
    expect(refused.ok ? "" : refused.message).toMatch(/^Năm 2024 của quỹ đã khóa sổ/);
    expect(checkPostingDate(closed, "2024-11-01", "2024-12-01")).toEqual({ ok: true, fiscalYear: 2025 });
  });

  it("closes years in order, once they have ended; reopens only the latest", () => {
    expect(checkClose(fund, 2024, "2024-10-31")).toEqual({ ok: true });
    expect(checkClose(fund, 2024, "2024-10-30")).toMatchObject({ ok: false, code: "year_not_ended" });
    expect(checkClose(fund, 2025, "2026-01-01")).toMatchObject({ ok: false, code: "close_in_order" });
    const closed = { ...fund, lastClosedYear: 2025 };
    expect(checkClose(closed, 2025, "2026-01-01")).toMatchObject({ ok: false, code: "year_closed" });
    expect(checkReopen(closed, 2025)).toEqual({ ok: true });
    expect(checkReopen(closed, 2024)).toMatchObject({ ok: false, code: "reopen_in_order" });
    expect(checkReopen(closed, 2026)).toMatchObject({ ok: false, code: "year_open" });
  });

  it("never reverses a reversal, nor anything twice", () => {
    expect(checkReversal({ id: 7, isReversal: false, reversedOn: null })).toEqual({ ok: true });
    expect(checkReversal({ id: 7, isReversal: true, reversedOn: null })).toMatchObject({
      ok: false,
      code: "reversal_of_reversal",
    });
    expect(checkReversal({ id: 7, isReversal: false, reversedOn: "2025-03-02" })).toMatchObject({
      ok: false,
      code: "already_reversed",
      message: "Bút toán số 7 đã được đảo ngày 02/03/2025; không đảo lần thứ hai.",
    });
  });

  it("lists the years from the first to today's", () => {
    expect(fundYears({ startYear: 2023, startMonth: 1 }, "2025-06-01")).toEqual([2023, 2024, 2025]);
    expect(fundYears({ startYear: 2025, startMonth: 11 }, "2024-12-01")).toEqual([2025]);
  });

  it("counts reversals under their own metric, so counters only grow", () => {
    const base = { donorType: "business" as const, purpose: null, isReversal: false };
    expect(statMetric({ ...base, kind: "receipt" })).toBe("receipt:business");
    expect(statMetric({ ...base, kind: "receipt", isReversal: true })).toBe("reversed:receipt:business");
    expect(
      statMetric({ kind: "disbursement", donorType: null, purpose: "scholarship", isReversal: false }),
    ).toBe("disbursement:scholarship");
    expect(statMetric({ ...base, kind: "opening" })).toBeNull();
    expect(statMetric({ ...base, kind: "transfer_out" })).toBe("transfer_out");
  });
});
