import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Criterion, FrameworkDefinition, frameworkProblems } from "./framework.ts";
import { type Answers, answerProblems, criterionPoints, scoreAssessment } from "./scoring.ts";

/** A family framework shaped like QĐ 448 part A: four groups, 100 points. */
const family = FrameworkDefinition.parse({
  model: "gdht",
  title: "Gia đình học tập (thử nghiệm)",
  legalBasis: { documentNumber: null, documentDate: null, issuer: null, title: null },
  scope: { kind: "national" },
  effectiveFromYear: 2016,
  effectiveToYear: null,
  groups: [
    {
      code: "1",
      title: "Học tập của trẻ em trong gia đình",
      maxPoints: 30,
      criteria: [
        {
          code: "1.1",
          text: "Trẻ em trong độ tuổi đều đến trường",
          maxPoints: 10,
          input: { kind: "yes_no" },
          mandatory: true,
        },
        { code: "1.2", text: "Kết quả học tập", maxPoints: 10, input: { kind: "points" } },
        { code: "1.3", text: "Lễ phép, tích cực", maxPoints: 10, input: { kind: "points" } },
      ],
    },
    {
      code: "2",
      title: "Học tập của người lớn trong gia đình",
      maxPoints: 30,
      minPoints: 10,
      criteria: [
        { code: "2.1", text: "Người lớn biết chữ", maxPoints: 10, input: { kind: "points" } },
        {
          code: "2.2",
          text: "Số buổi học tại trung tâm học tập cộng đồng",
          maxPoints: 20,
          input: {
            kind: "count",
            steps: [
              { atLeast: 1, points: 10 },
              { atLeast: 3, points: 20 },
            ],
          },
        },
      ],
    },
    {
      code: "3",
      title: "Điều kiện học tập",
      maxPoints: 40,
      criteria: [
        {
          code: "3.1",
          text: "Tỷ lệ thành viên dùng Internet để học",
          maxPoints: 40,
          input: {
            kind: "percentage",
            steps: [
              { atLeast: 50, points: 20 },
              { atLeast: 80, points: 40 },
            ],
          },
        },
      ],
    },
  ],
  ratings: [
    { code: "tot", label: "Tốt", minTotal: 90 },
    { code: "kha", label: "Khá", minTotal: 70, minEachGroupPercent: 50 },
    { code: "dat", label: "Đạt", minTotal: 50 },
  ],
});

const full: Answers = { "1.1": true, "1.2": 10, "1.3": 10, "2.1": 10, "2.2": 5, "3.1": 100 };

describe("scoring a family assessment", () => {
  it("gives full marks and the top rating to a family meeting everything", () => {
    const score = scoreAssessment(family, full);
    expect(score.total).toBe(100);
    expect(score.maxTotal).toBe(100);
    expect(score.complete).toBe(true);
    expect(score.rating).toEqual({ code: "tot", label: "Tốt", passing: true });
    expect(score.groups.map((g) => g.points)).toEqual([30, 30, 40]);
  });

  it("converts counts and percentages by the highest step reached", () => {
    const steps = family.groups[1]?.criteria[1] as Criterion;
    expect([0, 1, 2, 3, 40].map((v) => criterionPoints(steps, v))).toEqual([0, 10, 10, 20, 20]);
    const percent = family.groups[2]?.criteria[0] as Criterion;
    expect([49.9, 50, 79.99, 80, 100].map((v) => criterionPoints(percent, v))).toEqual([0, 20, 20, 40, 40]);
  });

  it("drops to a lower rating as scores fall, and fails below every threshold", () => {
    expect(scoreAssessment(family, { ...full, "3.1": 60 }).rating.code).toBe("kha"); // 80
    // 80 points, but the children's group has only 10 of 30 (< 50%): not Khá, only Đạt.
    const unevenly = scoreAssessment(family, { ...full, "1.2": 0, "1.3": 0 });
    expect(unevenly.total).toBe(80);
    expect(unevenly.rating.code).toBe("dat");
    const none = scoreAssessment(family, { "1.1": true, "1.2": 0, "1.3": 0, "2.1": 0, "2.2": 0, "3.1": 0 });
    expect(none.rating).toEqual({ code: null, label: "Chưa đạt", passing: false });
  });

  it("never passes with a mandatory criterion unmet or a group below its minimum", () => {
    const noSchool = scoreAssessment(family, { ...full, "1.1": false });
    expect(noSchool.total).toBe(90);
    expect(noSchool.mandatoryUnmet).toEqual(["1.1"]);
    expect(noSchool.rating.passing).toBe(false);
    const adultsIdle = scoreAssessment(family, { ...full, "2.1": 0, "2.2": 0 });
    expect(adultsIdle.groups[1]?.belowMinimum).toBe(true);
    expect(adultsIdle.rating.passing).toBe(false);
  });

  it("shows a running total while criteria are still unanswered", () => {
    const draft = scoreAssessment(family, { "1.2": 7 });
    expect(draft.total).toBe(7);
    expect(draft.complete).toBe(false);
    expect(draft.unanswered).toEqual(["1.1", "1.3", "2.1", "2.2", "3.1"]);
  });
});

