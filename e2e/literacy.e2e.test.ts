import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInVietnam } from "../src/domain/dates.ts";
import { loginAsAdmin, type TestClient } from "../src/testing/test-app.ts";
import { horizontalOverflow, type Journey, ON_DESKTOP, startJourney } from "./browser.ts";
import { binhYenAndThaiNguyen, createOfficer, openAs, otherCommunes } from "./fixtures.ts";

/**
 * Literacy in the browser: a commune officer, on a phone, types seed 003's figures (huyện Hòa
 * An, 12/2019) into the three age bands and sees the cumulative bands and rates appear as they
 * type (99,09%, 98,26%, 96,28%), saves; a level-1 count above the population is refused beside
 * its cell, the typed value stays and nothing is stored; the province then sees the commune's
 * rates in its summary, the other communes marked as missing, and "x/y xã đạt chuẩn".
 */
const YEAR = Number(todayInVietnam().slice(0, 4));

const SEED_003 = {
  "15–25 tuổi": ["7916", "7844", "7817"],
  "26–35 tuổi": ["12210", "12081", "11959"],
  "36–60 tuổi": ["19438", "19202", "18315"],
} as const;

let journey: Journey;
let baseUrl: string;
let admin: TestClient;
let binhYen: number;
let thaiNguyen: number;
let other: { id: number; name: string };

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  admin = await loginAsAdmin(journey.app);
  ({ binhYen, thaiNguyen } = await binhYenAndThaiNguyen(admin));
  await createOfficer(journey, admin, "xmc.binhyen", binhYen);
  await createOfficer(journey, admin, "xmc.tn", thaiNguyen);
  // Another commune of the province has already reported, meeting XMC level 2.
  const communes = await otherCommunes(admin, thaiNguyen, binhYen);
  other = communes[0] as { id: number; name: string };
  const res = await admin.put(`/api/v1/literacy/communes/${other.id}/years/${YEAR}`, {
    surveyDate: null,
    bands: {
      "15-25": { population: 1000, level1: 990, level2: 980 },
      "26-35": { population: 1000, level1: 980, level2: 970 },
      "36-60": { population: 2000, level1: 1900, level2: 1800 },
    },
    newlyLiterateContinuing: 3,
    standards: { xmc: 2, pcmn5: 1, pcth: 3, pcthcs: 3 },
  });
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);

afterAll(() => journey?.close());

async function storedLevel1(commune: number): Promise<number | null> {
  const r = await journey.database.db
    .selectFrom("literacy_years")
    .select("level1_15_25")
    .where("org_unit_id", "=", commune)
    .where("year", "=", YEAR)
    .executeTakeFirst();
  return r ? r.level1_15_25 : null;
}

