/**
 * The Association's live counters (association_stats): per unit (the chapter's body and each
 * ancestor below the nation) and calendar year, kept by every write in its own transaction
 * through the shared period counters. The summary reads them back exactly (BigInt: dues are sums
 * of đồng and may pass 2^53).
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { type Contribution, contributionDelta } from "../../domain/association/membership.ts";
import { bumpPeriodStats } from "../statistics/period-counters.ts";

type Exec = Kysely<DB> | Transaction<DB>;

/** Apply after − before at the unit with `path` and its ancestors below the nation. */
export function bumpAssociationStats(
  tx: Exec,
  path: string,
  before: Contribution,
  after: Contribution,
): Promise<void> {
  return bumpPeriodStats(tx, "association_stats", path, contributionDelta(before, after));
}
