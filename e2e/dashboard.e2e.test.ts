import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInVietnam } from "../src/domain/dates.ts";
import type { FrameworkDefinition } from "../src/domain/learning-models/framework.ts";
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
 * The learning-model dashboard in real headless Chromium against the real server: a village of
 * Xã Bình Yên registers its three households for Gia đình học tập, two are recognised by the
 * commune; a province officer of Thái Nguyên opens the province's dashboard on a phone, sees the
 * commune at 66,67% on the chart, sets the province's target (a refused value first), and
 * downloads the Excel file. Nothing scrolls sideways.
 */
const YEAR = Number(todayInVietnam().slice(0, 4));
const PROVINCE_OFFICER = "canbo.thainguyen";
const PROVINCE_PASSWORD = `pw-${PROVINCE_OFFICER}-123`; // as createUserAndLogin sets it

let journey: Journey;
let baseUrl: string;
let thaiNguyen: number;
let binhYen: number;
let provinceOfficer: TestClient;

/** Full marks for every typed criterion (maxPoints for points, yes for yes/no). */
function fullMarks(definition: FrameworkDefinition): Record<string, number | boolean> {
  const answers: Record<string, number | boolean> = {};
  for (const c of definition.groups.flatMap((g) => g.criteria)) {
    if (c.derivedFrom) continue;
    const input = c.input;
    answers[c.code] =
      input.kind === "points"
        ? c.maxPoints
        : input.kind === "yes_no"
          ? true
          : input.kind === "count"
            ? Math.max(...input.steps.map((s) => s.atLeast))
            : 100;
  }
  return answers;
}

async function ok(response: Promise<{ statusCode: number; body: string }>, status = 200) {
  const res = await response;
  expect(res.statusCode, res.body).toBe(status);
  return JSON.parse(res.body) as unknown;
}

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  const { app } = journey;
  const admin = await loginAsAdmin(app);
  binhYen = await unitIdByCode(admin, "05587"); // Xã Bình Yên, Thái Nguyên
  thaiNguyen = await unitIdByCode(admin, "19", "province");
  const village = (
    (await ok(
      admin.post("/api/v1/org-units", { parentId: binhYen, kind: "village", name: "Thôn Đồng Tâm" }),
      201,
    )) as { id: number }
  ).id;
  const clerk = await createUserAndLogin(app, admin, {
    username: "truongthon.dongtam",
    role: "data_entry",
    scopeIds: [village],
  });
  const communeOfficer = await createUserAndLogin(app, admin, {
    username: "canbo.binhyen",
    role: "officer",
    scopeIds: [binhYen],
  });
  provinceOfficer = await createUserAndLogin(app, admin, {
    username: PROVINCE_OFFICER,
    role: "officer",
    scopeIds: [thaiNguyen],
  });

  for (const headName of ["Nguyễn Văn An", "Bùi Duy Bình", "Lê Thị Cúc"]) {
    await ok(clerk.post("/api/v1/households", { villageId: village, headName }), 201);
  }
  expect(
    await ok(clerk.post("/api/v1/evaluations/register", { model: "gdht", year: YEAR, allIn: village })),
  ).toEqual({ registered: 3, alreadyRegistered: 0 });
  const listed = (await ok(
    clerk.get(`/api/v1/evaluations?orgUnitId=${village}&model=gdht&year=${YEAR}&pageSize=500`),
  )) as { items: { id: number }[] };
  // Two of the three families assess themselves with full marks; the third has not yet.
  const submitted = listed.items.slice(0, 2).map((i) => i.id);
  for (const id of submitted) {
    const detail = (await ok(clerk.get(`/api/v1/evaluations/${id}`))) as {
      framework: { definition: FrameworkDefinition };
    };
    await ok(
      clerk.put(`/api/v1/evaluations/${id}/answers`, {
        answers: fullMarks(detail.framework.definition),
        submit: true,
      }),
    );
  }
  expect(
    await ok(communeOfficer.post("/api/v1/evaluations/review", { ids: submitted, decision: "accept" })),
  ).toEqual({ changed: 2, unchanged: 0 });
  expect(
    await ok(
      communeOfficer.post("/api/v1/evaluations/decide", {
        ids: submitted,
        decision: "recognise",
        decisionNumber: "125/QĐ-UBND",
        decisionDate: todayInVietnam(),
        issuer: "UBND xã Bình Yên",
      }),
    ),
  ).toEqual({ changed: 2, unchanged: 0 });
}, 180_000);

afterAll(() => journey?.close());

