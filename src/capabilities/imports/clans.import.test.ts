import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, loginAsAdmin, startTestApp, type TestClient } from "../../testing/test-app.ts";
import {
  type Clan,
  type Household,
  type PageOf,
  registryWorld,
  snapshot,
} from "../registry/registry-fixtures.ts";
import { checkFile, commitJob, householdWorkbook, sheetWorkbook, uploadForCheck } from "./import-fixtures.ts";
import type { JobView } from "./service.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officer: TestClient;
let world: Awaited<ReturnType<typeof registryWorld>>;

const KIND = "clans";
const CLAN_HEADERS = ["Tên dòng họ (*)", "Ghi chú"];
const MEMBER_HEADERS = ["Tên dòng họ (*)", "Mã hộ", "Thôn/Tổ dân phố", "Họ tên chủ hộ", "Năm sinh chủ hộ"];
type ClanLine = [name: string, note?: string];
type MemberLine = [
  clan: string,
  code: string,
  village?: string,
  headName?: string,
  birthYear?: number | string,
];

const clanCells = ([name, note]: ClanLine) => [name, note ?? ""];
const memberCells = ([clan, code, village, headName, year]: MemberLine) => [
  clan,
  code,
  village ?? "",
  headName ?? "",
  year ?? "",
];
/** The members sheet only when there are members. */
const clanWorkbook = (clans: ClanLine[], members: MemberLine[] = []): Promise<Buffer> =>
  sheetWorkbook([
    { name: "Dòng họ", rows: [CLAN_HEADERS, ...clans.map(clanCells)] },
    ...(members.length > 0
      ? [{ name: "Hộ thuộc dòng họ", rows: [MEMBER_HEADERS, ...members.map(memberCells)] }]
      : []),
  ]);

const check = (client: TestClient, unitId: number, file: Buffer): Promise<JobView> =>
  checkFile(client, unitId, file, "dong-ho.xlsx", KIND);

/** The commune's clans as the registry API lists them, with their households. */
async function clansOf(client: TestClient, communeId: number) {
  const res = await client.get(`/api/v1/clans?communeId=${communeId}&active=all&pageSize=200`);
  expect(res.statusCode, res.body).toBe(200);
  const page = res.json() as PageOf<Clan>;
  const out: Record<string, { note: string | null; active: boolean; households: string[] }> = {};
  for (const c of page.items) {
    const detail = (await client.get(`/api/v1/clans/${c.id}`)).json() as Clan;
    out[c.name] = {
      note: c.note,
      active: c.active,
      households: detail.households.map((h) => h.headName).sort(),
    };
    expect(c.householdCount).toBe(detail.households.length);
  }
  return out;
}

