import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_KINDS } from "../../domain/events/events.ts";
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
let officer: TestClient;
let clerk: TestClient;
let viewer: TestClient;
let province: TestClient;
let outsider: TestClient;
let fundId: number;

const YEAR = Number(new Date().toISOString().slice(0, 4));
const TODAY = new Date().toISOString().slice(0, 10);
const day = (mmdd: string) => `${YEAR}-${mmdd}`;

const event = (over: Record<string, unknown> = {}) => ({
  orgUnitId: binhYen,
  kind: "study_promotion_day",
  title: "Kỷ niệm Ngày Khuyến học Việt Nam 2/10",
  startDate: day("10-02"),
  endDate: day("10-02"),
  place: "Hội trường UBND xã",
  participants: 180,
  female: 95,
  directScholarships: 10,
  directScholarshipAmount: 5_000_000,
  notes: "Trao học bổng từ các nhà tài trợ",
  ...over,
});

interface EventJson {
  id: number;
  kind: string;
  participants: number;
  fundScholarships: number;
  fundScholarshipAmount: string;
  directScholarshipAmount: string | null;
  linked: { entryId: number; reversed: boolean }[];
}

interface SummaryJson {
  total: {
    kinds: {
      kind: string;
      events: number;
      participants: number;
      female: number;
      femaleEvents: number;
      communesHeld: number;
    }[];
    events: number;
    participants: number;
    female: number;
    femaleEvents: number;
    communes: number;
    fundScholarships: number;
    fundScholarshipAmount: string;
    directScholarships: number;
    directScholarshipAmount: string;
    agreements: { signed: number; active: number };
  };
  children: {
    id: number;
    eventsMissing: boolean;
    figures: {
      events: number;
      female: number;
      femaleEvents: number;
      communes: number;
      kinds: { kind: string; communesHeld: number }[];
    };
  }[];
}

