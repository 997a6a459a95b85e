import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAsAdmin, type TestClient } from "../src/testing/test-app.ts";
import { horizontalOverflow, type Journey, startJourney } from "./browser.ts";
import { binhYenAndThaiNguyen, countRows, createOfficer, openAs, otherCommunes } from "./fixtures.ts";

/**
 * Inspections and commendations in the browser, on a phone: a province officer plans an
 * inspection of 3 units in 2 clusters (first with an end before the start and the province
 * itself as a target: Vietnamese errors, input kept, nothing stored), records two ratings, sees
 * the counts by category and rating; then proposes Giấy khen for 2 individuals in one go and a
 * collective, and marks one awarded; corrects an exemplary model's story (first with its name
 * cleared: the message beside the name, the new story kept, nothing stored) and deletes another
 * after the confirmation, which the summary recounts.
 */
const YEAR = new Date().getFullYear();
const d = (m: number, day: number) => `${YEAR}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

let journey: Journey;
let baseUrl: string;
let admin: TestClient;
let thaiNguyen: { id: number; name: string };
let binhYen: { id: number; name: string };
let other: { id: number; name: string };
let school: { id: number; name: string };

async function unitName(id: number) {
  return ((await admin.get(`/api/v1/org-units/${id}`)).json() as { name: string }).name;
}

const count = (table: "inspection_plans" | "commendations" | "exemplary_models") => countRows(journey, table);

async function storedModel(id: number) {
  return journey.database.db
    .selectFrom("exemplary_models")
    .select(["name", "story"])
    .where("id", "=", id)
    .executeTakeFirst();
}

beforeAll(async () => {
  journey = await startJourney();
  baseUrl = journey.baseUrl;
  admin = await loginAsAdmin(journey.app);
  const { binhYen: by, thaiNguyen: tn } = await binhYenAndThaiNguyen(admin);
  thaiNguyen = { id: tn, name: await unitName(tn) };
  binhYen = { id: by, name: await unitName(by) };
  const communes = (await otherCommunes(admin, tn, by)).filter((u) => !u.name.includes("Bình Yên"));
  other = communes[0] as { id: number; name: string };
  const s = await admin.post("/api/v1/org-units", {
    parentId: by,
    kind: "school",
    name: "Trường THCS Hùng Sơn",
  });
  school = { id: (s.json() as { id: number }).id, name: "Trường THCS Hùng Sơn" };
  await createOfficer(journey, admin, "canbo.tn", tn);
}, 120_000);

afterAll(() => journey?.close());

describe("inspections and commendations in the browser", () => {
  it("a province officer plans an inspection on a phone, records ratings and sees the counts", async () => {
    const { context, page } = await openAs(journey, "canbo.tn");
    await page.goto(`${baseUrl}/org-units/${thaiNguyen.id}`);
    await page.getByRole("link", { name: "Kiểm tra", exact: true }).click();
    await page.getByRole("button", { name: "Lập kế hoạch kiểm tra" }).click();
    const form = page.getByRole("form", { name: "Lập kế hoạch kiểm tra" });
    await form.getByLabel("Số kế hoạch").fill("37/KH-HKH");
    await form.getByLabel("Ngày ban hành").fill(d(3, 2));
    await form.getByLabel("Nội dung kiểm tra").fill(`Kiểm tra công tác khuyến học năm ${YEAR}`);
    await form.getByLabel("Kiểm tra từ ngày").fill(d(3, 10));
    await form.getByLabel("Đến ngày").fill(d(3, 5));
    await form.getByLabel("Họ và tên").fill("Nguyễn Văn Hùng");

    const pick = async (unit: { id: number; name: string }) => {
      await form.getByLabel("Thêm đơn vị được kiểm tra").fill(unit.name);
      await form
        .getByRole("button", { name: new RegExp(`^${unit.name}( —|$)`) })
        .first()
        .click();
      await form.locator(`li[data-target="${unit.id}"]`).waitFor();
    };
    for (const u of [binhYen, school, other, thaiNguyen]) await pick(u);
    const row = (u: { id: number }) => form.locator(`li[data-target="${u.id}"]`);
    await row(binhYen).getByLabel("Cụm điểm").fill("Bình Yên");
    await row(school).getByLabel("Cụm điểm").fill("Bình Yên");
    await row(school).getByLabel("Cấp học").selectOption("thcs");
    await row(other).getByLabel("Cụm điểm").fill("Cụm 2");

    const before = await count("inspection_plans");
    await form.getByRole("button", { name: "Lưu" }).click();
    await form.getByText("Ngày kết thúc kiểm tra không được trước ngày bắt đầu.").waitFor();
    expect(await form.getByLabel("Số kế hoạch").inputValue()).toBe("37/KH-HKH");
    expect(await row(school).getByLabel("Cấp học").inputValue()).toBe("thcs");
    // The dates fixed, the units are checked: the province cannot inspect itself.
    await form.getByLabel("Đến ngày").fill(d(3, 20));
    await form.getByRole("button", { name: "Lưu" }).click();
    await row(thaiNguyen)
      .getByText(`${thaiNguyen.name} là đơn vị lập kế hoạch, không tự kiểm tra chính mình.`)
      .waitFor();
    expect(await row(other).getByLabel("Cụm điểm").inputValue()).toBe("Cụm 2");
    expect(await count("inspection_plans")).toBe(before);

    await row(thaiNguyen).getByRole("button", { name: "Bỏ" }).click();
    await form.getByRole("button", { name: "Lưu" }).click();
    await page.getByRole("status").filter({ hasText: "Đã lưu kế hoạch kiểm tra." }).waitFor();
    expect(await count("inspection_plans")).toBe(before + 1);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    // The plan: two clusters; ratings for two units.
    await page.getByRole("link", { name: /Kiểm tra công tác khuyến học/ }).click();
    await page.getByRole("heading", { name: "Cụm Bình Yên (2 đơn vị)" }).waitFor();
    await page.getByRole("heading", { name: "Cụm Cụm 2 (1 đơn vị)" }).waitFor();
    for (const [u, rating, label] of [
      [binhYen, "tot", "Tốt"],
      [school, "kha", "Khá"],
    ] as const) {
      const item = page.locator(`li[data-target="${u.id}"]`);
      await item.getByRole("button", { name: "Ghi kết quả" }).click();
      await item.getByLabel("Xếp loại").selectOption(rating);
      await item.getByLabel("Nhận xét, đánh giá").fill("Sổ sách đầy đủ, hoạt động đều.");
      await item.getByRole("button", { name: "Lưu" }).click();
      await item.getByTestId("target-rating").filter({ hasText: label }).waitFor();
    }
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);

    // Counts by category and rating, from the live counters.
    await page.getByRole("link", { name: "Về danh sách kế hoạch" }).click();
    const total = page.getByTestId("inspection-counts").locator('tr[data-unit="total"]');
    await total.waitFor();
    const cell = async (metric: string) =>
      Number((await total.locator(`td[data-metric="${metric}"]`).textContent()) ?? "");
    expect(await cell("plans")).toBe(1);
    expect(await cell("targets")).toBe(3);
    expect(await cell("commune_association")).toBe(2);
    expect(await cell("school_association")).toBe(1);
    expect(await cell("thcs")).toBe(1);
    expect(await cell("inspected")).toBe(2);
    expect(await cell("tot")).toBe(1);
    expect(await cell("kha")).toBe(1);
    // Communes without plans are "no figures", not 0.
    await page
      .getByTestId("inspection-counts")
      .locator(`tr[data-unit="${binhYen.id}"] td[data-missing]`)
      .waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });

  it("proposes Giấy khen for 2 individuals in one go and a collective, and marks one awarded", async () => {
    const { context, page } = await openAs(journey, "canbo.tn");
    await page.goto(`${baseUrl}/org-units/${thaiNguyen.id}`);
    await page.getByRole("link", { name: "Khen thưởng, điển hình tiên tiến" }).click();

    const before = await count("commendations");
    // Bad first: no awarding body; nothing stored, names kept.
    await page.getByRole("button", { name: "Đề nghị khen thưởng" }).click();
    let form = page.getByRole("form", { name: "Đề nghị khen thưởng" });
    await form
      .getByLabel("Tên người hoặc tập thể được đề nghị (mỗi dòng một tên)")
      .fill("Nguyễn Thị Hoa\nLê Văn Minh");
    await form.getByRole("button", { name: "Lưu" }).click();
    await form.getByText("Nhập cấp khen thưởng (ví dụ: Hội Khuyến học tỉnh).").waitFor();
    expect(await count("commendations")).toBe(before);
    expect(await form.getByLabel("Tên người hoặc tập thể được đề nghị (mỗi dòng một tên)").inputValue()).toBe(
      "Nguyễn Thị Hoa\nLê Văn Minh",
    );
    await form.getByLabel("Cấp khen thưởng").fill("Hội Khuyến học tỉnh");
    await form.getByRole("button", { name: "Lưu" }).click();
    await page.getByRole("status").filter({ hasText: "Đã lưu 2 đề nghị khen thưởng." }).waitFor();

    // A collective: the commune's Association, picked as a unit.
    await page.getByRole("button", { name: "Đề nghị khen thưởng" }).click();
    form = page.getByRole("form", { name: "Đề nghị khen thưởng" });
    await form.getByLabel("Khen cho").selectOption("collective");
    await form.getByLabel("Hoặc chọn tập thể là đơn vị trong hệ thống").fill(binhYen.name);
    await form
      .getByRole("button", { name: new RegExp(`^${binhYen.name}( —|$)`) })
      .first()
      .click();
    await form.getByLabel("Cấp khen thưởng").fill("Hội Khuyến học tỉnh");
    await form.getByRole("button", { name: "Lưu" }).click();
    await page.getByRole("status").filter({ hasText: "Đã lưu 1 đề nghị khen thưởng." }).waitFor();
    expect(await count("commendations")).toBe(before + 3);

    // One is awarded.
    const hoa = page.getByTestId("commendation-list").locator("li").filter({ hasText: "Nguyễn Thị Hoa" });
    await hoa.getByRole("button", { name: "Ghi kết quả" }).click();
    await hoa.getByLabel("Số quyết định").fill("120/QĐ-HKH");
    await hoa.getByRole("button", { name: "Lưu" }).click();
    await hoa.getByTestId("commendation-status").filter({ hasText: "Đã được khen thưởng" }).waitFor();
    await page
      .getByTestId("commendation-lines")
      .getByText("Giấy khen: đề nghị 2 cá nhân và 1 tập thể; được khen 1 cá nhân và 0 tập thể")
      .waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });

  it("corrects an exemplary model's story and deletes another on a phone", async () => {
    const add = async (model: string, name: string, story: string) =>
      (
        (
          await admin.post("/api/v1/exemplary-models", {
            orgUnitId: thaiNguyen.id,
            model,
            name,
            year: YEAR,
            story,
            honouredAt: null,
          })
        ).json() as { id: number }
      ).id;
    const tam = await add("family", "Gia đình ông Nguyễn Văn Tâm", "Ba thế hệ cùng học.");
    const le = await add("clan", "Dòng họ Lê xã Bình Yên", "Quỹ khuyến học của dòng họ.");

    const { context, page } = await openAs(journey, "canbo.tn");
    await page.goto(`${baseUrl}/org-units/${thaiNguyen.id}/commendations`);
    const exemplaryTotal = page
      .getByTestId("commendation-counts")
      .locator('tr[data-unit="total"] td[data-metric="exemplary"]');
    await exemplaryTotal.filter({ hasText: /^2$/ }).waitFor();
    const item = (id: number) => page.getByTestId("exemplary-list").locator(`li[data-exemplary="${id}"]`);

    // The story corrected; first the name cleared by mistake: refused beside the name, input kept.
    await item(tam).getByRole("button", { name: "Sửa" }).click();
    const form = item(tam).getByRole("form", { name: "Sửa điển hình — Gia đình ông Nguyễn Văn Tâm" });
    expect(await form.getByLabel("Mô hình học tập").inputValue()).toBe("family");
    expect(await form.getByLabel("Câu chuyện, thành tích").inputValue()).toBe("Ba thế hệ cùng học.");
    const story = "Ba thế hệ cùng học; ông Tâm mở tủ sách cho cả xóm.";
    await form.getByLabel("Câu chuyện, thành tích").fill(story);
    await form.getByLabel("Tên điển hình").fill("");
    await form.getByRole("button", { name: "Lưu" }).click();
    await form.getByText("Nhập tên điển hình (gia đình, dòng họ, đơn vị, người…).").waitFor();
    expect(await form.getByLabel("Câu chuyện, thành tích").inputValue()).toBe(story);
    expect(await storedModel(tam)).toEqual({
      name: "Gia đình ông Nguyễn Văn Tâm",
      story: "Ba thế hệ cùng học.",
    });
    await form.getByLabel("Tên điển hình").fill("Gia đình ông Nguyễn Văn Tâm");
    await form.getByRole("button", { name: "Lưu" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Đã lưu thay đổi của điển hình Gia đình ông Nguyễn Văn Tâm." })
      .waitFor();
    await item(tam).getByTestId("exemplary-story").filter({ hasText: story }).waitFor();
    expect(await storedModel(tam)).toEqual({ name: "Gia đình ông Nguyễn Văn Tâm", story });

    // The other deleted, after the confirmation; the summary counts one model.
    const before = await count("exemplary_models");
    const confirmed: string[] = [];
    page.once("dialog", (dialog) => {
      confirmed.push(dialog.message());
      void dialog.accept();
    });
    await item(le).getByRole("button", { name: "Xóa" }).click();
    await page.getByRole("status").filter({ hasText: "Đã xóa điển hình Dòng họ Lê xã Bình Yên." }).waitFor();
    expect(confirmed).toEqual([
      "Xóa điển hình Dòng họ Lê xã Bình Yên? Số điển hình của năm sẽ được tính lại.",
    ]);
    // The notice comes first; the list is reloaded after it.
    await item(le).waitFor({ state: "detached" });
    expect(await storedModel(le)).toBeUndefined();
    expect(await count("exemplary_models")).toBe(before - 1);
    await exemplaryTotal.filter({ hasText: /^1$/ }).waitFor();
    await page.getByRole("heading", { name: "Điển hình tiên tiến (1)" }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
    await context.close();
  });
});
