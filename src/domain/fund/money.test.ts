import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatInteger } from "../format.ts";
import { MAX_ENTRY_AMOUNT, parseMoneyInput, percentOf, toBigInt } from "./money.ts";

describe("parseMoneyInput: amounts typed the Vietnamese way", () => {
  it.each([
    ["2.364.000.000", 2_364_000_000n],
    ["2364000000", 2_364_000_000n],
    ["2 364 000 000", 2_364_000_000n],
    [" 1.500.000 đ", 1_500_000n],
    ["1.500.000 đồng", 1_500_000n],
    ["450.000.000 VNĐ", 450_000_000n],
    ["2,364,000,000", 2_364_000_000n],
    ["1.000", 1_000n],
    ["+5", 5n],
    ["9.007.199.254.740.991", BigInt(MAX_ENTRY_AMOUNT)],
  ])("%s → %s", (text, value) => {
    expect(parseMoneyInput(text)).toEqual({ ok: true, value });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["0", "zero"],
    ["0.000", "zero"],
    ["-5", "negative"],
    ["−1.000", "negative"],
    ["1,5", "decimal"],
    ["1.5", "decimal"],
    ["1,500", "decimal"],
    ["2.364.000,50", "decimal"],
    ["1500000.75", "decimal"],
    ["abc", "invalid"],
    ["1.50.000", "invalid"],
    ["12a", "invalid"],
    ["9.007.199.254.740.992", "too_large"],
  ])("%s is refused: %s", (text, problem) => {
    expect(parseMoneyInput(text)).toEqual({ ok: false, problem });
  });

  it("reads back every amount it formats, grouped or not", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: BigInt(MAX_ENTRY_AMOUNT) }), (n) => {
        expect(parseMoneyInput(formatInteger(n))).toEqual({ ok: true, value: n });
        expect(parseMoneyInput(n.toString())).toEqual({ ok: true, value: n });
        expect(parseMoneyInput(`${formatInteger(n)} đồng`)).toEqual({ ok: true, value: n });
      }),
    );
  });

  it("never accepts a decimal, whatever its digits", () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 99 }), (whole, frac) => {
        const result = parseMoneyInput(`${formatInteger(whole)},${frac}`);
        expect(result.ok).toBe(false);
      }),
    );
  });
});

describe("bigint helpers", () => {
  it("reads database text and refuses what is not an integer", () => {
    expect(toBigInt("27021597764222973")).toBe(27_021_597_764_222_973n);
    expect(toBigInt(null)).toBe(0n);
    expect(toBigInt(-12)).toBe(-12n);
    expect(() => toBigInt("1.5")).toThrow();
    expect(() => toBigInt(2 ** 60)).toThrow();
  });

  it("computes percentages from bigints, without floats on the amounts", () => {
    expect(percentOf(2_364_000_000n, 3_000_000_000n)).toBe(78.8);
    expect(percentOf(1n, 3n)).toBe(33.33);
    expect(percentOf(5n, 0n)).toBeNull();
  });
});
