import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countRows,
  createUnit,
  createUser,
  loginAsAdmin,
  siblingCommune,
  startTestApp,
  type TestClient,
  testUnits,
} from "../../testing/test-app.ts";
import { countingUnitIds } from "../statistics/counters.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let binhYen: number;
let hoaAn: number;
let thaiNguyen: number;
let sibling: number; // another commune of Thái Nguyên, without any figures
let village: number;
let otherVillage: number;
let school: number;
let clan: number;
let communeOfficer: TestClient;
let provinceOfficer: TestClient;
let hoaAnOfficer: TestClient;
let villageHead: TestClient;
let viewer: TestClient;

const YEAR = 2025;

interface ChapterOut {
  id: number;
  kind: string;
  name: string;
  figures: { members: number; female: number; newMembers: number; dues: string } | null;
  yearsWithFigures: number[];
  canWrite: boolean;
  dissolvedOn: string | null;
}
interface FiguresOut {
  hasData: boolean;
  chapters: number;
  chaptersByKind: Record<string, number>;
  newChapters: number;
  newChaptersByKind: Record<string, number>;
  members: number;
  female: number;
  newMembers: number;
  dues: string;
  population: number;
  communesWithPopulation: number;
  communes: number;
  percentOfPopulation: number | null;
  populationComplete: boolean;
}
interface ReportOut {
  figures: FiguresOut;
  children: { id: number; name: string; figures: FiguresOut }[];
  trend: { year: number; hasData: boolean; members: number; percentOfPopulation: number | null }[];
}

async function createChapter(client: TestClient, body: number, input: Record<string, unknown>) {
  const res = await client.post(`/api/v1/association/bodies/${body}/chapters`, input);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ChapterOut;
}

const figures = (over: Record<string, unknown> = {}) => ({
  members: 120,
  female: 70,
  newMembers: 15,
  dues: 2_400_000,
  ...over,
});

