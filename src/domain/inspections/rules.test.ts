import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defaultCategoryFor,
  planMetrics,
  planProblems,
  targetProblems,
  targetUnitProblems,
} from "./rules.ts";

const plan = {
  issuedOn: "2024-10-25",
  fromDate: "2024-11-04",
  toDate: "2024-11-15",
  team: [{ role: "head" }],
};

describe("inspection rules", () => {
  it("refuses an end before the start, a start before the plan, two heads — all at once", () => {
    expect(planProblems(plan)).toEqual([]);
    expect(
      planProblems({
        ...plan,
        fromDate: "2024-10-01",
        toDate: "2024-09-30",
        team: [{ role: "head" }, { role: "head" }],
      }).map((p) => p.field),
    ).toEqual(["toDate", "fromDate", "team"]);
  });

  it("checks targets: once per plan, school level iff a school Association, dates inside the plan", () => {
    const t = { orgUnitId: 1, category: "commune_association", schoolLevel: null, scheduledOn: null };
    expect(targetProblems(plan, [t])).toEqual([]);
    expect(targetProblems(plan, [t, t]).map((p) => p.field)).toEqual(["targets.1.orgUnitId"]);
    expect(targetProblems(plan, [{ ...t, category: "school_association" }])[0]?.message).toMatch(/cấp học/);
    expect(targetProblems(plan, [{ ...t, schoolLevel: "thcs" }])[0]?.field).toBe("targets.0.schoolLevel");
    expect(targetProblems(plan, [{ ...t, scheduledOn: "2024-12-01" }])[0]?.field).toBe(
      "targets.0.scheduledOn",
    );
  });

  it("a target is strictly below the inspecting unit and of the kind its category names", () => {
    const province = { path: "/1/2/", name: "Tỉnh A" };
    expect(targetUnitProblems(0, province, { ...province, kind: "province" }, "other")[0]?.message).toMatch(
      /chính mình/,
    );
    expect(
      targetUnitProblems(0, province, { path: "/1/3/", name: "Tỉnh B", kind: "province" }, "other")[0]
        ?.message,
    ).toMatch(/không trực thuộc/);
    expect(
      targetUnitProblems(
        0,
        province,
        { path: "/1/2/9/", name: "Xã C", kind: "commune" },
        "school_association",
      ),
    ).toHaveLength(1);
    expect(
      targetUnitProblems(
        0,
        province,
        { path: "/1/2/9/", name: "Xã C", kind: "commune" },
        "commune_association",
      ),
    ).toEqual([]);
    expect(defaultCategoryFor("commune")).toBe("commune_association");
    expect(defaultCategoryFor("school")).toBe("school_association");
  });

  it("counts a plan: one plan, its targets by category and level, the rated ones by rating", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            category: fc.constantFrom("commune_association", "school_association", "other"),
            schoolLevel: fc.constantFrom("thcs", "thpt"),
            rating: fc.option(fc.constantFrom("tot", "kha")),
          }),
        ),
        (targets) => {
          const ts = targets.map((t) => ({
            ...t,
            schoolLevel: t.category === "school_association" ? t.schoolLevel : null,
          }));
          const m = planMetrics(ts);
          expect(m.get("plans")).toBe(1);
          expect(m.get("targets")).toBe(ts.length);
          const rated = ts.filter((t) => t.rating).length;
          expect(m.get("inspected") ?? 0).toBe(rated);
          expect((m.get("rating:tot") ?? 0) + (m.get("rating:kha") ?? 0)).toBe(rated);
          expect((m.get("targets:school:thcs") ?? 0) + (m.get("targets:school:thpt") ?? 0)).toBe(
            m.get("targets:school_association") ?? 0,
          );
        },
      ),
    );
  });
});
