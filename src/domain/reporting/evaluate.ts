/**
 * The values of a report: the counters and typed figures as given, every formula computed from
 * them, and the Vietnamese display of a value. Pure: no I/O.
 *
 * A missing value is null ("no data", shown "—"), never 0, and it propagates: a sum with a
 * missing part, a percentage of a missing or zero denominator, a change from a period without
 * the figure are all missing. Arithmetic is exact on the decimals the values stand for
 * (`decimal.ts`); percentages have two decimals, rounded half away from zero.
 */
import { formatDecimal, formatInteger } from "../format.ts";
import { exactDifference, exactSum, percentOf } from "./decimal.ts";
import type { Formula, Indicator, ReportTemplate, Value, Values, ValueType } from "./template.ts";
import { formulaInputs } from "./template-checks.ts";

export interface EvaluationInput {
  /** the counter and typed indicators' values; a missing key is null */
  base: Values;
  /**
   * the previous period's values, for change_from_previous: its base (the formulas are evaluated
   * there the same way) or its already evaluated values (a formula's value given is kept).
   */
  previous?: Values;
  /** the targets set for the period (chỉ tiêu giao), by indicator id, for percent_of_target */
  targets?: Values;
}

/**
 * Every indicator's value, in the template's order: counters and typed ones from `base`, formulas
 * computed in dependency order. A formula caught in a cycle (a template that `templateProblems`
 * refuses) is null rather than an endless loop.
 */
export function evaluateIndicators(t: ReportTemplate, input: EvaluationInput): Map<string, Value> {
  const previous = input.previous ? computeAll(t, input.previous, undefined, undefined, true) : undefined;
  return computeAll(t, input.base, previous, input.targets, false);
}

function computeAll(
  t: ReportTemplate,
  base: Values,
  previous: Values | undefined,
  targets: Values | undefined,
  keepGivenFormulas: boolean,
): Map<string, Value> {
  const formulas = new Map<string, Formula>();
  for (const ind of t.indicators) if (ind.kind === "formula") formulas.set(ind.id, ind.formula);
  const done = new Map<string, Value>();
  const visiting = new Set<string>();

  const valueOfId = (id: string): Value => {
    const known = done.get(id);
    if (known !== undefined) return known;
    const formula = formulas.get(id);
    if (!formula || (keepGivenFormulas && base.has(id))) return clean(base.get(id));
    if (visiting.has(id)) return null;
    visiting.add(id);
    const v = compute(formula, valueOfId, previous, targets);
    visiting.delete(id);
    done.set(id, v);
    return v;
  };

  return new Map(t.indicators.map((ind) => [ind.id, valueOfId(ind.id)]));
}

/** A given value, or null for a missing or non-finite one. */
function clean(v: Value | undefined): Value {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function compute(
  f: Formula,
  valueOfId: (id: string) => Value,
  previous: Values | undefined,
  targets: Values | undefined,
): Value {
  const inputs = formulaInputs(f).map(valueOfId);
  if (inputs.some((v) => v === null)) return null;
  const [first = 0, second = 0] = inputs as number[];
  switch (f.op) {
    case "sum":
      return exactSum(inputs as number[]);
    case "difference":
      return exactDifference(first, second);
    case "percent":
      return percentOf(first, second);
    case "change_from_previous": {
      const before = clean(previous?.get(f.of));
      return before === null ? null : exactDifference(first, before);
    }
    case "percent_of_target": {
      const target = clean(targets?.get(f.of));
      return target === null ? null : percentOf(first, target);
    }
  }
}

/**
 * How an indicator's values read: its value type for counters and typed ones; a percent for
 * the percent formulas; for the other formulas the type of what they compute from (money when
 * every input is money), found through the template.
 */
export function valueTypeOf(t: ReportTemplate, id: string, seen: ReadonlySet<string> = new Set()): ValueType {
  const ind = t.indicators.find((i) => i.id === id);
  if (!ind) return "decimal";
  if (ind.kind !== "formula") return ind.valueType;
  const f = ind.formula;
  if (f.op === "percent" || f.op === "percent_of_target") return "percent";
  if (seen.has(id)) return "decimal";
  const types = new Set(formulaInputs(f).map((i) => valueTypeOf(t, i, new Set([...seen, id]))));
  if (types.size === 1) return [...types][0] as ValueType;
  return [...types].every((x) => x === "integer" || x === "money") ? "integer" : "decimal";
}

/** Up to two decimals, no trailing zeros: 1234.5 → "1.234,5", 2 → "2". */
/** Up to two decimals, trailing zeros dropped: "99,5", "100", "98,75" (seed 003's appendix). */
export function shortDecimal(v: number): string {
  return formatDecimal(v, 2).replace(/,(\d*?)0+$/, (_, kept: string) => (kept ? `,${kept}` : ""));
}

/**
 * A value as the documents print it, without its unit (the caller writes "1.612 lượt người",
 * "99,48%"): "—" for missing; integers and money grouped by "." ("30.800.000"); percents with
 * two decimals ("99,48"); decimals with up to two ("12,5"). Formulas other than percents read
 * as integers when whole, decimals otherwise.
 */
export function formatValue(ind: Indicator, v: Value): string {
  if (v === null || !Number.isFinite(v)) return "—";
  const type: ValueType | null =
    ind.kind !== "formula"
      ? ind.valueType
      : ind.formula.op === "percent" || ind.formula.op === "percent_of_target"
        ? "percent"
        : null;
  if (type === "percent") return formatDecimal(v, 2);
  if (type !== "decimal" && Number.isInteger(v)) return formatInteger(v);
  return shortDecimal(v);
}
