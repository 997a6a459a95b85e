import { type Kysely, Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDatabase } from "../../capabilities/backup/backup-fixtures.ts";
import { migrateToLatest } from "../migrate.ts";
import type { DB } from "../schema.ts";
import { migrationProvider } from "./index.ts";

/**
 * Migration 0017 on a database that already holds evaluations and centre activities: they are
 * moved into their years' partitions with their ids, and new rows go on from there.
 */
let database: Awaited<ReturnType<typeof emptyDatabase>>;
beforeAll(async () => {
  database = await emptyDatabase(process.env.DATABASE_URL ? "postgres" : "pglite");
});
afterAll(() => database.dispose());

/** Migrations up to `migration` only, and the nation's unit to hang records on. */
async function migratedTo(db: Kysely<DB>, migration: string) {
  const before = await new Migrator({ db, provider: migrationProvider }).migrateTo(migration);
  expect(before.error).toBeUndefined();
  await sql`
    insert into org_units (path, level, kind, name, search_key, sort_key)
    values ('/1/', 0, 'nation', 'Việt Nam', 'viet nam', 'viet nam')`.execute(db);
  await sql`update org_units set path = '/' || id || '/'`.execute(db);
}

describe("evaluations and centre activities partitioned by year (migration 0017)", () => {
  it("moves the existing rows into their years' partitions, ids and all", async () => {
    const { db } = database;
    await migratedTo(db, "0016_single_statement_writes");
    await sql`
      insert into criteria_frameworks (model, version, title, effective_from_year, status, definition)
      values ('gdht', 1, 'Gia đình học tập', 2016, 'published', '{}')`.execute(db);
    await sql`
      insert into evaluations (model, year, subject_kind, subject_id, org_unit_id, framework_id, status)
      select 'gdht', y, 'household', s, (select min(id) from org_units), (select min(id) from criteria_frameworks),
             'registered'
      from unnest(array[2016, 2025, 2026, 2099]) as y, generate_series(1, 3) as s`.execute(db);
    await sql`
      insert into centre_activities (org_unit_id, kind, title, search_key, category, start_date, end_date, year,
                                     school_year, sessions, participants, female)
      select (select min(id) from org_units), 'class', 'Lớp ' || d, 'lop', (select min(code) from centre_categories),
             d::date, d::date, extract(year from d::date)::int, extract(year from d::date)::int, 1, 10, 5
      from unnest(array['2024-09-05', '2026-03-08']) as d`.execute(db);
    const ids = async (table: "evaluations" | "centre_activities") =>
      (
        await sql<{ id: number; year: number; part: string }>`
          select id, year, tableoid::regclass::text as part from ${sql.table(table)} order by id`.execute(db)
      ).rows;
    const evaluations = await ids("evaluations");
    const activities = await ids("centre_activities");

    await migrateToLatest(database);
    const movedEvaluations = await ids("evaluations");
    expect(movedEvaluations.map((r) => r.id)).toEqual(evaluations.map((r) => r.id));
    for (const r of movedEvaluations) {
      expect(r.part).toBe(r.year === 2099 ? "evaluations_other_years" : `evaluations_${r.year}`);
    }
    expect((await ids("centre_activities")).map((r) => [r.id, r.part])).toEqual(
      activities.map((r) => [r.id, `centre_activities_${r.year}`]),
    );
    // The keys came along: one evaluation per subject, model and year; ids go on after the last.
    await expect(
      sql`insert into evaluations (model, year, subject_kind, subject_id, org_unit_id, framework_id, status)
          select model, year, subject_kind, subject_id, org_unit_id, framework_id, status
          from evaluations limit 1`.execute(db),
    ).rejects.toThrow(/duplicate key/);
    const next = await sql<{ id: number }>`
      insert into evaluations (model, year, subject_kind, subject_id, org_unit_id, framework_id, status)
      select 'gdht', 2026, 'household', 99, org_unit_id, framework_id, 'registered' from evaluations limit 1
      returning id`.execute(db);
    expect(Number(next.rows[0]?.id)).toBeGreaterThan(Math.max(...evaluations.map((r) => r.id)));
  });
});

/**
 * Migration 0018 on a database that already holds a fund's ledger: entries move into their fiscal
 * years' partitions with their ids, what points at an entry (a reversal in a later year, a
 * scholarship line, an event's link) gets the entry's year, and the ledger's rules still hold.
 */
