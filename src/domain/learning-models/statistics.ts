/**
 * The counters behind the live statistics, and how one write changes them. Pure: no I/O.
 *
 * Every evaluation contributes a set of metrics to its counting unit and to each ancestor
 * below the nation. A write turns the evaluation's old metrics into its new ones, so the
 * counters change by (new − old): nothing is ever recounted, and a higher level's figures are
 * always sums of the lowest level's records.
 */
import { type EvaluationStatus, SELF_ASSESSED } from "./cycle.ts";

export interface CountedEvaluation {
  status: EvaluationStatus;
  ratingCode: string | null;
}

export const METRIC = {
  registered: "registered",
  selfAssessed: "self_assessed",
  recognised: "recognised",
  status: (status: EvaluationStatus) => `status:${status}`,
  /** Rating breakdown of recognised evaluations. */
  rating: (code: string) => `rating:${code}`,
} as const;

/** The metrics one evaluation in this state counts towards. */
export function metricsOf(evaluation: CountedEvaluation | null): string[] {
  if (!evaluation) return [];
  const metrics: string[] = [METRIC.registered, METRIC.status(evaluation.status)];
  if (SELF_ASSESSED.has(evaluation.status)) metrics.push(METRIC.selfAssessed);
  if (evaluation.status === "recognised") {
    metrics.push(METRIC.recognised);
    if (evaluation.ratingCode) metrics.push(METRIC.rating(evaluation.ratingCode));
  }
  return metrics;
}

/** How the counters change when an evaluation goes from `before` to `after` (null: absent). */
export function metricDeltas(
  before: CountedEvaluation | null,
  after: CountedEvaluation | null,
): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const m of metricsOf(before)) deltas.set(m, (deltas.get(m) ?? 0) - 1);
  for (const m of metricsOf(after)) deltas.set(m, (deltas.get(m) ?? 0) + 1);
  for (const [m, d] of deltas) if (d === 0) deltas.delete(m);
  return deltas;
}

/** Rate in percent with two decimals, or null when there is nothing to divide by. */
export function ratePercent(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Math.round((numerator / denominator) * 10000) / 100;
}
