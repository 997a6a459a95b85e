import ExcelJS from "exceljs";
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
import { checkFile, commitJob, sheetWorkbook, uploadForCheck } from "./import-fixtures.ts";
import type { JobView } from "./service.ts";

const A = "association-annual";
const Q = "association-quarterly";
const HEADERS = ["Đơn vị (*)", "Biểu mẫu (*)", "Chỉ số (*)", "Kỳ báo cáo (*)", "Chỉ tiêu (*)"];
type Cell = string | number;

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let provinceOfficer: TestClient;
let binhYen: number;
let hoaAn: number;
let thaiNguyen: number;
let second: number;
let secondName: string;

const workbook = (rows: Cell[][]): Promise<Buffer> =>
  sheetWorkbook([{ name: "Chỉ tiêu", rows: [HEADERS, ...rows] }]);

const check = (client: TestClient, unitId: number, file: Buffer): Promise<JobView> =>
  checkFile(client, unitId, file, "chi-tieu.xlsx", "targets");

async function snapshot(withAudit = true) {
  const r = await sql<{ t: string }>`select (
      select coalesce(json_agg(t order by t.org_unit_id, t.template_code, t.indicator, t.period), '[]'::json)
      from (select org_unit_id, template_code, indicator, period, value from report_targets) t)::text
      || ${withAudit ? sql`(select count(*) from audit_log)::text` : sql`''`} as t`.execute(ctx.database.db);
  return r.rows[0]?.t ?? "";
}

async function targets(client: TestClient, unitId: number, template: string, period: string) {
  const res = await client.get(
    `/api/v1/reports/report?template=${template}&unitId=${unitId}&period=${period}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { targets: Record<string, number | null> }).targets;
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  second = await siblingCommune(admin, thaiNguyen, binhYen);
  secondName = ((await admin.get(`/api/v1/org-units/${second}`)).json() as { name: string }).name;
  provinceOfficer = await createUser(ctx.app, admin, "canbo.tinh", "officer", [thaiNguyen]);
});
afterAll(() => ctx.close());

describe("the targets template", () => {
  it("has the five columns, the units below, the templates and the indicators as drop-downs", async () => {
    const res = await provinceOfficer.get(`/api/v1/imports/templates/targets?orgUnitId=${thaiNguyen}`);
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Chỉ tiêu") as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    const rules = (
      sheet as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }
    ).dataValidations;
    for (const cell of ["A2", "B2", "C2"]) expect(rules.find(cell)?.formulae?.[0]).toContain("Danh mục");
    const lists = book.getWorksheet("Danh mục") as ExcelJS.Worksheet;
    const columns = [1, 2, 3].map((i) => (lists.getColumn(i).values as unknown[]).slice(1));
    expect(columns[0]?.[0]).toBe("unit");
    expect(columns[0]).toEqual(expect.arrayContaining(["Tỉnh Thái Nguyên", "Xã Bình Yên", secondName]));
    expect(columns[1]).toEqual(expect.arrayContaining(["template", A, Q]));
    expect(columns[2]).toContain("Tỷ lệ Gia đình học tập phấn đấu đạt");
  });

  it("is refused outside the user's scope and for a unit that is neither a province nor a commune", async () => {
    expect(
      (await provinceOfficer.get(`/api/v1/imports/templates/targets?orgUnitId=${hoaAn}`)).statusCode,
    ).toBe(403);
    const village = await createUnit(admin, binhYen, "village", "Thôn Chỉ Tiêu");
    const res = await admin.get(`/api/v1/imports/templates/targets?orgUnitId=${village}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toContain("tỉnh/thành phố hoặc một xã/phường");
  });
});