describe("literacy in the browser", () => {
  it("a commune officer types the bands on a phone, sees the rates live, saves; a bad count is refused and kept", async () => {
    const { context, page } = await openAs(journey, "xmc.binhyen");
    await page.goto(`${baseUrl}/org-units/${binhYen}`);
    await page.getByRole("link", { name: "Xóa mù chữ, phổ cập giáo dục" }).click();
    const form = page.getByRole("form", { name: "Số người biết chữ theo độ tuổi" });
    await form.waitFor();
    const table = page.getByTestId("literacy-bands");
    const rate = (band: string, level: 1 | 2) =>
      table.locator(`tr[data-band="${band}"] td[data-rate="level${level}"]`);

    for (const [band, [population, level1, level2]] of Object.entries(SEED_003)) {
      await form.getByLabel(`Dân số trong độ tuổi, ${band}`).fill(population);
      await form.getByLabel(`Biết chữ mức độ 1, ${band}`).fill(level1);
      await form.getByLabel(`Biết chữ mức độ 2, ${band}`).fill(level2);
    }
    // Derived as typed, before anything is saved: the figures of seed 003.
    expect(await rate("15-25", 1).textContent()).toBe("99,09%");
    expect(await rate("15-25", 2).textContent()).toBe("98,75%");
    expect(await rate("15-35", 2).textContent()).toBe("98,26%");
    expect(await rate("15-60", 1).textContent()).toBe("98,90%");
    expect(await rate("15-60", 2).textContent()).toBe("96,28%");
    expect(await table.locator('tr[data-band="15-35"] td').nth(3).textContent()).toBe("19.776");
    expect(await storedLevel1(binhYen)).toBeNull();

    await form.getByLabel("Xóa mù chữ", { exact: true }).selectOption("2");
    await form.getByLabel("Phổ cập giáo dục mầm non cho trẻ em 5 tuổi").selectOption("1");
    await form.getByLabel("Phổ cập giáo dục tiểu học").selectOption("3");
    await form.getByLabel("Phổ cập giáo dục trung học cơ sở").selectOption("2");
    await form.getByRole("button", { name: "Lưu số liệu" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Đã lưu số liệu năm ${YEAR}.` })
      .waitFor();
    expect(await storedLevel1(binhYen)).toBe(7844);

    // More literates at level 1 than people in the band: refused beside the cell, kept, not stored.
    const cell = form.getByLabel("Biết chữ mức độ 1, 15–25 tuổi");
    await cell.fill("8.000");
    expect(await rate("15-25", 1).textContent()).toBe("101,06%");
    await form.getByRole("button", { name: "Lưu số liệu" }).click();
    await form
      .getByText("Số người biết chữ mức độ 1 (15–25 tuổi) không được lớn hơn số dân trong độ tuổi.")
      .waitFor();
    expect(await cell.getAttribute("aria-invalid")).toBe("true");
    expect(await cell.inputValue()).toBe("8.000");
    expect(await form.getByLabel("Dân số trong độ tuổi, 36–60 tuổi").inputValue()).toBe("19438");
    expect(await storedLevel1(binhYen)).toBe(7844);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });

  it("the province sees the commune's rates, the missing communes and x/y communes meeting each standard", async () => {
    const { context, page } = await openAs(journey, "xmc.tn");
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}`);
    await page.getByRole("link", { name: "Xóa mù chữ, phổ cập giáo dục" }).click();
    const children = page.getByTestId("literacy-children");
    await children.waitFor();
    const communes = await children.locator("tbody tr").count();
    expect(communes).toBeGreaterThan(2);
    await page
      .getByTestId("literacy-reported")
      .filter({ hasText: `Đã có số liệu: 2/${communes} xã` })
      .waitFor();
    const standards = page.getByTestId("literacy-standards");
    expect(await standards.locator('li[data-standard="xmc>=2"]').textContent()).toBe(
      `2/${communes} xã đạt chuẩn XMC mức độ 2`,
    );
    expect(await standards.locator('li[data-standard="pcthcs>=3"]').textContent()).toBe(
      `1/${communes} xã đạt chuẩn PCTHCS mức độ 3`,
    );
    const row = async (id: number) => await children.locator(`tr[data-unit="${id}"] td`).allTextContents();
    // Bình Yên: 15–25, 15–35, 15–60 at level 1 then level 2, and XMC level 2.
    expect(await row(binhYen)).toEqual([
      "1/1",
      "99,09%",
      "99,00%",
      "98,90%",
      "98,75%",
      "98,26%",
      "96,28%",
      "1/1",
    ]);
    expect(await row(other.id)).toEqual([
      "1/1",
      "99,00%",
      "98,50%",
      "96,75%",
      "98,00%",
      "97,50%",
      "93,75%",
      "1/1",
    ]);
    expect(await children.locator("tr.missing").count()).toBe(communes - 2);
    expect(await children.locator("tr.missing").first().textContent()).toContain("Chưa có số liệu");
    // The province's own total: the two communes summed, from its counters.
    const total = await children.locator('tr[data-unit="total"] td').allTextContents();
    expect(total[0]).toBe(`2/${communes}`);
    const summary = page.getByTestId("literacy-bands");
    expect(await summary.locator('tr[data-band="15-60"] td').nth(0).textContent()).toBe(
      (39564 + 4000).toLocaleString("de-DE"),
    );
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    // A commune's row leads to its figures; the commune lies in the province officer's scope, so
    // the form opens with what the commune saved.
    await children.locator(`tr[data-unit="${binhYen}"] a`).click();
    expect(await page.getByLabel("Biết chữ mức độ 1, 15–25 tuổi").inputValue()).toBe("7844");
    await context.close();
  });

  it("fits a desktop too", async () => {
    const { context, page } = await openAs(journey, "xmc.tn", ON_DESKTOP);
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}/literacy?year=${YEAR}`);
    await page.getByTestId("literacy-children").waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });
});
