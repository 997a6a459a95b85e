import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chapterContribution,
  chapterDateProblems,
  contributionDelta,
  populationProblems,
  shareOfPopulation,
  yearFigureProblems,
  yearOutsideLife,
} from "./membership.ts";

const ok = { members: 120, female: 70, newMembers: 12, dues: 2_400_000 };

describe("a chapter's figures for a year", () => {
  it("accepts whole, consistent figures", () => {
    expect(yearFigureProblems(ok)).toEqual([]);
  });

  it("returns every problem at once, in Vietnamese, beside its field", () => {
    const problems = yearFigureProblems({ members: 10, female: 12, newMembers: 11, dues: 10.5 });
    expect(problems).toEqual([
      { field: "female", message: "Số hội viên nữ không được lớn hơn tổng số hội viên." },
      { field: "newMembers", message: "Số hội viên mới kết nạp không được lớn hơn tổng số hội viên." },
      { field: "dues", message: "Hội phí phải là số nguyên đồng, không có phần thập phân." },
    ]);
  });

  it("refuses fractions, negatives, strings and absurd sizes", () => {
    const fields = (f: Record<string, unknown>) =>
      yearFigureProblems(f).map((p) => `${p.field}: ${p.message}`);
    expect(fields({ ...ok, members: 12.5 })).toEqual(["members: Số hội viên phải là số nguyên không âm."]);
    expect(fields({ ...ok, female: -1 })).toEqual(["female: Số hội viên nữ phải là số nguyên không âm."]);
    expect(fields({ ...ok, newMembers: "3" })).toEqual([
      "newMembers: Số hội viên mới kết nạp phải là một số.",
    ]);
    expect(fields({ ...ok, dues: -5 })).toEqual(["dues: Hội phí không được âm."]);
    expect(fields({ ...ok, members: 20_000_000, female: 0, newMembers: 0 })).toEqual([
      "members: Số hội viên quá lớn.",
    ]);
  });

  it("never lets a consistency rule speak about a malformed field", () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double(), fc.string(), fc.constant(null));
    fc.assert(
      fc.property(value, value, (members, female) => {
        const compared = yearFigureProblems({ members, female, newMembers: 0, dues: 0 }).some((p) =>
          p.message.includes("không được lớn hơn"),
        );
        const whole = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= 0;
        expect(compared).toBe(whole(members) && whole(female) && (female as number) > (members as number));
      }),
    );
  });
});

describe("dates of a chapter's life", () => {
  it("refuses a dissolution before the founding and dates in the future", () => {
    expect(chapterDateProblems({ foundedOn: "2020-05-01", dissolvedOn: "2019-01-01" }, "2026-01-01")).toEqual(
      [{ field: "dissolvedOn", message: "Ngày giải thể không được trước ngày thành lập." }],
    );
    expect(chapterDateProblems({ foundedOn: "2027-01-01", dissolvedOn: null }, "2026-01-01")[0]?.field).toBe(
      "foundedOn",
    );
  });

  it("has no figures before its founding year or after its dissolution year", () => {
    const life = { foundedOn: "2021-03-10", dissolvedOn: "2024-06-30" };
    expect(yearOutsideLife(life, 2020)).toMatch(/thành lập năm 2021/);
    expect(yearOutsideLife(life, 2021)).toBeNull();
    expect(yearOutsideLife(life, 2024)).toBeNull();
    expect(yearOutsideLife(life, 2025)).toMatch(/giải thể năm 2024/);
    expect(yearOutsideLife({ foundedOn: null, dissolvedOn: null }, 2000)).toBeNull();
  });
});

describe("what a chapter contributes to the counters", () => {
  it("counts members per year, reporting chapters by kind, new chapters by founding year", () => {
    const c = chapterContribution({
      kind: "clan",
      foundedOn: "2023-04-01",
      dissolvedOn: null,
      years: [{ year: 2024, ...ok }],
      coveredYears: new Set([2024]),
    });
    expect(Object.fromEntries(c.get("2024") ?? [])).toEqual({
      members: 120,
      female: 70,
      new_members: 12,
      dues: 2_400_000,
      chapters: 1,
      "chapters:clan": 1,
      members_covered: 120,
    });
    expect(Object.fromEntries(c.get("2023") ?? [])).toEqual({ new_chapters: 1, "new_chapters:clan": 1 });
  });

  it("moves a chapter's counts when its kind changes: the delta sums to zero per metric family", () => {
    const base = {
      foundedOn: "2024-01-01",
      dissolvedOn: null,
      years: [{ year: 2024, ...ok }],
      coveredYears: new Set<number>(),
    };
    const d = contributionDelta(
      chapterContribution({ ...base, kind: "village" }),
      chapterContribution({ ...base, kind: "school" }),
    ).get("2024");
    expect(d?.get("chapters:village")).toBe(-1);
    expect(d?.get("chapters:school")).toBe(1);
    expect(d?.get("members")).toBe(0);
  });
});

describe("members as a share of the population", () => {
  it("is members over population where both are known, and says how complete it is", () => {
    expect(
      shareOfPopulation({ membersCovered: 3000, population: 10000, communesWithPopulation: 1, communes: 1 }),
    ).toEqual({
      percent: 30,
      communesWithPopulation: 1,
      communes: 1,
      complete: true,
    });
    const partial = shareOfPopulation({
      membersCovered: 300,
      population: 1000,
      communesWithPopulation: 2,
      communes: 5,
    });
    expect(partial.complete).toBe(false);
    expect(
      shareOfPopulation({ membersCovered: 0, population: 0, communesWithPopulation: 0, communes: 3 }).percent,
    ).toBeNull();
  });

  it("refuses a population that is not a positive whole number", () => {
    expect(populationProblems(0)[0]?.message).toBe("Dân số phải là số nguyên lớn hơn 0.");
    expect(populationProblems(12.5)[0]?.message).toBe("Dân số phải là số nguyên lớn hơn 0.");
    expect(populationProblems("12")[0]?.message).toBe("Dân số phải là một số, ví dụ 12500.");
    expect(populationProblems(12500)).toEqual([]);
  });
});
