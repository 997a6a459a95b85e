import { type Kysely, sql } from "kysely";

/**
 * The check that ends a write made as one statement (an evaluation's save or decision: the row,
 * its counters and its audit entry in one round trip, src/capabilities/evaluations/write.ts). It
 * raises, and so undoes the whole statement, when
 * - fewer rows changed than were meant to: another request changed one since it was read (the
 *   caller reads again and retries: SQLSTATE 40001, serialization_failure); or
 * - fewer counter rows were decremented than were meant to: a counter out of step with the
 *   records, which must never pass unnoticed (as `bumpModelStats` refuses it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function xhht_check_write(changed int, expected int, counted int, expected_counted int)
    returns int language plpgsql as $$
    begin
      if changed <> expected then
        raise exception 'changed since read: % of % rows', changed, expected using errcode = '40001';
      end if;
      if counted <> expected_counted then
        raise exception 'counter out of step: % of % rows; refusing the write', counted, expected_counted
          using errcode = 'XX000';
      end if;
      return changed;
    end $$`.execute(db);
}
