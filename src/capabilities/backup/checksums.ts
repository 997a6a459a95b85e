import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema.ts";
import { checksumsIn, setCanonicalOutput, type TableSum } from "./catalog.ts";

export type { TableSum };

/**
 * Rows and SHA-256 of every data table of a live database, from one consistent snapshot: the
 * same numbers a backup's footer holds, so a test (or an administrator) can compare a source
 * with the database it was restored into, on either backend.
 */
export async function tableChecksums(db: Kysely<DB>): Promise<Record<string, TableSum>> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (tx) => {
      await sql`set transaction read only`.execute(tx);
      await setCanonicalOutput(tx);
      return checksumsIn(tx);
    });
}
