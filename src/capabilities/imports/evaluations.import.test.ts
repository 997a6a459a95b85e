import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInVietnam } from "../../domain/dates.ts";
import {
  createUnit,
  createUser,
  loginAsAdmin,
  startTestApp,
  type TestClient,
} from "../../testing/test-app.ts";
import { registryWorld } from "../registry/registry-fixtures.ts";
import {
  checkFile,
  commitJob,
  householdWorkbook,
  lastLine,
  sheetWorkbook,
  uploadForCheck,
} from "./import-fixtures.ts";
import type { JobView } from "./service.ts";

const Y = Number(todayInVietnam().slice(0, 4));

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officer: TestClient;
let world: Awaited<ReturnType<typeof registryWorld>>;

const GDHT_HEADERS = [
  "Mã hộ",
  "Thôn/Tổ dân phố",
  "Họ tên chủ hộ (*)",
  "Năm sinh chủ hộ",
  "Năm (*)",
  "Tiêu chí 1.1",
  "Tiêu chí 1.2",
  "Tiêu chí 1.3",
  "Tiêu chí 2.1",
  "Tiêu chí 2.2",
  "Tiêu chí 2.3",
  "Tiêu chí 3.1",
  "Tiêu chí 4.1",
  "Gửi bình xét",
];
const DHHT_HEADERS = [
  "Dòng họ (*)",
  "Năm (*)",
  "Tiêu chí 2.1",
  "Tiêu chí 2.2",
  "Tiêu chí 2.3",
  "Gửi bình xét",
];

type Cell = string | number;
type Sheets = Record<string, { headers: string[]; rows: Cell[][] }>;

const workbook = (sheets: Sheets): Promise<Buffer> =>
  sheetWorkbook(
    Object.entries(sheets).map(([name, { headers, rows }]) => ({ name, rows: [headers, ...rows] })),
  );

const check = (client: TestClient, unitId: number, file: Buffer, name = "danh-gia.xlsx"): Promise<JobView> =>
  checkFile(client, unitId, file, name, "evaluations");

/** Everything an evaluation import could touch. */
async function snapshot(withAudit = true) {
  const r = await sql<{ t: string }>`select (
      select coalesce(json_agg(e order by e.id), '[]'::json) from evaluations e)::text
      || (select coalesce(json_agg(s order by s.org_unit_id, s.year, s.model, s.metric), '[]'::json) from model_stats s)::text
      || ${withAudit ? sql`(select count(*) from audit_log)::text` : sql`''`} as t`.execute(ctx.database.db);
  return r.rows[0]?.t ?? "";
}

type Item = {
  id: number;
  subjectName: string;
  status: string;
  total: number | null;
  ratingLabel: string | null;
};

async function list(client: TestClient, unitId: number, model: string): Promise<Item[]> {
  const res = await client.get(
    `/api/v1/evaluations?orgUnitId=${unitId}&model=${model}&year=${Y}&pageSize=500`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Item[] }).items;
}

const shown = (items: Item[]) =>
  items
    .map((i) => [i.subjectName, i.status, i.total, i.ratingLabel])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

