import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANNOTATION_HEADER } from "../src/capabilities/imports/annotate.ts";
import {
  HOUSEHOLD_HEADERS,
  type HouseholdLine,
  householdCells,
} from "../src/capabilities/imports/import-fixtures.ts";
import { todayInVietnam } from "../src/domain/dates.ts";
import { loginAsAdmin, type TestClient } from "../src/testing/test-app.ts";
import { horizontalOverflow, type Journey, startJourney } from "./browser.ts";
import { binhYenAndThaiNguyen, createOfficer, downloadLink, openAs, screenshot } from "./fixtures.ts";

/**
 * Households from Excel in real headless Chromium against the real server: an officer of Xã Bình
 * Yên, on a phone, opens the commune's households, presses “Nhập từ Excel”, downloads the
 * template, fills it with 200 households of which 3 are wrong (an unknown village, a birth year
 * “abc”, no head's name), uploads it (a first upload cancelled with Hủy), sees the three rows
 * named, downloads the file annotated with its errors, fixes the three rows, uploads again, and
 * imports all 200 (a cancelled import and a dropped connection first, neither losing the check);
 * the commune's list and its learning-model figures count the 200 households at once.
 */
const YEAR = Number(todayInVietnam().slice(0, 4));
const OFFICER = "canbo.binhyen";
const VILLAGES = ["Thôn Đồng Bục", "Thôn Ao Sen", "Tổ dân phố Trung Tâm"];
/** Rows of the sheet (as Excel numbers them: the header is row 1) that the first file gets wrong. */
const BAD_VILLAGE_ROW = 43;
const BAD_YEAR_ROW = 104;
const NO_NAME_ROW = 169;
const BAD_ROWS = [BAD_VILLAGE_ROW, BAD_YEAR_ROW, NO_NAME_ROW];

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"];
const GIVEN = [
  "An",
  "Bình",
  "Cường",
  "Dũng",
  "Giang",
  "Hải",
  "Khánh",
  "Lâm",
  "Minh",
  "Nam",
  "Phúc",
  "Quang",
  "Sơn",
  "Tâm",
  "Uyên",
  "Vinh",
  "Xuân",
  "Yến",
  "Đạt",
  "Thắng",
];

let journey: Journey;
let admin: TestClient;
let binhYen: number;
let page: Page;

const shot = (name: string) => screenshot(page, name);

async function noHorizontalOverflow() {
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
}

const download = (name: string) => downloadLink(page, name);

async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  return book;
}

/** 200 households, each with its own name (unique even without diacritics), across the villages. */
function households(villages: readonly string[]): HouseholdLine[] {
  return Array.from({ length: 200 }, (_, i) => ({
    code: `H${String(i + 1).padStart(3, "0")}`,
    village: villages[i % villages.length] as string,
    headName: `${FAMILY[i % 10]} ${i % 2 ? "Thị" : "Văn"} ${GIVEN[Math.floor(i / 10)]}`,
    headBirthYear: 1950 + (i % 50),
    headSex: i % 2 ? "Nữ" : "Nam",
    ethnicity: i % 7 === 0 ? "Tày" : "Kinh",
    isPoor: i % 25 === 0 ? "x" : "",
  }));
}

