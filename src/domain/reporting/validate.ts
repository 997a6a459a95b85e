/**
 * The checks of a report's figures when it is saved and when it is submitted, beside the field
 * (`values.<indicator id>`) in plain Vietnamese. Pure: no I/O.
 */
import type { Indicator, ReportTemplate, Values } from "./template.ts";

export interface ValueProblem {
  field: string;
  message: string;
}

const field = (id: string) => `values.${id}`;

/** What is wrong with one typed value; null when it is fine (null itself is "not given", fine). */
function typedValueProblem(ind: Extract<Indicator, { kind: "typed" }>, v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) return `«${ind.label}» phải là một số.`;
  switch (ind.valueType) {
    case "integer":
    case "money":
      return Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER
        ? null
        : `«${ind.label}» phải là số nguyên không âm.`;
    case "percent":
      return v >= 0 && v <= 100 ? null : `«${ind.label}» phải là tỷ lệ phần trăm từ 0 đến 100.`;
    case "decimal":
      return v >= 0 ? null : `«${ind.label}» không được là số âm.`;
  }
}

/**
 * The problems of the typed values a unit sends (`typed`: indicator id → value as received), then
 * of the template's rules over every value of the report (`ctx.all`, counters and formulas
 * included) and the previous period's (`ctx.previous`). A rule only fails on values both given.
 */
export function valueProblems(
  t: ReportTemplate,
  typed: Record<string, unknown>,
  ctx: { previous?: Values; all: Values },
): ValueProblem[] {
  const out: ValueProblem[] = [];
  const byId = new Map(t.indicators.map((i) => [i.id, i]));
  for (const [id, v] of Object.entries(typed)) {
    const ind = byId.get(id);
    if (!ind) {
      out.push({ field: field(id), message: `Chỉ tiêu «${id}» không có trong biểu mẫu.` });
    } else if (ind.kind !== "typed") {
      out.push({ field: field(id), message: `Chỉ tiêu «${ind.label}» được tính từ số liệu, không nhập.` });
    } else {
      const message = typedValueProblem(ind, v);
      if (message) out.push({ field: field(id), message });
    }
  }
  const value = (m: Values | undefined, id: string) => m?.get(id) ?? null;
  for (const r of t.rules) {
    if (r.rule === "lte") {
      const [left, right] = [value(ctx.all, r.left), value(ctx.all, r.right)];
      if (left !== null && right !== null && left > right)
        out.push({ field: field(r.left), message: r.message });
    } else {
      const [now, before] = [value(ctx.all, r.of), value(ctx.previous, r.of)];
      if (now !== null && before !== null && now < before)
        out.push({ field: field(r.of), message: r.message });
    }
  }
  return out;
}

/** What a report still lacks to be submitted: its required typed values that are missing. */
export function submitProblems(t: ReportTemplate, all: Values): ValueProblem[] {
  return t.indicators
    .filter((i) => i.kind === "typed" && i.required && (all.get(i.id) ?? null) === null)
    .map((i) => ({ field: field(i.id), message: `Chưa nhập «${i.label}».` }));
}
