import { existsSync, rmSync, writeFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { encodeLegacy } from "../../domain/import/legacy-encodings.ts";
import {
  countRows,
  createUser,
  loginAsAdmin,
  startTestApp,
  type TestClient,
} from "../../testing/test-app.ts";
import { registryWorld, snapshot } from "../registry/registry-fixtures.ts";
import { ANNOTATION_HEADER } from "./annotate.ts";
import {
  checkFile,
  commitJob,
  encodeWindows1252,
  encodeWindows1258,
  type HouseholdLine,
  householdCsv,
  householdWorkbook,
  lastLine,
  uploadForCheck,
} from "./import-fixtures.ts";
import { rowsCachePath } from "./run.ts";
import { checkImport, commitImport, type JobView, uploadPath } from "./service.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officer: TestClient;
let world: Awaited<ReturnType<typeof registryWorld>>;

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  world = await registryWorld(admin);
  officer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [world.communeA]);
});
afterAll(() => ctx.close());

async function householdsOf(villageId: number) {
  const rows = await sql<{
    head_name: string;
    code: string | null;
    member_count: number;
    is_near_poor: boolean;
    address: string | null;
  }>`
    select head_name, code, member_count, is_near_poor, address from households where village_id = ${villageId} order by id`.execute(
    ctx.database.db,
  );
  return rows.rows;
}

async function nationalAdmin() {
  const nation = await sql<{ path: string }>`select path from org_units where level = 0`.execute(
    ctx.database.db,
  );
  return {
    userId: 1,
    username: "admin",
    role: "admin" as const,
    scopePaths: [nation.rows[0]?.path as string],
    via: "session" as const,
  };
}

/** `lines` as a workbook, uploaded and dry-run by the national administrator into Xã Bình Yên. */
async function checkedByAdmin(lines: HouseholdLine[], fileName: string) {
  const path = uploadPath();
  writeFileSync(path, await householdWorkbook(lines));
  const principal = await nationalAdmin();
  const job = await checkImport(ctx.database.db, principal, {
    kind: "households",
    orgUnitId: world.communeA,
    fileName,
    path,
  });
  return { job, principal, path };
}

const systemAudit = { userId: 1, username: "admin", requestId: null, ip: null, userAgent: null };

async function subjectCount(unitId: number): Promise<number> {
  const r = await sql<{ n: string }>`select coalesce(sum(n), 0)::text as n from subject_counts
    where org_unit_id = ${unitId} and subject_kind = 'household'`.execute(ctx.database.db);
  return Number(r.rows[0]?.n ?? 0);
}

