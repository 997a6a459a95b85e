/**
 * DHIS2 exchange: the export of a commune and of a province with known records is exactly the
 * expected data values, in JSON and in CSV; an export imported back as targets shows in the
 * report's targets; refused files write nothing and say what is wrong with each value.
 */
import { parse } from "csv-parse/sync";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countRows,
  createUnit,
  createUser,
  loginAsAdmin,
  startTestApp,
  type TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { CSV_COLUMNS } from "./data-value-set.ts";
import { dhis2Mapping, mappingProblems } from "./mapping.ts";
import { ACTUAL_NOT_IMPORTED } from "./service.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let communeOfficer: TestClient;
let provinceOfficer: TestClient;
let viewer: TestClient;
let u: { binhYen: number; hoaAn: number; thaiNguyen: number };

const YEAR = 2025;
const BINH_YEN = "05587";
const THAI_NGUYEN = "19";
const HOA_AN = "01654";

type DataValue = { dataElement: string; period: string; orgUnit: string; value: string };
type Checked = {
  row: number;
  dataElement: string;
  status: "target" | "skipped" | "error";
  messages: string[];
  target: { indicator: string; unit: { id: number }; period: string; value: number } | null;
};
type ImportOut = {
  dryRun: boolean;
  counts: { total: number; targets: number; skipped: number; errors: number };
  written: number;
  values: Checked[];
};

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

/** The figures the records below make, by counter (anything else these sources count is 0). */
const FIGURES: Record<string, number> = {
  "association/members": 120,
  "association/female": 70,
  "association/new_members": 15,
  "association/new_chapters": 1,
  "events/events:study_promotion_day": 1,
  "events/participants:study_promotion_day": 180,
  "events/direct_scholarships": 10,
  "events/direct_scholarship_amount": 5_000_000,
};

/** The data values of one unit: every mapped element of the sources it has counters of, in the mapping's order. */
function expectedFor(orgUnit: string, period: string): DataValue[] {
  return dhis2Mapping()
    .elements.filter((e) => e.source === "association" || e.source === "events")
    .map((e) => ({
      dataElement: e.code,
      period,
      orgUnit,
      value: String(FIGURES[`${e.source}/${e.metric}`] ?? 0),
    }));
}

async function exportJson(client: TestClient, unitId: number, period: string) {
  const res = await ok(
    await client.get(`/api/v1/dhis2/dataValueSets.json?orgUnitId=${unitId}&period=${period}`),
  );
  return res.json() as { dataValues: DataValue[] };
}

async function exportCsv(client: TestClient, unitId: number, period: string) {
  const res = await ok(
    await client.get(`/api/v1/dhis2/dataValueSets.csv?orgUnitId=${unitId}&period=${period}`),
  );
  expect(res.headers["content-type"]).toContain("application/csv");
  expect(res.headers["content-disposition"]).toContain(".csv");
  return res.body;
}

function post(client: TestClient, query: string, body: string, type: "json" | "csv") {
  return client.request("POST", `/api/v1/dhis2/dataValueSets?${query}`, body, {
    headers: { "content-type": type === "json" ? "application/json" : "application/csv" },
  });
}

async function targets(client: TestClient, unitId: number, period: string) {
  const res = await ok(
    await client.get(`/api/v1/reports/report?template=association-annual&unitId=${unitId}&period=${period}`),
  );
  return (res.json() as { targets: Record<string, number> }).targets;
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  u = await testUnits(admin);
  const village = await createUnit(admin, u.binhYen, "village", "Thôn Đồng Tâm");
  communeOfficer = await createUser(ctx.app, admin, "hkh.binhyen", "officer", [u.binhYen]);
  provinceOfficer = await createUser(ctx.app, admin, "hkh.thainguyen", "officer", [u.thaiNguyen]);
  viewer = await createUser(ctx.app, admin, "xem.thainguyen", "viewer", [u.thaiNguyen]);
  const chapter = await ok(
    await communeOfficer.post(`/api/v1/association/bodies/${u.binhYen}/chapters`, {
      kind: "village",
      name: "Chi hội thôn Đồng Tâm",
      linkedUnitId: village,
      foundedOn: `${YEAR}-03-15`,
    }),
    201,
  );
  await ok(
    await communeOfficer.put(
      `/api/v1/association/chapters/${(chapter.json() as { id: number }).id}/years/${YEAR}`,
      { members: 120, female: 70, newMembers: 15, dues: 2_400_000 },
    ),
  );
  await ok(
    await communeOfficer.post("/api/v1/events", {
      orgUnitId: u.binhYen,
      kind: "study_promotion_day",
      title: "Kỷ niệm Ngày Khuyến học Việt Nam 2/10",
      startDate: `${YEAR}-10-02`,
      endDate: `${YEAR}-10-02`,
      participants: 180,
      female: 95,
      directScholarships: 10,
      directScholarshipAmount: 5_000_000,
    }),
    201,
  );
});
afterAll(() => ctx.close());

