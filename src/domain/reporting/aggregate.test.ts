import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateTyped } from "./aggregate.ts";
import { quarterlyTemplate } from "./fixtures.ts";

const t = quarterlyTemplate();
const values = (entries: Record<string, number | null>) => new Map(Object.entries(entries));
const TYPED = t.indicators.filter((i) => i.kind === "typed").map((i) => i.id);

describe("aggregateTyped", () => {
  it("sums the children's given typed values, missing when no child has one", () => {
    const sums = aggregateTyped(t, [
      values({ members: 1200, members_female: 500, funds: 30_800_000, hours: 0.1, centres_classes: 4 }),
      values({ members: 412, members_female: null, hours: 0.2, literacy_rate: 99 }),
      values({}),
    ]);
    expect([...sums.keys()]).toEqual(TYPED);
    expect(sums.get("members")).toBe(1612);
    expect(sums.get("members_female")).toBe(500);
    expect(sums.get("funds")).toBe(30_800_000);
    expect(sums.get("hours")).toBe(0.3);
    // aggregate "none": a percent is not summed
    expect(sums.get("literacy_rate")).toBeNull();
    // counters and formulas are not aggregated here
    expect(sums.has("centres_classes")).toBe(false);
    expect(sums.has("members_male")).toBe(false);
  });

  it("gives every typed value as missing for no children", () => {
    expect([...aggregateTyped(t, []).values()]).toEqual(TYPED.map(() => null));
  });

  it("is independent of the children's order and equals a recount (property)", () => {
    const child = fc.record({
      members: fc.option(fc.nat(1_000_000)),
      funds: fc.option(fc.nat(10_000_000_000)),
    });
    const kidsAndShuffle = fc
      .array(child, { maxLength: 30 })
      .chain((kids) =>
        fc.tuple(
          fc.constant(kids),
          fc.shuffledSubarray(kids, { minLength: kids.length, maxLength: kids.length }),
        ),
      );
    fc.assert(
      fc.property(kidsAndShuffle, ([kids, shuffled]) => {
        const a = aggregateTyped(t, kids.map(values));
        expect(aggregateTyped(t, shuffled.map(values))).toEqual(a);
        for (const id of ["members", "funds"] as const) {
          const given = kids.map((k) => k[id]).filter((v): v is number => v !== null);
          expect(a.get(id)).toBe(given.length === 0 ? null : given.reduce((sum, v) => sum + v, 0));
        }
      }),
    );
  });
});
