import ExcelJS from "exceljs";
import fc from "fast-check";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as monthBucketsMigration from "../../db/migrations/0011_centre_month_buckets.ts";
import * as activityKindsMigration from "../../db/migrations/0012_centre_activity_kinds.ts";
import { periodsOf } from "../../domain/centres/activities.ts";
import { CENTRE_CATEGORIES } from "../../domain/centres/categories.ts";
import {
  createUnit,
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
let centre: number;
let hoaAnCentre: number;
let communeOfficer: TestClient;
let provinceOfficer: TestClient;
let hoaAnOfficer: TestClient;

const activity = (over: Record<string, unknown> = {}) => ({
  kind: "talk",
  title: "Tuyên truyền Luật Giao thông đường bộ",
  category: "legal",
  startDate: "2024-10-07",
  endDate: "2024-10-07",
  sessions: 1,
  participants: 120,
  female: 60,
  minority: 30,
  partner: "Công an xã",
  place: "Nhà văn hóa thôn Đồng Tâm",
  ...over,
});

interface Report {
  rows: {
    code: string;
    label: string;
    position: number;
    classes: number;
    participants: number;
    female: number;
  }[];
  total: { classes: number; participants: number; female: number; sessions: number; minority: number };
  funding: { stateBudget: number; socialisation: number; learners: number };
  children: { id: number; name: string; total: { classes: number; participants: number; female: number } }[];
}

async function report(client: TestClient, unit: number, period: string): Promise<Report> {
  const res = await client.get(`/api/v1/centres/report?orgUnitId=${unit}&period=${period}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Report;
}

async function activityCount(): Promise<number> {
  const r = await ctx.database.db
    .selectFrom("centre_activities")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  centre = await createUnit(admin, binhYen, "learning_centre", "Trung tâm học tập cộng đồng xã Bình Yên");
  hoaAnCentre = await createUnit(admin, hoaAn, "learning_centre", "Trung tâm học tập cộng đồng xã Hòa An");
  communeOfficer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
  provinceOfficer = await createUser(ctx.app, admin, "canbo.thainguyen", "officer", [thaiNguyen]);
  hoaAnOfficer = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
});
afterAll(() => ctx.close());

describe("categories and the centre of a commune", () => {
  it("serves the ten categories of seed 004 from the database, equal to the domain's list", async () => {
    const res = await communeOfficer.get("/api/v1/centres/categories");
    expect(res.statusCode).toBe(200);
    expect(
      (res.json() as { code: string; position: number; label: string }[]).map(
        ({ code, position, label }) => ({ code, position, label }),
      ),
    ).toEqual(CENTRE_CATEGORIES.map(({ code, position, label }) => ({ code, position, label })));
  });

  it("finds the commune's centre; only the level above may rate it", async () => {
    const own = (await communeOfficer.get(`/api/v1/centres/of-commune/${binhYen}`)).json() as {
      centre: { id: number; canWrite: boolean; canRate: boolean };
    };
    expect(own.centre).toMatchObject({ id: centre, canWrite: true, canRate: false });
    const above = (await provinceOfficer.get(`/api/v1/centres/${centre}`)).json() as { canRate: boolean };
    expect(above.canRate).toBe(true);
  });
});

describe("activities and the category table", () => {
  it("records activities and sums them per category, for the year and the school year, at every level", async () => {
    const inputs = [
      activity(),
      activity({
        title: "Lớp trồng chè",
        kind: "class",
        category: "vocational",
        startDate: "2024-10-10",
        endDate: "2024-10-20",
        sessions: 5,
        participants: 40,
        female: 25,
        minority: null,
      }),
      activity({
        title: "Tập huấn chăm sóc sức khỏe",
        category: "health",
        startDate: "2024-10-15",
        endDate: "2024-10-15",
        participants: 80,
        female: 50,
      }),
      activity({
        title: "Chuyên đề pháp luật mùa hè",
        startDate: "2024-07-15",
        endDate: "2024-07-15",
        participants: 30,
        female: 10,
      }),
    ];
    for (const a of inputs) {
      const res = await communeOfficer.post(`/api/v1/centres/${centre}/activities`, a);
      expect(res.statusCode, res.body).toBe(201);
    }
    const year = await report(communeOfficer, centre, "2024");
    const legal = year.rows.find((r) => r.code === "legal");
    expect(legal).toMatchObject({
      position: 3,
      label: "Chuyên đề Giáo dục pháp luật",
      classes: 2,
      participants: 150,
      female: 70,
    });
    expect(year.rows.find((r) => r.code === "vocational")).toMatchObject({
      classes: 1,
      participants: 40,
      female: 25,
    });
    expect(year.total).toMatchObject({ classes: 4, participants: 270, female: 145 });
    // The school year 2024-2025 starts on 1 September: July's talk belongs to 2023-2024.
    expect((await report(communeOfficer, centre, "2024-2025")).total).toMatchObject({
      classes: 3,
      participants: 240,
    });
    expect((await report(communeOfficer, centre, "2023-2024")).total).toMatchObject({
      classes: 1,
      participants: 30,
    });
    // The commune, the province: the same sums; the province lists its communes.
    expect((await report(communeOfficer, binhYen, "2024")).total).toEqual(year.total);
    const province = await report(provinceOfficer, thaiNguyen, "2024");
    expect(province.total).toEqual(year.total);
    // Thái Nguyên's communes were formed on 1 July 2025: for 2024 the province lists only the
    // one that has figures there, so its rows still add up to its total.
    expect(province.children.map((c) => c.id)).toEqual([binhYen]);
    expect(province.children.find((c) => c.id === binhYen)?.total).toMatchObject({
      classes: 4,
      participants: 270,
    });
    // The nation is the sum of its provinces.
    const nation = (await admin.get("/api/v1/org-units?pageSize=1")).json() as { items: { id: number }[] };
    expect(nation.items.length).toBeGreaterThan(0);
  });

  it("refuses inconsistent input with Vietnamese messages and stores nothing", async () => {
    const before = await activityCount();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ female: 200 }, "female", /Số nữ không được lớn hơn tổng số người tham gia/],
      [{ endDate: "2024-10-01" }, "endDate", /Ngày kết thúc không được trước ngày bắt đầu/],
      [{ participants: 12.5 }, "participants", /phải là số nguyên/],
      [{ participants: "12" }, "participants", /phải là một số/],
      [{ sessions: 0 }, "sessions", /từ 1 trở lên/],
      [{ category: "khong-co" }, "category", /không có trong danh mục/],
      [{ minority: 500 }, "minority", /dân tộc thiểu số không được lớn hơn/],
      [{ title: "   " }, "title", /Nhập tên hoạt động/],
    ];
    for (const [over, field, message] of cases) {
      const res = await communeOfficer.post(`/api/v1/centres/${centre}/activities`, activity(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
      expect(problem.code).toBe("validation_failed");
      const error = problem.errors.find((e) => e.field === field);
      expect(error?.message, JSON.stringify(problem)).toMatch(message);
    }
    // Every problem of a form at once: a fraction, more women than participants, an end before the start.
    const all = await communeOfficer.post(
      `/api/v1/centres/${centre}/activities`,
      activity({ sessions: 1.5, female: 130, endDate: "2024-10-01" }),
    );
    expect((all.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual([
      "endDate",
      "female",
      "sessions",
    ]);
    const negative = await communeOfficer.put(`/api/v1/centres/${centre}/years/2024`, {
      plan: null,
      fundingStateBudget: -5,
      fundingSocialisation: 0,
      fundingLearners: 0,
    });
    expect(negative.statusCode).toBe(400);
    expect(await activityCount()).toBe(before);
  });

  it("keeps a unit outside the scope out, for reading and writing", async () => {
    const before = await activityCount();
    const write = await hoaAnOfficer.post(`/api/v1/centres/${centre}/activities`, activity());
    expect(write.statusCode).toBe(403);
    expect((write.json() as { detail: string }).detail).toMatch(/ngoài phạm vi/);
    expect((await hoaAnOfficer.get(`/api/v1/centres/${centre}`)).statusCode).toBe(403);
    expect(
      (await hoaAnOfficer.get(`/api/v1/centres/report?orgUnitId=${thaiNguyen}&period=2024`)).statusCode,
    ).toBe(403);
    expect(
      (await communeOfficer.post(`/api/v1/centres/${hoaAnCentre}/activities`, activity())).statusCode,
    ).toBe(403);
    expect(await activityCount()).toBe(before);
  });

  it("lets the centre's officers correct and delete an activity; the counters follow, with an audit entry", async () => {
    const created = (
      await communeOfficer.post(
        `/api/v1/centres/${centre}/activities`,
        activity({ title: "Nhập nhầm", category: "economy", participants: 10, female: 3, minority: null }),
      )
    ).json() as { id: number };
    const fixed = await communeOfficer.put(
      `/api/v1/centres/activities/${created.id}`,
      activity({
        title: "Chuyên đề phát triển kinh tế",
        category: "economy",
        participants: 12,
        female: 4,
        minority: 2,
        startDate: "2025-09-10",
        endDate: "2025-09-10",
      }),
    );
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(
      (await report(communeOfficer, centre, "2025")).rows.find((r) => r.code === "economy"),
    ).toMatchObject({ classes: 1, participants: 12, female: 4 });
    expect(
      (await report(communeOfficer, centre, "2024")).rows.find((r) => r.code === "economy"),
    ).toMatchObject({ classes: 0, participants: 0 });
    expect((await hoaAnOfficer.delete(`/api/v1/centres/activities/${created.id}`)).statusCode).toBe(403);
    expect((await communeOfficer.delete(`/api/v1/centres/activities/${created.id}`)).statusCode).toBe(200);
    expect((await report(communeOfficer, centre, "2025")).total.classes).toBe(0);
    const audit = await ctx.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "centre_activity")
      .where("entity_id", "=", String(created.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "centre.activity.create",
      "centre.activity.update",
      "centre.activity.delete",
    ]);
  });
});

describe("board, plan, funding and rating", () => {
  it("keeps the board and premises, the plan and funding by source, summed above", async () => {
    const profile = await communeOfficer.put(`/api/v1/centres/${centre}/profile`, {
      board: [
        { fullName: "Ma Thế Thích", role: "director", position: "Phó Chủ tịch UBND xã" },
        { fullName: "Nguyễn Văn An", role: "deputy", position: "Hiệu trưởng THCS" },
      ],
      premises: "Dùng chung cơ sở vật chất của UBND xã.",
    });
    expect(profile.statusCode, profile.body).toBe(200);
    const twoDirectors = await communeOfficer.put(`/api/v1/centres/${centre}/profile`, {
      board: [
        { fullName: "A", role: "director", position: null },
        { fullName: "B", role: "director", position: null },
      ],
      premises: null,
    });
    expect(twoDirectors.statusCode).toBe(400);
    const year = (b: number, s = 0) =>
      communeOfficer.put(`/api/v1/centres/${centre}/years/2024`, {
        plan: "Kế hoạch năm 2024",
        fundingStateBudget: b,
        fundingSocialisation: s,
        fundingLearners: 0,
      });
    expect((await year(20_000_000, 1_000_000)).statusCode).toBe(200);
    expect((await year(30_800_000)).statusCode).toBe(200);
    expect((await report(provinceOfficer, thaiNguyen, "2024")).funding).toEqual({
      stateBudget: 30_800_000,
      socialisation: 0,
      learners: 0,
    });
    const detail = (await communeOfficer.get(`/api/v1/centres/${centre}`)).json() as {
      board: unknown[];
      years: { year: number; fundingStateBudget: number; plan: string }[];
    };
    expect(detail.board).toHaveLength(2);
    expect(detail.years[0]).toMatchObject({
      year: 2024,
      fundingStateBudget: 30_800_000,
      plan: "Kế hoạch năm 2024",
    });
  });

  it("lets only the level above rate the centre", async () => {
    const own = await communeOfficer.put(`/api/v1/centres/${centre}/years/2024/rating`, {
      rating: "tot",
      note: null,
    });
    expect(own.statusCode).toBe(403);
    const above = await provinceOfficer.put(`/api/v1/centres/${centre}/years/2024/rating`, {
      rating: "tot",
      note: "Hoạt động theo kế hoạch",
    });
    expect(above.statusCode, above.body).toBe(200);
    const detail = (await communeOfficer.get(`/api/v1/centres/${centre}`)).json() as {
      years: { year: number; rating: string; fundingStateBudget: number }[];
    };
    expect(detail.years[0]).toMatchObject({ year: 2024, rating: "tot", fundingStateBudget: 30_800_000 });
    expect(
      (await hoaAnOfficer.put(`/api/v1/centres/${centre}/years/2024/rating`, { rating: "yeu", note: null }))
        .statusCode,
    ).toBe(403);
  });

  it("exports the table as an Excel workbook", async () => {
    const res = await provinceOfficer.get(
      `/api/v1/centres/report/export.xlsx?orgUnitId=${thaiNguyen}&period=2024`,
    );
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Kết quả theo lĩnh vực");
    expect(sheet?.getRow(5).getCell(2).value).toBe("Chuyên đề Giáo dục pháp luật");
    expect(sheet?.getRow(5).getCell(3).value).toBe(2);
  });
});

describe("the counters equal a recount after any sequence of writes", () => {
  type Op =
    | { kind: "create"; centre: 0 | 1; a: Figures }
    | { kind: "update"; pick: number; a: Figures }
    | { kind: "delete"; pick: number };
  interface Figures {
    category: string;
    startDate: string;
    sessions: number;
    participants: number;
    female: number;
    minority: number | null;
  }
  const figures: fc.Arbitrary<Figures> = fc
    .record({
      category: fc.constantFrom(...CENTRE_CATEGORIES.map((c) => c.code)),
      day: fc.integer({ min: 0, max: 700 }),
      sessions: fc.integer({ min: 1, max: 9 }),
      participants: fc.integer({ min: 0, max: 300 }),
      f: fc.double({ min: 0, max: 1, noNaN: true }),
      m: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    })
    .map(({ category, day, sessions, participants, f, m }) => ({
      category,
      startDate: new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10),
      sessions,
      participants,
      female: Math.floor(participants * f),
      minority: m === null ? null : Math.floor(participants * m),
    }));
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("create" as const),
        centre: fc.constantFrom(0 as const, 1 as const),
        a: figures,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("update" as const), pick: fc.nat(), a: figures }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }) },
  );

  it("holds for random creates, corrections and deletions in two communes", async () => {
    const officers: [TestClient, TestClient] = [communeOfficer, hoaAnOfficer];
    const centres: [number, number] = [centre, hoaAnCentre];
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const mine: { id: number; owner: 0 | 1 }[] = [];
        for (const o of ops) {
          const body = (a: Figures) =>
            activity({ ...a, endDate: a.startDate, title: "Hoạt động ngẫu nhiên" });
          if (o.kind === "create") {
            const res = await officers[o.centre].post(
              `/api/v1/centres/${centres[o.centre]}/activities`,
              body(o.a),
            );
            expect(res.statusCode, res.body).toBe(201);
            mine.push({ id: (res.json() as { id: number }).id, owner: o.centre });
          } else if (mine.length > 0) {
            const [target] = mine.splice(o.pick % mine.length, 1) as [{ id: number; owner: 0 | 1 }];
            const client = officers[target.owner];
            const res =
              o.kind === "update"
                ? await client.put(`/api/v1/centres/activities/${target.id}`, body(o.a))
                : await client.delete(`/api/v1/centres/activities/${target.id}`);
            expect(res.statusCode, res.body).toBe(200);
            if (o.kind === "update") mine.push(target);
          }
        }
        await expectCountersMatchRecount();
      }),
      { numRuns: 12 },
    );
  });

  it("migrations 0011 and 0012 fill the month buckets and the counts by kind of activities recorded before them, exactly", async () => {
    // The counters as they were before 0011: no month buckets, no counts by kind.
    await ctx.database.db
      .deleteFrom("centre_stats")
      .where((eb) =>
        eb.or([
          eb("period", "like", "M%"),
          eb("metric", "like", "activities:%"),
          eb("metric", "like", "attendance:%"),
        ]),
      )
      .execute();
    await monthBucketsMigration.up(ctx.database.db as unknown as Kysely<unknown>);
    await activityKindsMigration.up(ctx.database.db as unknown as Kysely<unknown>);
    await expectCountersMatchRecount();
  });
});

async function expectCountersMatchRecount() {
  const rows = await ctx.database.db
    .selectFrom("centre_activities as a")
    .innerJoin("org_units as o", "o.id", "a.org_unit_id")
    .select([
      "o.path",
      "a.kind",
      "a.category",
      "a.start_date",
      "a.sessions",
      "a.participants",
      "a.female",
      "a.minority",
    ])
    .execute();
  const expected = new Map<string, number>();
  const add = (key: string, n: number) => expected.set(key, (expected.get(key) ?? 0) + n);
  for (const r of rows) {
    for (const unit of countingUnitIds(r.path)) {
      for (const period of periodsOf(r.start_date)) {
        add(`${unit}|${period}|classes:${r.category}`, 1);
        add(`${unit}|${period}|sessions:${r.category}`, r.sessions);
        add(`${unit}|${period}|participants:${r.category}`, r.participants);
        add(`${unit}|${period}|female:${r.category}`, r.female);
        add(`${unit}|${period}|minority:${r.category}`, r.minority ?? 0);
        add(`${unit}|${period}|activities:${r.kind}`, 1);
        add(`${unit}|${period}|attendance:${r.kind}`, r.participants);
      }
    }
  }
  const stats = await ctx.database.db
    .selectFrom("centre_stats")
    .select(["org_unit_id", "period", "metric", "n"])
    .where("metric", "not like", "funding:%")
    .execute();
  const actual = new Map<string, number>();
  for (const s of stats)
    if (Number(s.n) !== 0) actual.set(`${s.org_unit_id}|${s.period}|${s.metric}`, Number(s.n));
  for (const [k, v] of [...expected]) if (v === 0) expected.delete(k);
  expect(actual).toEqual(expected);
}
