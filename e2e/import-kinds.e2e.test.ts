import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInVietnam } from "../src/domain/dates.ts";
import { toDhis2Period } from "../src/domain/dhis2/periods.ts";
import { periodCode, periodOf } from "../src/domain/periods.ts";
import { createUserAndLogin, loginAsAdmin, type TestClient } from "../src/testing/test-app.ts";
import { horizontalOverflow, type Journey, startJourney } from "./browser.ts";
import { binhYenAndThaiNguyen, createOfficer, downloadLink, openAs, screenshot } from "./fixtures.ts";

/**
 * Importing any kind from Excel, and exchanging figures with DHIS2, in real headless Chromium
 * against the real server, on a phone. The officer of Xã Bình Yên opens “Nhập dữ liệu từ Excel”
 * from the commune's page, picks “Thu, chi quỹ khuyến học”, downloads its template, fills four
 * rows of the cash book (one with a decimal amount), sees the wrong row named, imports the three
 * valid ones, and finds them at once in the fund (balance and ledger). Then, on “Trao đổi số
 * liệu với DHIS2”, downloads the commune's year as DHIS2 CSV (the imported receipts are there),
 * and uploads a DHIS2 file of targets: the dry run shows every value (one out of scope refused,
 * an actual figure skipped), the corrected file imports its two targets, and the Association's
 * report shows them as targets.
 */
