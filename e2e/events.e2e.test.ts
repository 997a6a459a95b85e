import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAsAdmin, type TestClient } from "../src/testing/test-app.ts";
import { horizontalOverflow, type Journey, ON_DESKTOP, startJourney } from "./browser.ts";
import { binhYenAndThaiNguyen, countRows, createOfficer, openAs } from "./fixtures.ts";

/**
 * Events and coordination agreements in the browser: a commune officer, on a phone, records the
 * Study Promotion Day, links the scholarship payment posted in the commune's fund and sees the
 * scholarships derived from it; a bad event is refused with every message and keeps its input;
 * records a coordination agreement; the province sees "1/N xã" held the Day and the agreements.
 */
const TODAY = new Date().toISOString().slice(0, 10);
const YEAR = Number(TODAY.slice(0, 4));

let journey: Journey;
let baseUrl: string;
let admin: TestClient;
let binhYen: number;
let thaiNguyen: number;
let officer: TestClient;

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  admin = await loginAsAdmin(journey.app);
  ({ binhYen, thaiNguyen } = await binhYenAndThaiNguyen(admin));
  officer = await createOfficer(journey, admin, "canbo.binhyen", binhYen);
  await createOfficer(journey, admin, "canbo.tn", thaiNguyen);
  // The commune's fund, with a scholarship payment of 25 awards posted by the fund's keeper.
  const fund = await officer.post("/api/v1/funds", {
    orgUnitId: binhYen,
    kind: "general",
    startYear: YEAR,
    openingBalance: 50_000_000,
  });
  expect(fund.statusCode, fund.body).toBe(201);
  const paid = await officer.post(`/api/v1/funds/${(fund.json() as { id: number }).id}/disbursements`, {
    date: TODAY,
    amount: 12_500_000,
    purpose: "scholarship",
    beneficiaries: 25,
    description: "Học bổng trao tại lễ kỷ niệm Ngày Khuyến học",
  });
  expect(paid.statusCode, paid.body).toBe(201);
}, 120_000);

afterAll(() => journey?.close());

const eventCount = () => countRows(journey, "programme_events");

