import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAsAdmin, type TestClient } from "../src/testing/test-app.ts";
import { horizontalOverflow, type Journey, ON_DESKTOP, startJourney } from "./browser.ts";
import { binhYenAndThaiNguyen, countRows, createOfficer, openAs, otherCommunes } from "./fixtures.ts";

/**
 * The Association's membership in the browser: a commune officer, on a phone, sets up two
 * chapters (a village chi hội linked to its village, a clan), enters their year's members, women,
 * new members and dues and the commune's population; a row with more women than members is
 * refused in Vietnamese and keeps what was typed; the totals and the share of the population are
 * their sums; the province sees the commune's totals at once, the other communes marked missing.
 */
const YEAR = new Date().getFullYear();

let journey: Journey;
let baseUrl: string;
let admin: TestClient;
let binhYen: number;
let thaiNguyen: number;
let sibling: number;

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  admin = await loginAsAdmin(journey.app);
  ({ binhYen, thaiNguyen } = await binhYenAndThaiNguyen(admin));
  const village = await admin.post("/api/v1/org-units", {
    parentId: binhYen,
    kind: "village",
    name: "Thôn Nà Mò",
  });
  expect(village.statusCode, village.body).toBe(201);
  const clan = await admin.post("/api/v1/clans", { communeId: binhYen, name: "Dòng họ Ma" });
  expect(clan.statusCode, clan.body).toBe(201);
  await createOfficer(journey, admin, "hkh.binhyen", binhYen);
  await createOfficer(journey, admin, "hkh.tn", thaiNguyen);
  const communes = await otherCommunes(admin, thaiNguyen, binhYen);
  sibling = (communes[0] as { id: number }).id;
}, 120_000);

afterAll(() => journey?.close());

const yearRows = () => countRows(journey, "association_chapter_years");

const digits = (s: string | null) => Number((s ?? "").replace(/[^\d]/g, ""));

