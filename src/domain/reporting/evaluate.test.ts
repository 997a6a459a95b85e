import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateIndicators, formatValue, valueTypeOf } from "./evaluate.ts";
import { quarterlyTemplate } from "./fixtures.ts";
import type { Formula, Indicator, ReportTemplate } from "./template.ts";

const t = quarterlyTemplate();
const values = (entries: Record<string, number | null>) => new Map(Object.entries(entries));
const indicator = (tpl: ReportTemplate, id: string): Indicator => {
  const ind = tpl.indicators.find((i) => i.id === id);
  if (!ind) throw new Error(id);
  return ind;
};

/** A template with a single formula over typed decimals `a` and `b`. */
function withFormula(f: Formula): ReportTemplate {
  return quarterlyTemplate({
    indicators: [
      { id: "a", kind: "typed", valueType: "decimal", label: "A" },
      { id: "b", kind: "typed", valueType: "decimal", label: "B" },
      { id: "f", kind: "formula", formula: f, label: "F" },
    ],
    rules: [],
    sections: [{ kind: "heading", key: "h", title: "H" }],
  });
}
const f = (tpl: ReportTemplate, a: number | null, b: number | null) =>
  evaluateIndicators(tpl, { base: values({ a, b }) }).get("f");

describe("evaluateIndicators", () => {
  it("returns every indicator: given values as given, missing ones null, formulas computed", () => {
    const all = evaluateIndicators(t, {
      base: values({ members: 1612, members_female: 706, centres_classes: 4 }),
    });
    expect([...all.keys()]).toEqual(t.indicators.map((i) => i.id));
    expect(all.get("members")).toBe(1612);
    expect(all.get("funds")).toBeNull();
    expect(all.get("members_male")).toBe(906);
    expect(all.get("female_share")).toBe(43.8);
    expect(all.get("everyone")).toBe(1616);
    // no previous period, no target: missing, not 0
    expect(all.get("members_change")).toBeNull();
    expect(all.get("members_of_target")).toBeNull();
  });

  it("makes a sum or a difference missing when a part is missing", () => {
    const all = evaluateIndicators(t, { base: values({ members: 100, members_female: null }) });
    expect(all.get("everyone")).toBeNull();
    expect(all.get("members_male")).toBeNull();
    expect(all.get("female_share")).toBeNull();
  });

  it("gives a percent with two decimals, half away from zero, and none of a zero denominator", () => {
    const pct = withFormula({ op: "percent", numerator: "a", denominator: "b" });
    expect(f(pct, 9948, 10000)).toBe(99.48);
    expect(f(pct, 1, 3)).toBe(33.33);
    expect(f(pct, 2, 3)).toBe(66.67);
    expect(f(pct, 1, 800)).toBe(0.13);
    // 100 × 1.005 / 100 is 1.005 exactly; binary floats give 1.00499… and round it to 1
    expect(f(pct, 1.005, 100)).toBe(1.01);
    expect(f(pct, -1, 800)).toBe(-0.13);
    expect(f(pct, 5, 0)).toBeNull();
    expect(f(pct, 5, null)).toBeNull();
    expect(f(pct, null, 5)).toBeNull();
    expect(f(pct, 0, 5)).toBe(0);
  });

  it("adds and subtracts decimals exactly", () => {
    expect(f(withFormula({ op: "sum", of: ["a", "b"] }), 0.1, 0.2)).toBe(0.3);
    expect(f(withFormula({ op: "difference", a: "a", b: "b" }), 0.3, 0.1)).toBe(0.2);
    expect(f(withFormula({ op: "difference", a: "a", b: "b" }), 1e-7, 1e21)).toBe(1e-7 - 1e21);
  });

  it("computes the change from the previous period, with formulas evaluated there too", () => {
    const all = evaluateIndicators(t, {
      base: values({ members: 1200, members_female: 500 }),
      previous: values({ members: 1150, members_female: 480 }),
    });
    expect(all.get("members_change")).toBe(50);
    // members_male: now 700, before 670 (computed from the previous period's base)
    expect(all.get("male_change")).toBe(30);
    const down = evaluateIndicators(t, { base: values({ members: 90 }), previous: values({ members: 100 }) });
    expect(down.get("members_change")).toBe(-10);
    const gap = evaluateIndicators(t, { base: values({ members: 90 }), previous: values({ members: null }) });
    expect(gap.get("members_change")).toBeNull();
  });

  it("keeps a formula's value given in an already evaluated previous period", () => {
    const all = evaluateIndicators(t, {
      base: values({ members: 1200, members_female: 500 }),
      previous: values({ members: 1150, members_female: 480, members_male: 600 }),
    });
    expect(all.get("male_change")).toBe(100);
  });

  it("ignores formula values in the base: formulas are always computed", () => {
    const all = evaluateIndicators(t, {
      base: values({ members: 10, members_female: 4, members_male: 999 }),
    });
    expect(all.get("members_male")).toBe(6);
  });

  it("computes the percent of the target, missing without a (non-zero) target", () => {
    const base = values({ members: 1612 });
    expect(evaluateIndicators(t, { base, targets: values({ members: 1620 }) }).get("members_of_target")).toBe(
      99.51,
    );
    expect(
      evaluateIndicators(t, { base, targets: values({ members: 0 }) }).get("members_of_target"),
    ).toBeNull();
    expect(evaluateIndicators(t, { base, targets: values({}) }).get("members_of_target")).toBeNull();
  });

  it("treats a non-finite given value as missing", () => {
    const all = evaluateIndicators(t, { base: values({ members: Number.NaN, members_female: 3 }) });
    expect(all.get("members")).toBeNull();
    expect(all.get("members_male")).toBeNull();
  });

  it("leaves formulas in a cycle missing instead of looping", () => {
    const cyclic = quarterlyTemplate({
      indicators: [
        { id: "x", kind: "formula", formula: { op: "sum", of: ["y"] }, label: "X" },
        { id: "y", kind: "formula", formula: { op: "sum", of: ["x"] }, label: "Y" },
      ],
      rules: [],
      sections: [{ kind: "heading", key: "h", title: "H" }],
    });
    expect(evaluateIndicators(cyclic, { base: new Map() })).toEqual(
      new Map([
        ["x", null],
        ["y", null],
      ]),
    );
  });

  it("sums integers exactly, as a recount would (property)", () => {
    const half = fc.maxSafeNat().map((x) => Math.floor(x / 2));
    const sum = withFormula({ op: "sum", of: ["a", "b"] });
    fc.assert(
      fc.property(half, half, (a, b) => {
        expect(f(sum, a, b)).toBe(a + b);
      }),
    );
    // decimals with two places: the sum of the hundredths, not of binary approximations
    const cents = fc.integer({ min: -10_000_000, max: 10_000_000 });
    fc.assert(
      fc.property(cents, cents, (a, b) => {
        expect(f(sum, a / 100, b / 100)).toBe((a + b) / 100);
      }),
    );
  });

  it("gives the integer-exact rounded percent (property)", () => {
    const pct = withFormula({ op: "percent", numerator: "a", denominator: "b" });
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 10_000_000 }), (n, d) => {
        const hundredths = (BigInt(n) * 10000n * 2n + BigInt(d)) / (2n * BigInt(d));
        const got = f(pct, n, d);
        expect(got).toBe(Number(hundredths) / 100);
        expect(Math.abs((got as number) - (100 * n) / d)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
    );
  });
});

