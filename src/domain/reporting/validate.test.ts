import { describe, expect, it } from "vitest";
import { evaluateIndicators } from "./evaluate.ts";
import { quarterlyTemplate } from "./fixtures.ts";
import { submitProblems, valueProblems } from "./validate.ts";

const t = quarterlyTemplate();
const values = (entries: Record<string, number | null>) => new Map(Object.entries(entries));
const none = { all: new Map<string, number | null>() };

describe("valueProblems: the typed values", () => {
  it("accepts well-formed values and empty ones", () => {
    const typed = {
      members: 1612,
      members_female: 706,
      funds: 30_800_000,
      literacy_rate: 99.48,
      hours: 12.5,
    };
    expect(valueProblems(t, typed, { all: values(typed) })).toEqual([]);
    expect(valueProblems(t, { members: null, hours: 0, literacy_rate: 0 }, none)).toEqual([]);
    expect(valueProblems(t, { funds: Number.MAX_SAFE_INTEGER, literacy_rate: 100 }, none)).toEqual([]);
  });

  it("refuses values of indicators that are not typed, or not in the template", () => {
    expect(valueProblems(t, { centres_classes: 4, members_male: 3, ghost: 1 }, none)).toEqual([
      {
        field: "values.centres_classes",
        message: "Chỉ tiêu «Số lớp của các trung tâm» được tính từ số liệu, không nhập.",
      },
      { field: "values.members_male", message: "Chỉ tiêu «Hội viên nam» được tính từ số liệu, không nhập." },
      { field: "values.ghost", message: "Chỉ tiêu «ghost» không có trong biểu mẫu." },
    ]);
  });

  it("wants numbers, finite ones", () => {
    for (const bad of ["12", Number.NaN, Number.POSITIVE_INFINITY, true, {}, undefined]) {
      expect(valueProblems(t, { hours: bad }, none)).toEqual([
        { field: "values.hours", message: "«Số giờ học bình quân» phải là một số." },
      ]);
    }
  });

  it("wants non-negative safe integers for counts and money", () => {
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 2]) {
      expect(valueProblems(t, { members: bad, funds: bad }, none)).toEqual([
        { field: "values.members", message: "«Tổng số hội viên» phải là số nguyên không âm." },
        { field: "values.funds", message: "«Số tiền vận động được» phải là số nguyên không âm." },
      ]);
    }
  });

  it("keeps percents within 0–100 and decimals non-negative", () => {
    expect(valueProblems(t, { literacy_rate: 100.01, hours: -0.5 }, none)).toEqual([
      { field: "values.literacy_rate", message: "«Tỷ lệ biết chữ» phải là tỷ lệ phần trăm từ 0 đến 100." },
      { field: "values.hours", message: "«Số giờ học bình quân» không được là số âm." },
    ]);
    expect(valueProblems(t, { literacy_rate: -1 }, none)).toHaveLength(1);
  });
});

describe("valueProblems: the template's rules", () => {
  it("fails lte when both sides are given and left > right, beside the left field", () => {
    const all = evaluateIndicators(t, { base: values({ members: 700, members_female: 706 }) });
    expect(valueProblems(t, { members: 700, members_female: 706 }, { all })).toEqual([
      { field: "values.members_female", message: "Số hội viên nữ không được lớn hơn tổng số hội viên." },
    ]);
    // equal is fine; a missing side is not checked
    expect(valueProblems(t, {}, { all: values({ members: 706, members_female: 706 }) })).toEqual([]);
    expect(valueProblems(t, {}, { all: values({ members: null, members_female: 706 }) })).toEqual([]);
  });

  it("checks rules over counters and values not sent now (ctx.all)", () => {
    const tpl = quarterlyTemplate({
      rules: [{ rule: "lte", left: "centres_classes", right: "members", message: "Số lớp quá lớn." }],
    });
    expect(valueProblems(tpl, { members: 3 }, { all: values({ centres_classes: 4, members: 3 }) })).toEqual([
      { field: "values.centres_classes", message: "Số lớp quá lớn." },
    ]);
  });

  it("fails not_below_previous when the value dropped since the previous period", () => {
    const msg = "Số tiền lũy kế không được giảm so với quý trước.";
    const previous = values({ funds: 5_000_000 });
    expect(valueProblems(t, {}, { all: values({ funds: 4_999_999 }), previous })).toEqual([
      { field: "values.funds", message: msg },
    ]);
    expect(valueProblems(t, {}, { all: values({ funds: 5_000_000 }), previous })).toEqual([]);
    expect(valueProblems(t, {}, { all: values({ funds: 1 }) })).toEqual([]);
    expect(valueProblems(t, {}, { all: values({ funds: null }), previous })).toEqual([]);
  });
});

describe("submitProblems", () => {
  it("lists the required typed values still missing", () => {
    expect(submitProblems(t, values({ members: null }))).toEqual([
      { field: "values.members", message: "Chưa nhập «Tổng số hội viên»." },
      { field: "values.funds", message: "Chưa nhập «Số tiền vận động được»." },
    ]);
    expect(submitProblems(t, values({ members: 0, funds: 0 }))).toEqual([]);
  });
});
