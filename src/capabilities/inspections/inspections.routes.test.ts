import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthBucket } from "../../domain/periods.ts";
import {
  countRows,
  createUnit,
  createUser,
  loginAsAdmin,
  siblingCommune,
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
let otherCommune: number;
let schools: { thpt: number; thcs: number; mamNon: number };
let village: number;
let hoaAnSchool: number;
let communeOfficer: TestClient;
let provinceOfficer: TestClient;
let hoaAnOfficer: TestClient;

const plan = (over: Record<string, unknown> = {}) => ({
  orgUnitId: thaiNguyen,
  documentNumber: "37/KH-HKH",
  issuedOn: "2025-10-25",
  title: "Kiểm tra công tác khuyến học, khuyến tài năm 2025",
  fromDate: "2025-11-04",
  toDate: "2025-11-15",
  team: [
    { fullName: "Nguyễn Văn Hùng", position: "Phó Chủ tịch Hội", role: "head" },
    { fullName: "Trần Thị Lan", position: null, role: "member" },
  ],
  notes: null,
  targets: [
    { orgUnitId: binhYen, cluster: "Cụm Bình Yên", scheduledOn: "2025-11-05" },
    { orgUnitId: schools.thpt, schoolLevel: "thpt", cluster: "Cụm Bình Yên", scheduledOn: "2025-11-05" },
    { orgUnitId: otherCommune, cluster: "Cụm Đồng Hỷ", scheduledOn: "2025-11-12" },
  ],
  ...over,
});

interface PlanOut {
  id: number;
  targets: {
    id: number;
    unit: { id: number };
    category: string;
    schoolLevel: string | null;
    cluster: string | null;
    rating: string | null;
  }[];
}

async function report(client: TestClient, unit: number, year = 2025) {
  const res = await client.get(`/api/v1/inspections/report?orgUnitId=${unit}&year=${year}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    counts: Record<string, number>;
    children: { id: number; counts: Record<string, number> | null }[];
  };
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  otherCommune = await siblingCommune(admin, thaiNguyen, binhYen);
  schools = {
    thpt: await createUnit(admin, binhYen, "school", "Trường THPT Bình Yên"),
    thcs: await createUnit(admin, binhYen, "school", "Trường THCS Bình Yên"),
    mamNon: await createUnit(admin, binhYen, "school", "Trường Mầm non Bình Yên"),
  };
  village = await createUnit(admin, binhYen, "village", "Thôn Đồng Tâm");
  hoaAnSchool = await createUnit(admin, hoaAn, "school", "Trường Tiểu học Hòa An");
  communeOfficer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
  provinceOfficer = await createUser(ctx.app, admin, "canbo.thainguyen", "officer", [thaiNguyen]);
  hoaAnOfficer = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
});
afterAll(() => ctx.close());

describe("inspection plans", () => {
  it("creates a plan with its team and targets in clusters; categories come from the unit's kind", async () => {
    const res = await provinceOfficer.post("/api/v1/inspections/plans", plan());
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as PlanOut & { team: unknown[]; canWrite: boolean };
    expect(created.team).toHaveLength(2);
    expect(created.canWrite).toBe(true);
    expect(created.targets.map((t) => [t.category, t.schoolLevel, t.cluster])).toEqual([
      ["commune_association", null, "Cụm Bình Yên"],
      ["school_association", "thpt", "Cụm Bình Yên"],
      ["commune_association", null, "Cụm Đồng Hỷ"],
    ]);
    const province = await report(provinceOfficer, thaiNguyen);
    expect(province.counts).toMatchObject({
      plans: 1,
      targets: 3,
      "targets:commune_association": 2,
      "targets:school_association": 1,
      "targets:school:thpt": 1,
    });
    expect(province.counts.inspected ?? 0).toBe(0);
    // The province's communes: none of them made a plan, so each is "no figures", not 0.
    expect(province.children.find((c) => c.id === binhYen)?.counts).toBeNull();
    // The list of the year and the plan itself.
    const list = (
      await provinceOfficer.get(`/api/v1/inspections/plans?orgUnitId=${thaiNguyen}&year=2025`)
    ).json() as {
      plans: PlanOut[];
      canCreate: boolean;
    };
    expect(list.canCreate).toBe(true);
    expect(list.plans.map((p) => p.id)).toEqual([created.id]);
    expect(
      (
        (await provinceOfficer.get(`/api/v1/inspections/plans?orgUnitId=${thaiNguyen}&year=2024`)).json() as {
          plans: unknown[];
        }
      ).plans,
    ).toEqual([]);
  });

  it("a commune inspects its schools and villages; its counts reach the province, and the commune is no longer missing", async () => {
    const res = await communeOfficer.post(
      "/api/v1/inspections/plans",
      plan({
        orgUnitId: binhYen,
        documentNumber: "12/KH-HKH",
        team: [],
        targets: [
          { orgUnitId: schools.thcs, schoolLevel: "thcs", cluster: "Cụm 1" },
          { orgUnitId: schools.mamNon, schoolLevel: "mam_non", cluster: "Cụm 1" },
          { orgUnitId: village, cluster: "Cụm 2" },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as PlanOut).targets.map((t) => t.category)).toEqual([
      "school_association",
      "school_association",
      "other",
    ]);
    const commune = await report(communeOfficer, binhYen);
    expect(commune.counts).toMatchObject({ plans: 1, targets: 3, "targets:school:thcs": 1 });
    const province = await report(provinceOfficer, thaiNguyen);
    expect(province.counts).toMatchObject({ plans: 2, targets: 6, "targets:school_association": 3 });
    expect(province.children.find((c) => c.id === binhYen)?.counts).toMatchObject({ plans: 1, targets: 3 });
  });

  it("refuses bad plans with every Vietnamese message at once, and stores nothing", async () => {
    const before = await countRows(ctx.database, "inspection_plans");
    const cases: [Record<string, unknown>, string, RegExp, number?][] = [
      [{ toDate: "2025-11-01" }, "toDate", /Ngày kết thúc kiểm tra không được trước ngày bắt đầu/],
      [{ fromDate: "2025-10-01", toDate: "2025-10-02" }, "fromDate", /trước ngày ban hành/],
      [
        { targets: [{ orgUnitId: thaiNguyen }] },
        "targets.0.orgUnitId",
        /là đơn vị lập kế hoạch, không tự kiểm tra chính mình/,
      ],
      [{ targets: [{ orgUnitId: schools.thcs, cluster: null }] }, "targets.0.schoolLevel", /Chọn cấp học/],
      [
        { targets: [{ orgUnitId: village, category: "school_association", schoolLevel: "thcs" }] },
        "targets.0.orgUnitId",
        /không phải là trường học/,
      ],
      [
        { targets: [{ orgUnitId: binhYen, scheduledOn: "2025-12-01" }] },
        "targets.0.scheduledOn",
        /nằm trong thời gian của kế hoạch/,
      ],
      [{ targets: [{ orgUnitId: binhYen }, { orgUnitId: binhYen }] }, "targets.1.orgUnitId", /một lần/],
      [{ targets: [] }, "targets", /ít nhất một đơn vị/],
      [{ documentNumber: "  " }, "documentNumber", /Nhập số kế hoạch/],
      [
        { orgUnitId: schools.thpt, targets: [{ orgUnitId: village }] },
        "orgUnitId",
        /không phải là đơn vị lập kế hoạch/,
      ],
    ];
    for (const [over, field, message] of cases) {
      const res = await provinceOfficer.post("/api/v1/inspections/plans", plan(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors.find((e) => e.field === field)?.message, JSON.stringify(problem)).toMatch(
        message,
      );
    }
    const all = await provinceOfficer.post(
      "/api/v1/inspections/plans",
      plan({ toDate: "2025-11-01", team: [plan().team[0], plan().team[0]] }),
    );
    expect((all.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual([
      "team",
      "toDate",
    ]);
    // A commune officer inspecting its own commune: the commune is the inspecting unit.
    const own = await communeOfficer.post(
      "/api/v1/inspections/plans",
      plan({ orgUnitId: binhYen, targets: [{ orgUnitId: binhYen }] }),
    );
    expect(own.statusCode).toBe(400);
    expect(await countRows(ctx.database, "inspection_plans")).toBe(before);
  });

  it("keeps units outside the user's scope out (403), for plans, targets and reading", async () => {
    const before = await countRows(ctx.database, "inspection_plans");
    const outside = await communeOfficer.post(
      "/api/v1/inspections/plans",
      plan({
        orgUnitId: binhYen,
        targets: [
          { orgUnitId: schools.thcs, schoolLevel: "thcs" },
          { orgUnitId: hoaAnSchool, schoolLevel: "tieu_hoc" },
        ],
      }),
    );
    expect(outside.statusCode).toBe(403);
    expect((outside.json() as { detail: string }).detail).toMatch(/ngoài phạm vi/);
    expect((await hoaAnOfficer.post("/api/v1/inspections/plans", plan())).statusCode).toBe(403);
    expect(
      (await hoaAnOfficer.get(`/api/v1/inspections/report?orgUnitId=${thaiNguyen}&year=2025`)).statusCode,
    ).toBe(403);
    // The province's plan is above the commune officer's scope.
    const list = (
      await provinceOfficer.get(`/api/v1/inspections/plans?orgUnitId=${thaiNguyen}&year=2025`)
    ).json() as {
      plans: PlanOut[];
    };
    const planId = (list.plans[0] as PlanOut).id;
    expect((await communeOfficer.get(`/api/v1/inspections/plans/${planId}`)).statusCode).toBe(403);
    expect((await communeOfficer.delete(`/api/v1/inspections/plans/${planId}`)).statusCode).toBe(403);
    expect(await countRows(ctx.database, "inspection_plans")).toBe(before);
  });
});

describe("results", () => {
  it("records, corrects and clears a result; counts by rating follow; each change audited", async () => {
    const list = (
      await provinceOfficer.get(`/api/v1/inspections/plans?orgUnitId=${thaiNguyen}&year=2025`)
    ).json() as {
      plans: PlanOut[];
    };
    const p = list.plans[0] as PlanOut;
    const [first, second] = p.targets as [PlanOut["targets"][number], PlanOut["targets"][number]];
    const result = (rating: string, inspectedOn = "2025-11-05") => ({
      inspectedOn,
      rating,
      findings: "Hội hoạt động đều, sổ sách đầy đủ.",
      recommendations: "Phát triển thêm hội viên.",
    });
    expect(
      (await provinceOfficer.put(`/api/v1/inspections/targets/${first.id}/result`, result("kha"))).statusCode,
    ).toBe(200);
    expect(
      (await provinceOfficer.put(`/api/v1/inspections/targets/${second.id}/result`, result("tot")))
        .statusCode,
    ).toBe(200);
    expect((await report(provinceOfficer, thaiNguyen)).counts).toMatchObject({
      inspected: 2,
      "rating:kha": 1,
      "rating:tot": 1,
    });
    // Corrected: Khá → Tốt.
    expect(
      (await provinceOfficer.put(`/api/v1/inspections/targets/${first.id}/result`, result("tot"))).statusCode,
    ).toBe(200);
    let counts = (await report(provinceOfficer, thaiNguyen)).counts;
    expect(counts).toMatchObject({ inspected: 2, "rating:tot": 2 });
    expect(counts["rating:kha"] ?? 0).toBe(0);
    // Bad results: before the plan was issued, an unknown rating.
    const early = await provinceOfficer.put(
      `/api/v1/inspections/targets/${first.id}/result`,
      result("tot", "2025-10-01"),
    );
    expect(early.statusCode).toBe(400);
    expect((early.json() as { errors: { message: string }[] }).errors[0]?.message).toMatch(
      /trước ngày ban hành/,
    );
    const badRating = await provinceOfficer.put(
      `/api/v1/inspections/targets/${first.id}/result`,
      result("xuat_sac"),
    );
    expect(badRating.statusCode).toBe(400);
    // The commune cannot rate itself.
    expect(
      (await communeOfficer.put(`/api/v1/inspections/targets/${first.id}/result`, result("tot"))).statusCode,
    ).toBe(403);
    // Cleared.
    expect((await provinceOfficer.delete(`/api/v1/inspections/targets/${second.id}/result`)).statusCode).toBe(
      200,
    );
    counts = (await report(provinceOfficer, thaiNguyen)).counts;
    expect(counts).toMatchObject({ inspected: 1, "rating:tot": 1 });
    const audit = await ctx.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "inspection_target")
      .where("entity_id", "=", String(first.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["inspection.result.record", "inspection.result.correct"]);
    // "How was I inspected": the commune sees the province's inspection of it.
    const mine = (await communeOfficer.get(`/api/v1/inspections/of-unit/${binhYen}`)).json() as {
      rating: string;
      plan: { documentNumber: string };
    }[];
    expect(mine).toEqual([
      expect.objectContaining({
        rating: "tot",
        plan: expect.objectContaining({ documentNumber: "37/KH-HKH" }),
      }),
    ]);
  });

  it("editing a plan keeps the results of the units still in it", async () => {
    const list = (
      await provinceOfficer.get(`/api/v1/inspections/plans?orgUnitId=${thaiNguyen}&year=2025`)
    ).json() as {
      plans: PlanOut[];
    };
    const p = list.plans[0] as PlanOut;
    const res = await provinceOfficer.put(
      `/api/v1/inspections/plans/${p.id}`,
      plan({
        targets: [
          { orgUnitId: binhYen, cluster: "Cụm A" },
          { orgUnitId: schools.thcs, schoolLevel: "thcs" },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const updated = res.json() as PlanOut;
    expect(updated.targets.map((t) => [t.unit.id, t.rating, t.cluster])).toEqual([
      [binhYen, "tot", "Cụm A"],
      [schools.thcs, null, null],
    ]);
    await expectCountersMatchRecount();
  });

  it("exports the counts per unit as an Excel workbook, missing units marked", async () => {
    const res = await provinceOfficer.get(
      `/api/v1/inspections/report/export.xlsx?orgUnitId=${thaiNguyen}&year=2025`,
    );
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Kiểm tra");
    const rows: unknown[][] = [];
    sheet?.eachRow((r) => rows.push(r.values as unknown[]));
    expect(rows[1]?.[2]).toBe("Số kế hoạch");
    expect(rows.some((r) => r[2] === "chưa có số liệu")).toBe(true);
    const total = rows.at(-1) as unknown[];
    expect(total[1]).toBe("Tổng cộng");
    expect(total[2]).toBe(2);
  });
});

describe("the counters equal a recount after any sequence of writes", () => {
  type Op =
    | { kind: "create"; who: 0 | 1; picks: number[]; day: number }
    | { kind: "result"; pick: number; rating: string }
    | { kind: "clear"; pick: number }
    | { kind: "delete"; pick: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("create" as const),
        who: fc.constantFrom(0 as const, 1 as const),
        picks: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
        day: fc.integer({ min: 0, max: 500 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("result" as const),
        pick: fc.nat(),
        rating: fc.constantFrom("tot", "kha", "trung_binh", "yeu"),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("clear" as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }) },
  );

  it("holds for random plans, results, corrections and deletions at a commune and its province", async () => {
    const officers: [TestClient, TestClient] = [communeOfficer, provinceOfficer];
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const plans: { id: number; who: 0 | 1; targets: { id: number; issuedOn: string }[] }[] = [];
        for (const o of ops) {
          if (o.kind === "create") {
            const units =
              o.who === 0
                ? [
                    { orgUnitId: schools.thcs, schoolLevel: "thcs" },
                    { orgUnitId: schools.thpt, schoolLevel: "thpt" },
                    { orgUnitId: schools.mamNon, schoolLevel: "mam_non" },
                    { orgUnitId: village },
                  ]
                : [
                    { orgUnitId: binhYen },
                    { orgUnitId: otherCommune },
                    { orgUnitId: schools.thcs, schoolLevel: "lien_cap" },
                    { orgUnitId: village, category: "other" },
                  ];
            const issuedOn = new Date(Date.UTC(2025, 0, 1) + o.day * 86_400_000).toISOString().slice(0, 10);
            const res = await officers[o.who].post(
              "/api/v1/inspections/plans",
              plan({
                orgUnitId: o.who === 0 ? binhYen : thaiNguyen,
                issuedOn,
                fromDate: issuedOn,
                toDate: issuedOn,
                targets: o.picks.map((i) => units[i]),
              }),
            );
            expect(res.statusCode, res.body).toBe(201);
            const created = res.json() as PlanOut;
            plans.push({
              id: created.id,
              who: o.who,
              targets: created.targets.map((t) => ({ id: t.id, issuedOn })),
            });
          } else if (plans.length > 0) {
            const p = plans[o.pick % plans.length] as (typeof plans)[number];
            const client = officers[p.who];
            if (o.kind === "delete") {
              plans.splice(plans.indexOf(p), 1);
              expect((await client.delete(`/api/v1/inspections/plans/${p.id}`)).statusCode).toBe(200);
            } else {
              const t = p.targets[o.pick % p.targets.length] as { id: number; issuedOn: string };
              const res =
                o.kind === "result"
                  ? await client.put(`/api/v1/inspections/targets/${t.id}/result`, {
                      inspectedOn: t.issuedOn,
                      rating: o.rating,
                      findings: null,
                      recommendations: null,
                    })
                  : await client.delete(`/api/v1/inspections/targets/${t.id}/result`);
              expect(res.statusCode, res.body).toBe(200);
            }
          }
        }
        await expectCountersMatchRecount();
      }),
      { numRuns: 10 },
    );
  });
});

async function expectCountersMatchRecount() {
  const rows = await ctx.database.db
    .selectFrom("inspection_targets as t")
    .innerJoin("inspection_plans as p", "p.id", "t.plan_id")
    .innerJoin("org_units as o", "o.id", "p.org_unit_id")
    .select(["o.path", "p.id", "p.issued_on", "t.category", "t.school_level", "t.rating"])
    .execute();
  const expected = new Map<string, number>();
  const add = (key: string, n = 1) => expected.set(key, (expected.get(key) ?? 0) + n);
  const seenPlans = new Set<number>();
  for (const r of rows) {
    for (const unit of countingUnitIds(r.path)) {
      // Counted in the year of the plan and in the month bucket of its issue date.
      for (const period of [r.issued_on.slice(0, 4), monthBucket(r.issued_on)]) {
        const k = `${unit}|${period}|`;
        if (!seenPlans.has(r.id)) add(`${k}plans`);
        add(`${k}targets`);
        add(`${k}targets:${r.category}`);
        if (r.school_level) add(`${k}targets:school:${r.school_level}`);
        if (r.rating) {
          add(`${k}inspected`);
          add(`${k}rating:${r.rating}`);
        }
      }
    }
    seenPlans.add(r.id);
  }
  const stats = await ctx.database.db
    .selectFrom("inspection_stats")
    .select(["org_unit_id", "period", "metric", "n"])
    .execute();
  const actual = new Map<string, number>();
  for (const s of stats)
    if (Number(s.n) !== 0) actual.set(`${s.org_unit_id}|${s.period}|${s.metric}`, Number(s.n));
  expect(actual).toEqual(expected);
}