describe("the fund's ledger partitioned by fiscal year (migration 0018)", () => {
  let ledger: Awaited<ReturnType<typeof emptyDatabase>>;
  beforeAll(async () => {
    ledger = await emptyDatabase(process.env.DATABASE_URL ? "postgres" : "pglite");
  });
  afterAll(() => ledger.dispose());

  it("moves the entries with their ids and years; reversals, lines and event links keep pointing at them", async () => {
    const { db } = ledger;
    await migratedTo(db, "0017_partition_by_year");
    const unit = sql`(select min(id) from org_units)`;
    await sql`
      insert into funds (org_unit_id, kind, name, search_key, sort_key, start_year)
      values (${unit}, 'general', 'Quỹ khuyến học', 'quy khuyen hoc', 'quy khuyen hoc', 2024)`.execute(db);
    const fund = sql`(select min(id) from funds)`;
    const post = (kind: string, amount: number, date: string, extra = sql``) =>
      sql<{ id: number }>`
        insert into fund_entries (fund_id, kind, amount, entry_date, fiscal_year, donor_type, purpose, reversal_of)
        values (${fund}, ${kind}, ${amount}, ${date}, ${Number(date.slice(0, 4))},
          ${kind === "receipt" ? "individual" : null}, ${kind === "disbursement" ? "scholarship" : null}, ${extra})
        returning id`.execute(db);
    const receipt = (await post("receipt", 5_000_000, "2024-03-02", sql`null`)).rows[0]?.id as number;
    const award = (await post("disbursement", 1_200_000, "2025-09-05", sql`null`)).rows[0]?.id as number;
    const reversal = (await post("receipt", 5_000_000, "2026-01-10", sql`${receipt}`)).rows[0]?.id as number;
    await sql`insert into fund_entry_lines (entry_id, pupil_name, amount) values (${award}, 'Lê Thị Hoa', 1200000)`.execute(
      db,
    );
    await sql`
      insert into programme_events (org_unit_id, kind, title, search_key, start_date, end_date, year, participants)
      values (${unit}, 'study_promotion_day', 'Ngày Khuyến học', 'ngay khuyen hoc', '2025-10-02', '2025-10-02', 2025, 80)`.execute(
      db,
    );
    await sql`insert into event_fund_entries (event_id, fund_entry_id) select min(id), ${award} from programme_events`.execute(
      db,
    );

    await migrateToLatest(ledger);
    const entries = await sql<{
      id: number;
      fiscal_year: number;
      reversal_of_year: number | null;
      part: string;
    }>`
      select id, fiscal_year, reversal_of_year, tableoid::regclass::text as part from fund_entries order by id`.execute(
      db,
    );
    expect(entries.rows).toEqual([
      { id: receipt, fiscal_year: 2024, reversal_of_year: null, part: "fund_entries_2024" },
      { id: award, fiscal_year: 2025, reversal_of_year: null, part: "fund_entries_2025" },
      { id: reversal, fiscal_year: 2026, reversal_of_year: 2024, part: "fund_entries_2026" },
    ]);
    const line = await sql<{ entry_year: number }>`select entry_year from fund_entry_lines`.execute(db);
    expect(line.rows).toEqual([{ entry_year: 2025 }]);
    const link = await sql<{
      fund_entry_year: number;
    }>`select fund_entry_year from event_fund_entries`.execute(db);
    expect(link.rows).toEqual([{ fund_entry_year: 2025 }]);

    // New rows: ids go on; the year of what they point at is filled in by the database.
    const later = (await post("disbursement", 300_000, "2026-05-01", sql`null`)).rows[0]?.id as number;
    expect(later).toBeGreaterThan(reversal);
    await sql`insert into fund_entry_lines (entry_id, pupil_name, amount) values (${later}, 'Trần Văn Nam', 300000)`.execute(
      db,
    );
    const lines = await sql<{
      entry_year: number;
    }>`select entry_year from fund_entry_lines order by id`.execute(db);
    expect(lines.rows.map((r) => r.entry_year)).toEqual([2025, 2026]);
    const reversedLater = (await post("disbursement", 1_200_000, "2026-02-01", sql`${award}`)).rows[0]
      ?.id as number;
    const reversedRow = await sql<{ reversal_of_year: number }>`
      select reversal_of_year from fund_entries where id = ${reversedLater}`.execute(db);
    expect(reversedRow.rows).toEqual([{ reversal_of_year: 2025 }]);

    // The ledger's rules: nothing reversed twice, nothing pointing at no entry, nothing edited.
    await expect(post("receipt", 5_000_000, "2026-02-02", sql`${receipt}`)).rejects.toMatchObject({
      code: "23505",
    });
    await expect(post("receipt", 5_000_000, "2026-02-02", sql`${999_999}`)).rejects.toMatchObject({
      code: "23503",
    });
    await expect(
      sql`insert into fund_entry_lines (entry_id, pupil_name, amount) values (${999_999}, 'Không có', 1)`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: "23503" });
    await expect(sql`update fund_entries set amount = 1 where id = ${award}`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from fund_entries where id = ${award}`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate fund_entries cascade`.execute(db)).rejects.toThrow(/append-only/);
    const count = await sql<{ n: number }>`select count(*)::int as n from fund_entries`.execute(db);
    expect(count.rows[0]?.n).toBe(5);
  });
});
