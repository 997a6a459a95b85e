/**
 * Money in the study promotion fund: integer đồng, never a float.
 *
 * - One entry is at most MAX_ENTRY_AMOUNT (2^53 − 1) đồng, so it travels as a JSON integer and
 *   is exact as a JavaScript number; the database refuses more (CHECK on every amount column).
 * - Sums (balances, totals, roll-ups) can exceed 2^53: they are computed as bigint, read from
 *   the database as text, and sent in responses as strings of digits ("2364000000").
 */

export const MAX_ENTRY_AMOUNT = 9_007_199_254_740_991; // Number.MAX_SAFE_INTEGER

export type MoneyInputProblem = "empty" | "invalid" | "decimal" | "zero" | "negative" | "too_large";
export type MoneyInput = { ok: true; value: bigint } | { ok: false; problem: MoneyInputProblem };

const SUFFIX = /\s*(đồng|đ|vnđ|vnd)\.?$/iu;

/**
 * An amount as Vietnamese users type it: "2.364.000.000", "2364000000", "2 364 000 000",
 * "2.364.000.000 đ". Dots group thousands; a comma is the decimal mark, so "1,5" or "1.500,50"
 * is a decimal and refused (money is whole đồng). "2,364,000,000" (two or more commas in groups
 * of three, as pasted from an English spreadsheet) is read as grouping; a single "1,500" is not,
 * because in Vietnamese it means one and a half.
 */
export function parseMoneyInput(text: string): MoneyInput {
  let s = text.normalize("NFC").trim().replace(SUFFIX, "");
  s = s.replace(/[\s\u00a0\u202f]/g, "");
  if (s === "") return { ok: false, problem: "empty" };
  let negative = false;
  if (/^[-−–]/.test(s)) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith("+")) {
    s = s.slice(1);
  }
  let digits: string | null = null;
  if (/^\d+$/.test(s)) digits = s;
  else if (/^\d{1,3}(\.\d{3})+$/.test(s)) digits = s.replaceAll(".", "");
  else if (/^\d{1,3}(,\d{3}){2,}$/.test(s)) digits = s.replaceAll(",", "");
  else if (/^\d{1,3}(\.\d{3})*,\d+$/.test(s) || /^\d+[.,]\d+$/.test(s)) {
    return { ok: false, problem: "decimal" };
  }
  if (digits === null) return { ok: false, problem: "invalid" };
  const value = BigInt(digits);
  if (negative && value > 0n) return { ok: false, problem: "negative" };
  if (value === 0n) return { ok: false, problem: "zero" };
  if (value > BigInt(MAX_ENTRY_AMOUNT)) return { ok: false, problem: "too_large" };
  return { ok: true, value };
}

/** A sum as it travels in responses: a string of digits, "-" for a (rare) negative net figure. */
export function moneyString(value: bigint): string {
  return value.toString();
}

/** Back from a response string or a database text column to bigint ("" and null are 0). */
export function toBigInt(value: string | number | bigint | null | undefined): bigint {
  if (value === null || value === undefined || value === "") return 0n;
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Không phải số nguyên an toàn: ${value}`);
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`Không phải số nguyên: ${value}`);
  return BigInt(value);
}

/** The share of `part` in `whole` as a percentage with two decimals, computed without floats; null when whole is 0. */
export function percentOf(part: bigint, whole: bigint): number | null {
  if (whole <= 0n) return null;
  const hundredths = (part * 10000n) / whole;
  return Number(hundredths) / 100;
}
