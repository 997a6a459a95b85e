/**
 * The centres' live counters (centre_stats): per unit (the centre and each ancestor below the
 * nation) and period ('2024' or '2024-2025'), kept by every write in its own transaction through
 * the shared period counters.
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { activityMetrics, periodsOf } from "../../domain/centres/activities.ts";
import { bumpPeriodStats, type PeriodDeltas, recordDeltas } from "../statistics/period-counters.ts";

type Exec = Kysely<DB> | Transaction<DB>;

export interface CountedActivity {
  kind: "class" | "talk";
  category: string;
  startDate: string;
  sessions: number;
  participants: number;
  female: number;
  minority: number | null;
}

const asCounted = (a: CountedActivity) => ({ periods: periodsOf(a.startDate), metrics: activityMetrics(a) });

/** The change to the counters when `before` becomes `after` (either may be absent). */
export function activityDeltas(before: CountedActivity | null, after: CountedActivity | null): PeriodDeltas {
  return recordDeltas(before && asCounted(before), after && asCounted(after));
}

export function bumpCentreStats(tx: Exec, path: string, deltas: PeriodDeltas): Promise<void> {
  return bumpPeriodStats(tx, "centre_stats", path, deltas);
}
