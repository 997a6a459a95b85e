import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInVietnam } from "../../domain/dates.ts";
import { startTestApp, type TestClient } from "../../testing/test-app.ts";
import { createFund, type Fund, fundWorld } from "../fund/fund-fixtures.ts";
import { checkFile, commitJob, sheetWorkbook, uploadForCheck } from "./import-fixtures.ts";
import type { JobView } from "./service.ts";

const KIND = "fund-entries";
const TODAY = todayInVietnam();
const YEAR = Number(TODAY.slice(0, 4));
/** The year the rows are posted in (ended, open); the year before it is closed. */
const LAST = YEAR - 1;
const CLOSED = LAST - 1;

const HEADERS = [
  "Quỹ",
  "Ngày (*)",
  "Loại (*)",
  "Số chứng từ",
  "Nguồn thu/Mục chi (*)",
  "Người nộp/Người nhận",
  "Số tiền (đồng) (*)",
  "Số người nhận",
  "Nội dung",
  "Mục đích chỉ định",
];

type Cell = string | number | null;
interface Line {
  fund?: string;
  date: string;
  kind: string;
  ref?: string;
  category: string;
  name?: string;
  amount: string | number;
  people?: number;
  description?: string;
  earmark?: string;
}
const cells = (l: Line): Cell[] => [
  l.fund ?? null,
  l.date,
  l.kind,
  l.ref ?? null,
  l.category,
  l.name ?? null,
  l.amount,
  l.people ?? null,
  l.description ?? null,
  l.earmark ?? null,
];

const workbook = (lines: Line[]): Promise<Buffer> =>
  sheetWorkbook([{ name: "Thu chi", rows: [HEADERS, ...lines.map(cells)] }]);

const check = (client: TestClient, unitId: number, file: Buffer): Promise<JobView> =>
  checkFile(client, unitId, file, "so-quy.xlsx", KIND);

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let world: Awaited<ReturnType<typeof fundWorld>>;
let general: Fund;
let named: Fund;
let hoaAnGeneral: Fund;
let hoaAnNamed: Fund;

beforeAll(async () => {
  ctx = await startTestApp();
  world = await fundWorld(ctx.app);
  general = await createFund(world.officer, {
    orgUnitId: world.binhYen,
    kind: "general",
    startYear: CLOSED,
    openingBalance: 10_000_000,
  });
  named = await createFund(world.officer, {
    orgUnitId: world.binhYen,
    kind: "named",
    name: "Quỹ học bổng Bình Yên",
    startYear: CLOSED,
  });
  hoaAnGeneral = await createFund(world.outsider, {
    orgUnitId: world.hoaAn,
    kind: "general",
    startYear: CLOSED,
    openingBalance: 10_000_000,
  });
  hoaAnNamed = await createFund(world.outsider, {
    orgUnitId: world.hoaAn,
    kind: "named",
    name: "Quỹ học bổng Hòa An",
    startYear: CLOSED,
  });
  for (const [client, fund] of [
    [world.officer, general],
    [world.outsider, hoaAnGeneral],
  ] as const) {
    const res = await client.post(`/api/v1/funds/${fund.id}/years/${CLOSED}/close`);
    expect(res.statusCode, res.body).toBe(200);
  }
});
afterAll(() => ctx.close());

/** The ledger, its lines, the roll-up and the fund audit entries. */
async function snapshot(): Promise<string> {
  const r = await sql<{ t: string }>`select (
      select coalesce(json_agg(e order by e.id), '[]'::json) from fund_entries e)::text
      || (select coalesce(json_agg(l order by l.id), '[]'::json) from fund_entry_lines l)::text
      || (select coalesce(json_agg(s order by s.org_unit_id, s.year, s.metric), '[]'::json) from fund_stats s)::text
      || (select count(*) from audit_log where action like 'fund.%')::text as t`.execute(ctx.database.db);
  return r.rows[0]?.t ?? "";
}

type Entry = Record<string, unknown> & { id: number; documentRef: string | null };
async function entries(client: TestClient, fundId: number): Promise<Entry[]> {
  const res = await client.get(`/api/v1/funds/${fundId}/entries?year=${LAST}&pageSize=500`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Entry[] }).items;
}
const comparable = (list: Entry[]) =>
  list.map(({ id: _i, fundId: _f, createdAt: _c, createdBy: _b, ...rest }) => rest);

