import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildApp } from "../src/server/app.ts";
import { WEB_DIST_DIR } from "../src/server/config.ts";
import type { App } from "../src/server/types.ts";
import { createUserAndLogin, loginAsAdmin, unitIdByCode } from "../src/testing/test-app.ts";
import { openTestDatabase } from "../src/testing/test-database.ts";
import { DESKTOP, launchChromium, newContext, PHONE } from "./browser.ts";

/**
 * The study promotion fund in the browser, on a phone: the commune officer opens the fund with
 * the balance carried over, records a donation and a batch of scholarships (through a dropped
 * connection), reverses a mistaken entry, closes the year and downloads the statement; the
 * province officer sees the commune's totals in the province view at once; anyone reads the
 * published statement, without the pupils' names.
 */
const LAST = new Date().getFullYear() - 1;
let app: App;
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let browser: Browser;
let baseUrl: string;
let binhYen: number;
let thaiNguyen: number;
let fundUrl = "";

async function login(page: Page, username: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page
    .getByRole("button", { name: /Đăng xuất|Mở menu/ })
    .first()
    .waitFor();
}

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
}

beforeAll(async () => {
  if (!existsSync(join(WEB_DIST_DIR, "index.html")))
    throw new Error("Build the web app first: npm run build (or XHHT_WEB_DIST=… for a build elsewhere)");
  database = await openTestDatabase(inject("xhhtTemplate"));
  app = await buildApp({ database, version: "e2e", webDir: WEB_DIST_DIR });
  baseUrl = (await app.listen({ port: 0, host: "127.0.0.1" })).replace("0.0.0.0", "127.0.0.1");
  const admin = await loginAsAdmin(app);
  binhYen = await unitIdByCode(admin, "05587");
  thaiNguyen = await unitIdByCode(admin, "19", "province");
  await createUserAndLogin(app, admin, { username: "canbo.binhyen", role: "officer", scopeIds: [binhYen] });
  await createUserAndLogin(app, admin, { username: "canbo.tn", role: "officer", scopeIds: [thaiNguyen] });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.dispose();
});

