import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUser,
  loginAsAdmin,
  siblingCommune,
  startTestApp,
  type TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { checkFile, commitJob, sheetWorkbook, uploadForCheck } from "./import-fixtures.ts";
import type { JobView } from "./service.ts";

const Q = "association-quarterly";
const HEADERS = ["Biểu mẫu (*)", "Kỳ báo cáo (*)", "Chỉ tiêu (*)", "Giá trị (*)", "Trong đó nữ"];
type Cell = string | number;

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officer: TestClient;
let binhYen: number;
let hoaAn: number;
let second: number;
let thaiNguyen: number;

/** A title row and an empty row above the header row, as officers' sheets have them. */
const workbook = (rows: Cell[][], headers = HEADERS): Promise<Buffer> =>
  sheetWorkbook([
    { name: "Số liệu báo cáo", rows: [["BÁO CÁO SỐ LIỆU HỘI KHUYẾN HỌC"], [], headers, ...rows] },
  ]);

const check = (client: TestClient, unitId: number, file: Buffer): Promise<JobView> =>
  checkFile(client, unitId, file, "so-lieu.xlsx", "report-figures");

async function snapshot() {
  const r = await sql<{ t: string }>`select (
      select coalesce(json_agg(r order by r.id), '[]'::json) from reports r)::text
      || (select coalesce(json_agg(h order by h.id), '[]'::json) from report_history h)::text
      || (select count(*) from audit_log)::text as t`.execute(ctx.database.db);
  return r.rows[0]?.t ?? "";
}

type View = {
  typed: Record<string, number | null>;
  values: Record<string, number | null>;
  narratives: Record<string, string>;
  report: { status: string } | null;
  history: { action: string }[];
};

