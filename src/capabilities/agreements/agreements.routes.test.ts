import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agreementMetrics, PARTNER_KINDS } from "../../domain/events/agreements.ts";
import {
  countRows,
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
let officer: TestClient;
let clerk: TestClient;
let province: TestClient;
let outsider: TestClient;

const agreement = (over: Record<string, unknown> = {}) => ({
  orgUnitId: binhYen,
  partnerName: "Hội Liên hiệp Phụ nữ xã",
  partnerKind: "mass_organisation",
  documentNumber: "01/CTPH-HKH-HPN",
  signedOn: "2024-03-15",
  coversFrom: "2024-03-15",
  coversTo: "2025-12-31",
  content: "Phối hợp xây dựng gia đình học tập",
  endedOn: null,
  ...over,
});

interface ListJson {
  figures: {
    signed: number;
    signedLastYear: number | null;
    change: { direction: string; difference: number } | null;
    active: number;
  };
  agreements: { id: number; partnerName: string; activeInYear: boolean; endedOn: string | null }[];
}

async function list(client: TestClient, unit: number, year: number): Promise<ListJson> {
  const res = await client.get(`/api/v1/agreements?orgUnitId=${unit}&year=${year}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ListJson;
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
  clerk = await createUser(ctx.app, admin, "nhaplieu.binhyen", "data_entry", [binhYen]);
  province = await createUser(ctx.app, admin, "canbo.thainguyen", "officer", [thaiNguyen]);
  outsider = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
});
afterAll(() => ctx.close());

describe("coordination agreements", () => {
  it("counts agreements signed this year against last year, and those in force", async () => {
    // 2023: 1 signed; 2024: 3 signed ("tăng 2 so với năm 2023").
    const inputs = [
      agreement({
        signedOn: "2023-05-01",
        coversFrom: "2023-05-01",
        coversTo: "2025-12-31",
        partnerName: "Trường THCS Bình Yên",
        partnerKind: "school",
      }),
      agreement(),
      agreement({ partnerName: "Công an xã", partnerKind: "department" }),
      agreement({ partnerName: "Công ty TNHH Chè Thái", partnerKind: "enterprise", coversTo: "2024-12-31" }),
    ];
    for (const a of inputs) {
      const res = await officer.post("/api/v1/agreements", a);
      expect(res.statusCode, res.body).toBe(201);
    }
    const y2024 = await list(officer, binhYen, 2024);
    expect(y2024.figures).toMatchObject({
      signed: 3,
      signedLastYear: 1,
      change: { direction: "up", difference: 2 },
      active: 4,
    });
    expect(y2024.agreements).toHaveLength(4);
    const y2025 = await list(province, thaiNguyen, 2025);
    expect(y2025.figures).toMatchObject({ signed: 0, signedLastYear: 3, active: 3 });
    const summary = (
      await province.get(`/api/v1/events/summary?orgUnitId=${thaiNguyen}&year=2025`)
    ).json() as {
      total: { agreements: { signed: number; signedLastYear: number | null; active: number } };
      children: { id: number; agreementsMissing: boolean; figures: { agreements: { signed: number } } }[];
    };
    // The communes formed on 2025-07-01 appear in 2025's summary.
    expect(summary.total.agreements).toMatchObject({ signed: 0, signedLastYear: 3, active: 3 });
    expect(summary.children.find((c) => c.id === binhYen)).toMatchObject({
      agreementsMissing: false,
      figures: { agreements: { signed: 0, active: 3 } },
    });
    expect(summary.children.find((c) => c.id !== binhYen)?.agreementsMissing).toBe(true);
  });

  it("ends an agreement early: it is no longer in force the years after", async () => {
    const { agreements } = await list(officer, binhYen, 2024);
    const police = agreements.find((a) => a.partnerName === "Công an xã") as { id: number };
    const ended = await officer.post(`/api/v1/agreements/${police.id}/end`, { endedOn: "2024-09-30" });
    expect(ended.statusCode, ended.body).toBe(200);
    expect((await list(officer, binhYen, 2025)).figures.active).toBe(2);
    expect((await list(officer, binhYen, 2024)).figures.active).toBe(4);
    const tooEarly = await officer.post(`/api/v1/agreements/${police.id}/end`, { endedOn: "2023-01-01" });
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.body).toContain("Ngày chấm dứt không được trước thời hạn từ.");
  });

  it("refuses bad dates, a period over 15 years, another unit's scope and a clerk; nothing stored", async () => {
    const before = await countRows(ctx.database, "coordination_agreements");
    const reversed = await officer.post(
      "/api/v1/agreements",
      agreement({ coversFrom: "2025-01-01", coversTo: "2024-01-01" }),
    );
    expect(reversed.statusCode).toBe(400);
    expect(reversed.body).toContain("Thời hạn đến không được trước thời hạn từ.");
    const long = await officer.post("/api/v1/agreements", agreement({ coversTo: "2040-12-31" }));
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain("tối đa 15 năm");
    const noName = await officer.post("/api/v1/agreements", agreement({ partnerName: "  " }));
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toContain("Nhập tên đơn vị phối hợp.");
    expect((await outsider.post("/api/v1/agreements", agreement())).statusCode).toBe(403);
    expect((await clerk.post("/api/v1/agreements", agreement())).statusCode).toBe(403);
    expect(await countRows(ctx.database, "coordination_agreements")).toBe(before);
  });
});

describe("the counters equal a recount after any sequence of writes", () => {
  type F = {
    kind: (typeof PARTNER_KINDS)[number];
    unit: 0 | 1;
    signed: number;
    from: number;
    years: number;
    end: number | null;
  };
  const f: fc.Arbitrary<F> = fc.record({
    kind: fc.constantFrom(...PARTNER_KINDS),
    unit: fc.constantFrom(0 as const, 1 as const),
    signed: fc.integer({ min: 0, max: 1500 }),
    from: fc.integer({ min: 0, max: 200 }),
    years: fc.integer({ min: 0, max: 4 }),
    end: fc.option(fc.integer({ min: 0, max: 2000 })),
  });
  const date = (d: number) => new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
  const body = (x: F) => {
    const signedOn = date(x.signed);
    const coversFrom = date(x.signed + x.from);
    const coversTo = `${Number(coversFrom.slice(0, 4)) + x.years}-12-31`;
    const endedOn = x.end === null ? null : date(x.signed + x.from + x.end);
    return agreement({
      orgUnitId: [binhYen, hoaAn][x.unit],
      partnerKind: x.kind,
      signedOn,
      coversFrom,
      coversTo,
      endedOn: endedOn && endedOn <= coversTo ? endedOn : null,
    });
  };
  type Op = { op: "create"; x: F } | { op: "update"; pick: number; x: F } | { op: "delete"; pick: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant("create" as const), x: f }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("update" as const), pick: fc.nat(), x: f }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("delete" as const), pick: fc.nat() }) },
  );

  it("holds for random signings, corrections, early ends and deletions", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const mine: { id: number; unit: 0 | 1 }[] = [];
        for (const o of ops) {
          if (o.op === "create") {
            const res = await admin.post("/api/v1/agreements", body(o.x));
            expect(res.statusCode, res.body).toBe(201);
            mine.push({ id: (res.json() as { id: number }).id, unit: o.x.unit });
          } else if (mine.length > 0) {
            const [t] = mine.splice(o.pick % mine.length, 1) as [{ id: number; unit: 0 | 1 }];
            const res =
              o.op === "update"
                ? await admin.put(`/api/v1/agreements/${t.id}`, {
                    ...body({ ...o.x, unit: t.unit }),
                    orgUnitId: undefined,
                  })
                : await admin.delete(`/api/v1/agreements/${t.id}`);
            expect(res.statusCode, res.body).toBe(200);
            if (o.op === "update") mine.push(t);
          }
        }
        const rows = await ctx.database.db
          .selectFrom("coordination_agreements as a")
          .innerJoin("org_units as o", "o.id", "a.org_unit_id")
          .select(["o.path", "a.partner_kind", "a.signed_on", "a.covers_from", "a.covers_to", "a.ended_on"])
          .execute();
        const expected = new Map<string, number>();
        for (const r of rows) {
          const parts = agreementMetrics({
            partnerKind: r.partner_kind as F["kind"],
            signedOn: r.signed_on,
            coversFrom: r.covers_from,
            coversTo: r.covers_to,
            endedOn: r.ended_on,
          });
          for (const unit of countingUnitIds(r.path))
            for (const p of parts)
              for (const [m, n] of p.metrics) {
                const k = `${unit}|${p.period}|${m}`;
                expected.set(k, (expected.get(k) ?? 0) + n);
              }
        }
        const stats = await ctx.database.db
          .selectFrom("agreement_stats")
          .select(["org_unit_id", "period", "metric", "n"])
          .execute();
        const actual = new Map<string, number>();
        for (const s of stats)
          if (Number(s.n) !== 0) actual.set(`${s.org_unit_id}|${s.period}|${s.metric}`, Number(s.n));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 10 },
    );
  });
});
