import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CENTRE_CATEGORIES } from "../../domain/centres/categories.ts";
import {
  createUnit,
  createUser,
  loginAsAdmin,
  startTestApp,
  type TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { checkFile, commitJob, sheetWorkbook, uploadForCheck } from "./import-fixtures.ts";
import type { JobView } from "./service.ts";

const KIND = "centre-activities";
const HEADERS = [
  "Loại (*)",
  "Tên hoạt động (*)",
  "Lĩnh vực (*)",
  "Ngày bắt đầu (*)",
  "Ngày kết thúc",
  "Số buổi (*)",
  "Tổng số người tham gia (*)",
  "Trong đó nữ (*)",
  "Người dân tộc thiểu số",
  "Đơn vị phối hợp",
  "Địa điểm",
];

type Line = (string | number | Date | null)[];

const workbook = (lines: Line[], headers = HEADERS): Promise<Buffer> =>
  sheetWorkbook([{ name: "Hoạt động", rows: [headers, ...lines] }]);

const check = (client: TestClient, unitId: number, file: Buffer): Promise<JobView> =>
  checkFile(client, unitId, file, "hoat-dong.xlsx", KIND);

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officer: TestClient;
let hoaAnOfficer: TestClient;
let binhYen: number;
let hoaAn: number;
let thaiNguyen: number;
let centre: number;
let hoaAnCentre: number;

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  centre = await createUnit(admin, binhYen, "learning_centre", "Trung tâm học tập cộng đồng xã Bình Yên");
  hoaAnCentre = await createUnit(admin, hoaAn, "learning_centre", "Trung tâm học tập cộng đồng xã Hòa An");
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
  hoaAnOfficer = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
});
afterAll(() => ctx.close());

/** Everything an activity import could touch. */
async function snapshot(): Promise<string> {
  const r = await sql<{ t: string }>`select (
      select coalesce(json_agg(a order by a.id), '[]'::json) from centre_activities a)::text
      || (select coalesce(json_agg(s order by s.org_unit_id, s.period, s.metric), '[]'::json) from centre_stats s)::text
      || (select count(*) from audit_log where action like 'centre.%')::text as t`.execute(ctx.database.db);
  return r.rows[0]?.t ?? "";
}

