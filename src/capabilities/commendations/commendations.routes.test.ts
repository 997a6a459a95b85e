import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commendationMetrics } from "../../domain/commendations/rules.ts";
import { monthBucket } from "../../domain/periods.ts";
import {
  countRows,
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
let village: number;
let communeOfficer: TestClient;
let provinceOfficer: TestClient;
let hoaAnOfficer: TestClient;

const proposal = (over: Record<string, unknown> = {}) => ({
  orgUnitId: binhYen,
  kind: "giay_khen",
  kindOther: null,
  recipientType: "individual",
  awardingBody: "Hội Khuyến học tỉnh",
  reason: "Có thành tích xuất sắc trong công tác khuyến học năm 2025",
  proposedOn: "2025-10-20",
  proposalNumber: "15/TTr-HKH",
  recipients: [{ name: "Nguyễn Thị Hoa" }, { name: "Lê Văn Minh" }],
  ...over,
});

async function report(client: TestClient, unit: number) {
  const res = await client.get(`/api/v1/commendations/report?orgUnitId=${unit}&year=2025`);
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
  village = await createUnit(admin, binhYen, "village", "Thôn Đồng Tâm");
  communeOfficer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
  provinceOfficer = await createUser(ctx.app, admin, "canbo.thainguyen", "officer", [thaiNguyen]);
  hoaAnOfficer = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
});
afterAll(() => ctx.close());

