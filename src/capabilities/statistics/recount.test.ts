import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVALUATION_STATUSES } from "../../domain/learning-models/cycle.ts";
import { metricsOf } from "../../domain/learning-models/statistics.ts";
import { startTestApp } from "../../testing/test-app.ts";
import { evaluationMetricsSql } from "./recount.ts";

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