describe("the mapping", () => {
  it("is served with the DHIS2 period types of each element, codes unique and at most 50 characters", async () => {
    const res = await ok(await viewer.get("/api/v1/dhis2/mapping"));
    const view = res.json() as {
      version: number;
      dataElements: { code: string; targetCode: string | null; periodTypes: string[]; name: string }[];
    };
    expect(view.version).toBe(1);
    const codes = view.dataElements.flatMap((e) => [e.code, ...(e.targetCode ? [e.targetCode] : [])]);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c.length).toBeLessThanOrEqual(50);
    const members = view.dataElements.find((e) => e.code === "XHHT_ASSOC_MEMBERS");
    expect(members).toMatchObject({ name: "Tổng số hội viên", targetCode: "XHHT_ASSOC_MEMBERS_CT" });
    expect(members?.periodTypes).toEqual([
      "Yearly",
      "FinancialApril, FinancialJuly, FinancialOct, FinancialNov",
    ]);
  });

  it("refuses a broken mapping document, naming every problem", () => {
    const element = dhis2Mapping().elements[0];
    if (!element) throw new Error("empty mapping");
    const found = mappingProblems(
      {
        version: 1,
        dataElements: [
          element,
          { ...element, name: "Khác", metric: "members_x", targetCode: "XHHT_ASSOC_MEMBERS" },
          {
            ...element,
            code: "XHHT_FUND_X",
            name: "Quỹ",
            source: "fund",
            metric: "receipt",
            target: null,
            targetCode: undefined,
          },
          {
            ...element,
            code: "XHHT_Y",
            name: "Y",
            metric: "y",
            targetCode: "XHHT_Y_CT",
            target: { template: "association-annual", indicator: "khong_co" },
          },
        ],
      },
      new Map([["association-annual", { code: "association-annual", indicators: [] } as never]]),
    );
    expect(found.join("\n")).toMatch(/Mã «XHHT_ASSOC_MEMBERS» dùng hai lần/);
    expect(found.join("\n")).toMatch(/số liệu quỹ phải có dạng amount/);
    expect(found.join("\n")).toMatch(/không có chỉ số «khong_co»/);
  });
});

describe("export", () => {
  it("a commune: exactly its figures, as JSON and as DHIS2's CSV", async () => {
    const expected = expectedFor(BINH_YEN, String(YEAR));
    const json = await exportJson(communeOfficer, u.binhYen, String(YEAR));
    expect(json).toEqual({ dataValues: expected });
    const csv = parse(await exportCsv(communeOfficer, u.binhYen, String(YEAR))) as string[][];
    expect(csv[0]).toEqual([...CSV_COLUMNS]);
    expect(csv.slice(1)).toEqual(
      expected.map((v) => [v.dataElement, v.period, v.orgUnit, "", "", v.value, "", "", "", "", ""]),
    );
  });

  it("a province: its own figures then each commune that has any, for a year and for a November financial year", async () => {
    for (const period of [String(YEAR), `${YEAR}Nov`]) {
      const expected = [...expectedFor(THAI_NGUYEN, period), ...expectedFor(BINH_YEN, period)];
      expect(await exportJson(provinceOfficer, u.thaiNguyen, period)).toEqual({ dataValues: expected });
      const csv = parse(await exportCsv(provinceOfficer, u.thaiNguyen, period)) as string[][];
      expect(csv.slice(1).map((r) => [r[0], r[1], r[2], r[5]])).toEqual(
        expected.map((v) => [v.dataElement, v.period, v.orgUnit, v.value]),
      );
    }
    // Nothing recorded in the first quarter (the Association counts whole years only): no
    // values at all, never zeros.
    expect(await exportJson(provinceOfficer, u.thaiNguyen, `${YEAR}Q1`)).toEqual({ dataValues: [] });
  });

  it("refuses a period XHHT does not count, and a unit outside the user's scope", async () => {
    const monthly = await communeOfficer.get(
      `/api/v1/dhis2/dataValueSets.json?orgUnitId=${u.binhYen}&period=202510`,
    );
    expect(monthly.statusCode).toBe(400);
    expect(monthly.json()).toMatchObject({
      errors: [{ field: "period", message: expect.stringMatching(/theo tháng/) }],
    });
    const outside = await communeOfficer.get(
      `/api/v1/dhis2/dataValueSets.csv?orgUnitId=${u.hoaAn}&period=${YEAR}`,
    );
    expect(outside.statusCode).toBe(403);
  });
});