describe("commendation proposals", () => {
  it("proposes Giấy khen for several individuals and collectives at once; the counts say '2 cá nhân và 1 tập thể'", async () => {
    const people = await communeOfficer.post("/api/v1/commendations", proposal());
    expect(people.statusCode, people.body).toBe(201);
    expect(
      (people.json() as { recipientName: string; status: string }[]).map((c) => [c.recipientName, c.status]),
    ).toEqual([
      ["Nguyễn Thị Hoa", "proposed"],
      ["Lê Văn Minh", "proposed"],
    ]);
    const group = await communeOfficer.post(
      "/api/v1/commendations",
      proposal({
        recipientType: "collective",
        recipients: [{ name: "Chi hội Khuyến học thôn Đồng Tâm", orgUnitId: village }],
      }),
    );
    expect(group.statusCode, group.body).toBe(201);
    const bangKhen = await provinceOfficer.post(
      "/api/v1/commendations",
      proposal({
        orgUnitId: thaiNguyen,
        kind: "bang_khen",
        recipientType: "collective",
        awardingBody: "Trung ương Hội Khuyến học Việt Nam",
        recipients: [{ name: "Hội Khuyến học xã Bình Yên", orgUnitId: binhYen }],
      }),
    );
    expect(bangKhen.statusCode, bangKhen.body).toBe(201);
    const commune = await report(communeOfficer, binhYen);
    expect(commune.counts).toEqual({
      "proposed:giay_khen:individual": 2,
      "proposed:giay_khen:collective": 1,
    });
    const province = await report(provinceOfficer, thaiNguyen);
    expect(province.counts).toEqual({
      "proposed:giay_khen:individual": 2,
      "proposed:giay_khen:collective": 1,
      "proposed:bang_khen:collective": 1,
    });
    expect(province.children.find((c) => c.id === binhYen)?.counts).toEqual(commune.counts);
    expect(province.children.filter((c) => c.counts === null).length).toBeGreaterThan(0);
  });

  it("marks one awarded (decision number and date required), one declined; counts follow; audited", async () => {
    const list = (
      await communeOfficer.get(`/api/v1/commendations?orgUnitId=${binhYen}&year=2025`)
    ).json() as {
      canWrite: boolean;
      commendations: { id: number; recipientName: string }[];
    };
    expect(list.canWrite).toBe(true);
    const hoa = list.commendations.find((c) => c.recipientName === "Nguyễn Thị Hoa") as { id: number };
    const minh = list.commendations.find((c) => c.recipientName === "Lê Văn Minh") as { id: number };
    const missing = await communeOfficer.put(`/api/v1/commendations/${hoa.id}/decision`, {
      status: "awarded",
      decisionNumber: null,
      decidedOn: "2025-10-01",
      note: null,
    });
    expect(missing.statusCode).toBe(400);
    expect((missing.json() as { errors: { field: string; message: string }[] }).errors).toEqual([
      { field: "decisionNumber", message: "Nhập số quyết định khen thưởng." },
      { field: "decidedOn", message: "Ngày quyết định không được trước ngày đề nghị." },
    ]);
    const ok = await communeOfficer.put(`/api/v1/commendations/${hoa.id}/decision`, {
      status: "awarded",
      decisionNumber: "120/QĐ-HKH",
      decidedOn: "2025-11-10",
      note: null,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(
      (
        await communeOfficer.put(`/api/v1/commendations/${minh.id}/decision`, {
          status: "declined",
          decisionNumber: null,
          decidedOn: null,
          note: "Chưa đủ tiêu chuẩn",
        })
      ).statusCode,
    ).toBe(200);
    expect((await report(provinceOfficer, thaiNguyen)).counts).toMatchObject({
      "proposed:giay_khen:individual": 2,
      "awarded:giay_khen:individual": 1,
      "declined:giay_khen:individual": 1,
    });
    // Back to proposed (a mistake), then awarded again.
    await communeOfficer.put(`/api/v1/commendations/${minh.id}/decision`, {
      status: "proposed",
      decisionNumber: null,
      decidedOn: null,
      note: null,
    });
    expect((await report(communeOfficer, binhYen)).counts["declined:giay_khen:individual"] ?? 0).toBe(0);
    const audit = await ctx.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "commendation")
      .where("entity_id", "=", String(hoa.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["commendation.propose", "commendation.decide"]);
  });

  it("refuses bad proposals with Vietnamese messages and stores nothing (not even the good recipients)", async () => {
    const before = await countRows(ctx.database, "commendations");
    const cases: [Record<string, unknown>, string, RegExp, number][] = [
      [{ kind: "other" }, "kindOther", /Ghi rõ hình thức/, 400],
      [{ recipients: [{ name: "An", orgUnitId: village }] }, "recipients.0.orgUnitId", /chọn “Tập thể”/, 400],
      [{ recipients: [{ name: "An" }, { name: "an" }] }, "recipients.1.name", /hai lần/, 400],
      [{ recipients: [{ name: "An" }, { name: "  " }] }, "recipients.1.name", /Nhập tên/, 400],
      [{ recipients: [] }, "recipients", /ít nhất một/, 400],
      [{ awardingBody: "" }, "awardingBody", /cấp khen thưởng/, 400],
      [{ proposedOn: "2025-13-01" }, "proposedOn", /Ngày/, 400],
      [{ kind: "huy_chuong" }, "kind", /Chọn hình thức/, 400],
    ];
    for (const [over, field, message, status] of cases) {
      const res = await communeOfficer.post("/api/v1/commendations", proposal(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      const problem = res.json() as { errors: { field: string; message: string }[] };
      expect(problem.errors.find((e) => e.field === field)?.message, JSON.stringify(problem)).toMatch(
        message,
      );
    }
    // A collective recipient outside the proposing unit, and a unit outside the scope.
    const sideways = await provinceOfficer.post(
      "/api/v1/commendations",
      proposal({
        orgUnitId: binhYen,
        recipientType: "collective",
        recipients: [{ name: "Tỉnh", orgUnitId: thaiNguyen }],
      }),
    );
    expect(sideways.statusCode).toBe(400);
    expect((await hoaAnOfficer.post("/api/v1/commendations", proposal())).statusCode).toBe(403);
    const outside = await communeOfficer.post(
      "/api/v1/commendations",
      proposal({ recipientType: "collective", recipients: [{ name: "Xã Hòa An", orgUnitId: hoaAn }] }),
    );
    expect(outside.statusCode).toBe(403);
    expect((await hoaAnOfficer.get(`/api/v1/commendations?orgUnitId=${binhYen}&year=2025`)).statusCode).toBe(
      403,
    );
    expect(await countRows(ctx.database, "commendations")).toBe(before);
  });
});

describe("exemplary models", () => {
  it("records a model with its story, counted per model; corrections and deletion follow", async () => {
    const res = await communeOfficer.post("/api/v1/exemplary-models", {
      orgUnitId: binhYen,
      model: "family",
      name: "Gia đình ông Ma Văn Tùng",
      year: 2025,
      story: "Ba thế hệ cùng học.\nCả ba con đỗ đại học.",
      honouredAt: "Hội nghị Tuyên dương điển hình tiên tiến của Tỉnh Hội quý II/2025",
    });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json() as { id: number; story: string };
    expect(m.story).toContain("\n");
    expect((await report(provinceOfficer, thaiNguyen)).counts["exemplary:family"]).toBe(1);
    const fixed = await communeOfficer.put(`/api/v1/exemplary-models/${m.id}`, {
      orgUnitId: binhYen,
      model: "clan",
      name: "Dòng họ Ma",
      year: 2025,
      story: null,
      honouredAt: null,
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const counts = (await report(communeOfficer, binhYen)).counts;
    expect(counts["exemplary:clan"]).toBe(1);
    expect(counts["exemplary:family"]).toBe(0);
    const bad = await communeOfficer.post("/api/v1/exemplary-models", {
      orgUnitId: binhYen,
      model: "x",
      name: "",
      year: 1990,
    });
    expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual([
      "model",
      "name",
      "year",
    ]);
    expect((await hoaAnOfficer.delete(`/api/v1/exemplary-models/${m.id}`)).statusCode).toBe(403);
    expect((await communeOfficer.delete(`/api/v1/exemplary-models/${m.id}`)).statusCode).toBe(200);
    expect((await report(communeOfficer, binhYen)).counts["exemplary:clan"]).toBe(0);
  });

  it("exports the counts as an Excel workbook", async () => {
    const res = await provinceOfficer.get(
      `/api/v1/commendations/report/export.xlsx?orgUnitId=${thaiNguyen}&year=2025`,
    );
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Khen thưởng");
    expect(sheet?.getRow(2).getCell(2).value).toBe("Đề nghị Bằng khen — cá nhân");
    const last = sheet?.getRow(sheet.rowCount);
    expect(last?.getCell(1).value).toBe("Tổng cộng");
  });
});

describe("the counters equal a recount after any sequence of writes", () => {
  type Op =
    | { kind: "propose"; who: 0 | 1; n: number; k: string; rt: string; day: number }
    | { kind: "decide"; pick: number; status: string }
    | { kind: "delete"; pick: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant("propose" as const),
      who: fc.constantFrom(0 as const, 1 as const),
      n: fc.integer({ min: 1, max: 3 }),
      k: fc.constantFrom("bang_khen", "giay_khen"),
      rt: fc.constantFrom("individual", "collective"),
      day: fc.integer({ min: 0, max: 400 }),
    }),
    fc.record({
      kind: fc.constant("decide" as const),
      pick: fc.nat(),
      status: fc.constantFrom("proposed", "awarded", "declined"),
    }),
    fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  );

  it("holds for random proposals, decisions and deletions", async () => {
    const officers: [TestClient, TestClient] = [communeOfficer, provinceOfficer];
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const mine: { id: number; who: 0 | 1 }[] = [];
        for (const o of ops) {
          if (o.kind === "propose") {
            const proposedOn = new Date(Date.UTC(2025, 0, 1) + o.day * 86_400_000).toISOString().slice(0, 10);
            const res = await officers[o.who].post(
              "/api/v1/commendations",
              proposal({
                orgUnitId: o.who === 0 ? binhYen : thaiNguyen,
                kind: o.k,
                recipientType: o.rt,
                proposedOn,
                recipients: Array.from({ length: o.n }, () => ({ name: `Người ${++serial}` })),
              }),
            );
            expect(res.statusCode, res.body).toBe(201);
            for (const c of res.json() as { id: number }[]) mine.push({ id: c.id, who: o.who });
          } else if (mine.length > 0) {
            const t = mine[o.pick % mine.length] as { id: number; who: 0 | 1 };
            if (o.kind === "delete") {
              mine.splice(mine.indexOf(t), 1);
              expect((await officers[t.who].delete(`/api/v1/commendations/${t.id}`)).statusCode).toBe(200);
            } else {
              const res = await officers[t.who].put(`/api/v1/commendations/${t.id}/decision`, {
                status: o.status,
                decisionNumber: o.status === "proposed" ? null : "1/QĐ",
                decidedOn: o.status === "proposed" ? null : "2027-01-01",
                note: null,
              });
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
    .selectFrom("commendations as c")
    .innerJoin("org_units as o", "o.id", "c.org_unit_id")
    .select(["o.path", "c.kind", "c.recipient_type", "c.status", "c.proposed_on"])
    .execute();
  const models = await ctx.database.db
    .selectFrom("exemplary_models as m")
    .innerJoin("org_units as o", "o.id", "m.org_unit_id")
    .select(["o.path", "m.model", "m.year"])
    .execute();
  const expected = new Map<string, number>();
  const add = (key: string, n: number) => expected.set(key, (expected.get(key) ?? 0) + n);
  for (const r of rows) {
    for (const unit of countingUnitIds(r.path)) {
      for (const [metric, n] of commendationMetrics({
        kind: r.kind,
        recipientType: r.recipient_type,
        status: r.status,
      })) {
        add(`${unit}|${r.proposed_on.slice(0, 4)}|${metric}`, n);
        add(`${unit}|${monthBucket(r.proposed_on)}|${metric}`, n);
      }
    }
  }
  for (const m of models)
    for (const unit of countingUnitIds(m.path)) add(`${unit}|${m.year}|exemplary:${m.model}`, 1);
  const stats = await ctx.database.db
    .selectFrom("commendation_stats")
    .select(["org_unit_id", "period", "metric", "n"])
    .execute();
  const actual = new Map<string, number>();
  for (const s of stats)
    if (Number(s.n) !== 0) actual.set(`${s.org_unit_id}|${s.period}|${s.metric}`, Number(s.n));
  expect(actual).toEqual(expected);
}
