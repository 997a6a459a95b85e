/**
 * The summary of a unit and its children for a period, as every programme capability shows it
 * (centres, literacy, the Association, events and agreements, inspections, commendations):
 *
 * - the children listed are those that existed during the period, of the kinds that report,
 *   then any other child with counters in the period;
 * - each child's figures are its own row in the capability's `<name>_stats` table; a child with
 *   no counters in the period has not reported (it is "missing", not zero);
 * - the unit's own figures are its row; the nation keeps no counters of its own (see
 *   period-counters.ts), so its figures are the sum of its children (the provinces).
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Action, Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import type { DateRange } from "../../domain/periods.ts";
import { unitWithChildren } from "../org-units/service.ts";
import { readPeriodStats, readPeriodStatsExact } from "./period-counters.ts";

type Exec = Kysely<DB> | Transaction<DB>;

/** A unit's counters and its children's, by period. */
export interface ChildrenCounters<V extends number | bigint> {
  /** The unit's figures in `period` (the nation: the sum of its children); undefined when nothing is counted. */
  own(period: string): Map<string, V> | undefined;
  /** A child's figures in `period`; undefined when the child has no counters there (missing). */
  of(childId: number, period: string): Map<string, V> | undefined;
}

/**
 * Read `table` for the unit and its children in `periods`. With `exact`, values are BigInts
 * (read as text: sums of đồng may pass 2^53).
 */
export async function readChildrenCounters(
  db: Exec,
  table: string,
  unit: { id: number; level: number },
  children: readonly { id: number }[],
  periods: readonly string[],
  exact: true,
): Promise<ChildrenCounters<bigint>>;
export async function readChildrenCounters(
  db: Exec,
  table: string,
  unit: { id: number; level: number },
  children: readonly { id: number }[],
  periods: readonly string[],
  exact?: false,
): Promise<ChildrenCounters<number>>;
export async function readChildrenCounters(
  db: Exec,
  table: string,
  unit: { id: number; level: number },
  children: readonly { id: number }[],
  periods: readonly string[],
  exact = false,
): Promise<ChildrenCounters<number> | ChildrenCounters<bigint>> {
  const ids = [unit.id, ...children.map((c) => c.id)];
  const read = exact ? readPeriodStatsExact : readPeriodStats;
  const stats: Map<number, Map<string, Map<string, number | bigint>>> = await read(db, table, ids, periods);
  const of = (id: number, period: string) => stats.get(id)?.get(period);
  const own = (period: string) => {
    if (unit.level !== 0) return of(unit.id, period);
    const counted = children.map((c) => of(c.id, period)).filter((m) => m !== undefined);
    if (counted.length === 0) return undefined;
    const sum = new Map<string, number | bigint>();
    for (const m of counted) {
      for (const [k, n] of m) {
        const before = sum.get(k);
        // Both are numbers, or both BigInts: one table is read one way.
        sum.set(k, before === undefined ? n : (before as number) + (n as number));
      }
    }
    return sum;
  };
  return { own, of } as ChildrenCounters<number> | ChildrenCounters<bigint>;
}

export interface SummaryQuery {
  /** The policy action that allows reading the summary. */
  action: Action;
  /** The capability's counter table, `<name>_stats`. */
  table: string;
  orgUnitId: number;
  periods: readonly string[];
  /** Children that existed at some time during this year or range of days. */
  childrenValidIn: number | DateRange;
  /** Kinds of child that report (all kinds when absent). */
  childKinds?: readonly string[];
}

/**
 * The unit (authorised for `action`), its children and their counters in `periods`: the
 * skeleton of every capability's summary, which then turns the metrics into its own figures.
 */
export async function readChildrenSummary(
  db: Kysely<DB>,
  principal: Principal,
  query: SummaryQuery & { exact: true },
): Promise<Awaited<ReturnType<typeof unitWithChildren>> & ChildrenCounters<bigint>>;
export async function readChildrenSummary(
  db: Kysely<DB>,
  principal: Principal,
  query: SummaryQuery & { exact?: false },
): Promise<Awaited<ReturnType<typeof unitWithChildren>> & ChildrenCounters<number>>;
export async function readChildrenSummary(
  db: Kysely<DB>,
  principal: Principal,
  query: SummaryQuery & { exact?: boolean },
) {
  const { unit, children: valid } = await unitWithChildren(db, principal, query.action, query.orgUnitId, {
    validIn: query.childrenValidIn,
    ...(query.childKinds ? { kinds: query.childKinds } : {}),
  });
  // A child that did not exist in the period but has counters there (e.g. a new commune's centre
  // recording last year's classes) is listed after the others: its figures are in the unit's
  // total, so its row must be too.
  const counted = await sql<{ id: number; name: string; kind: string; path: string }>`
    select u.id, u.name, u.kind, u.path from org_units u
    where u.parent_id = ${unit.id}
      and not (u.id = any(${sql.val(valid.map((c) => c.id))}::bigint[]))
      and (${query.childKinds === undefined} or u.kind = any(${sql.val([...(query.childKinds ?? [])])}::text[]))
      and exists (select 1 from ${sql.table(query.table)} s
                  where s.org_unit_id = u.id and s.period = any(${sql.val([...query.periods])}::text[]))
    order by u.sort_key`.execute(db);
  const children = [...valid, ...counted.rows.map((r) => ({ ...r, id: Number(r.id) }))];
  const counters = query.exact
    ? await readChildrenCounters(db, query.table, unit, children, query.periods, true)
    : await readChildrenCounters(db, query.table, unit, children, query.periods);
  return { unit, children, ...counters };
}

/**
 * Communes that existed during `year` at or below `unit`: in all (1 for a commune itself), and
 * below each child (a commune's path holds its ancestor at the unit's level + 1).
 */
export async function communesInYear(
  db: Exec,
  unit: { path: string; level: number; kind: string },
  year: number,
): Promise<{ total: number; below(childId: number): number }> {
  const rows = await sql<{ child: string; n: string }>`
    select split_part(path, '/', ${unit.level + 3}) as child, count(*)::text as n
    from org_units
    where kind = 'commune' and path like ${`${unit.path}%`}
      and (valid_from is null or valid_from <= ${`${year}-12-31`}::date)
      and (valid_to is null or valid_to >= ${`${year}-01-01`}::date)
    group by 1`.execute(db);
  const byChild = new Map<string, number>();
  let all = 0;
  for (const r of rows.rows) {
    all += Number(r.n);
    if (r.child) byChild.set(r.child, Number(r.n));
  }
  return { total: unit.kind === "commune" ? 1 : all, below: (id) => byChild.get(String(id)) ?? 0 };
}

/**
 * The year's counts of a unit and of each child as plain records (metric → n; a child without
 * counters: null), for capabilities whose summary shows the metrics as they are (inspections,
 * commendations).
 */
export async function countsByChild(
  db: Kysely<DB>,
  principal: Principal,
  query: { action: Action; table: string; orgUnitId: number; year: number; childKinds: readonly string[] },
) {
  const period = String(query.year);
  const { unit, children, own, of } = await readChildrenSummary(db, principal, {
    ...query,
    periods: [period],
    childrenValidIn: query.year,
  });
  const countsOf = (m: Map<string, number> | undefined) => (m ? Object.fromEntries(m) : null);
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind, level: unit.level },
    year: query.year,
    counts: countsOf(own(period)) ?? {},
    children: children.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      counts: countsOf(of(c.id, period)),
    })),
  };
}
