/**
 * The events' live counters (event_stats), kept by every write in its own transaction: per unit
 * (the event's unit and each ancestor below the nation) and calendar year of the start date,
 * and its month bucket ('held:<kind>' per month too: a distinct count, never added up).
 *
 * 'held:<kind>' counts COMMUNES that held at least one event of the kind: when a write takes a
 * commune's own 'events:<kind>' row from 0 to some (or back to 0), the commune and its ancestors
 * get +1 (or −1) in the same transaction. The commune's row is locked by the write's upsert, so
 * two writes in one commune cannot both see "0 before".
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { type EventKind, eventMetrics, eventYear, heldDelta } from "../../domain/events/events.ts";
import { monthBucket } from "../../domain/periods.ts";
import { bumpPeriodStats, type PeriodDeltas, recordDeltas } from "../statistics/period-counters.ts";

type Exec = Kysely<DB> | Transaction<DB>;

export interface CountedEvent {
  kind: EventKind;
  startDate: string;
  participants: number;
  female: number | null;
  directScholarships: number | null;
  directScholarshipAmount: number | null;
}

const asCounted = (e: CountedEvent) => ({
  periods: [eventYear(e.startDate), monthBucket(e.startDate)],
  metrics: eventMetrics(e),
});

export function eventDeltas(before: CountedEvent | null, after: CountedEvent | null): PeriodDeltas {
  return recordDeltas(before && asCounted(before), after && asCounted(after));
}

/**
 * Apply `deltas` at the event's unit (`path`) and ancestors, then the change in the number of
 * communes that held each kind, at the commune (`communePath`, null when the event is above or
 * beside any commune) and its ancestors.
 */
export async function bumpEventStats(
  tx: Exec,
  path: string,
  communePath: string | null,
  communeId: number | null,
  deltas: PeriodDeltas,
): Promise<void> {
  await bumpPeriodStats(tx, "event_stats", path, deltas);
  if (communePath === null || communeId === null) return;
  const held: PeriodDeltas = new Map();
  for (const [period, metrics] of deltas) {
    for (const [metric, delta] of metrics) {
      if (!metric.startsWith("events:") || delta === 0) continue;
      const row = await sql<{ n: number }>`
        select n from event_stats where org_unit_id = ${communeId} and period = ${period} and metric = ${metric}`.execute(
        tx,
      );
      const after = Number(row.rows[0]?.n ?? 0);
      const d = heldDelta(after - delta, after);
      if (d !== 0) {
        const m = held.get(period) ?? new Map<string, number>();
        m.set(`held:${metric.slice("events:".length)}`, d);
        held.set(period, m);
      }
    }
  }
  if (held.size > 0) await bumpPeriodStats(tx, "event_stats", communePath, held);
}
