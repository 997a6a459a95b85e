import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeLegacy } from "../../domain/import/legacy-encodings.ts";
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

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officer: TestClient;
let binhYen: number;
let hoaAn: number;
let thaiNguyen: number;

const KIND = "units";
const HEADERS = ["Loại đơn vị (*)", "Tên đơn vị (*)", "Mã"];
type Line = [kind: string, name: string, code?: string | number];

const unitWorkbook = (lines: Line[], headers = HEADERS): Promise<Buffer> =>
  sheetWorkbook([
    { name: "Đơn vị", rows: [headers, ...lines.map(([kind, name, code]) => [kind, name, code ?? ""])] },
  ]);

const check = (client: TestClient, unitId: number, file: Buffer, name = "don-vi.xlsx"): Promise<JobView> =>
  checkFile(client, unitId, file, name, KIND);

type Child = { id: number; kind: string; name: string; code: string | null };

/** The commune's units as the org-units API lists them. */
async function childrenOf(client: TestClient, unitId: number): Promise<Child[]> {
  const res = await client.get(`/api/v1/org-units?parentId=${unitId}&status=current&pageSize=500`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Child[] }).items.map(({ id, kind, name, code }) => ({
    id,
    kind,
    name,
    code,
  }));
}

/** The learning-model denominators of a unit, as the statistics page reads them. */
async function subjects(client: TestClient, unitId: number): Promise<Record<string, number>> {
  const res = await client.get(
    `/api/v1/stats/learning-models?orgUnitId=${unitId}&year=${new Date().getFullYear()}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { models: { model: string; figures: { subjects: number } }[] };
  return Object.fromEntries(body.models.map((m) => [m.model, m.figures.subjects]));
}

/** Everything a unit import could touch. */
async function snapshot(): Promise<string> {
  const r = await sql<{ t: string }>`select (
      select coalesce(json_agg(u order by u.id), '[]'::json) from org_units u where u.level >= 2 and u.valid_to is null
        and u.parent_id is not null and u.kind not in ('commune'))::text
      || (select coalesce(json_agg(s order by s.org_unit_id, s.subject_kind), '[]'::json) from subject_counts s
        where s.subject_kind in ('village', 'unit'))::text
      || (select count(*) from audit_log where action like 'org_unit.%')::text as t`.execute(ctx.database.db);
  return r.rows[0]?.t ?? "";
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
  // Already there before any import.
  await createUnit(admin, binhYen, "village", "Thôn Đồng Bục");
});
afterAll(() => ctx.close());

describe("the units template", () => {
  it("has the instructions, the list with its Vietnamese headers, the kinds as a drop-down and an example", async () => {
    const res = await officer.get(`/api/v1/imports/templates/units?orgUnitId=${binhYen}`);
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Hướng dẫn", "Đơn vị", "Ví dụ - Đơn vị", "Danh mục"]);
    const sheet = book.getWorksheet("Đơn vị") as ExcelJS.Worksheet;
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS]);
    const rules = (
      sheet as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }
    ).dataValidations;
    expect(rules.find("A2")?.formulae?.[0]).toBe(
      '"Thôn/Bản/Ấp/Tổ dân phố,Cơ quan,Trường học,Doanh nghiệp,Tổ chức cấp xã,Trung tâm học tập cộng đồng"',
    );
    const example = book.getWorksheet("Ví dụ - Đơn vị") as ExcelJS.Worksheet;
    expect(example.getRow(2).values).toEqual([undefined, "Thôn/Bản/Ấp/Tổ dân phố", "Thôn Đông", "T01"]);
    const guide = book.getWorksheet("Hướng dẫn") as ExcelJS.Worksheet;
    expect(guide.getRow(1).getCell(1).value).toBe("MẪU NHẬP DỮ LIỆU: THÔN, TỔ DÂN PHỐ VÀ ĐƠN VỊ");
  });

  it("is refused outside the user's scope and for a unit that is not a commune", async () => {
    expect((await officer.get(`/api/v1/imports/templates/units?orgUnitId=${hoaAn}`)).statusCode).toBe(403);
    const res = await admin.get(`/api/v1/imports/templates/units?orgUnitId=${thaiNguyen}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toBe(
      "Chỉ nhập thôn, tổ dân phố và đơn vị vào một xã/phường/đặc khu.",
    );
  });
});

