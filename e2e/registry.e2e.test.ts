import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserAndLogin, loginAsAdmin, type TestClient, unitIdByCode } from "../src/testing/test-app.ts";
import {
  fillLoginForm,
  horizontalOverflow,
  type Journey,
  newContext,
  ON_PHONE,
  startJourney,
} from "./browser.ts";

/**
 * The registry's journey in real headless Chromium against the real server: a data-entry clerk
 * of Xã Bình Yên, on a phone, opens a village, adds a household with two members (one with a
 * citizen ID), survives a bad birth year and a dropped connection without retyping anything,
 * finds the household by typing the head's name without diacritics, marks another household as
 * moved away with the bulk bar, then creates a clan and adds the household to it.
 */
let journey: Journey;
let baseUrl: string;
let admin: TestClient;
let communeId: number;
let villageId: number;
const CCCD = "019075001234";
const USERNAME = "nhaplieu.binhyen";

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  admin = await loginAsAdmin(journey.app);
  communeId = await unitIdByCode(admin, "05587"); // Xã Bình Yên, Thái Nguyên
  const village = await admin.post("/api/v1/org-units", {
    parentId: communeId,
    kind: "village",
    name: "Thôn Đồng Bục",
  });
  villageId = (village.json() as { id: number }).id;
  const other = await admin.post("/api/v1/org-units", {
    parentId: communeId,
    kind: "village",
    name: "Thôn Ao Sen",
  });
  // A household already on the list, that has moved away (for the bulk bar).
  const moved = await admin.post("/api/v1/households", { villageId, headName: "Lường Văn Chuyển" });
  expect(moved.statusCode).toBe(201);
  // A household of another village of the commune: the clan gathers households across villages.
  const across = await admin.post("/api/v1/households", {
    villageId: (other.json() as { id: number }).id,
    headName: "Bùi Duy Hưng",
  });
  expect(across.statusCode).toBe(201);
  // The clerk logs in with the password set by the administrator (no temporary password).
  await createUserAndLogin(journey.app, admin, {
    username: USERNAME,
    role: "data_entry",
    scopeIds: [communeId],
  });
}, 120_000);

afterAll(() => journey?.close());

async function noHorizontalOverflow(page: Page) {
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
}