describe("valueTypeOf", () => {
  it("follows formulas to what they compute from", () => {
    expect(valueTypeOf(t, "members")).toBe("integer");
    expect(valueTypeOf(t, "funds")).toBe("money");
    expect(valueTypeOf(t, "members_male")).toBe("integer");
    expect(valueTypeOf(t, "members_change")).toBe("integer");
    expect(valueTypeOf(t, "female_share")).toBe("percent");
    expect(valueTypeOf(t, "members_of_target")).toBe("percent");
    expect(valueTypeOf(t, "nobody")).toBe("decimal");
    const money = withFormula({ op: "sum", of: ["a", "b"] });
    expect(valueTypeOf(money, "f")).toBe("decimal");
  });
});

describe("formatValue", () => {
  it("writes values the Vietnamese way, without the unit", () => {
    expect(formatValue(indicator(t, "members"), null)).toBe("—");
    expect(formatValue(indicator(t, "members"), 1612)).toBe("1.612");
    expect(formatValue(indicator(t, "members"), 0)).toBe("0");
    expect(formatValue(indicator(t, "funds"), 30_800_000)).toBe("30.800.000");
    expect(formatValue(indicator(t, "literacy_rate"), 99.48)).toBe("99,48");
    expect(formatValue(indicator(t, "female_share"), 43.8)).toBe("43,80");
    expect(formatValue(indicator(t, "female_share"), 100)).toBe("100,00");
    expect(formatValue(indicator(t, "hours"), 12.5)).toBe("12,5");
    expect(formatValue(indicator(t, "hours"), 2)).toBe("2");
    expect(formatValue(indicator(t, "hours"), 1234.567)).toBe("1.234,57");
    expect(formatValue(indicator(t, "hours"), 10.1)).toBe("10,1");
    expect(formatValue(indicator(t, "members_change"), -1250)).toBe("-1.250");
    expect(formatValue(indicator(t, "members_change"), 0.5)).toBe("0,5");
    expect(formatValue(indicator(t, "members"), Number.POSITIVE_INFINITY)).toBe("—");
  });
});
