import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { centreTemplate, quarterlyTemplate } from "./fixtures.ts";
import { type Formula, ReportTemplate, type ReportTemplateInput } from "./template.ts";
import { formulaInputs, templateProblems } from "./template-checks.ts";

type IndicatorInput = ReportTemplateInput["indicators"][number];
const counter = (id: string): IndicatorInput => ({
  id,
  kind: "counter",
  source: "centres",
  metric: id,
  label: `Chỉ tiêu ${id}`,
});
const formula = (id: string, f: Formula): IndicatorInput => ({
  id,
  kind: "formula",
  formula: f,
  label: `Công thức ${id}`,
});

describe("templateProblems", () => {
  it("finds nothing wrong in consistent templates", () => {
    expect(templateProblems(centreTemplate())).toEqual([]);
    expect(templateProblems(quarterlyTemplate())).toEqual([]);
  });

  it("accepts the shipped templates", () => {
    const dir = join(import.meta.dirname, "../../../resources/report-templates");
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const t = ReportTemplate.parse(JSON.parse(readFileSync(join(dir, f), "utf8")));
      expect(templateProblems(t), f).toEqual([]);
    }
  });

  it("keeps year-by-year tables to phases, with known indicators and something in each row", () => {
    const periodTable = {
      kind: "period_table" as const,
      key: "phu_luc",
      title: "Phụ lục",
      rows: [
        { label: "Có", count: "members", rate: "nowhere" },
        { label: "Trống", count: null, rate: null },
      ],
    };
    expect(templateProblems(quarterlyTemplate({ sections: [periodTable] }))).toEqual([
      "Bảng «phu_luc» có cột từng năm: chỉ dùng cho biểu mẫu báo cáo theo giai đoạn (phase).",
      "Bảng «phu_luc», dòng 1 («Có») dùng chỉ tiêu «nowhere» không có trong biểu mẫu.",
      "Bảng «phu_luc», dòng 2 («Trống») không có chỉ tiêu nào.",
    ]);
    const ok = { ...periodTable, rows: [{ label: "Có", count: "members", rate: null }] };
    expect(templateProblems(quarterlyTemplate({ periodKind: "phase", sections: [ok] }))).toEqual([]);
  });

  it("reports duplicate indicator ids and section keys once each", () => {
    const base = centreTemplate();
    const t = centreTemplate({
      indicators: [...base.indicators, counter("classes_legal"), counter("classes_legal")],
      sections: [...base.sections, { kind: "heading", key: "kinh_phi", title: "Lặp" }],
    });
    expect(templateProblems(t)).toEqual([
      "Mã chỉ tiêu «classes_legal» bị trùng.",
      "Mã mục «kinh_phi» bị trùng.",
    ]);
  });

  it("names every reference to an unknown indicator: formula, rule, list, table cell", () => {
    const base = quarterlyTemplate();
    const t = quarterlyTemplate({
      indicators: [...base.indicators, formula("ghost_sum", { op: "sum", of: ["members", "ghost"] })],
      rules: [...base.rules, { rule: "lte", left: "members", right: "phantom", message: "…" }],
      sections: [
        ...base.sections,
        { kind: "indicators", key: "extra", title: "Thêm", indicators: ["members", "nobody"] },
        {
          kind: "table",
          key: "bang",
          title: "Bảng",
          columns: ["Nội dung", "Số"],
          rows: [
            { label: "Dòng một", cells: ["members"] },
            { label: "Dòng hai", cells: ["missing_cell"] },
          ],
        },
      ],
    });
    expect(templateProblems(t)).toEqual([
      "Công thức của chỉ tiêu «ghost_sum» dùng chỉ tiêu «ghost» không có trong biểu mẫu.",
      "Quy tắc kiểm tra thứ 3 dùng chỉ tiêu «phantom» không có trong biểu mẫu.",
      "Mục «extra» liệt kê chỉ tiêu «nobody» không có trong biểu mẫu.",
      "Bảng «bang», dòng 2 («Dòng hai») dùng chỉ tiêu «missing_cell» không có trong biểu mẫu.",
    ]);
  });

  it("refuses table rows that do not fit the columns (the first column is the labels)", () => {
    const t = centreTemplate({
      sections: [
        {
          kind: "table",
          key: "bang",
          title: "Bảng",
          columns: ["Nội dung", "Số lớp", "Số người"],
          rows: [
            { label: "Đủ ô", cells: ["classes_legal", null] },
            { label: "Thiếu ô", cells: ["classes_legal"] },
            { label: "Thừa ô", cells: [null, null, null] },
          ],
        },
      ],
    });
    expect(templateProblems(t)).toEqual([
      "Bảng «bang», dòng 2 («Thiếu ô») có 1 ô số liệu nhưng bảng có 2 cột số liệu.",
      "Bảng «bang», dòng 3 («Thừa ô») có 3 ô số liệu nhưng bảng có 2 cột số liệu.",
    ]);
  });

  it("finds formula cycles, direct and through others, each once", () => {
    const t = quarterlyTemplate({
      indicators: [
        counter("c"),
        formula("a", { op: "sum", of: ["b", "c"] }),
        formula("b", { op: "difference", a: "d", b: "c" }),
        formula("d", { op: "percent", numerator: "a", denominator: "c" }),
        formula("self", { op: "change_from_previous", of: "self" }),
        formula("fine", { op: "sum", of: ["a", "c"] }),
      ],
      rules: [],
      sections: [{ kind: "heading", key: "h", title: "H" }],
    });
    expect(templateProblems(t)).toEqual([
      "Công thức tính vòng quanh, chỉ tiêu phụ thuộc vào chính nó: a → b → d → a.",
      "Công thức tính vòng quanh, chỉ tiêu phụ thuộc vào chính nó: self → self.",
    ]);
  });

  it("refuses a typed percent that would be summed over the children; kept per unit it is fine", () => {
    const typed = (aggregate?: "sum" | "none"): IndicatorInput => ({
      id: "rate",
      kind: "typed",
      valueType: "percent",
      label: "Tỷ lệ phấn đấu đạt",
      ...(aggregate ? { aggregate } : {}),
    });
    const withRate = (ind: IndicatorInput) => {
      const base = centreTemplate();
      return ReportTemplate.parse({ ...base, indicators: [...base.indicators, ind] });
    };
    const message =
      'Chỉ tiêu «rate» là tỷ lệ phần trăm: không cộng tỷ lệ của các đơn vị cấp dưới (đặt aggregate là "none", hoặc dùng công thức percent).';
    expect(templateProblems(withRate(typed()))).toEqual([message]);
    expect(templateProblems(withRate(typed("sum")))).toEqual([message]);
    expect(templateProblems(withRate(typed("none")))).toEqual([]);
  });

  it("asks for a start month exactly when the period is a reporting year", () => {
    const ry = (over: Partial<ReportTemplateInput>) =>
      centreTemplate({ periodKind: "reporting_year", ...over });
    expect(templateProblems(ry({ startMonth: 11 }))).toEqual([]);
    expect(templateProblems(ry({}))).toEqual([
      "Biểu mẫu báo cáo theo năm báo cáo phải có tháng bắt đầu năm (startMonth).",
    ]);
    expect(templateProblems(centreTemplate({ startMonth: 11 }))).toEqual([
      "Chỉ biểu mẫu báo cáo theo năm báo cáo mới có tháng bắt đầu năm (startMonth).",
    ]);
  });
});

describe("formulaInputs", () => {
  it("lists what each formula reads in the same period", () => {
    expect(formulaInputs({ op: "sum", of: ["a", "b", "c"] })).toEqual(["a", "b", "c"]);
    expect(formulaInputs({ op: "difference", a: "a", b: "b" })).toEqual(["a", "b"]);
    expect(formulaInputs({ op: "percent", numerator: "n", denominator: "d" })).toEqual(["n", "d"]);
    expect(formulaInputs({ op: "change_from_previous", of: "x" })).toEqual(["x"]);
    expect(formulaInputs({ op: "percent_of_target", of: "y" })).toEqual(["y"]);
  });
});
