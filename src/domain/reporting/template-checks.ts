/**
 * Consistency of a parsed template, beyond what its schema can say: ids that are unique and
 * refer to something, formulas that can be evaluated, tables whose rows fit their columns.
 * Pure: no I/O. A template with problems is refused when it is loaded or published.
 */
import type { Formula, ReportTemplate } from "./template.ts";

/** The indicators a formula reads in the same period (change_from_previous reads `of` now, too). */
export function formulaInputs(f: Formula): string[] {
  switch (f.op) {
    case "sum":
      return f.of;
    case "difference":
      return [f.a, f.b];
    case "percent":
      return [f.numerator, f.denominator];
    case "change_from_previous":
    case "percent_of_target":
      return [f.of];
  }
}

function ruleInputs(r: ReportTemplate["rules"][number]): string[] {
  return r.rule === "lte" ? [r.left, r.right] : [r.of];
}

function duplicates(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const x of items) (seen.has(x) ? twice : seen).add(x);
  return [...twice];
}

/**
 * The formulas that depend on themselves, each cycle once, as its path from its first member
 * in the template's order: ["a", "b", "a"].
 */
function formulaCycles(t: ReportTemplate): string[][] {
  const inputs = new Map<string, string[]>();
  for (const ind of t.indicators) if (ind.kind === "formula") inputs.set(ind.id, formulaInputs(ind.formula));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    state.set(id, "visiting");
    stack.push(id);
    for (const next of inputs.get(id) ?? []) {
      if (!inputs.has(next)) continue;
      if (state.get(next) === "visiting") {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const key = [...new Set(cycle)].sort().join(" ");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(id, "done");
  };
  for (const id of inputs.keys()) if (!state.has(id)) visit(id);
  return cycles;
}

/** What is inconsistent in a template, in Vietnamese, one message per problem; [] when none. */
export function templateProblems(t: ReportTemplate): string[] {
  const out: string[] = [];
  const ids = new Set(t.indicators.map((i) => i.id));
  const unknown = (id: string) => !ids.has(id);

  for (const id of duplicates(t.indicators.map((i) => i.id))) out.push(`Mã chỉ tiêu «${id}» bị trùng.`);
  for (const key of duplicates(t.sections.map((s) => s.key))) out.push(`Mã mục «${key}» bị trùng.`);

  for (const ind of t.indicators) {
    if (ind.kind === "typed" && ind.valueType === "percent" && ind.aggregate === "sum") {
      out.push(
        `Chỉ tiêu «${ind.id}» là tỷ lệ phần trăm: không cộng tỷ lệ của các đơn vị cấp dưới (đặt aggregate là "none", hoặc dùng công thức percent).`,
      );
    }
    if (ind.kind !== "formula") continue;
    for (const id of formulaInputs(ind.formula).filter(unknown)) {
      out.push(`Công thức của chỉ tiêu «${ind.id}» dùng chỉ tiêu «${id}» không có trong biểu mẫu.`);
    }
  }
  t.rules.forEach((r, i) => {
    for (const id of ruleInputs(r).filter(unknown)) {
      out.push(`Quy tắc kiểm tra thứ ${i + 1} dùng chỉ tiêu «${id}» không có trong biểu mẫu.`);
    }
  });
  for (const s of t.sections) {
    if (s.kind === "indicators") {
      for (const id of s.indicators.filter(unknown)) {
        out.push(`Mục «${s.key}» liệt kê chỉ tiêu «${id}» không có trong biểu mẫu.`);
      }
    }
    if (s.kind === "table") {
      const width = s.columns.length - 1;
      s.rows.forEach((row, i) => {
        const where = `Bảng «${s.key}», dòng ${i + 1} («${row.label}»)`;
        if (row.cells.length !== width) {
          out.push(`${where} có ${row.cells.length} ô số liệu nhưng bảng có ${width} cột số liệu.`);
        }
        for (const id of row.cells.filter((c): c is string => c !== null).filter(unknown)) {
          out.push(`${where} dùng chỉ tiêu «${id}» không có trong biểu mẫu.`);
        }
      });
    }
    if (s.kind === "period_table") {
      if (t.periodKind !== "phase") {
        out.push(`Bảng «${s.key}» có cột từng năm: chỉ dùng cho biểu mẫu báo cáo theo giai đoạn (phase).`);
      }
      s.rows.forEach((row, i) => {
        const where = `Bảng «${s.key}», dòng ${i + 1} («${row.label}»)`;
        if (row.count === null && row.rate === null) out.push(`${where} không có chỉ tiêu nào.`);
        for (const id of [row.count, row.rate].filter((c): c is string => c !== null).filter(unknown)) {
          out.push(`${where} dùng chỉ tiêu «${id}» không có trong biểu mẫu.`);
        }
      });
    }
  }

  for (const cycle of formulaCycles(t)) {
    out.push(`Công thức tính vòng quanh, chỉ tiêu phụ thuộc vào chính nó: ${cycle.join(" → ")}.`);
  }

  if (t.periodKind === "reporting_year" && t.startMonth === undefined) {
    out.push("Biểu mẫu báo cáo theo năm báo cáo phải có tháng bắt đầu năm (startMonth).");
  }
  if (t.periodKind !== "reporting_year" && t.startMonth !== undefined) {
    out.push("Chỉ biểu mẫu báo cáo theo năm báo cáo mới có tháng bắt đầu năm (startMonth).");
  }
  return out;
}
