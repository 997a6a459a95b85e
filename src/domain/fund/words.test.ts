import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { moneyInWords, numberInWords } from "./words.ts";

/**
 * A reader of Vietnamese number words, written for the test only (independent of how the words
 * are produced): it understands both "lẻ" and "linh", "tư"/"bốn", "lăm"/"nhăm", "mốt".
 */
function wordsToNumber(text: string): bigint {
  const DIGIT: Record<string, bigint> = {
    không: 0n,
    một: 1n,
    mốt: 1n,
    hai: 2n,
    ba: 3n,
    bốn: 4n,
    tư: 4n,
    năm: 5n,
    lăm: 5n,
    nhăm: 5n,
    sáu: 6n,
    bảy: 7n,
    tám: 8n,
    chín: 9n,
  };
  let total = 0n; // everything up to the last "tỷ"
  let block = 0n; // the current block below a tỷ (triệu and nghìn parts)
  let group = 0n; // the current group of three digits
  let pending = 0n; // the last digit read
  const words = text
    .toLowerCase()
    .replace(/ đồng$/, "")
    .split(" ");
  let negative = false;
  for (const w of words) {
    if (w === "âm") negative = true;
    else if (w in DIGIT) pending = DIGIT[w] as bigint;
    else if (w === "trăm") {
      group += pending * 100n;
      pending = 0n;
    } else if (w === "mươi") {
      group += pending * 10n;
      pending = 0n;
    } else if (w === "mười") group += 10n;
    else if (w === "lẻ" || w === "linh") {
      // a zero tens digit: nothing to add
    } else if (w === "nghìn" || w === "ngàn") {
      block += (group + pending) * 1000n;
      group = 0n;
      pending = 0n;
    } else if (w === "triệu") {
      block += (group + pending) * 1_000_000n;
      group = 0n;
      pending = 0n;
    } else if (w === "tỷ") {
      total = (total + block + group + pending) * 1_000_000_000n;
      block = 0n;
      group = 0n;
      pending = 0n;
    } else throw new Error(`unknown word "${w}" in "${text}"`);
  }
  const n = total + block + group + pending;
  return negative ? -n : n;
}

describe("moneyInWords: real amounts", () => {
  it.each([
    [2_364_000_000n, "Hai tỷ ba trăm sáu mươi tư triệu đồng"],
    [450_000_000n, "Bốn trăm năm mươi triệu đồng"],
    [370_000_000n, "Ba trăm bảy mươi triệu đồng"],
    [167_000_000n, "Một trăm sáu mươi bảy triệu đồng"],
    [1_300_000_000n, "Một tỷ ba trăm triệu đồng"],
    [1_500_000n, "Một triệu năm trăm nghìn đồng"],
    [30_000n, "Ba mươi nghìn đồng"],
    [0n, "Không đồng"],
    [5n, "Năm đồng"],
    [10n, "Mười đồng"],
    [11n, "Mười một đồng"],
    [14n, "Mười bốn đồng"],
    [15n, "Mười lăm đồng"],
    [21n, "Hai mươi mốt đồng"],
    [24n, "Hai mươi tư đồng"],
    [25n, "Hai mươi lăm đồng"],
    [100n, "Một trăm đồng"],
    [101n, "Một trăm lẻ một đồng"],
    [105n, "Một trăm lẻ năm đồng"],
    [110n, "Một trăm mười đồng"],
    [115n, "Một trăm mười lăm đồng"],
    [1_000n, "Một nghìn đồng"],
    [1_005n, "Một nghìn không trăm lẻ năm đồng"],
    [2_050_000n, "Hai triệu không trăm năm mươi nghìn đồng"],
    [1_000_005n, "Một triệu không trăm lẻ năm đồng"],
    [1_000_000_005n, "Một tỷ không trăm lẻ năm đồng"],
    [1_005_000_000n, "Một tỷ không trăm lẻ năm triệu đồng"],
    [1_000_000_000_000n, "Một nghìn tỷ đồng"],
    [1_500_000_000_000n, "Một nghìn năm trăm tỷ đồng"],
    [1_000_000_000_000_000_000n, "Một tỷ tỷ đồng"],
    [
      9_007_199_254_740_991n,
      "Chín triệu không trăm lẻ bảy nghìn một trăm chín mươi chín tỷ hai trăm năm mươi tư triệu bảy trăm bốn mươi nghìn chín trăm chín mươi mốt đồng",
    ],
  ])("%s đồng → %s", (n, words) => {
    expect(moneyInWords(n)).toBe(words);
  });

  it("writes 'linh' when asked, and negatives with 'âm'", () => {
    expect(moneyInWords(105_000n, { zeroTens: "linh" })).toBe("Một trăm linh năm nghìn đồng");
    expect(moneyInWords(-5_000n)).toBe("Âm năm nghìn đồng");
    expect(numberInWords(21)).toBe("hai mươi mốt");
  });
});

describe("moneyInWords: properties", () => {
  const amount = fc.bigInt({ min: 0n, max: 10n ** 21n });

  it("reads back to the same number (round trip through an independent reader)", () => {
    fc.assert(
      fc.property(amount, fc.constantFrom("lẻ" as const, "linh" as const), (n, zeroTens) => {
        expect(wordsToNumber(moneyInWords(n, { zeroTens }))).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips amounts made of sparse digits (zeros inside groups and whole zero groups)", () => {
    const sparse = fc
      .array(fc.constantFrom("0", "0", "0", "1", "4", "5", "9"), { minLength: 1, maxLength: 19 })
      .map((d) => BigInt(d.join("")));
    fc.assert(
      fc.property(sparse, (n) => {
        expect(wordsToNumber(moneyInWords(n))).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it("follows the spelling rules: capital first letter, đồng at the end, mốt/tư/lăm/lẻ where they belong", () => {
    fc.assert(
      fc.property(amount, (n) => {
        const text = moneyInWords(n);
        expect(text.endsWith(" đồng")).toBe(true);
        expect(text.charAt(0)).toBe(text.charAt(0).toUpperCase());
        const words = text.toLowerCase().split(" ");
        words.forEach((w, i) => {
          const before = words[i - 1];
          if (w === "mốt" || w === "tư") expect(before).toBe("mươi");
          if (w === "lăm") expect(["mươi", "mười"]).toContain(before);
          if (w === "lẻ") expect(before).toBe("trăm");
          if (w === "mươi")
            expect(["hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]).toContain(before);
        });
        // No "không mươi", no "một mươi", no "mười không", no doubled scale words.
        expect(text).not.toMatch(/không mươi|một mươi|mười không|mươi không|nghìn nghìn|triệu triệu/);
        if (n > 0n) expect(text).not.toMatch(/^Không/);
      }),
      { numRuns: 1000 },
    );
  });
});
