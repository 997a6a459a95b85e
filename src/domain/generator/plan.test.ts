import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  communePlan,
  GENERATED_MODELS,
  generatedNames,
  nextStatisticsAt,
  randomSource,
  SCALE_TARGETS,
  SCALES,
  statusBounds,
  statusFor,
} from "./plan.ts";

const YEARS = [2025, 2026];
const code = fc.stringMatching(/^[0-9]{5}$/);

describe("the generator's plan", () => {
  it("is the same for the same seed and commune, whatever else was planned before", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCALES), fc.integer(), code, code, (scale, seed, a, b) => {
        const first = communePlan(scale, seed, a, YEARS);
        communePlan(scale, seed, b, YEARS);
        expect(communePlan(scale, seed, a, YEARS)).toEqual(first);
      }),
    );
  });

  it("keeps every village at 20 households or more and every rate between 40 and 95 %", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCALES), fc.integer(), code, (scale, seed, c) => {
        const plan = communePlan(scale, seed, c, YEARS);
        expect(plan.households.length).toBeGreaterThanOrEqual(3);
        for (const n of plan.households) expect(n).toBeGreaterThanOrEqual(20);
        for (const year of YEARS) {
          for (const model of GENERATED_MODELS) {
            const r = plan.rates[year]?.[model];
            expect(r?.registered).toBeGreaterThanOrEqual(0.4);
            expect(r?.registered).toBeLessThanOrEqual(0.95);
            expect(r?.recognisedOfRegistered).toBeGreaterThan(0);
            expect(r?.recognisedOfRegistered).toBeLessThan(1);
          }
          expect(plan.fundEntries[year]).toBeGreaterThanOrEqual(2);
          expect(plan.activities[year]).toBeGreaterThanOrEqual(1);
        }
      }),
    );
  });

  it("spreads commune sizes about tenfold around the scale's mean", () => {
    const sizes = Array.from({ length: 3321 }, (_, i) =>
      communePlan("national", 7, String(i).padStart(5, "0"), YEARS).households.reduce((a, b) => a + b, 0),
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    const mean = total / sizes.length;
    expect(mean).toBeGreaterThan(SCALE_TARGETS.national.householdsPerCommune * 0.9);
    expect(mean).toBeLessThan(SCALE_TARGETS.national.householdsPerCommune * 1.1);
    // ~27 million households in all.
    expect(total).toBeGreaterThan(24_000_000);
    expect(total).toBeLessThan(30_000_000);
    const sorted = [...sizes].sort((a, b) => a - b);
    const ratio = (sorted.at(-1) as number) / (sorted[0] as number);
    expect(ratio).toBeGreaterThan(7);
    expect(ratio).toBeLessThan(12);
  });

  it("the commune scale is one commune of about 3,000 households in about 10 villages", () => {
    const plan = communePlan("commune", 1, "00001", YEARS);
    expect(plan.households).toHaveLength(10);
    const total = plan.households.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(2900);
    expect(total).toBeLessThanOrEqual(3000);
  });
});

describe("statuses drawn from a uniform number", () => {
  it("bounds rise, end at the registered share, and recognised is its share of the registered", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.4, max: 0.95, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (registered, share) => {
          const bounds = statusBounds({ registered, recognisedOfRegistered: share });
          for (let i = 1; i < bounds.length; i++)
            expect(bounds[i]?.below).toBeGreaterThanOrEqual(bounds[i - 1]?.below as number);
          expect(bounds.at(-1)?.below).toBe(registered);
          expect(bounds[0]?.below).toBeCloseTo(registered * share, 12);
        },
      ),
    );
  });

  it("a draw past the registered share is not registered; below it, some status", () => {
    const rates = { registered: 0.8, recognisedOfRegistered: 0.75 };
    expect(statusFor(0.85, rates)).toBeNull();
    expect(statusFor(0, rates)).toBe("recognised");
    expect(statusFor(0.79, rates)).toBe("registered");
    const random = randomSource(3);
    let recognised = 0;
    for (let i = 0; i < 100_000; i++) if (statusFor(random(), rates) === "recognised") recognised++;
    expect(recognised / 100_000).toBeCloseTo(0.6, 2);
  });
});

describe("generated names", () => {
  it("are distinct, NFC, and Vietnamese full names of three words", () => {
    const names = generatedNames();
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) {
      expect(n).toBe(n.normalize("NFC"));
      expect(n.split(" ")).toHaveLength(3);
    }
  });
});

describe("when the generator refreshes the planner's statistics", () => {
  it("does so after the first commune, then each time the communes grew by half at most", () => {
    fc.assert(
      fc.property(fc.nat(100_000), (generated) => {
        const next = nextStatisticsAt(generated);
        expect(next).toBeGreaterThan(generated);
        // Grown by half at most since the last time (by one commune while they are few).
        expect(next).toBeLessThanOrEqual(1.5 * generated + 1);
      }),
    );
    expect(nextStatisticsAt(0)).toBe(1);
  });

  it("about twenty times for the nation's 3,321 communes, not after every one", () => {
    let times = 0;
    for (let at = nextStatisticsAt(0); at <= 3321; at = nextStatisticsAt(at)) times++;
    expect(times).toBeGreaterThanOrEqual(15);
    expect(times).toBeLessThanOrEqual(25);
  });
});