/** The DHHT model's denominator (active clans) as the statistics page reads it. */
async function clanSubjects(client: TestClient, unitId: number): Promise<number> {
  const res = await client.get(
    `/api/v1/stats/learning-models?orgUnitId=${unitId}&year=${new Date().getFullYear()}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { models: { model: string; figures: { subjects: number } }[] };
  return body.models.find((m) => m.model === "dhht")?.figures.subjects ?? 0;
}

async function householdId(client: TestClient, communeId: number, q: string): Promise<number> {
  const res = await client.get(`/api/v1/households?communeId=${communeId}&q=${encodeURIComponent(q)}`);
  return ((res.json() as PageOf<Household>).items[0] as Household).id;
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  world = await registryWorld(admin);
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [world.communeA]);
  // The commune's households, with their codes, as the household import writes them.
  const households = await checkFile(
    officer,
    world.communeA,
    await householdWorkbook([
      { code: "H001", village: "Thôn Đồng Bục", headName: "Lương Văn Tám", headBirthYear: 1968 },
      { code: "H002", village: "Thôn Đồng Bục", headName: "Hoàng Thị Mai", headBirthYear: 1975 },
      { code: "H003", village: "Thôn Ao Sen", headName: "Triệu Văn Páo", headBirthYear: 1980 },
      { code: "H004", village: "Thôn Ao Sen", headName: "Bùi Duy Tâm", headBirthYear: 1962 },
      { code: "H005", village: "Thôn Ao Sen", headName: "Ma Văn Lả", headBirthYear: 1958 },
    ]),
  );
  await commitJob(officer, households.id, "all");
  const moved = await householdId(officer, world.communeA, "Ma Văn Lả");
  expect((await officer.patch(`/api/v1/households/${moved}`, { active: false })).statusCode).toBe(200);
  // A clan already kept, and one the commune stopped following.
  const luong = await officer.post("/api/v1/clans", {
    communeId: world.communeA,
    name: "Họ Lương",
    note: "Nhà thờ họ ở Đồng Bục",
  });
  expect(luong.statusCode, luong.body).toBe(201);
  const ma = await officer.post("/api/v1/clans", { communeId: world.communeA, name: "Họ Ma" });
  expect((await officer.patch(`/api/v1/clans/${ma.json().id}`, { active: false })).statusCode).toBe(200);
});
afterAll(() => ctx.close());

describe("the clans template", () => {
  it("has the instructions, both lists with their Vietnamese headers, the villages as a drop-down and examples", async () => {
    const res = await officer.get(`/api/v1/imports/templates/clans?orgUnitId=${world.communeA}`);
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "Hướng dẫn",
      "Dòng họ",
      "Hộ thuộc dòng họ",
      "Ví dụ - Dòng họ",
      "Ví dụ - Hộ thuộc dòng họ",
      "Danh mục",
    ]);
    expect((book.getWorksheet("Dòng họ") as ExcelJS.Worksheet).getRow(1).values).toEqual([
      undefined,
      ...CLAN_HEADERS,
    ]);
    const members = book.getWorksheet("Hộ thuộc dòng họ") as ExcelJS.Worksheet;
    expect(members.getRow(1).values).toEqual([undefined, ...MEMBER_HEADERS]);
    const rules = (
      members as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }
    ).dataValidations;
    expect(rules.find("C2")?.formulae?.[0]).toContain("Danh mục");
    expect(rules.find("A2")).toBeUndefined();
    const lists = book.getWorksheet("Danh mục") as ExcelJS.Worksheet;
    expect(lists.getColumn(1).values).toEqual([undefined, "village", "Thôn Ao Sen", "Thôn Đồng Bục"]);
    const example = book.getWorksheet("Ví dụ - Hộ thuộc dòng họ") as ExcelJS.Worksheet;
    expect(example.getRow(2).values).toEqual([
      undefined,
      "Họ Bùi Duy",
      "H001",
      "Thôn Ao Sen",
      "Bùi Duy Tâm",
      1962,
    ]);
  });

  it("is refused outside the user's scope and for a unit that is not a commune", async () => {
    expect(
      (await officer.get(`/api/v1/imports/templates/clans?orgUnitId=${world.communeB}`)).statusCode,
    ).toBe(403);
    const res = await admin.get(`/api/v1/imports/templates/clans?orgUnitId=${world.villageA1}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toBe("Chỉ nhập dòng họ vào một xã/phường/đặc khu.");
  });
});

