import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AGE_BANDS,
  type BandFigures,
  bandRows,
  figuresFromMetrics,
  formatRate,
  type LiteracyFigures,
  literacyMetrics,
  literacyProblems,
  percent,
  surveyDateProblem,
  yearProblem,
} from "./literacy.ts";

/** Seed 003 (huyện Hòa An, thời điểm 12/2019), split into the three disjoint bands. */
const SEED_003: Record<(typeof AGE_BANDS)[number], BandFigures> = {
  "15-25": { population: 7916, level1: 7844, level2: 7817 },
  "26-35": { population: 20126 - 7916, level1: 19925 - 7844, level2: 11959 },
  "36-60": { population: 39564 - 20126, level1: 39127 - 19925, level2: 18315 },
};

const figures = (over: Partial<LiteracyFigures> = {}): LiteracyFigures => ({
  bands: SEED_003,
  newlyLiterateContinuing: null,
  standards: { xmc: 2, pcmn5: 1, pcth: 3, pcthcs: 2 },
  ...over,
});

describe("the bands of seed 003", () => {
  it("derives 15–35 and 15–60 as sums and gives the seed's percentages", () => {
    const rows = Object.fromEntries(bandRows(SEED_003).map((r) => [r.code, r]));
    expect(rows["15-25"]).toMatchObject({ population: 7916, level1: 7844, level2: 7817, derived: false });
    expect(formatRate(rows["15-25"]?.level1Percent ?? null)).toBe("99,09%");
    expect(formatRate(rows["15-25"]?.level2Percent ?? null)).toBe("98,75%");
    expect(rows["15-35"]).toMatchObject({ population: 20126, level1: 19925, level2: 19776, derived: true });
    expect(formatRate(rows["15-35"]?.level2Percent ?? null)).toBe("98,26%");
    // The seed prints 99,0%: the same figure to one decimal.
    expect(formatRate(rows["15-35"]?.level1Percent ?? null)).toBe("99,00%");
    expect(rows["15-60"]).toMatchObject({ population: 39564, level1: 39127, level2: 38091 });
    expect(formatRate(rows["15-60"]?.level1Percent ?? null)).toBe("98,90%");
    expect(formatRate(rows["15-60"]?.level2Percent ?? null)).toBe("96,28%");
    // The appendix's disjoint rows: 26–35 at 97,94%, 36–60 at 94,22% (level 2).
    expect(formatRate(rows["26-35"]?.level2Percent ?? null)).toBe("97,94%");
    expect(formatRate(rows["36-60"]?.level2Percent ?? null)).toBe("94,22%");
    // The seed's own figures satisfy level 2 ≤ level 1 ≤ population in every band.
    expect(literacyProblems({ bands: SEED_003 })).toEqual([]);
  });

  it("has no rate for an empty band, rather than 0%", () => {
    expect(percent(0, 0)).toBeNull();
    expect(formatRate(null)).toBe("—");
  });
});

describe("validation", () => {
  it("refuses more literates than people and level 2 above level 1, beside the cell", () => {
    const bad = { ...SEED_003, "15-25": { population: 100, level1: 120, level2: 90 } };
    expect(literacyProblems({ bands: bad })).toEqual([
      {
        field: "bands.15-25.level1",
        message: "Số người biết chữ mức độ 1 (15–25 tuổi) không được lớn hơn số dân trong độ tuổi.",
      },
    ]);
    const above = { ...SEED_003, "36-60": { population: 100, level1: 80, level2: 81 } };
    expect(literacyProblems({ bands: above }).map((p) => p.field)).toEqual(["bands.36-60.level2"]);
  });

  it("refuses fractions and negatives, every problem at once", () => {
    const bad = {
      "15-25": { population: 10.5, level1: 3, level2: 2 },
      "26-35": { population: 10, level1: -1, level2: 0 },
      "36-60": { population: 10, level1: 5, level2: 6 },
    };
    expect(
      literacyProblems({ bands: bad, newlyLiterateContinuing: 1.5, standards: { xmc: 3, pcmn5: 2 } }).map(
        (p) => p.field,
      ),
    ).toEqual([
      "bands.15-25.population",
      "bands.26-35.level1",
      "bands.36-60.level2",
      "newlyLiterateContinuing",
      "standards.xmc",
      "standards.pcmn5",
    ]);
  });

  it("never accepts literate > population or level 2 > level 1, whatever the numbers", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.nat(1000), (population, level1, level2) => {
        const bands = { ...SEED_003, "26-35": { population, level1, level2 } };
        const fields = literacyProblems({ bands }).map((p) => p.field);
        expect(fields.includes("bands.26-35.level1")).toBe(level1 > population);
        expect(fields.includes("bands.26-35.level2")).toBe(level2 > level1);
      }),
    );
  });

  it("checks the survey date against the year and the year against today", () => {
    expect(surveyDateProblem(2019, "2019-12-15", "2025-01-01")).toBeNull();
    expect(surveyDateProblem(2019, null, "2025-01-01")).toBeNull();
    expect(surveyDateProblem(2019, "2020-01-02", "2025-01-01")).toBe(
      "Thời điểm điều tra phải thuộc năm 2019.",
    );
    expect(surveyDateProblem(2025, "2025-03-02", "2025-03-01")).toMatch(/không được sau ngày hôm nay/);
    expect(yearProblem(2025, "2025-01-01")).toBeNull();
    expect(yearProblem(2026, "2025-12-31")).toMatch(/Chưa đến năm 2026/);
  });
});

describe("counter metrics", () => {
  it("counts a commune once, its bands, and each standard as 'at least level n'", () => {
    const m = literacyMetrics(figures({ newlyLiterateContinuing: 4 }));
    expect(m.get("reported")).toBe(1);
    expect(m.get("population:15-25")).toBe(7916);
    expect(m.get("l2:36-60")).toBe(18315);
    expect(m.get("newly_literate_continuing")).toBe(4);
    expect([m.get("xmc>=1"), m.get("xmc>=2")]).toEqual([1, 1]);
    expect([m.get("pcth>=1"), m.get("pcth>=2"), m.get("pcth>=3")]).toEqual([1, 1, 1]);
    expect([m.get("pcthcs>=1"), m.get("pcthcs>=2"), m.get("pcthcs>=3")]).toEqual([1, 1, 0]);
    expect(m.get("pcmn5>=1")).toBe(1);
  });

  it("reads back what it counted: summing communes' metrics gives the sum of their figures", () => {
    const sum = new Map<string, number>();
    const communes = [figures(), figures({ standards: { xmc: 1, pcmn5: 0, pcth: 2, pcthcs: 1 } })];
    for (const c of communes) for (const [k, v] of literacyMetrics(c)) sum.set(k, (sum.get(k) ?? 0) + v);
    const f = figuresFromMetrics(sum);
    expect(f.reported).toBe(2);
    expect(f.rows.find((r) => r.code === "15-60")).toMatchObject({
      population: 2 * 39564,
      level2: 2 * 38091,
    });
    expect(f.rows.find((r) => r.code === "15-60")?.level2Percent).toBe(96.28);
    expect(f.standards.find((s) => s.code === "xmc")?.atLeast).toEqual([2, 1]);
    expect(f.standards.find((s) => s.code === "pcmn5")?.atLeast).toEqual([1]);
  });
});
