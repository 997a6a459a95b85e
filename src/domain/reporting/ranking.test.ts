import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rankUnits } from "./ranking.ts";

const rows = [
  { id: 1, name: "Xã Thanh Định", value: 80 },
  { id: 2, name: "Xã Bình Yên", value: 95 },
  { id: 3, name: "Xã Ân Hòa", value: 80 },
  { id: 4, name: "Xã Đông Sơn", value: null },
  { id: 5, name: "Xã An Hòa", value: 80 },
  { id: 6, name: "Xã Cẩm Lệ", value: 0 },
  { id: 7, name: "Xã Bắc Sơn", value: null },
];

describe("rankUnits", () => {
  it("ranks the largest first, ties sharing a rank (1, 2, 2, 2, 5) and ordered by Vietnamese name", () => {
    const { ranked, withoutData } = rankUnits(rows, "desc");
    expect(ranked).toEqual([
      { id: 2, name: "Xã Bình Yên", value: 95, rank: 1 },
      { id: 5, name: "Xã An Hòa", value: 80, rank: 2 },
      { id: 3, name: "Xã Ân Hòa", value: 80, rank: 2 },
      { id: 1, name: "Xã Thanh Định", value: 80, rank: 2 },
      { id: 6, name: "Xã Cẩm Lệ", value: 0, rank: 5 },
    ]);
    // "Bắc" sorts before "Đông" (b < đ); a unit without the figure is not ranked as 0
    expect(withoutData).toEqual([
      { id: 7, name: "Xã Bắc Sơn" },
      { id: 4, name: "Xã Đông Sơn" },
    ]);
  });

  it("ranks the smallest first in ascending order", () => {
    expect(rankUnits(rows, "asc").ranked.map((r) => [r.id, r.rank])).toEqual([
      [6, 1],
      [5, 2],
      [3, 2],
      [1, 2],
      [2, 5],
    ]);
  });

  it("uses competition ranks over the units with data (property)", () => {
    const row = fc.record({
      id: fc.nat(1000),
      name: fc.constantFrom("Xã A", "Xã Ă", "Xã B", "Phường Đ", "Thị trấn Ê"),
      value: fc.option(fc.integer({ min: -5, max: 5 })),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }),
        fc.constantFrom("desc" as const, "asc" as const),
        (rs, order) => {
          const { ranked, withoutData } = rankUnits(rs, order);
          expect(ranked.length + withoutData.length).toBe(rs.length);
          expect(ranked.length).toBe(rs.filter((r) => r.value !== null).length);
          for (const r of ranked) {
            // rank = 1 + the number of units strictly better
            const better = ranked.filter((o) => (order === "desc" ? o.value > r.value : o.value < r.value));
            expect(r.rank).toBe(better.length + 1);
          }
        },
      ),
    );
  });
});
