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

const KIND = "literacy";
const BANDS = ["15–25", "26–35", "36–60"];
const HEADERS = [
  "Mã xã",
  "Tên xã",
  "Năm (*)",
  "Thời điểm điều tra",
  ...BANDS.flatMap((b) => [
    `Dân số, ${b} tuổi (*)`,
    `Biết chữ mức độ 1, ${b} tuổi (*)`,
    `Biết chữ mức độ 2, ${b} tuổi (*)`,
  ]),
  "Số người mới biết chữ tiếp tục học",
  "Xóa mù chữ",
  "Phổ cập giáo dục mầm non cho trẻ em 5 tuổi",
  "Phổ cập giáo dục tiểu học",
  "Phổ cập giáo dục trung học cơ sở",
];

type Cell = string | number | null;
/** Seed 003 (huyện Hòa An, 12/2019) in the three disjoint bands. */
const SEED = [7916, 7844, 7817, 12210, 12081, 11959, 19438, 19202, 18315];
const OTHER = [1000, 990, 980, 2000, 1990, 1900, 3000, 2950, 2900];

function line(
  code: Cell,
  name: Cell,
  year: Cell,
  figures: Cell[] = SEED,
  rest: { survey?: Cell; newly?: Cell; standards?: Cell[] } = {},
): Cell[] {
  return [
    code,
    name,
    year,
    rest.survey ?? null,
    ...figures,
    rest.newly ?? null,
    ...(rest.standards ?? [null, null, null, null]),
  ];
}

const workbook = (lines: Cell[][], headers = HEADERS): Promise<Buffer> =>
  sheetWorkbook([{ name: "Xóa mù chữ", rows: [headers, ...lines] }]);

const check = (client: TestClient, unitId: number, file: Buffer): Promise<JobView> =>
  checkFile(client, unitId, file, "xmc.xlsx", KIND);

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let provinceOfficer: TestClient;
let communeOfficer: TestClient;
let caoBangOfficer: TestClient;
let binhYen: number;
let hoaAn: number;
let thaiNguyen: number;
let caoBang: number;
let sibling: { id: number; name: string; code: string };
let caoBangSibling: number;
/** The code of a third commune of Thái Nguyên. */
let third: string;

async function unit(id: number) {
  return ctx.database.db
    .selectFrom("org_units")
    .select(["id", "name", "code", "parent_id"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  caoBang = (await unit(hoaAn)).parent_id as number;
  const s = await unit(await siblingCommune(admin, thaiNguyen, binhYen));
  sibling = { id: s.id, name: s.name, code: s.code as string };
  caoBangSibling = await siblingCommune(admin, caoBang, hoaAn);
  const others = await ctx.database.db
    .selectFrom("org_units")
    .select("code")
    .where("parent_id", "=", thaiNguyen)
    .where("kind", "=", "commune")
    .where("valid_to", "is", null)
    .where("id", "not in", [binhYen, sibling.id])
    .orderBy("id")
    .executeTakeFirstOrThrow();
  third = others.code as string;
  provinceOfficer = await createUser(ctx.app, admin, "xmc.thainguyen", "officer", [thaiNguyen]);
  communeOfficer = await createUser(ctx.app, admin, "xmc.binhyen", "officer", [binhYen]);
  caoBangOfficer = await createUser(ctx.app, admin, "xmc.caobang", "officer", [caoBang]);
});
afterAll(() => ctx.close());

async function snapshot(): Promise<string> {
  const r = await sql<{ t: string }>`select (
      select coalesce(json_agg(l order by l.org_unit_id, l.year), '[]'::json) from literacy_years l)::text
      || (select coalesce(json_agg(s order by s.org_unit_id, s.period, s.metric), '[]'::json) from literacy_stats s)::text
      || (select count(*) from audit_log where entity_type = 'literacy_year')::text as t`.execute(
    ctx.database.db,
  );
  return r.rows[0]?.t ?? "";
}

async function record(client: TestClient, commune: number, year: number) {
  const res = await client.get(`/api/v1/literacy/communes/${commune}/years/${year}`);
  expect(res.statusCode, res.body).toBe(200);
  const { record } = res.json() as { record: Record<string, unknown> | null };
  if (!record) return null;
  const { updatedAt: _u, ...rest } = record;
  return rest;
}

async function summary(client: TestClient, unitId: number, year: number) {
  const res = await client.get(`/api/v1/literacy/summary?orgUnitId=${unitId}&year=${year}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    communes: number;
    total: { reported: number; rows: { code: string; population: number }[] };
  };
}

describe("the literacy template", () => {
  it("has the sheet with its Vietnamese headers, the communes and the standards' levels as drop-downs", async () => {
    const res = await provinceOfficer.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${thaiNguyen}`);
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "Hướng dẫn",
      "Xóa mù chữ",
      "Ví dụ - Xóa mù chữ",
      "Danh mục",
    ]);
    const sheet = book.getWorksheet("Xóa mù chữ") as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    const rules = (
      sheet as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }
    ).dataValidations;
    expect(rules.find("B2")?.formulae?.[0]).toContain("Danh mục");
    expect(rules.find("O2")?.formulae?.[0]).toBe('"Chưa đạt,Mức độ 1,Mức độ 2"');
    expect(rules.find("P2")?.formulae?.[0]).toBe('"Chưa đạt,Đạt chuẩn"');
    expect(rules.find("R2")?.formulae?.[0]).toBe('"Chưa đạt,Mức độ 1,Mức độ 2,Mức độ 3"');
    const communes = (book.getWorksheet("Danh mục") as ExcelJS.Worksheet).getColumn(1).values as unknown[];
    expect(communes).toContain("Xã Bình Yên");
    expect(communes).toContain(sibling.name);
    // A commune's officer gets the template for the commune.
    expect(
      (await communeOfficer.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${binhYen}`)).statusCode,
    ).toBe(200);
  });

  it("is refused outside the scope and for a unit that is neither a province nor a commune", async () => {
    expect(
      (await communeOfficer.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${thaiNguyen}`)).statusCode,
    ).toBe(403);
    const nation = await ctx.database.db
      .selectFrom("org_units")
      .select("id")
      .where("level", "=", 0)
      .executeTakeFirstOrThrow();
    const res = await admin.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${nation.id}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toContain("tỉnh/thành phố");
  });
});

