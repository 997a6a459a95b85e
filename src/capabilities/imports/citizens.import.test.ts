import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUnit,
  createUser,
  loginAsAdmin,
  startTestApp,
  TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { checkFile, commitJob, sheetWorkbook, uploadForCheck } from "./import-fixtures.ts";
import type { JobView } from "./service.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officer: TestClient;
let binhYen: number;
let hoaAn: number;
let thaiNguyen: number;
let school: number;
let village: number;

const KIND = "citizens";
const HEADERS = ["Họ và tên (*)", "Năm sinh", "Nhóm (*)", "Cơ quan, đơn vị", "Số điện thoại", "Mã hộ"];
type Line = [
  fullName: string,
  birthYear: number | string,
  group: string,
  unit?: string,
  phone?: string | number,
  code?: string,
];

const cells = ([name, year, group, unit, phone, code]: Line) => [
  name,
  year,
  group,
  unit ?? "",
  phone ?? "",
  code ?? "",
];
const citizenWorkbook = (lines: Line[]): Promise<Buffer> =>
  sheetWorkbook([{ name: "Công dân học tập", rows: [HEADERS, ...lines.map(cells)] }]);

const check = (client: TestClient, unitId: number, file: Buffer): Promise<JobView> =>
  checkFile(client, unitId, file, "cong-dan.xlsx", KIND);

type Citizen = {
  id: number;
  fullName: string;
  citizenGroup: number;
  birthYear: number | null;
  phone: string | null;
  orgUnit: { id: number; name: string };
  status: string;
  source: string;
};

/** The verified citizens of a unit and below, as the citizens API lists them. */
async function verified(client: TestClient, unitId: number) {
  const res = await client.get(`/api/v1/citizens?orgUnitId=${unitId}&status=verified&pageSize=200`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Citizen[] }).items
    .map((c) => [c.fullName, c.birthYear, c.citizenGroup, c.orgUnit.name, c.phone, c.source])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

/** The CĐHT công dân model's denominator (verified citizens) as the statistics page reads it. */
async function citizenSubjects(client: TestClient, unitId: number): Promise<number> {
  const res = await client.get(
    `/api/v1/stats/learning-models?orgUnitId=${unitId}&year=${new Date().getFullYear()}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { models: { model: string; figures: { subjects: number } }[] };
  return body.models.find((m) => m.model === "cdht_cong_dan")?.figures.subjects ?? 0;
}

async function snapshot(): Promise<string> {
  const r = await sql<{ t: string }>`select (
      select coalesce(json_agg(c order by c.id), '[]'::json) from citizens c)::text
      || (select coalesce(json_agg(s order by s.org_unit_id), '[]'::json) from subject_counts s
        where s.subject_kind = 'citizen')::text
      || (select count(*) from audit_log where action like 'citizen.%')::text as t`.execute(ctx.database.db);
  return r.rows[0]?.t ?? "";
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
  school = await createUnit(admin, binhYen, "school", "Trường THCS Bình Yên");
  village = await createUnit(admin, binhYen, "village", "Thôn Đồng Bục");
  expect(village).toBeGreaterThan(0);
  // A household with a member, entered on the page; its code as the household import writes one.
  const household = await officer.post("/api/v1/households", {
    villageId: village,
    headName: "Lương Văn Tám",
    members: [
      { fullName: "Lương Văn Tám", birthYear: 1968, isHead: true },
      { fullName: "Nông Thị Nhung", birthYear: 1970, sex: "female" },
    ],
  });
  expect(household.statusCode, household.body).toBe(201);
  await sql`update households set code = 'H001' where id = ${household.json().id}`.execute(ctx.database.db);
  // One waits in the queue (self-registered), one is recorded already.
  const visitor = new TestClient(ctx.app);
  const registered = await visitor.request("POST", "/api/v1/public/citizens", {
    fullName: "Nguyễn Thị Hoa",
    citizenGroup: 2,
    orgUnitId: binhYen,
    phone: "0912 000 111",
    birthYear: 1985,
  });
  expect(registered.statusCode, registered.body).toBe(201);
  const recorded = await officer.post("/api/v1/citizens", {
    orgUnitId: binhYen,
    fullName: "Trần Văn Bình",
    citizenGroup: 1,
    birthYear: 1990,
  });
  expect(recorded.statusCode, recorded.body).toBe(201);
});
afterAll(() => ctx.close());

describe("the citizens template", () => {
  it("has the instructions, the list with its Vietnamese headers, the groups and units as drop-downs", async () => {
    const res = await officer.get(`/api/v1/imports/templates/citizens?orgUnitId=${binhYen}`);
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "Hướng dẫn",
      "Công dân học tập",
      "Ví dụ - Công dân học tập",
      "Danh mục",
    ]);
    const sheet = book.getWorksheet("Công dân học tập") as ExcelJS.Worksheet;
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS]);
    const rules = (
      sheet as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }
    ).dataValidations;
    expect(rules.find("C2")?.formulae?.[0]).toContain("Danh mục");
    expect(rules.find("D2")?.formulae?.[0]).toContain("Danh mục");
    expect(rules.find("B2")?.type).toBe("whole");
    const lists = book.getWorksheet("Danh mục") as ExcelJS.Worksheet;
    expect(lists.getColumn(1).values).toEqual([
      undefined,
      "citizenGroup",
      "Nhóm 1",
      "Nhóm 2",
      "Nhóm 3",
      "Nhóm 4",
    ]);
    expect(lists.getColumn(2).values).toEqual([undefined, "unit", "Xã Bình Yên", "Trường THCS Bình Yên"]);
  });

  it("is refused outside the user's scope and for a unit citizens do not belong to", async () => {
    expect((await officer.get(`/api/v1/imports/templates/citizens?orgUnitId=${hoaAn}`)).statusCode).toBe(403);
    const res = await admin.get(`/api/v1/imports/templates/citizens?orgUnitId=${village}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toBe(
      "Chỉ nhập công dân học tập vào một xã/phường hoặc một cơ quan, trường học, doanh nghiệp, tổ chức cấp xã.",
    );
  });
});