describe("the household template", () => {
  it("has the instructions, the lists with their Vietnamese headers, the villages as a drop-down and examples", async () => {
    const res = await officer.get(`/api/v1/imports/templates/households?orgUnitId=${world.communeA}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "Hướng dẫn",
      "Hộ gia đình",
      "Thành viên",
      "Ví dụ - Hộ gia đình",
      "Ví dụ - Thành viên",
      "Danh mục",
    ]);
    const sheet = book.getWorksheet("Hộ gia đình") as ExcelJS.Worksheet;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      "Mã hộ",
      "Thôn/Tổ dân phố (*)",
      "Họ tên chủ hộ (*)",
      "Năm sinh chủ hộ (*)",
      "Giới tính chủ hộ",
      "Dân tộc",
      "Địa chỉ",
      "Hộ nghèo",
      "Hộ cận nghèo",
      "Hộ dân tộc thiểu số",
    ]);
    const rules = (
      sheet as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }
    ).dataValidations;
    const villageRule = rules.find("B2");
    expect(villageRule?.type).toBe("list");
    expect(villageRule?.formulae?.[0]).toContain("Danh mục");
    const sexRule = rules.find("E100");
    expect(sexRule?.formulae?.[0]).toBe('"Nam,Nữ"');
    const lists = book.getWorksheet("Danh mục") as ExcelJS.Worksheet;
    expect(lists.state).toBe("hidden");
    expect(lists.getColumn(1).values).toEqual([undefined, "village", "Thôn Ao Sen", "Thôn Đồng Bục"]);
    const example = book.getWorksheet("Ví dụ - Hộ gia đình") as ExcelJS.Worksheet;
    expect(example.getRow(2).getCell(2).value).toBe("Thôn Ao Sen");
  });

  it("is refused for a unit outside the user's scope and for a province", async () => {
    expect(
      (await officer.get(`/api/v1/imports/templates/households?orgUnitId=${world.communeB}`)).statusCode,
    ).toBe(403);
    const res = await admin.get(`/api/v1/imports/templates/households?orgUnitId=${world.provinceA}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toContain("xã/phường");
  });
});

describe("importing households", () => {
  const good: HouseholdLine[] = [
    {
      code: "H001",
      village: "Thôn Đồng Bục",
      headName: "Lương Văn Tám",
      headBirthYear: 1968,
      headSex: "Nam",
      ethnicity: "Tày",
    },
    {
      code: "H002",
      village: "Đồng Bục",
      headName: "Hoàng Thị Mai",
      headBirthYear: "1975",
      headSex: "nữ",
      isNearPoor: "x",
    },
    {
      code: "H003",
      village: "thon ao sen",
      headName: "Triệu Văn Páo",
      headBirthYear: 1980,
      isEthnicMinority: "có",
    },
  ];
  const bad: HouseholdLine[] = [
    { code: "H004", village: "Thôn Không Có", headName: "Vi Văn Lả", headBirthYear: 1990 },
    {
      code: "H005",
      village: "Thôn Ao Sen",
      headName: "Ma Thị Hà",
      headBirthYear: "năm bảy mươi",
      isPoor: "x",
      isNearPoor: "x",
    },
  ];

  it("checks every row first, says what is wrong per row and column, and writes nothing", async () => {
    const before = await snapshot(ctx.database);
    const job = await checkFile(officer, world.communeA, await householdWorkbook([...good, ...bad]));
    expect(job).toMatchObject({
      status: "checked",
      fileFormat: "xlsx",
      rows: { total: 5, invalid: 2, new: 3, updated: 0, unchanged: 0, suspected: 0 },
      problemCount: 2,
    });
    expect(job.problems).toEqual(
      expect.arrayContaining([
        {
          sheet: "Hộ gia đình",
          row: 5,
          column: "Thôn/Tổ dân phố",
          message: "Không có thôn/tổ dân phố “Thôn Không Có” trong Xã Bình Yên.",
        },
        {
          sheet: "Hộ gia đình",
          row: 6,
          column: "Năm sinh chủ hộ",
          message: "Không phải là số: “năm bảy mươi”.",
        },
      ]),
    );
    expect(job.problems.some((p) => p.row === 6 && p.message.includes("vừa là hộ nghèo"))).toBe(false);
    // The dry run wrote only the job.
    expect(await snapshot(ctx.database)).toBe(before);

    // "All or nothing" refuses the file; nothing is written.
    const refused = await commitJob(officer, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot(ctx.database)).toBe(before);

    // The annotated file marks the two rows.
    const annotated = await officer.get(`/api/v1/imports/${job.id}/annotated`);
    expect(annotated.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(annotated.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Hộ gia đình") as ExcelJS.Worksheet;
    expect(sheet.getRow(1).getCell(11).value).toBe(ANNOTATION_HEADER);
    expect(String(sheet.getRow(5).getCell(11).value)).toContain("Không có thôn/tổ dân phố “Thôn Không Có”");
    expect(String(sheet.getRow(6).getCell(11).value)).toContain("Năm sinh chủ hộ: Không phải là số");
    expect(sheet.getRow(2).getCell(11).value).toBeNull();
    expect(sheet.getRow(3).getCell(3).value).toBe("Hoàng Thị Mai");

    // "Only the valid rows" imports the three good ones.
    const before2 = await subjectCount(world.communeA);
    const done = await commitJob(officer, job.id, "valid");
    expect(done).toMatchObject({
      type: "result",
      job: { status: "imported", committedMode: "valid", rows: { new: 3, invalid: 2 } },
    });
    expect(await subjectCount(world.communeA)).toBe(before2 + 3);
    expect(
      (await householdsOf(world.villageA1)).map((h) => [h.head_name, h.code, h.member_count, h.is_near_poor]),
    ).toEqual([
      ["Lương Văn Tám", "H001", 1, false],
      ["Hoàng Thị Mai", "H002", 1, true],
    ]);
    // Each new household: its head as first member, and its audit entry under its own id.
    const written = await sql<{ head_name: string; member: string; birth_year: number; after: unknown }>`
      select h.head_name, m.full_name as member, m.birth_year, a.after
      from households h
      join household_members m on m.household_id = h.id and m.is_head
      join audit_log a on a.action = 'household.imported' and a.entity_type = 'household'
                      and a.entity_id = h.id::text and a.org_unit_id = h.village_id
      where h.head_name in ('Lương Văn Tám', 'Hoàng Thị Mai')
      order by h.id`.execute(ctx.database.db);
    expect(written.rows).toMatchObject([
      {
        head_name: "Lương Văn Tám",
        member: "Lương Văn Tám",
        after: { headName: "Lương Văn Tám", code: "H001" },
      },
      {
        head_name: "Hoàng Thị Mai",
        member: "Hoàng Thị Mai",
        after: { headName: "Hoàng Thị Mai", isNearPoor: true },
      },
    ]);
    const audit = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_log where action = 'household.imported'`.execute(ctx.database.db);
    expect(audit.rows[0]?.n).toBe(3);
    const summary = await sql<{
      after: { new: number };
    }>`select after from audit_log where action = 'import.committed'`.execute(ctx.database.db);
    expect(summary.rows[0]?.after.new).toBe(3);

    // A job is committed once.
    const again = await officer.post(`/api/v1/imports/${job.id}/commit`, { mode: "valid" });
    expect(again.statusCode).toBe(409);
  });

  it("re-importing the same file creates nothing; a changed row updates; the members sheet adds members", async () => {
    const count = await subjectCount(world.communeA);
    const same = await checkFile(officer, world.communeA, await householdWorkbook(good));
    expect(same.rows).toMatchObject({ total: 3, new: 0, unchanged: 3 });
    const changed = await checkFile(
      officer,
      world.communeA,
      await householdWorkbook(
        [
          { ...(good[0] as HouseholdLine), address: "Xóm Giữa" },
          good[1] as HouseholdLine,
          good[2] as HouseholdLine,
        ],
        [
          { code: "H001", fullName: "Nông Thị Nhung", birthYear: 1970, sex: "Nữ" },
          { code: "H001", fullName: "Lương Văn Hải", birthYear: 1995, sex: "Nam" },
          { code: "H009", fullName: "Không Có Hộ", birthYear: 2000 },
        ],
      ),
    );
    expect(changed.rows).toMatchObject({ total: 6, new: 2, updated: 1, unchanged: 2, invalid: 1 });
    expect(changed.problems).toContainEqual({
      sheet: "Thành viên",
      row: 4,
      column: "Mã hộ",
      message: "Không có hộ mã “H009” ở trang “Hộ gia đình” hay trong Xã Bình Yên.",
    });
    const done = await commitJob(officer, changed.id, "valid");
    expect(done.type).toBe("result");
    expect(await subjectCount(world.communeA)).toBe(count);
    const tam = (await householdsOf(world.villageA1))[0];
    expect(tam).toMatchObject({ head_name: "Lương Văn Tám", address: "Xóm Giữa", member_count: 3 });
    const found = await officer.get(`/api/v1/households?communeId=${world.communeA}&q=nong thi nhung`);
    expect(found.json().items.map((h: { headName: string }) => h.headName)).toEqual(["Lương Văn Tám"]);
  });

  it("flags a look-alike household for review instead of merging it", async () => {
    const job = await checkFile(
      officer,
      world.communeA,
      await householdWorkbook([{ village: "Thôn Đồng Bục", headName: "Luong Van Tam", headBirthYear: 1968 }]),
    );
    expect(job.rows).toMatchObject({ total: 1, suspected: 1, new: 0 });
    expect(job.problems[0]).toMatchObject({ row: 2, column: "Họ tên chủ hộ", warning: true });
    expect(job.problems[0]?.message).toContain("Có thể trùng với hộ đã có: Lương Văn Tám (sinh 1968)");
    const before = (await householdsOf(world.villageA1)).length;
    await commitJob(officer, job.id, "all");
    expect((await householdsOf(world.villageA1)).length).toBe(before);
    const again = await checkFile(
      officer,
      world.communeA,
      await householdWorkbook([{ village: "Thôn Đồng Bục", headName: "Luong Van Tam", headBirthYear: 1968 }]),
    );
    await commitJob(officer, again.id, "all", true);
    expect((await householdsOf(world.villageA1)).length).toBe(before + 1);
  });

  it("refuses a second row with the same key in the file", async () => {
    const job = await checkFile(
      officer,
      world.communeA,
      await householdWorkbook([
        { village: "Thôn Ao Sen", headName: "Đinh Văn Lực", headBirthYear: 1960 },
        { village: "Ao Sen", headName: "Đinh Văn Lực", headBirthYear: 1960 },
      ]),
    );
    expect(job.problems).toContainEqual({
      sheet: "Hộ gia đình",
      row: 3,
      column: "Họ tên chủ hộ",
      message: "Trùng với hộ ở dòng 2 của tệp (cùng thôn, họ tên và năm sinh chủ hộ).",
    });
  });

  it("refuses a second row of the file that is the same household already there", async () => {
    const job = await checkFile(
      officer,
      world.communeA,
      await householdWorkbook([
        { code: "H001", village: "Thôn Đồng Bục", headName: "Lương Văn Tám", headBirthYear: 1968 },
        { village: "Đồng Bục", headName: "Lương Văn Tám", headBirthYear: 1968, address: "Xóm Trên" },
      ]),
    );
    expect(job.rows).toMatchObject({ total: 2, invalid: 1 });
    expect(job.problems).toContainEqual({
      sheet: "Hộ gia đình",
      row: 3,
      column: "Họ tên chủ hộ",
      message: "Dòng 2 của tệp cũng là hộ Lương Văn Tám đã có: mỗi hộ chỉ một dòng.",
    });
  });

  it("judges a household matched by an earlier row as it was before the run, whatever was written since", async () => {
    const lines: HouseholdLine[] = [
      // Row 2 renames the head of H002 (Hoàng Thị Mai); row 1,003, in the next batch, is her again.
      { code: "H002", village: "Thôn Đồng Bục", headName: "Hoàng Thị Mây", headBirthYear: 1975 },
      ...Array.from({ length: 1000 }, (_, i) => ({
        village: "Thôn Ao Sen",
        headName: `Người Đệm ${i}`,
        headBirthYear: 1900 + (i % 40),
      })),
      { village: "Thôn Đồng Bục", headName: "Hoàng Thị Mai", headBirthYear: 1975 },
    ];
    const { job, principal } = await checkedByAdmin(lines, "doi-ten.xlsx");
    const problem = {
      sheet: "Hộ gia đình",
      row: 1003,
      column: "Họ tên chủ hộ",
      message: "Dòng 2 của tệp cũng là hộ Hoàng Thị Mai đã có: mỗi hộ chỉ một dòng.",
    };
    expect(job.rows).toMatchObject({ new: 1000, updated: 1, invalid: 1 });
    expect(job.problems).toContainEqual(problem);
    const done = await commitImport(
      ctx.database.db,
      principal,
      job.id,
      { mode: "valid", includeSuspected: true },
      systemAudit,
    );
    expect(done.rows).toMatchObject({ new: 1000, updated: 1, invalid: 1 });
    expect(done.problems).toContainEqual(problem);
    const heads = await householdsOf(world.villageA1);
    expect(heads.filter((h) => h.head_name.startsWith("Hoàng Thị"))).toEqual([
      expect.objectContaining({ head_name: "Hoàng Thị Mây", code: "H002" }),
    ]);
  });

  it("stores names from TCVN3, VNI, NFD, Windows-1258 and UTF-16 files as the NFC originals", async () => {
    const names = ["Nguyễn Thị Hoà", "Đặng Văn Quyết", "Phạm Thị Thuỷ", "Bế Văn Đàn"];
    const village = "Thôn Đồng Bục";
    const lines = (transform: (s: string) => string, year: number) =>
      names.map((n) => ({ village: transform(village), headName: transform(n), headBirthYear: year }));
    const cases: { label: string; file: Buffer; year: number; converted: number; encoding: string | null }[] =
      [
        {
          label: "TCVN3",
          file: await householdWorkbook(lines((s) => encodeLegacy(s, "tcvn3"), 1950)),
          year: 1950,
          converted: 8,
          encoding: null,
        },
        {
          label: "VNI",
          file: await householdWorkbook(lines((s) => encodeLegacy(s, "vni"), 1951)),
          year: 1951,
          converted: 8,
          encoding: null,
        },
        {
          label: "NFD",
          file: await householdWorkbook(lines((s) => s.normalize("NFD"), 1952)),
          year: 1952,
          converted: 0,
          encoding: null,
        },
        {
          label: "Windows-1258 CSV",
          file: encodeWindows1258(householdCsv(lines((s) => s, 1953))),
          year: 1953,
          converted: 0,
          encoding: "windows-1258",
        },
        {
          label: "UTF-16 CSV",
          file: Buffer.concat([
            Buffer.from([0xff, 0xfe]),
            Buffer.from(householdCsv(lines((s) => s, 1954)), "utf16le"),
          ]),
          year: 1954,
          converted: 0,
          encoding: "utf-16le",
        },
        {
          label: "TCVN3 CSV (8-bit)",
          // The whole file in TCVN3, headers included, as an old Excel saved it.
          file: encodeWindows1252(encodeLegacy(householdCsv(lines((s) => s, 1955)), "tcvn3")),
          year: 1955,
          converted: 8,
          encoding: "windows-1252",
        },
      ];
    for (const c of cases) {
      const job = await checkFile(
        officer,
        world.communeA,
        c.file,
        c.label.includes("CSV") ? "ds.csv" : "ds.xlsx",
      );
      // The same names as the case before, another birth year: look-alikes, imported on request.
      expect(job.rows, c.label).toMatchObject({ total: 4, invalid: 0 });
      expect(job.rows.new + job.rows.suspected, c.label).toBe(4);
      expect(job.cellsConverted, c.label).toBe(c.converted);
      expect(job.encoding, c.label).toBe(c.encoding);
      await commitJob(officer, job.id, "all", true);
      const stored = await sql<{ head_name: string }>`
        select h.head_name from households h join household_members m on m.household_id = h.id and m.is_head
        where m.birth_year = ${c.year} order by h.id`.execute(ctx.database.db);
      expect(
        stored.rows.map((r) => r.head_name),
        c.label,
      ).toEqual(names);
    }
  });

  it("is authorised: another commune's officer and a viewer cannot import", async () => {
    const other = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [world.communeB]);
    const file = await householdWorkbook(good);
    expect((await uploadForCheck(other, world.communeA, file)).statusCode).toBe(403);
    const viewer = await createUser(ctx.app, admin, "xem.binhyen", "viewer", [world.communeA]);
    expect((await uploadForCheck(viewer, world.communeA, file)).statusCode).toBe(403);
    const job = await checkFile(officer, world.communeA, file);
    const res = await other.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" });
    expect(res.statusCode).toBe(403);
  });

  it("says in Vietnamese what is wrong with a file that is not a list of households", async () => {
    const noHeader = await checkFile(officer, world.communeA, Buffer.from("a,b,c\r\n1,2,3\r\n"), "x.csv");
    expect(noHeader.status).toBe("failed");
    expect(noHeader.message).toContain("Không tìm thấy danh sách “Hộ gia đình”");
    const broken = await checkFile(
      officer,
      world.communeA,
      Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(100)]),
      "x.xlsx",
    );
    expect(broken.status).toBe("failed");
    expect(broken.message).toContain("Không đọc được tệp");
    const missing = await uploadForCheck(
      officer,
      world.communeA,
      Buffer.from("Thôn/Tổ dân phố,Họ tên chủ hộ\r\nThôn Ao Sen,Ai Đó\r\n"),
      "y.csv",
    );
    expect(lastLine(missing)).toMatchObject({ type: "result", job: { status: "failed" } });
    expect(JSON.stringify(lastLine(missing))).toContain("thiếu cột bắt buộc: “Năm sinh chủ hộ”");
  });

  it("a cancelled commit leaves nothing behind", async () => {
    const many: HouseholdLine[] = Array.from({ length: 2500 }, (_, i) => ({
      village: "Thôn Ao Sen",
      headName: `Người Thứ ${i}`,
      headBirthYear: 1950 + (i % 50),
    }));
    const { job, principal } = await checkedByAdmin(many, "lon.xlsx");
    expect(job.rows.new).toBe(2500);
    const before = await snapshot(ctx.database);
    const controller = new AbortController();
    await expect(
      commitImport(
        ctx.database.db,
        principal,
        job.id,
        { mode: "all", includeSuspected: false },
        systemAudit,
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.rows >= 1000) controller.abort();
          },
        },
      ),
    ).rejects.toMatchObject({ code: "import_cancelled" });
    expect(await snapshot(ctx.database)).toBe(before);
  });

  it("a row found wrong while earlier batches are being written stops the commit, and nothing is left", async () => {
    // 3,500 rows: the commit checks each batch of 1,000 while the one before is written; the
    // second batch goes wrong, while the first is being written and the third is read.
    const many: HouseholdLine[] = Array.from({ length: 3500 }, (_, i) => ({
      code: `P${i}`,
      village: "Thôn Ao Sen",
      headName: `Người Ống ${i}`,
      headBirthYear: 1950 + (i % 50),
    }));
    const { job, principal } = await checkedByAdmin(many, "ong.xlsx");
    expect(job.rows).toMatchObject({ new: 3500, invalid: 0 });
    // Meanwhile someone records a household with the code of the file's row 1,502, in the other village.
    await sql`insert into households (village_id, head_name, search_key, sort_key, member_count, code)
      values (${world.villageA1}, 'Người Khác', 'nguoi khac', 'nguoi khac', 0, 'P1500')`.execute(
      ctx.database.db,
    );
    onTestFinished(async () => {
      await sql`delete from households where code = 'P1500'`.execute(ctx.database.db);
    });
    const before = await snapshot(ctx.database);
    const commit = commitImport(
      ctx.database.db,
      principal,
      job.id,
      { mode: "all", includeSuspected: false },
      systemAudit,
    );
    await expect(commit).rejects.toMatchObject({ code: "import_has_errors" });
    await expect(commit).rejects.toThrow("Dòng 1502 (trang “Hộ gia đình”) có lỗi");
    expect(await snapshot(ctx.database)).toBe(before);
  });

  it("commits the rows its dry run read (kept beside the file), or reads the file again when they are gone", async () => {
    const lines = (prefix: string): HouseholdLine[] =>
      Array.from({ length: 1200 }, (_, i) => ({
        village: i % 2 ? "Thôn Ao Sen" : "Thôn Đồng Bục",
        headName: `${prefix} Thị Số ${i}`,
        headBirthYear: 1940 + (i % 60),
      }));
    for (const keep of [true, false]) {
      const { job, principal, path } = await checkedByAdmin(lines(keep ? "Giữ" : "Đọc"), "giu.xlsx");
      expect(job.rows.new).toBe(1200);
      expect(existsSync(rowsCachePath(path))).toBe(true);
      if (!keep) rmSync(rowsCachePath(path));
      const before = await countRows(ctx.database, "households");
      const done = await commitImport(
        ctx.database.db,
        principal,
        job.id,
        { mode: "all", includeSuspected: false },
        systemAudit,
      );
      expect(done.rows).toMatchObject({ total: 1200, new: 1200, invalid: 0 });
      expect(await countRows(ctx.database, "households")).toBe(before + 1200);
      expect(existsSync(path) || existsSync(rowsCachePath(path))).toBe(false);
    }
  });

  it("shows a job's first 200 problems, marks every one in the annotated file, and keeps the 200 after the commit", async () => {
    const lines: HouseholdLine[] = [
      { village: "Thôn Ao Sen", headName: "Nông Văn Đủ", headBirthYear: 1961 },
      ...Array.from({ length: 250 }, (_, i) => ({
        village: "Thôn Không Có",
        headName: `Vi Thị Số ${i}`,
        headBirthYear: 1950 + (i % 40),
      })),
    ];
    const job = await checkFile(officer, world.communeA, await householdWorkbook(lines));
    expect(job).toMatchObject({ problemCount: 250, rows: { total: 251, invalid: 250, new: 1 } });
    expect(job.problems.map((p) => p.row)).toEqual(Array.from({ length: 200 }, (_, i) => i + 3));
    expect(job.problems[0]?.message).toContain("Không có thôn/tổ dân phố “Thôn Không Có”");

    const annotated = await officer.get(`/api/v1/imports/${job.id}/annotated`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(annotated.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Hộ gia đình") as ExcelJS.Worksheet;
    const marked = Array.from({ length: 252 }, (_, i) => sheet.getRow(i + 1).getCell(11).value);
    expect(marked.filter((v) => String(v).includes("Thôn Không Có"))).toHaveLength(250);
    expect(marked[1]).toBeNull();

    // The list of a unit's jobs carries no problems; the job itself still shows its 200.
    const list = await officer.get(`/api/v1/imports?orgUnitId=${world.communeA}`);
    const listed = (list.json() as JobView[]).find((j) => j.id === job.id);
    expect(listed).toMatchObject({ problemCount: 250, problems: [] });
    expect((await officer.get(`/api/v1/imports/${job.id}`)).json().problems).toHaveLength(200);

    const done = await commitJob(officer, job.id, "valid");
    expect(done).toMatchObject({ type: "result", job: { status: "imported", problemCount: 250 } });
    if (done.type === "result") expect(done.job.problems).toEqual(job.problems);
    const stored = await sql<{ n: number }>`
      select jsonb_array_length(problems -> 'list')::int as n from import_jobs where id = ${job.id}`.execute(
      ctx.database.db,
    );
    expect(stored.rows[0]?.n).toBe(200);
  });
});