async function stats(client: TestClient, unit: number, year: number) {
  const res = await client.get(`/api/v1/fund-stats?orgUnitId=${unit}&year=${year}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { figures: Record<string, unknown> }).figures;
}

const good: Line[] = [
  {
    date: `05/03/${LAST}`,
    kind: "Thu",
    ref: "PT01",
    category: "Doanh nghiệp",
    name: "Công ty TNHH Minh Phát",
    amount: "2.364.000.000 đ",
    description: "Ủng hộ quỹ",
  },
  { date: `06/03/${LAST}`, kind: "thu", category: "Hội viên", name: "Nguyễn Văn An", amount: "1.500.000" },
  {
    date: `02/10/${LAST}`,
    kind: "Chi",
    ref: "PC01",
    category: "Học bổng",
    amount: 20_000_000,
    people: 40,
    description: "Học bổng Ngày Khuyến học 2/10",
  },
  {
    date: `03/10/${LAST}`,
    kind: "Chi",
    ref: "PC02",
    category: "Khen thưởng học sinh",
    name: "Trần Thị Bình",
    amount: "500.000",
  },
  {
    fund: "Quỹ học bổng Bình Yên",
    date: `01/04/${LAST}`,
    kind: "Thu",
    ref: "PT01",
    category: "Cá nhân, nhà hảo tâm",
    name: "Lê Văn Cường",
    amount: "2.000.000",
    earmark: "Học bổng cho học sinh nghèo",
  },
];

describe("the fund entries template", () => {
  it("has the sheet with its Vietnamese headers, Thu/Chi, the unit's funds and the sources and purposes as drop-downs", async () => {
    const res = await world.officer.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${world.binhYen}`);
    expect(res.statusCode, res.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "Hướng dẫn",
      "Thu chi",
      "Ví dụ - Thu chi",
      "Danh mục",
    ]);
    const sheet = book.getWorksheet("Thu chi") as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    const rules = (
      sheet as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }
    ).dataValidations;
    expect(rules.find("C2")?.formulae?.[0]).toBe('"Thu,Chi"');
    expect(rules.find("A2")?.formulae?.[0]).toContain("Danh mục");
    expect(rules.find("E2")?.formulae?.[0]).toContain("Danh mục");
    const lists = book.getWorksheet("Danh mục") as ExcelJS.Worksheet;
    expect(lists.getColumn(1).values).toEqual([
      undefined,
      "fund",
      "Quỹ khuyến học Xã Bình Yên",
      "Quỹ học bổng Bình Yên",
    ]);
    expect(lists.getColumn(2).values).toContain("Hội viên đóng góp");
    expect(lists.getColumn(2).values).toContain("Khen thưởng học sinh");
  });

  it("is refused outside the scope and for a unit without a fund", async () => {
    expect(
      (await world.outsider.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${world.binhYen}`)).statusCode,
    ).toBe(403);
    const res = await world.admin.get(`/api/v1/imports/templates/${KIND}?orgUnitId=${world.thaiNguyen}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toBe(
      "Tỉnh Thái Nguyên chưa mở quỹ khuyến học nào: hãy mở quỹ trước khi nhập thu, chi.",
    );
  });
});