describe("importing targets", () => {
  const good = (): Cell[][] => [
    ["05587", A, "members", "RY2026-11", "1.300"],
    ["Xã Bình Yên", A, "Tỷ lệ Gia đình học tập phấn đấu đạt", "Năm 2026", "85,5"],
    [secondName, Q, "members", "Quý I/2026", 900],
    ["19", A, "funds_raised", "RY2026-11", "1.500.000.000"],
  ];

  it("checks every row, says what is wrong per row and column, writes nothing; then sets the valid ones", async () => {
    const bad: Cell[][] = [
      ["Xã Hòa An", A, "members", "RY2026-11", 10],
      ["05587", A, "members", "2026-Q1", 10],
      ["05587", A, "new_members", "RY2026-11", -5],
      ["05587", A, "abc", "RY2026-11", 1],
      ["Bình Yên", A, "members", "Năm 2026", 1400],
    ];
    const before = await snapshot();
    const job = await check(provinceOfficer, thaiNguyen, await workbook([...good(), ...bad]));
    expect(job).toMatchObject({
      status: "checked",
      rows: { total: 9, invalid: 5, new: 4, updated: 0, unchanged: 0 },
    });
    const name = (
      (await admin.get("/api/v1/reports/templates")).json() as { items: { code: string; name: string }[] }
    ).items.find((t) => t.code === A)?.name;
    const sheet = "Chỉ tiêu";
    expect(job.problems).toEqual([
      { sheet, row: 6, column: "Đơn vị", message: "Không có đơn vị “Xã Hòa An” thuộc Tỉnh Thái Nguyên." },
      {
        sheet,
        row: 7,
        column: "Kỳ báo cáo",
        message: `Biểu mẫu «${name}» báo cáo theo kỳ khác: 2026-Q1 không phải kỳ của biểu mẫu.`,
      },
      {
        sheet,
        row: 8,
        column: "Chỉ tiêu",
        message: "Chỉ tiêu «Hội viên mới kết nạp trong năm» phải là số không âm.",
      },
      { sheet, row: 9, column: "Chỉ số", message: `Biểu mẫu «${name}» không có chỉ số “abc”.` },
      {
        sheet,
        row: 10,
        column: "Chỉ số",
        message: "Chỉ tiêu «Tổng số hội viên» của Xã Bình Yên kỳ RY2026-11 đã có ở dòng 2 của tệp.",
      },
    ]);
    expect(await snapshot()).toBe(before);

    const refused = await commitJob(provinceOfficer, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot()).toBe(before);

    const done = await commitJob(provinceOfficer, job.id, "valid");
    expect(done).toMatchObject({ type: "result", job: { status: "imported", rows: { new: 4, invalid: 5 } } });
    expect(await targets(provinceOfficer, binhYen, A, "RY2026-11")).toEqual({
      members: 1300,
      target_gdht: 85.5,
    });
    expect(await targets(provinceOfficer, second, Q, "2026-Q1")).toEqual({ members: 900 });
    expect(await targets(provinceOfficer, thaiNguyen, A, "RY2026-11")).toEqual({
      funds_raised: 1_500_000_000,
    });
  });

  it("reads and is audited the same as the same targets set through the API", async () => {
    const third = await siblingCommune(admin, thaiNguyen, second);
    const other = third === binhYen ? await siblingCommune(admin, thaiNguyen, binhYen) : third;
    const res = await provinceOfficer.put(
      `/api/v1/reports/targets?template=${A}&unitId=${other}&period=RY2026-11`,
      {
        targets: { members: 1300, target_gdht: 85.5 },
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await targets(provinceOfficer, other, A, "RY2026-11")).toEqual(
      await targets(provinceOfficer, binhYen, A, "RY2026-11"),
    );
    const audits = await sql<{ org_unit_id: number; before: unknown; after: unknown }>`
      select org_unit_id, before, after from audit_log where action = 'report.targets_set'
      and org_unit_id in (${binhYen}, ${other}) order by id`.execute(ctx.database.db);
    expect(audits.rows.map((a) => Number(a.org_unit_id))).toEqual([binhYen, other]);
    expect(audits.rows[0]?.after).toEqual(audits.rows[1]?.after);
    expect(audits.rows[0]?.before).toEqual(audits.rows[1]?.before);
  });

  it("re-importing the same file changes nothing; a changed value updates, audited", async () => {
    const before = await snapshot(false);
    const audits = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from audit_log where action = 'report.targets_set'`.execute(
            ctx.database.db,
          )
        ).rows[0]?.n,
      );
    const auditsBefore = await audits();
    const same = await check(provinceOfficer, thaiNguyen, await workbook(good()));
    expect(same.rows).toMatchObject({ total: 4, unchanged: 4, new: 0, updated: 0, invalid: 0 });
    await commitJob(provinceOfficer, same.id, "all");
    expect(await snapshot(false)).toBe(before);
    expect(await audits()).toBe(auditsBefore);

    const changed = await check(
      provinceOfficer,
      thaiNguyen,
      await workbook([["05587", A, "members", "RY2026-11", 1350]]),
    );
    expect(changed.rows).toMatchObject({ updated: 1, invalid: 0 });
    await commitJob(provinceOfficer, changed.id, "all");
    expect(await targets(provinceOfficer, binhYen, A, "RY2026-11")).toEqual({
      members: 1350,
      target_gdht: 85.5,
    });
    const last = await sql<{ before: unknown; after: unknown }>`
      select before, after from audit_log where action = 'report.targets_set' order by id desc limit 1`.execute(
      ctx.database.db,
    );
    expect(last.rows[0]).toEqual({
      before: { members: 1300, target_gdht: 85.5 },
      after: { members: 1350, target_gdht: 85.5 },
    });
  });

  it("a commune sets its own targets", async () => {
    const officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
    const job = await check(officer, binhYen, await workbook([["Xã Bình Yên", Q, "classes", "2026-Q2", 8]]));
    expect(job.rows).toMatchObject({ new: 1, invalid: 0 });
    await commitJob(officer, job.id, "all");
    expect(await targets(officer, binhYen, Q, "2026-Q2")).toEqual({ classes: 8 });
  });

  it("is authorised: a clerk without target.manage, another province's officer and a viewer cannot import", async () => {
    const clerk = await createUser(ctx.app, admin, "nhaplieu.tinh", "data_entry", [thaiNguyen]);
    const other = await createUser(ctx.app, admin, "canbo.caobang", "officer", [hoaAn]);
    const viewer = await createUser(ctx.app, admin, "xem.tinh", "viewer", [thaiNguyen]);
    const file = await workbook(good());
    for (const client of [clerk, other, viewer]) {
      expect((await uploadForCheck(client, thaiNguyen, file, "x.xlsx", "targets")).statusCode).toBe(403);
    }
    const job = await check(provinceOfficer, thaiNguyen, file);
    expect((await other.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
    expect((await clerk.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
  });
});
