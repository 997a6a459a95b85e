import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVALUATION_STATUSES } from "../../domain/learning-models/cycle.ts";
import { metricsOf } from "../../domain/learning-models/statistics.ts";
import { startTestApp } from "../../testing/test-app.ts";
import { counterDifferences, evaluationMetricsSql } from "./recount.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(() => ctx.close());

describe("the SQL form of an evaluation's metrics", () => {
  it("is the domain's metricsOf for every status, with and without a rating", async () => {
    const cases = EVALUATION_STATUSES.flatMap((status) => [
      { status, rating_code: null as string | null },
      { status, rating_code: "muc_do_2" },
    ]);
    const result = await sql<{ status: string; rating_code: string | null; metrics: string[] }>`
      select e.status, e.rating_code, ${evaluationMetricsSql()} as metrics
      from jsonb_to_recordset(${JSON.stringify(cases)}::jsonb) as e(status text, rating_code text)`.execute(
      ctx.database.db,
    );
    expect(result.rows).toHaveLength(cases.length);
    for (const row of result.rows) {
      const expected = metricsOf({ status: row.status as never, ratingCode: row.rating_code });
      expect([...row.metrics].sort(), `${row.status} ${row.rating_code}`).toEqual([...expected].sort());
    }
  });
});

describe("the counters against a recount", () => {
  it("lists a counter with no records, records with no counter, and nothing once they agree", async () => {
    const db = ctx.database.db;
    expect(await counterDifferences(db)).toEqual([]);
    const commune = await sql<{ id: number; parent_id: number }>`
      select id, parent_id from org_units where kind = 'commune' order by id limit 1`.execute(db);
    const { id, parent_id } = commune.rows[0] as { id: number; parent_id: number };
    await sql`insert into model_stats (org_unit_id, year, model, metric, n)
      values (${id}, 2026, 'gdht', 'registered', 5)`.execute(db);
    await sql`insert into households (village_id, head_name, search_key, sort_key, member_count)
      values (${id}, 'Lò Văn Đếm', 'lo van dem', 'lo van dem', 0)`.execute(db);
    expect((await counterDifferences(db)).sort()).toEqual(
      [
        `model ${id} 2026 gdht registered: kept 5, records 0`,
        `subject ${id} household: kept 0, records 1`,
        `subject ${parent_id} household: kept 0, records 1`,
      ].sort(),
    );
    await sql`delete from model_stats where org_unit_id = ${id}`.execute(db);
    await sql`insert into subject_counts (org_unit_id, subject_kind, n)
      values (${id}, 'household', 1), (${parent_id}, 'household', 1)`.execute(db);
    expect(await counterDifferences(db)).toEqual([]);
    await sql`delete from households where head_name = 'Lò Văn Đếm'`.execute(db);
    await sql`delete from subject_counts where org_unit_id in (${id}, ${parent_id})`.execute(db);
  });
});