describe("importing units", () => {
  const good: Line[] = [
    ["Thôn", "Thôn Đông", "T01"],
    ["Tổ dân phố", "Tổ dân phố Số 3"],
    ["Trường học", "Trường Tiểu học Bình Yên", "TH-BY"],
    ["cơ quan", "Ủy ban nhân dân xã Bình Yên"],
    ["Doanh nghiệp", "Công ty TNHH Chè Tân Cương", 1024],
    ["Đoàn thể", "Hội Phụ nữ xã"],
    ["TTHTCĐ", "Trung tâm học tập cộng đồng xã Bình Yên"],
  ];
  const bad: Line[] = [
    ["Bệnh viện", "Trạm y tế xã"],
    ["Thôn", "Thôn <Tây>"],
    ["Trường học", "Trường Mầm non Hoa Sen", "MN 01"],
    ["Trung tâm học tập cộng đồng", "Trung tâm thứ hai"],
    ["Thôn/Bản/Ấp/Tổ dân phố", "thôn đông"],
  ];

  it("checks every row first, says what is wrong per row and column, and writes nothing", async () => {
    const before = await snapshot();
    const job = await check(officer, binhYen, await unitWorkbook([...good, ...bad]));
    expect(job).toMatchObject({
      status: "checked",
      kindTitle: "Thôn, tổ dân phố và đơn vị",
      rows: { total: 12, invalid: 5, new: 7, updated: 0, unchanged: 0, suspected: 0 },
      problemCount: 5,
    });
    expect(job.problems).toEqual([
      {
        sheet: "Đơn vị",
        row: 9,
        column: "Loại đơn vị",
        message:
          "Chỉ nhận một trong: Thôn/Bản/Ấp/Tổ dân phố, Cơ quan, Trường học, Doanh nghiệp, Tổ chức cấp xã, Trung tâm học tập cộng đồng.",
      },
      {
        sheet: "Đơn vị",
        row: 10,
        column: "Tên đơn vị",
        message: "Tên không được chứa các ký tự < > { } \\.",
      },
      {
        sheet: "Đơn vị",
        row: 11,
        column: "Mã",
        message: "Mã chỉ gồm chữ không dấu, số và các ký tự . _ -",
      },
      {
        sheet: "Đơn vị",
        row: 12,
        column: "Loại đơn vị",
        message: "Dòng 8 của tệp đã là trung tâm học tập cộng đồng; mỗi xã chỉ có một trung tâm.",
      },
      {
        sheet: "Đơn vị",
        row: 13,
        column: "Tên đơn vị",
        message: "Trùng với dòng 2 của tệp (cùng loại đơn vị và tên).",
      },
    ]);
    expect(await snapshot()).toBe(before);

    // "All or nothing" refuses the file and writes nothing.
    const refused = await commitJob(officer, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot()).toBe(before);

    // "Only the valid rows" creates the seven good ones.
    const counts = await subjects(officer, binhYen);
    const done = await commitJob(officer, job.id, "valid");
    expect(done).toMatchObject({
      type: "result",
      job: { status: "imported", committedMode: "valid", rows: { new: 7, invalid: 5 } },
    });
    const children = await childrenOf(officer, binhYen);
    expect(children.map((c) => [c.kind, c.name, c.code]).sort()).toEqual(
      [
        ["village", "Thôn Đồng Bục", null],
        ["village", "Thôn Đông", "T01"],
        ["village", "Tổ dân phố Số 3", null],
        ["school", "Trường Tiểu học Bình Yên", "TH-BY"],
        ["agency", "Ủy ban nhân dân xã Bình Yên", null],
        ["enterprise", "Công ty TNHH Chè Tân Cương", "1024"],
        ["commune_body", "Hội Phụ nữ xã", null],
        ["learning_centre", "Trung tâm học tập cộng đồng xã Bình Yên", null],
      ].sort(),
    );
    // The counters at once: two villages more (CĐHT thôn), four units (ĐVHT); the centre is neither.
    const after = await subjects(officer, binhYen);
    expect(after.cdht_thon).toBe((counts.cdht_thon ?? 0) + 2);
    expect(after.dvht).toBe((counts.dvht ?? 0) + 4);
    expect(await subjects(admin, thaiNguyen)).toMatchObject({ cdht_thon: 3, dvht: 4 });
    // Paths and the unit's own page, as for a unit created on the page.
    const school = children.find((c) => c.kind === "school") as Child;
    const detail = await officer.get(`/api/v1/org-units/${school.id}`);
    expect(detail.json()).toMatchObject({ name: "Trường Tiểu học Bình Yên", level: 3, current: true });
    expect(detail.json().path).toMatch(new RegExp(`/${binhYen}/${school.id}/$`));
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log
      where action = 'org_unit.created' and (after->>'parentId')::bigint = ${binhYen}`.execute(
      ctx.database.db,
    );
    expect(audit.rows[0]?.n).toBe(8);

    // The same records entered through the API in another commune give the same figures.
    const hoaAnBefore = await subjects(admin, hoaAn);
    for (const [kind, name] of [
      ["village", "Thôn Đông"],
      ["village", "Tổ dân phố Số 3"],
      ["school", "Trường Tiểu học Bình Yên"],
      ["agency", "Ủy ban nhân dân xã Bình Yên"],
      ["enterprise", "Công ty TNHH Chè Tân Cương"],
      ["commune_body", "Hội Phụ nữ xã"],
      ["learning_centre", "Trung tâm học tập cộng đồng xã Bình Yên"],
    ] as const) {
      await createUnit(admin, hoaAn, kind, name);
    }
    const hoaAnAfter = await subjects(admin, hoaAn);
    for (const model of Object.keys(after)) {
      expect((hoaAnAfter[model] ?? 0) - (hoaAnBefore[model] ?? 0), model).toBe(
        (after[model] ?? 0) - (counts[model] ?? 0),
      );
    }

    // A job is committed once.
    expect((await officer.post(`/api/v1/imports/${job.id}/commit`, { mode: "valid" })).statusCode).toBe(409);
  });

  it("re-importing the same file creates nothing; a changed spelling or code updates", async () => {
    const counts = await subjects(officer, binhYen);
    const before = await snapshot();
    const same = await check(officer, binhYen, await unitWorkbook(good));
    expect(same.rows).toMatchObject({ total: 7, new: 0, unchanged: 7, updated: 0 });
    await commitJob(officer, same.id, "all");
    expect(await snapshot()).toBe(before);

    const changed = await check(
      officer,
      binhYen,
      await unitWorkbook([
        ["Thôn", "THÔN ĐÔNG", ""],
        ["Tổ dân phố", "Tổ dân phố số 3", "TDP3"],
        ["Trường học", "Truong Tieu hoc Binh Yen"],
      ]),
    );
    // A name without marks (an old plain-text list) does not replace the name written with them.
    expect(changed.rows).toMatchObject({ total: 3, new: 0, updated: 2, unchanged: 1 });
    expect(changed.problems).toContainEqual({
      sheet: "Đơn vị",
      row: 2,
      column: "Tên đơn vị",
      message: "Sẽ sửa tên “Thôn Đông” thành “THÔN ĐÔNG”.",
      warning: true,
    });
    const done = await commitJob(officer, changed.id, "all");
    expect(done).toMatchObject({ type: "result", job: { rows: { updated: 2 } } });
    const children = await childrenOf(officer, binhYen);
    expect(children.filter((c) => c.kind !== "village" || c.name !== "Thôn Đồng Bục").length).toBe(7);
    expect(children.find((c) => c.name === "THÔN ĐÔNG")).toMatchObject({ code: "T01" });
    expect(children.find((c) => c.name === "Tổ dân phố số 3")).toMatchObject({ code: "TDP3" });
    expect(children.find((c) => c.kind === "school")).toMatchObject({
      name: "Trường Tiểu học Bình Yên",
      code: "TH-BY",
    });
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log
      where action = 'org_unit.updated'`.execute(ctx.database.db);
    expect(audit.rows[0]?.n).toBe(2);
    expect(await subjects(officer, binhYen)).toEqual(counts);
  });

  it("flags look-alikes for review instead of creating them, and creates them when asked", async () => {
    const job = await check(
      officer,
      binhYen,
      await unitWorkbook([
        ["Thôn", "Đồng Bục"],
        ["Cơ quan", "Trường Tiểu học Bình Yên"],
        ["Thôn", "Thôn Tây", "T01"],
        ["Doanh nghiệp", "Công ty Bình Minh"],
        ["Doanh nghiệp", "Bình Minh"],
        ["Cơ quan", "Công ty Bình Minh"],
      ]),
    );
    expect(job.rows).toMatchObject({ total: 6, new: 1, suspected: 5, invalid: 0 });
    expect(job.problems).toEqual([
      {
        sheet: "Đơn vị",
        row: 2,
        column: "Tên đơn vị",
        message: "Có thể trùng với Thôn Đồng Bục đã có. Chỉ nhập khi chắc đây là đơn vị khác.",
        warning: true,
      },
      {
        sheet: "Đơn vị",
        row: 3,
        column: "Tên đơn vị",
        message:
          "Có thể trùng với Trường Tiểu học Bình Yên (trường học) đã có. Chỉ nhập khi chắc đây là đơn vị khác.",
        warning: true,
      },
      {
        sheet: "Đơn vị",
        row: 4,
        column: "Mã",
        message:
          "Mã “T01” đã dùng cho THÔN ĐÔNG. Nếu đơn vị này đổi tên, hãy sửa tên trong ứng dụng. Chỉ nhập khi chắc đây là đơn vị khác.",
        warning: true,
      },
      {
        sheet: "Đơn vị",
        row: 6,
        column: "Tên đơn vị",
        message:
          "Có thể trùng với đơn vị ở dòng 5 của tệp (tên gần giống). Chỉ nhập khi chắc đây là đơn vị khác.",
        warning: true,
      },
      {
        sheet: "Đơn vị",
        row: 7,
        column: "Tên đơn vị",
        message:
          "Có thể trùng với đơn vị ở dòng 5 của tệp (tên gần giống). Chỉ nhập khi chắc đây là đơn vị khác.",
        warning: true,
      },
    ]);
    const before = (await childrenOf(officer, binhYen)).length;
    await commitJob(officer, job.id, "all");
    expect((await childrenOf(officer, binhYen)).length).toBe(before + 1);
    const again = await check(officer, binhYen, await unitWorkbook([["Thôn", "Đồng Bục"]]));
    expect(again.rows).toMatchObject({ suspected: 1 });
    await commitJob(officer, again.id, "all", true);
    const children = await childrenOf(officer, binhYen);
    expect(children.length).toBe(before + 2);
    expect(children.some((c) => c.name === "Đồng Bục" && c.kind === "village")).toBe(true);
  });

  it("refuses a second learning centre, and reads old TCVN3 text and its own headers' aliases", async () => {
    const file = await unitWorkbook(
      [
        ["Trung tâm HTCĐ", "Trung tâm khác"],
        [encodeLegacy("Thôn", "tcvn3"), encodeLegacy("Bản Nà Mòn", "tcvn3")],
      ],
      ["Loại", "Tên thôn, đơn vị", "Mã đơn vị"],
    );
    const job = await check(officer, binhYen, file);
    expect(job.rows).toMatchObject({ total: 2, invalid: 1, new: 1 });
    expect(job.cellsConverted).toBe(2);
    expect(job.problems).toEqual([
      {
        sheet: "Đơn vị",
        row: 2,
        column: "Tên đơn vị",
        message: "Xã Bình Yên đã có Trung tâm học tập cộng đồng xã Bình Yên; mỗi xã chỉ có một trung tâm.",
      },
    ]);
    await commitJob(officer, job.id, "valid");
    expect((await childrenOf(officer, binhYen)).some((c) => c.name === "Bản Nà Mòn")).toBe(true);
  });

  it("is authorised: another commune's officer, a viewer and a data-entry clerk cannot import", async () => {
    const file = await unitWorkbook(good);
    const other = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
    expect((await uploadForCheck(other, binhYen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const viewer = await createUser(ctx.app, admin, "xem.binhyen", "viewer", [binhYen]);
    expect((await uploadForCheck(viewer, binhYen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const clerk = await createUser(ctx.app, admin, "nhaplieu.binhyen", "data_entry", [binhYen]);
    expect((await uploadForCheck(clerk, binhYen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const job = await check(officer, binhYen, file);
    expect((await other.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
    expect((await viewer.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
  });
});