describe("the learning-model dashboard on a phone", () => {
  it("shows the province's figures drawn, takes a target, and downloads the Excel file", async () => {
    const context = await newContext(journey.browser, ON_PHONE);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await fillLoginForm(page, PROVINCE_OFFICER, PROVINCE_PASSWORD);
    await page.getByRole("heading", { level: 1, name: "Tỉnh Thái Nguyên" }).waitFor();

    // From the unit's page to its dashboard.
    await page.getByRole("link", { name: "Số liệu mô hình học tập" }).click();
    await page
      .getByRole("heading", { level: 1, name: "Số liệu mô hình học tập — Tỉnh Thái Nguyên" })
      .waitFor();
    expect(await page.getByLabel("Năm", { exact: true }).inputValue()).toBe(String(YEAR));

    const card = page.getByRole("region", { name: "Gia đình học tập" });
    await card.getByText("Tỷ lệ công nhận 66,67% · chưa đặt chỉ tiêu").waitFor();

    // The chart of the communes: drawn as SVG, summarised for screen readers.
    const chart = card.getByTestId("children-chart-gdht");
    await expect.poll(() => chart.locator("svg").count()).toBeGreaterThan(0);
    expect(await chart.getAttribute("role")).toBe("img");
    expect(await chart.getAttribute("aria-label")).toContain("Xã Bình Yên 66,67%");

    // The same figures as a table, in its own scrolling box.
    await card.getByText("Bảng số liệu").click();
    const row = card.getByRole("row", { name: /Xã Bình Yên/ });
    await row.waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual(
      expect.arrayContaining(["3", "2", "100%", "66,67%"]),
    );

    // A target out of range: the API's message beside the field, the typed value kept.
    const target = card.getByLabel("Chỉ tiêu (%)");
    await target.fill("150");
    await card.getByRole("button", { name: "Lưu chỉ tiêu" }).click();
    await card.getByText("Chỉ tiêu từ 0 đến 100%.").waitFor();
    expect(await target.inputValue()).toBe("150");
    expect(await target.getAttribute("aria-invalid")).toBe("true");

    await target.fill("70");
    await card.getByRole("button", { name: "Lưu chỉ tiêu" }).click();
    await card
      .getByRole("status")
      .filter({ hasText: `Đã lưu chỉ tiêu 70% năm ${YEAR}.` })
      .waitFor();
    await card.getByText("Tỷ lệ công nhận 66,67% · chỉ tiêu 70%").waitFor();
    expect(await target.inputValue()).toBe("70");
    // The commune is now below the province's target, and listed as such.
    const lowest = card.getByRole("list").filter({ has: page.getByRole("link", { name: "Xã Bình Yên" }) });
    await lowest.getByText("66,67% · chỉ tiêu 70% · thiếu 3,33 điểm %").waitFor();
    await expect
      .poll(async () => (await chart.getAttribute("aria-label")) ?? "")
      .toContain("Đường kẻ là chỉ tiêu 70%.");

    // The years so far, loaded once the panel is on screen.
    await card.getByRole("heading", { name: "Diễn biến qua các năm" }).scrollIntoViewIfNeeded();
    const trend = card.getByTestId("trend-chart-gdht");
    await expect.poll(() => trend.locator("svg").count()).toBeGreaterThan(0);
    expect(await trend.getAttribute("aria-label")).toContain(`năm ${YEAR} đăng ký 3, công nhận 2`);

    // Models without any figures take one line.
    await page.getByRole("region", { name: "Công dân học tập" }).getByText("Chưa có số liệu").waitFor();

    // The page fits a phone: nothing scrolls sideways, even with the table open.
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    // The Excel file of what is on screen.
    const href = await page.getByRole("link", { name: "Tải Excel" }).getAttribute("href");
    expect(href).toContain(`year=${YEAR}`);
    const download = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return {
        status: res.status,
        type: res.headers.get("content-type") ?? "",
        size: (await res.blob()).size,
      };
    }, href ?? "");
    expect(download.status).toBe(200);
    expect(download.type).toContain("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(download.size).toBeGreaterThan(0);

    // The year lives in the address; nobody registered the year before.
    await page.getByLabel("Năm", { exact: true }).selectOption(String(YEAR - 1));
    await expect.poll(() => new URL(page.url()).searchParams.get("year")).toBe(String(YEAR - 1));
    await card.getByText(`Chưa có đăng ký năm ${YEAR - 1} · 3 hộ gia đình`).waitFor();
    expect(await page.getByRole("link", { name: "Tải Excel" }).getAttribute("href")).toContain(
      `year=${YEAR - 1}`,
    );
    await page.reload();
    expect(await page.getByLabel("Năm", { exact: true }).inputValue()).toBe(String(YEAR - 1));

    // Units before the merger: listed when asked for.
    await page.getByLabel("Gồm cả đơn vị trước sáp nhập").check();
    await page.getByText(/Đã cộng số liệu của: .+|Đơn vị này không hình thành/).waitFor();
    expect(new URL(page.url()).searchParams.get("includePredecessors")).toBe("true");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });

  it("stored the target the officer set", async () => {
    const stats = (await ok(
      provinceOfficer.get(`/api/v1/stats/learning-models?orgUnitId=${thaiNguyen}&year=${YEAR}`),
    )) as { models: { model: string; figures: { targetPercent: number | null } }[] };
    expect(stats.models.find((m) => m.model === "gdht")?.figures.targetPercent).toBe(70);
  });
});
