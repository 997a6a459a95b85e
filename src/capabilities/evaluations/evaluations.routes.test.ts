import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/connection.ts";
import type { FrameworkDefinition } from "../../domain/learning-models/framework.ts";
import type { Answers } from "../../domain/learning-models/scoring.ts";
import { metricsOf } from "../../domain/learning-models/statistics.ts";
import {
  createUserAndLogin,
  loginAsAdmin,
  startTestApp,
  type TestClient,
  unitIdByCode,
} from "../../testing/test-app.ts";
import { countingUnitIds } from "../statistics/counters.ts";
import { counterDifferences } from "../statistics/recount.ts";

type Detail = {
  id: number;
  status: string;
  total: number | null;
  ratingLabel: string | null;
  subjectName: string;
  framework: { id: number; version: number; definition: FrameworkDefinition };
  score: { total: number; complete: boolean; rating: { label: string; passing: boolean } };
  can: { edit: boolean; review: boolean; decide: boolean };
};
type Figures = {
  subjects: number;
  registered: number;
  selfAssessed: number;
  recognised: number;
  recognitionRate: number | null;
};
type Stats = {
  models: { model: string; figures: Figures; children: { id: number; name: string; figures: Figures }[] }[];
};

const YEAR = 2026;
let ctx: Awaited<ReturnType<typeof startTestApp>>;
let database: Database;
let admin: TestClient;
let binhYen: number;
let thaiNguyen: number;
let village: number;
let clerk: TestClient;
let officer: TestClient;
let provinceOfficer: TestClient;
let outsider: TestClient;

/** Full marks for every typed criterion, whatever its input kind. */
function fullMarks(definition: FrameworkDefinition): Answers {
  const answers: Answers = {};
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

async function stats(client: TestClient, unitId: number, model: string) {
  const res = await client.get(`/api/v1/stats/learning-models?orgUnitId=${unitId}&year=${YEAR}`);
  expect(res.statusCode).toBe(200);
  const m = (res.json() as Stats).models.find((x) => x.model === model);
  if (!m) throw new Error(`no ${model}`);
  return m;
}

async function evaluationIds(client: TestClient, unitId: number, model: string): Promise<number[]> {
  const res = await client.get(
    `/api/v1/evaluations?orgUnitId=${unitId}&model=${model}&year=${YEAR}&pageSize=500`,
  );
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: { id: number }[] }).items.map((i) => i.id);
}