describe("the Association's membership in the browser", () => {
  it("a commune officer sets up two chapters, their figures and the population on a phone", async () => {
    const { context, page } = await openAs(journey, "hkh.binhyen");
    await page.goto(`${baseUrl}/org-units/${binhYen}`);
    await page.getByRole("link", { name: "Hội Khuyến học: chi hội, hội viên" }).click();
    await page.getByRole("heading", { level: 2, name: /Chi hội \(0\)/ }).waitFor();

    // A village chapter linked to its village.
    await page.getByRole("button", { name: "Thêm chi hội" }).click();
    let form = page.getByRole("form", { name: "Thêm chi hội" });
    await form.getByLabel("Loại chi hội").selectOption("village");
    await form.getByLabel("Thuộc đơn vị").selectOption({ label: "Thôn Nà Mò" });
    await form.getByLabel("Tên chi hội").fill("Chi hội khuyến học thôn Nà Mò");
    await form.getByLabel("Chi hội trưởng").fill("Ma Văn Hùng");
    await form.getByLabel("Ngày thành lập").fill(`${YEAR}-01-02`);
    await form.getByRole("button", { name: "Lưu" }).click();
    await page.getByRole("status").filter({ hasText: "Đã thêm chi hội." }).waitFor();

    // A clan, from the commune's register.
    await page.getByRole("button", { name: "Thêm chi hội" }).click();
    form = page.getByRole("form", { name: "Thêm chi hội" });
    await form.getByLabel("Loại chi hội").selectOption("clan");
    await form.getByLabel("Dòng họ trong sổ của xã").selectOption({ label: "Dòng họ Ma" });
    expect(await form.getByLabel("Tên chi hội").inputValue()).toBe("Dòng họ Ma khuyến học");
    await form.getByRole("button", { name: "Lưu" }).click();
    await page.getByRole("heading", { level: 2, name: /Chi hội \(2\)/ }).waitFor();

    // The village chapter's year.
    const villageRow = page.getByRole("form", { name: "Chi hội khuyến học thôn Nà Mò" });
    await villageRow.getByLabel("Số hội viên").fill("150");
    await villageRow.getByLabel("Hội viên nữ").fill("80");
    await villageRow.getByLabel("Mới kết nạp").fill("20");
    await villageRow.getByLabel("Hội phí (đồng)").fill("3.000.000");
    await villageRow.getByRole("button", { name: "Lưu số liệu" }).click();
    await villageRow
      .getByRole("status")
      .filter({ hasText: `Đã lưu số liệu năm ${YEAR}` })
      .waitFor();

    // A bad row: more women than members. Refused in Vietnamese, nothing stored, nothing lost.
    const before = await yearRows();
    const clanRow = page.getByRole("form", { name: "Dòng họ Ma khuyến học" });
    await clanRow.getByLabel("Số hội viên").fill("60");
    await clanRow.getByLabel("Hội viên nữ").fill("70");
    await clanRow.getByLabel("Mới kết nạp").fill("5");
    await clanRow.getByLabel("Hội phí (đồng)").fill("1200000");
    await clanRow.getByRole("button", { name: "Lưu số liệu" }).click();
    await clanRow.getByText("Số hội viên nữ không được lớn hơn tổng số hội viên.").waitFor();
    expect(await clanRow.getByLabel("Hội viên nữ").inputValue()).toBe("70");
    expect(await clanRow.getByLabel("Số hội viên").inputValue()).toBe("60");
    expect(await yearRows()).toBe(before);
    await clanRow.getByLabel("Hội viên nữ").fill("30");
    await clanRow.getByRole("button", { name: "Lưu số liệu" }).click();
    await clanRow
      .getByRole("status")
      .filter({ hasText: `Đã lưu số liệu năm ${YEAR}` })
      .waitFor();

    // The commune's population.
    await page.getByLabel("Dân số (người)").fill("2100");
    await page
      .getByRole("form", { name: `Dân số của xã năm ${YEAR}` })
      .getByRole("button", { name: "Lưu" })
      .click();
    await page.getByRole("status").filter({ hasText: "Đã lưu dân số." }).waitFor();

    // The totals are the sums of the two rows; the share is 210 of 2.100 people.
    const totals = page.getByTestId("assoc-totals");
    const stat = (key: string) => totals.locator(`[data-stat="${key}"] dd`);
    await stat("share").filter({ hasText: "10,00%" }).waitFor();
    expect(digits(await stat("members").textContent())).toBe(210);
    expect(digits(await stat("female").textContent())).toBe(110);
    expect(digits(await stat("newMembers").textContent())).toBe(25);
    expect(await stat("dues").textContent()).toBe("4.200.000 đồng");
    expect(digits(await stat("population").textContent())).toBe(2100);
    expect(digits(await stat("chapters").textContent())).toBe(2);
    expect(
      await page.getByTestId("assoc-trend").locator(`tr[data-year="${YEAR}"] td`).allTextContents(),
    ).toEqual(["210", "25", "10,00%"]);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });

  it("the province sees the commune's totals at once, the other communes marked missing", async () => {
    const { context, page } = await openAs(journey, "hkh.tn");
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}`);
    await page.getByRole("link", { name: "Hội Khuyến học: chi hội, hội viên" }).click();
    const children = page.getByTestId("assoc-children");
    await children.waitFor();
    const cells = await children.locator(`tr[data-unit="${binhYen}"] td`).allTextContents();
    expect(cells).toEqual(["2", "210", "110", "25", "4.200.000", "2.100", "10,00%"]);
    expect(await children.locator(`tr[data-unit="${sibling}"] td`).first().textContent()).toBe(
      "chưa có số liệu",
    );
    expect(await page.getByTestId("assoc-completeness").textContent()).toMatch(
      /^Đã có số liệu: 1\/\d+ đơn vị\.$/,
    );
    // Only the missing communes, to chase them.
    await page.getByLabel("Hiện").selectOption("missing");
    expect(await children.locator(`tr[data-unit="${binhYen}"]`).count()).toBe(0);
    await page.getByLabel("Hiện").selectOption("all");
    const total = await children.locator('tr[data-unit="total"] td').allTextContents();
    expect(total.slice(0, 5)).toEqual(["2", "210", "110", "25", "4.200.000"]);
    // The province's share rests on one commune only, and says so.
    expect(total[6]).toMatch(/^10,00% tính trên 1\/\d+ xã có số dân$/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    // Down to the commune: its chapters, read-only totals for the province officer too.
    await children.locator(`tr[data-unit="${binhYen}"] a`).click();
    await page.getByRole("heading", { level: 2, name: /Chi hội \(2\)/ }).waitFor();
    await context.close();
  });

  it("fits a desktop too", async () => {
    const { context, page } = await openAs(journey, "hkh.tn", ON_DESKTOP);
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}/association?year=${YEAR}`);
    await page.getByTestId("assoc-children").waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });
});