describe("checking answers", () => {
  it("accepts a partial draft but not a partial submission", () => {
    expect(answerProblems(family, { "1.2": 5 }, { final: false })).toEqual([]);
    const final = answerProblems(family, { "1.2": 5 }, { final: true });
    expect(final.map((p) => p.field)).toEqual([
      "answers.1.1",
      "answers.1.3",
      "answers.2.1",
      "answers.2.2",
      "answers.3.1",
    ]);
    expect(final[0]?.message).toBe("Tiêu chí bắt buộc: cần chấm điểm.");
  });

  it("refuses points above the maximum, negative, fractional, wrong kinds and unknown criteria, in Vietnamese", () => {
    const problems = answerProblems(
      family,
      { "1.1": 1, "1.2": 11, "1.3": -1, "2.1": 2.5, "2.2": -3, "3.1": 101, "9.9": 1 },
      { final: true },
    );
    expect(Object.fromEntries(problems.map((p) => [p.field, p.message]))).toEqual({
      "answers.9.9": "Không có tiêu chí 9.9 trong bộ tiêu chí.",
      "answers.1.1": "Chọn Đạt hoặc Không đạt.",
      "answers.1.2": "Điểm tối đa của tiêu chí này là 10.",
      "answers.1.3": "Điểm không được âm.",
      "answers.2.1": "Điểm phải là số nguyên.",
      "answers.2.2": "Số lượng không được âm.",
      "answers.3.1": "Tỷ lệ phải từ 0 đến 100%.",
    });
  });

  it("refuses a typed value for a derived criterion and scores it from the data instead", () => {
    const clan = FrameworkDefinition.parse({
      ...family,
      model: "dhht",
      groups: [
        {
          code: "1",
          title: "Gia đình trong dòng họ",
          maxPoints: 100,
          criteria: [
            {
              code: "1.1",
              text: "Tỷ lệ hộ thành viên đạt Gia đình học tập",
              maxPoints: 100,
              input: {
                kind: "percentage",
                steps: [
                  { atLeast: 50, points: 60 },
                  { atLeast: 70, points: 100 },
                ],
              },
              derivedFrom: "clan.member_households_gdht_percent",
            },
          ],
        },
      ],
    });
    expect(answerProblems(clan, { "1.1": 100 }, { final: true })[0]?.message).toBe(
      "Tiêu chí này được tính tự động từ dữ liệu, không nhập tay.",
    );
    expect(answerProblems(clan, {}, { final: true })).toEqual([]);
    expect(scoreAssessment(clan, { "1.1": 100 }, { "clan.member_households_gdht_percent": 55 }).total).toBe(
      60,
    );
    const unknown = scoreAssessment(clan, {}, {});
    expect(unknown.complete).toBe(false);
    expect(unknown.unanswered).toEqual([]);
  });
});