async function householdsInCommune(): Promise<number> {
  const r = await journey.database.db
    .selectFrom("households as h")
    .innerJoin("org_units as v", "v.id", "h.village_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("v.path", "like", `%/${binhYen}/%`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

beforeAll(async () => {
  journey = await startJourney();
  admin = await loginAsAdmin(journey.app);
  ({ binhYen } = await binhYenAndThaiNguyen(admin));
  for (const name of VILLAGES) {
    const res = await admin.post("/api/v1/org-units", { parentId: binhYen, kind: "village", name });
    expect(res.statusCode, res.body).toBe(201);
  }
  await createOfficer(journey, admin, OFFICER, binhYen);
  ({ page } = await openAs(journey, OFFICER));
}, 120_000);

afterAll(async () => {
  await page?.context().close();
  await journey?.close();
});

describe("importing households from Excel on a phone", () => {
  let template: ExcelJS.Workbook;
  let villages: string[];
  let lines: HouseholdLine[];
  let book: ExcelJS.Workbook;

  it("opens the import from the commune's households", async () => {
    await page.getByRole("heading", { level: 1, name: "Xã Bình Yên" }).waitFor();
    await page.getByRole("link", { name: "Hộ gia đình", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Hộ gia đình" }).waitFor();
    await page.getByRole("region", { name: "Danh sách hộ" }).getByText("0 hộ", { exact: true }).waitFor();
    await noHorizontalOverflow();
    await shot("0-households-before");
    await page.getByRole("link", { name: "Nhập từ Excel" }).click();
    await page.getByRole("heading", { level: 1, name: "Nhập hộ gia đình từ Excel" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "1. Chuẩn bị tệp" }).waitFor();
    await page
      .getByRole("region", { name: "Các lần nhập gần đây" })
      .getByText("Chưa có lần nhập nào.")
      .waitFor();
    await noHorizontalOverflow();
    await shot("1-choose");
  });

  it("downloads the template: an XLSX with the sheet “Hộ gia đình” and the commune's villages", async () => {
    const { file, body } = await download("Tải tệp mẫu (Excel)");
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(body.subarray(0, 2).toString()).toBe("PK"); // a zip: an Office Open XML workbook
    template = await workbookOf(body);
    const sheet = template.getWorksheet("Hộ gia đình");
    expect(sheet).toBeDefined();
    expect((sheet as ExcelJS.Worksheet).getRow(1).values).toEqual([undefined, ...HOUSEHOLD_HEADERS]);
    const lists = template.getWorksheet("Danh mục") as ExcelJS.Worksheet;
    villages = (lists.getColumn(1).values as unknown[]).slice(2).map(String);
    expect([...villages].sort()).toEqual([...VILLAGES].sort());
  });

  it("checks a filled template of 200 rows and names the 3 bad rows; a first upload is cancelled", async () => {
    // The officer fills the template's own sheet: 200 households, three of them wrong.
    lines = households(villages);
    const at = (row: number) => lines[row - 2] as HouseholdLine;
    at(BAD_VILLAGE_ROW).village = "Thôn Không Có";
    at(BAD_YEAR_ROW).headBirthYear = "abc";
    at(NO_NAME_ROW).headName = "";
    book = template;
    const sheet = book.getWorksheet("Hộ gia đình") as ExcelJS.Worksheet;
    lines.forEach((h, i) => {
      sheet.getRow(i + 2).values = householdCells(h);
    });
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const input = page.getByLabel("Chọn tệp Excel (.xlsx) hoặc CSV");
    const upload = { name: "danh-sach-ho-binh-yen.xlsx", mimeType: "application/octet-stream", buffer: file };

    // The first upload is held on its way, shown in progress, and cancelled with Hủy.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/api/v1/imports/households/check*", async (route) => {
      await held;
      await route.abort().catch(() => {});
    });
    await input.setInputFiles(upload);
    await page.getByText("Đang gửi tệp danh-sach-ho-binh-yen.xlsx…").waitFor();
    await page.getByRole("progressbar", { name: "Tiến độ kiểm tra tệp" }).waitFor();
    await shot("2-checking");
    await page.getByRole("button", { name: "Hủy" }).click();
    await page.getByRole("status").filter({ hasText: "Đã hủy kiểm tra tệp. Chưa có gì được ghi." }).waitFor();
    release();
    await page.unroute("**/api/v1/imports/households/check*");

    await input.setInputFiles(upload);
    const result = page.getByRole("region", { name: "2. Kết quả kiểm tra" });
    await result.getByText("200 dòng: 197 dòng hợp lệ (197 thêm mới), 3 dòng có lỗi.").waitFor();
    const rows = result.locator("table.import-problems tbody tr");
    expect(await rows.count()).toBe(3);
    const texts = await rows.allInnerTexts();
    expect(texts.map((text) => Number(/\d+/.exec(text)?.[0]))).toEqual(BAD_ROWS);
    expect(texts[0]).toContain("Thôn Không Có");
    expect(texts[1]).toContain("abc");
    expect(texts[2]).toContain("Họ tên chủ hộ");
    // “All” is refused while rows are wrong, and says why; “only the valid rows” is offered.
    const all = result.getByRole("button", { name: "Nhập tất cả" });
    expect(await all.isDisabled()).toBe(true);
    await result.getByText("Chưa nhập tất cả được vì còn 3 dòng có lỗi.", { exact: false }).waitFor();
    await result.getByRole("button", { name: "Chỉ nhập 197 dòng hợp lệ" }).waitFor();
    await noHorizontalOverflow();
    await shot("3-checked-with-errors");
    expect(await householdsInCommune()).toBe(0);
  });

  it("downloads the annotated file: the “Lỗi” column has text on exactly the 3 bad rows", async () => {
    const { body } = await download("Tải tệp có ghi lỗi");
    const annotated = await workbookOf(body);
    const sheet = annotated.getWorksheet("Hộ gia đình") as ExcelJS.Worksheet;
    const header = sheet.getRow(1).values as unknown[];
    const column = header.indexOf(ANNOTATION_HEADER);
    expect(column).toBeGreaterThan(0);
    const marked: number[] = [];
    for (let r = 2; r <= 201; r++) {
      const value = sheet.getRow(r).getCell(column).value;
      if (value !== null && value !== undefined && String(value).trim() !== "") marked.push(r);
    }
    expect(marked).toEqual(BAD_ROWS);
    expect(String(sheet.getRow(BAD_YEAR_ROW).getCell(column).value)).toContain("Năm sinh chủ hộ");
  });

  it("checks the corrected file: 200 valid rows", async () => {
    const sheet = book.getWorksheet("Hộ gia đình") as ExcelJS.Worksheet;
    sheet.getRow(BAD_VILLAGE_ROW).getCell(2).value = villages[0] as string;
    sheet.getRow(BAD_YEAR_ROW).getCell(4).value = 1980;
    sheet.getRow(NO_NAME_ROW).getCell(3).value = "Lý Văn Sửa";
    const file = Buffer.from(await book.xlsx.writeBuffer());
    await page.getByLabel("Chọn tệp khác").setInputFiles({
      name: "danh-sach-ho-binh-yen-da-sua.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: file,
    });
    const result = page.getByRole("region", { name: "2. Kết quả kiểm tra" });
    await result.getByText("200 dòng, tất cả hợp lệ (200 thêm mới).").waitFor();
    await result.getByText("Tệp: danh-sach-ho-binh-yen-da-sua.xlsx").waitFor();
    expect(await result.locator("table.import-problems").count()).toBe(0);
    expect(await result.getByRole("button", { name: "Nhập tất cả" }).isEnabled()).toBe(true);
    await shot("4-checked-valid");
  });

  it("imports all 200: a cancelled import and a dropped connection lose nothing", async () => {
    const result = page.getByRole("region", { name: "2. Kết quả kiểm tra" });

    // Cancelled on its way: nothing written, the check still there to import again.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/api/v1/imports/*/commit", async (route) => {
      await held;
      await route.abort().catch(() => {});
    });
    await result.getByRole("button", { name: "Nhập tất cả" }).click();
    await page.getByRole("progressbar", { name: "Tiến độ nhập" }).waitFor();
    await result.getByText("Đang nhập: 0/200 dòng…").waitFor();
    await shot("5-committing");
    await result.getByRole("button", { name: "Hủy" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Đã hủy nhập: không có dữ liệu nào được ghi." })
      .waitFor();
    release();
    await page.unroute("**/api/v1/imports/*/commit");
    expect(await householdsInCommune()).toBe(0);

    // The connection drops: a plain Vietnamese message, and the import can simply be pressed again.
    await page.context().setOffline(true);
    await result.getByRole("button", { name: "Nhập tất cả" }).click();
    await result.getByRole("alert").filter({ hasText: "Không kết nối được máy chủ" }).waitFor();
    await result.getByText("200 dòng, tất cả hợp lệ (200 thêm mới).").waitFor();
    await page.context().setOffline(false);
    expect(await householdsInCommune()).toBe(0);

    await result.getByRole("button", { name: "Nhập tất cả" }).click();
    const done = page.getByRole("region", { name: "3. Đã nhập xong" });
    await done.getByRole("status").filter({ hasText: "Đã nhập 200 dòng: 200 thêm mới." }).waitFor();
    expect(await householdsInCommune()).toBe(200);
    expect(await done.getByRole("link", { name: "Xem danh sách hộ gia đình" }).getAttribute("href")).toBe(
      `/org-units/${binhYen}/households`,
    );
    const recent = page.getByRole("region", { name: "Các lần nhập gần đây" });
    await recent.getByText("Đã ghi 200 dòng.").waitFor();
    await recent.getByText("Đã nhập", { exact: true }).waitFor();
    await noHorizontalOverflow();
    await shot("6-done");
    // The first file's check can be opened again from the list (it was never imported).
    await recent.getByRole("button", { name: "Xem kết quả kiểm tra tệp danh-sach-ho-binh-yen.xlsx" }).click();
    await page
      .getByRole("region", { name: "2. Kết quả kiểm tra" })
      .getByText("200 dòng: 197 dòng hợp lệ (197 thêm mới), 3 dòng có lỗi.")
      .waitFor();
    expect(await page.locator("table.import-problems tbody tr").count()).toBe(3);
  });

  it("shows the 200 households in the list and in the commune's figures at once", async () => {
    await page.getByRole("link", { name: "← Danh sách hộ gia đình" }).click();
    await page.getByRole("heading", { level: 1, name: "Hộ gia đình" }).waitFor();
    const list = page.getByRole("region", { name: "Danh sách hộ" });
    await list.getByText("200 hộ", { exact: true }).waitFor();
    await page.getByLabel("Tìm hộ gia đình").fill("ly van sua");
    await list.getByText("1 hộ", { exact: true }).waitFor();
    await list.getByRole("link", { name: "Lý Văn Sửa" }).waitFor();
    await list.getByText(`${lines[NO_NAME_ROW - 2]?.village} · 1 người`, { exact: false }).waitFor();
    await noHorizontalOverflow();
    await shot("7-households-after");

    // A village lists its own share (every third row of the file), with the import beside the
    // button that adds one household.
    await page.goto(`${journey.baseUrl}/org-units/${binhYen}`);
    await page.getByRole("link", { name: villages[1] as string, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: villages[1] as string }).waitFor();
    await page.getByRole("link", { name: "Hộ gia đình", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Hộ gia đình" }).waitFor();
    await page.getByRole("region", { name: "Danh sách hộ" }).getByText("67 hộ", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Thêm hộ gia đình" }).waitFor();
    await page.getByRole("link", { name: "Nhập từ Excel" }).waitFor();
    await noHorizontalOverflow();
    await shot("7b-village-households");

    // The learning-model figures count the households as they are written, for the commune.
    const stats = await admin.get(`/api/v1/stats/learning-models?orgUnitId=${binhYen}&year=${YEAR}`);
    expect(stats.statusCode, stats.body).toBe(200);
    const gdht = (stats.json() as { models: { model: string; figures: { subjects: number } }[] }).models.find(
      (m) => m.model === "gdht",
    );
    expect(gdht?.figures.subjects).toBe(200);
    await page.goto(`${journey.baseUrl}/org-units/${binhYen}/dashboard`);
    await page.getByText(`Chưa có đăng ký năm ${YEAR} · 200 hộ gia đình`).first().waitFor();
    await shot("8-dashboard");
  });
});
