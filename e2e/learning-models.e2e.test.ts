import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserAndLogin, loginAsAdmin, TestClient, unitIdByCode } from "../src/testing/test-app.ts";
import {
  horizontalOverflow,
  type Journey,
  loginInBrowser,
  newContext,
  ON_DESKTOP,
  ON_PHONE,
  PHONE,
  startJourney,
} from "./browser.ts";

/**
 * The yearly cycle of Gia đình học tập in the browser: a village head registers every household
 * in one action and self-assesses one, watching the total and rating change; the commune officer
 * reviews and recognises the batch by decision; the province's figures show it at once.
 */
const YEAR = new Date().getFullYear();
let journey: Journey;
let baseUrl: string;
let admin: TestClient;
let village: number;
let binhYen: number;
let thaiNguyen: number;
let provinceOfficer: TestClient;

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  const { app } = journey;
  admin = await loginAsAdmin(app);
  binhYen = await unitIdByCode(admin, "05587");
  thaiNguyen = await unitIdByCode(admin, "19", "province");
  village = (
    (
      await admin.post("/api/v1/org-units", { parentId: binhYen, kind: "village", name: "Thôn Đồng Tâm" })
    ).json() as { id: number }
  ).id;
  const clerk = await createUserAndLogin(app, admin, {
    username: "truongthon",
    role: "data_entry",
    scopeIds: [village],
  });
  await createUserAndLogin(app, admin, { username: "canbo.binhyen", role: "officer", scopeIds: [binhYen] });
  provinceOfficer = await createUserAndLogin(app, admin, {
    username: "canbo.tn",
    role: "officer",
    scopeIds: [thaiNguyen],
  });
  for (const headName of ["Nguyễn Văn An", "Bùi Duy Bình", "Lê Thị Cúc"]) {
    const res = await clerk.post("/api/v1/households", { villageId: village, headName });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 120_000);

afterAll(() => journey?.close());