describe("importing clans", () => {
  const goodClans: ClanLine[] = [
    ["Họ Bùi Duy", "Nhà thờ họ ở Thôn Ao Sen"],
    ["Họ Triệu"],
    ["Họ Lương", "Nhà thờ họ ở Đồng Bục"],
  ];
  const goodMembers: MemberLine[] = [
    ["Họ Bùi Duy", "H004"],
    ["Bùi Duy", "", "Ao Sen", "Triệu Văn Páo", 1980],
    ["Họ Triệu", "", "Thôn Ao Sen", "Triệu Văn Páo", "1980"],
    ["Họ Lương", "H001"],
  ];

  it("checks every row first, says what is wrong per row and column, and writes nothing", async () => {
    const before = await snapshot(ctx.database);
    const job = await check(
      officer,
      world.communeA,
      await clanWorkbook(
        [
          goodClans[0] as ClanLine,
          goodClans[1] as ClanLine,
          ["Họ <Lạ>"],
          ["họ bùi duy"],
          goodClans[2] as ClanLine,
        ],
        [
          ...goodMembers.slice(0, 3),
          ["Họ Không Có", "H001"],
          ["Họ Lương", "H009"],
          ["Họ Lương", "", "Thôn Đồng Bục", "Lương Văn Tám"],
          ["Họ Ma", "H002"],
          ["Họ Lương", "H005"],
          ["Họ Bùi Duy", "", "Thôn Ao Sen", "Bùi Duy Tâm", 1962],
          goodMembers[3] as MemberLine,
        ],
      ),
    );
    expect(job).toMatchObject({
      status: "checked",
      kindTitle: "Dòng họ",
      rows: { total: 15, invalid: 8, new: 6, updated: 0, unchanged: 1, suspected: 0 },
      problemCount: 8,
    });
    expect(job.problems).toEqual([
      {
        sheet: "Dòng họ",
        row: 4,
        column: "Tên dòng họ",
        message: "Tên không được chứa các ký tự < > { } \\.",
      },
      {
        sheet: "Dòng họ",
        row: 5,
        column: "Tên dòng họ",
        message: "Trùng với dòng 2 của tệp (cùng tên dòng họ).",
      },
      {
        sheet: "Hộ thuộc dòng họ",
        row: 5,
        column: "Tên dòng họ",
        message: "Không có dòng họ “Họ Không Có” ở trang “Dòng họ” hay trong Xã Bình Yên.",
      },
      {
        sheet: "Hộ thuộc dòng họ",
        row: 6,
        column: "Mã hộ",
        message: "Không có hộ mã “H009” trong Xã Bình Yên.",
      },
      {
        sheet: "Hộ thuộc dòng họ",
        row: 7,
        column: "Năm sinh chủ hộ",
        message: "Ghi mã hộ, hoặc ghi đủ thôn, họ tên và năm sinh chủ hộ.",
      },
      {
        sheet: "Hộ thuộc dòng họ",
        row: 8,
        column: "Tên dòng họ",
        message: "Dòng họ “Họ Ma” đã ngừng theo dõi; hãy mở lại trước.",
      },
      {
        sheet: "Hộ thuộc dòng họ",
        row: 9,
        column: "Mã hộ",
        message: "Hộ Ma Văn Lả (Thôn Ao Sen) đã chuyển đi; không thêm vào dòng họ.",
      },
      {
        sheet: "Hộ thuộc dòng họ",
        row: 10,
        column: "Họ tên chủ hộ",
        message: "Hộ Bùi Duy Tâm đã có ở dòng 2 của trang “Hộ thuộc dòng họ” (cùng dòng họ).",
      },
    ]);
    expect(await snapshot(ctx.database)).toBe(before);

    // "All or nothing" refuses the file and writes nothing.
    const refused = await commitJob(officer, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot(ctx.database)).toBe(before);

    // "Only the valid rows" writes the good ones: two clans, four households joining.
    const counted = await clanSubjects(officer, world.communeA);
    const done = await commitJob(officer, job.id, "valid");
    expect(done).toMatchObject({ type: "result", job: { status: "imported", rows: { new: 6, invalid: 8 } } });
    expect(await clansOf(officer, world.communeA)).toEqual({
      "Họ Bùi Duy": {
        note: "Nhà thờ họ ở Thôn Ao Sen",
        active: true,
        households: ["Bùi Duy Tâm", "Triệu Văn Páo"],
      },
      "Họ Triệu": { note: null, active: true, households: ["Triệu Văn Páo"] },
      "Họ Lương": { note: "Nhà thờ họ ở Đồng Bục", active: true, households: ["Lương Văn Tám"] },
      "Họ Ma": { note: null, active: false, households: [] },
    });
    expect(await clanSubjects(officer, world.communeA)).toBe(counted + 2);
    expect(await clanSubjects(admin, world.provinceA)).toBe(counted + 2);
    // The household's page shows its clans.
    const pao = await householdId(officer, world.communeA, "Triệu Văn Páo");
    const detail = (await officer.get(`/api/v1/households/${pao}`)).json() as Household;
    expect(detail.clans.map((c) => c.name).sort()).toEqual(["Họ Bùi Duy", "Họ Triệu"]);
    const audit = await sql<{ action: string; n: number }>`select action, count(*)::int as n from audit_log
      where action in ('clan.created', 'clan.households_added') group by action order by action`.execute(
      ctx.database.db,
    );
    // Two clans created here and two through the API before; three clans gained households.
    expect(audit.rows).toEqual([
      { action: "clan.created", n: 4 },
      { action: "clan.households_added", n: 3 },
    ]);

    // The same records entered through the API in another commune count the same.
    const other = await clanSubjects(admin, world.communeB);
    for (const name of ["Họ Bùi Duy", "Họ Triệu"]) {
      expect((await admin.post("/api/v1/clans", { communeId: world.communeB, name })).statusCode).toBe(201);
    }
    expect((await clanSubjects(admin, world.communeB)) - other).toBe(2);
  });

  it("re-importing the same file creates nothing; a changed row updates; a look-alike household waits", async () => {
    const before = await snapshot(ctx.database);
    const same = await check(officer, world.communeA, await clanWorkbook(goodClans, goodMembers));
    expect(same.rows).toMatchObject({ total: 7, new: 0, unchanged: 7, updated: 0, invalid: 0 });
    await commitJob(officer, same.id, "all");
    expect(await snapshot(ctx.database)).toBe(before.replace(/\d+$/u, (n) => String(Number(n) + 1)));

    const counted = await clanSubjects(officer, world.communeA);
    const changed = await check(
      officer,
      world.communeA,
      await clanWorkbook(
        [["HỌ TRIỆU", "Trưởng họ ông Triệu Văn Páo"], ["Ho Bui Duy"], ["Họ Ma"]],
        [
          ["Họ Lương", "", "Thôn Đồng Bục", "Luong Van Tam", 1968],
          ["Họ Triệu", "", "Thôn Đồng Bục", "Hoang Thi Mai", 1975],
        ],
      ),
    );
    expect(changed.rows).toMatchObject({ total: 5, new: 0, updated: 1, unchanged: 3, suspected: 1 });
    expect(changed.problems).toEqual([
      {
        sheet: "Dòng họ",
        row: 4,
        column: "Tên dòng họ",
        message: "Dòng họ “Họ Ma” đã ngừng theo dõi: không tạo lại. Hãy mở lại trong ứng dụng nếu cần.",
        warning: true,
      },
      {
        sheet: "Hộ thuộc dòng họ",
        row: 3,
        column: "Họ tên chủ hộ",
        message:
          "Không có hộ đúng tên “Hoang Thi Mai”; có thể là hộ Hoàng Thị Mai (sinh 1975), Thôn Đồng Bục. Chỉ nhập khi chắc đúng hộ này.",
        warning: true,
      },
    ]);
    await commitJob(officer, changed.id, "all");
    let clans = await clansOf(officer, world.communeA);
    expect(clans["HỌ TRIỆU"]).toEqual({
      note: "Trưởng họ ông Triệu Văn Páo",
      active: true,
      households: ["Triệu Văn Páo"],
    });
    expect(clans["Họ Bùi Duy"]?.households).toEqual(["Bùi Duy Tâm", "Triệu Văn Páo"]);
    expect(clans["Họ Ma"]?.active).toBe(false);

    // Accepted on request: the look-alike household joins.
    const again = await check(
      officer,
      world.communeA,
      await clanWorkbook([], [["Họ Triệu", "", "Thôn Đồng Bục", "Hoang Thi Mai", 1975]]),
    );
    expect(again.rows).toMatchObject({ total: 1, suspected: 1 });
    await commitJob(officer, again.id, "all", true);
    clans = await clansOf(officer, world.communeA);
    expect(clans["HỌ TRIỆU"]?.households).toEqual(["Hoàng Thị Mai", "Triệu Văn Páo"]);
    expect(await clanSubjects(officer, world.communeA)).toBe(counted);
  });

  it("flags a look-alike clan for review; its households wait with it", async () => {
    const file = await clanWorkbook([["Lương", "Chi họ Lương ở Ao Sen"]], [["Lương", "H003"]]);
    const job = await check(officer, world.communeA, file);
    expect(job.rows).toMatchObject({ total: 2, suspected: 2, new: 0 });
    expect(job.problems).toEqual([
      {
        sheet: "Dòng họ",
        row: 2,
        column: "Tên dòng họ",
        message: "Có thể trùng với dòng họ đã có: Họ Lương. Chỉ nhập khi chắc đây là dòng họ khác.",
        warning: true,
      },
      {
        sheet: "Hộ thuộc dòng họ",
        row: 2,
        column: "Tên dòng họ",
        message:
          "Dòng họ “Lương” (dòng 2 trang “Dòng họ”) đang chờ xem xét: hộ chỉ được thêm khi dòng họ được nhập.",
        warning: true,
      },
    ]);
    const before = await snapshot(ctx.database);
    await commitJob(officer, job.id, "valid");
    expect(await snapshot(ctx.database)).toBe(before.replace(/\d+$/u, (n) => String(Number(n) + 1)));
    const again = await check(officer, world.communeA, file);
    await commitJob(officer, again.id, "valid", true);
    expect((await clansOf(officer, world.communeA)).Lương).toEqual({
      note: "Chi họ Lương ở Ao Sen",
      active: true,
      households: ["Triệu Văn Páo"],
    });
  });

  it("is authorised: another commune's officer and a viewer cannot import", async () => {
    const file = await clanWorkbook(goodClans, goodMembers);
    const other = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [world.communeB]);
    expect((await uploadForCheck(other, world.communeA, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const viewer = await createUser(ctx.app, admin, "xem.binhyen", "viewer", [world.communeA]);
    expect((await uploadForCheck(viewer, world.communeA, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const job = await check(officer, world.communeA, file);
    expect((await other.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
    expect((await viewer.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
  });
});
