import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiteracyFigures } from "../../domain/literacy/literacy.ts";
import {
  createUser,
  loginAsAdmin,
  startTestApp,
  type TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { countingUnitIds } from "../statistics/counters.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let binhYen: number;
let hoaAn: number;
let thaiNguyen: number;
let nation: number;
let communeOfficer: TestClient;
let provinceOfficer: TestClient;
let hoaAnOfficer: TestClient;
let viewer: TestClient;

const YEAR = 2025;

/** Seed 003 (huyện Hòa An, 12/2019) split into the three disjoint bands. */
const seed003 = () => ({
  "15-25": { population: 7916, level1: 7844, level2: 7817 },
  "26-35": { population: 12210, level1: 12081, level2: 11959 },
  "36-60": { population: 19438, level1: 19202, level2: 18315 },
});

const body = (over: Record<string, unknown> = {}) => ({
  surveyDate: `${YEAR}-12-01`,
  bands: seed003(),
  newlyLiterateContinuing: 0,
  standards: { xmc: 2, pcmn5: 1, pcth: 3, pcthcs: 2 },
  ...over,
});

const url = (commune: number, year = YEAR) => `/api/v1/literacy/communes/${commune}/years/${year}`;

interface Row {
  code: string;
  population: number;
  level1: number;
  level2: number;
  level1Percent: number | null;
  level2Percent: number | null;
}
interface Figures {
  reported: number;
  rows: Row[];
  newlyLiterateContinuing: number;
  standards: { code: string; atLeast: number[] }[];
}
interface Summary {
  communes: number;
  total: Figures;
  children: { id: number; kind: string; communes: number; figures: Figures | null }[];
}

async function summary(client: TestClient, unit: number, year = YEAR): Promise<Summary> {
  const res = await client.get(`/api/v1/literacy/summary?orgUnitId=${unit}&year=${year}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Summary;
}

async function stored() {
  const db = ctx.database.db;
  const years = await db.selectFrom("literacy_years").selectAll().execute();
  const stats = await db
    .selectFrom("literacy_stats")
    .selectAll()
    .orderBy("org_unit_id")
    .orderBy("metric")
    .execute();
  const audit = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("entity_type", "=", "literacy_year")
    .executeTakeFirstOrThrow();
  return { years, stats, audit: Number(audit.n) };
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  nation = (
    await ctx.database.db
      .selectFrom("org_units")
      .select("id")
      .where("level", "=", 0)
      .executeTakeFirstOrThrow()
  ).id;
  communeOfficer = await createUser(ctx.app, admin, "xmc.binhyen", "officer", [binhYen]);
  provinceOfficer = await createUser(ctx.app, admin, "xmc.thainguyen", "officer", [thaiNguyen]);
  hoaAnOfficer = await createUser(ctx.app, admin, "xmc.hoaan", "officer", [hoaAn]);
  viewer = await createUser(ctx.app, admin, "xmc.viewer", "viewer", [thaiNguyen]);
});
afterAll(() => ctx.close());

describe("a commune's year", () => {
  it("saves the seed-003 figures and derives 15–35, 15–60 and every percentage", async () => {
    const empty = (await communeOfficer.get(url(binhYen))).json() as { record: unknown; canWrite: boolean };
    expect(empty).toMatchObject({ record: null, canWrite: true });
    const res = await communeOfficer.put(url(binhYen), body());
    expect(res.statusCode, res.body).toBe(200);
    const got = (await communeOfficer.get(url(binhYen))).json() as {
      record: { rows: Row[]; surveyDate: string; standards: Record<string, number> };
      years: number[];
    };
    const rows = Object.fromEntries(got.record.rows.map((r) => [r.code, r]));
    expect(rows["15-25"]).toMatchObject({
      population: 7916,
      level1: 7844,
      level1Percent: 99.09,
      level2Percent: 98.75,
    });
    expect(rows["15-35"]).toMatchObject({
      population: 20126,
      level1: 19925,
      level2: 19776,
      level2Percent: 98.26,
    });
    expect(rows["15-60"]).toMatchObject({
      population: 39564,
      level1: 39127,
      level2: 38091,
      level1Percent: 98.9,
    });
    expect(rows["15-60"]?.level2Percent).toBe(96.28);
    expect(got.record.surveyDate).toBe(`${YEAR}-12-01`);
    expect(got.record.standards).toEqual({ xmc: 2, pcmn5: 1, pcth: 3, pcthcs: 2 });
    expect(got.years).toEqual([YEAR]);
  });

  it("shows the province one row per commune, the missing ones as missing, and x/y communes meeting a standard", async () => {
    const s = await summary(provinceOfficer, thaiNguyen);
    expect(s.communes).toBeGreaterThan(1);
    expect(s.children.filter((c) => c.kind === "commune")).toHaveLength(s.communes);
    const mine = s.children.find((c) => c.id === binhYen);
    expect(mine?.figures?.rows.find((r) => r.code === "15-25")?.level1Percent).toBe(99.09);
    const missing = s.children.filter((c) => c.figures === null);
    expect(missing).toHaveLength(s.communes - 1);
    expect(s.total.reported).toBe(1);
    expect(s.total.rows.find((r) => r.code === "15-35")).toMatchObject({
      level2: 19776,
      level2Percent: 98.26,
    });
    const xmc = s.total.standards.find((x) => x.code === "xmc");
    expect(xmc?.atLeast).toEqual([1, 1]);
    expect(s.total.standards.find((x) => x.code === "pcthcs")?.atLeast).toEqual([1, 1, 0]);
    // The nation is the sum of its provinces; its children are the provinces.
    const n = await summary(admin, nation);
    expect(n.total.rows).toEqual(s.total.rows);
    const province = n.children.find((c) => c.id === thaiNguyen);
    expect(province).toMatchObject({ communes: s.communes });
    expect(province?.figures?.reported).toBe(1);
    expect(n.children.filter((c) => c.figures === null).length).toBe(n.children.length - 1);
    // A year nobody has entered: every commune missing, no zeros.
    const other = await summary(provinceOfficer, thaiNguyen, YEAR + 1);
    expect(other.children.every((c) => c.figures === null)).toBe(true);
    expect(other.total.reported).toBe(0);
  });

  it("corrects by saving again and deletes, the counters follow, each write audited", async () => {
    const second = await hoaAnOfficer.put(
      url(hoaAn),
      body({ standards: { xmc: 1, pcmn5: 0, pcth: 2, pcthcs: 1 } }),
    );
    expect(second.statusCode, second.body).toBe(200);
    const fixed = await hoaAnOfficer.put(
      url(hoaAn),
      body({
        bands: { ...seed003(), "15-25": { population: 1000, level1: 990, level2: 980 } },
        standards: { xmc: 2, pcmn5: 0, pcth: 2, pcthcs: 1 },
        newlyLiterateContinuing: 5,
      }),
    );
    expect(fixed.statusCode, fixed.body).toBe(200);
    const bac = (
      await ctx.database.db
        .selectFrom("org_units")
        .select("parent_id")
        .where("id", "=", hoaAn)
        .executeTakeFirstOrThrow()
    ).parent_id as number;
    const s = await summary(admin, bac);
    expect(
      s.children.find((c) => c.id === hoaAn)?.figures?.rows.find((r) => r.code === "15-25"),
    ).toMatchObject({
      population: 1000,
      level1: 990,
      level1Percent: 99,
    });
    expect(s.total.newlyLiterateContinuing).toBe(5);
    expect(s.total.standards.find((x) => x.code === "xmc")?.atLeast).toEqual([1, 1]);
    expect((await hoaAnOfficer.delete(url(hoaAn))).statusCode).toBe(200);
    expect((await hoaAnOfficer.delete(url(hoaAn))).statusCode).toBe(404);
    const after = await summary(admin, bac);
    expect(after.total.reported).toBe(0);
    expect(after.children.find((c) => c.id === hoaAn)?.figures).toBeNull();
    const audit = await ctx.database.db
      .selectFrom("audit_log")
      .select(["action", "before", "after"])
      .where("entity_type", "=", "literacy_year")
      .where("entity_id", "=", `${hoaAn}/${YEAR}`)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "literacy.year.create",
      "literacy.year.update",
      "literacy.year.delete",
    ]);
    expect(JSON.stringify(audit[1]?.before)).toContain("12210");
    expect(JSON.stringify(audit[1]?.after)).toContain("990");
  });

  it("two first saves of the same year at once: one creates, the other corrects it, counted once", async () => {
    const year = YEAR; // the test above deleted Hòa An's year again
    const [a, b] = await Promise.all([
      hoaAnOfficer.put(url(hoaAn, year), body({ surveyDate: null, newlyLiterateContinuing: 1 })),
      hoaAnOfficer.put(url(hoaAn, year), body({ surveyDate: null, newlyLiterateContinuing: 2 })),
    ]);
    expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);
    const s = await summary(admin, hoaAn, year);
    expect(s.total.reported).toBe(1);
    expect([1, 2]).toContain(s.total.newlyLiterateContinuing);
    expect((await hoaAnOfficer.delete(url(hoaAn, year))).statusCode).toBe(200);
  });
});

describe("refusals: Vietnamese messages, nothing stored", () => {
  it("refuses literate > population, level 2 > level 1, fractions, negatives, a survey date outside the year", async () => {
    const before = await stored();
    const band = (b: object) => ({ bands: { ...seed003(), "15-25": b } });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [band({ population: 100, level1: 101, level2: 90 }), "bands.15-25.level1", /không được lớn hơn số dân/],
      [
        band({ population: 100, level1: 90, level2: 91 }),
        "bands.15-25.level2",
        /không được lớn hơn số người biết chữ mức độ 1/,
      ],
      [
        band({ population: 100.5, level1: 90, level2: 80 }),
        "bands.15-25.population",
        /phải là số nguyên không âm/,
      ],
      [band({ population: 100, level1: -1, level2: 0 }), "bands.15-25.level1", /phải là số nguyên không âm/],
      [band({ population: "100", level1: 90, level2: 80 }), "bands.15-25.population", /phải là một số/],
      [{ newlyLiterateContinuing: 2.5 }, "newlyLiterateContinuing", /số nguyên không âm/],
      [
        { standards: { xmc: 3, pcmn5: 0, pcth: 0, pcthcs: 0 } },
        "standards.xmc",
        /mức độ từ 0 \(chưa đạt\) đến 2/,
      ],
      [{ surveyDate: `${YEAR + 1}-01-05` }, "surveyDate", /phải thuộc năm 2025/],
      [{ extra: 1 }, "body", /.+/],
    ];
    for (const [over, field, message] of cases) {
      const res = await communeOfficer.put(url(binhYen), body(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
      expect(problem.code).toBe("validation_failed");
      const error =
        problem.errors.find((e) => e.field === field) ?? (field === "body" ? problem.errors[0] : undefined);
      expect(error?.message, JSON.stringify(problem)).toMatch(message);
    }
    // Every problem of the form at once.
    const all = await communeOfficer.put(
      url(binhYen),
      body({
        bands: {
          "15-25": { population: 10, level1: 11, level2: 5 },
          "26-35": { population: 10, level1: 5, level2: 6 },
          "36-60": { population: 1.5, level1: 0, level2: 0 },
        },
      }),
    );
    expect((all.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      "bands.15-25.level1",
      "bands.26-35.level2",
      "bands.36-60.population",
    ]);
    expect(await stored()).toEqual(before);
  });

  it("refuses a unit of the wrong kind, a year the commune did not exist, a future year, another's commune, a viewer", async () => {
    const before = await stored();
    const province = await admin.put(url(thaiNguyen), body());
    expect(province.statusCode).toBe(400);
    expect(province.json() as { code: string; detail: string }).toMatchObject({
      code: "wrong_unit_kind",
      detail: expect.stringMatching(/chỉ nhập ở cấp xã/),
    });
    const old = await communeOfficer.put(url(binhYen, 2019), body({ surveyDate: "2019-12-01" }));
    expect(old.statusCode).toBe(400);
    expect(JSON.stringify(old.json())).toMatch(/không tồn tại trong năm 2019/);
    const future = await communeOfficer.put(url(binhYen, 2099), body({ surveyDate: null }));
    expect(future.statusCode).toBe(400);
    expect(JSON.stringify(future.json())).toMatch(/Chưa đến năm 2099/);
    const outside = await hoaAnOfficer.put(url(binhYen), body());
    expect(outside.statusCode).toBe(403);
    expect((outside.json() as { detail: string }).detail).toMatch(/ngoài phạm vi/);
    expect((await hoaAnOfficer.get(url(binhYen))).statusCode).toBe(403);
    expect(
      (await hoaAnOfficer.get(`/api/v1/literacy/summary?orgUnitId=${thaiNguyen}&year=${YEAR}`)).statusCode,
    ).toBe(403);
    expect((await hoaAnOfficer.delete(url(binhYen))).statusCode).toBe(403);
    expect((await viewer.put(url(binhYen), body())).statusCode).toBe(403);
    expect(((await viewer.get(url(binhYen))).json() as { canWrite: boolean }).canWrite).toBe(false);
    expect(await stored()).toEqual(before);
  });
});

describe("the database checks the same rules", () => {
  it("refuses a row with more literates than people or level 2 above level 1", async () => {
    const row = (b: { population: number; level1: number; level2: number }) => ({
      org_unit_id: hoaAn,
      year: 2026,
      population_15_25: b.population,
      level1_15_25: b.level1,
      level2_15_25: b.level2,
      population_26_35: 0,
      level1_26_35: 0,
      level2_26_35: 0,
      population_36_60: 0,
      level1_36_60: 0,
      level2_36_60: 0,
      newly_literate_continuing: null,
      xmc_level: 0,
      pcmn5_level: 0,
      pcth_level: 0,
      pcthcs_level: 0,
      created_by: null,
      updated_by: null,
    });
    const insert = (b: { population: number; level1: number; level2: number }) =>
      ctx.database.db.insertInto("literacy_years").values(row(b)).execute();
    await expect(insert({ population: 10, level1: 11, level2: 0 })).rejects.toThrow();
    await expect(insert({ population: 10, level1: 5, level2: 6 })).rejects.toThrow();
    await expect(
      ctx.database.db
        .insertInto("literacy_years")
        .values({ ...row({ population: 1, level1: 1, level2: 1 }), xmc_level: 3 })
        .execute(),
    ).rejects.toThrow();
  });
});

describe("Excel", () => {
  it("exports the province's table with the derived bands and the per-commune sheet", async () => {
    const res = await provinceOfficer.get(
      `/api/v1/literacy/summary/export.xlsx?orgUnitId=${thaiNguyen}&year=${YEAR}`,
    );
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Xóa mù chữ");
    const row = (label: string) => {
      let found: ExcelJS.Row | undefined;
      sheet?.eachRow((r) => {
        if (String(r.getCell(1).value).startsWith(label)) found = r;
      });
      return found;
    };
    expect(row("15–35 tuổi")?.getCell(5).value).toBe(19776);
    expect(row("15–25 tuổi")?.getCell(4).value).toBeCloseTo(0.9909, 6);
    const units = book.getWorksheet("Theo đơn vị");
    let missing = 0;
    units?.eachRow((r) => {
      if (String(r.getCell(2).value).includes("chưa có số liệu")) missing++;
    });
    expect(missing).toBeGreaterThan(0);
  });
});

describe("the counters equal a recount after any sequence of writes", () => {
  const count = fc.nat(500);
  const bandArb = fc
    .record({
      population: count,
      a: fc.double({ min: 0, max: 1, noNaN: true }),
      b: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ population, a, b }) => {
      const level1 = Math.floor(population * a);
      return { population, level1, level2: Math.floor(level1 * b) };
    });
  const figuresArb: fc.Arbitrary<LiteracyFigures> = fc.record({
    bands: fc.record({ "15-25": bandArb, "26-35": bandArb, "36-60": bandArb }),
    newlyLiterateContinuing: fc.option(fc.nat(50)),
    standards: fc.record({
      xmc: fc.integer({ min: 0, max: 2 }),
      pcmn5: fc.integer({ min: 0, max: 1 }),
      pcth: fc.integer({ min: 0, max: 3 }),
      pcthcs: fc.integer({ min: 0, max: 3 }),
    }),
  });
  type Op =
    | { kind: "put"; who: 0 | 1; year: number; f: LiteracyFigures }
    | { kind: "delete"; who: 0 | 1; year: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("put" as const),
        who: fc.constantFrom(0 as const, 1 as const),
        year: fc.constantFrom(2025, 2026),
        f: figuresArb,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("delete" as const),
        who: fc.constantFrom(0 as const, 1 as const),
        year: fc.constantFrom(2025, 2026),
      }),
    },
  );

  it("holds for random saves, corrections and deletions in two communes and two years", async () => {
    const officers: [TestClient, TestClient] = [communeOfficer, hoaAnOfficer];
    const communes: [number, number] = [binhYen, hoaAn];
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        for (const o of ops) {
          const client = officers[o.who];
          if (o.kind === "put") {
            const res = await client.put(url(communes[o.who], o.year), { ...o.f, surveyDate: null });
            expect(res.statusCode, res.body).toBe(200);
          } else {
            const res = await client.delete(url(communes[o.who], o.year));
            expect([200, 404]).toContain(res.statusCode);
          }
        }
        await expectCountersMatchRecount();
      }),
      { numRuns: 12 },
    );
  });
});

/** A recount straight from the stored rows, written out independently of the domain's metric function. */
async function expectCountersMatchRecount() {
  const rows = await ctx.database.db
    .selectFrom("literacy_years as l")
    .innerJoin("org_units as o", "o.id", "l.org_unit_id")
    .selectAll("l")
    .select("o.path")
    .execute();
  const expected = new Map<string, number>();
  const add = (key: string, n: number) => expected.set(key, (expected.get(key) ?? 0) + n);
  for (const r of rows) {
    for (const unit of countingUnitIds(r.path)) {
      const k = (metric: string) => `${unit}|${r.year}|${metric}`;
      add(k("reported"), 1);
      for (const b of ["15_25", "26_35", "36_60"] as const) {
        const band = b.replace("_", "-");
        add(k(`population:${band}`), r[`population_${b}`]);
        add(k(`l1:${band}`), r[`level1_${b}`]);
        add(k(`l2:${band}`), r[`level2_${b}`]);
      }
      add(k("newly_literate_continuing"), r.newly_literate_continuing ?? 0);
      for (const [code, level] of [
        ["xmc", r.xmc_level],
        ["pcmn5", r.pcmn5_level],
        ["pcth", r.pcth_level],
        ["pcthcs", r.pcthcs_level],
      ] as const) {
        for (let n = 1; n <= level; n++) add(k(`${code}>=${n}`), 1);
      }
    }
  }
  for (const [k, v] of [...expected]) if (v === 0) expected.delete(k);
  const stats = await ctx.database.db.selectFrom("literacy_stats").selectAll().execute();
  const actual = new Map<string, number>();
  for (const s of stats)
    if (Number(s.n) !== 0) actual.set(`${s.org_unit_id}|${s.period}|${s.metric}`, Number(s.n));
  expect(actual).toEqual(expected);
}
