import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAsAdmin, type TestClient } from "../src/testing/test-app.ts";
import { horizontalOverflow, type Journey, ON_DESKTOP, startJourney } from "./browser.ts";
import { binhYenAndThaiNguyen, countRows, createOfficer, openAs, otherCommunes } from "./fixtures.ts";

/**
 * Community learning centres in the browser: a commune officer, on a phone, sets up the
 * commune's centre, records a month of activities (one refused for more women than
 * participants, nothing stored) and the year's budget; the centre's category table equals the
 * sum of what was typed; the province sees every commune's totals at once.
 */
const YEAR = new Date().getFullYear();
const MONTH = String(new Date().getMonth() + 1).padStart(2, "0");
const day = (d: number) => `${YEAR}-${MONTH}-${String(d).padStart(2, "0")}`;

let journey: Journey;
let baseUrl: string;
let admin: TestClient;
let binhYen: number;
let otherCommune: { id: number; name: string };
let thaiNguyen: number;

const ACTIVITIES = [
  {
    title: "Tuyên truyền Luật Đất đai",
    category: "legal",
    start: day(3),
    end: day(3),
    sessions: "1",
    participants: "120",
    female: "55",
  },
  {
    title: "Lớp trồng chè an toàn",
    category: "vocational",
    start: day(6),
    end: day(10),
    sessions: "5",
    participants: "35",
    female: "20",
  },
  {
    title: "Phòng chống ma túy cho thanh niên",
    category: "legal",
    start: day(14),
    end: day(14),
    sessions: "1",
    participants: "80",
    female: "30",
  },
  {
    title: "Chăm sóc sức khỏe người cao tuổi",
    category: "health",
    start: day(20),
    end: day(20),
    sessions: "2",
    participants: "64",
    female: "40",
  },
];

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  admin = await loginAsAdmin(journey.app);
  ({ binhYen, thaiNguyen } = await binhYenAndThaiNguyen(admin));
  await createOfficer(journey, admin, "canbo.binhyen", binhYen);
  await createOfficer(journey, admin, "canbo.tn", thaiNguyen);
  // Another commune of the province already has a centre and one activity.
  const communes = await otherCommunes(admin, thaiNguyen, binhYen);
  otherCommune = communes[0] as { id: number; name: string };
  const centre = await admin.post("/api/v1/org-units", {
    parentId: otherCommune.id,
    kind: "learning_centre",
    name: `Trung tâm học tập cộng đồng ${otherCommune.name}`,
  });
  expect(centre.statusCode, centre.body).toBe(201);
  const activity = await admin.post(`/api/v1/centres/${(centre.json() as { id: number }).id}/activities`, {
    kind: "class",
    title: "Lớp xóa mù chữ",
    category: "literacy",
    startDate: day(2),
    endDate: day(28),
    sessions: 20,
    participants: 12,
    female: 7,
    minority: 9,
    partner: "Trường Tiểu học",
    place: null,
  });
  expect(activity.statusCode, activity.body).toBe(201);
}, 120_000);

afterAll(() => journey?.close());

const centreActivityCount = () => countRows(journey, "centre_activities");

