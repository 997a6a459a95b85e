/**
 * Every wired list downloads as XLSX and CSV with its Vietnamese headers and exactly the rows the
 * list API returns for the same filters; the scope is the list's (403 outside it, other units'
 * rows never included); the CSV starts with a BOM and parses back; no national ID digit is ever in
 * a file; every export leaves one audit entry with its filters and row count.
 */
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUnit,
  createUser,
  loginAsAdmin,
  siblingCommune,
  startTestApp,
  type TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { citizenPages } from "../citizens/service.ts";
import { currentYear } from "../registry/schemas.ts";
import { householdPages } from "../registry/service.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officer: TestClient;
let outsider: TestClient;
let province: TestClient;
let u: { binhYen: number; hoaAn: number; thaiNguyen: number };
let villageA1: number;
let villageA2: number;
let villageB: number;
let centre: number;
let fundId: number;
let clanId: number;

const YEAR = currentYear();
/** A citizen identity number entered for a member: neither it nor its last four digits may leak. */
const NATIONAL_ID = "079188019876";
const PUPIL = "Phạm Thị Bé Nhỏ";

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

type Cell = string | number | Date | null;

/** The first worksheet as rows of plain values (rich text and formulas flattened). */
async function readXlsx(res: LightMyRequestResponse): Promise<Cell[][]> {
  expect(res.headers["content-type"]).toContain("spreadsheetml");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  if (!sheet) throw new Error("no sheet");
  const rows: Cell[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values: Cell[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) {
      const v = row.getCell(c).value;
      values.push(v === undefined || v === null ? null : (v as Cell));
    }
    rows.push(values);
  });
  // The header row is frozen.
  expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  expect(sheet.getRow(1).font?.bold).toBe(true);
  return rows;
}