describe("importing fund entries", () => {
  const bad: Line[] = [
    { date: `10/05/${CLOSED}`, kind: "Thu", category: "Hội viên", name: "Hồ Văn Dũng", amount: "300.000" },
    { date: `04/10/${LAST}`, kind: "Chi", ref: "PC03", category: "Học bổng", amount: "1.000.000" },
    { date: `07/03/${LAST}`, kind: "Thu", category: "Xổ số", amount: "1,5" },
    { date: `05/10/${LAST}`, kind: "Chi", ref: "PC04", category: "Chi hoạt động", amount: "9.999.999.999" },
    { date: `08/03/${LAST}`, kind: "Thu", ref: "PT01", category: "Doanh nghiệp", amount: "1.000.000" },
    { fund: "Quỹ không có", date: `08/03/${LAST}`, kind: "Thu", category: "Nguồn khác", amount: "100.000" },
    {
      date: `06/10/${LAST}`,
      kind: "Chi",
      category: "Hỗ trợ",
      name: "Vi Văn Lả",
      amount: "600.000",
      people: 5,
    },
    { date: `31/12/${YEAR + 1}`, kind: "Thu", category: "Nguồn khác", amount: "100.000" },
  ];

  it("checks every row with the fund's own rules, writes nothing; 'valid' posts the good rows as the app would", async () => {
    const before = await snapshot();
    const job = await check(world.clerk, world.binhYen, await workbook([...good, ...bad]));
    expect(job).toMatchObject({
      status: "checked",
      rows: { total: 13, invalid: 8, new: 5, updated: 0, unchanged: 0, suspected: 0 },
    });
    const sheet = "Thu chi";
    expect(job.problems).toEqual([
      {
        sheet,
        row: 7,
        column: "Ngày",
        message: `Năm ${CLOSED} của quỹ đã khóa sổ, không ghi thêm được. Nếu cần sửa, hãy ghi bút toán điều chỉnh vào năm đang mở, hoặc đề nghị quản trị viên mở lại sổ.`,
      },
      {
        sheet,
        row: 8,
        column: "Số người nhận",
        message: "Nhập số người nhận (số suất), hoặc danh sách người nhận.",
      },
      {
        sheet,
        row: 9,
        column: "Số tiền (đồng)",
        message: "Số tiền là số nguyên đồng, không có phần thập phân. Dùng dấu chấm để tách nhóm: 1.500.000.",
      },
      {
        sheet,
        row: 9,
        column: "Nguồn thu/Mục chi",
        message:
          "Khoản thu: nguồn thu là một trong: Doanh nghiệp; Cá nhân, nhà hảo tâm; Hội viên đóng góp; Ngân sách nhà nước; Tổ chức, đoàn thể khác; Nguồn khác.",
      },
      {
        sheet,
        row: 10,
        column: "Số tiền (đồng)",
        message:
          "Số dư của Quỹ khuyến học Xã Bình Yên hiện là 2.355.000.000 đồng, không đủ để chi 9.999.999.999 đồng.",
      },
      { sheet, row: 11, column: "Số chứng từ", message: "Số chứng từ “PT01” đã có ở dòng 2 của tệp." },
      {
        sheet,
        row: 12,
        column: "Quỹ",
        message:
          "Xã Bình Yên không có quỹ “Quỹ không có”. Các quỹ của đơn vị: Quỹ khuyến học Xã Bình Yên; Quỹ học bổng Bình Yên.",
      },
      {
        sheet,
        row: 13,
        column: "Người nộp/Người nhận",
        message:
          "Khoản chi cho 5 người: để trống “Người nộp/Người nhận” (danh sách người nhận nhập trong ứng dụng), chỉ ghi số người nhận.",
      },
      { sheet, row: 14, column: "Ngày", message: "Ngày ghi sổ không được sau ngày hôm nay." },
    ]);
    expect(await snapshot()).toBe(before);

    const refused = await commitJob(world.clerk, job.id, "all");
    expect(refused).toMatchObject({ type: "error", problem: { status: 409, code: "import_has_errors" } });
    expect(await snapshot()).toBe(before);

    const done = await commitJob(world.clerk, job.id, "valid");
    expect(done).toMatchObject({ type: "result", job: { status: "imported", rows: { new: 5, invalid: 8 } } });

    // The same five postings entered in the app, at Hòa An.
    const typed: [Fund, "receipts" | "disbursements", Record<string, unknown>][] = [
      [
        hoaAnGeneral,
        "receipts",
        {
          date: `${LAST}-03-05`,
          documentRef: "PT01",
          donorType: "business",
          donorName: "Công ty TNHH Minh Phát",
          amount: 2_364_000_000,
          description: "Ủng hộ quỹ",
        },
      ],
      [
        hoaAnGeneral,
        "receipts",
        { date: `${LAST}-03-06`, donorType: "member", donorName: "Nguyễn Văn An", amount: 1_500_000 },
      ],
      [
        hoaAnGeneral,
        "disbursements",
        {
          date: `${LAST}-10-02`,
          documentRef: "PC01",
          purpose: "scholarship",
          amount: 20_000_000,
          beneficiaries: 40,
          description: "Học bổng Ngày Khuyến học 2/10",
        },
      ],
      [
        hoaAnGeneral,
        "disbursements",
        {
          date: `${LAST}-10-03`,
          documentRef: "PC02",
          purpose: "award_pupil",
          amount: 500_000,
          lines: [{ pupilName: "Trần Thị Bình", amount: 500_000 }],
        },
      ],
      [
        hoaAnNamed,
        "receipts",
        {
          date: `${LAST}-04-01`,
          documentRef: "PT01",
          donorType: "individual",
          donorName: "Lê Văn Cường",
          amount: 2_000_000,
          earmark: "Học bổng cho học sinh nghèo",
        },
      ],
    ];
    for (const [fund, what, body] of typed) {
      const res = await world.outsider.post(`/api/v1/funds/${fund.id}/${what}`, body);
      expect(res.statusCode, res.body).toBe(201);
    }
    expect(comparable(await entries(world.officer, general.id))).toEqual(
      comparable(await entries(world.outsider, hoaAnGeneral.id)),
    );
    expect(comparable(await entries(world.officer, named.id))).toEqual(
      comparable(await entries(world.outsider, hoaAnNamed.id)),
    );
    const own = await stats(world.officer, world.binhYen, LAST);
    expect(own).toEqual(await stats(world.outsider, world.hoaAn, LAST));
    expect(own).toMatchObject({ receipts: "2367500000", disbursements: "20500000" });
    expect((await stats(world.province, world.thaiNguyen, LAST)).receipts).toBe("2367500000");
    const fund = (await world.officer.get(`/api/v1/funds/${general.id}`)).json() as { balance: string };
    expect(fund.balance).toBe("2355000000");
    const audit = await sql<{ action: string; n: number }>`select action, count(*)::int as n from audit_log
      where action in ('fund.receipt_posted', 'fund.disbursement_posted') and org_unit_id = ${world.binhYen}
      group by action order by action`.execute(ctx.database.db);
    expect(audit.rows).toEqual([
      { action: "fund.disbursement_posted", n: 2 },
      { action: "fund.receipt_posted", n: 3 },
    ]);
  });

  it("re-importing posts nothing; another amount under a posted voucher is refused, pointing to a reversal", async () => {
    const before = await snapshot();
    const same = await check(world.officer, world.binhYen, await workbook(good));
    expect(same.rows).toMatchObject({ total: 5, unchanged: 5, new: 0, invalid: 0 });
    await commitJob(world.officer, same.id, "all");
    expect(await snapshot()).toBe(before);

    const posted = (await entries(world.officer, general.id)).find((e) => e.documentRef === "PT01") as Entry;
    const changed = await check(
      world.officer,
      world.binhYen,
      await workbook([
        { ...(good[0] as Line), amount: "2.400.000.000" },
        { ...(good[1] as Line), amount: "1.600.000" },
        { ...(good[3] as Line), description: "Khen thưởng học sinh giỏi" },
      ]),
    );
    expect(changed.rows).toMatchObject({ total: 3, invalid: 1, suspected: 1, unchanged: 1 });
    expect(changed.problems).toEqual([
      {
        sheet: "Thu chi",
        row: 2,
        column: "Số tiền (đồng)",
        message: `Chứng từ “PT01” đã được ghi với số tiền 2.364.000.000 đồng (bút toán số ${posted.id}), khác số tiền trong tệp (2.400.000.000 đồng). Bút toán đã ghi không sửa được: hãy đảo bút toán số ${posted.id} trong ứng dụng rồi nhập lại dòng này.`,
      },
      expect.objectContaining({ row: 3, column: "Số tiền (đồng)", warning: true }),
      expect.objectContaining({ row: 4, column: "Nội dung", warning: true }),
    ]);
    expect(changed.problems[1]?.message).toContain(
      "với số tiền khác: nếu là sửa số tiền, hãy đảo bút toán đó",
    );
    await commitJob(world.officer, changed.id, "valid");
    expect(await snapshot()).toBe(before);

    // Reversed in the app, the voucher takes its corrected amount; the old amount is a suspect.
    const award = (await entries(world.officer, general.id)).find((e) => e.documentRef === "PC02") as Entry;
    const reversed = await world.officer.post(`/api/v1/funds/${general.id}/entries/${award.id}/reverse`, {
      reason: "Sai số tiền",
    });
    expect(reversed.statusCode, reversed.body).toBe(201);
    const again = await check(world.officer, world.binhYen, await workbook([good[3] as Line]));
    expect(again.rows).toMatchObject({ suspected: 1 });
    expect(again.problems[0]?.message).toBe(
      `Khoản này đã được ghi (bút toán số ${award.id}) rồi đã bị đảo. Chỉ nhập lại khi chắc chắn cần ghi lại.`,
    );
    const fixed = await check(
      world.officer,
      world.binhYen,
      await workbook([{ ...(good[3] as Line), amount: "600.000" }]),
    );
    expect(fixed.rows).toMatchObject({ new: 1 });
    await commitJob(world.officer, fixed.id, "all");
    const fund = (await world.officer.get(`/api/v1/funds/${general.id}`)).json() as { balance: string };
    expect(fund.balance).toBe("2354900000");
    // The year's book: the corrected award beside the original, which points at its reversal (dated today).
    const award2 = (await entries(world.officer, general.id)).filter((e) => e.documentRef === "PC02");
    expect(award2.map((e) => [e.amount, e.lineCount, e.reversedBy !== null])).toEqual([
      ["600000", 1, false],
      ["500000", 1, true],
    ]);
  });

  it("is authorised: another commune's officer and a viewer cannot import", async () => {
    const file = await workbook(good);
    expect((await uploadForCheck(world.outsider, world.binhYen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    expect((await uploadForCheck(world.viewer, world.binhYen, file, "x.xlsx", KIND)).statusCode).toBe(403);
    const job = await check(world.officer, world.binhYen, file);
    expect((await world.outsider.post(`/api/v1/imports/${job.id}/commit`, { mode: "all" })).statusCode).toBe(
      403,
    );
  });
});