describe("import as targets", () => {
  it("a commune's export, imported back as targets, shows in the report's targets", async () => {
    const period = `${YEAR}Nov`;
    const exported = await exportJson(communeOfficer, u.binhYen, period);
    const body = JSON.stringify(exported);
    const before = await countRows(ctx.database, "report_targets");

    // Figures are not targets unless the file says so: nothing to import in the default mode.
    const auto = (
      await ok(await post(communeOfficer, `orgUnitId=${u.binhYen}`, body, "json"))
    ).json() as ImportOut;
    expect(auto.counts).toEqual({
      total: exported.dataValues.length,
      targets: 0,
      skipped: exported.dataValues.length,
      errors: 0,
    });
    for (const v of auto.values) expect(v.messages).toEqual([ACTUAL_NOT_IMPORTED]);
    const nothing = await post(communeOfficer, `orgUnitId=${u.binhYen}&dryRun=false`, body, "json");
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json()).toMatchObject({ code: "dhis2_nothing_to_import" });

    const dry = (
      await ok(await post(communeOfficer, `orgUnitId=${u.binhYen}&mode=targets`, body, "json"))
    ).json() as ImportOut;
    expect(dry).toMatchObject({ dryRun: true, written: 0 });
    expect(dry.counts).toMatchObject({ targets: exported.dataValues.length, errors: 0 });
    expect(await countRows(ctx.database, "report_targets")).toBe(before);

    const done = (
      await ok(await post(communeOfficer, `orgUnitId=${u.binhYen}&mode=targets&dryRun=false`, body, "json"))
    ).json() as ImportOut;
    expect(done.written).toBe(exported.dataValues.length);
    const byCode = dhis2Mapping().byCode;
    const expected = Object.fromEntries(
      exported.dataValues.map((v) => [byCode.get(v.dataElement)?.element.target?.indicator, Number(v.value)]),
    );
    expect(await targets(communeOfficer, u.binhYen, "RY2025-11")).toEqual(expected);
    expect(expected).toMatchObject({ members: 120, members_female: 70, day_participants: 180 });
    const audit = await ctx.database.db
      .selectFrom("audit_log")
      .select(["action", "org_unit_id"])
      .where("action", "in", ["dhis2.imported", "report.targets_set"])
      .execute();
    expect(audit.filter((a) => a.action === "dhis2.imported")).toHaveLength(1);
    expect(audit.some((a) => a.action === "report.targets_set" && a.org_unit_id === u.binhYen)).toBe(true);
  });

  it("a province's CSV export, imported as targets, sets the province's and its commune's", async () => {
    const csv = await exportCsv(
      provinceOfficer,
      u.thaiNguyen,
      `${YEAR + 1}Nov`.replace(String(YEAR + 1), String(YEAR)),
    );
    const done = (
      await ok(await post(provinceOfficer, `orgUnitId=${u.thaiNguyen}&mode=targets&dryRun=false`, csv, "csv"))
    ).json() as ImportOut;
    expect(done.counts.errors).toBe(0);
    expect(done.written).toBe(2 * expectedFor(THAI_NGUYEN, "").length);
    expect(await targets(provinceOfficer, u.thaiNguyen, "RY2025-11")).toMatchObject({
      members: 120,
      new_chapters: 1,
    });
    expect(await targets(provinceOfficer, u.binhYen, "RY2025-11")).toMatchObject({ members: 120 });
  });

  it("the target data elements are targets in the default mode; figures beside them are skipped", async () => {
    const csv = [
      "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value",
      `XHHT_ASSOC_MEMBERS_CT,2026Nov,${BINH_YEN},,,250`,
      `XHHT_ASSOC_NEW_MEMBERS_CT,2026Nov,${BINH_YEN},HllvX50cXC0,,30`,
      `XHHT_ASSOC_MEMBERS,2026Nov,${BINH_YEN},,,999`,
    ].join("\n");
    const done = (
      await ok(await post(communeOfficer, `orgUnitId=${u.binhYen}&dryRun=false`, csv, "csv"))
    ).json() as ImportOut;
    expect(done.counts).toEqual({ total: 3, targets: 2, skipped: 1, errors: 0 });
    expect(done.values.map((v) => [v.row, v.status])).toEqual([
      [2, "target"],
      [3, "target"],
      [4, "skipped"],
    ]);
    expect(await targets(communeOfficer, u.binhYen, "RY2026-11")).toEqual({ members: 250, new_members: 30 });
  });

  it("refuses a file with wrong values, value by value in Vietnamese, and writes nothing", async () => {
    const file = {
      dataValues: [
        { dataElement: "XHHT_KHONG_CO", period: "2026Nov", orgUnit: BINH_YEN, value: "1" },
        { dataElement: "XHHT_ASSOC_MEMBERS_CT", period: "2026Nov", orgUnit: HOA_AN, value: "5" },
        { dataElement: "XHHT_ASSOC_MEMBERS_CT", period: "202603", orgUnit: BINH_YEN, value: "5" },
        { dataElement: "XHHT_ASSOC_FEMALE_CT", period: "2026Nov", orgUnit: BINH_YEN, value: "một trăm" },
        { dataElement: "XHHT_ASSOC_FEMALE_CT", period: "2026", orgUnit: BINH_YEN, value: "80" },
        { dataElement: "XHHT_ASSOC_NEW_MEMBERS_CT", period: "2026Nov", orgUnit: BINH_YEN, value: "-3" },
        { dataElement: "XHHT_ASSOC_NEW_MEMBERS_CT", period: "2026Nov", orgUnit: "99999", value: "3" },
        { dataElement: "XHHT_ASSOC_POPULATION_CT", period: "2026Nov", orgUnit: BINH_YEN, value: "12000" },
      ],
    };
    const body = JSON.stringify(file);
    const before = {
      targets: await countRows(ctx.database, "report_targets"),
      audit: await countRows(ctx.database, "audit_log"),
    };
    const dry = (
      await ok(await post(communeOfficer, `orgUnitId=${u.binhYen}`, body, "json"))
    ).json() as ImportOut;
    expect(dry.counts).toEqual({ total: 8, targets: 1, skipped: 0, errors: 7 });
    const messages = dry.values.map((v) => v.messages.join(" "));
    expect(messages[0]).toMatch(/«XHHT_KHONG_CO» không có trong bảng ánh xạ/);
    expect(messages[1]).toMatch(/Hòa An \(mã 01654\) nằm ngoài phạm vi quản lý của bạn/);
    expect(messages[2]).toMatch(/XHHT không có số liệu theo tháng/);
    expect(messages[3]).toMatch(/«một trăm» không phải là số/);
    expect(messages[4]).toMatch(/năm báo cáo bắt đầu từ tháng 11 \(kỳ DHIS2 dạng 2024Nov\)/);
    expect(messages[5]).toMatch(/không âm/);
    expect(messages[6]).toMatch(/Không có đơn vị nào mã «99999»/);
    expect(dry.values[7]?.status).toBe("target");

    const refused = await post(communeOfficer, `orgUnitId=${u.binhYen}&dryRun=false`, body, "json");
    expect(refused.statusCode).toBe(400);
    const problem = refused.json() as { detail: string; errors: { field: string; message: string }[] };
    expect(problem.detail).toMatch(/7 giá trị lỗi: không nhập giá trị nào/);
    expect(problem.errors.map((e) => e.field)).toEqual([
      "dataValues.1",
      "dataValues.2",
      "dataValues.3",
      "dataValues.4",
      "dataValues.5",
      "dataValues.6",
      "dataValues.7",
    ]);
    expect(await countRows(ctx.database, "report_targets")).toBe(before.targets);
    expect(await countRows(ctx.database, "audit_log")).toBe(before.audit);
  });

  it("refuses a unit outside the scope, a user without target.manage, and a file that is not a data value set", async () => {
    const body = JSON.stringify({ dataValues: [] });
    expect((await post(communeOfficer, `orgUnitId=${u.thaiNguyen}`, body, "json")).statusCode).toBe(403);
    expect((await post(viewer, `orgUnitId=${u.thaiNguyen}`, body, "json")).statusCode).toBe(403);
    const notASet = await post(
      communeOfficer,
      `orgUnitId=${u.binhYen}`,
      JSON.stringify({ values: [] }),
      "json",
    );
    expect(notASet.statusCode).toBe(400);
    expect(notASet.json()).toMatchObject({ code: "dhis2_file" });
    const empty = await post(communeOfficer, `orgUnitId=${u.binhYen}`, body, "json");
    expect(empty.json()).toMatchObject({ code: "dhis2_empty" });
  });
});