/** Every counter equals a recount from the evaluations themselves, at every level. */
async function expectCountersEqualRecount() {
  const rows = await database.db
    .selectFrom("evaluations as e")
    .innerJoin("org_units as u", "u.id", "e.org_unit_id")
    .select(["e.model", "e.year", "e.status", "e.rating_code", "u.path"])
    .execute();
  const expected = new Map<string, number>();
  for (const r of rows) {
    for (const metric of metricsOf({ status: r.status as never, ratingCode: r.rating_code })) {
      for (const unitId of countingUnitIds(r.path)) {
        const key = `${unitId}|${r.year}|${r.model}|${metric}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
  }
  const kept = await database.db.selectFrom("model_stats").selectAll().where("n", ">", 0).execute();
  const actual = new Map(kept.map((k) => [`${k.org_unit_id}|${k.year}|${k.model}|${k.metric}`, Number(k.n)]));
  expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
  // The SQL recount (the benchmark's check and the generator's rule) says the same.
  expect(await counterDifferences(database.db)).toEqual([]);
}

beforeAll(async () => {
  ctx = await startTestApp();
  database = ctx.database;
  admin = await loginAsAdmin(ctx.app);
  binhYen = await unitIdByCode(admin, "05587");
  thaiNguyen = await unitIdByCode(admin, "19", "province");
  const hoaAn = await unitIdByCode(admin, "01654");
  const created = await admin.post("/api/v1/org-units", {
    parentId: binhYen,
    kind: "village",
    name: "Thôn Đồng Tâm",
  });
  village = (created.json() as { id: number }).id;
  clerk = await createUserAndLogin(ctx.app, admin, {
    username: "truongthon",
    role: "data_entry",
    scopeIds: [village],
  });
  officer = await createUserAndLogin(ctx.app, admin, {
    username: "canbo.by",
    role: "officer",
    scopeIds: [binhYen],
  });
  provinceOfficer = await createUserAndLogin(ctx.app, admin, {
    username: "canbo.tn",
    role: "officer",
    scopeIds: [thaiNguyen],
  });
  outsider = await createUserAndLogin(ctx.app, admin, {
    username: "canbo.ha",
    role: "officer",
    scopeIds: [hoaAn],
  });
  for (const headName of ["Nguyễn Văn An", "Bùi Duy Bình", "Lê Thị Cúc"]) {
    const res = await clerk.post("/api/v1/households", { villageId: village, headName });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(() => ctx.close());

describe("the yearly cycle of Gia đình học tập", () => {
  it("registers every household of the village in one action, once", async () => {
    const first = await clerk.post("/api/v1/evaluations/register", {
      model: "gdht",
      year: YEAR,
      allIn: village,
    });
    expect(first.json()).toEqual({ registered: 3, alreadyRegistered: 0 });
    const again = await clerk.post("/api/v1/evaluations/register", {
      model: "gdht",
      year: YEAR,
      allIn: village,
    });
    expect(again.json()).toEqual({ registered: 0, alreadyRegistered: 3 });
    const province = await stats(provinceOfficer, thaiNguyen, "gdht");
    const commune = province.children.find((c) => c.id === binhYen);
    expect(commune?.figures).toMatchObject({ subjects: 3, registered: 3, recognised: 0 });
  });

  it("refuses a year with no framework, a far-future year, and another commune's village", async () => {
    const past = await clerk.post("/api/v1/evaluations/register", {
      model: "gdht",
      year: 2016,
      allIn: village,
    });
    expect(past.statusCode).toBe(200); // QĐ 448 applies from 2016
    const future = await clerk.post("/api/v1/evaluations/register", {
      model: "gdht",
      year: 2099,
      allIn: village,
    });
    expect(future.statusCode).toBe(400);
    expect((future.json() as { errors: { field: string; message: string }[] }).errors[0]?.field).toBe("year");
    const foreign = await outsider.post("/api/v1/evaluations/register", {
      model: "gdht",
      year: YEAR,
      allIn: village,
    });
    expect(foreign.statusCode).toBe(403);
  });

  it("saves a draft with a running total, refuses bad scores in Vietnamese, then submits", async () => {
    const [id] = await evaluationIds(clerk, village, "gdht");
    const got = await clerk.get(`/api/v1/evaluations/${id}`);
    expect(got.statusCode, got.body).toBe(200);
    const detail = got.json() as Detail;
    expect(detail.can.edit).toBe(true);
    const definition = detail.framework.definition;
    const full = fullMarks(definition);
    const [firstCode] = Object.keys(full);
    if (!firstCode) throw new Error("framework without typed criteria");

    const draft = await clerk.put(`/api/v1/evaluations/${id}/answers`, { answers: { [firstCode]: 5 } });
    expect(draft.statusCode, draft.body).toBe(200);
    expect((draft.json() as Detail).status).toBe("draft");
    expect((draft.json() as Detail).score.total).toBe(5);
    // The save answers with its framework by id and version; the definition is the detail's.
    expect((draft.json() as Detail).framework).toEqual({
      id: detail.framework.id,
      version: detail.framework.version,
    });

    const tooHigh = await clerk.put(`/api/v1/evaluations/${id}/answers`, {
      answers: { ...full, [firstCode]: 99 },
    });
    expect(tooHigh.statusCode).toBe(400);
    expect((tooHigh.json() as { errors: { field: string; message: string }[] }).errors).toContainEqual({
      field: `answers.${firstCode}`,
      message: expect.stringContaining("Điểm tối đa"),
    });
    const incomplete = await clerk.put(`/api/v1/evaluations/${id}/answers`, {
      answers: { [firstCode]: 5 },
      submit: true,
    });
    expect(incomplete.statusCode).toBe(400);
    // Nothing partial was saved by the refused requests.
    expect(((await clerk.get(`/api/v1/evaluations/${id}`)).json() as Detail).score.total).toBe(5);

    for (const evaluationId of await evaluationIds(clerk, village, "gdht")) {
      const res = await clerk.put(`/api/v1/evaluations/${evaluationId}/answers`, {
        answers: full,
        submit: true,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as Detail).status).toBe("submitted");
    }
    // Submitting the same answers again changes nothing.
    expect(
      (await clerk.put(`/api/v1/evaluations/${id}/answers`, { answers: full, submit: true })).statusCode,
    ).toBe(200);
  });

  it("lets only the level above review and recognise, by decision, idempotently", async () => {
    const ids = await evaluationIds(officer, village, "gdht");
    expect((await clerk.post("/api/v1/evaluations/review", { ids, decision: "accept" })).statusCode).toBe(
      403,
    );
    expect((await outsider.post("/api/v1/evaluations/review", { ids, decision: "accept" })).statusCode).toBe(
      403,
    );
    const noComment = await officer.post("/api/v1/evaluations/review", { ids, decision: "return" });
    expect(noComment.statusCode).toBe(400);

    expect((await officer.post("/api/v1/evaluations/review", { ids, decision: "accept" })).json()).toEqual({
      changed: 3,
      unchanged: 0,
    });
    const missingDecision = await officer.post("/api/v1/evaluations/decide", { ids, decision: "recognise" });
    expect(missingDecision.statusCode).toBe(400);
    const decision = {
      ids,
      decision: "recognise",
      decisionNumber: "125/QĐ-UBND",
      decisionDate: "2026-11-20",
      issuer: "UBND xã Bình Yên",
    };
    expect((await officer.post("/api/v1/evaluations/decide", decision)).json()).toEqual({
      changed: 3,
      unchanged: 0,
    });
    expect((await officer.post("/api/v1/evaluations/decide", decision)).json()).toEqual({
      changed: 0,
      unchanged: 3,
    });

    // Live: the province sees it as soon as the request has returned.
    const province = await stats(provinceOfficer, thaiNguyen, "gdht");
    expect(province.children.find((c) => c.id === binhYen)?.figures).toMatchObject({
      recognised: 3,
      recognitionRate: 100,
    });
    const nation = await stats(admin, 1, "gdht");
    expect(nation.figures.recognised).toBeGreaterThanOrEqual(3);
  });

  it("keeps a recognised evaluation's score when the framework gets a new version", async () => {
    const [id] = await evaluationIds(officer, village, "gdht");
    const before = (await officer.get(`/api/v1/evaluations/${id}`)).json() as Detail;
    const clone = (await admin.post(`/api/v1/frameworks/${before.framework.id}/clone`, {})).json() as {
      id: number;
      definition: FrameworkDefinition;
    };
    const changed = structuredClone(clone.definition);
    const rating = changed.ratings[0];
    if (!rating) throw new Error("fixture");
    rating.minTotal = changed.groups.reduce((s, g) => s + g.maxPoints, 0); // stricter
    expect(
      (await admin.put(`/api/v1/frameworks/${clone.id}/definition`, { definition: changed })).statusCode,
    ).toBe(200);
    expect((await admin.post(`/api/v1/frameworks/${clone.id}/publish`)).statusCode).toBe(200);
    const after = (await officer.get(`/api/v1/evaluations/${id}`)).json() as Detail;
    expect(after.framework.id).toBe(before.framework.id);
    expect(after.score.total).toBe(before.score.total);
    expect(after.ratingLabel).toBe(before.ratingLabel);
    expect(after.status).toBe("recognised");
  });

  it("does not let a commune recognise itself, and revoking a recognition is counted", async () => {
    await officer.post("/api/v1/evaluations/register", {
      model: "cdht_xa",
      year: YEAR,
      subjectIds: [binhYen],
    });
    const [own] = await evaluationIds(officer, binhYen, "cdht_xa");
    const selfDecision = await officer.post("/api/v1/evaluations/decide", {
      ids: [own],
      decision: "reject",
      reason: "thử",
    });
    expect(selfDecision.statusCode).toBe(403);

    const [first] = await evaluationIds(officer, village, "gdht");
    const revoked = await officer.post("/api/v1/evaluations/decide", {
      ids: [first],
      decision: "revoke",
      reason: "Nhầm hộ",
    });
    expect(revoked.json()).toEqual({ changed: 1, unchanged: 0 });
    const commune = await stats(officer, binhYen, "gdht");
    expect(commune.figures.recognised).toBe(2);
    await expectCountersEqualRecount();
  });

  it("exports the province's figures as an Excel workbook, one sheet per model", async () => {
    const res = await provinceOfficer.get(
      `/api/v1/stats/learning-models/export.xlsx?orgUnitId=${thaiNguyen}&year=${YEAR}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Gia đình học tập");
    if (!sheet) throw new Error("no GĐHT sheet");
    const values: unknown[][] = [];
    sheet.eachRow((r) => {
      values.push((r.values as unknown[]).slice(1));
    });
    const binhYenRow = values.find((v) => v[0] === "Xã Bình Yên");
    // 3 households, 3 registered and self-assessed, 2 still recognised after the revocation.
    expect(binhYenRow?.slice(1, 5)).toEqual([3, 3, 3, 2]);
    expect(binhYenRow?.[6]).toBeCloseTo(2 / 3, 4);
    expect(sheet.getRow(1).getCell(1).value).toBe(`Gia đình học tập — Tỉnh Thái Nguyên, năm ${YEAR}`);
  });

  it("keeps old Xã Thanh Định's 2024 result in its own figures and rolls it up into new Xã Bình Yên", async () => {
    const found = (await admin.get("/api/v1/org-units?q=05578&status=historical")).json() as {
      items: { id: number; code: string; kind: string }[];
    };
    const thanhDinh = found.items.find((u) => u.code === "05578" && u.kind === "commune")?.id as number;
    const registered = await admin.post("/api/v1/evaluations/register", {
      model: "cdht_xa",
      year: 2024,
      subjectIds: [thanhDinh],
    });
    expect(registered.json()).toEqual({ registered: 1, alreadyRegistered: 0 });
    // The new commune did not exist in 2024: it cannot be registered for that year.
    expect(
      (
        await admin.post("/api/v1/evaluations/register", {
          model: "cdht_xa",
          year: 2024,
          subjectIds: [binhYen],
        })
      ).statusCode,
    ).toBe(400);
    const [id] = await evaluationIds(admin, thanhDinh, "cdht_xa").catch(() => [] as number[]);
    const list = (
      await admin.get(`/api/v1/evaluations?orgUnitId=${thanhDinh}&model=cdht_xa&year=2024`)
    ).json() as {
      items: { id: number }[];
    };
    const evaluationId = id ?? list.items[0]?.id;
    const detail = (await admin.get(`/api/v1/evaluations/${evaluationId}`)).json() as Detail;
    const answers = fullMarks(detail.framework.definition);
    expect(
      (await admin.put(`/api/v1/evaluations/${evaluationId}/answers`, { answers, submit: true })).statusCode,
    ).toBe(200);
    const decided = await admin.post("/api/v1/evaluations/decide", {
      ids: [evaluationId],
      decision: "recognise",
      decisionNumber: "88/QĐ-UBND",
      decisionDate: "2024-12-10",
      issuer: "UBND huyện Định Hóa",
    });
    expect(decided.json()).toEqual({ changed: 1, unchanged: 0 });

    const own = (
      await admin.get(`/api/v1/stats/learning-models?orgUnitId=${thanhDinh}&year=2024`)
    ).json() as Stats;
    expect(own.models.find((m) => m.model === "cdht_xa")?.figures).toMatchObject({
      subjects: 1,
      recognised: 1,
    });
    const alone = (
      await officer.get(`/api/v1/stats/learning-models?orgUnitId=${binhYen}&year=2024`)
    ).json() as Stats;
    expect(alone.models.find((m) => m.model === "cdht_xa")?.figures.recognised).toBe(0);
    const rolled = (
      await officer.get(
        `/api/v1/stats/learning-models?orgUnitId=${binhYen}&year=2024&includePredecessors=true`,
      )
    ).json() as Stats & { predecessors: { name: string }[] };
    expect(rolled.predecessors.map((p) => p.name)).toContain("Xã Thanh Định");
    expect(rolled.models.find((m) => m.model === "cdht_xa")?.figures.recognised).toBe(1);
  });

  it("writes every step to the audit trail", async () => {
    const audit = (await officer.get("/api/v1/audit?entityType=evaluation&pageSize=200")).json() as {
      items: { action: string }[];
    };
    const actions = new Set(audit.items.map((i) => i.action));
    for (const a of [
      "evaluation.registered",
      "evaluation.saved",
      "evaluation.submitted",
      "evaluation.accepted",
      "evaluation.recognised",
      "evaluation.revoked",
    ]) {
      expect(actions).toContain(a);
    }
  });
});

