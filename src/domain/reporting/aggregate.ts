/**
 * A higher level's typed figures from its units' reports. Pure: no I/O. Only typed indicators
 * are summed here; counters are read afresh at the higher level (its own records), and formulas
 * are evaluated on the result.
 */
import { exactSum } from "./decimal.ts";
import type { ReportTemplate, Value, Values } from "./template.ts";

/**
 * For each typed indicator: with aggregate "sum", the exact sum of the children's given values
 * (a child without the figure adds nothing; null when no child has it); with "none", null.
 */
export function aggregateTyped(t: ReportTemplate, childValues: readonly Values[]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const ind of t.indicators) {
    if (ind.kind !== "typed") continue;
    if (ind.aggregate === "none") {
      out.set(ind.id, null);
      continue;
    }
    const given = childValues
      .map((c) => c.get(ind.id))
      .filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    out.set(ind.id, given.length > 0 ? exactSum(given) : null);
  }
  return out;
}