async function report(client: TestClient, unitId: number, period: string, template = Q): Promise<View> {
  const res = await client.get(
    `/api/v1/reports/report?template=${template}&unitId=${unitId}&period=${period}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as View;
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  second = await siblingCommune(admin, thaiNguyen, binhYen);
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
});
afterAll(() => ctx.close());

describe("the report figures template", () => {
  it("has the five columns, the unit's templates and their typed indicators as drop-downs", async () => {
    const res = await officer.get(`/api/v1/imports/templates/report-figures?orgUnitId=${binhYen}`);
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "Hướng dẫn",
      "Số liệu báo cáo",
      "Ví dụ - Số liệu báo cáo",
      "Danh mục",
    ]);
    const sheet = book.getWorksheet("Số liệu báo cáo") as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    const rules = (
      sheet as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }
    ).dataValidations;
    expect(rules.find("A2")?.formulae?.[0]).toContain("Danh mục");
    expect(rules.find("C2")?.formulae?.[0]).toContain("Danh mục");
    const lists = book.getWorksheet("Danh mục") as ExcelJS.Worksheet;
    const templates = (lists.getColumn(1).values as unknown[]).slice(1);
    expect(templates[0]).toBe("template");
    expect(templates).toContain(Q);
    // Only templates a commune fills: not the centre's.
    expect(templates).not.toContain("centre-annual");
    const indicators = (lists.getColumn(2).values as unknown[]).slice(1);
    expect(indicators).toContain("Trong đó hội viên nữ");
    // Computed indicators are not offered.
    expect(indicators).not.toContain("Tăng (giảm) hội viên so với quý trước");
  });

  it("is refused outside the user's scope", async () => {
    expect(
      (await officer.get(`/api/v1/imports/templates/report-figures?orgUnitId=${hoaAn}`)).statusCode,
    ).toBe(403);
  });
});

describe("importing a report's typed figures", () => {
  const good: Cell[][] = [
    [Q, "2025-Q3", "members", "1.200", 640],
    [Q, "Quý III/2025", "Hội viên mới kết nạp trong quý", 35, ""],
    [Q, "2025-q3", "funds_raised", "15.500.000", ""],
  ];

  it("checks every row, says what is wrong per row and column, writes nothing; then saves the valid ones as a draft", async () => {
    const name = (
      (await admin.get("/api/v1/reports/templates")).json() as { items: { code: string; name: string }[] }
    ).items.find((t) => t.code === Q)?.name as string;
    // The third row names its template as the template is titled.
    const rows = good.map((r, i) => (i === 2 ? [name, ...r.slice(1)] : r));
    const bad: Cell[][] = [
      [Q, "2025-Q3", "members_change", 10, ""],
      [Q, "2025", "classes", 3, ""],
      [Q, "2025-Q3", "scholarships", "mười", ""],
      [Q, "2025-Q3", "new_chapters", "2,5", ""],
      [Q, "2025-Q4", "members", 500, 600],
      ["mau-khong-co", "2025-Q3", "members", 1, ""],
      ["association-annual", "RY2026-11", "members", 100, ""],
      [Q, "2025-Q3", "members_female", 650, ""],
      [Q, "2025-Q3", "Hội viên nam", 1, ""],
    ];
    const before = await snapshot();
    const job = await check(officer, binhYen, await workbook([...rows, ...bad]));
    expect(job).toMatchObject({
      status: "checked",
      rows: { total: 12, invalid: 9, new: 3, updated: 0, unchanged: 0 },
      problemCount: 9,
    });
    const sheet = "Số liệu báo cáo";
    expect(job.problems).toEqual(
      expect.arrayContaining([
        {
          sheet,
          row: 7,
          column: "Chỉ tiêu",
          message:
            "Chỉ tiêu «Tăng (giảm) hội viên so với quý trước» được tính từ số liệu, không nhập. Số liệu này được tính theo công thức từ các chỉ tiêu khác.",
        },
        {
          sheet,
          row: 8,
          column: "Kỳ báo cáo",
          message: `Biểu mẫu «${name}» báo cáo theo kỳ khác: 2025 không phải kỳ của biểu mẫu.`,
        },
        { sheet, row: 9, column: "Giá trị", message: "Không phải là số: “mười”." },
        {
          sheet,
          row: 10,
          column: "Giá trị",
          message: "«Chi hội, Ban khuyến học thành lập mới» phải là số nguyên không âm.",
        },
        {
          sheet,
          row: 11,
          column: "Trong đó nữ",
          message: "Số hội viên nữ không được lớn hơn tổng số hội viên.",
        },
        {
          sheet,
          row: 13,
          column: "Chỉ tiêu",
          message:
            "Chỉ tiêu «Tổng số hội viên» được tính từ số liệu, không nhập. Số liệu này hệ thống tự tính từ các hồ sơ đã ghi (hãy nhập các hồ sơ đó).",
        },
        {
          sheet,
          row: 14,
          column: "Chỉ tiêu",
          message: "«Trong đó hội viên nữ» của kỳ 2025-Q3 đã có ở dòng 4 của tệp.",
        },
        {
          sheet,
          row: 15,
          column: "Chỉ tiêu",
          message: `Biểu mẫu «${name}» không có chỉ tiêu “Hội viên nam”.`,
        },
      ]),
    );
    expect(job.problems.find((p) => p.row === 12)).toMatchObject({ column: "Biểu mẫu" });
    expect(job.problems.find((p) => p.row === 12)?.message).toContain("Không có biểu mẫu “mau-khong-co”");
    expect(await snapshot()).toBe(before);

    const refused = await commitJob(officer, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot()).toBe(before);

    const done = await commitJob(officer, job.id, "valid");
    expect(done).toMatchObject({ type: "result", job: { status: "imported", rows: { new: 3, invalid: 9 } } });
    const view = await report(officer, binhYen, "2025-Q3");
    expect(view.report?.status).toBe("draft");
    expect(view.typed).toEqual({
      members: 1200,
      members_female: 640,
      new_members: 35,
      funds_raised: 15_500_000,
    });
    expect(view.history.map((h) => h.action)).toEqual(["save"]);
    // Q4 had only the refused row: no report was opened.
    expect((await report(officer, binhYen, "2025-Q4")).report).toBeNull();
  });

  it("reads the same as the same figures typed in the form, and is audited the same way", async () => {
    const res = await admin.put(`/api/v1/reports/report?template=${Q}&unitId=${second}&period=2025-Q3`, {
      values: { members: 1200, members_female: 640, new_members: 35, funds_raised: 15_500_000 },
      narratives: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    const imported = await report(officer, binhYen, "2025-Q3");
    const typed = await report(admin, second, "2025-Q3");
    expect(imported.typed).toEqual(typed.typed);
    expect(imported.values).toEqual(typed.values);
    const audits = await sql<{ org_unit_id: number; after: { values: unknown; status: string } }>`
      select org_unit_id, after from audit_log where action = 'report.saved' order by id`.execute(
      ctx.database.db,
    );
    expect(audits.rows.map((a) => Number(a.org_unit_id))).toEqual([binhYen, second]);
    expect(audits.rows[0]?.after).toEqual(audits.rows[1]?.after);
  });

  it("re-importing the same file changes nothing; a changed figure updates and keeps the rest of the report", async () => {
    // The officer writes the report's texts in the app; an import keeps them.
    const saved = await officer.put(`/api/v1/reports/report?template=${Q}&unitId=${binhYen}&period=2025-Q3`, {
      values: { members: 1200, members_female: 640, new_members: 35, funds_raised: 15_500_000, classes: 4 },
      narratives: { thuan_loi: "Được cấp ủy quan tâm." },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const before = await snapshot();
    const same = await check(officer, binhYen, await workbook(good));
    expect(same.rows).toMatchObject({ total: 3, unchanged: 3, new: 0, updated: 0, invalid: 0 });
    await commitJob(officer, same.id, "all");
    const after = await snapshot();
    // Only the import job's own audit entry.
    expect(after.slice(0, -5)).toBe(before.slice(0, -5));

    const changed = await check(
      officer,
      binhYen,
      await workbook([
        [Q, "2025-Q3", "members", 1250, 650],
        [Q, "2025-Q3", "participants", 410, ""],
      ]),
    );
    expect(changed.rows).toMatchObject({ updated: 1, new: 1, invalid: 0 });
    await commitJob(officer, changed.id, "all");
    const view = await report(officer, binhYen, "2025-Q3");
    expect(view.typed).toEqual({
      members: 1250,
      members_female: 650,
      new_members: 35,
      funds_raised: 15_500_000,
      classes: 4,
      participants: 410,
    });
    expect(view.narratives).toEqual({ thuan_loi: "Được cấp ủy quan tâm." });
  });

  it("refuses figures for a submitted report: it is locked", async () => {
    const submitted = await officer.post(
      `/api/v1/reports/report/actions?template=${Q}&unitId=${binhYen}&period=2025-Q3`,
      { action: "submit" },
    );
    expect(submitted.statusCode, submitted.body).toBe(200);
    const job = await check(officer, binhYen, await workbook([[Q, "2025-Q3", "members", 1300, ""]]));
    expect(job.rows.invalid).toBe(1);
    expect(job.problems[0]).toMatchObject({
      row: 4,
      column: "",
      message: "Báo cáo đã gửi, đang chờ cấp trên duyệt: không sửa được nữa.",
    });
  });

  it("is authorised: another commune's officer and a viewer cannot import", async () => {
    const other = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
    const viewer = await createUser(ctx.app, admin, "xem.binhyen", "viewer", [binhYen]);
    const file = await workbook(good);
    expect((await uploadForCheck(other, binhYen, file, "x.xlsx", "report-figures")).statusCode).toBe(403);
    expect((await uploadForCheck(viewer, binhYen, file, "x.xlsx", "report-figures")).statusCode).toBe(403);
    const job = await check(officer, binhYen, await workbook([[Q, "2026-Q1", "members", 1, ""]]));
    expect((await other.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
  });
});
