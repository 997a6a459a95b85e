import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CENTRE_CATEGORIES } from "../../domain/centres/categories.ts";
import { parsePeriod, periodRange } from "../../domain/periods.ts";
import { centreTemplate } from "../../domain/reporting/fixtures.ts";
import {
  countRows,
  createUser,
  loginAsAdmin,
  siblingCommune,
  startTestApp,
  type TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { systemAuditContext } from "../audit/audit-writer.ts";
import { HOA_AN_PERIOD, HOA_AN_TEMPLATE, loadHoaAnPhase2016To2020 } from "../demo/hoa-an-phase-2016-2020.ts";
import {
  loadMaoKheDirective2016To2020,
  MAO_KHE_PERIOD,
  MAO_KHE_TEMPLATE,
} from "../demo/mao-khe-directive-2016-2020.ts";
import {
  loadNinhHoaAssociation2024,
  NINH_HOA_2024,
  NINH_HOA_PERIOD,
} from "../demo/ninh-hoa-association-2024.ts";
import {
  loadThanhDinhCentre2024,
  THANH_DINH_2024,
  THANH_DINH_CENTRE,
} from "../demo/thanh-dinh-centre-2024.ts";
import { docxText, xlsxRows } from "./render/read-back.ts";
import { readCounterIndicators } from "./sources.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let binhYen: number;
let hoaAn: number;
let thaiNguyen: number;
let second: number;
let third: number;
let communeOfficer: TestClient;
let secondOfficer: TestClient;
let provinceOfficer: TestClient;
let hoaAnOfficer: TestClient;
let viewer: TestClient;

const Q = "association-quarterly";
const q = (unitId: number, period = "2026-Q3") => `?template=${Q}&unitId=${unitId}&period=${period}`;

const figures = (over: Record<string, number | null> = {}) => ({
  values: {
    members: 1200,
    members_female: 640,
    new_members: 35,
    new_chapters: 1,
    funds_raised: 45_000_000,
    scholarships: 20,
    scholarships_amount: 10_000_000,
    classes: 6,
    participants: 410,
    ...over,
  },
  narratives: { thuan_loi: "Được cấp ủy quan tâm.", kho_khan: "Thiếu cán bộ chuyên trách." },
});

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  second = await siblingCommune(admin, thaiNguyen, binhYen);
  const res = await admin.get(`/api/v1/org-units?parentId=${thaiNguyen}&status=current&pageSize=50`);
  third = (res.json() as { items: { id: number; kind: string }[] }).items.find(
    (u) => u.kind === "commune" && u.id !== binhYen && u.id !== second,
  )?.id as number;
  communeOfficer = await createUser(ctx.app, admin, "canbo.binhyen", "officer", [binhYen]);
  secondOfficer = await createUser(ctx.app, admin, "canbo.xa2", "data_entry", [second]);
  provinceOfficer = await createUser(ctx.app, admin, "canbo.tinh", "officer", [thaiNguyen]);
  hoaAnOfficer = await createUser(ctx.app, admin, "canbo.hoaan", "officer", [hoaAn]);
  viewer = await createUser(ctx.app, admin, "xem.tinh", "viewer", [thaiNguyen]);
});
afterAll(() => ctx.close());

describe("report templates", () => {
  it("lists the shipped templates as versioned data", async () => {
    const res = await viewer.get("/api/v1/reports/templates");
    expect(res.statusCode, res.body).toBe(200);
    const codes = (res.json() as { items: { code: string; version: number }[] }).items.map((t) => t.code);
    expect(codes).toEqual(expect.arrayContaining(["centre-annual", Q]));
    expect(await countRows(ctx.database, "report_templates")).toBeGreaterThanOrEqual(2);
  });
});