const TODAY = todayInVietnam();
const YEAR = Number(TODAY.slice(0, 4));
/** dd/mm/yyyy, as the officer types a date. */
const TODAY_VN = `${TODAY.slice(8, 10)}/${TODAY.slice(5, 7)}/${YEAR}`;
/** The Association's year now (1 November – 31 October), its XHHT code and DHIS2 code. */
const ASSOCIATION_YEAR = periodOf("reporting_year", TODAY, { startMonth: 11 });
const ASSOCIATION_PERIOD = periodCode(ASSOCIATION_YEAR);
const ASSOCIATION_DHIS2 = toDhis2Period(ASSOCIATION_YEAR) as string;
const OFFICER = "canbo.binhyen";
const FUND_HEADERS = [
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

let journey: Journey;
let admin: TestClient;
let officer: TestClient;
let binhYen: number;
let fundId: number;
let page: Page;

const shot = (name: string) => screenshot(page, name);

async function noHorizontalOverflow() {
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
}

const download = (name: string) => downloadLink(page, name);

beforeAll(async () => {
  journey = await startJourney();
  admin = await loginAsAdmin(journey.app);
  ({ binhYen } = await binhYenAndThaiNguyen(admin));
  officer = await createOfficer(journey, admin, OFFICER, binhYen);
  // The commune's fund, opened this year with nothing in it.
  const fund = await officer.post("/api/v1/funds", { orgUnitId: binhYen, kind: "general", startYear: YEAR });
  expect(fund.statusCode, fund.body).toBe(201);
  fundId = (fund.json() as { id: number }).id;
  ({ page } = await openAs(journey, OFFICER));
}, 120_000);

afterAll(async () => {
  await page?.context().close();
  await journey?.close();
});

describe("importing a fund's receipts and disbursements from Excel on a phone", () => {
  let template: ExcelJS.Workbook;

  it("opens the index of imports from the commune's page and picks the fund's cash book", async () => {
    await page.getByRole("heading", { level: 1, name: "Xã Bình Yên" }).waitFor();
    const tasks = page.getByRole("navigation", { name: "Công việc của đơn vị" });
    await tasks.getByRole("heading", { name: "Nhập, trao đổi dữ liệu" }).waitFor();
    await tasks.getByRole("link", { name: "Trao đổi số liệu với DHIS2" }).waitFor();
    await tasks.getByRole("link", { name: "Nhập dữ liệu từ Excel" }).scrollIntoViewIfNeeded();
    await noHorizontalOverflow();
    await shot("k0-unit");
    await tasks.getByRole("link", { name: "Nhập dữ liệu từ Excel" }).click();
    await page.getByRole("heading", { level: 1, name: "Nhập dữ liệu từ Excel" }).waitFor();
    const kinds = page.getByRole("region", { name: "Các loại dữ liệu" });
    // The kinds a commune officer imports into a commune, by the server's titles.
    for (const title of [
      "Hộ gia đình",
      "Dòng họ",
      "Lớp học, chuyên đề của TTHTCĐ",
      "Số liệu xóa mù chữ",
      "Chỉ tiêu",
    ]) {
      await kinds.getByRole("link", { name: title, exact: true }).waitFor();
    }
    await kinds.getByText("Các khoản thu, chi của quỹ khuyến học của đơn vị", { exact: false }).waitFor();
    await page
      .getByRole("region", { name: "Các lần nhập gần đây (mọi loại)" })
      .getByText("Chưa có lần nhập nào.")
      .waitFor();
    await noHorizontalOverflow();
    await shot("k1-index");

    await kinds.getByRole("link", { name: "Thu, chi quỹ khuyến học", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Nhập thu, chi quỹ khuyến học từ Excel" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/org-units/${binhYen}/import/fund-entries`);
    await page.getByText("Nhập vào: Xã Bình Yên").waitFor();
    await page.getByRole("heading", { level: 2, name: "1. Chuẩn bị tệp" }).waitFor();
    await page.getByText("điền mỗi dòng một mục vào trang “Thu chi”", { exact: false }).waitFor();
    // The columns, folded away, say which are required.
    await page.getByText("Các cột của tệp").click();
    await page.locator(".import-columns dt", { hasText: "Số tiền (đồng)" }).getByText("(bắt buộc)").waitFor();
    await page.getByRole("link", { name: "← Quỹ khuyến học" }).waitFor();
    await noHorizontalOverflow();
    await shot("k2-fund-entries");
  });

  it("downloads the template: the sheet “Thu chi” with the cash book's columns", async () => {
    const { file, body } = await download("Tải tệp mẫu (Excel)");
    expect(file.suggestedFilename()).toBe("mau-nhap-fund-entries.xlsx");
    template = new ExcelJS.Workbook();
    await template.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = template.getWorksheet("Thu chi") as ExcelJS.Worksheet;
    expect(sheet).toBeDefined();
    expect(sheet.getRow(1).values).toEqual([undefined, ...FUND_HEADERS]);
  });

  it("checks the filled template: three valid rows, the decimal amount named", async () => {
    const sheet = template.getWorksheet("Thu chi") as ExcelJS.Worksheet;
    const rows: (string | number | null)[][] = [
      [
        null,
        TODAY_VN,
        "Thu",
        "PT01",
        "Doanh nghiệp",
        "Công ty TNHH Minh Phát",
        "50.000.000",
        null,
        "Ủng hộ quỹ",
      ],
      [null, TODAY_VN, "Thu", "PT02", "Cá nhân", "Nguyễn Văn An", "2.000.000", null, null],
      [null, TODAY_VN, "Chi", "PC01", "Học bổng", null, "10.000.000", 20, "Học bổng Ngày Khuyến học 2/10"],
      [null, TODAY_VN, "Thu", "PT03", "Doanh nghiệp", "Công ty Sai Số", "1.500.000,5", null, null],
    ];
    rows.forEach((cells, i) => {
      sheet.getRow(i + 2).values = cells;
    });
    await page.getByLabel("Chọn tệp Excel (.xlsx) hoặc CSV").setInputFiles({
      name: "so-quy-binh-yen.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: Buffer.from(await template.xlsx.writeBuffer()),
    });
    const result = page.getByRole("region", { name: "2. Kết quả kiểm tra" });
    await result.getByText("4 dòng: 3 dòng hợp lệ (3 dòng mới), 1 dòng có lỗi.").waitFor();
    const problems = result.locator("table.import-problems tbody tr");
    expect(await problems.count()).toBe(1);
    // Row 5 of the sheet (the header is row 1), the amount column, the fund's own message.
    expect(await problems.locator("td").first().textContent()).toBe("5");
    const problem = await problems.textContent();
    expect(problem).toContain("Số tiền");
    expect(problem).toContain("không có phần thập phân");
    expect(await result.getByRole("button", { name: "Nhập tất cả" }).isDisabled()).toBe(true);
    await noHorizontalOverflow();
    await shot("k3-checked");
    const ledger = await officer.get(`/api/v1/funds/${fundId}/entries?year=${YEAR}`);
    expect((ledger.json() as { total: number }).total).toBe(0);

    // The check waits on the index of imports too, and opens again on its kind's page.
    await page.getByRole("link", { name: "Nhập loại dữ liệu khác" }).click();
    await page.getByRole("heading", { level: 1, name: "Nhập dữ liệu từ Excel" }).waitFor();
    const recent = page.getByRole("region", { name: "Các lần nhập gần đây (mọi loại)" });
    await recent.getByText("Thu, chi quỹ khuyến học", { exact: false }).waitFor();
    await recent.getByRole("link", { name: "Xem kết quả kiểm tra tệp so-quy-binh-yen.xlsx" }).click();
    await page
      .getByRole("region", { name: "2. Kết quả kiểm tra" })
      .getByText("4 dòng: 3 dòng hợp lệ (3 dòng mới), 1 dòng có lỗi.")
      .waitFor();
    expect(new URL(page.url()).pathname).toBe(`/org-units/${binhYen}/import/fund-entries`);
  });

  it("imports the three valid rows and the fund shows them at once", async () => {
    await page.getByRole("button", { name: "Chỉ nhập 3 dòng hợp lệ" }).click();
    const done = page.getByRole("region", { name: "3. Đã nhập xong" });
    await done.getByRole("status").filter({ hasText: "Đã nhập 3 dòng: 3 dòng mới." }).waitFor();
    await done.getByText("1 dòng có lỗi không được nhập.").waitFor();
    const recent = page.getByRole("region", { name: "Các lần nhập gần đây" });
    await recent.getByText("so-quy-binh-yen.xlsx").waitFor();
    await recent.getByText("Đã nhập", { exact: true }).waitFor();
    await noHorizontalOverflow();
    await shot("k4-done");

    await done.getByRole("link", { name: "Xem quỹ khuyến học" }).click();
    await page.getByRole("heading", { level: 1, name: "Quỹ khuyến học — Xã Bình Yên" }).waitFor();
    await page.getByText("Số dư: 42.000.000 đồng", { exact: false }).waitFor();
    await page.getByRole("link", { name: "Quỹ khuyến học Xã Bình Yên" }).click();
    await page.locator(".fund-balance-figure", { hasText: "42.000.000 đồng" }).waitFor();
    await page.getByText("3 bút toán", { exact: true }).waitFor();
    await page.locator(".fund-entries").getByText("Công ty TNHH Minh Phát", { exact: false }).waitFor();
    // The fund's own page leads back to the import.
    expect(await page.getByRole("link", { name: "Nhập từ Excel" }).getAttribute("href")).toBe(
      `/org-units/${binhYen}/import/fund-entries`,
    );
    await noHorizontalOverflow();
    await shot("k5-fund");
  });
});

describe("exchanging figures with DHIS2 on a phone", () => {
  it("downloads the commune's year as DHIS2 CSV, with the imported receipts", async () => {
    await page.goto(`${journey.baseUrl}/org-units/${binhYen}`);
    await page
      .getByRole("navigation", { name: "Công việc của đơn vị" })
      .getByRole("link", { name: "Trao đổi số liệu với DHIS2" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Trao đổi số liệu với DHIS2" }).waitFor();
    await page.getByText("Mã đơn vị trong DHIS2 (mã hành chính): 05587", { exact: false }).waitFor();
    const exportCard = page.getByRole("region", { name: "Tải số liệu cho DHIS2" });
    expect(await exportCard.getByLabel("Loại kỳ").inputValue()).toBe("year");
    await exportCard.getByText(`Mã kỳ DHIS2: ${YEAR}`, { exact: true }).waitFor();
    await noHorizontalOverflow();
    await shot("d1-export");

    const { file, body } = await download("Tải tệp CSV");
    expect(file.suggestedFilename()).toBe(`xhht-dhis2-05587-${YEAR}.csv`);
    const lines = body
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines[0]?.split(",").slice(0, 6)).toEqual([
      "dataelement",
      "period",
      "orgunit",
      "categoryoptioncombo",
      "attributeoptioncombo",
      "value",
    ]);
    const value = (element: string) =>
      lines
        .map((l) => l.split(","))
        .find((c) => c[0] === element && c[1] === String(YEAR) && c[2] === "05587")?.[5];
    expect(value("XHHT_FUND_AMOUNT_RECEIPT_ALL")).toBe("52000000");
    expect(value("XHHT_FUND_AMOUNT_DISB_ALL")).toBe("10000000");
    expect(value("XHHT_FUND_BENEF_DISB_SCHOLARSHIP")).toBe("20");

    // Another kind of period shows its DHIS2 code: the Association's financial year.
    await exportCard.getByLabel("Loại kỳ").selectOption("reporting_year");
    await exportCard.getByText(`Mã kỳ DHIS2: ${ASSOCIATION_DHIS2}`, { exact: true }).waitFor();
    expect(await exportCard.getByLabel("Năm tài chính bắt đầu từ").inputValue()).toBe("11");
    expect(
      await exportCard.getByRole("link", { name: "Tải tệp JSON", exact: true }).getAttribute("href"),
    ).toBe(`/api/v1/dhis2/dataValueSets.json?orgUnitId=${binhYen}&period=${ASSOCIATION_DHIS2}`);
    await shot("d2-export-association-year");
  });

  it("checks a DHIS2 file of targets: every value said, one out of scope refused, a figure skipped", async () => {
    const card = page.getByRole("region", { name: "Nhập chỉ tiêu từ DHIS2" });
    await card.getByText("không bao giờ thay số liệu thực hiện", { exact: false }).waitFor();
    const values = [
      { dataElement: "XHHT_ASSOC_MEMBERS_CT", period: ASSOCIATION_DHIS2, orgUnit: "05587", value: "250" },
      { dataElement: "XHHT_ASSOC_NEW_MEMBERS_CT", period: ASSOCIATION_DHIS2, orgUnit: "05587", value: "30" },
      { dataElement: "XHHT_ASSOC_MEMBERS", period: ASSOCIATION_DHIS2, orgUnit: "05587", value: "999" },
      // Xã Hòa An: not this officer's commune.
      { dataElement: "XHHT_ASSOC_FEMALE_CT", period: ASSOCIATION_DHIS2, orgUnit: "01654", value: "100" },
    ];
    await card.getByLabel("Chọn tệp DHIS2 (.json hoặc .csv)").setInputFiles({
      name: "chi-tieu-dhis2.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ dataValues: values }), "utf8"),
    });
    await card.getByRole("heading", { level: 3, name: "Kết quả kiểm tra thử" }).waitFor();
    await card.getByText("4 giá trị: 2 chỉ tiêu, 1 bỏ qua, 1 lỗi.").waitFor();
    const rows = card.locator("table.dhis2-values tbody tr");
    expect(await rows.count()).toBe(4);
    const texts = await rows.allInnerTexts();
    expect(texts[0]).toContain("Chỉ tiêu");
    expect(texts[0]).toContain("“Tổng số hội viên”");
    expect(texts[0]).toContain("Xã Bình Yên (05587)");
    expect(texts[2]).toContain("Bỏ qua");
    expect(texts[2]).toContain("Số liệu thực hiện được tính từ hồ sơ, không nhập.");
    expect(texts[3]).toContain("Lỗi");
    // All or nothing: the import waits for a file without errors.
    const commit = card.getByRole("button", { name: "Nhập 2 chỉ tiêu" });
    expect(await commit.isDisabled()).toBe(true);
    await card.getByText("Còn 1 giá trị lỗi.", { exact: false }).waitFor();
    await noHorizontalOverflow();
    await shot("d3-dry-run-errors");

    await card.getByLabel("Chọn tệp khác").setInputFiles({
      name: "chi-tieu-dhis2-da-sua.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ dataValues: values.slice(0, 3) }), "utf8"),
    });
    await card.getByText("3 giá trị: 2 chỉ tiêu, 1 bỏ qua, 0 lỗi.").waitFor();
    await card.getByText("Tệp: chi-tieu-dhis2-da-sua.json").waitFor();
    expect(await commit.isEnabled()).toBe(true);
    await shot("d4-dry-run-valid");
    const before = await officer.get(
      `/api/v1/reports/report?template=association-annual&unitId=${binhYen}&period=${ASSOCIATION_PERIOD}`,
    );
    expect((before.json() as { targets: Record<string, number> }).targets.members).toBeUndefined();
  });

  it("imports the two targets; the Association's report shows them as targets", async () => {
    const card = page.getByRole("region", { name: "Nhập chỉ tiêu từ DHIS2" });
    await card.getByRole("button", { name: "Nhập 2 chỉ tiêu" }).click();
    await card.getByRole("heading", { level: 3, name: "Kết quả nhập" }).waitFor();
    await card.getByRole("status").filter({ hasText: "Đã nhập 2 chỉ tiêu." }).waitFor();
    await noHorizontalOverflow();
    await shot("d5-imported");

    const report = await officer.get(
      `/api/v1/reports/report?template=association-annual&unitId=${binhYen}&period=${ASSOCIATION_PERIOD}`,
    );
    expect(report.statusCode, report.body).toBe(200);
    const view = report.json() as { targets: Record<string, number>; values: Record<string, number | null> };
    expect(view.targets.members).toBe(250);
    expect(view.targets.new_members).toBe(30);
    // A target, never a figure: the members counted from the records are untouched.
    expect(view.values.members ?? null).not.toBe(999);

    await card
      .getByRole("navigation", { name: "Xem chỉ tiêu trong báo cáo" })
      .getByRole("link")
      .first()
      .click();
    expect(new URL(page.url()).pathname).toBe(
      `/org-units/${binhYen}/reports/association-annual/${ASSOCIATION_PERIOD}`,
    );
    const targets = page.locator("section.report-targets");
    await targets.getByRole("heading", { level: 2, name: "Chỉ tiêu", exact: true }).waitFor();
    await targets.locator('tr[data-indicator="members"]').getByText("250", { exact: true }).waitFor();
    await targets.locator('tr[data-indicator="new_members"]').getByText("30", { exact: true }).waitFor();
    await noHorizontalOverflow();
    await shot("d6-report-targets");
  });
});

describe("the way to each import, where the officer adds that thing", () => {
  /** The href of the link named `name` on the page at `path`, once `ready` is shown. */
  async function linkOn(path: string, ready: string, name: string): Promise<string | null> {
    await page.goto(`${journey.baseUrl}${path}`);
    await page.getByRole("heading", { level: 1, name: ready }).waitFor();
    return page.getByRole("link", { name, exact: true }).getAttribute("href");
  }

  it("offers “Nhập từ Excel” on the commune's lists, the centre, literacy and the reports", async () => {
    const base = `/org-units/${binhYen}`;
    expect(await linkOn(`${base}/clans`, "Dòng họ", "Nhập từ Excel")).toBe(`${base}/import/clans`);
    expect(await linkOn(`${base}/citizens`, "Công dân học tập", "Nhập từ Excel")).toBe(
      `${base}/import/citizens`,
    );
    expect(await linkOn(`${base}/evaluations`, "Đánh giá mô hình học tập", "Nhập từ Excel")).toBe(
      `${base}/import/evaluations`,
    );
    expect(
      await linkOn(`${base}/literacy`, "Xóa mù chữ, phổ cập giáo dục — Xã Bình Yên", "Nhập từ Excel"),
    ).toBe(`${base}/import/literacy`);
    expect(await linkOn(`${base}/reports`, "Báo cáo định kỳ — Xã Bình Yên", "Nhập chỉ tiêu từ Excel")).toBe(
      `${base}/import/targets`,
    );
    expect(await page.getByRole("link", { name: "Nhập số liệu báo cáo từ Excel" }).getAttribute("href")).toBe(
      `${base}/import/report-figures`,
    );
    expect(await linkOn(base, "Xã Bình Yên", "Nhập danh sách đơn vị từ Excel")).toBe(`${base}/import/units`);

    // The centre's activities: imported into the centre, and back to the commune's centre page.
    const created = await officer.post("/api/v1/org-units", {
      parentId: binhYen,
      kind: "learning_centre",
      name: "Trung tâm học tập cộng đồng xã Bình Yên",
    });
    expect(created.statusCode, created.body).toBe(201);
    const centre = (created.json() as { id: number }).id;
    await page.goto(`${journey.baseUrl}${base}/centre`);
    await page.getByRole("button", { name: "Thêm hoạt động" }).waitFor();
    await noHorizontalOverflow();
    await page.getByRole("link", { name: "Nhập từ Excel", exact: true }).click();
    await page
      .getByRole("heading", { level: 1, name: "Nhập lớp học, chuyên đề của TTHTCĐ từ Excel" })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe(`/org-units/${centre}/import/centre-activities`);
    expect(await page.getByRole("link", { name: "← Trung tâm học tập cộng đồng" }).getAttribute("href")).toBe(
      `${base}/centre`,
    );
    await page.getByRole("link", { name: "Tải tệp mẫu (Excel)" }).waitFor();
    await noHorizontalOverflow();
    await shot("k6-centre-activities");
  });

  it("says why a unit cannot take a kind, rather than downloading the refusal", async () => {
    const created = await officer.post("/api/v1/org-units", {
      parentId: binhYen,
      kind: "village",
      name: "Thôn Đồng Bục",
    });
    expect(created.statusCode, created.body).toBe(201);
    const village = (created.json() as { id: number }).id;
    await page.goto(`${journey.baseUrl}/org-units/${village}/import/fund-entries`);
    await page.getByRole("heading", { level: 1, name: "Nhập thu, chi quỹ khuyến học từ Excel" }).waitFor();
    let downloaded = false;
    const onDownload = () => {
      downloaded = true;
    };
    page.on("download", onDownload);
    await page.getByRole("link", { name: "Tải tệp mẫu (Excel)" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "Thôn Đồng Bục chưa mở quỹ khuyến học nào: hãy mở quỹ trước khi nhập thu, chi." })
      .waitFor();
    page.off("download", onDownload);
    expect(downloaded).toBe(false);
    // A kind the village cannot take at all is said before any file is chosen.
    await page.goto(`${journey.baseUrl}/org-units/${village}/import/clans`);
    await page.getByText("Chỉ nhập dòng họ vào một xã, phường, đặc khu đang hoạt động.").waitFor();
    expect(await page.getByLabel("Chọn tệp Excel (.xlsx) hoặc CSV").count()).toBe(0);
    await noHorizontalOverflow();
  });

  it("offers none of them to a viewer, who may not write", async () => {
    await createUserAndLogin(journey.app, admin, {
      username: "xem.binhyen",
      role: "viewer",
      scopeIds: [binhYen],
    });
    const viewer = await openAs(journey, "xem.binhyen");
    try {
      const p = viewer.page;
      await p.getByRole("heading", { level: 1, name: "Xã Bình Yên" }).waitFor();
      const tasks = p.getByRole("navigation", { name: "Công việc của đơn vị" });
      // Reading figures is everyone's: the export to DHIS2 is there, the imports are not.
      await tasks.getByRole("link", { name: "Trao đổi số liệu với DHIS2" }).waitFor();
      expect(await tasks.getByRole("link", { name: "Nhập dữ liệu từ Excel" }).count()).toBe(0);
      await p.goto(`${journey.baseUrl}/org-units/${binhYen}/clans`);
      await p.getByRole("heading", { level: 1, name: "Dòng họ" }).waitFor();
      expect(await p.getByRole("link", { name: "Nhập từ Excel" }).count()).toBe(0);
      // On the DHIS2 page the viewer downloads, but imports no targets.
      await p.goto(`${journey.baseUrl}/org-units/${binhYen}/dhis2`);
      await p.getByRole("link", { name: "Tải tệp CSV", exact: true }).waitFor();
      expect(await p.getByRole("region", { name: "Nhập chỉ tiêu từ DHIS2" }).count()).toBe(0);
      // The import page itself says why nothing can be done.
      await p.goto(`${journey.baseUrl}/org-units/${binhYen}/import/clans`);
      await p.getByText("Bạn chỉ có quyền xem nên không nhập được tệp.", { exact: false }).waitFor();
      expect(await p.getByLabel("Chọn tệp Excel (.xlsx) hoặc CSV").count()).toBe(0);
    } finally {
      await viewer.context.close();
    }
  });
});