describe("live counters", () => {
  it("equal a recount after any sequence of registrations, transitions and withdrawals", async () => {
    const schools: number[] = [];
    for (const name of ["Trường Tiểu học Bình Yên", "Trường THCS Bình Yên", "Trường Mầm non Bình Yên"]) {
      const res = await admin.post("/api/v1/org-units", { parentId: binhYen, kind: "school", name });
      schools.push((res.json() as { id: number }).id);
    }
    const dvht = await provinceOfficer.get("/api/v1/frameworks?model=dvht&status=published");
    expect(dvht.statusCode).toBe(200);
    const randomStep = fc.constantFrom(
      "register",
      "withdraw",
      "draft",
      "submit",
      "accept",
      "return",
      "recognise",
      "reject",
      "revoke",
    );
    // Mostly the natural next step, so sequences reach recognition; sometimes any step at all.
    const op = fc.record({
      school: fc.constantFrom(...schools),
      action: fc.oneof(
        { arbitrary: fc.constant("advance"), weight: 4 },
        { arbitrary: randomStep, weight: 1 },
      ),
      met: fc.oneof(
        { arbitrary: fc.constant(true), weight: 3 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
    });
    const NEXT: Record<string, string> = {
      none: "register",
      registered: "submit",
      draft: "submit",
      returned: "submit",
      submitted: "accept",
      accepted: "recognise",
      recognised: "revoke",
      rejected: "revoke",
    };
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 16 }), async (ops) => {
        for (const o of ops) {
          const [id] = await evaluationIds(officer, o.school, "dvht");
          const answers = { "1.1": o.met };
          const current = id
            ? ((await officer.get(`/api/v1/evaluations/${id}`)).json() as Detail).status
            : "none";
          const action = o.action === "advance" ? (NEXT[current] ?? "register") : o.action;
          let res: Awaited<ReturnType<TestClient["get"]>> | undefined;
          switch (action) {
            case "register":
              res = await officer.post("/api/v1/evaluations/register", {
                model: "dvht",
                year: YEAR,
                subjectIds: [o.school],
              });
              break;
            case "withdraw":
              if (id) res = await officer.delete(`/api/v1/evaluations/${id}`);
              break;
            case "draft":
            case "submit":
              if (id)
                res = await officer.put(`/api/v1/evaluations/${id}/answers`, {
                  answers,
                  submit: action === "submit",
                });
              break;
            case "accept":
            case "return":
              if (id)
                res = await officer.post("/api/v1/evaluations/review", {
                  ids: [id],
                  decision: action,
                  comment: "Bổ sung",
                });
              break;
            default:
              if (id)
                res = await officer.post("/api/v1/evaluations/decide", {
                  ids: [id],
                  decision: action,
                  decisionNumber: "7/QĐ-UBND",
                  decisionDate: "2026-11-21",
                  issuer: "UBND xã Bình Yên",
                  reason: "Kiểm tra",
                });
          }
          // Refusals (a step out of order, a failing score) are fine; a server error is not.
          if (res) expect(res.statusCode, res.body).toBeLessThan(500);
          const statuses = await database.db
            .selectFrom("evaluations")
            .select("status")
            .where("model", "=", "dvht")
            .execute();
          for (const r of statuses) seen.add(r.status);
        }
        await expectCountersEqualRecount();
      }),
      {
        numRuns: 8,
        // Always include one full cycle, so the run provably reaches recognition and revocation.
        examples: [
          [Array.from({ length: 6 }, () => ({ school: schools[0] as number, action: "advance", met: true }))],
        ],
      },
    );
    // The sequences did reach deep into the cycle, not only registrations.
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });
  it("apply concurrent writes to the same evaluations once each: a write finding its row changed reads it again", async () => {
    // Households of a village of their own, registered for a year nothing else here touches.
    const created = await admin.post("/api/v1/org-units", {
      parentId: binhYen,
      kind: "village",
      name: "Thôn Cùng Lúc",
    });
    const busyVillage = (created.json() as { id: number }).id;
    for (const headName of ["Hoàng Văn Một", "Hoàng Văn Hai", "Hoàng Thị Ba", "Hoàng Văn Bốn"]) {
      expect((await admin.post("/api/v1/households", { villageId: busyVillage, headName })).statusCode).toBe(
        201,
      );
    }
    const year = 2025;
    expect(
      (await admin.post("/api/v1/evaluations/register", { model: "gdht", year, allIn: busyVillage })).json(),
    ).toEqual({ registered: 4, alreadyRegistered: 0 });
    const list = await admin.get(
      `/api/v1/evaluations?orgUnitId=${busyVillage}&model=gdht&year=${year}&pageSize=50`,
    );
    const ids = (list.json() as { items: { id: number }[] }).items.map((i) => i.id);
    const definition = ((await admin.get(`/api/v1/evaluations/${ids[0]}`)).json() as Detail).framework
      .definition;
    const full = fullMarks(definition);
    const auditBefore = await database.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "=", "evaluation.submitted")
      .executeTakeFirstOrThrow();

    // Six submissions of each evaluation at once: one submits, the others find it submitted
    // (the same answers again change nothing). Interleaved on one connection or many, several
    // read the row before the first one's write, so their writes find it changed and go again.
    const saves = await Promise.all(
      ids.flatMap((id) =>
        Array.from({ length: 6 }, () =>
          officer.put(`/api/v1/evaluations/${id}/answers`, { answers: full, submit: true }),
        ),
      ),
    );
    for (const res of saves) {
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as Detail).status).toBe("submitted");
    }
    const auditAfter = await database.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "=", "evaluation.submitted")
      .executeTakeFirstOrThrow();
    expect(Number(auditAfter.n) - Number(auditBefore.n), "one audit entry per submission").toBe(ids.length);

    // Recognitions in overlapping batches, at once: each evaluation is recognised exactly once.
    const decision = {
      decision: "recognise",
      decisionNumber: "9/QĐ-UBND",
      decisionDate: `${year}-11-20`,
      issuer: "UBND xã Bình Yên",
    };
    const batches = [ids, ids.slice(0, 2), ids.slice(1), [ids[3] as number, ids[0] as number], ids];
    const decided = await Promise.all(
      batches.map((batch) => provinceOfficer.post("/api/v1/evaluations/decide", { ...decision, ids: batch })),
    );
    let changed = 0;
    for (const res of decided) {
      expect(res.statusCode, res.body).toBe(200);
      changed += (res.json() as { changed: number }).changed;
    }
    expect(changed).toBe(ids.length);
    await expectCountersEqualRecount();
  });
});