describe("community learning centres in the browser", () => {
  it("a commune officer records a month of activities and the budget on a phone; the table is their sum", async () => {
    const { context, page } = await openAs(journey, "canbo.binhyen");
    await page.goto(`${baseUrl}/org-units/${binhYen}`);
    await page.getByRole("link", { name: "Trung tâm học tập cộng đồng" }).click();
    await page.getByRole("button", { name: "Lập trung tâm cho xã" }).click();
    await page.getByRole("heading", { level: 2, name: "Kết quả theo lĩnh vực" }).waitFor();

    for (const a of ACTIVITIES) {
      await page.getByRole("button", { name: "Thêm hoạt động" }).click();
      const form = page.getByRole("form", { name: "Thêm hoạt động" });
      await form.getByLabel("Tên hoạt động").fill(a.title);
      await form.getByLabel("Lĩnh vực").selectOption(a.category);
      await form.getByLabel("Ngày bắt đầu").fill(a.start);
      await form.getByLabel("Ngày kết thúc").fill(a.end);
      await form.getByLabel("Số buổi").fill(a.sessions);
      await form.getByLabel("Tổng số người tham gia").fill(a.participants);
      await form.getByLabel("Trong đó nữ").fill(a.female);
      await form.getByLabel("Đơn vị phối hợp").fill("Hội Phụ nữ xã");
      await form.getByRole("button", { name: "Lưu" }).click();
      await page.getByRole("status").filter({ hasText: "Đã thêm hoạt động." }).waitFor();
      await page.getByText(a.title).waitFor();
    }

    // Refused: more women than participants, an end before the start, a fraction. Nothing stored,
    // nothing typed is lost.
    const before = await centreActivityCount();
    await page.getByRole("button", { name: "Thêm hoạt động" }).click();
    const form = page.getByRole("form", { name: "Thêm hoạt động" });
    await form.getByLabel("Tên hoạt động").fill("Nhập sai");
    await form.getByLabel("Lĩnh vực").selectOption("health");
    await form.getByLabel("Ngày bắt đầu").fill(day(12));
    await form.getByLabel("Ngày kết thúc").fill(day(11));
    await form.getByLabel("Số buổi").fill("1,5");
    await form.getByLabel("Tổng số người tham gia").fill("10");
    await form.getByLabel("Trong đó nữ").fill("12");
    await form.getByRole("button", { name: "Lưu" }).click();
    await form.getByText("Số nữ không được lớn hơn tổng số người tham gia.").waitFor();
    await form.getByText("Ngày kết thúc không được trước ngày bắt đầu.").waitFor();
    await form.getByText("Số buổi phải là số nguyên từ 1 trở lên.").waitFor();
    expect(await form.getByLabel("Trong đó nữ").inputValue()).toBe("12");
    expect(await centreActivityCount()).toBe(before);
    await form.getByRole("button", { name: "Hủy" }).click();

    // The year's budget by source.
    await page.getByLabel("Ngân sách nhà nước (đồng)").fill("30800000");
    await page.getByRole("button", { name: "Lưu" }).click();
    await page.getByTestId("centre-funding-total").filter({ hasText: "30.800.000 đồng" }).waitFor();

    // The table equals the sum of the activities, category by category.
    const table = page.getByTestId("centre-table");
    const row = (code: string) => table.locator(`tr[data-category="${code}"] td`);
    const sum = (code: string | null, key: "participants" | "female") =>
      ACTIVITIES.filter((a) => code === null || a.category === code).reduce((s, a) => s + Number(a[key]), 0);
    for (const code of ["legal", "vocational", "health", "literacy"]) {
      const cells = await row(code).allTextContents();
      const classes = ACTIVITIES.filter((a) => a.category === code).length;
      expect(cells.slice(2).map((c) => Number(c.replace(/\./g, "")))).toEqual([
        classes,
        sum(code, "participants"),
        sum(code, "female"),
      ]);
    }
    const total = await row("total").allTextContents();
    expect(total.slice(1).map((c) => Number(c.replace(/\./g, "")))).toEqual([
      4,
      sum(null, "participants"),
      sum(null, "female"),
    ]);
    expect(await page.getByText("Việc xếp loại do cấp trên của xã thực hiện.").count()).toBe(1);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });

  it("the province sees the totals of all its communes at once, and rates the centre", async () => {
    const { context, page } = await openAs(journey, "canbo.tn");
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}`);
    await page.getByRole("link", { name: "Tổng hợp Trung tâm học tập cộng đồng" }).click();
    const table = page.getByTestId("centre-table");
    await table.waitFor();
    const participants = ACTIVITIES.reduce((s, a) => s + Number(a.participants), 0) + 12;
    const female = ACTIVITIES.reduce((s, a) => s + Number(a.female), 0) + 7;
    const total = await table.locator('tr[data-category="total"] td').allTextContents();
    expect(total.slice(1).map((c) => Number(c.replace(/\./g, "")))).toEqual([5, participants, female]);
    const children = page.getByTestId("centre-children");
    const cells = async (id: number) =>
      (await children.locator(`tr[data-unit="${id}"] td`).allTextContents()).map((c) =>
        Number(c.replace(/\./g, "")),
      );
    expect(await cells(binhYen)).toEqual([4, participants - 12, female - 7, 30_800_000]);
    expect(await cells(otherCommune.id)).toEqual([1, 12, 7, 0]);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    // The level above rates the centre of Bình Yên.
    await children.locator(`tr[data-unit="${binhYen}"] a`).click();
    await page.getByLabel("Xếp loại").selectOption("tot");
    await page.getByRole("button", { name: "Xếp loại" }).click();
    await page.getByTestId("centre-rating").filter({ hasText: "Tốt" }).waitFor();
    await context.close();
  });

  it("fits a desktop too", async () => {
    const { context, page } = await openAs(journey, "canbo.tn", ON_DESKTOP);
    await page.goto(`${baseUrl}/org-units/${thaiNguyen}/centres/summary`);
    await page.getByTestId("centre-children").waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });
});