async function figures(client: TestClient, unitId: number, model: string) {
  const res = await client.get(`/api/v1/stats/learning-models?orgUnitId=${unitId}&year=${Y}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { models: { model: string; figures: unknown }[] }).models.find(
    (m) => m.model === model,
  )?.figures;
}

async function householdId(villageId: number, headName: string): Promise<number> {
  const r = await sql<{
    id: number;
  }>`select id from households where village_id = ${villageId} and head_name = ${headName}`.execute(
    ctx.database.db,
  );
  return Number(r.rows[0]?.id);
}

const HOUSEHOLDS = (village: string) => [
  { code: "H001", village, headName: "Lương Văn Tám", headBirthYear: 1968 },
  { code: "H002", village, headName: "Hoàng Thị Mai", headBirthYear: 1975 },
  { code: "H003", village, headName: "Triệu Văn Páo", headBirthYear: 1980 },
  { village, headName: "Đinh Văn Lực", headBirthYear: 1960 },
];

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  world = await registryWorld(admin);
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [world.communeA]);
  // The same four households and one clan in both communes: Bình Yên imports its evaluations,
  // Hòa An enters the same ones through the evaluations API, and both must read the same.
  for (const [commune, village] of [
    [world.communeA, "Thôn Đồng Bục"],
    [world.communeB, "Xóm Nà Hoàng"],
  ] as const) {
    const res = await uploadForCheck(admin, commune, await householdWorkbook(HOUSEHOLDS(village)));
    const last = lastLine(res);
    if (last.type !== "result") throw new Error(JSON.stringify(last));
    expect((await commitJob(admin, last.job.id, "all")).type).toBe("result");
    const clan = await admin.post("/api/v1/clans", { communeId: commune, name: "Dòng họ Lương" });
    expect(clan.statusCode, clan.body).toBe(201);
  }
});
afterAll(() => ctx.close());

describe("the evaluations template", () => {
  it("has one sheet per learning model, with a column per criterion of the framework that applies", async () => {
    const res = await officer.get(`/api/v1/imports/templates/evaluations?orgUnitId=${world.communeA}`);
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names = book.worksheets.map((w) => w.name);
    expect(names.slice(0, 7)).toEqual([
      "Hướng dẫn",
      "Gia đình học tập",
      "Dòng họ học tập",
      "Cộng đồng học tập cấp thôn",
      "Đơn vị học tập",
      "Cộng đồng học tập cấp xã",
      "Công dân học tập",
    ]);
    expect(names).toContain("Ví dụ - Gia đình học tập");
    expect(names[names.length - 1]).toBe("Danh mục");
    const gdht = book.getWorksheet("Gia đình học tập") as ExcelJS.Worksheet;
    expect((gdht.getRow(1).values as unknown[]).slice(1)).toEqual(GDHT_HEADERS);
    // Derived criteria (computed from the registry) have no column.
    const dhht = book.getWorksheet("Dòng họ học tập") as ExcelJS.Worksheet;
    expect((dhht.getRow(1).values as unknown[]).slice(1)).toEqual(DHHT_HEADERS);
    const rules = (ws: ExcelJS.Worksheet): { find(a: string): ExcelJS.DataValidation | undefined } =>
      (ws as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } })
        .dataValidations;
    expect(rules(gdht).find("B2")?.formulae?.[0]).toContain("Danh mục");
    expect(rules(gdht).find("F10")).toMatchObject({ type: "whole", formulae: [0, 10] });
    expect(rules(gdht).find("M10")).toMatchObject({ type: "whole", formulae: [0, 20] });
    expect(rules(dhht).find("C3")?.formulae?.[0]).toBe('"Đạt,Không đạt"');
    expect(rules(dhht).find("A2")?.formulae?.[0]).toContain("Danh mục");
    // The instructions give each criterion's text.
    const guide = book.getWorksheet("Hướng dẫn") as ExcelJS.Worksheet;
    const texts: string[] = [];
    guide.eachRow((row) => texts.push(String(row.getCell(3).value ?? "")));
    expect(texts.some((t) => t.includes("Trẻ em trong độ tuổi phổ cập") && t.includes("0 đến 10 điểm"))).toBe(
      true,
    );
    const lists = book.getWorksheet("Danh mục") as ExcelJS.Worksheet;
    const columns = [1, 2, 3, 4].map((i) => (lists.getColumn(i).values as unknown[]).slice(1));
    expect(columns).toContainEqual(["clan", "Dòng họ Lương"]);
    expect(columns).toContainEqual(["village", "Thôn Ao Sen", "Thôn Đồng Bục"]);
  });

  it("is refused outside the user's scope and for a unit that is not a commune", async () => {
    expect(
      (await officer.get(`/api/v1/imports/templates/evaluations?orgUnitId=${world.communeB}`)).statusCode,
    ).toBe(403);
    const res = await admin.get(`/api/v1/imports/templates/evaluations?orgUnitId=${world.provinceA}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toContain("xã/phường");
  });
});