describe("a quarterly report from communes up to the province", () => {
  it("asks three communes for the report, with a deadline", async () => {
    const refused = await communeOfficer.post("/api/v1/reports/requests", {
      template: Q,
      period: "2026-Q3",
      unitId: thaiNguyen,
      deadline: "2026-10-10",
    });
    expect(refused.statusCode).toBe(403);
    const bad = await provinceOfficer.post("/api/v1/reports/requests", {
      template: Q,
      period: "2026-Q3",
      unitId: thaiNguyen,
      deadline: "2026-10-10",
      unitIds: [binhYen, hoaAn],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("unitIds");
    const res = await provinceOfficer.post("/api/v1/reports/requests", {
      template: Q,
      period: "2026-Q3",
      unitId: thaiNguyen,
      deadline: "2026-10-10",
      unitIds: [binhYen, second, third],
    });
    expect(res.statusCode, res.body).toBe(200);
    const status = (await provinceOfficer.get(`/api/v1/reports/requests/${res.json().id}`)).json();
    expect(status.completeness).toMatchObject({ expected: 3, submitted: 0 });
    expect(status.completeness.missing.map((m: { id: number }) => m.id).sort()).toEqual(
      [binhYen, second, third].sort(),
    );
  });

  it("refuses inconsistent figures with the template's Vietnamese messages and stores nothing", async () => {
    const before = await countRows(ctx.database, "reports");
    const res = await communeOfficer.put(
      `/api/v1/reports/report${q(binhYen)}`,
      figures({ members_female: 1300, new_members: -2, classes: 1.5 }),
    );
    expect(res.statusCode).toBe(400);
    const messages = (res.json().errors as { field: string; message: string }[]).map(
      (e) => `${e.field}: ${e.message}`,
    );
    expect(messages.join("\n")).toContain(
      "values.members_female: Số hội viên nữ không được lớn hơn tổng số hội viên.",
    );
    expect(messages.join("\n")).toMatch(/values\.new_members: .*số nguyên không âm/);
    expect(messages.join("\n")).toMatch(/values\.classes: .*số nguyên không âm/);
    expect(await countRows(ctx.database, "reports")).toBe(before);
    // Outside one's scope: 403, nothing stored.
    expect((await hoaAnOfficer.put(`/api/v1/reports/report${q(binhYen)}`, figures())).statusCode).toBe(403);
    expect(await countRows(ctx.database, "reports")).toBe(before);
  });

  it("saves a draft, submits; the province returns it with a comment; it is corrected and resubmitted", async () => {
    expect(
      (await communeOfficer.put(`/api/v1/reports/report${q(binhYen)}`, figures({ members: 1100 })))
        .statusCode,
    ).toBe(200);
    const draft = (await communeOfficer.get(`/api/v1/reports/report${q(binhYen)}`)).json();
    expect(draft.report.status).toBe("draft");
    expect(draft.values.members).toBe(1100);
    expect(draft.canEdit).toBe(true);
    // A draft cannot be returned: the refusal is about the state, not a missing comment.
    const early = await provinceOfficer.post(`/api/v1/reports/report/actions${q(binhYen)}`, {
      action: "return",
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toBe("Báo cáo chưa được gửi: chỉ trả lại được báo cáo đơn vị đã gửi.");
    // The commune cannot approve its own report.
    const self = await communeOfficer.post(`/api/v1/reports/report/actions${q(binhYen)}`, {
      action: "approve",
    });
    expect(self.statusCode).toBe(403);
    const submit = await communeOfficer.post(`/api/v1/reports/report/actions${q(binhYen)}`, {
      action: "submit",
    });
    expect(submit.statusCode, submit.body).toBe(200);
    // Submitted: locked for the commune.
    const locked = await communeOfficer.put(`/api/v1/reports/report${q(binhYen)}`, figures());
    expect(locked.statusCode).toBe(409);
    const noComment = await provinceOfficer.post(`/api/v1/reports/report/actions${q(binhYen)}`, {
      action: "return",
    });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().errors[0].field).toBe("comment");
    const returned = await provinceOfficer.post(`/api/v1/reports/report/actions${q(binhYen)}`, {
      action: "return",
      comment: "Số hội viên chưa khớp với danh sách chi hội.",
    });
    expect(returned.statusCode, returned.body).toBe(200);
    const seen = (await communeOfficer.get(`/api/v1/reports/report${q(binhYen)}`)).json();
    expect(seen.report).toMatchObject({
      status: "returned",
      comment: "Số hội viên chưa khớp với danh sách chi hội.",
    });
    expect((await communeOfficer.put(`/api/v1/reports/report${q(binhYen)}`, figures())).statusCode).toBe(200);
    expect(
      (await communeOfficer.post(`/api/v1/reports/report/actions${q(binhYen)}`, { action: "submit" }))
        .statusCode,
    ).toBe(200);
    const history = (await communeOfficer.get(`/api/v1/reports/report${q(binhYen)}`)).json().history as {
      action: string;
    }[];
    expect(history.map((h) => h.action)).toEqual(["save", "submit", "return", "save", "submit"]);
    // The history is append-only in the database itself.
    await expect(sql`delete from report_history`.execute(ctx.database.db)).rejects.toThrow(/append-only/);
  });

  it("a clerk of the second commune submits; a required figure missing is refused first", async () => {
    const missing = await secondOfficer.put(
      `/api/v1/reports/report${q(second)}`,
      figures({ funds_raised: null }),
    );
    expect(missing.statusCode).toBe(200);
    const refused = await secondOfficer.post(`/api/v1/reports/report/actions${q(second)}`, {
      action: "submit",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].message).toContain("Chưa nhập");
    await secondOfficer.put(
      `/api/v1/reports/report${q(second)}`,
      figures({ members: 800, members_female: 400 }),
    );
    expect(
      (await secondOfficer.post(`/api/v1/reports/report/actions${q(second)}`, { action: "submit" }))
        .statusCode,
    ).toBe(200);
  });

  it("the province sees 2 of 3, the missing commune named, and sums the approved reports", async () => {
    const list = (await provinceOfficer.get(`/api/v1/reports/requests?unitId=${thaiNguyen}`)).json();
    const request = list.items[0];
    expect(request.completeness).toMatchObject({ expected: 3, submitted: 2, approved: 0 });
    expect(request.completeness.missing.map((m: { id: number }) => m.id)).toEqual([third]);
    // Nothing approved yet: the province's typed figures are missing, not 0.
    const before = (await provinceOfficer.get(`/api/v1/reports/report${q(thaiNguyen)}`)).json();
    expect(before.aggregated).toMatchObject({ expected: 3, counted: 0 });
    expect(before.values.members).toBeNull();
    const withSubmitted = (
      await provinceOfficer.get(`/api/v1/reports/report${q(thaiNguyen)}&includeSubmitted=true`)
    ).json();
    expect(withSubmitted.values.members).toBe(2000);
    for (const unit of [binhYen, second]) {
      const res = await provinceOfficer.post(`/api/v1/reports/report/actions${q(unit)}`, {
        action: "approve",
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const after = (await provinceOfficer.get(`/api/v1/reports/report${q(thaiNguyen)}`)).json();
    expect(after.aggregated).toMatchObject({ counted: 2 });
    expect(after.values).toMatchObject({ members: 2000, members_female: 1040, funds_raised: 90_000_000 });
    // The province may not type the figures it sums.
    const typed = await provinceOfficer.put(`/api/v1/reports/report${q(thaiNguyen)}`, {
      values: { members: 5 },
    });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().errors[0].field).toBe("values.members");
    const ranked = (await provinceOfficer.get(`/api/v1/reports/requests/${request.id}?rankBy=members`)).json()
      .ranking;
    expect(ranked.ranked.map((r: { id: number; rank: number }) => [r.id, r.rank])).toEqual([
      [binhYen, 1],
      [second, 2],
    ]);
    expect(ranked.withoutData.map((r: { id: number }) => r.id)).toEqual([third]);
  });

  it("an approved report is locked until the province reopens it with a reason (audited)", async () => {
    expect((await communeOfficer.put(`/api/v1/reports/report${q(binhYen)}`, figures())).statusCode).toBe(409);
    const reopened = await provinceOfficer.post(`/api/v1/reports/report/actions${q(binhYen)}`, {
      action: "reopen",
      comment: "Bổ sung số liệu quỹ.",
    });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json().status).toBe("returned");
    const audit = await ctx.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "report")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["report.saved", "report.submit", "report.approve", "report.reopen"]),
    );
  });

  it("writes the province's report as DOCX and XLSX with the summed figures", async () => {
    const docx = await provinceOfficer.get(`/api/v1/reports/report/document.docx${q(thaiNguyen)}`);
    expect(docx.statusCode, docx.body).toBe(200);
    const text = await docxText(docx.rawPayload);
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain("HỘI KHUYẾN HỌC TỈNH THÁI NGUYÊN");
    expect(text).toContain("Kết quả công tác khuyến học, xây dựng xã hội học tập quý III/2026");
    expect(text).toContain("Hội Khuyến học tỉnh Thái Nguyên báo cáo");
    expect(text).toContain("- Tổng số hội viên: 800 người"); // Bình Yên reopened: only the second commune counts
    const xlsx = await provinceOfficer.get(`/api/v1/reports/report/appendix.xlsx${q(thaiNguyen)}`);
    expect(xlsx.statusCode).toBe(200);
    const sheets = await xlsxRows(xlsx.rawPayload);
    const rows = Object.values(sheets)[0] ?? [];
    expect(rows.some((r) => r.includes("Tổng số hội viên") && r.includes(800))).toBe(true);
  });
});

describe("targets", () => {
  it("are set for the next period from the report's direction, shown against the actual, audited", async () => {
    const view = (await communeOfficer.get(`/api/v1/reports/report${q(binhYen)}`)).json();
    expect(view.nextPeriod.code).toBe("2026-Q4");
    expect(view.canSetTargets).toBe(true);
    // A clerk may fill the report but not set targets; a bad value is refused beside its field.
    expect(
      (
        await secondOfficer.put(`/api/v1/reports/targets${q(second, "2026-Q4")}`, {
          targets: { members: 900 },
        })
      ).statusCode,
    ).toBe(403);
    const bad = await communeOfficer.put(`/api/v1/reports/targets${q(binhYen, "2026-Q4")}`, {
      targets: { members: -1, nope: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      "targets.members",
      "targets.nope",
    ]);
    const set = await communeOfficer.put(`/api/v1/reports/targets${q(binhYen, "2026-Q4")}`, {
      targets: { members: 1500, funds_raised: 60_000_000 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect((await communeOfficer.get(`/api/v1/reports/report${q(binhYen)}`)).json().nextTargets).toEqual({
      members: 1500,
      funds_raised: 60_000_000,
    });
    const next = (await communeOfficer.get(`/api/v1/reports/report${q(binhYen, "2026-Q4")}`)).json();
    expect(next.targets).toEqual({ members: 1500, funds_raised: 60_000_000 });
    const xlsx = await communeOfficer.get(`/api/v1/reports/report/appendix.xlsx${q(binhYen, "2026-Q4")}`);
    const rows = Object.values(await xlsxRows(xlsx.rawPayload))[0] ?? [];
    expect(rows.some((r) => r.includes("Tổng số hội viên") && r.includes(1500))).toBe(true);
    // Cleared with null.
    await communeOfficer.put(`/api/v1/reports/targets${q(binhYen, "2026-Q4")}`, {
      targets: { funds_raised: null },
    });
    expect(
      (await communeOfficer.get(`/api/v1/reports/report${q(binhYen, "2026-Q4")}`)).json().targets,
    ).toEqual({
      members: 1500,
    });
  });
});

/** The administrator and audit context the demo loaders run as (as `xhht demo` does). */
async function asDemoLoader() {
  const adminUser = await ctx.database.db
    .selectFrom("users")
    .select("id")
    .where("username", "=", "admin")
    .executeTakeFirstOrThrow();
  const principal = {
    userId: Number(adminUser.id),
    username: "admin",
    role: "admin",
    scopePaths: ["/"],
    via: "token",
  } as const;
  return { principal, audit: systemAuditContext("test:demo") };
}

describe("seed 004: the learning centre's annual report of Xã Thanh Định, 2024", () => {
  it("reproduces the category table and the funding exactly from the records", async () => {
    // The records `xhht demo` loads: the old commune's centre, its 2024 activities and funding,
    // entered through the centres service as the administrator.
    const { principal, audit } = await asDemoLoader();
    const { centreId: centre, loaded } = await loadThanhDinhCentre2024(ctx.database.db, principal, audit);
    expect(loaded).toBe(true);
    // Loading again changes nothing.
    expect((await loadThanhDinhCentre2024(ctx.database.db, principal, audit)).loaded).toBe(false);
    const table = THANH_DINH_2024;

    const period = `?template=centre-annual&unitId=${centre}&period=2024`;
    const view = (await admin.get(`/api/v1/reports/report${period}`)).json();
    expect(view.values).toMatchObject({ classes_legal: 4, participants_legal: 1612, female_legal: 706 });
    const docx = await admin.get(`/api/v1/reports/report/document.docx${period}`);
    expect(docx.statusCode, docx.body).toBe(200);
    const text = await docxText(docx.rawPayload);
    expect(text).toContain("UBND XÃ THANH ĐỊNH");
    expect(text).toContain("Thanh Định, ngày");
    expect(text).toContain("Đánh giá kết quả hoạt động Trung tâm Học tập cộng đồng năm 2024");
    const fmt = (n: number) => new Intl.NumberFormat("vi-VN").format(n);
    CENTRE_CATEGORIES.forEach((c, i) => {
      const [classes, participants, female] = table[c.code] as [number, number, number];
      expect(text).toContain(
        [String(i + 1), c.label, fmt(classes), fmt(participants), fmt(female)].join("\t"),
      );
    });
    expect(text).toContain("Chuyên đề Giáo dục pháp luật\t4\t1.612\t706");
    expect(text).toContain("Tổng kinh phí hỗ trợ từ ngân sách nhà nước: 30.800.000 đồng");
    expect(text).toContain("Kinh phí do xã hội hóa: 0 đồng");
    expect(text).toContain("Kinh phí do học viên tự nguyện đóng góp: 0 đồng");
  });

  it("reads the centre's figures for a quarter, a half-year and a reporting year from its months", async () => {
    const centre = await ctx.database.db
      .selectFrom("org_units")
      .select(["id", "level"])
      .where("name", "=", THANH_DINH_CENTRE)
      .executeTakeFirstOrThrow();
    const template = centreTemplate({
      periodKind: "quarter",
      indicators: [
        { id: "legal", kind: "counter", source: "centres", metric: "participants:legal", label: "Pháp luật" },
        { id: "classes", kind: "counter", source: "centres", metric: "classes:*", label: "Số lớp" },
      ],
    });
    // An independent recount from the activities themselves.
    const recount = async (from: string, to: string) => {
      const rows = await ctx.database.db
        .selectFrom("centre_activities")
        .select(["category", "participants"])
        .where("org_unit_id", "=", centre.id)
        .where("start_date", ">=", from)
        .where("start_date", "<=", to)
        .execute();
      if (rows.length === 0) return { legal: null, classes: null };
      return {
        legal: rows.filter((r) => r.category === "legal").reduce((n, r) => n + Number(r.participants), 0),
        classes: rows.length,
      };
    };
    const unit = { id: Number(centre.id), level: centre.level };
    for (const code of [
      "2024-Q1",
      "2024-Q2",
      "2024-Q3",
      "2024-Q4",
      "2024-H1",
      "2024-H2",
      "RY2024-11",
      "RY2025-11",
    ]) {
      const parsed = parsePeriod(code);
      if (!parsed.ok) throw new Error(parsed.message);
      const { from, to } = periodRange(parsed.period);
      const values = await readCounterIndicators(ctx.database.db, template, unit, parsed.period);
      expect({ legal: values.get("legal"), classes: values.get("classes") }, code).toEqual(
        await recount(from, to),
      );
    }
    // The year is the sum of its quarters, and seed 004's 33 classes.
    const year = await readCounterIndicators(ctx.database.db, template, unit, { kind: "year", year: 2024 });
    expect(year.get("classes")).toBe(33);
    expect(year.get("legal")).toBe(1612);
  });
});

describe("seed 000: Hội Khuyến học thị xã Ninh Hòa's annual report, 1/11/2023–31/10/2024", () => {
  it("reproduces the seed's figures from the records of the district and its 27 communes", async () => {
    const { principal, audit } = await asDemoLoader();
    const { districtId, loaded } = await loadNinhHoaAssociation2024(ctx.database.db, principal, audit);
    expect(loaded).toBe(true);
    expect((await loadNinhHoaAssociation2024(ctx.database.db, principal, audit)).loaded).toBe(false);

    const query = `?template=association-annual&unitId=${districtId}&period=${NINH_HOA_PERIOD}`;
    const view = (await admin.get(`/api/v1/reports/report${query}`)).json();
    expect(view.template.version).toBe(2);
    expect(view.period).toMatchObject({ from: "2023-11-01", to: "2024-10-31" });
    const y = NINH_HOA_2024;
    expect(view.values).toMatchObject({
      insp_targets: 15,
      insp_commune: y.inspections.communes,
      insp_school: 9,
      insp_thpt: 1,
      insp_thcs: 3,
      insp_tieu_hoc: 2,
      insp_mam_non: 3,
      funds_raised: y.raisedTotal,
      scholarship_pupils: 670,
      scholarship_amount: 1_300_000_000,
      sponsored_pupils: 90,
      sponsorship_amount: 370_000_000,
      centre_classes: 134,
      centre_class_attendance: 536,
      centre_talks: 8,
      centre_talk_attendance: 8046,
      day_participants: 180,
      direct_scholarships: 125,
      direct_scholarship_amount: 167_000_000,
      week_communes: 27,
      agreements_signed: 8,
      agreements_change: 3,
    });

    // What the Association types: last year's balance, its centres' ratings (of 2023).
    const saved = await admin.put(`/api/v1/reports/report${query}`, {
      values: { fund_opening: y.openingBalance, centres: 27, centres_tot: 27, board_members: 27 },
      narratives: {},
      docNumber: "51",
      issuedOn: "2024-11-01",
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const docx = await admin.get(`/api/v1/reports/report/document.docx${query}`);
    expect(docx.statusCode, docx.body).toBe(200);
    const text = await docxText(docx.rawPayload);
    expect(text).not.toContain("BC-HKH/BC-HKH");
    for (const figure of [
      "Số: 51/BC-HKH",
      "Ninh Hòa, ngày 01 tháng 11 năm 2024",
      "2.364.000.000",
      "450.000.000",
      "1.300.000.000",
      "370.000.000",
      "167.000.000",
      "8.046",
    ]) {
      expect(text, figure).toContain(figure);
    }
  });
});

describe("seed 003: huyện Hòa An's review of the phase 2016–2020 and its appendix", () => {
  it("reproduces the appendix's yearly literacy counts and rates, its targets and projections", async () => {
    const { principal, audit } = await asDemoLoader();
    const { districtId, loaded } = await loadHoaAnPhase2016To2020(ctx.database.db, principal, audit);
    expect(loaded).toBe(true);
    expect((await loadHoaAnPhase2016To2020(ctx.database.db, principal, audit)).loaded).toBe(false);

    const query = `?template=${HOA_AN_TEMPLATE}&unitId=${districtId}&period=${HOA_AN_PERIOD}`;
    const view = (await admin.get(`/api/v1/reports/report${query}`)).json();
    expect(view.template.version).toBe(2);
    // The phase reads literacy in its last year: the body's figures of 12/2019 (the 2020 column).
    expect(view.values).toMatchObject({
      pop_15_25: 7916,
      l1_15_25: 7844,
      l2_15_25: 7817,
      l2_15_25_pct: 98.75,
      l1_15_35_pct: 99,
      l2_15_60_pct: 96.28,
      l2_36_60_pct: 94.22,
      communes_xmc2: 15,
      communes_pcth3: 15,
    });

    const saved = await admin.put(`/api/v1/reports/report${query}`, {
      values: { communes_total: 15 },
      narratives: {},
      docNumber: "298",
      issuedOn: "2020-09-09",
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const docx = await admin.get(`/api/v1/reports/report/document.docx${query}`);
    expect(docx.statusCode, docx.body).toBe(200);
    const text = await docxText(docx.rawPayload);
    expect(text).toContain("Số: 298/BC-UBND");
    expect(text).toContain("Hòa An, ngày 09 tháng 9 năm 2020");
    // Each row as the seed's appendix writes it: target, then count and rate of 2016 … 2020,
    // the phase's rate, and the two phases after it.
    for (const row of [
      "Số người trong độ tuổi từ 15-25 biết chữ\t97\t8.182\t99,48\t9.673\t99,69\t8.948\t99,03\t8.415\t98,88\t7.817\t98,75\t98,75\t99\t99,5",
      "Số người trong độ tuổi từ 26-35 biết chữ\t96\t8.287\t99,5\t11.036\t98,34\t11.587\t99,03\t11.872\t97,87\t11.959\t97,94\t97,94\t98\t99",
      "Số người trong độ tuổi từ 36-60 biết chữ\t93\t14.704\t98,1\t7.809\t95,77\t7.723\t97,67\t18.113\t94,06\t18.315\t94,22\t94,22\t97\t98",
    ]) {
      expect(text).toContain(row);
    }
    expect(text).toContain("Năm 2016: số lượng\tNăm 2016: tỷ lệ %");
    expect(text).toContain("Dự kiến giai đoạn 2026-2030 (tỷ lệ %)");

    const xlsx = await admin.get(`/api/v1/reports/report/appendix.xlsx${query}`);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const sheets = await xlsxRows(xlsx.rawPayload);
    const appendix = Object.values(sheets).find((rows) =>
      rows.some((r) => r.includes("Số người trong độ tuổi từ 15-25 biết chữ")),
    );
    const row = appendix?.find((r) => r.includes("Số người trong độ tuổi từ 15-25 biết chữ"));
    expect(row?.slice(2, 15)).toEqual([
      97, 8182, 99.48, 9673, 99.69, 8948, 99.03, 8415, 98.88, 7817, 98.75, 98.75, 99,
    ]);
  });
});

describe("seed 001: phường Mạo Khê's five-year review of Directive 04-CT/TU, 2016–2020", () => {
  it("writes the seed's figures and its own text in the official layout", async () => {
    const { principal, audit } = await asDemoLoader();
    const { wardId, loaded } = await loadMaoKheDirective2016To2020(ctx.database.db, principal, audit);
    expect(loaded).toBe(true);
    expect((await loadMaoKheDirective2016To2020(ctx.database.db, principal, audit)).loaded).toBe(false);

    const query = `?template=${MAO_KHE_TEMPLATE}&unitId=${wardId}&period=${MAO_KHE_PERIOD}`;
    const view = (await admin.get(`/api/v1/reports/report${query}`)).json();
    expect(view.report.status).toBe("draft");
    expect(view.values).toMatchObject({
      masters: 130,
      doctors: 5,
      schools_total: 15,
      schools_standard_percent: 100,
    });

    const docx = await admin.get(`/api/v1/reports/report/document.docx${query}`);
    expect(docx.statusCode, docx.body).toBe(200);
    const text = await docxText(docx.rawPayload);
    for (const expected of [
      "Mạo Khê, ngày 16 tháng 3 năm 2021",
      "TM. ỦY BAN NHÂN DÂN",
      "Vũ Đức Quynh",
      "2.1. Phổ cập giáo dục và xóa mù chữ",
      "Hiện nay trên địa bàn phường có 130 thạc sỹ, 05 tiến sỹ.",
      ": 130 người",
      ": 12 người",
      "2 Hội nghị tuyên dương",
      "có 15 đơn vị trường học, trong đó có 5 trường Mầm non, 5 trường Tiểu học, 3 trường THCS",
    ]) {
      expect(text, expected).toContain(expected);
    }
  });
});