function readCsv(res: LightMyRequestResponse): string[][] {
  expect(res.headers["content-type"]).toContain("text/csv");
  const text = res.rawPayload.toString("utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parse(text.slice(1), { relax_column_count: false }) as string[][];
}

/** Both files of a list export, checked against each other and against the list's rows. */
async function exportBoth(
  client: TestClient,
  path: string,
  query: string,
  expected: { headers: string[]; key: string; keys: string[] },
) {
  const xlsx = await readXlsx(await ok(await client.get(`${path}/export.xlsx?${query}`)));
  const csv = readCsv(await ok(await client.get(`${path}/export.csv?${query}`)));
  for (const header of [xlsx[0] ?? [], csv[0] ?? []]) {
    for (const h of expected.headers) expect(header).toContain(h);
  }
  expect(xlsx[0]).toEqual(csv[0]);
  const col = (csv[0] ?? []).indexOf(expected.key);
  expect(col, `column ${expected.key}`).toBeGreaterThanOrEqual(0);
  expect(xlsx.slice(1).map((r) => String(r[col] ?? ""))).toEqual(expected.keys);
  expect(csv.slice(1).map((r) => r[col] ?? "")).toEqual(expected.keys);
  return { xlsx, csv };
}

async function lastAudit(action: string) {
  const row = await ctx.database.db
    .selectFrom("audit_log")
    .select(["action", "entity_type", "org_unit_id", "user_id", "after"])
    .where("action", "=", action)
    .orderBy("id", "desc")
    .executeTakeFirst();
  expect(row, `audit ${action}`).toBeDefined();
  const after = (typeof row?.after === "string" ? JSON.parse(row.after) : row?.after) as {
    format: string;
    rows: number;
    filters: Record<string, unknown>;
    personalData: boolean;
  };
  return { ...row, after };
}

async function auditCount(action: string) {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from audit_log where action = ${action}`.execute(ctx.database.db);
  return Number(r.rows[0]?.n ?? 0);
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  u = await testUnits(admin);
  villageA1 = await createUnit(admin, u.binhYen, "village", "Thôn Đồng Bục");
  villageA2 = await createUnit(admin, u.binhYen, "village", "Thôn Ao Sen");
  villageB = await createUnit(admin, u.hoaAn, "village", "Xóm Nà Hoàng");
  centre = await createUnit(admin, u.binhYen, "learning_centre", "Trung tâm học tập cộng đồng xã Bình Yên");
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [u.binhYen]);
  outsider = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [u.hoaAn]);
  province = await createUser(ctx.app, admin, "canbo.thainguyen", "officer", [u.thaiNguyen]);

  const household = async (client: TestClient, body: Record<string, unknown>) =>
    (await ok(await client.post("/api/v1/households", body), 201)).json() as { id: number };
  const h1 = await household(officer, {
    villageId: villageA1,
    headName: "Bùi Duy Khánh",
    address: "Xóm Giữa, số 12",
    isEthnicMinority: true,
    members: [
      { fullName: "Bùi Duy Khánh", birthYear: 1975, sex: "male", nationalId: NATIONAL_ID },
      { fullName: "Nguyễn Thị Lan", birthYear: 1978, sex: "female" },
    ],
  });
  await household(officer, {
    villageId: villageA1,
    headName: "Âu Văn Bình",
    isPoor: true,
    members: [{ fullName: "Âu Văn Bình", birthYear: 1960 }],
  });
  await household(officer, { villageId: villageA2, headName: "Đặng Thị Cúc", address: "Ao Sen, nhà 3" });
  await household(outsider, { villageId: villageB, headName: "Hoàng Văn Dũng" });
  const clan = await ok(
    await officer.post("/api/v1/clans", { communeId: u.binhYen, name: "Dòng họ Bùi", note: "Họ lớn" }),
    201,
  );
  clanId = (clan.json() as { id: number }).id;
  await ok(await officer.post(`/api/v1/clans/${clanId}/households`, { householdIds: [h1.id] }));
  await ok(await outsider.post("/api/v1/clans", { communeId: u.hoaAn, name: "Dòng họ Hoàng" }), 201);

  for (const c of [
    { fullName: "Trần Thị Mai", citizenGroup: 1, birthYear: 1990, phone: "0912345678" },
    { fullName: "=Lê Văn Tám", citizenGroup: 2, phone: "0987654321" },
  ]) {
    await ok(await officer.post("/api/v1/citizens", { orgUnitId: u.binhYen, ...c }), 201);
  }

  await ok(
    await officer.post("/api/v1/evaluations/register", { model: "gdht", year: YEAR, allIn: villageA1 }),
  );

  const fund = await ok(
    await officer.post("/api/v1/funds", {
      orgUnitId: u.binhYen,
      kind: "general",
      startYear: YEAR,
      openingBalance: 1_000_000,
    }),
    201,
  );
  fundId = (fund.json() as { id: number }).id;
  await ok(
    await officer.post(`/api/v1/funds/${fundId}/receipts`, {
      date: `${YEAR}-03-15`,
      amount: 2_364_000_000,
      donorType: "business",
      donorName: "Công ty TNHH Điện lực Vân Phong",
      documentRef: "PT-01",
    }),
    201,
  );
  await ok(
    await officer.post(`/api/v1/funds/${fundId}/disbursements`, {
      date: `${YEAR}-04-02`,
      amount: 3_000_000,
      purpose: "scholarship",
      beneficiaries: 2,
      description: "Học bổng học kỳ I",
      lines: [
        { pupilName: PUPIL, school: "Trường THCS Bình Yên", level: "lower_secondary", amount: 1_500_000 },
        { pupilName: "Trần Văn Minh", level: "primary", amount: 1_500_000 },
      ],
    }),
    201,
  );

  await ok(
    await officer.post(`/api/v1/centres/${centre}/activities`, {
      kind: "talk",
      title: "Tuyên truyền Luật Giao thông đường bộ",
      category: "legal",
      startDate: `${YEAR}-10-07`,
      endDate: `${YEAR}-10-07`,
      sessions: 1,
      participants: 120,
      female: 60,
      minority: 30,
      partner: "Công an xã",
      place: "Nhà văn hóa thôn Đồng Bục",
    }),
    201,
  );
  await ok(
    await officer.post("/api/v1/events", {
      orgUnitId: u.binhYen,
      kind: "study_promotion_day",
      title: "Kỷ niệm Ngày Khuyến học Việt Nam 2/10",
      startDate: `${YEAR}-10-02`,
      endDate: `${YEAR}-10-02`,
      place: "Hội trường UBND xã",
      participants: 180,
      female: 95,
      directScholarships: 10,
      directScholarshipAmount: 5_000_000,
    }),
    201,
  );
  const other = await siblingCommune(admin, u.thaiNguyen, u.binhYen);
  await ok(
    await province.post("/api/v1/inspections/plans", {
      orgUnitId: u.thaiNguyen,
      documentNumber: "37/KH-HKH",
      issuedOn: `${YEAR}-10-25`,
      title: "Kiểm tra công tác khuyến học",
      fromDate: `${YEAR}-11-04`,
      toDate: `${YEAR}-11-15`,
      team: [{ fullName: "Nguyễn Văn Hùng", position: "Phó Chủ tịch Hội", role: "head" }],
      notes: null,
      targets: [
        { orgUnitId: u.binhYen, cluster: "Cụm Bình Yên", scheduledOn: `${YEAR}-11-05` },
        { orgUnitId: other, cluster: "Cụm Đồng Hỷ", scheduledOn: `${YEAR}-11-12` },
      ],
    }),
    201,
  );
  await ok(
    await officer.post("/api/v1/commendations", {
      orgUnitId: u.binhYen,
      kind: "giay_khen",
      kindOther: null,
      recipientType: "individual",
      awardingBody: "Hội Khuyến học tỉnh",
      reason: "Có thành tích xuất sắc",
      proposedOn: `${YEAR}-10-20`,
      proposalNumber: "15/TTr-HKH",
      recipients: [{ name: "Nguyễn Thị Hoa" }, { name: "Lê Văn Minh" }],
    }),
    201,
  );
  const chapter = await ok(
    await officer.post(`/api/v1/association/bodies/${u.binhYen}/chapters`, {
      kind: "village",
      name: "Chi hội thôn Đồng Bục",
      linkedUnitId: villageA1,
      headName: "Nguyễn Văn Bình",
      foundedOn: `${YEAR}-03-15`,
    }),
    201,
  );
  const chapterId = (chapter.json() as { id: number }).id;
  await ok(
    await officer.put(`/api/v1/association/chapters/${chapterId}/years/${YEAR}`, {
      members: 120,
      female: 70,
      newMembers: 15,
      dues: 2_400_000,
    }),
  );
});
afterAll(() => ctx.close());

describe("households", () => {
  it("exports the list's rows with Vietnamese headers, numbers as numbers, and audits the read", async () => {
    const query = `communeId=${u.binhYen}`;
    const list = (await ok(await officer.get(`/api/v1/households?${query}`))).json() as {
      items: { headName: string; memberCount: number }[];
      total: number;
    };
    expect(list.total).toBe(3);
    const before = await auditCount("household.exported");
    const { xlsx, csv } = await exportBoth(officer, "/api/v1/households", query, {
      headers: ["Thôn, tổ dân phố", "Họ tên chủ hộ", "Địa chỉ", "Số thành viên", "Hộ nghèo", "Dòng họ"],
      key: "Họ tên chủ hộ",
      keys: list.items.map((h) => h.headName),
    });
    // Vietnamese order: Âu before Bùi before Đặng.
    expect(list.items.map((h) => h.headName)).toEqual(["Âu Văn Bình", "Bùi Duy Khánh", "Đặng Thị Cúc"]);
    const header = csv[0] as string[];
    const khanh = xlsx.find((r) => r.includes("Bùi Duy Khánh")) as Cell[];
    expect(khanh[header.indexOf("Số thành viên")]).toBe(2);
    expect(khanh[header.indexOf("Dân tộc thiểu số")]).toBe("Có");
    expect(khanh[header.indexOf("Dòng họ")]).toBe("Dòng họ Bùi");
    expect(khanh[header.indexOf("Cập nhật lúc")]).toBeInstanceOf(Date);
    const csvKhanh = csv.find((r) => r.includes("Bùi Duy Khánh")) as string[];
    expect(csvKhanh[header.indexOf("Số thành viên")]).toBe("2");
    expect(csvKhanh[header.indexOf("Địa chỉ")]).toBe("Xóm Giữa, số 12");
    expect(csvKhanh[header.indexOf("Cập nhật lúc")]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await auditCount("household.exported")).toBe(before + 2);
    const audit = await lastAudit("household.exported");
    expect(audit).toMatchObject({ entity_type: "household", org_unit_id: u.binhYen });
    expect(audit.after).toMatchObject({
      format: "csv",
      rows: 3,
      personalData: true,
      filters: { communeId: u.binhYen, active: "true" },
    });
  });

  it("applies the list's filters and never includes a national ID number, not even its last digits", async () => {
    const query = `villageId=${villageA1}&isPoor=true`;
    const list = (await ok(await officer.get(`/api/v1/households?${query}`))).json() as {
      items: { headName: string }[];
    };
    await exportBoth(officer, "/api/v1/households", query, {
      headers: ["Họ tên chủ hộ"],
      key: "Họ tên chủ hộ",
      keys: list.items.map((h) => h.headName),
    });
    expect(list.items.map((h) => h.headName)).toEqual(["Âu Văn Bình"]);
    const all = await officer.get(`/api/v1/households/export.csv?communeId=${u.binhYen}`);
    const xlsx = await officer.get(`/api/v1/households/export.xlsx?communeId=${u.binhYen}`);
    for (const body of [all.rawPayload.toString("utf8"), xlsx.rawPayload.toString("latin1")]) {
      expect(body).not.toContain(NATIONAL_ID);
      expect(body).not.toContain("…9876");
    }
    expect(all.rawPayload.toString("utf8")).not.toContain("9876");
    expect(all.rawPayload.toString("utf8")).not.toMatch(/CCCD|CMND/);
  });

  it("keeps to the user's scope: another commune is refused, and an unfiltered export is the user's own", async () => {
    const before = await auditCount("household.exported");
    for (const format of ["xlsx", "csv"]) {
      const refused = await outsider.get(`/api/v1/households/export.${format}?communeId=${u.binhYen}`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: "out_of_scope" });
    }
    // A refused export is no read: nothing audited.
    expect(await auditCount("household.exported")).toBe(before);
    const own = readCsv(await ok(await outsider.get("/api/v1/households/export.csv")));
    expect(own.slice(1).map((r) => r[1])).toEqual(["Hoàng Văn Dũng"]);
    const anonymous = await ctx.app.inject({ method: "GET", url: "/api/v1/households/export.csv" });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe("keyset paging", () => {
  it("reads households and citizens page by page in the list's order, each row once", async () => {
    const path = await ctx.database.db
      .selectFrom("org_units")
      .select("path")
      .where("id", "=", u.binhYen)
      .executeTakeFirstOrThrow();
    const principal = {
      userId: 0,
      username: "test",
      role: "officer" as const,
      scopePaths: [path.path],
      via: "token" as const,
    };
    const collect = async <T>(pages: AsyncIterable<readonly T[]>) => {
      const sizes: number[] = [];
      const all: T[] = [];
      for await (const page of pages) {
        sizes.push(page.length);
        all.push(...page);
      }
      return { sizes, all };
    };
    const households = await collect(householdPages(ctx.database.db, principal, { active: "true" }, 2));
    expect(households.sizes).toEqual([2, 1]);
    const list = (await ok(await officer.get(`/api/v1/households?communeId=${u.binhYen}`))).json() as {
      items: unknown[];
    };
    expect(households.all).toEqual(list.items);
    const citizens = await collect(citizenPages(ctx.database.db, principal, { orgUnitId: u.binhYen }, 1));
    expect(citizens.sizes).toEqual([1, 1]);
    const citizenList = (await ok(await officer.get(`/api/v1/citizens?orgUnitId=${u.binhYen}`))).json() as {
      items: unknown[];
    };
    expect(citizens.all).toEqual(citizenList.items);
  });
});

describe("the other lists", () => {
  it("clans", async () => {
    const list = (await ok(await officer.get(`/api/v1/clans?communeId=${u.binhYen}`))).json() as {
      items: { name: string }[];
    };
    const { xlsx } = await exportBoth(officer, "/api/v1/clans", `communeId=${u.binhYen}`, {
      headers: ["Xã, phường", "Tên dòng họ", "Số hộ"],
      key: "Tên dòng họ",
      keys: list.items.map((c) => c.name),
    });
    expect(xlsx[1]?.[2]).toBe(1);
    expect((await lastAudit("clan.exported")).after).toMatchObject({ rows: 1, personalData: false });
    expect((await outsider.get(`/api/v1/clans/export.xlsx?communeId=${u.binhYen}`)).statusCode).toBe(403);
  });

  it("citizens: phone numbers stay masked, a formula-like name is defused in the CSV", async () => {
    const list = (await ok(await officer.get(`/api/v1/citizens?orgUnitId=${u.binhYen}`))).json() as {
      items: { fullName: string; phone: string }[];
    };
    const names = list.items.map((c) => c.fullName);
    expect(names).toHaveLength(2);
    const xlsx = await readXlsx(
      await ok(await officer.get(`/api/v1/citizens/export.xlsx?orgUnitId=${u.binhYen}`)),
    );
    const csvRes = await ok(await officer.get(`/api/v1/citizens/export.csv?orgUnitId=${u.binhYen}`));
    const csv = readCsv(csvRes);
    expect(xlsx[0]).toEqual(csv[0]);
    expect(xlsx[0]).toEqual(expect.arrayContaining(["Họ và tên", "Nhóm", "Năm sinh", "Trạng thái"]));
    expect(xlsx.slice(1).map((r) => r[0])).toEqual(names);
    // The workbook holds text as text; the CSV guards what Excel would run as a formula.
    expect(csv.slice(1).map((r) => r[0])).toEqual(names.map((n) => (n.startsWith("=") ? `'${n}` : n)));
    const text = csvRes.rawPayload.toString("utf8");
    expect(text).not.toContain("0912345678");
    expect(text).toContain(list.items.find((c) => c.fullName === "Trần Thị Mai")?.phone);
    expect((await lastAudit("citizen.exported")).after).toMatchObject({ rows: 2, personalData: true });
    expect((await outsider.get(`/api/v1/citizens/export.csv?orgUnitId=${u.binhYen}`)).statusCode).toBe(403);
  });

  it("evaluations", async () => {
    const query = `orgUnitId=${u.binhYen}&model=gdht&year=${YEAR}`;
    const list = (await ok(await officer.get(`/api/v1/evaluations?${query}`))).json() as {
      items: { subjectName: string }[];
    };
    expect(list.items).toHaveLength(2);
    await exportBoth(officer, "/api/v1/evaluations", query, {
      headers: ["Đơn vị", "Đối tượng", "Mô hình", "Trạng thái", "Tổng điểm"],
      key: "Đối tượng",
      keys: list.items.map((e) => e.subjectName),
    });
    expect((await lastAudit("evaluation.exported")).after).toMatchObject({ rows: 2, personalData: true });
    expect((await outsider.get(`/api/v1/evaluations/export.xlsx?${query}`)).statusCode).toBe(403);
  });

  it("the fund's ledger: amounts in đồng as numbers, no pupil's name", async () => {
    const list = (await ok(await officer.get(`/api/v1/funds/${fundId}/entries?year=${YEAR}`))).json() as {
      items: { id: number; amount: string }[];
    };
    const { xlsx, csv } = await exportBoth(officer, `/api/v1/funds/${fundId}/entries`, `year=${YEAR}`, {
      headers: ["Số bút toán", "Ngày", "Loại", "Số tiền (đồng)", "Số dư sau bút toán (đồng)"],
      key: "Số bút toán",
      keys: list.items.map((e) => String(e.id)),
    });
    const header = csv[0] as string[];
    const amount = header.indexOf("Số tiền (đồng)");
    expect(xlsx.slice(1).map((r) => r[amount])).toEqual(list.items.map((e) => Number(e.amount)));
    expect(csv.slice(1).map((r) => r[amount])).toEqual(list.items.map((e) => e.amount));
    const date = xlsx[1]?.[header.indexOf("Ngày")];
    expect(date).toBeInstanceOf(Date);
    const ledger = await officer.get(`/api/v1/funds/${fundId}/entries/export.csv?year=${YEAR}`);
    expect(ledger.rawPayload.toString("utf8")).not.toContain(PUPIL);
    expect((await outsider.get(`/api/v1/funds/${fundId}/entries/export.csv`)).statusCode).toBe(403);
  });

  it("a centre's activities", async () => {
    const list = (
      await ok(await officer.get(`/api/v1/centres/${centre}/activities?period=${YEAR}`))
    ).json() as {
      title: string;
    }[];
    const { xlsx } = await exportBoth(officer, `/api/v1/centres/${centre}/activities`, `period=${YEAR}`, {
      headers: ["Tên lớp, chuyên đề", "Lĩnh vực", "Từ ngày", "Số người tham gia", "Trong đó nữ"],
      key: "Tên lớp, chuyên đề",
      keys: list.map((a) => a.title),
    });
    expect(xlsx[1]).toContain(120);
    expect(
      (await outsider.get(`/api/v1/centres/${centre}/activities/export.csv?period=${YEAR}`)).statusCode,
    ).toBe(403);
  });

  it("events", async () => {
    const list = (
      await ok(await officer.get(`/api/v1/events?orgUnitId=${u.binhYen}&year=${YEAR}`))
    ).json() as {
      events: { title: string }[];
    };
    await exportBoth(officer, "/api/v1/events", `orgUnitId=${u.binhYen}&year=${YEAR}`, {
      headers: ["Đơn vị", "Loại sự kiện", "Tên sự kiện", "Số người tham gia"],
      key: "Tên sự kiện",
      keys: list.events.map((e) => e.title),
    });
    expect(
      (await outsider.get(`/api/v1/events/export.csv?orgUnitId=${u.binhYen}&year=${YEAR}`)).statusCode,
    ).toBe(403);
  });

  it("inspections: one row per inspected unit", async () => {
    const list = (
      await ok(await province.get(`/api/v1/inspections/plans?orgUnitId=${u.thaiNguyen}&year=${YEAR}`))
    ).json() as { plans: { targets: { unit: { name: string } }[] }[] };
    await exportBoth(province, "/api/v1/inspections/plans", `orgUnitId=${u.thaiNguyen}&year=${YEAR}`, {
      headers: ["Số kế hoạch", "Ngày ban hành", "Đơn vị được kiểm tra", "Xếp loại"],
      key: "Đơn vị được kiểm tra",
      keys: list.plans.flatMap((p) => p.targets.map((t) => t.unit.name)),
    });
    expect(
      (await officer.get(`/api/v1/inspections/plans/export.csv?orgUnitId=${u.thaiNguyen}&year=${YEAR}`))
        .statusCode,
    ).toBe(403);
  });

  it("commendations", async () => {
    const list = (
      await ok(await officer.get(`/api/v1/commendations?orgUnitId=${u.binhYen}&year=${YEAR}`))
    ).json() as { commendations: { recipientName: string }[] };
    await exportBoth(officer, "/api/v1/commendations", `orgUnitId=${u.binhYen}&year=${YEAR}`, {
      headers: ["Hình thức", "Người, tập thể được đề nghị", "Cấp khen", "Kết quả"],
      key: "Người, tập thể được đề nghị",
      keys: list.commendations.map((c) => c.recipientName),
    });
    expect((await lastAudit("commendation.exported")).after).toMatchObject({ rows: 2, personalData: true });
    expect(
      (await outsider.get(`/api/v1/commendations/export.xlsx?orgUnitId=${u.binhYen}&year=${YEAR}`))
        .statusCode,
    ).toBe(403);
  });

  it("Association chapters with the year's figures", async () => {
    const view = (
      await ok(await officer.get(`/api/v1/association/bodies/${u.binhYen}?year=${YEAR}`))
    ).json() as { chapters: { name: string }[] };
    const { xlsx, csv } = await exportBoth(
      officer,
      `/api/v1/association/bodies/${u.binhYen}/chapters`,
      `year=${YEAR}`,
      {
        headers: ["Tên chi hội", "Loại", "Chi hội trưởng", `Hội viên năm ${YEAR}`, "Hội phí (đồng)"],
        key: "Tên chi hội",
        keys: view.chapters.map((c) => c.name),
      },
    );
    const header = csv[0] as string[];
    expect(xlsx[1]?.[header.indexOf(`Hội viên năm ${YEAR}`)]).toBe(120);
    expect(csv[1]?.[header.indexOf("Hội phí (đồng)")]).toBe("2400000");
    expect(
      (await outsider.get(`/api/v1/association/bodies/${u.binhYen}/chapters/export.xlsx?year=${YEAR}`))
        .statusCode,
    ).toBe(403);
  });
});

describe("the audit trail", () => {
  it("holds one entry per download of every list, with its filters and row count", async () => {
    for (const [action, personalData] of [
      ["household.exported", true],
      ["clan.exported", false],
      ["citizen.exported", true],
      ["evaluation.exported", true],
      ["fund_entry.exported", true],
      ["centre_activity.exported", false],
      ["event.exported", false],
      ["inspection_plan.exported", false],
      ["commendation.exported", true],
      ["association_chapter.exported", true],
    ] as const) {
      const audit = await lastAudit(action);
      expect(audit.user_id, action).not.toBeNull();
      expect(audit.after, action).toMatchObject({ format: "csv", personalData });
      expect(audit.after.rows, action).toBeGreaterThan(0);
      expect(Object.keys(audit.after.filters).length, action).toBeGreaterThan(0);
    }
  });
});