async function report(client: TestClient, unit: number, year = YEAR): Promise<ReportOut> {
  const res = await client.get(`/api/v1/association/report?orgUnitId=${unit}&year=${year}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ReportOut;
}

async function rowCounts() {
  const stats = await ctx.database.db
    .selectFrom("association_stats")
    .select(["org_unit_id", "period", "metric", "n"])
    .orderBy("org_unit_id")
    .orderBy("period")
    .orderBy("metric")
    .execute();
  return {
    chapters: await countRows(ctx.database, "association_chapters"),
    years: await countRows(ctx.database, "association_chapter_years"),
    populations: await countRows(ctx.database, "unit_populations"),
    stats: JSON.stringify(stats),
  };
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  ({ binhYen, hoaAn, thaiNguyen } = await testUnits(admin));
  sibling = await siblingCommune(admin, thaiNguyen, binhYen);
  village = await createUnit(admin, binhYen, "village", "Thôn Đồng Tâm");
  otherVillage = await createUnit(admin, binhYen, "village", "Thôn Làng Mới");
  school = await createUnit(admin, binhYen, "school", "Trường THCS Bình Yên");
  const createdClan = await admin.post("/api/v1/clans", { communeId: binhYen, name: "Dòng họ Ma" });
  expect(createdClan.statusCode, createdClan.body).toBe(201);
  clan = (createdClan.json() as { id: number }).id;
  communeOfficer = await createUser(ctx.app, admin, "hkh.binhyen", "officer", [binhYen]);
  provinceOfficer = await createUser(ctx.app, admin, "hkh.thainguyen", "officer", [thaiNguyen]);
  hoaAnOfficer = await createUser(ctx.app, admin, "hkh.hoaan", "officer", [hoaAn]);
  villageHead = await createUser(ctx.app, admin, "chihoi.dongtam", "data_entry", [village]);
  viewer = await createUser(ctx.app, admin, "xem.binhyen", "viewer", [binhYen]);
});
afterAll(() => ctx.close());

let villageChapter: ChapterOut;
let clanChapter: ChapterOut;

describe("a commune's chapters, their figures and the population", () => {
  it("records two chapters and their year; the commune and the province read the sums at once", async () => {
    villageChapter = await createChapter(communeOfficer, binhYen, {
      kind: "village",
      name: "  Chi hội thôn Đồng Tâm ",
      linkedUnitId: village,
      headName: "Nguyễn Văn Bình",
      foundedOn: "2025-03-15",
    });
    expect(villageChapter).toMatchObject({ name: "Chi hội thôn Đồng Tâm", canWrite: true, figures: null });
    clanChapter = await createChapter(communeOfficer, binhYen, {
      kind: "clan",
      name: "Dòng họ Ma khuyến học",
      clanId: clan,
      foundedOn: "2019-08-01",
    });
    const saved = await communeOfficer.put(
      `/api/v1/association/chapters/${villageChapter.id}/years/${YEAR}`,
      figures(),
    );
    expect(saved.statusCode, saved.body).toBe(200);
    expect((saved.json() as ChapterOut).figures).toEqual({
      year: YEAR,
      members: 120,
      female: 70,
      newMembers: 15,
      dues: "2400000",
    });
    expect(
      (
        await communeOfficer.put(
          `/api/v1/association/chapters/${clanChapter.id}/years/${YEAR}`,
          figures({ members: 80, female: 30, newMembers: 5, dues: 1_600_000 }),
        )
      ).statusCode,
    ).toBe(200);
    // Correcting a year replaces it (not added twice).
    expect(
      (
        await communeOfficer.put(
          `/api/v1/association/chapters/${clanChapter.id}/years/${YEAR}`,
          figures({ members: 80, female: 40, newMembers: 6, dues: 1_600_000 }),
        )
      ).statusCode,
    ).toBe(200);

    const commune = await report(communeOfficer, binhYen);
    expect(commune.figures).toMatchObject({
      hasData: true,
      chapters: 2,
      chaptersByKind: { village: 1, clan: 1 },
      newChapters: 1,
      newChaptersByKind: { village: 1 },
      members: 200,
      female: 110,
      newMembers: 21,
      dues: "4000000",
      percentOfPopulation: null,
      communesWithPopulation: 0,
      communes: 1,
    });
    // The population: members as a share of it.
    const pop = await communeOfficer.put(`/api/v1/association/populations/${binhYen}/${YEAR}`, {
      population: 8000,
    });
    expect(pop.statusCode, pop.body).toBe(200);
    expect((await report(communeOfficer, binhYen)).figures).toMatchObject({
      population: 8000,
      percentOfPopulation: 2.5,
      populationComplete: true,
    });
    // The 2019 founding counts as a new chapter of 2019.
    expect((await report(communeOfficer, binhYen, 2019)).figures).toMatchObject({
      hasData: false,
      newChapters: 1,
      newChaptersByKind: { clan: 1 },
    });

    // The province: one row per commune; Bình Yên's figures, the others marked as missing; the %
    // says how many communes have a population.
    const province = await report(provinceOfficer, thaiNguyen);
    expect(province.figures).toMatchObject({ members: 200, dues: "4000000", communesWithPopulation: 1 });
    expect(province.figures.communes).toBeGreaterThan(1);
    expect(province.figures.populationComplete).toBe(false);
    expect(province.figures.percentOfPopulation).toBe(2.5);
    expect(province.children.find((c) => c.id === binhYen)?.figures).toMatchObject({
      hasData: true,
      members: 200,
    });
    expect(province.children.find((c) => c.id === sibling)?.figures).toMatchObject({
      hasData: false,
      members: 0,
      communesWithPopulation: 0,
    });
    // The trend: the last five years, oldest first.
    expect(province.trend.map((t) => t.year)).toEqual([2021, 2022, 2023, 2024, 2025]);
    expect(province.trend.at(-1)).toMatchObject({ hasData: true, members: 200, percentOfPopulation: 2.5 });
    expect(province.trend[0]).toMatchObject({ hasData: false, members: 0 });
    // The nation is the sum of its provinces.
    const nationId = (
      (await admin.get("/api/v1/org-units?level=0&pageSize=1")).json() as { items: { id: number }[] }
    ).items[0]?.id as number;
    const nation = await report(admin, nationId);
    expect(nation.figures.members).toBeGreaterThanOrEqual(200);
    expect(nation.figures.members).toBe(nation.children.reduce((s, c) => s + c.figures.members, 0));
  });

  it("shows the body's chapters with their figures; a viewer reads but may not write", async () => {
    const view = (await communeOfficer.get(`/api/v1/association/bodies/${binhYen}?year=${YEAR}`)).json() as {
      chapters: ChapterOut[];
      complete: boolean;
      population: { population: number } | null;
      canManage: boolean;
      linkOptions: { units: { id: number }[]; clans: { id: number }[] };
    };
    expect(view.complete).toBe(true);
    expect(view.canManage).toBe(true);
    expect(view.population?.population).toBe(8000);
    expect(view.chapters.map((c) => c.name)).toEqual(["Chi hội thôn Đồng Tâm", "Dòng họ Ma khuyến học"]);
    expect(view.linkOptions.units.map((u) => u.id).sort()).toEqual([village, otherVillage, school].sort());
    expect(view.linkOptions.clans.map((c) => c.id)).toEqual([clan]);
    const read = (await viewer.get(`/api/v1/association/bodies/${binhYen}?year=${YEAR}`)).json() as {
      canManage: boolean;
      canWritePopulation: boolean;
      chapters: ChapterOut[];
    };
    expect(read).toMatchObject({ canManage: false, canWritePopulation: false });
    expect(read.chapters.every((c) => !c.canWrite)).toBe(true);
    expect(
      (await viewer.put(`/api/v1/association/chapters/${villageChapter.id}/years/${YEAR}`, figures()))
        .statusCode,
    ).toBe(403);
  });

  it("lets a village chapter head update his chapter's figures, and only his", async () => {
    const view = (await villageHead.get(`/api/v1/association/bodies/${binhYen}?year=${YEAR}`)).json() as {
      chapters: ChapterOut[];
      complete: boolean;
      canManage: boolean;
      canWritePopulation: boolean;
    };
    expect(view).toMatchObject({ complete: false, canManage: false, canWritePopulation: false });
    expect(view.chapters.map((c) => c.id)).toEqual([villageChapter.id]);
    const own = await villageHead.put(
      `/api/v1/association/chapters/${villageChapter.id}/years/${YEAR}`,
      figures({ members: 125, female: 72 }),
    );
    expect(own.statusCode, own.body).toBe(200);
    expect(
      (await villageHead.put(`/api/v1/association/chapters/${clanChapter.id}/years/${YEAR}`, figures()))
        .statusCode,
    ).toBe(403);
    // Creating chapters and the commune's population are for the commune's officers.
    expect(
      (await villageHead.post(`/api/v1/association/bodies/${binhYen}/chapters`, { kind: "other", name: "X" }))
        .statusCode,
    ).toBe(403);
    expect(
      (await villageHead.put(`/api/v1/association/populations/${binhYen}/${YEAR}`, { population: 1 }))
        .statusCode,
    ).toBe(403);
    expect((await report(communeOfficer, binhYen)).figures).toMatchObject({ members: 205, female: 112 });
    // Back to what the journey above expects.
    await communeOfficer.put(`/api/v1/association/chapters/${villageChapter.id}/years/${YEAR}`, figures());
  });
});

describe("refusals, each in Vietnamese, storing nothing", () => {
  it("refuses inconsistent figures with every message at once", async () => {
    const before = await rowCounts();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ female: 121 }, "female", /Số hội viên nữ không được lớn hơn tổng số hội viên/],
      [{ newMembers: 121 }, "newMembers", /mới kết nạp không được lớn hơn tổng số hội viên/],
      [{ members: 12.5 }, "members", /phải là số nguyên không âm/],
      [{ members: -1 }, "members", /phải là số nguyên không âm/],
      [{ female: "7" }, "female", /phải là một số/],
      [{ dues: 100.5 }, "dues", /không có phần thập phân/],
      [{ dues: -100 }, "dues", /không được âm/],
    ];
    for (const [over, field, message] of cases) {
      const res = await communeOfficer.put(
        `/api/v1/association/chapters/${clanChapter.id}/years/${YEAR}`,
        figures(over),
      );
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors.find((e) => e.field === field)?.message, JSON.stringify(problem)).toMatch(
        message,
      );
    }
    const all = await communeOfficer.put(
      `/api/v1/association/chapters/${clanChapter.id}/years/${YEAR}`,
      figures({ members: 10, female: 11, newMembers: 12, dues: 0.5 }),
    );
    expect((all.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual([
      "dues",
      "female",
      "newMembers",
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses wrong unit kinds, dates out of order and units outside the scope", async () => {
    const before = await rowCounts();
    // A village has no Association body of its own; a population belongs to a commune.
    const notBody = await admin.post(`/api/v1/association/bodies/${village}/chapters`, {
      kind: "other",
      name: "Chi hội lạ",
    });
    expect(notBody.statusCode).toBe(400);
    expect(notBody.json()).toMatchObject({ code: "wrong_unit_kind" });
    expect((notBody.json() as { detail: string }).detail).toMatch(/không có Hội Khuyến học riêng/);
    const provincePopulation = await provinceOfficer.put(
      `/api/v1/association/populations/${thaiNguyen}/${YEAR}`,
      { population: 1_000_000 },
    );
    expect(provincePopulation.statusCode).toBe(400);
    expect(provincePopulation.json()).toMatchObject({ code: "wrong_unit_kind" });
    // A village chapter linked to a school; a province body holding a village chapter.
    const wrongLink = await communeOfficer.post(`/api/v1/association/bodies/${binhYen}/chapters`, {
      kind: "village",
      name: "Chi hội sai",
      linkedUnitId: school,
      foundedOn: "2030-01-01",
    });
    expect(wrongLink.statusCode).toBe(400);
    const errors = (wrongLink.json() as { errors: { field: string; message: string }[] }).errors;
    expect(errors.find((e) => e.field === "linkedUnitId")?.message).toMatch(/không phải trường học/);
    expect(errors.find((e) => e.field === "foundedOn")?.message).toBe(
      "Ngày thành lập không được sau hôm nay.",
    );
    const provinceVillage = await provinceOfficer.post(`/api/v1/association/bodies/${thaiNguyen}/chapters`, {
      kind: "village",
      name: "Chi hội thôn ở tỉnh",
    });
    expect(provinceVillage.statusCode).toBe(400);
    // The same village twice; the same name twice.
    const twice = await communeOfficer.post(`/api/v1/association/bodies/${binhYen}/chapters`, {
      kind: "village",
      name: "Chi hội thôn Đồng Tâm",
      linkedUnitId: village,
    });
    expect((twice.json() as { errors: { field: string; message: string }[] }).errors).toEqual([
      { field: "linkedUnitId", message: "Đơn vị này đã có chi hội: Chi hội thôn Đồng Tâm." },
      { field: "name", message: "Hội đã có một chi hội cùng tên." },
    ]);
    // A negative, a fractional population.
    for (const population of [-5, 1.5, 0]) {
      const res = await communeOfficer.put(`/api/v1/association/populations/${binhYen}/${YEAR}`, {
        population,
      });
      expect(res.statusCode).toBe(400);
      expect((res.json() as { errors: { message: string }[] }).errors[0]?.message).toBe(
        "Dân số phải là số nguyên lớn hơn 0.",
      );
    }
    // Outside the scope: 403, for reading and writing.
    const outside = await hoaAnOfficer.put(
      `/api/v1/association/chapters/${villageChapter.id}/years/${YEAR}`,
      figures(),
    );
    expect(outside.statusCode).toBe(403);
    expect((outside.json() as { detail: string }).detail).toMatch(/ngoài phạm vi/);
    expect((await hoaAnOfficer.get(`/api/v1/association/bodies/${binhYen}?year=${YEAR}`)).statusCode).toBe(
      403,
    );
    expect(
      (await hoaAnOfficer.get(`/api/v1/association/report?orgUnitId=${thaiNguyen}&year=${YEAR}`)).statusCode,
    ).toBe(403);
    expect(
      (
        await hoaAnOfficer.post(`/api/v1/association/bodies/${binhYen}/chapters`, {
          kind: "other",
          name: "X",
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await hoaAnOfficer.put(`/api/v1/association/populations/${binhYen}/${YEAR}`, { population: 5 }))
        .statusCode,
    ).toBe(403);
    // Figures for a year before the chapter was founded.
    const early = await communeOfficer.put(
      `/api/v1/association/chapters/${villageChapter.id}/years/2024`,
      figures(),
    );
    expect(early.statusCode).toBe(400);
    expect((early.json() as { errors: { message: string }[] }).errors[0]?.message).toMatch(
      /thành lập năm 2025, không nhập được số liệu năm 2024/,
    );
    expect(await rowCounts()).toEqual(before);
  });
});

describe("a chapter's life: dissolution, deletion, audit", () => {
  it("dissolves a chapter with figures instead of deleting it; a dissolved chapter gets no later figures", async () => {
    const deleted = await communeOfficer.delete(`/api/v1/association/chapters/${clanChapter.id}`);
    expect(deleted.statusCode).toBe(409);
    expect((deleted.json() as { detail: string }).detail).toMatch(/không xóa được, hãy ghi nhận giải thể/);
    const backwards = await communeOfficer.put(`/api/v1/association/chapters/${clanChapter.id}/dissolution`, {
      dissolvedOn: "2024-12-31",
    });
    expect(backwards.statusCode).toBe(400);
    expect((backwards.json() as { errors: { message: string }[] }).errors[0]?.message).toMatch(
      /đã có số liệu năm 2025/,
    );
    const dissolved = await communeOfficer.put(`/api/v1/association/chapters/${clanChapter.id}/dissolution`, {
      dissolvedOn: "2025-12-31",
    });
    expect(dissolved.statusCode, dissolved.body).toBe(200);
    expect((dissolved.json() as ChapterOut).dissolvedOn).toBe("2025-12-31");
    const later = await communeOfficer.put(
      `/api/v1/association/chapters/${clanChapter.id}/years/2026`,
      figures(),
    );
    expect(later.statusCode).toBe(400);
    expect((later.json() as { errors: { message: string }[] }).errors[0]?.message).toMatch(
      /đã giải thể năm 2025/,
    );
    // Its 2025 figures still count.
    expect((await report(communeOfficer, binhYen)).figures).toMatchObject({ members: 200, chapters: 2 });
    // A new clan chapter may now be linked to the same clan.
    const successor = await createChapter(communeOfficer, binhYen, {
      kind: "clan",
      name: "Dòng họ Ma khuyến học",
      clanId: clan,
    });
    // So the old one cannot come back to life under the same name and clan.
    const revive = await communeOfficer.put(`/api/v1/association/chapters/${clanChapter.id}/dissolution`, {
      dissolvedOn: null,
    });
    expect(revive.statusCode).toBe(400);
    // A chapter entered by mistake, without figures, is deleted.
    expect((await communeOfficer.delete(`/api/v1/association/chapters/${successor.id}`)).statusCode).toBe(
      200,
    );
    expect((await communeOfficer.delete(`/api/v1/association/chapters/${successor.id}`)).statusCode).toBe(
      404,
    );
    const audit = await ctx.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "association_chapter")
      .where("entity_id", "in", [String(clanChapter.id), String(successor.id)])
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "association.chapter.create",
      "association.chapter_year.save",
      "association.chapter_year.save",
      "association.chapter.dissolve",
      "association.chapter.create",
      "association.chapter.delete",
    ]);
  });

  it("changes a chapter's kind and founding: the counters follow", async () => {
    const c = await createChapter(communeOfficer, binhYen, {
      kind: "other",
      name: "Ban khuyến học Hợp tác xã chè",
      foundedOn: "2024-05-01",
    });
    await communeOfficer.put(
      `/api/v1/association/chapters/${c.id}/years/${YEAR}`,
      figures({ members: 10, female: 4, newMembers: 2, dues: 0 }),
    );
    const moved = await communeOfficer.put(`/api/v1/association/chapters/${c.id}`, {
      kind: "enterprise",
      name: "Ban khuyến học Hợp tác xã chè",
      foundedOn: "2025-01-10",
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const f = (await report(communeOfficer, binhYen)).figures;
    expect(f.chaptersByKind).toMatchObject({ enterprise: 1 });
    expect(f.chaptersByKind.other).toBeUndefined();
    expect(f.newChaptersByKind).toMatchObject({ enterprise: 1, village: 1 });
    expect((await report(communeOfficer, binhYen, 2024)).figures.newChapters).toBe(0);
    // Its founding cannot move after a year it has figures for.
    const late = await communeOfficer.put(`/api/v1/association/chapters/${c.id}`, {
      kind: "enterprise",
      name: "Ban khuyến học Hợp tác xã chè",
      foundedOn: "2026-01-10",
    });
    expect(late.statusCode).toBe(400);
    await communeOfficer.delete(`/api/v1/association/chapters/${c.id}/years/${YEAR}`);
    await communeOfficer.delete(`/api/v1/association/chapters/${c.id}`);
  });

  it("exports the roll-up as an Excel workbook, missing communes marked", async () => {
    const res = await provinceOfficer.get(
      `/api/v1/association/report/export.xlsx?orgUnitId=${thaiNguyen}&year=${YEAR}`,
    );
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Hội viên theo đơn vị");
    const rows: unknown[][] = [];
    sheet?.eachRow((r) => {
      rows.push((r.values as unknown[]).slice(1));
    });
    const binh = rows.find((r) => typeof r[0] === "string" && r[0].includes("Bình Yên"));
    expect(binh?.slice(1, 7)).toEqual([2, 200, 110, 21, 4_000_000, 8000]);
    expect(binh?.[7]).toBe(2.5);
    expect(rows.some((r) => r[1] === "chưa có số liệu")).toBe(true);
    expect(rows.at(-1)?.[0]).toBe("Cộng");
    expect(rows.at(-1)?.[2]).toBe(200);
  });
});

describe("the counters equal a recount after any sequence of writes", () => {
  type Op =
    | { kind: "chapter"; commune: 0 | 1; chapterKind: "other" | "school" | "agency"; founded: number | null }
    | { kind: "year"; pick: number; year: number; members: number; f: number; n: number; dues: number }
    | { kind: "unyear"; pick: number; year: number }
    | { kind: "retype"; pick: number; chapterKind: "other" | "school" | "agency" }
    | { kind: "population"; commune: 0 | 1; year: number; population: number | null };
  const year = fc.integer({ min: 2024, max: 2025 });
  const chapterKind = fc.constantFrom("other" as const, "school" as const, "agency" as const);
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant("chapter" as const),
      commune: fc.constantFrom(0 as const, 1 as const),
      chapterKind,
      founded: fc.option(fc.integer({ min: 2015, max: 2023 })),
    }),
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("year" as const),
        pick: fc.nat(),
        year,
        members: fc.integer({ min: 0, max: 500 }),
        f: fc.double({ min: 0, max: 1, noNaN: true }),
        n: fc.double({ min: 0, max: 1, noNaN: true }),
        dues: fc.integer({ min: 0, max: 50_000_000 }),
      }),
    },
    fc.record({ kind: fc.constant("unyear" as const), pick: fc.nat(), year }),
    fc.record({ kind: fc.constant("retype" as const), pick: fc.nat(), chapterKind }),
    fc.record({
      kind: fc.constant("population" as const),
      commune: fc.constantFrom(0 as const, 1 as const),
      year,
      population: fc.option(fc.integer({ min: 1, max: 50_000 })),
    }),
  );

  it("holds for random chapters, figures, corrections, deletions and populations in two communes", async () => {
    const officers: [TestClient, TestClient] = [communeOfficer, hoaAnOfficer];
    const communes: [number, number] = [binhYen, hoaAn];
    const mine: { id: number; owner: 0 | 1; name: string; founded: string | null }[] = [];
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        for (const o of ops) {
          if (o.kind === "chapter") {
            const name = `Chi hội ngẫu nhiên ${++serial}`;
            const founded = o.founded === null ? null : `${o.founded}-06-01`;
            const c = await createChapter(officers[o.commune], communes[o.commune], {
              kind: o.chapterKind,
              name,
              foundedOn: founded,
            });
            mine.push({ id: c.id, owner: o.commune, name, founded });
          } else if (o.kind === "population") {
            const url = `/api/v1/association/populations/${communes[o.commune]}/${o.year}`;
            const res =
              o.population === null
                ? await officers[o.commune].delete(url)
                : await officers[o.commune].put(url, { population: o.population });
            expect([200, 404], res.body).toContain(res.statusCode);
          } else if (mine.length > 0) {
            const target = mine[o.pick % mine.length] as (typeof mine)[number];
            const client = officers[target.owner];
            const base = `/api/v1/association/chapters/${target.id}`;
            if (o.kind === "year") {
              const female = Math.floor(o.members * o.f);
              const res = await client.put(`${base}/years/${o.year}`, {
                members: o.members,
                female,
                newMembers: Math.floor(o.members * o.n),
                dues: o.dues,
              });
              expect(res.statusCode, res.body).toBe(200);
            } else if (o.kind === "unyear") {
              expect([200, 404]).toContain((await client.delete(`${base}/years/${o.year}`)).statusCode);
            } else {
              const res = await client.put(base, {
                kind: o.chapterKind,
                name: target.name,
                foundedOn: target.founded,
              });
              expect(res.statusCode, res.body).toBe(200);
            }
          }
        }
        await expectCountersMatchRecount();
      }),
      { numRuns: 20 },
    );
  });
});

/** Every counter, recomputed from the records with no help from the service's code. */
async function expectCountersMatchRecount() {
  const db = ctx.database.db;
  const chapters = await db
    .selectFrom("association_chapters as c")
    .innerJoin("org_units as o", "o.id", "c.org_unit_id")
    .select(["c.id", "c.org_unit_id", "c.kind", "c.founded_on", "c.dissolved_on", "o.path"])
    .execute();
  const years = await db.selectFrom("association_chapter_years").selectAll().execute();
  const populations = await db
    .selectFrom("unit_populations as p")
    .innerJoin("org_units as o", "o.id", "p.org_unit_id")
    .select(["p.org_unit_id", "p.year", "p.population", "o.path"])
    .execute();
  const hasPopulation = new Set(populations.map((p) => `${p.org_unit_id}|${p.year}`));
  const expected = new Map<string, number>();
  const add = (path: string, period: string | number, metric: string, n: number) => {
    for (const unit of countingUnitIds(path)) {
      const key = `${unit}|${period}|${metric}`;
      expected.set(key, (expected.get(key) ?? 0) + n);
    }
  };
  for (const c of chapters) {
    if (c.founded_on) {
      add(c.path, c.founded_on.slice(0, 4), "new_chapters", 1);
      add(c.path, c.founded_on.slice(0, 4), `new_chapters:${c.kind}`, 1);
    }
    if (c.dissolved_on) add(c.path, c.dissolved_on.slice(0, 4), "dissolved_chapters", 1);
    for (const y of years.filter((y) => y.chapter_id === c.id)) {
      add(c.path, y.year, "members", y.members);
      add(c.path, y.year, "female", y.female);
      add(c.path, y.year, "new_members", y.new_members);
      add(c.path, y.year, "dues", Number(y.dues));
      add(c.path, y.year, "chapters", 1);
      add(c.path, y.year, `chapters:${c.kind}`, 1);
      if (hasPopulation.has(`${c.org_unit_id}|${y.year}`)) add(c.path, y.year, "members_covered", y.members);
    }
  }
  for (const p of populations) {
    add(p.path, p.year, "population", p.population);
    add(p.path, p.year, "population_units", 1);
  }
  const stats = await db
    .selectFrom("association_stats")
    .select(["org_unit_id", "period", "metric", "n"])
    .execute();
  const actual = new Map<string, number>();
  for (const s of stats)
    if (Number(s.n) !== 0) actual.set(`${s.org_unit_id}|${s.period}|${s.metric}`, Number(s.n));
  for (const [k, v] of [...expected]) if (v === 0) expected.delete(k);
  expect(actual).toEqual(expected);
}
