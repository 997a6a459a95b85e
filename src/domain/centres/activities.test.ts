import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  activityMetrics,
  activityProblems,
  parsePeriod,
  periodName,
  periodsOf,
  schoolYearName,
  schoolYearStartOf,
} from "./activities.ts";
import { CENTRE_CATEGORIES } from "./categories.ts";

describe("school years (1 September – 31 August)", () => {
  it("puts a date in the school year that contains it", () => {
    expect(schoolYearStartOf("2024-09-01")).toBe(2024);
    expect(schoolYearStartOf("2024-08-31")).toBe(2023);
    expect(schoolYearStartOf("2025-01-15")).toBe(2024);
    expect(schoolYearStartOf("2016-12-31")).toBe(2016);
    expect(schoolYearName(2016)).toBe("2016-2017");
    expect(periodsOf("2024-10-05")).toEqual(["2024", "2024-2025", "M2024-10"]);
    expect(periodsOf("2024-03-05")).toEqual(["2024", "2023-2024", "M2024-03"]);
  });

  it("parses periods and names them back", () => {
    expect(parsePeriod("2024")).toEqual({ kind: "year", year: 2024 });
    expect(parsePeriod("2024-2025")).toEqual({ kind: "school_year", startYear: 2024 });
    expect(parsePeriod("2024-2026")).toBeNull();
    expect(parsePeriod("24")).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), (y) => {
        for (const text of [String(y), schoolYearName(y)]) {
          const p = parsePeriod(text);
          expect(p && periodName(p)).toBe(text);
        }
      }),
    );
  });
});

describe("activity validation", () => {
  const ok = {
    startDate: "2024-10-01",
    endDate: "2024-10-03",
    sessions: 3,
    participants: 40,
    female: 20,
    minority: null,
  };

  it("accepts consistent figures", () => {
    expect(activityProblems(ok)).toEqual([]);
    expect(activityProblems({ ...ok, female: 40, minority: 40 })).toEqual([]);
  });

  it("refuses more women than participants, an end before the start and fractions", () => {
    expect(activityProblems({ ...ok, female: 41 })).toEqual([
      { field: "female", message: "Số nữ không được lớn hơn tổng số người tham gia." },
    ]);
    expect(activityProblems({ ...ok, endDate: "2024-09-30" })[0]?.message).toBe(
      "Ngày kết thúc không được trước ngày bắt đầu.",
    );
    expect(activityProblems({ ...ok, sessions: 1.5 }).map((p) => p.field)).toEqual(["sessions"]);
    expect(activityProblems({ ...ok, participants: 2.5 }).map((p) => p.field)).toEqual(["participants"]);
    expect(activityProblems({ ...ok, minority: 41 }).map((p) => p.field)).toEqual(["minority"]);
  });

  it("never accepts female > participants, whatever the numbers", () => {
    fc.assert(
      fc.property(fc.nat(10000), fc.nat(10000), (participants, female) => {
        const problems = activityProblems({ ...ok, participants, female });
        expect(problems.some((p) => p.field === "female")).toBe(female > participants);
      }),
    );
  });

  it("counts one class and its participants in its category", () => {
    expect(
      Object.fromEntries(
        activityMetrics({
          kind: "talk",
          category: "legal",
          sessions: 2,
          participants: 9,
          female: 4,
          minority: null,
        }),
      ),
    ).toEqual({
      "classes:legal": 1,
      "sessions:legal": 2,
      "participants:legal": 9,
      "female:legal": 4,
      "minority:legal": 0,
      "activities:talk": 1,
      "attendance:talk": 9,
    });
  });
});

describe("the official categories", () => {
  it("are the ten rows of seed 004's table, in order, with unique codes", () => {
    expect(CENTRE_CATEGORIES.map((c) => c.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(CENTRE_CATEGORIES.map((c) => c.code)).size).toBe(10);
    expect(CENTRE_CATEGORIES[2]?.label).toBe("Chuyên đề Giáo dục pháp luật");
    for (const c of CENTRE_CATEGORIES) expect(c.label).toBe(c.label.normalize("NFC"));
  });
});