describe("events and coordination agreements in the browser", () => {
  it("a commune officer records the 2/10 Day on a phone and links the fund's scholarships", async () => {
    const { context, page } = await openAs(journey, "canbo.binhyen");
    await page.goto(`${baseUrl}/org-units/${binhYen}`);
    await page.getByRole("link", { name: "Sự kiện (Tuần lễ HTSĐ, Ngày 2/10…)" }).click();
    await page.getByRole("button", { name: "Thêm sự kiện" }).click();

    // A bad event first: every message at once, nothing stored, nothing typed lost.
    let form = page.getByRole("form", { name: "Thêm sự kiện" });
    await form.getByLabel("Loại sự kiện").selectOption("study_promotion_day");
    await form.getByLabel("Tên sự kiện").fill("Kỷ niệm Ngày Khuyến học Việt Nam");
    await form.getByLabel("Ngày bắt đầu").fill(TODAY);
    await form.getByLabel("Ngày kết thúc").fill(`${YEAR}-01-01` < TODAY ? `${YEAR}-01-01` : "2000-01-01");
    await form.getByLabel("Số người tham gia").fill("180");
    await form.getByLabel("Trong đó nữ (nếu có)").fill("200");
    const before = await eventCount();
    await form.getByRole("button", { name: "Lưu" }).click();
    await form.getByText("Số nữ không được lớn hơn tổng số người tham gia.").waitFor();
    await form.getByText("Ngày kết thúc không được trước ngày bắt đầu.").waitFor();
    expect(await form.getByLabel("Trong đó nữ (nếu có)").inputValue()).toBe("200");
    expect(await form.getByLabel("Tên sự kiện").inputValue()).toBe("Kỷ niệm Ngày Khuyến học Việt Nam");
    expect(await eventCount()).toBe(before);

    // Corrected: saved.
    await form.getByLabel("Ngày kết thúc").fill(TODAY);
    await form.getByLabel("Trong đó nữ (nếu có)").fill("95");
    await form.getByRole("button", { name: "Lưu" }).click();
    await page.getByRole("status").filter({ hasText: "Đã thêm sự kiện." }).waitFor();
    await page.getByText("Kỷ niệm Ngày Khuyến học Việt Nam").waitFor();

    // Link the fund's scholarship payment: the awards are derived from it.
    await page.getByRole("button", { name: "Gắn khoản chi học bổng của quỹ" }).click();
    form = page.getByRole("form", { name: "Gắn khoản chi học bổng của quỹ" });
    const option = form
      .getByLabel("Khoản chi học bổng trong năm")
      .locator("option", { hasText: "12.500.000" });
    await form
      .getByLabel("Khoản chi học bổng trong năm")
      .selectOption((await option.getAttribute("value")) as string);
    await form.getByRole("button", { name: "Gắn vào sự kiện" }).click();
    await page
      .getByTestId("event-scholarships")
      .filter({ hasText: "Học bổng qua quỹ: 25 suất, 12.500.000 đồng" })
      .waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    // A coordination agreement with the Women's Union, to 2025 style "đến hết năm".
    await page.goto(`${baseUrl}/org-units/${binhYen}`);
    await page.getByRole("link", { name: "Chương trình phối hợp" }).click();
    await page.getByRole("button", { name: "Thêm chương trình phối hợp" }).click();
    form = page.getByRole("form", { name: "Thêm chương trình phối hợp" });
    await form.getByLabel("Đơn vị phối hợp").fill("Hội Liên hiệp Phụ nữ xã");
    await form.getByLabel("Loại đơn vị").selectOption("mass_organisation");
    await form.getByLabel("Ngày ký").fill(TODAY);
    await form.getByLabel("Thời hạn từ").fill(TODAY);
    await form.getByLabel("Thời hạn đến").fill(`${YEAR + 1}-12-31`);
    await form.getByRole("button", { name: "Lưu" }).click();
    await page.getByRole("status").filter({ hasText: "Đã thêm chương trình phối hợp." }).waitFor();
    await page
      .getByTestId("agreements-figures")
      .filter({ hasText: `Năm ${YEAR}: ký mới 1 chương trình` })
      .waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });

  it("the province sees 1/N communes held the Day, and the agreements, with missing communes marked", async () => {
    const { context, page } = await openAs(journey, "canbo.tn");
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}`);
    await page.getByRole("link", { name: "Sự kiện (Tuần lễ HTSĐ, Ngày 2/10…)" }).click();
    const headline = page.getByTestId("events-headline");
    const day = headline.locator('li[data-kind="study_promotion_day"]');
    await day.waitFor();
    const text = (await day.textContent()) ?? "";
    const match = /: 1\/(\d+) xã đã tổ chức/.exec(text);
    expect(match, text).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(1);
    const table = page.getByTestId("events-children");
    const cells = await table.locator(`tr[data-unit="${binhYen}"] td`).allTextContents();
    expect(cells[0]).toBe("1");
    expect(cells[1]).toBe("180");
    expect(cells[2]).toBe("95");
    expect(cells[4]).toBe("1/1 xã");
    expect(cells[5]).toBe("25");
    expect(await headline.getByTestId("events-participants").textContent()).toBe(
      "Người tham gia: 180; nữ: 95",
    );
    expect(await table.locator('td[data-missing="true"]').count()).toBeGreaterThan(0);
    expect(await table.locator('td[data-missing="true"]').first().textContent()).toBe("Chưa có số liệu");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    await page.goto(`${baseUrl}/org-units/${thaiNguyen}/agreements`);
    const agreements = page.getByTestId("agreements-children");
    await agreements.waitFor();
    expect((await agreements.locator(`tr[data-unit="${binhYen}"] td`).allTextContents())[0]).toBe("1");
    expect((await agreements.locator('tr[data-unit="total"] td').allTextContents())[0]).toBe("1");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });

  it("fits a desktop too", async () => {
    const { context, page } = await openAs(journey, "canbo.tn", ON_DESKTOP);
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}/events`);
    await page.getByTestId("events-children").waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });
});
