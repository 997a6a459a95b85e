import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Period, periodCode, periodRange } from "../periods.ts";
import { fromDhis2Period, toDhis2Period } from "./periods.ts";

const xhht = (id: string) => {
  const r = fromDhis2Period(id);
  if (!r.ok) throw new Error(r.message);
  return r.period;
};

describe("DHIS2 period identifiers", () => {
  it("reads the calendar periods", () => {
    expect(periodCode(xhht("2024"))).toBe("2024");
    expect(periodCode(xhht("2024Q3"))).toBe("2024-Q3");
    expect(periodCode(xhht("2024S2"))).toBe("2024-H2");
  });

  it("reads financial years with DHIS2's naming: April, July, Oct by their first year, Nov by their last", () => {
    expect(periodCode(xhht("2024April"))).toBe("RY2025-04");
    expect(periodRange(xhht("2024April"))).toEqual({ from: "2024-04-01", to: "2025-03-31" });
    expect(periodRange(xhht("2024July"))).toEqual({ from: "2024-07-01", to: "2025-06-30" });
    expect(periodRange(xhht("2024Oct"))).toEqual({ from: "2024-10-01", to: "2025-09-30" });
    // Seed 000's Association year 1/11/2023–31/10/2024: XHHT RY2024-11, DHIS2 2024Nov.
    expect(periodCode(xhht("2024Nov"))).toBe("RY2024-11");
    expect(periodRange(xhht("2025Nov"))).toEqual({ from: "2024-11-01", to: "2025-10-31" });
  });

  it("refuses what XHHT does not count, saying why in Vietnamese", () => {
    for (const [id, why] of [
      ["202403", /theo tháng/],
      ["20240315", /theo ngày/],
      ["2024W10", /theo tuần/],
      ["202401B", /hai tháng/],
      ["2025NovQ1", /quý bắt đầu từ tháng 11/],
      ["2024AprilS1", /6 tháng/],
      ["2024Sep", /tháng 9/],
      ["2024Q5", /không phải mã kỳ DHIS2/],
      ["năm 2024", /không phải mã kỳ DHIS2/],
      ["1850", /từ 1900 đến 2199/],
    ] as const) {
      const r = fromDhis2Period(id);
      expect(r.ok, id).toBe(false);
      if (!r.ok) expect(r.message, id).toMatch(why);
    }
  });

  it("writes no identifier for the periods DHIS2 has no type for", () => {
    expect(toDhis2Period({ kind: "school_year", startYear: 2024 })).toBeNull();
    expect(toDhis2Period({ kind: "phase", firstYear: 2021, lastYear: 2025 })).toBeNull();
    expect(toDhis2Period({ kind: "reporting_year", year: 2025, startMonth: 9 })).toBeNull();
  });

  it("round-trips every period it can write, over the same days", () => {
    const period = fc.oneof(
      fc.integer({ min: 1901, max: 2198 }).map((year): Period => ({ kind: "year", year })),
      fc
        .record({
          year: fc.integer({ min: 1900, max: 2199 }),
          quarter: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
        })
        .map((p): Period => ({ kind: "quarter", ...p })),
      fc
        .record({
          year: fc.integer({ min: 1900, max: 2199 }),
          half: fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2>,
        })
        .map((p): Period => ({ kind: "half_year", ...p })),
      fc
        .record({ year: fc.integer({ min: 1902, max: 2199 }), startMonth: fc.constantFrom(4, 7, 10, 11) })
        .map((p): Period => ({ kind: "reporting_year", ...p })),
    );
    fc.assert(
      fc.property(period, (p) => {
        const id = toDhis2Period(p);
        expect(id).not.toBeNull();
        const back = fromDhis2Period(id as string);
        expect(back.ok).toBe(true);
        if (back.ok) {
          expect(periodCode(back.period)).toBe(periodCode(p));
          expect(periodRange(back.period)).toEqual(periodRange(p));
        }
      }),
    );
  });
});