async function summary(client: TestClient, unit: number, year = YEAR): Promise<SummaryJson> {
  const res = await client.get(`/api/v1/events/summary?orgUnitId=${unit}&year=${year}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SummaryJson;
}
const held = (s: SummaryJson["total"], kind: string) => s.kinds.find((k) => k.kind === kind)?.communesHeld;

async function disburse(amount: number, beneficiaries: number, purpose = "scholarship") {
  const res = await officer.post(`/api/v1/funds/${fundId}/disbursements`, {
    date: TODAY,
    amount,
    purpose,
    beneficiaries,
    description: "Học bổng trao tại lễ kỷ niệm 2/10",
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { entries: { id: number }[] }).entries[0]?.id as number;
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  village = await createUnit(admin, binhYen, "village", "Thôn Đồng Tâm");
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
  clerk = await createUser(ctx.app, admin, "nhaplieu.binhyen", "data_entry", [binhYen]);
  viewer = await createUser(ctx.app, admin, "xem.binhyen", "viewer", [binhYen]);
  province = await createUser(ctx.app, admin, "canbo.thainguyen", "officer", [thaiNguyen]);
  outsider = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
  const fund = await officer.post("/api/v1/funds", {
    orgUnitId: binhYen,
    kind: "general",
    startYear: YEAR,
    openingBalance: 100_000_000,
  });
  expect(fund.statusCode, fund.body).toBe(201);
  fundId = (fund.json() as { id: number }).id;
});
afterAll(() => ctx.close());

describe("recording events", () => {
  it("records an event and counts it at the commune and the province, the commune as having held the day", async () => {
    const res = await officer.post("/api/v1/events", event());
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as EventJson;
    expect(created).toMatchObject({
      participants: 180,
      directScholarshipAmount: "5000000",
      fundScholarships: 0,
    });
    const atProvince = await summary(province, thaiNguyen);
    expect(held(atProvince.total, "study_promotion_day")).toBe(1);
    expect(atProvince.total.participants).toBe(180);
    expect(atProvince.total).toMatchObject({ female: 95, femaleEvents: 1 });
    expect(atProvince.total.directScholarships).toBe(10);
    expect(atProvince.total.directScholarshipAmount).toBe("5000000");
    expect(atProvince.total.communes).toBeGreaterThan(1);
    const row = atProvince.children.find((c) => c.id === binhYen);
    expect(row).toMatchObject({ eventsMissing: false, figures: { events: 1, communes: 1 } });
    // A commune with nothing recorded is missing, not 0.
    expect(atProvince.children.find((c) => c.id !== binhYen && c.eventsMissing)).toBeDefined();
  });

  it("counts an event at a village for its commune: a second event of the kind does not count the commune twice", async () => {
    const res = await clerk.post(
      "/api/v1/events",
      event({
        orgUnitId: village,
        title: "Lễ 2/10 ở thôn",
        participants: 40,
        female: 20,
        directScholarships: null,
        directScholarshipAmount: null,
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const s = await summary(province, thaiNguyen);
    expect(held(s.total, "study_promotion_day")).toBe(1);
    expect(s.total.kinds.find((k) => k.kind === "study_promotion_day")).toMatchObject({
      events: 2,
      participants: 220,
      female: 115,
      femaleEvents: 2,
    });
    const list = (await officer.get(`/api/v1/events?orgUnitId=${binhYen}&year=${YEAR}`)).json() as {
      events: EventJson[];
      includesBelow: boolean;
    };
    expect(list.includesBelow).toBe(true);
    expect(list.events).toHaveLength(2);
    const filtered = (
      await officer.get(`/api/v1/events?orgUnitId=${binhYen}&year=${YEAR}&kind=reading_festival`)
    ).json() as { events: unknown[] };
    expect(filtered.events).toHaveLength(0);
  });

  it("counts the women only where an event gave them, and says on how many events", async () => {
    const created = await officer.post(
      "/api/v1/events",
      event({ kind: "honouring_conference", title: "Hội nghị biểu dương", participants: 60, female: null }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as EventJson).id;
    const women = async () => {
      const s = await summary(province, thaiNguyen);
      const conference = s.total.kinds.find((k) => k.kind === "honouring_conference");
      const row = s.children.find((c) => c.id === binhYen)?.figures;
      return {
        total: { female: s.total.female, femaleEvents: s.total.femaleEvents, events: s.total.events },
        conference: { female: conference?.female, femaleEvents: conference?.femaleEvents },
        commune: { female: row?.female, femaleEvents: row?.femaleEvents, events: row?.events },
      };
    };
    // "nữ: 115 (trên 2/3 sự kiện có số liệu)": the conference gave no figure, it is not 0 women.
    expect(await women()).toEqual({
      total: { female: 115, femaleEvents: 2, events: 3 },
      conference: { female: 0, femaleEvents: 0 },
      commune: { female: 115, femaleEvents: 2, events: 3 },
    });
    const corrected = async (female: number | null) => {
      const res = await officer.put(`/api/v1/events/${id}`, {
        ...event({ kind: "honouring_conference", title: "Hội nghị biểu dương", participants: 60, female }),
        orgUnitId: undefined,
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    await corrected(25);
    expect((await women()).total).toEqual({ female: 140, femaleEvents: 3, events: 3 });
    await corrected(0);
    expect((await women()).conference).toEqual({ female: 0, femaleEvents: 1 });
    await corrected(null);
    expect((await women()).total).toEqual({ female: 115, femaleEvents: 2, events: 3 });
    expect((await officer.delete(`/api/v1/events/${id}`)).statusCode).toBe(200);
    expect((await women()).total).toEqual({ female: 115, femaleEvents: 2, events: 2 });
  });

  it("refuses bad figures with every Vietnamese message at once, and stores nothing", async () => {
    const before = await countRows(ctx.database, "programme_events");
    const res = await officer.post(
      "/api/v1/events",
      event({
        startDate: day("10-05"),
        endDate: day("10-01"),
        participants: 10,
        female: 12,
        directScholarships: 1.5,
      }),
    );
    expect(res.statusCode).toBe(400);
    const messages = (res.json() as { errors: { field: string; message: string }[] }).errors;
    expect(messages).toEqual(
      expect.arrayContaining([
        { field: "endDate", message: "Ngày kết thúc không được trước ngày bắt đầu." },
        { field: "female", message: "Số nữ không được lớn hơn tổng số người tham gia." },
        {
          field: "directScholarships",
          message: "Số suất học bổng trao trực tiếp phải là số nguyên không âm.",
        },
      ]),
    );
    const negative = await officer.post("/api/v1/events", event({ participants: -3 }));
    expect(negative.statusCode).toBe(400);
    expect(negative.body).toContain("Số người tham gia phải là số nguyên không âm.");
    const fraction = await officer.post("/api/v1/events", event({ participants: 2.5 }));
    expect(fraction.statusCode).toBe(400);
    const unknownKind = await officer.post("/api/v1/events", event({ kind: "party" }));
    expect(unknownKind.statusCode).toBe(400);
    expect(unknownKind.body).toContain("Chọn loại sự kiện.");
    const atNation = await admin.post("/api/v1/events", event({ orgUnitId: 1 }));
    expect(atNation.statusCode).toBe(400);
    expect(await countRows(ctx.database, "programme_events")).toBe(before);
  });

  it("refuses a unit outside the scope (403) and a viewer; nothing stored", async () => {
    const before = await countRows(ctx.database, "programme_events");
    expect((await outsider.post("/api/v1/events", event())).statusCode).toBe(403);
    expect((await viewer.post("/api/v1/events", event())).statusCode).toBe(403);
    expect((await outsider.get(`/api/v1/events?orgUnitId=${binhYen}&year=${YEAR}`)).statusCode).toBe(403);
    expect(await countRows(ctx.database, "programme_events")).toBe(before);
  });

  it("corrects and deletes, moving the counters and the 'held' count; audited", async () => {
    const created = (
      await officer.post(
        "/api/v1/events",
        event({
          kind: "lifelong_learning_week",
          title: "Tuần lễ HTSĐ",
          startDate: day("10-01"),
          endDate: day("10-07"),
        }),
      )
    ).json() as EventJson;
    expect(held((await summary(province, thaiNguyen)).total, "lifelong_learning_week")).toBe(1);
    const moved = await officer.put(`/api/v1/events/${created.id}`, {
      ...event({ kind: "reading_festival", title: "Ngày hội đọc sách" }),
      orgUnitId: undefined,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    let s = await summary(province, thaiNguyen);
    expect(held(s.total, "lifelong_learning_week")).toBe(0);
    expect(held(s.total, "reading_festival")).toBe(1);
    expect((await officer.delete(`/api/v1/events/${created.id}`)).statusCode).toBe(200);
    s = await summary(province, thaiNguyen);
    expect(held(s.total, "reading_festival")).toBe(0);
    const audit = await ctx.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "programme_event")
      .where("entity_id", "=", String(created.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["event.create", "event.update", "event.delete"]);
  });
});

describe("scholarships from the fund", () => {
  it("links a scholarship disbursement; the event shows its awards and amount, net of a later reversal", async () => {
    const ev = (
      await officer.post(
        "/api/v1/events",
        event({ title: "Lễ trao học bổng", directScholarships: null, directScholarshipAmount: null }),
      )
    ).json() as EventJson;
    const entry = await disburse(12_500_000, 25);
    const operating = await disburse(1_000_000, 0, "operating");
    const linkable = (await officer.get(`/api/v1/events/${ev.id}/linkable-entries`)).json() as {
      entryId: number;
    }[];
    expect(linkable.map((l) => l.entryId)).toContain(entry);
    expect(linkable.map((l) => l.entryId)).not.toContain(operating);

    const linked = await officer.post(`/api/v1/events/${ev.id}/fund-entries`, { fundEntryId: entry });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ fundScholarships: 25, fundScholarshipAmount: "12500000" });
    let s = await summary(province, thaiNguyen);
    expect(s.total).toMatchObject({ fundScholarships: 25, fundScholarshipAmount: "12500000" });

    // Not a scholarship; already linked; another event; outside the scope.
    const wrong = await officer.post(`/api/v1/events/${ev.id}/fund-entries`, { fundEntryId: operating });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("Chỉ gắn được khoản chi học bổng");
    const other = (
      await officer.post("/api/v1/events", event({ title: "Sự kiện khác" }))
    ).json() as EventJson;
    const twice = await officer.post(`/api/v1/events/${other.id}/fund-entries`, { fundEntryId: entry });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain("đã gắn với một sự kiện khác");
    const hoaAnEvent = await admin.post("/api/v1/events", event({ orgUnitId: hoaAn }));
    const foreign = await admin.post(`/api/v1/events/${(hoaAnEvent.json() as EventJson).id}/fund-entries`, {
      fundEntryId: entry,
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain("phải thuộc quỹ của đơn vị tổ chức sự kiện");
    const beforeLinks = await countRows(ctx.database, "event_fund_entries");
    expect(
      (await outsider.post(`/api/v1/events/${ev.id}/fund-entries`, { fundEntryId: entry })).statusCode,
    ).toBe(403);
    expect(await countRows(ctx.database, "event_fund_entries")).toBe(beforeLinks);

    // A reversal posted later in the fund: the entry counts 0, at once.
    const rev = await officer.post(`/api/v1/funds/${fundId}/entries/${entry}/reverse`, {
      reason: "Nhập nhầm số tiền",
    });
    expect(rev.statusCode, rev.body).toBe(201);
    const list = (await officer.get(`/api/v1/events?orgUnitId=${binhYen}&year=${YEAR}`)).json() as {
      events: EventJson[];
    };
    const shown = list.events.find((e) => e.id === ev.id);
    expect(shown).toMatchObject({ fundScholarships: 0, fundScholarshipAmount: "0" });
    expect(shown?.linked[0]).toMatchObject({ entryId: entry, reversed: true });
    s = await summary(province, thaiNguyen);
    expect(s.total).toMatchObject({ fundScholarships: 0, fundScholarshipAmount: "0" });

    // Unlink: audited.
    const unlinked = await officer.delete(`/api/v1/events/${ev.id}/fund-entries/${entry}`);
    expect(unlinked.statusCode, unlinked.body).toBe(200);
    const audit = await ctx.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "programme_event")
      .where("entity_id", "=", String(ev.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "event.create",
      "event.fund_entry.link",
      "event.fund_entry.unlink",
    ]);
  });

  it("exports the summary as an Excel workbook, missing communes marked", async () => {
    const res = await province.get(`/api/v1/events/summary/export.xlsx?orgUnitId=${thaiNguyen}&year=${YEAR}`);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Sự kiện và phối hợp");
    const values: unknown[] = [];
    sheet?.eachRow((row) => values.push(row.getCell(2).value));
    expect(values).toContain("chưa có số liệu");
    const last = sheet?.getRow(sheet.rowCount);
    expect(last?.getCell(1).value).toBe("Cộng");
    // The women beside the number of events that gave them.
    const header = (sheet?.getRow(2).values as unknown[]) ?? [];
    const women = header.indexOf("Trong đó nữ (ở các sự kiện có số liệu)");
    expect(header[women + 1]).toBe("Số sự kiện có số liệu nữ");
    const total = (await summary(province, thaiNguyen)).total;
    expect(last?.getCell(women).value).toBe(total.female);
    expect(last?.getCell(women + 1).value).toBe(total.femaleEvents);
    expect(header[women - 1]).toBe("Tổng số người tham gia");
  });
});

describe("the counters equal a recount after any sequence of writes", () => {
  type Figures = {
    kind: string;
    unit: 0 | 1 | 2;
    day: number;
    participants: number;
    /** Women as a share of the participants, or not given. */
    women: number | null;
    direct: number;
  };
  type Op =
    | { op: "create"; f: Figures }
    | { op: "update"; pick: number; f: Figures }
    | { op: "delete"; pick: number };
  const figures: fc.Arbitrary<Figures> = fc.record({
    kind: fc.constantFrom(...EVENT_KINDS),
    unit: fc.constantFrom(0 as const, 1 as const, 2 as const),
    day: fc.integer({ min: 0, max: 500 }),
    participants: fc.integer({ min: 0, max: 500 }),
    women: fc.option(fc.integer({ min: 0, max: 100 })),
    direct: fc.integer({ min: 0, max: 5 }),
  });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant("create" as const), f: figures }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("update" as const), pick: fc.nat(), f: figures }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("delete" as const), pick: fc.nat() }) },
  );

  it("holds for random creates, corrections and deletions at two communes and a village", async () => {
    const units = () => [binhYen, hoaAn, village] as const;
    const body = (f: Figures) => {
      const start = new Date(Date.UTC(YEAR - 1, 0, 1) + f.day * 86_400_000).toISOString().slice(0, 10);
      return event({
        orgUnitId: units()[f.unit],
        kind: f.kind,
        startDate: start,
        endDate: start,
        participants: f.participants,
        female: f.women === null ? null : Math.floor((f.participants * f.women) / 100),
        directScholarships: f.direct,
        directScholarshipAmount: f.direct * 500_000,
      });
    };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const mine: { id: number; unit: 0 | 1 | 2 }[] = [];
        for (const o of ops) {
          if (o.op === "create") {
            const res = await admin.post("/api/v1/events", body(o.f));
            expect(res.statusCode, res.body).toBe(201);
            mine.push({ id: (res.json() as { id: number }).id, unit: o.f.unit });
          } else if (mine.length > 0) {
            const [target] = mine.splice(o.pick % mine.length, 1) as [{ id: number; unit: 0 | 1 | 2 }];
            const res =
              o.op === "update"
                ? await admin.put(`/api/v1/events/${target.id}`, {
                    ...body({ ...o.f, unit: target.unit }),
                    orgUnitId: undefined,
                  })
                : await admin.delete(`/api/v1/events/${target.id}`);
            expect(res.statusCode, res.body).toBe(200);
            if (o.op === "update") mine.push(target);
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
    .selectFrom("programme_events as e")
    .innerJoin("org_units as o", "o.id", "e.org_unit_id")
    .select([
      "o.path",
      "e.kind",
      "e.year",
      "e.start_date",
      "e.participants",
      "e.female",
      "e.direct_scholarships",
      "e.direct_scholarship_amount",
    ])
    .execute();
  const communes = new Map(
    (
      await ctx.database.db
        .selectFrom("org_units")
        .select(["id", "path"])
        .where("kind", "=", "commune")
        .where("id", "in", [binhYen, hoaAn])
        .execute()
    ).map((c) => [c.id, c.path]),
  );
  const expected = new Map<string, number>();
  const add = (key: string, n: number) => expected.set(key, (expected.get(key) ?? 0) + n);
  const heldBy = new Set<string>();
  for (const r of rows) {
    // Counted in its year and in the month bucket of its start.
    for (const period of [String(r.year), monthBucket(r.start_date)]) {
      for (const unit of countingUnitIds(r.path)) {
        add(`${unit}|${period}|events:${r.kind}`, 1);
        add(`${unit}|${period}|participants:${r.kind}`, r.participants);
        add(`${unit}|${period}|female:${r.kind}`, r.female ?? 0);
        add(`${unit}|${period}|female_events:${r.kind}`, r.female === null ? 0 : 1);
        add(`${unit}|${period}|direct_scholarships`, r.direct_scholarships ?? 0);
        add(`${unit}|${period}|direct_scholarship_amount`, Number(r.direct_scholarship_amount ?? 0));
      }
      for (const [id, path] of communes) if (r.path.startsWith(path)) heldBy.add(`${id}|${period}|${r.kind}`);
    }
  }
  for (const h of heldBy) {
    const [id, year, kind] = h.split("|") as [string, string, string];
    for (const unit of countingUnitIds(communes.get(Number(id)) as string))
      add(`${unit}|${year}|held:${kind}`, 1);
  }
  const stats = await ctx.database.db
    .selectFrom("event_stats")
    .select(["org_unit_id", "period", "metric", "n"])
    .execute();
  const actual = new Map<string, number>();
  for (const s of stats)
    if (Number(s.n) !== 0) actual.set(`${s.org_unit_id}|${s.period}|${s.metric}`, Number(s.n));
  for (const [k, v] of [...expected]) if (v === 0) expected.delete(k);
  expect(actual).toEqual(expected);
}
