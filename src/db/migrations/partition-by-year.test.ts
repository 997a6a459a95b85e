import { Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDatabase } from "../../capabilities/backup/backup-fixtures.ts";
import { migrateToLatest } from "../migrate.ts";
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

describe("evaluations and centre activities partitioned by year (migration 0017)", () => {
  it("moves the existing rows into their years' partitions, ids and all", async () => {
    const { db } = database;
    const before = await new Migrator({ db, provider: migrationProvider }).migrateTo(
      "0016_single_statement_writes",
    );
    expect(before.error).toBeUndefined();
    await sql`
      insert into org_units (path, level, kind, name, search_key, sort_key)
      values ('/1/', 0, 'nation', 'Việt Nam', 'viet nam', 'viet nam')`.execute(db);
    await sql`update org_units set path = '/' || id || '/'`.execute(db);
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