describe("study promotion fund in the browser", () => {
  it("the commune officer keeps the fund on a phone: donation, scholarships, reversal, year close, statement", async () => {
    const context = await newContext(browser, {
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      locale: "vi-VN",
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await login(page, "canbo.binhyen", "pw-canbo.binhyen-123");
    await page.getByRole("button", { name: "Mở menu" }).click();
    await page
      .getByRole("navigation", { name: "Điều hướng chính" })
      .getByRole("link", { name: "Quỹ khuyến học" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Quỹ khuyến học — Xã Bình Yên" }).waitFor();

    // Open the fund with last year's balance carried over (seed 000: 450.000.000 đồng).
    await page.getByLabel("Bắt đầu ghi sổ từ năm").selectOption(String(LAST));
    await page.getByLabel("Số dư chuyển sang (tổng số quỹ năm trước chuyển qua)").fill("450000000");
    await page.getByText("Bằng chữ: Bốn trăm năm mươi triệu đồng").waitFor();
    await page.getByRole("button", { name: "Mở quỹ" }).click();
    await page.getByRole("heading", { level: 1, name: "Quỹ khuyến học Xã Bình Yên" }).waitFor();
    await page.locator(".fund-balance-figure", { hasText: "450.000.000 đồng" }).waitFor();
    fundUrl = page.url();

    // A donation, typed the Vietnamese way; a decimal is refused at once, in Vietnamese.
    await page.getByRole("button", { name: "Ghi thu" }).click();
    const receipt = page.locator("form", { has: page.getByRole("heading", { name: "Ghi thu" }) });
    await receipt.getByLabel("Ngày").fill(`${LAST}-03-15`);
    await receipt.getByLabel("Số tiền").fill("2364000000,5");
    await receipt.getByText("Số tiền là số nguyên đồng, không có phần thập phân.").waitFor();
    await receipt.getByLabel("Số tiền").fill("0");
    await receipt.getByText("Số tiền phải lớn hơn 0 đồng.").waitFor();
    await receipt.getByLabel("Số tiền").fill("2.364.000.000");
    await receipt.getByText("Bằng chữ: Hai tỷ ba trăm sáu mươi tư triệu đồng").waitFor();
    await receipt.getByLabel("Nguồn thu").selectOption({ label: "Doanh nghiệp" });
    await receipt.getByLabel("Người, đơn vị đóng góp").fill("Công ty TNHH Điện lực Vân Phong");
    await receipt.getByRole("button", { name: "Lưu khoản thu" }).click();
    await receipt.getByRole("status").filter({ hasText: "Đã ghi thu 2.364.000.000 đồng" }).waitFor();
    await page.locator(".fund-balance-figure", { hasText: "2.814.000.000 đồng" }).waitFor();

    // A mistaken receipt, to be reversed below.
    await receipt.getByLabel("Ngày").fill(`${LAST}-04-01`);
    await receipt.getByLabel("Số tiền").fill("5.000.000");
    await receipt.getByLabel("Nguồn thu").selectOption({ label: "Cá nhân, nhà hảo tâm" });
    await receipt.getByRole("button", { name: "Lưu khoản thu" }).click();
    const mistaken = await receipt
      .getByRole("status")
      .filter({ hasText: "Đã ghi thu 5.000.000 đồng" })
      .textContent();
    const mistakenId = /bút toán số (\d+)/.exec(mistaken ?? "")?.[1];
    expect(mistakenId).toBeDefined();

    // A batch of scholarships pasted from Excel, sent through a dropped connection: nothing typed
    // is lost, and sending again records it once.
    await page.getByRole("button", { name: "Ghi chi" }).click();
    const payment = page.locator("form", { has: page.getByRole("heading", { name: "Ghi chi" }) });
    await payment.getByLabel("Ngày").fill(`${LAST}-10-02`);
    await payment.getByLabel("Mục chi").selectOption({ label: "Học bổng" });
    await payment.getByLabel("Quyết định hoặc sự kiện").fill("Lễ kỷ niệm Ngày Khuyến học Việt Nam 2/10");
    await payment
      .getByLabel("Dán danh sách từ Excel")
      .fill(
        "Nguyễn Thị Lan\tTHCS Bình Yên\t1.500.000\nTrần Văn Minh\tTiểu học Bình Yên\t10.000.000\nLê Hoàng Nam\tTHPT Bình Yên\t3.500.000",
      );
    await payment.getByRole("button", { name: "Thêm vào danh sách" }).click();
    await payment.getByText("3 người, tổng 15.000.000 đồng.").waitFor();
    await payment.getByRole("button", { name: "Lấy tổng danh sách làm số tiền chi" }).click();
    await payment.getByText("Bằng chữ: Mười lăm triệu đồng").waitFor();
    await context.setOffline(true);
    await payment.getByRole("button", { name: "Lưu khoản chi" }).click();
    await payment.getByRole("alert").filter({ hasText: "Không kết nối được máy chủ" }).waitFor();
    expect(await payment.getByLabel("Quyết định hoặc sự kiện").inputValue()).toBe(
      "Lễ kỷ niệm Ngày Khuyến học Việt Nam 2/10",
    );
    await context.setOffline(false);
    await payment.getByRole("button", { name: "Lưu khoản chi" }).click();
    await payment.getByRole("status").filter({ hasText: "Đã ghi chi 15.000.000 đồng" }).waitFor();

    // Last year's ledger: reverse the mistaken receipt, dated in that year.
    await page.getByLabel("Năm", { exact: true }).selectOption(String(LAST));
    await page.getByRole("heading", { name: `Sổ quỹ năm ${LAST}` }).waitFor();
    await page.getByText("3 bút toán").waitFor();
    await page.getByRole("button", { name: `Đảo bút toán số ${mistakenId}` }).click();
    const reverse = page.locator(".fund-reverse");
    await reverse.getByLabel("Ngày ghi bút toán đảo").fill(`${LAST}-12-31`);
    await reverse.getByRole("button", { name: "Xác nhận đảo" }).click();
    await reverse.getByText("Nêu lý do đảo bút toán.").waitFor();
    await reverse.getByLabel("Lý do đảo").fill("Nhập nhầm: khoản này chưa nhận");
    await reverse.getByRole("button", { name: "Xác nhận đảo" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Đã đảo bút toán số ${mistakenId}` })
      .waitFor();
    await page.getByText(new RegExp(`Đã đảo bởi bút toán số \\d+ ngày 31/12/${LAST}`)).waitFor();
    // Reversing a reversal is not offered (and the server refuses it).
    expect(await page.getByRole("button", { name: /^Đảo bút toán số/ }).count()).toBe(2);

    // The statement: 450 + 2.364 − 15 = 2.799 million, in words too.
    const statementCard = page.locator("section", {
      has: page.getByRole("heading", { name: "Báo cáo thu, chi" }),
    });
    await statementCard.getByText("Hai tỷ bảy trăm chín mươi chín triệu đồng").waitFor();
    await statementCard.getByText("Học bổng: 15.000.000 · 3 người nhận").waitFor();

    // Close the year.
    await page.getByRole("button", { name: `Khóa sổ năm ${LAST}` }).click();
    await page.getByRole("button", { name: `Xác nhận khóa sổ năm ${LAST}` }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Đã khóa sổ năm ${LAST}.` })
      .waitFor();
    await page.getByText("Đã khóa sổ", { exact: true }).first().waitFor();

    // A receipt dated in the closed year is refused beside the date, and what was typed stays.
    await page.getByRole("button", { name: "Ghi thu" }).click();
    await receipt.getByLabel("Ngày").fill(`${LAST}-12-30`);
    await receipt.getByLabel("Số tiền").fill("1.000.000");
    await receipt.getByLabel("Nguồn thu").selectOption({ label: "Hội viên đóng góp" });
    await receipt.getByRole("button", { name: "Lưu khoản thu" }).click();
    await receipt
      .getByText(`Năm ${LAST} của quỹ đã khóa sổ, không ghi thêm được.`, { exact: false })
      .first()
      .waitFor();
    expect(await receipt.getByLabel("Số tiền").inputValue()).toBe("1.000.000");

    // Download the statement, in Excel and in Word.
    const [xlsx] = await Promise.all([
      page.waitForEvent("download"),
      statementCard.getByRole("link", { name: "Tải Excel" }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toMatch(new RegExp(`^bao-cao-quy-khuyen-hoc-\\d+-${LAST}\\.xlsx$`));
    const xlsxBytes = readFileSync((await xlsx.path()) as string);
    expect(xlsxBytes.subarray(0, 2).toString()).toBe("PK");
    const [docx] = await Promise.all([
      page.waitForEvent("download"),
      statementCard.getByRole("link", { name: "Tải Word" }).click(),
    ]);
    expect(docx.suggestedFilename()).toMatch(/\.docx$/);

    // Publish the year's statement for everyone to read.
    await statementCard.getByLabel(`Công khai báo cáo năm ${LAST}`).check();
    await statementCard.getByRole("link", { name: "Xem trang công khai" }).waitFor();
    await noSidewaysScroll(page);
    await context.close();
  });

  it("the province officer sees the commune's totals in the province view at once", async () => {
    const context = await newContext(browser, { viewport: DESKTOP, locale: "vi-VN" });
    const page = await context.newPage();
    await login(page, "canbo.tn", "pw-canbo.tn-123");
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}/funds/summary?year=${LAST}`);
    await page
      .getByRole("heading", { level: 1, name: "Tổng hợp quỹ khuyến học — Tỉnh Thái Nguyên" })
      .waitFor();
    const row = page.getByRole("row", { name: /Xã Bình Yên/ });
    await row.getByRole("cell", { name: "2.364.000.000" }).waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual(
      expect.arrayContaining(["2.364.000.000", "15.000.000"]),
    );
    await page.locator(".dash-stat", { hasText: "Tổng thu" }).getByText("2.364.000.000").waitFor();
    await context.close();
  });

  it("anyone reads the published statement on a phone, without the pupils' names", async () => {
    const context = await newContext(browser, { viewport: PHONE, isMobile: true, locale: "vi-VN" });
    const page = await context.newPage();
    const fundId = /\/funds\/(\d+)/.exec(fundUrl)?.[1];
    await page.goto(`${baseUrl}/cong-khai/quy/${fundId}?year=${LAST}`);
    await page.getByRole("heading", { level: 1, name: "Công khai Quỹ khuyến học Xã Bình Yên" }).waitFor();
    await page.getByText("Hai tỷ bảy trăm chín mươi chín triệu đồng").waitFor();
    await page.getByText("Công ty TNHH Điện lực Vân Phong").waitFor();
    const text = await page.locator("main").textContent();
    for (const name of ["Nguyễn Thị Lan", "Trần Văn Minh", "Lê Hoàng Nam"]) expect(text).not.toContain(name);
    await noSidewaysScroll(page);
    await context.close();
  });
});
