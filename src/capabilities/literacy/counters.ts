/**
 * The literacy counters (literacy_stats): per unit (the commune and each ancestor below the
 * nation) and period (the year, '2019'), kept by every write in its own transaction through the
 * shared period counters.
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { type LiteracyFigures, literacyMetrics } from "../../domain/literacy/literacy.ts";
import { bumpPeriodStats, type PeriodDeltas, recordDeltas } from "../statistics/period-counters.ts";

type Exec = Kysely<DB> | Transaction<DB>;

export const LITERACY_STATS = "literacy_stats";

/** The change to the counters when a commune's `year` goes from `before` to `after` (either may be absent). */
export function literacyDeltas(
  year: number,
  before: LiteracyFigures | null,
  after: LiteracyFigures | null,
): PeriodDeltas {
  const counted = (f: LiteracyFigures) => ({ periods: [String(year)], metrics: literacyMetrics(f) });
  return recordDeltas(before && counted(before), after && counted(after));
}

export function bumpLiteracyStats(tx: Exec, path: string, deltas: PeriodDeltas): Promise<void> {
  return bumpPeriodStats(tx, LITERACY_STATS, path, deltas);
}