describe("framework consistency", () => {
  it("reports group totals, duplicate codes, unordered steps and ratings in Vietnamese", () => {
    const broken = structuredClone(family);
    const group = broken.groups[0];
    if (!group) throw new Error("fixture");
    group.maxPoints = 35;
    (group.criteria[2] as Criterion).code = "1.1";
    broken.ratings = [
      { code: "dat", label: "Đạt", minTotal: 50, passing: true },
      { code: "tot", label: "Tốt", minTotal: 120, passing: true },
    ];
    const messages = frameworkProblems(broken).map((p) => p.message);
    expect(messages).toContain("Tổng điểm tối đa các tiêu chí (30) phải bằng điểm tối đa của nhóm (35).");
    expect(messages).toContain("Mã 1.1 bị trùng.");
    expect(messages).toContain("Ngưỡng 120 vượt tổng điểm tối đa 105.");
    expect(messages).toContain("Các mức xếp loại phải xếp từ cao xuống thấp theo ngưỡng điểm.");
    expect(FrameworkDefinition.safeParse(broken).success).toBe(false);
  });

  it("refuses a derived figure about another model's subject (a village's share on a family)", () => {
    const wrong = structuredClone(family);
    const criterion = wrong.groups[2]?.criteria[0] as Criterion;
    criterion.derivedFrom = "village.households_gdht_percent";
    expect(frameworkProblems(wrong).map((p) => p.message)).toContain(
      "Số liệu “Tỷ lệ hộ gia đình trong thôn được công nhận Gia đình học tập trong năm” không thuộc đối tượng của mô hình này.",
    );
  });
});

/** Random answers for the family framework, valid or not. */
const answersArb = fc.record(
  {
    "1.1": fc.boolean(),
    "1.2": fc.integer({ min: 0, max: 10 }),
    "1.3": fc.integer({ min: 0, max: 10 }),
    "2.1": fc.integer({ min: 0, max: 10 }),
    "2.2": fc.integer({ min: 0, max: 50 }),
    "3.1": fc.double({ min: 0, max: 100, noNaN: true }),
  },
  { requiredKeys: [] },
);

const rank = (code: string | null) =>
  code === null ? family.ratings.length : family.ratings.findIndex((r) => r.code === code);

describe("scoring properties", () => {
  it("the total is the sum of the groups, within 0..max, and each criterion within 0..its max", () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const score = scoreAssessment(family, answers);
        expect(score.total).toBe(score.groups.reduce((s, g) => s + g.points, 0));
        expect(score.total).toBeGreaterThanOrEqual(0);
        expect(score.total).toBeLessThanOrEqual(score.maxTotal);
        for (const criterion of family.groups.flatMap((g) => g.criteria)) {
          const p = score.points[criterion.code] ?? -1;
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(criterion.maxPoints);
        }
        expect(score.complete).toBe(Object.keys(answers).length === 6);
      }),
    );
  });

  it("improving any answer never lowers the total or the rating", () => {
    fc.assert(
      fc.property(
        answersArb,
        fc.constantFrom("1.1", "1.2", "1.3", "2.1", "2.2", "3.1"),
        fc.nat(30),
        (answers, code, bump) => {
          const before = scoreAssessment(family, answers);
          const current = answers[code as keyof typeof answers];
          const better: Answers = { ...answers };
          if (code === "1.1") better[code] = true;
          else if (code === "2.2") better[code] = (typeof current === "number" ? current : 0) + bump;
          else if (code === "3.1")
            better[code] = Math.min(100, (typeof current === "number" ? current : 0) + bump);
          else better[code] = Math.min(10, (typeof current === "number" ? current : 0) + bump);
          const after = scoreAssessment(family, better);
          expect(after.total).toBeGreaterThanOrEqual(before.total);
          expect(rank(after.rating.code)).toBeLessThanOrEqual(rank(before.rating.code));
        },
      ),
    );
  });

  it("a submission is accepted exactly when every typed criterion has a valid answer", () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const problems = answerProblems(family, answers, { final: true });
        expect(problems.length === 0).toBe(scoreAssessment(family, answers).complete);
      }),
    );
  });
});
