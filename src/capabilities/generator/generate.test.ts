import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/connection.ts";
import { type DonorType, type Purpose, statMetric } from "../../domain/fund/ledger.ts";
import { loginAsAdmin, startTestApp } from "../../testing/test-app.ts";
import { counterDifferences } from "../statistics/recount.ts";
import { generate } from "./generate.ts";

let first: Awaited<ReturnType<typeof startTestApp>>;
let second: Awaited<ReturnType<typeof startTestApp>>;
const YEARS = [2025, 2026];

beforeAll(async () => {
  first = await startTestApp();
  second = await startTestApp();
});
afterAll(async () => {
  await first.close();
  await second.close();
});

/** What a generated commune holds, independent of ids. */
async function fingerprint(database: Database) {
  const r = await sql<{ t: string }>`select concat_ws(' # ',
      (select string_agg(head_name || ':' || is_poor || is_near_poor || is_ethnic_minority, ',' order by id) from households),
      (select string_agg(full_name || ':' || citizen_group || ':' || birth_year, ',' order by id) from citizens),
      (select string_agg(model || year || status || coalesce(total::text, '-') || coalesce(rating_code, '-'), ',' order by id) from evaluations),
      (select string_agg(kind || amount || entry_date, ',' order by id) from fund_entries),
      (select string_agg(title || category || participants, ',' order by id) from centre_activities)) as t`.execute(
    database.db,
  );
  return r.rows[0]?.t ?? "";
}

describe("xhht generate", () => {
  it("fills one commune: villages, households, citizens, two years of evaluations, fund and centre, counters equal to a recount", async () => {
    const summary = await generate(first.database.db, { scale: "commune", seed: 5, years: YEARS });
    expect(summary).toMatchObject({ communes: 1, skipped: 0, villages: 10 });
    expect(summary.households).toBeGreaterThan(2900);
    expect(summary.households).toBeLessThanOrEqual(3000);
    expect(summary.citizens).toBeGreaterThan(6500);
    expect(summary.evaluations).toBeGreaterThan(0.4 * 2 * summary.households);
    expect(summary.fundEntries).toBeGreaterThan(0);
    expect(summary.activities).toBeGreaterThan(0);
    expect(await counterDifferences(first.database.db)).toEqual([]);

    // What the dashboard shows comes from those counters.
    const admin = await loginAsAdmin(first.app);
    const commune = await sql<{
      id: number;
    }>`select id from org_units where code = '05587' and kind = 'commune' and valid_to is null`.execute(
      first.database.db,
    );
    const res = await admin.get(`/api/v1/stats/learning-models?orgUnitId=${commune.rows[0]?.id}&year=2026`);
    expect(res.statusCode, res.body).toBe(200);
    const gdht = (
      res.json() as {
        models: {
          model: string;
          figures: { subjects: number; registered: number; registrationRate: number };
        }[];
      }
    ).models.find((m) => m.model === "gdht");
    expect(gdht?.figures.subjects).toBe(summary.households);
    expect(gdht?.figures.registrationRate).toBeGreaterThanOrEqual(35);
    expect(gdht?.figures.registrationRate).toBeLessThanOrEqual(96);

    // The fund's ledger balances: payments never exceed receipts.
    const balance = await sql<{
      b: string;
    }>`select sum(case when kind = 'receipt' then amount else -amount end)::text as b from fund_entries`.execute(
      first.database.db,
    );
    expect(Number(balance.rows[0]?.b)).toBeGreaterThanOrEqual(0);

    // The fund's roll-up is what the ledger's rule makes of its postings, at the commune and above.
    const entries = await first.database.db
      .selectFrom("fund_entries")
      .select(["kind", "donor_type", "purpose", "fiscal_year", "amount", "beneficiaries"])
      .execute();
    const expected = new Map<string, string>();
    for (const e of entries) {
      const metric = statMetric({
        kind: e.kind,
        donorType: e.donor_type as DonorType | null,
        purpose: e.purpose as Purpose | null,
        isReversal: false,
      });
      const key = `${e.fiscal_year} ${metric}`;
      const [amount, n, people] = (expected.get(key) ?? "0 0 0").split(" ").map(Number) as [
        number,
        number,
        number,
      ];
      expected.set(key, `${amount + Number(e.amount)} ${n + 1} ${people + (e.beneficiaries ?? 0)}`);
    }
    const stats = await first.database.db
      .selectFrom("fund_stats")
      .select(["year", "metric", "amount", "entries", "beneficiaries"])
      .where("org_unit_id", "=", Number(commune.rows[0]?.id))
      .execute();
    expect(
      new Map(stats.map((s) => [`${s.year} ${s.metric}`, `${s.amount} ${s.entries} ${s.beneficiaries}`])),
    ).toEqual(expected);
  });

  it("run again, adds nothing (a resumed run skips the communes already done)", async () => {
    const before = await fingerprint(first.database);
    const again = await generate(first.database.db, { scale: "commune", seed: 5, years: YEARS });
    expect(again).toMatchObject({ communes: 0, skipped: 1, households: 0 });
    expect(await fingerprint(first.database)).toBe(before);
  });

  it("gives the same records for the same seed in another database", async () => {
    await generate(second.database.db, { scale: "commune", seed: 5, years: YEARS });
    expect(await fingerprint(second.database)).toBe(await fingerprint(first.database));
  });

  it("refuses a database that already holds real records", async () => {
    const real = await startTestApp();
    try {
      const village = await sql<{ id: number }>`
        insert into org_units (parent_id, path, level, kind, name, search_key, sort_key, valid_from)
        select id, path || 'x/', level + 1, 'village', 'Thôn Thật', 'thon that', 'thon that', current_date
        from org_units where code = '05587' and kind = 'commune' and valid_to is null
        returning id`.execute(real.database.db);
      await sql`insert into households (village_id, head_name, search_key, sort_key)
                values (${village.rows[0]?.id}, 'Nguyễn Văn Thật', 'nguyen van that', 'x')`.execute(
        real.database.db,
      );
      await expect(generate(real.database.db, { scale: "commune", seed: 5, years: YEARS })).rejects.toThrow(
        /đã có hồ sơ thật/,
      );
      expect(await real.database.db.selectFrom("generated_communes").selectAll().execute()).toEqual([]);
    } finally {
      await real.close();
    }
  });
});