type Report = {
  rows: {
    code: string;
    classes: number;
    sessions: number;
    participants: number;
    female: number;
    minority: number;
  }[];
  total: Record<string, number>;
};
async function report(client: TestClient, unit: number, period: string): Promise<Report> {
  const res = await client.get(`/api/v1/centres/report?orgUnitId=${unit}&period=${period}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Report;
}

type Activity = Record<string, unknown> & { id: number; centreId: number; title: string };
async function activities(client: TestClient, centreId: number, period: string): Promise<Activity[]> {
  const res = await client.get(`/api/v1/centres/${centreId}/activities?period=${period}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Activity[];
}
const withoutIds = (list: Activity[]) =>
  list
    .map(({ id: _id, centreId: _c, ...rest }) => rest)
    .sort((a, b) => String(a.title).localeCompare(String(b.title)));

describe("the centre activities template", () => {
  it("has the activity sheet with its Vietnamese headers, the kinds and the ten categories as drop-downs", async () => {
    const res = await officer.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${binhYen}`);
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "Hướng dẫn",
      "Hoạt động",
      "Ví dụ - Hoạt động",
      "Danh mục",
    ]);
    const sheet = book.getWorksheet("Hoạt động") as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    const rules = (
      sheet as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }
    ).dataValidations;
    expect(rules.find("A2")?.formulae?.[0]).toBe('"Lớp học,Chuyên đề"');
    expect(rules.find("C10")?.type).toBe("list");
    expect(rules.find("C10")?.formulae?.[0]).toContain("Danh mục");
    expect(rules.find("F2")).toMatchObject({ type: "whole", formulae: [1, 10000] });
    const lists = book.getWorksheet("Danh mục") as ExcelJS.Worksheet;
    expect(lists.getColumn(1).values).toEqual([
      undefined,
      "category",
      ...CENTRE_CATEGORIES.map((c) => c.label),
    ]);
    // The centre itself takes the same template.
    expect((await officer.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${centre}`)).statusCode).toBe(200);
  });

  it("is refused outside the scope, for a province and for a commune without a centre", async () => {
    expect(
      (await hoaAnOfficer.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${binhYen}`)).statusCode,
    ).toBe(403);
    const province = await admin.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${thaiNguyen}`);
    expect(province.statusCode).toBe(400);
    expect(province.json().errors[0].message).toContain("trung tâm học tập cộng đồng");
    const list = (
      await admin.get(`/api/v1/org-units?parentId=${thaiNguyen}&status=current&pageSize=50`)
    ).json() as {
      items: { id: number; kind: string }[];
    };
    const other = list.items.find((u) => u.kind === "commune" && u.id !== binhYen)?.id as number;
    const none = await admin.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${other}`);
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].message).toContain("chưa có trung tâm học tập cộng đồng");
  });
});

describe("importing centre activities", () => {
  const good: Line[] = [
    [
      "Chuyên đề",
      "Tuyên truyền Luật Giao thông đường bộ",
      "Chuyên đề Giáo dục pháp luật",
      "07/10/2024",
      "",
      1,
      120,
      60,
      30,
      "Công an xã",
      "Nhà văn hóa thôn Đồng Tâm",
    ],
    ["Lớp học", "Lớp trồng chè", 2, new Date(Date.UTC(2024, 9, 10)), "20/10/2024", 5, "40", 25, "", "", ""],
    [
      "lớp",
      "Tập huấn chăm sóc sức khỏe",
      "giao duc suc khoe",
      "15-10-2024",
      "15/10/2024",
      1,
      80,
      50,
      "",
      "Trạm Y tế",
      "",
    ],
    [
      "Chuyên đề, buổi nói chuyện",
      "Chuyên đề pháp luật mùa hè",
      "3",
      "15/07/2024",
      "",
      1,
      "1.200",
      510,
      10,
      "",
      "",
    ],
  ];
  const bad: Line[] = [
    ["Chuyên đề", "Lĩnh vực lạ", "Thể thao điện tử", "01/11/2024", "", 1, 10, 5, "", "", ""],
    [
      "Chuyên đề",
      "Nhiều nữ quá",
      "Chuyên đề Giáo dục môi trường",
      "02/11/2024",
      "01/11/2024",
      1,
      10,
      15,
      11,
      "",
      "",
    ],
    ["Hội thảo", "Loại lạ", "4", "31/02/2024", "", 0, "mười", 5, "", "", ""],
  ];

  it("checks every row, says what is wrong per row and column, writes nothing; 'valid' writes the good rows, as the form would", async () => {
    const before = await snapshot();
    const job = await check(officer, binhYen, await workbook([...good, ...bad]));
    expect(job).toMatchObject({
      status: "checked",
      rows: { total: 7, invalid: 3, new: 4, updated: 0, unchanged: 0, suspected: 0 },
      problemCount: 3,
    });
    expect(job.problems).toEqual(
      expect.arrayContaining([
        {
          sheet: "Hoạt động",
          row: 6,
          column: "Lĩnh vực",
          message:
            "Không có lĩnh vực “Thể thao điện tử” trong danh mục: chọn trong danh sách hoặc ghi số thứ tự 1–10.",
        },
        {
          sheet: "Hoạt động",
          row: 7,
          column: "Ngày kết thúc",
          message: "Ngày kết thúc không được trước ngày bắt đầu.",
        },
        {
          sheet: "Hoạt động",
          row: 7,
          column: "Trong đó nữ",
          message: "Số nữ không được lớn hơn tổng số người tham gia.",
        },
        {
          sheet: "Hoạt động",
          row: 7,
          column: "Người dân tộc thiểu số",
          message: "Số người dân tộc thiểu số không được lớn hơn tổng số người tham gia.",
        },
        { sheet: "Hoạt động", row: 8, column: "Loại", message: "Chỉ nhận một trong: Lớp học, Chuyên đề." },
        { sheet: "Hoạt động", row: 8, column: "Ngày bắt đầu", message: "Ngày không hợp lệ: 31/02/2024." },
        { sheet: "Hoạt động", row: 8, column: "Số buổi", message: "Phải là số nguyên từ 1 đến 10000." },
        {
          sheet: "Hoạt động",
          row: 8,
          column: "Tổng số người tham gia",
          message: "Không phải là số: “mười”.",
        },
      ]),
    );
    expect(await snapshot()).toBe(before);

    const refused = await commitJob(officer, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot()).toBe(before);

    const done = await commitJob(officer, job.id, "valid");
    expect(done).toMatchObject({ type: "result", job: { status: "imported", rows: { new: 4, invalid: 3 } } });

    // The same four activities entered through the centre's own form, at Hòa An's centre.
    const viaApi = [
      {
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
      },
      {
        kind: "class",
        title: "Lớp trồng chè",
        category: "vocational",
        startDate: "2024-10-10",
        endDate: "2024-10-20",
        sessions: 5,
        participants: 40,
        female: 25,
        minority: null,
        partner: null,
        place: null,
      },
      {
        kind: "class",
        title: "Tập huấn chăm sóc sức khỏe",
        category: "health",
        startDate: "2024-10-15",
        endDate: "2024-10-15",
        sessions: 1,
        participants: 80,
        female: 50,
        minority: null,
        partner: "Trạm Y tế",
        place: null,
      },
      {
        kind: "talk",
        title: "Chuyên đề pháp luật mùa hè",
        category: "legal",
        startDate: "2024-07-15",
        endDate: "2024-07-15",
        sessions: 1,
        participants: 1200,
        female: 510,
        minority: 10,
        partner: null,
        place: null,
      },
    ];
    for (const a of viaApi) {
      const res = await hoaAnOfficer.post(`/api/v1/centres/${hoaAnCentre}/activities`, a);
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const period of ["2024", "2024-2025", "2023-2024"]) {
      expect(withoutIds(await activities(officer, centre, period))).toEqual(
        withoutIds(await activities(hoaAnOfficer, hoaAnCentre, period)),
      );
      const imported = await report(officer, centre, period);
      const typed = await report(hoaAnOfficer, hoaAnCentre, period);
      expect(imported.rows).toEqual(typed.rows);
      expect(imported.total).toEqual(typed.total);
      expect((await report(officer, binhYen, period)).total).toEqual(typed.total);
    }
    expect((await report(officer, centre, "2024")).total).toMatchObject({
      classes: 4,
      participants: 1440,
      female: 645,
      sessions: 8,
      minority: 40,
    });
    expect((await report(admin, thaiNguyen, "2024")).total).toMatchObject({ classes: 4, participants: 1440 });
    // The same audit entries as the form's.
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log
      where action = 'centre.activity.create' and org_unit_id = ${centre}`.execute(ctx.database.db);
    expect(audit.rows[0]?.n).toBe(4);
  });

  it("re-importing the same file creates nothing; a changed count corrects the activity and its counters", async () => {
    const before = await snapshot();
    const same = await check(officer, binhYen, await workbook(good));
    expect(same.rows).toMatchObject({ total: 4, new: 0, unchanged: 4, invalid: 0 });
    await commitJob(officer, same.id, "all");
    expect(await snapshot()).toBe(before);

    // Into the centre itself, the title in another case and without diacritics on the key,
    // the category by its label without “Chuyên đề”: the same activity, 150 participants now.
    const changed = await check(
      officer,
      centre,
      await workbook([
        [
          "Chuyên đề",
          "TUYÊN TRUYỀN LUẬT GIAO THÔNG ĐƯỜNG BỘ",
          "Giáo dục pháp luật",
          "07/10/2024",
          "",
          1,
          150,
          60,
          "",
          "",
          "",
        ],
        good[1] as Line,
      ]),
    );
    expect(changed.rows).toMatchObject({ total: 2, new: 0, updated: 1, unchanged: 1 });
    const done = await commitJob(officer, changed.id, "all");
    expect(done).toMatchObject({ type: "result", job: { rows: { updated: 1 } } });
    const list = await activities(officer, centre, "2024");
    expect(list.length).toBe(4);
    // The blank partner, place and minority cells kept what the activity had.
    expect(list.find((a) => a.startDate === "2024-10-07")).toMatchObject({
      title: "TUYÊN TRUYỀN LUẬT GIAO THÔNG ĐƯỜNG BỘ",
      participants: 150,
      minority: 30,
      partner: "Công an xã",
      place: "Nhà văn hóa thôn Đồng Tâm",
    });
    expect((await report(officer, centre, "2024")).rows.find((r) => r.code === "legal")).toMatchObject({
      classes: 2,
      participants: 1350,
    });
    expect((await report(admin, thaiNguyen, "2024-2025")).total).toMatchObject({
      classes: 3,
      participants: 270,
    });
    const audit = await sql<{ before: { participants: number }; after: { participants: number } }>`
      select before, after from audit_log where action = 'centre.activity.update'`.execute(ctx.database.db);
    expect(audit.rows.map((r) => [r.before.participants, r.after.participants])).toEqual([[120, 150]]);
  });

  it("refuses a second row with the same key in the file", async () => {
    const job = await check(
      officer,
      binhYen,
      await workbook([
        ["Lớp học", "Lớp đan lát", "Học nghề ngắn hạn", "01/12/2024", "", 3, 20, 10, "", "", ""],
        ["Lớp học", "Lop dan lat", "2", "01/12/2024", "", 3, 21, 10, "", "", ""],
      ]),
    );
    expect(job.rows).toMatchObject({ new: 1, invalid: 1 });
    expect(job.problems).toContainEqual({
      sheet: "Hoạt động",
      row: 3,
      column: "Tên hoạt động",
      message: "Trùng với hoạt động ở dòng 2 của tệp (cùng ngày bắt đầu, lĩnh vực và tên).",
    });
  });

  it("reads an officer's own headers", async () => {
    const job = await check(
      officer,
      binhYen,
      await workbook(
        [["Chuyên đề", "Phòng chống đuối nước", 4, "05/06/2024", 1, 90, 40]],
        ["Lớp/Chuyên đề", "Nội dung", "Phân loại", "Ngày tổ chức", "Số buổi", "Số người tham gia", "Số nữ"],
      ),
    );
    expect(job.rows).toMatchObject({ total: 1, new: 1, invalid: 0 });
  });

  it("is authorised: another commune's officer and a viewer cannot import", async () => {
    const file = await workbook(good);
    expect((await uploadForCheck(hoaAnOfficer, binhYen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    expect((await uploadForCheck(hoaAnOfficer, centre, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const viewer = await createUser(ctx.app, admin, "xem.binhyen", "viewer", [binhYen]);
    expect((await uploadForCheck(viewer, binhYen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const job = await check(officer, binhYen, file);
    expect((await hoaAnOfficer.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(
      403,
    );
  });
});