describe("learning models in the browser", () => {
  it("the village head registers every household at once and self-assesses one on a phone", async () => {
    const context = await newContext(journey.browser, ON_PHONE);
    const page = await context.newPage();
    await loginInBrowser(page, baseUrl, "truongthon", "pw-truongthon-123");
    await page.goto(`${baseUrl}/org-units/${village}`);
    await page.getByRole("link", { name: "Đánh giá mô hình học tập" }).click();
    await page.getByRole("heading", { level: 1, name: "Đánh giá mô hình học tập" }).waitFor();

    await page.getByRole("button", { name: "Đăng ký tất cả hộ gia đình" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Đã đăng ký 3 đối tượng cho năm ${YEAR}` })
      .waitFor();
    for (const name of ["Nguyễn Văn An", "Bùi Duy Bình", "Lê Thị Cúc"]) {
      await page.getByRole("link", { name }).waitFor();
    }
    // Registering again changes nothing.
    await page.getByRole("button", { name: "Đăng ký tất cả hộ gia đình" }).click();
    await page.getByRole("status").filter({ hasText: "3 đối tượng đã đăng ký từ trước" }).waitFor();

    await page.getByRole("link", { name: "Bùi Duy Bình" }).click();
    await page.getByRole("heading", { level: 1, name: "Bùi Duy Bình" }).waitFor();
    const panel = page.locator(".score-panel");
    await panel.getByText("Tổng điểm: 0/100").waitFor();

    // Scores typed one by one: the total and the expected rating follow at once.
    const inputs = page.locator("input.score-input");
    const count = await inputs.count();
    expect(count).toBeGreaterThan(3);
    await inputs.first().fill("10");
    await panel.getByText("Tổng điểm: 10/100").waitFor();
    await panel.getByText("Xếp loại dự kiến: Chưa đạt").waitFor();
    for (let i = 1; i < count; i++) {
      const hint = await inputs.nth(i).getAttribute("aria-describedby");
      const max = hint ? ((await page.locator(`[id="${hint.split(" ")[0]}"]`).textContent()) ?? "") : "";
      await inputs.nth(i).fill(/Tối đa (\d+)/.exec(max)?.[1] ?? "10");
    }
    await panel.getByText("Tổng điểm: 100/100").waitFor();
    await panel.getByText("Xếp loại dự kiến: Đạt").waitFor();

    // A score above the maximum is refused by the server in Vietnamese, and nothing is lost.
    await inputs.first().fill("15");
    await page.getByRole("button", { name: "Gửi bình xét" }).click();
    await page.getByText("Điểm tối đa của tiêu chí này là 10.").waitFor();
    expect(await inputs.first().inputValue()).toBe("15");
    await inputs.first().fill("10");
    await page.getByRole("button", { name: "Gửi bình xét" }).click();
    await page.getByRole("status").filter({ hasText: "Đã gửi bình xét." }).waitFor();
    await page.getByText("Chờ bình xét").first().waitFor();

    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    // The other two households submit the same way (through the API here, for speed).
    const clerk = new TestClient(journey.app);
    await clerk.login("truongthon", "pw-truongthon-123");
    const list = (
      await clerk.get(`/api/v1/evaluations?orgUnitId=${village}&model=gdht&year=${YEAR}`)
    ).json() as {
      items: { id: number; status: string }[];
    };
    for (const e of list.items.filter((i) => i.status !== "submitted")) {
      const detail = (await clerk.get(`/api/v1/evaluations/${e.id}`)).json() as {
        framework: { definition: { groups: { criteria: { code: string; maxPoints: number }[] }[] } };
      };
      const answers = Object.fromEntries(
        detail.framework.definition.groups.flatMap((g) => g.criteria.map((c) => [c.code, c.maxPoints])),
      );
      const res = await clerk.put(`/api/v1/evaluations/${e.id}/answers`, { answers, submit: true });
      expect(res.statusCode, res.body).toBe(200);
    }
    await context.close();
  });

  it("the commune officer reviews and recognises the batch by decision; the province sees it at once", async () => {
    const before = (
      await provinceOfficer.get(`/api/v1/stats/learning-models?orgUnitId=${thaiNguyen}&year=${YEAR}`)
    ).json() as {
      models: { model: string; children: { id: number; figures: { recognised: number } }[] }[];
    };
    const commune = (s: typeof before) =>
      s.models.find((m) => m.model === "gdht")?.children.find((c) => c.id === binhYen)?.figures;
    expect(commune(before)?.recognised).toBe(0);

    const context = await newContext(journey.browser, ON_DESKTOP);
    const page = await context.newPage();
    await loginInBrowser(page, baseUrl, "canbo.binhyen", "pw-canbo.binhyen-123");
    await page.goto(`${baseUrl}/org-units/${binhYen}/evaluations?model=gdht&year=${YEAR}`);
    await page.getByText("3 đối tượng").waitFor();

    await page.getByLabel("Chọn tất cả trên trang").check();
    await page.getByRole("button", { name: "Bình xét đạt" }).click();
    await page.getByRole("button", { name: "Xác nhận" }).click();
    await page.getByRole("status").filter({ hasText: "Đã cập nhật 3 hồ sơ" }).waitFor();

    await page.getByLabel("Chọn tất cả trên trang").check();
    await page.getByRole("button", { name: "Công nhận", exact: true }).click();
    await page.getByRole("button", { name: "Xác nhận" }).click();
    // The decision number is required: a Vietnamese message beside the field.
    await page.getByText("Nhập số quyết định.").waitFor();
    await page.getByLabel("Số quyết định").fill("125/QĐ-UBND");
    expect(await page.getByLabel("Cơ quan ban hành").inputValue()).toBe("UBND Xã Bình Yên");
    await page.getByRole("button", { name: "Xác nhận" }).click();
    await page.getByRole("status").filter({ hasText: "Đã cập nhật 3 hồ sơ" }).waitFor();
    await expect
      .poll(() => page.locator(".evaluation-row .badge", { hasText: "Đã công nhận" }).count())
      .toBe(3);

    await context.close();

    // The province's dashboard, opened right after, already shows the commune at 100%.
    const provinceContext = await newContext(journey.browser, {
      viewport: PHONE,
      isMobile: true,
      locale: "vi-VN",
    });
    const provincePage = await provinceContext.newPage();
    await loginInBrowser(provincePage, baseUrl, "canbo.tn", "pw-canbo.tn-123");
    await provincePage.goto(`${baseUrl}/org-units/${thaiNguyen}/dashboard?year=${YEAR}`);
    const chart = provincePage
      .getByRole("region", { name: "Gia đình học tập" })
      .getByTestId("children-chart-gdht");
    await expect.poll(() => chart.getAttribute("aria-label")).toContain("Xã Bình Yên 100%");
    await provinceContext.close();
    const after = (
      await provinceOfficer.get(`/api/v1/stats/learning-models?orgUnitId=${thaiNguyen}&year=${YEAR}`)
    ).json() as typeof before;
    expect(commune(after)).toMatchObject({ recognised: 3 });
  });

  it("a citizen registers from a phone without an account and waits in the commune's queue", async () => {
    const context = await newContext(journey.browser, ON_PHONE);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByRole("link", { name: "Đăng ký Công dân học tập (không cần tài khoản)" }).click();
    await page.getByRole("heading", { level: 1, name: "Đăng ký Công dân học tập" }).waitFor();
    await page.getByLabel("Họ và tên").fill("Hoàng Văn Thụ");
    await page.getByLabel("Số điện thoại").fill("12");
    await page.getByLabel("Nhóm").selectOption({ index: 1 });
    await page.getByLabel("Xã, phường hoặc cơ quan, đơn vị của bạn").fill("binh yen");
    await page.getByRole("button", { name: "Xã Bình Yên — Tỉnh Thái Nguyên" }).click();
    await page.getByRole("button", { name: "Gửi đăng ký" }).click();
    // A wrong phone number: a Vietnamese message beside it, and nothing else is lost.
    await page.getByText(/Số điện thoại gồm 9–11 chữ số/).waitFor();
    expect(await page.getByLabel("Họ và tên").inputValue()).toBe("Hoàng Văn Thụ");
    await page.getByLabel("Số điện thoại").fill("0987 654 321");
    await page.getByRole("button", { name: "Gửi đăng ký" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Đã gửi đăng ký tới Xã Bình Yên\. Mã tiếp nhận của bạn: CD-\d+/ })
      .waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();

    const officerContext = await newContext(journey.browser, {
      viewport: PHONE,
      isMobile: true,
      locale: "vi-VN",
    });
    const officerPage = await officerContext.newPage();
    await loginInBrowser(officerPage, baseUrl, "canbo.binhyen", "pw-canbo.binhyen-123");
    await officerPage.goto(`${baseUrl}/org-units/${binhYen}`);
    await officerPage.getByRole("link", { name: "Công dân học tập: hàng chờ xác minh" }).click();
    await officerPage.getByText("1 người chờ xác minh").waitFor();
    await officerPage.getByText("Hoàng Văn Thụ").waitFor();
    await officerPage.getByText("0987 *** 321").waitFor();
    await officerPage.getByLabel("Chọn Hoàng Văn Thụ").check();
    await officerPage.getByRole("button", { name: "Xác nhận", exact: true }).click();
    await officerPage.getByRole("status").filter({ hasText: "Đã cập nhật 1 người" }).waitFor();
    await officerPage.getByText("0 người chờ xác minh").waitFor();
    // The officer also records a citizen met at the learning centre, verified at once.
    await officerPage.getByRole("button", { name: "Thêm công dân" }).click();
    await officerPage.getByLabel("Họ và tên").fill("Vi Thị Lan");
    await officerPage.getByLabel("Nhóm", { exact: true }).selectOption({ index: 4 });
    await officerPage.getByRole("button", { name: "Lưu công dân" }).click();
    await officerPage.getByRole("status").filter({ hasText: "Đã thêm Vi Thị Lan (đã xác nhận)." }).waitFor();
    await officerContext.close();
  });
});
