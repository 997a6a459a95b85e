import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUserAndLogin,
  loginAsAdmin,
  TEST_ADMIN_PASSWORD,
  type TestClient,
  unitIdByCode,
} from "../src/testing/test-app.ts";
import {
  fillLoginForm,
  horizontalOverflow,
  type Journey,
  newContext,
  ON_DESKTOP,
  ON_PHONE,
  startJourney,
} from "./browser.ts";

/**
 * The criteria-framework screens in real headless Chromium against the real server: the national
 * administrator reads the shipped GĐHT framework and what is unverified in it, clones it into a
 * new national version, edits it in the form with the live consistency check and trial scoring,
 * saves and publishes it; a province administrator on a phone clones a variant for the province.
 */
let journey: Journey;
let baseUrl: string;
let admin: TestClient;
let thaiNguyen: number;

const GDHT_TITLE = "Gia đình học tập — tiêu chí theo QĐ 448/QĐ-KHVN, Phần A (giai đoạn 2016–2020)";
const SUM_MESSAGE = "Tổng điểm tối đa các tiêu chí (35) phải bằng điểm tối đa của nhóm (30).";

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  admin = await loginAsAdmin(journey.app);
  thaiNguyen = await unitIdByCode(admin, "19", "province");
}, 120_000);

afterAll(() => journey?.close());