describe("importing citizens", () => {
  const good: Line[] = [
    ["Phạm Văn Đức", 1978, "Nhóm 1", "", "0912 345 678"],
    ["Lê Thị Thu", 2008, "3", "Trường THCS Bình Yên", 912345679],
    ["Nông Thị Nhung", 1970, "nhóm 2", "Xã Bình Yên", "", "H001"],
    ["Nguyễn Thị Hoa", 1985, "Nhóm 2"],
    ["Trần Văn Bình", 1990, "Nhóm 1"],
  ];
  const bad: Line[] = [
    ["Vũ Văn 3", 1980, "Nhóm 1"],
    ["Đỗ Thị Lan", 1990, "Nhóm 9"],
    ["Hà Văn Nam", 1985, "Nhóm 1", "Trường Không Có"],
    ["Mai Văn Tú", 1975, "Nhóm 4", "", "12345"],
    ["phạm văn đức", 1978, "Nhóm 1"],
    ["Lương Văn Tám", 1969, "Nhóm 1", "", "", "H001"],
  ];

  it("checks every row first, says what is wrong per row and column, and writes nothing", async () => {
    const before = await snapshot();
    const job = await check(officer, binhYen, await citizenWorkbook([...good, ...bad]));
    expect(job).toMatchObject({
      status: "checked",
      kindTitle: "Công dân học tập",
      rows: { total: 11, invalid: 6, new: 3, updated: 1, unchanged: 1, suspected: 0 },
      problemCount: 6,
    });
    const hoa = (await officer.get(`/api/v1/citizens?orgUnitId=${binhYen}&status=pending`)).json().items[0]
      .id as number;
    expect(job.problems).toEqual([
      {
        sheet: "Công dân học tập",
        row: 5,
        column: "Họ và tên",
        message: `Sẽ xác nhận đăng ký CD-${hoa} của Nguyễn Thị Hoa đang chờ xác minh.`,
        warning: true,
      },
      {
        sheet: "Công dân học tập",
        row: 7,
        column: "Họ và tên",
        message: "Họ tên chỉ gồm chữ cái và dấu cách.",
      },
      {
        sheet: "Công dân học tập",
        row: 8,
        column: "Nhóm",
        message: "Chỉ nhận một trong: Nhóm 1, Nhóm 2, Nhóm 3, Nhóm 4 (hoặc số nhóm 1–4).",
      },
      {
        sheet: "Công dân học tập",
        row: 9,
        column: "Cơ quan, đơn vị",
        message: "Không có cơ quan, đơn vị “Trường Không Có” trong Xã Bình Yên.",
      },
      {
        sheet: "Công dân học tập",
        row: 10,
        column: "Số điện thoại",
        message: "Số điện thoại gồm 9–11 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678).",
      },
      {
        sheet: "Công dân học tập",
        row: 11,
        column: "Họ và tên",
        message: "Trùng với dòng 2 của tệp (cùng đơn vị, họ tên và năm sinh).",
      },
      {
        sheet: "Công dân học tập",
        row: 12,
        column: "Mã hộ",
        message: "Hộ mã “H001” không có thành viên Lương Văn Tám (sinh 1969).",
      },
    ]);
    expect(await snapshot()).toBe(before);

    // "All or nothing" refuses the file and writes nothing.
    const refused = await commitJob(officer, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot()).toBe(before);

    // "Only the valid rows": three recorded, the one waiting verified, the recorded one untouched.
    const commune = await citizenSubjects(officer, binhYen);
    const done = await commitJob(officer, job.id, "valid");
    expect(done).toMatchObject({
      type: "result",
      job: { status: "imported", rows: { new: 3, updated: 1, unchanged: 1, invalid: 6 } },
    });
    expect(await verified(officer, binhYen)).toEqual([
      ["Lê Thị Thu", 2008, 3, "Trường THCS Bình Yên", "0912 *** 679", "officer"],
      ["Nguyễn Thị Hoa", 1985, 2, "Xã Bình Yên", "0912 *** 111", "public"],
      ["Nông Thị Nhung", 1970, 2, "Xã Bình Yên", null, "officer"],
      ["Phạm Văn Đức", 1978, 1, "Xã Bình Yên", "0912 *** 678", "officer"],
      ["Trần Văn Bình", 1990, 1, "Xã Bình Yên", null, "officer"],
    ]);
    expect((await officer.get(`/api/v1/citizens/queue?orgUnitId=${binhYen}`)).json()).toMatchObject({
      pending: 0,
    });
    // The counters at once: four more at the commune (the school's one included) and the province.
    expect(await citizenSubjects(officer, binhYen)).toBe(commune + 4);
    expect(await citizenSubjects(officer, school)).toBe(1);
    expect(await citizenSubjects(admin, thaiNguyen)).toBe(commune + 4);
    // Linked to the household member; audited as the page does.
    const nhung = await sql<{ linked: boolean }>`select c.household_member_id = m.id as linked
      from citizens c join household_members m on m.full_name = 'Nông Thị Nhung'
      where c.full_name = 'Nông Thị Nhung'`.execute(ctx.database.db);
    expect(nhung.rows).toEqual([{ linked: true }]);
    const audit = await sql<{ action: string; n: number }>`select action, count(*)::int as n from audit_log
      where action like 'citizen.%' group by action order by action`.execute(ctx.database.db);
    expect(audit.rows).toEqual([
      { action: "citizen.created", n: 4 },
      { action: "citizen.registered_publicly", n: 1 },
      { action: "citizen.verified", n: 1 },
    ]);

    // The same citizen entered through the API is stored alike and counts alike.
    const other = await citizenSubjects(admin, hoaAn);
    const api = await admin.post("/api/v1/citizens", {
      orgUnitId: hoaAn,
      fullName: "Phạm Văn Đức",
      citizenGroup: 1,
      birthYear: 1978,
      phone: "0912 345 678",
    });
    expect(api.statusCode, api.body).toBe(201);
    expect(await citizenSubjects(admin, hoaAn)).toBe(other + 1);
    const stored = await sql<Record<string, unknown>>`
      select full_name, search_key, sort_key, citizen_group, birth_year, phone, household_member_id, status,
             source, flag, decided_at is not null as decided
      from citizens where full_name = 'Phạm Văn Đức' order by id`.execute(ctx.database.db);
    expect(stored.rows).toHaveLength(2);
    expect(stored.rows[0]).toEqual(stored.rows[1]);
    const entries = await sql<{ after: unknown }>`select after from audit_log
      where action = 'citizen.created' and after->>'fullName' = 'Phạm Văn Đức' order by id`.execute(
      ctx.database.db,
    );
    expect(entries.rows[0]?.after).toEqual(entries.rows[1]?.after);
  });

  it("re-importing the same file creates nothing; look-alikes wait for the officer's word", async () => {
    const count = await citizenSubjects(officer, binhYen);
    const before = await snapshot();
    const same = await check(officer, binhYen, await citizenWorkbook(good));
    expect(same.rows).toMatchObject({ total: 5, new: 0, updated: 0, unchanged: 5 });
    await commitJob(officer, same.id, "all");
    expect(await snapshot()).toBe(before);

    const job = await check(
      officer,
      binhYen,
      await citizenWorkbook([
        ["Pham Van Duc", 1978, "Nhóm 1"],
        ["Phạm Văn Đức", 1979, "Nhóm 1"],
        ["Trần Văn Bình", 1990, "Nhóm 3"],
        ["Đinh Thị Hạnh", "", "Nhóm 4"],
        ["Đinh Thị Hạnh", 1991, "Nhóm 4"],
      ]),
    );
    expect(job.rows).toMatchObject({ total: 5, new: 1, unchanged: 1, suspected: 3, invalid: 0 });
    expect(job.problems).toEqual([
      {
        sheet: "Công dân học tập",
        row: 2,
        column: "Họ và tên",
        message:
          "Có thể trùng với công dân đã có: Phạm Văn Đức (sinh 1978), Xã Bình Yên. Chỉ nhập khi chắc đây là người khác.",
        warning: true,
      },
      {
        sheet: "Công dân học tập",
        row: 3,
        column: "Họ và tên",
        message:
          "Có thể trùng với công dân đã có: Phạm Văn Đức (sinh 1978), Xã Bình Yên. Chỉ nhập khi chắc đây là người khác.",
        warning: true,
      },
      {
        sheet: "Công dân học tập",
        row: 4,
        column: "Nhóm",
        message: "Trần Văn Bình đã có trong danh sách, thuộc Nhóm 1; nhập lại không đổi nhóm.",
        warning: true,
      },
      {
        sheet: "Công dân học tập",
        row: 6,
        column: "Họ và tên",
        message:
          "Có thể trùng với người ở dòng 5 của tệp (cùng đơn vị, họ tên gần giống). Chỉ nhập khi chắc đây là người khác.",
        warning: true,
      },
    ]);
    await commitJob(officer, job.id, "all");
    expect(await citizenSubjects(officer, binhYen)).toBe(count + 1);
    const again = await check(officer, binhYen, await citizenWorkbook([["Phạm Văn Đức", 1979, "Nhóm 1"]]));
    await commitJob(officer, again.id, "all", true);
    expect(await citizenSubjects(officer, binhYen)).toBe(count + 2);
    expect(
      (await verified(officer, binhYen)).filter((c) => c[0] === "Phạm Văn Đức").map((c) => c[1]),
    ).toEqual([1978, 1979]);
  });

  it("a school's officer imports into the school only", async () => {
    const teacher = await createUser(ctx.app, admin, "canbo.thcs", "officer", [school]);
    const job = await check(
      teacher,
      school,
      await citizenWorkbook([
        ["Hoàng Văn Sơn", 1985, "Nhóm 1"],
        ["Vi Thị Hằng", 1988, "Nhóm 1", "Xã Bình Yên"],
        ["Lương Văn Tám", 1968, "Nhóm 1", "", "", "H001"],
      ]),
    );
    expect(job.rows).toMatchObject({ total: 3, new: 1, invalid: 2 });
    expect(job.problems).toEqual([
      {
        sheet: "Công dân học tập",
        row: 3,
        column: "Cơ quan, đơn vị",
        message:
          "Chỉ nhập công dân của Trường THCS Bình Yên ở đây; để trống cột này hoặc ghi “Trường THCS Bình Yên”.",
      },
      {
        sheet: "Công dân học tập",
        row: 4,
        column: "Mã hộ",
        message: "Không có hộ mã “H001” trong phạm vi của bạn.",
      },
    ]);
    await commitJob(teacher, job.id, "valid");
    expect(await citizenSubjects(teacher, school)).toBe(2);
  });

  it("is authorised: another commune's officer and a viewer cannot import", async () => {
    const file = await citizenWorkbook(good);
    const other = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
    expect((await uploadForCheck(other, binhYen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const viewer = await createUser(ctx.app, admin, "xem.binhyen", "viewer", [binhYen]);
    expect((await uploadForCheck(viewer, binhYen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const job = await check(officer, binhYen, file);
    expect((await other.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
    expect((await viewer.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
  });
});