describe("registry journey on a phone", () => {
  let page: Page;

  beforeAll(async () => {
    const context = await newContext(journey.browser, ON_PHONE);
    page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await fillLoginForm(page, USERNAME, `pw-${USERNAME}-123`);
    await page.getByRole("heading", { level: 1, name: "Xã Bình Yên" }).waitFor();
  });

  afterAll(async () => {
    await page.context().close();
  });

  it("opens the village's households from the commune page", async () => {
    await page.getByRole("link", { name: "Dòng họ" }).waitFor();
    await page.getByRole("link", { name: "Thôn Đồng Bục" }).click();
    await page.getByRole("heading", { level: 1, name: "Thôn Đồng Bục" }).waitFor();
    await page.getByRole("link", { name: "Hộ gia đình" }).click();
    await page.getByRole("heading", { level: 1, name: "Hộ gia đình" }).waitFor();
    await page.getByRole("link", { name: "Lường Văn Chuyển" }).waitFor();
    await noHorizontalOverflow(page);
  });

  it("adds a household with two members; a bad birth year and a dropped connection lose nothing", async () => {
    await page.getByRole("button", { name: "Thêm hộ gia đình" }).click();
    await page.getByLabel("Họ tên chủ hộ").fill("Bùi Duy Khánh");
    await page.getByLabel("Địa chỉ").fill("Xóm Giữa");
    await page.getByLabel("Hộ dân tộc thiểu số").check();
    const first = page.getByRole("group", { name: "Thành viên 1" });
    await first.getByLabel("Họ và tên").fill("Bùi Duy Khánh");
    await first.getByLabel("Năm sinh").fill("1800");
    await first.getByLabel("Giới tính").selectOption({ label: "Nam" });
    await first.getByLabel("Dân tộc").fill("Tày");
    await first.getByLabel("Số CCCD (không bắt buộc)").fill(CCCD);
    await first.getByLabel("Là chủ hộ").check();
    await page.getByRole("button", { name: "Thêm thành viên" }).click();
    const second = page.getByRole("group", { name: "Thành viên 2" });
    await second.getByLabel("Họ và tên").fill("Nguyễn Thị Lan");
    await second.getByLabel("Năm sinh").fill("1978");
    await second.getByLabel("Giới tính").selectOption({ label: "Nữ" });
    await noHorizontalOverflow(page);

    // A bad birth year: a Vietnamese message beside the field, and everything typed is still there.
    await page.getByRole("button", { name: "Lưu hộ gia đình" }).click();
    const year = new Date().getFullYear();
    await first.getByText(`Năm sinh phải từ 1900 đến ${year}.`).waitFor();
    expect(await first.getByLabel("Năm sinh").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Họ tên chủ hộ").inputValue()).toBe("Bùi Duy Khánh");
    expect(await first.getByLabel("Số CCCD (không bắt buộc)").inputValue()).toBe(CCCD);
    expect(await second.getByLabel("Họ và tên").inputValue()).toBe("Nguyễn Thị Lan");
    expect(await page.getByLabel("Hộ dân tộc thiểu số").isChecked()).toBe(true);
    await noHorizontalOverflow(page);

    // The connection drops while saving: a plain message, and the form keeps its input.
    await first.getByLabel("Năm sinh").fill("1975");
    await page.context().setOffline(true);
    await page.getByRole("button", { name: "Lưu hộ gia đình" }).click();
    await page.getByRole("alert").filter({ hasText: "Không kết nối được máy chủ" }).waitFor();
    expect(await first.getByLabel("Năm sinh").inputValue()).toBe("1975");
    expect(await second.getByLabel("Năm sinh").inputValue()).toBe("1978");
    await page.context().setOffline(false);

    await page.getByRole("button", { name: "Lưu hộ gia đình" }).click();
    await page.getByRole("status").filter({ hasText: "Đã thêm hộ Bùi Duy Khánh." }).waitFor();
    await page.getByRole("link", { name: "Bùi Duy Khánh" }).waitFor();
    expect(await page.getByRole("button", { name: "Lưu hộ gia đình" }).count()).toBe(0);
  });

  it("finds the household by the head's name typed without diacritics, and by a member's", async () => {
    const search = page.getByLabel("Tìm hộ gia đình");
    await search.fill("bui duy khanh");
    const results = page.getByRole("region", { name: "Danh sách hộ" });
    await results.getByText("1 hộ", { exact: true }).waitFor();
    await results.getByRole("link", { name: "Bùi Duy Khánh" }).waitFor();
    expect(await results.getByRole("link", { name: "Lường Văn Chuyển" }).count()).toBe(0);
    await search.fill("NGUYEN THI LAN");
    await results.getByText("1 hộ", { exact: true }).waitFor();
    await results.getByRole("link", { name: "Bùi Duy Khánh" }).waitFor();
    await search.fill("khong ai ten nay");
    await results.getByText("Không có hộ nào khớp với “khong ai ten nay”.").waitFor();
    await search.fill("");
    await results.getByRole("link", { name: "Lường Văn Chuyển" }).waitFor();
  });

  it("shows the household with only the last four digits of the citizen ID", async () => {
    await page.getByRole("link", { name: "Bùi Duy Khánh" }).click();
    await page.getByRole("heading", { level: 2, name: /Bùi Duy Khánh/ }).waitFor();
    await page.getByText("CCCD …1234").waitFor();
    await page.getByText(/Nguyễn Thị Lan/).waitFor();
    expect(await page.content()).not.toContain(CCCD);
    await noHorizontalOverflow(page);
    await page.getByRole("button", { name: "← Danh sách hộ" }).click();
    await page.getByLabel("Tìm hộ gia đình").waitFor();
  });

  it("marks a household as moved away from the bulk bar", async () => {
    await page.getByLabel("Chọn hộ Lường Văn Chuyển").check();
    const bar = page.getByRole("region", { name: "Thao tác với các hộ đã chọn" });
    await bar.getByText("Đã chọn 1 hộ").waitFor();
    await noHorizontalOverflow(page);
    await bar.getByRole("button", { name: "Đánh dấu đã chuyển đi" }).click();
    await page.getByRole("status").filter({ hasText: "Đã đánh dấu 1 hộ đã chuyển đi." }).waitFor();
    await expect.poll(() => page.getByRole("link", { name: "Lường Văn Chuyển" }).count()).toBe(0);
    await page.getByLabel("Hiện").selectOption({ label: "Hộ đã chuyển đi" });
    await page.getByRole("link", { name: "Lường Văn Chuyển" }).waitFor();
  });

  it("creates a clan of the commune and adds the household to it", async () => {
    await page.goto(`${baseUrl}/org-units/${communeId}`);
    await page.getByRole("heading", { level: 1, name: "Xã Bình Yên" }).waitFor();
    await page.getByRole("link", { name: "Dòng họ" }).click();
    await page.getByRole("heading", { level: 1, name: "Dòng họ" }).waitFor();
    await page.getByRole("button", { name: "Thêm dòng họ" }).click();
    await page.getByLabel("Tên dòng họ").fill("họ Bùi Duy");
    await page.getByRole("button", { name: "Lưu dòng họ" }).click();
    await page.getByRole("status").filter({ hasText: "Đã thêm dòng họ “họ Bùi Duy”." }).waitFor();

    await page.getByRole("link", { name: "họ Bùi Duy" }).click();
    await page.getByRole("heading", { level: 2, name: "họ Bùi Duy" }).waitFor();
    await page.getByLabel("Tìm hộ trong xã").fill("bui duy");
    await page.getByRole("button", { name: "Thêm hộ Bùi Duy Khánh vào dòng họ" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Đã thêm hộ Bùi Duy Khánh vào “họ Bùi Duy”." })
      .waitFor();
    // A household of another village of the same commune joins too.
    await page.getByRole("button", { name: "Thêm hộ Bùi Duy Hưng vào dòng họ" }).click();
    await page.getByRole("status").filter({ hasText: "Đã thêm hộ Bùi Duy Hưng vào “họ Bùi Duy”." }).waitFor();
    const members = page
      .getByRole("list")
      .filter({ has: page.getByRole("button", { name: /khỏi dòng họ/ }) });
    await members.getByRole("link", { name: "Bùi Duy Khánh" }).waitFor();
    await members.getByRole("link", { name: "Bùi Duy Hưng" }).waitFor();
    await members.getByText("Thôn Ao Sen").waitFor();
    await noHorizontalOverflow(page);

    // The household's page names its clan.
    await members.getByRole("link", { name: "Bùi Duy Khánh" }).click();
    await page.getByRole("heading", { level: 2, name: /Bùi Duy Khánh/ }).waitFor();
    await page.getByText("họ Bùi Duy", { exact: true }).waitFor();
  });

  it("left a clean trail: audited writes, and the citizen ID nowhere in clear", async () => {
    const audit = (await admin.get(`/api/v1/audit?username=${USERNAME}&pageSize=50`)).json() as {
      items: { action: string }[];
    };
    expect(audit.items.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "household.created",
        "household.deactivated",
        "clan.created",
        "clan.households_added",
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain(CCCD);
    const members = await journey.database.db
      .selectFrom("household_members")
      .select(["national_id_hash", "national_id_last4"])
      .where("national_id_last4", "is not", null)
      .execute();
    expect(members).toHaveLength(1);
    expect(members[0]?.national_id_last4).toBe("1234");
    expect(members[0]?.national_id_hash).not.toContain(CCCD);
  });
});