/** Logs in through the form and waits to be taken off the login page. */
async function login(page: Page, username: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await fillLoginForm(page, username, password);
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** The trial-scoring panel's running total and rating. */
function scoreStatus(page: Page) {
  return page.getByRole("region", { name: "Thử chấm điểm" }).getByRole("status");
}

describe("criteria frameworks in the browser", () => {
  let context: BrowserContext;
  let page: Page;
  let draftUrl = "";

  beforeAll(async () => {
    context = await newContext(journey.browser, ON_DESKTOP);
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  it("the national administrator opens the GĐHT framework and sees what is not verified", async () => {
    await login(page, "admin", TEST_ADMIN_PASSWORD);
    await page.getByRole("link", { name: "Bộ tiêu chí" }).click();
    await page.getByRole("heading", { level: 1, name: "Bộ tiêu chí" }).waitFor();
    const gdht = page.getByRole("region", { name: "Gia đình học tập" });
    await gdht.getByRole("heading", { level: 2, name: "Gia đình học tập" }).waitFor();
    const row = gdht.getByRole("listitem").filter({ hasText: GDHT_TITLE });
    await row.getByText("Đang áp dụng").waitFor();
    await row.getByText("Chưa xác minh đủ văn bản gốc").waitFor();
    expect(await row.textContent()).toContain("Phiên bản 1 · Toàn quốc · Áp dụng từ 2016");

    // The filter by model keeps only that model's frameworks.
    await page.getByLabel("Mô hình").selectOption({ label: "Dòng họ học tập" });
    await page.getByRole("heading", { level: 2, name: "Dòng họ học tập" }).waitFor();
    await expect
      .poll(() => page.getByRole("heading", { level: 2, name: "Gia đình học tập" }).count())
      .toBe(0);
    await page.getByLabel("Mô hình").selectOption({ label: "Gia đình học tập" });
    await page.getByRole("link", { name: GDHT_TITLE }).click();

    await page.getByRole("heading", { level: 1, name: GDHT_TITLE }).waitFor();
    const unknowns = page.getByRole("region", { name: "Những điểm chưa xác minh" });
    await unknowns.getByText(/Tiêu chí 2\.3: nội dung CHƯA XÁC MINH/).waitFor();
    const legal = page.getByRole("region", { name: "Căn cứ pháp lý" });
    await legal.getByText("448/QĐ-KHVN", { exact: true }).waitFor();
    await legal.getByText("01/12/2015").waitFor();
    await legal
      .getByRole("link", { name: /khuyenhocyenbai\.vn/ })
      .first()
      .waitFor();
    const criteria = page.getByRole("region", { name: "Các tiêu chí" });
    await criteria
      .getByRole("heading", { name: "Nhóm 1. Học tập của trẻ em trong gia đình — 30 điểm" })
      .waitFor();
    await criteria.getByRole("cell", { name: "Chấm điểm 0–10" }).first().waitFor();
    await page.getByRole("region", { name: "Cách xếp loại" }).getByText("Đạt: từ 80 điểm").waitFor();
    // A published framework has no editor.
    expect(await page.getByRole("button", { name: "Lưu bản nháp" }).count()).toBe(0);
  });

  it("clones it into a new national draft and edits it with the live check", async () => {
    await page.getByLabel("Phạm vi").selectOption({ label: "Toàn quốc" });
    await page.getByRole("button", { name: "Nhân bản thành phiên bản mới" }).click();
    await page.getByRole("status").filter({ hasText: "Đã tạo bản nháp phiên bản 2 (Toàn quốc)" }).waitFor();
    draftUrl = page.url();
    expect(draftUrl).toMatch(/\/frameworks\/\d+$/);
    await page.getByText("Bản nháp", { exact: true }).first().waitFor();
    await page.getByText(/Phiên bản 2 · Toàn quốc/).waitFor();
    const problems = page.getByRole("region", { name: "Kiểm tra tính nhất quán" });
    await problems.getByText("Không phát hiện lỗi. Có thể lưu và ban hành.").waitFor();

    // A criterion's maximum no longer adds up to its group's: the Vietnamese message appears at once,
    // in the check and beside the group's maximum.
    const criterion = page.getByRole("group", { name: "Tiêu chí 1.1", exact: true });
    await criterion.getByLabel("Điểm tối đa").fill("15");
    await problems.getByText(SUM_MESSAGE).waitFor();
    await problems.getByText("Nhóm 1 › Điểm tối đa").waitFor();
    const group = page.getByRole("group", { name: "Nhóm 1", exact: true });
    await group.locator(".field", { hasText: "Điểm tối đa" }).first().getByText(SUM_MESSAGE).waitFor();
    expect(await page.getByRole("button", { name: "Ban hành", exact: true }).isDisabled()).toBe(true);

    // Saving it anyway: the server refuses, says which field, and nothing typed is lost.
    await page.getByRole("button", { name: "Lưu bản nháp" }).click();
    await page.getByRole("alert").filter({ hasText: "Vui lòng sửa các trường được đánh dấu." }).waitFor();
    expect(await criterion.getByLabel("Điểm tối đa").inputValue()).toBe("15");

    // Fixed: the message goes away.
    await criterion.getByLabel("Điểm tối đa").fill("10");
    await problems.getByText("Không phát hiện lỗi. Có thể lưu và ban hành.").waitFor();
    expect(await problems.getByText(SUM_MESSAGE).count()).toBe(0);

    // A rating rule in the form: every group must reach half its points.
    await page
      .getByRole("group", { name: /^Mức xếp loại 1/ })
      .getByLabel("Mỗi nhóm đạt tối thiểu (%)")
      .fill("50");
    await page.getByLabel("Tên bộ tiêu chí").fill("Gia đình học tập — bản thử nghiệm 2026");
  });

  it("tries a score in the preview and sees the rating follow the points", async () => {
    const trial = page.getByRole("region", { name: "Thử chấm điểm" });
    const full: Record<string, string> = {
      "1.1": "10",
      "1.2": "10",
      "1.3": "10",
      "2.1": "10",
      "2.2": "10",
      "2.3": "10",
      "3.1": "20",
      "4.1": "20",
    };
    for (const [code, points] of Object.entries(full)) {
      await trial.getByLabel(new RegExp(`^Tiêu chí ${code.replace(".", "\\.")} \\(`)).fill(points);
    }
    await expect.poll(() => scoreStatus(page).textContent()).toBe("Tổng: 100/100 điểm Xếp loại: Đạt");
    // 80 points, but group 4 has nothing: below the 50 % every group needs.
    await trial.getByLabel(/^Tiêu chí 4\.1 \(/).fill("0");
    await expect.poll(() => scoreStatus(page).textContent()).toBe("Tổng: 80/100 điểm Xếp loại: Chưa đạt");
    await trial.getByLabel(/^Tiêu chí 4\.1 \(/).fill("10");
    await expect.poll(() => scoreStatus(page).textContent()).toBe("Tổng: 90/100 điểm Xếp loại: Đạt");
    await trial.getByLabel(/^Tiêu chí 3\.1 \(/).fill("0");
    await expect.poll(() => scoreStatus(page).textContent()).toBe("Tổng: 70/100 điểm Xếp loại: Chưa đạt");
  });

  it("keeps unsaved edits through a dropped connection and a reload", async () => {
    await context.setOffline(true);
    await page.getByRole("button", { name: "Lưu bản nháp" }).click();
    await page.getByRole("alert").filter({ hasText: "Không kết nối được máy chủ" }).waitFor();
    expect(await page.getByLabel("Tên bộ tiêu chí").inputValue()).toBe(
      "Gia đình học tập — bản thử nghiệm 2026",
    );
    await page.getByText("Có thay đổi chưa lưu.").waitFor();
    await context.setOffline(false);

    await page.reload();
    await page.getByRole("button", { name: "Khôi phục bản đang sửa" }).click();
    expect(await page.getByLabel("Tên bộ tiêu chí").inputValue()).toBe(
      "Gia đình học tập — bản thử nghiệm 2026",
    );
    expect(
      await page
        .getByRole("group", { name: /^Mức xếp loại 1/ })
        .getByLabel("Mỗi nhóm đạt tối thiểu (%)")
        .inputValue(),
    ).toBe("50");
  });

  it("saves, then publishes after a confirmation; the published version has no editor", async () => {
    await page.getByRole("button", { name: "Lưu bản nháp" }).click();
    await page.getByRole("status").filter({ hasText: "Đã lưu bản nháp." }).waitFor();
    await page.getByText("Đã lưu mọi thay đổi.").waitFor();
    await page.reload();
    expect(await page.getByLabel("Tên bộ tiêu chí").inputValue()).toBe(
      "Gia đình học tập — bản thử nghiệm 2026",
    );
    expect(await page.getByRole("button", { name: "Khôi phục bản đang sửa" }).count()).toBe(0);

    await page.getByRole("button", { name: "Ban hành", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "không sửa được nữa" }).waitFor();
    await page.getByRole("button", { name: "Xác nhận ban hành" }).click();
    await page.getByRole("status").filter({ hasText: "Đã ban hành phiên bản 2." }).waitFor();
    await page.getByRole("heading", { level: 1, name: "Gia đình học tập — bản thử nghiệm 2026" }).waitFor();
    await page.getByText("Đang áp dụng", { exact: true }).first().waitFor();
    await page
      .getByRole("region", { name: "Cách xếp loại" })
      .getByText("Đạt: từ 80 điểm; mỗi nhóm ≥ 50%")
      .waitFor();
    expect(await page.getByRole("button", { name: "Lưu bản nháp" }).count()).toBe(0);
    expect(await page.getByLabel("Tên bộ tiêu chí").count()).toBe(0);

    // The server agrees: version 2 is published with the edits.
    const id = Number(draftUrl.split("/").pop());
    const saved = (await admin.get(`/api/v1/frameworks/${id}`)).json() as {
      status: string;
      definition: { title: string; ratings: { minEachGroupPercent?: number }[] };
    };
    expect(saved.status).toBe("published");
    expect(saved.definition.title).toBe("Gia đình học tập — bản thử nghiệm 2026");
    expect(saved.definition.ratings[0]?.minEachGroupPercent).toBe(50);
  });
});

describe("a province administrator on a phone", () => {
  it("clones a variant of the national GĐHT framework for Thái Nguyên", async () => {
    await createUserAndLogin(journey.app, admin, {
      username: "qt.thainguyen",
      role: "admin",
      scopeIds: [thaiNguyen],
    });
    const context = await newContext(journey.browser, ON_PHONE);
    const page = await context.newPage();
    await login(page, "qt.thainguyen", "pw-qt.thainguyen-123");

    await page.getByRole("button", { name: "Mở menu" }).click();
    await page.getByRole("link", { name: "Bộ tiêu chí" }).click();
    await page.getByRole("heading", { level: 1, name: "Bộ tiêu chí" }).waitFor();
    const gdht = page.getByRole("region", { name: "Gia đình học tập" });
    await gdht.getByRole("link").first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    await gdht.getByRole("listitem").filter({ hasText: "Phiên bản 1 · Toàn quốc" }).getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: GDHT_TITLE }).waitFor();
    await page.getByRole("region", { name: "Những điểm chưa xác minh" }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    // Only their own province: no national option.
    const scope = page.getByLabel("Phạm vi");
    await expect
      .poll(async () => (await scope.locator("option").allTextContents()).join("|"))
      .toBe("Tỉnh Thái Nguyên");
    await page.getByRole("button", { name: "Nhân bản thành phiên bản mới" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Đã tạo bản nháp phiên bản 1 (Tỉnh Thái Nguyên)" })
      .waitFor();
    await page.getByText(/Phiên bản 1 · Tỉnh Thái Nguyên/).waitFor();
    await page.getByRole("button", { name: "Lưu bản nháp" }).waitFor();
    await page.getByRole("group", { name: "Tiêu chí 1.1", exact: true }).getByLabel("Điểm tối đa").waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    // The variant is listed under the model with the province as its scope.
    await page.goto(`${baseUrl}/frameworks?model=gdht`);
    const variant = page.getByRole("listitem").filter({ hasText: "Tỉnh Thái Nguyên" });
    await variant.getByText("Bản nháp").waitFor();
    expect(await variant.textContent()).toContain("Phiên bản 1 · Tỉnh Thái Nguyên · Áp dụng từ 2016");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });
});
