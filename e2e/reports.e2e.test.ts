import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docxText, xlsxRows } from "../src/capabilities/reports/render/read-back.ts";
import { todayInVietnam } from "../src/domain/dates.ts";
import { periodCode, periodLabel, periodOf, periodRange, previousPeriod } from "../src/domain/periods.ts";
import { loginAsAdmin, type TestClient } from "../src/testing/test-app.ts";
import { horizontalOverflow, type Journey, ON_DESKTOP, startJourney } from "./browser.ts";
import { binhYenAndThaiNguyen, countRows, createOfficer, openAs, otherCommunes } from "./fixtures.ts";

/**
 * Periodic reporting in the browser (issue 6's acceptance): the province asks three communes for
 * the quarterly report; two communes fill it on a phone and submit (a figure that contradicts
 * another is refused beside its field, kept, and nothing is stored); the province returns one
 * with a comment, the commune corrects and resubmits; the third never submits. The province sees
 * "2/3 đơn vị đã báo cáo" with the missing commune named, approves both, and downloads its own
 * consolidated report as Word and Excel, whose figures are the two communes' sums.
 */
const QUARTER = previousPeriod(periodOf("quarter", todayInVietnam()));
const PERIOD = periodCode(QUARTER);
/** A commune has several forms to choose from; the journey is about the quarterly one. */
const QUARTERLY = "Báo cáo quý công tác khuyến học, xây dựng xã hội học tập";
/** The deadline has passed: ten days after the quarter, as the template says. */
const DEADLINE = (() => {
  const d = new Date(`${periodRange(QUARTER).to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 10);
  return d.toISOString().slice(0, 10);
})();

let journey: Journey;
let baseUrl: string;
let admin: TestClient;
let binhYen: number;
let thaiNguyen: number;
let second: { id: number; name: string };
let third: { id: number; name: string };
let binhYenName: string;

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  admin = await loginAsAdmin(journey.app);
  ({ binhYen, thaiNguyen } = await binhYenAndThaiNguyen(admin));
  binhYenName = ((await admin.get(`/api/v1/org-units/${binhYen}`)).json() as { name: string }).name;
  const communes = await otherCommunes(admin, thaiNguyen, binhYen);
  second = communes[0] as { id: number; name: string };
  third = communes[1] as { id: number; name: string };
  await createOfficer(journey, admin, "bc.tinh", thaiNguyen);
  await createOfficer(journey, admin, "bc.binhyen", binhYen);
  await createOfficer(journey, admin, "bc.xa2", second.id);
}, 120_000);

afterAll(() => journey?.close());

async function fill(page: Page, label: string, value: string) {
  await page.getByLabel(label, { exact: true }).fill(value);
}

/** A commune officer opens the quarter's report from the unit page and types the figures. */
async function openAndFill(page: Page, unitId: number, members: string, female: string) {
  await page.goto(`${baseUrl}/org-units/${unitId}`);
  await page.getByRole("link", { name: "Báo cáo định kỳ" }).first().click();
  await page.getByLabel("Biểu mẫu", { exact: true }).selectOption({ label: QUARTERLY });
  await page.getByRole("button", { name: "Mở báo cáo" }).click();
  await page.getByText(periodLabel(QUARTER), { exact: true }).waitFor();
  await fill(page, "Tổng số hội viên (người)", members);
  await fill(page, "Trong đó hội viên nữ (người)", female);
  await fill(page, "Hội viên mới kết nạp trong quý (người)", "12");
  await fill(page, "Số tiền vận động được cho quỹ khuyến học trong quý (đồng)", "15.000.000");
  await page.getByLabel("1. Thuận lợi").fill("Được cấp ủy, chính quyền quan tâm.");
}

describe("periodic reporting in the browser", () => {
  it("the province asks three communes for the quarterly report", async () => {
    const { context, page } = await openAs(journey, "bc.tinh", ON_DESKTOP);
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}`);
    await page.getByRole("link", { name: "Báo cáo định kỳ" }).first().click();
    await page.getByRole("button", { name: "Yêu cầu báo cáo mới" }).click();
    const form = page.locator("form").filter({ hasText: "Hạn nộp" });
    await form.getByLabel("Biểu mẫu", { exact: true }).selectOption({ label: QUARTERLY });
    await form.getByLabel("Hạn nộp").fill(DEADLINE);
    await form.getByRole("button", { name: "Bỏ chọn tất cả" }).click();
    for (const name of [binhYenName, second.name, third.name]) {
      await form.getByLabel(name, { exact: true }).check();
    }
    await form.getByText("Gửi đến 3/").waitFor();
    await form.getByRole("button", { name: "Gửi yêu cầu" }).click();
    await page.getByText("0/3 đơn vị đã báo cáo").waitFor();
    await context.close();
  });

  it("two communes fill the form on a phone and submit; a contradiction is refused and kept", async () => {
    const { context, page } = await openAs(journey, "bc.binhyen");
    await openAndFill(page, binhYen, "1.200", "1.300");
    const before = await countRows(journey, "reports");
    await page.getByRole("button", { name: "Lưu bản nháp" }).click();
    const female = page.getByLabel("Trong đó hội viên nữ (người)", { exact: true });
    await page.getByText("Số hội viên nữ không được lớn hơn tổng số hội viên.").first().waitFor();
    expect(await female.getAttribute("aria-invalid")).toBe("true");
    expect(await female.inputValue()).toBe("1.300");
    expect(await page.getByLabel("1. Thuận lợi").inputValue()).toBe("Được cấp ủy, chính quyền quan tâm.");
    expect(await countRows(journey, "reports")).toBe(before);
    await female.fill("640");
    await page.getByRole("button", { name: "Gửi báo cáo lên cấp trên" }).click();
    await page.getByRole("status").filter({ hasText: "Trạng thái: Đã gửi" }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();

    const other = await openAs(journey, "bc.xa2");
    await openAndFill(other.page, second.id, "800", "390");
    await other.page.getByRole("button", { name: "Gửi báo cáo lên cấp trên" }).click();
    await other.page.getByRole("status").filter({ hasText: "Trạng thái: Đã gửi" }).waitFor();
    await other.context.close();
  });

  it("the province returns one report with a comment; the commune corrects and resubmits", async () => {
    const { context, page } = await openAs(journey, "bc.tinh", ON_DESKTOP);
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}/reports`);
    await page.getByRole("link", { name: /Báo cáo quý công tác khuyến học/ }).click();
    await page.getByRole("link", { name: second.name, exact: true }).click();
    await page
      .getByLabel("Ý kiến (bắt buộc khi trả lại hoặc mở lại)")
      .fill("Số hội viên nữ chưa khớp danh sách.");
    await page.getByRole("button", { name: "Trả lại" }).click();
    await page.getByRole("status").filter({ hasText: "Trạng thái: Bị trả lại" }).waitFor();
    await context.close();

    const commune = await openAs(journey, "bc.xa2");
    await commune.page.goto(`${baseUrl}/org-units/${second.id}/reports/association-quarterly/${PERIOD}`);
    await commune.page.getByText("Ý kiến của cấp trên: Số hội viên nữ chưa khớp danh sách.").waitFor();
    await fill(commune.page, "Trong đó hội viên nữ (người)", "410");
    await commune.page.getByRole("button", { name: "Gửi báo cáo lên cấp trên" }).click();
    await commune.page.getByRole("status").filter({ hasText: "Trạng thái: Đã gửi" }).waitFor();
    await commune.context.close();
  });

  it("the province sees 2/3 with the missing commune named, approves, and downloads Word and Excel", async () => {
    const { context, page } = await openAs(journey, "bc.tinh");
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}/reports`);
    await page.getByRole("link", { name: /Báo cáo quý công tác khuyến học/ }).click();
    await page.getByText("2/3 đơn vị đã báo cáo").first().waitFor();
    const missing = await page.locator(".report-missing").first().textContent();
    expect(missing).toContain(`Chưa nộp: ${third.name}`);
    expect(missing).toContain("quá hạn");
    const requestUrl = page.url();
    for (const name of [binhYenName, second.name]) {
      await page.goto(requestUrl);
      await page.getByRole("link", { name, exact: true }).click();
      await page.getByRole("button", { name: "Duyệt" }).click();
      await page.getByRole("status").filter({ hasText: "Trạng thái: Đã duyệt" }).waitFor();
    }
    await page.goto(requestUrl);
    await page.getByRole("link", { name: /Báo cáo tổng hợp của/ }).click();
    await page.getByText("Cộng từ 2/3 báo cáo đã duyệt của đơn vị trực thuộc").waitFor();
    expect(await page.locator(".report-computed output").first().textContent()).toBe("2.000 người");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    const [docx] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải văn bản (Word)" }).click(),
    ]);
    const text = await docxText(await readFile((await docx.path()) as string));
    expect(text).toContain("HỘI KHUYẾN HỌC TỈNH THÁI NGUYÊN");
    expect(text).toContain("- Tổng số hội viên: 2.000 người");
    expect(text).toContain("- Trong đó hội viên nữ: 1.050 người");
    expect(text).toContain("- Số tiền vận động được cho quỹ khuyến học trong quý: 30.000.000 đồng");
    const [xlsx] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải phụ lục (Excel)" }).click(),
    ]);
    const sheets = await xlsxRows(await readFile((await xlsx.path()) as string));
    const rows = Object.values(sheets)[0] ?? [];
    expect(rows.some((r) => r.includes("Tổng số hội viên") && r.includes(2000))).toBe(true);

    // The preview shows the same document, printable.
    await page.getByRole("button", { name: "Xem trước văn bản" }).click();
    await page.getByRole("article").getByText("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").waitFor();
    await context.close();
  });
});