describe("importing literacy figures", () => {
  const good = () => [
    line("05587", "Xã Bình Yên", 2025, SEED, {
      survey: "01/12/2025",
      newly: 0,
      standards: ["Mức độ 2", "Đạt chuẩn", 3, "MĐ2"],
    }),
    line(null, sibling.name.replace(/^(Xã|Phường) /u, ""), 2025, OTHER, {
      standards: ["1", null, null, null],
    }),
    line(5587, null, 2026, OTHER),
  ];
  const bad = () => [
    line("01654", null, 2025),
    line("05587", null, 2019),
    line(sibling.code, null, 2025),
    line(null, "Xã Không Có", 2025),
    line(sibling.code, sibling.name, 2026, [100, 120, 130, ...OTHER.slice(3)]),
    line("05587", null, 2027),
    line(third, null, 2025, SEED, { survey: "01/12/2024" }),
    line("05587", "Xã Hòa An", 2026),
  ];

  it("checks every row, says what is wrong per row and column, writes nothing; 'valid' saves the good rows as the form would", async () => {
    const before = await snapshot();
    const job = await check(provinceOfficer, thaiNguyen, await workbook([...good(), ...bad()]));
    expect(job).toMatchObject({
      status: "checked",
      rows: { total: 11, invalid: 8, new: 3, updated: 0, unchanged: 0, suspected: 0 },
    });
    expect(job.problems).toEqual([
      {
        sheet: "Xóa mù chữ",
        row: 5,
        column: "Mã xã",
        message: "Xã mã “01654” không thuộc Tỉnh Thái Nguyên.",
      },
      {
        sheet: "Xóa mù chữ",
        row: 6,
        column: "Năm",
        message:
          "Xã Bình Yên không tồn tại trong năm 2019: nhập số liệu năm đó cho đơn vị hành chính khi ấy.",
      },
      {
        sheet: "Xóa mù chữ",
        row: 7,
        column: "Mã xã",
        message: "Trùng với dòng 3 của tệp (cùng xã, cùng năm).",
      },
      {
        sheet: "Xóa mù chữ",
        row: 8,
        column: "Tên xã",
        message: "Không có xã, phường “Xã Không Có” trong Tỉnh Thái Nguyên.",
      },
      {
        sheet: "Xóa mù chữ",
        row: 9,
        column: "Biết chữ mức độ 1, 15–25 tuổi",
        message: "Số người biết chữ mức độ 1 (15–25 tuổi) không được lớn hơn số dân trong độ tuổi.",
      },
      {
        sheet: "Xóa mù chữ",
        row: 9,
        column: "Biết chữ mức độ 2, 15–25 tuổi",
        message:
          "Số người biết chữ mức độ 2 (15–25 tuổi) không được lớn hơn số người biết chữ mức độ 1 (mức độ 2 là chuẩn cao hơn).",
      },
      {
        sheet: "Xóa mù chữ",
        row: 10,
        column: "Năm",
        message: "Chưa đến năm 2027: không nhập số liệu trước.",
      },
      {
        sheet: "Xóa mù chữ",
        row: 11,
        column: "Thời điểm điều tra",
        message: "Thời điểm điều tra phải thuộc năm 2025.",
      },
      {
        sheet: "Xóa mù chữ",
        row: 12,
        column: "Tên xã",
        message: "Mã xã “05587” là Xã Bình Yên, không phải “Xã Hòa An”.",
      },
    ]);
    expect(await snapshot()).toBe(before);

    const refused = await commitJob(provinceOfficer, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot()).toBe(before);

    const done = await commitJob(provinceOfficer, job.id, "valid");
    expect(done).toMatchObject({ type: "result", job: { status: "imported", rows: { new: 3, invalid: 8 } } });

    // The same two years of 2025 saved through the form, in Cao Bằng.
    const seedBands = {
      "15-25": { population: 7916, level1: 7844, level2: 7817 },
      "26-35": { population: 12210, level1: 12081, level2: 11959 },
      "36-60": { population: 19438, level1: 19202, level2: 18315 },
    };
    const otherBands = {
      "15-25": { population: 1000, level1: 990, level2: 980 },
      "26-35": { population: 2000, level1: 1990, level2: 1900 },
      "36-60": { population: 3000, level1: 2950, level2: 2900 },
    };
    const typed = [
      [
        hoaAn,
        {
          surveyDate: "2025-12-01",
          bands: seedBands,
          newlyLiterateContinuing: 0,
          standards: { xmc: 2, pcmn5: 1, pcth: 3, pcthcs: 2 },
        },
      ],
      [
        caoBangSibling,
        {
          surveyDate: null,
          bands: otherBands,
          newlyLiterateContinuing: null,
          standards: { xmc: 1, pcmn5: 0, pcth: 0, pcthcs: 0 },
        },
      ],
    ] as const;
    for (const [commune, body] of typed) {
      const res = await caoBangOfficer.put(`/api/v1/literacy/communes/${commune}/years/2025`, body);
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await record(provinceOfficer, binhYen, 2025)).toEqual(await record(caoBangOfficer, hoaAn, 2025));
    expect(await record(provinceOfficer, sibling.id, 2025)).toEqual(
      await record(caoBangOfficer, caoBangSibling, 2025),
    );
    expect((await summary(provinceOfficer, thaiNguyen, 2025)).total).toEqual(
      (await summary(caoBangOfficer, caoBang, 2025)).total,
    );
    expect((await summary(provinceOfficer, thaiNguyen, 2026)).total.reported).toBe(1);
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log
      where action = 'literacy.year.create' and org_unit_id in (${binhYen}, ${sibling.id})`.execute(
      ctx.database.db,
    );
    expect(audit.rows[0]?.n).toBe(3);
  });

  it("re-importing the same file creates nothing; a changed row corrects the year and the counters", async () => {
    const before = await snapshot();
    const same = await check(provinceOfficer, thaiNguyen, await workbook(good()));
    expect(same.rows).toMatchObject({ total: 3, unchanged: 3, new: 0, invalid: 0 });
    await commitJob(provinceOfficer, same.id, "all");
    expect(await snapshot()).toBe(before);

    // The commune's officer, into the commune: no code or name needed; blank standards keep theirs.
    const changed = await check(
      communeOfficer,
      binhYen,
      await workbook(
        [[2025, 8000, 7844, 7817, 12210, 12081, 11959, 19438, 19202, 18315]],
        ["Năm", ...HEADERS.slice(4, 13)],
      ),
    );
    expect(changed.rows).toMatchObject({ total: 1, updated: 1 });
    expect(await commitJob(communeOfficer, changed.id, "all")).toMatchObject({ type: "result" });
    const now = (await record(communeOfficer, binhYen, 2025)) as {
      bands: Record<string, { population: number }>;
      standards: Record<string, number>;
      surveyDate: string;
    };
    expect(now.bands["15-25"]?.population).toBe(8000);
    expect(now.standards).toEqual({ xmc: 2, pcmn5: 1, pcth: 3, pcthcs: 2 });
    expect(now.surveyDate).toBe("2025-12-01");
    const province = await summary(provinceOfficer, thaiNguyen, 2025);
    expect(province.total.reported).toBe(2);
    expect(province.total.rows.find((r) => r.code === "15-25")?.population).toBe(9000);
    const audit = await sql<{
      before: { bands: Record<string, { population: number }> };
      after: { bands: Record<string, { population: number }> };
    }>`
      select before, after from audit_log where action = 'literacy.year.update'`.execute(ctx.database.db);
    expect(
      audit.rows.map((r) => [r.before.bands["15-25"]?.population, r.after.bands["15-25"]?.population]),
    ).toEqual([[7916, 8000]]);
  });

  it("is authorised: another province's officer and a viewer cannot import", async () => {
    const file = await workbook(good());
    expect((await uploadForCheck(caoBangOfficer, thaiNguyen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    expect((await uploadForCheck(communeOfficer, thaiNguyen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const viewer = await createUser(ctx.app, admin, "xmc.viewer", "viewer", [thaiNguyen]);
    expect((await uploadForCheck(viewer, thaiNguyen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const job = await check(provinceOfficer, thaiNguyen, file);
    expect((await caoBangOfficer.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(
      403,
    );
  });
});