describe("importing registrations and self-assessment scores", () => {
  const full = [10, 10, 10, 10, 10, 10, 20, 20];
  const goodGdht: Cell[][] = [
    ["H001", "", "Lương Văn Tám", "", Y, ...full, ""],
    ["", "Đồng Bục", "Hoàng Thị Mai", 1975, Y, "", "", "", "", "", "", "", "", ""],
    ["H003", "", "TRIỆU VĂN PÁO", "", Y, 10, 8, 10, 10, 5, 10, 15, 20, "x"],
  ];
  const goodDhht: Cell[][] = [["dòng họ lương", Y, "Đạt", "x", "Không đạt", ""]];
  const file = (gdht: Cell[][], dhht: Cell[][] = []) =>
    workbook({
      "Gia đình học tập": { headers: GDHT_HEADERS, rows: gdht },
      ...(dhht.length > 0 ? { "Dòng họ học tập": { headers: DHHT_HEADERS, rows: dhht } } : {}),
    });

  it("checks every row, says what is wrong per row and column, writes nothing; then imports the valid rows", async () => {
    const bad: Cell[][] = [
      ["", "Thôn Đồng Bục", "Đinh Văn Lực", 1961, Y],
      ["", "Thôn Đồng Bục", "Đinh Văn Lực", 1960, Y, 10, 10, "", "", "", "", "", "", "x"],
      ["H002", "", "Hoàng Thị Mai", "", Y],
      ["H009", "", "Không Có", "", Y],
      ["H001", "", "Lương Văn Tám", "", Y + 5],
      ["H001", "", "Lương Văn Tám", "", Y - 1, 11],
    ];
    const badDhht: Cell[][] = [["Dòng họ Ma", Y, "", "", "", ""]];
    const before = await snapshot();
    const job = await check(
      officer,
      world.communeA,
      await file([...goodGdht, ...bad], [...goodDhht, ...badDhht]),
    );
    expect(job).toMatchObject({
      status: "checked",
      rows: { total: 11, invalid: 7, new: 4, updated: 0, unchanged: 0 },
      problemCount: 7,
    });
    const sheet = "Gia đình học tập";
    // Row 5: the birth year differs from the household's: not found, the look-alike named.
    expect(job.problems).toContainEqual({
      sheet,
      row: 5,
      column: "Họ tên chủ hộ",
      message:
        "Không tìm thấy hộ Đinh Văn Lực (chủ hộ sinh 1961) ở Thôn Đồng Bục trong sổ hộ gia đình: hãy nhập hộ trước (mẫu “Hộ gia đình”). Có hộ gần giống: Đinh Văn Lực (sinh 1960).",
    });
    // Row 6: handed in with criteria unscored: the service's own messages, beside each criterion.
    expect(job.problems).toContainEqual({
      sheet,
      row: 6,
      column: "Tiêu chí 1.3",
      message: "Cần chấm điểm tiêu chí này.",
    });
    expect(job.problems.filter((p) => p.row === 6).map((p) => p.column)).toEqual([
      "Tiêu chí 1.3",
      "Tiêu chí 2.1",
      "Tiêu chí 2.2",
      "Tiêu chí 2.3",
      "Tiêu chí 3.1",
      "Tiêu chí 4.1",
    ]);
    expect(job.problems).toContainEqual({
      sheet,
      row: 7,
      column: "Họ tên chủ hộ",
      message: `Hoàng Thị Mai đã có ở dòng 3 của trang này (cùng năm ${Y}).`,
    });
    expect(job.problems).toContainEqual({
      sheet,
      row: 8,
      column: "Mã hộ",
      message: "Không có hộ mã “H009” trong sổ hộ gia đình của Xã Bình Yên.",
    });
    expect(job.problems).toContainEqual({
      sheet,
      row: 9,
      column: "Năm",
      message: `Chỉ đăng ký được đến năm ${Y + 1}.`,
    });
    expect(job.problems).toContainEqual({
      sheet,
      row: 10,
      column: "Tiêu chí 1.1",
      message: "Phải là số nguyên từ 0 đến 10.",
    });
    expect(job.problems).toContainEqual({
      sheet: "Dòng họ học tập",
      row: 3,
      column: "Dòng họ",
      message: "Không có dòng họ “Dòng họ Ma” trong sổ dòng họ của Xã Bình Yên.",
    });
    expect(await snapshot()).toBe(before);

    // "All or nothing" refuses the file.
    const refused = await commitJob(officer, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot()).toBe(before);

    // "Only the valid rows" registers three households and the clan, with their scores.
    const done = await commitJob(officer, job.id, "valid");
    expect(done).toMatchObject({ type: "result", job: { status: "imported", rows: { new: 4, invalid: 7 } } });
    expect(shown(await list(officer, world.communeA, "gdht"))).toEqual([
      ["Hoàng Thị Mai", "registered", null, null],
      ["Lương Văn Tám", "draft", 100, "Đạt"],
      ["Triệu Văn Páo", "submitted", 88, "Đạt"],
    ]);
    const clans = await list(officer, world.communeA, "dhht");
    expect(clans.map((c) => [c.subjectName, c.status])).toEqual([["Dòng họ Lương", "draft"]]);
    const detail = await officer.get(`/api/v1/evaluations/${clans[0]?.id}`);
    expect(detail.json().answers).toEqual({ "2.1": true, "2.2": true, "2.3": false });
  });

  it("reads the same as the same evaluations entered through the API, counters and audit included", async () => {
    // Hòa An: the same records, through the evaluations API.
    const village = world.villageB1;
    const ids = {
      tam: await householdId(village, "Lương Văn Tám"),
      mai: await householdId(village, "Hoàng Thị Mai"),
      pao: await householdId(village, "Triệu Văn Páo"),
    };
    const reg = await admin.post("/api/v1/evaluations/register", {
      model: "gdht",
      year: Y,
      subjectIds: [ids.tam, ids.mai, ids.pao],
    });
    expect(reg.json()).toEqual({ registered: 3, alreadyRegistered: 0 });
    const items = await list(admin, world.communeB, "gdht");
    const idOf = (name: string) => items.find((i) => i.subjectName === name)?.id;
    const codes = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "4.1"];
    const answers = (points: number[]) => Object.fromEntries(codes.map((c, i) => [c, points[i] as number]));
    expect(
      (
        await admin.put(`/api/v1/evaluations/${idOf("Lương Văn Tám")}/answers`, {
          answers: answers([10, 10, 10, 10, 10, 10, 20, 20]),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await admin.put(`/api/v1/evaluations/${idOf("Triệu Văn Páo")}/answers`, {
          answers: answers([10, 8, 10, 10, 5, 10, 15, 20]),
          submit: true,
        })
      ).statusCode,
    ).toBe(200);
    const clan = await sql<{ id: number }>`select id from clans where commune_id = ${world.communeB}`.execute(
      ctx.database.db,
    );
    await admin.post("/api/v1/evaluations/register", {
      model: "dhht",
      year: Y,
      subjectIds: [Number(clan.rows[0]?.id)],
    });
    const clanEval = (await list(admin, world.communeB, "dhht"))[0]?.id;
    await admin.put(`/api/v1/evaluations/${clanEval}/answers`, {
      answers: { "2.1": true, "2.2": true, "2.3": false },
    });

    const strip = (items: Item[]) =>
      shown(items).map(([name, ...rest]) => [String(name).toLowerCase(), ...rest]);
    expect(strip(await list(officer, world.communeA, "gdht"))).toEqual(
      strip(await list(admin, world.communeB, "gdht")),
    );
    for (const model of ["gdht", "dhht"]) {
      expect(await figures(officer, world.communeA, model)).toEqual(
        await figures(admin, world.communeB, model),
      );
      expect(await figures(admin, world.provinceA, model)).toMatchObject(
        (await figures(admin, world.communeA, model)) as object,
      );
    }
    // The same audit entries as the API writes.
    const actions = async (commune: number) => {
      const r = await sql<{ action: string; n: number }>`
        select a.action, count(*)::int as n from audit_log a join org_units u on u.id = a.org_unit_id
        join org_units c on c.id = ${commune}
        where a.action like 'evaluation.%' and u.path like c.path || '%' group by a.action order by a.action`.execute(
        ctx.database.db,
      );
      return r.rows;
    };
    expect(await actions(world.communeA)).toEqual(await actions(world.communeB));
    expect(await actions(world.communeA)).toEqual([
      { action: "evaluation.registered", n: 2 },
      { action: "evaluation.saved", n: 2 },
      { action: "evaluation.submitted", n: 1 },
    ]);
  });

  it("re-importing the same file changes nothing; changed scores update only where the cycle allows", async () => {
    const before = await snapshot(false);
    const same = await check(officer, world.communeA, await file(goodGdht, goodDhht));
    expect(same.rows).toMatchObject({ total: 4, new: 0, updated: 0, unchanged: 4, invalid: 0 });
    expect((await commitJob(officer, same.id, "all")).type).toBe("result");
    expect(await snapshot(false)).toBe(before);

    // Lương Văn Tám (a draft) gets 8 on 1.1; Triệu Văn Páo, submitted, cannot be rescored;
    // a row with no scores for him leaves him as he is.
    const changed = await check(
      officer,
      world.communeA,
      await file([
        ["H001", "", "Lương Văn Tám", "", Y, 8],
        ["H003", "", "Triệu Văn Páo", "", Y, 10, 10],
        ["H002", "", "Hoàng Thị Mai", "", Y],
      ]),
    );
    expect(changed.rows).toMatchObject({ total: 3, updated: 1, invalid: 1, unchanged: 1 });
    expect(changed.problems).toContainEqual({
      sheet: "Gia đình học tập",
      row: 3,
      column: "",
      message: "Không thể lưu nháp khi đánh giá đang ở trạng thái “Chờ bình xét”.",
    });
    await commitJob(officer, changed.id, "valid");
    const tam = (await list(officer, world.communeA, "gdht")).find((i) => i.subjectName === "Lương Văn Tám");
    expect(tam).toMatchObject({ status: "draft", total: 98 });

    // Returned by the level above, Triệu Văn Páo may be rescored and handed in again.
    const pao = (await list(officer, world.communeA, "gdht")).find((i) => i.subjectName === "Triệu Văn Páo");
    const returned = await admin.post("/api/v1/evaluations/review", {
      ids: [pao?.id],
      decision: "return",
      comment: "Xem lại tiêu chí 2.2",
    });
    expect(returned.statusCode, returned.body).toBe(200);
    const again = await check(
      officer,
      world.communeA,
      await file([["H003", "", "Triệu Văn Páo", "", Y, "", "", "", "", 10, "", "", "", "x"]]),
    );
    expect(again.rows).toMatchObject({ updated: 1, invalid: 0 });
    await commitJob(officer, again.id, "all");
    expect((await list(officer, world.communeA, "gdht")).find((i) => i.id === pao?.id)).toMatchObject({
      status: "submitted",
      total: 93,
    });
  });

  it("registers villages, units, the commune and learning citizens, from XLSX or CSV", async () => {
    const school = await createUnit(admin, world.communeA, "school", "Trường Tiểu học Bình Yên");
    const citizen = await officer.post("/api/v1/citizens", {
      orgUnitId: world.communeA,
      fullName: "Ma Thị Hà",
      citizenGroup: 1,
      birthYear: 1990,
    });
    expect(citizen.statusCode, citizen.body).toBe(201);
    const job = await check(
      officer,
      world.communeA,
      await workbook({
        "Cộng đồng học tập cấp thôn": {
          headers: ["Thôn", "Năm", "Tiêu chí 2.1"],
          rows: [
            ["Ao Sen", Y, "Đạt"],
            ["Thôn Không Có", Y, ""],
          ],
        },
        "Đơn vị học tập": { headers: ["Tên đơn vị", "Năm"], rows: [["trường tiểu học bình yên", Y]] },
        "Cộng đồng học tập cấp xã": {
          headers: ["Xã/Phường", "Năm"],
          rows: [
            ["Bình Yên", Y],
            ["Xã Hòa An", Y],
          ],
        },
        "Công dân học tập": {
          headers: ["Họ và tên", "Năm sinh", "Năm", "1.1"],
          rows: [["Ma Thị Hà", 1990, Y, "x"]],
        },
      }),
    );
    expect(job.rows).toMatchObject({ total: 6, new: 4, invalid: 2 });
    expect(job.problems).toEqual(
      expect.arrayContaining([
        {
          sheet: "Cộng đồng học tập cấp thôn",
          row: 3,
          column: "Thôn/Tổ dân phố",
          message: `Không có thôn/tổ dân phố “Thôn Không Có” trong Xã Bình Yên (năm ${Y}).`,
        },
        {
          sheet: "Cộng đồng học tập cấp xã",
          row: 3,
          column: "Xã/Phường",
          message: "Tệp này nhập vào Xã Bình Yên, không phải “Xã Hòa An”.",
        },
      ]),
    );
    await commitJob(officer, job.id, "valid");
    expect((await list(officer, world.communeA, "cdht_thon")).map((i) => [i.subjectName, i.status])).toEqual([
      ["Thôn Ao Sen", "draft"],
    ]);
    expect((await list(officer, world.communeA, "dvht")).map((i) => i.subjectName)).toEqual([
      "Trường Tiểu học Bình Yên",
    ]);
    expect(school).toBeGreaterThan(0);
    expect((await list(officer, world.communeA, "cdht_xa")).map((i) => i.subjectName)).toEqual([
      "Xã Bình Yên",
    ]);
    expect(
      (await list(officer, world.communeA, "cdht_cong_dan")).map((i) => [i.subjectName, i.status]),
    ).toEqual([["Ma Thị Hà", "draft"]]);

    // A CSV holds one list: the one whose header it has.
    const csv = await check(
      officer,
      world.communeA,
      Buffer.from(`Thôn/Tổ dân phố,Năm\r\nThôn Đồng Bục,${Y}\r\nThôn Ao Sen,${Y}\r\n`),
      "thon.csv",
    );
    expect(csv.rows).toMatchObject({ total: 2, new: 1, unchanged: 1 });
    const none = await check(officer, world.communeA, Buffer.from("a,b\r\n1,2\r\n"), "x.csv");
    expect(none.status).toBe("failed");
    expect(none.message).toContain("Không tìm thấy danh sách nào của mẫu");
  });

  it("is authorised: another commune's officer and a viewer cannot import", async () => {
    const other = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [world.communeB]);
    const viewer = await createUser(ctx.app, admin, "xem.binhyen", "viewer", [world.communeA]);
    const f = await file(goodGdht);
    expect((await uploadForCheck(other, world.communeA, f, "x.xlsx", "evaluations")).statusCode).toBe(403);
    expect((await uploadForCheck(viewer, world.communeA, f, "x.xlsx", "evaluations")).statusCode).toBe(403);
    const job = await check(officer, world.communeA, f);
    expect((await other.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(403);
  });
});
