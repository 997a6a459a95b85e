import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUserAndLogin,
  loginAsAdmin,
  startTestApp,
  TestClient,
  unitIdByCode,
} from "../../testing/test-app.ts";

type Citizen = { id: number; fullName: string; phone: string | null; status: string; flag: string | null };
type PageOf<T> = { items: T[]; total: number };

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let officer: TestClient;
let outsider: TestClient;
let binhYen: number;
let thaiNguyen: number;

/** A visitor without an account, at a given address (the test app trusts X-Forwarded-For). */
function visitor(ip: string) {
  const client = new TestClient(ctx.app);
  return {
    register: (body: Record<string, unknown>) =>
      client.request("POST", "/api/v1/public/citizens", body, { headers: { "x-forwarded-for": ip } }),
    get: (url: string) => client.request("GET", url, undefined, { headers: { "x-forwarded-for": ip } }),
  };
}

const hoa = (overrides: Record<string, unknown> = {}) => ({
  fullName: "Nguyễn Thị Hoa",
  citizenGroup: 2,
  orgUnitId: binhYen,
  phone: "0912 345 678",
  birthYear: 1985,
  ...overrides,
});

async function queue(client: TestClient, status = "pending") {
  return (
    await client.get(`/api/v1/citizens?orgUnitId=${binhYen}&status=${status}`)
  ).json() as PageOf<Citizen>;
}

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  binhYen = await unitIdByCode(admin, "05587");
  thaiNguyen = await unitIdByCode(admin, "19", "province");
  officer = await createUserAndLogin(ctx.app, admin, {
    username: "canbo.by",
    role: "officer",
    scopeIds: [binhYen],
  });
  outsider = await createUserAndLogin(ctx.app, admin, {
    username: "canbo.ha",
    role: "officer",
    scopeIds: [await unitIdByCode(admin, "01654")],
  });
});
afterAll(() => ctx.close());

describe("a citizen registers without an account", () => {
  it("finds the commune by name without diacritics and sees the group names", async () => {
    const v = visitor("203.0.113.1");
    const units = (await v.get("/api/v1/public/units?q=binh%20yen")).json() as {
      id: number;
      label: string;
    }[];
    expect(units).toContainEqual({ id: binhYen, label: "Xã Bình Yên — Tỉnh Thái Nguyên" });
    expect((await v.get("/api/v1/public/citizen-groups")).json()).toEqual([
      "Nhóm 1",
      "Nhóm 2",
      "Nhóm 3",
      "Nhóm 4",
    ]);
    const renamed = await admin.put("/api/v1/citizen-groups", {
      names: ["Cán bộ, công chức", "Người lao động", "Hội viên", "Người dân"],
    });
    expect(renamed.statusCode).toBe(200);
    expect(((await v.get("/api/v1/public/citizen-groups")).json() as string[])[3]).toBe("Người dân");
    expect((await officer.put("/api/v1/citizen-groups", { names: ["a", "b", "c", "d"] })).statusCode).toBe(
      403,
    );
  });

  it("lands in the commune's queue, phone masked, out of other communes' sight", async () => {
    const res = await visitor("203.0.113.2").register(hoa());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      reference: expect.stringMatching(/^CD-\d+$/),
      unitName: "Xã Bình Yên",
    });
    const pending = await queue(officer);
    expect(pending.items.map((c) => [c.fullName, c.phone, c.flag])).toEqual([
      ["Nguyễn Thị Hoa", "0912 *** 678", null],
    ]);
    expect((await outsider.get(`/api/v1/citizens?orgUnitId=${binhYen}`)).statusCode).toBe(403);
  });

  it("refuses bad input with Vietnamese field messages and stores nothing", async () => {
    const v = visitor("203.0.113.3");
    const bad = await v.register(hoa({ phone: "123", fullName: "X", citizenGroup: 7 }));
    expect(bad.statusCode).toBe(400);
    const fields = Object.fromEntries(
      (bad.json() as { errors: { field: string; message: string }[] }).errors.map((e) => [
        e.field,
        e.message,
      ]),
    );
    expect(fields.phone).toContain("Số điện thoại");
    expect(fields.fullName).toBe("Nhập họ và tên đầy đủ.");
    expect(fields.citizenGroup).toBe("Chọn nhóm.");
    const village = (
      (
        await admin.post("/api/v1/org-units", { parentId: binhYen, kind: "village", name: "Thôn Mới" })
      ).json() as { id: number }
    ).id;
    expect((await v.register(hoa({ orgUnitId: village }))).statusCode).toBe(400);
    expect((await v.register({ ...hoa(), isAdmin: true })).statusCode).toBe(400);
    expect((await queue(officer)).total).toBe(1);
  });

  it("flags bots and floods so the queue shows them, and rate-limits one address", async () => {
    const trap = await visitor("203.0.113.4").register(
      hoa({ fullName: "Bot Trap", website: "http://spam.example" }),
    );
    expect(trap.statusCode).toBe(201);
    const flooder = visitor("198.51.100.9");
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++)
      statuses.push(
        (await flooder.register(hoa({ fullName: `Người Thử ${"ABCDEFGHIJKLMNOPQRSTUV"[i]}` }))).statusCode,
      );
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    const summary = (await officer.get(`/api/v1/citizens/queue?orgUnitId=${binhYen}`)).json() as {
      pending: number;
      flagged: number;
      lastHour: number;
    };
    expect(summary).toEqual({ pending: 22, flagged: 18, lastHour: 22 });
    // Suspicious entries come first in the queue.
    const first = (await queue(officer)).items[0];
    expect(first?.flag).toBe("trap");
  });

  it("verified citizens count as subjects at the commune and the province; rejection needs a reason", async () => {
    const pending = await queue(officer);
    const hoaId = pending.items.find((c) => c.fullName === "Nguyễn Thị Hoa")?.id as number;
    const others = pending.items.filter((c) => c.id !== hoaId).map((c) => c.id);
    expect(
      (await officer.post("/api/v1/citizens/decide", { ids: others, decision: "reject" })).statusCode,
    ).toBe(400);
    expect(
      (
        await officer.post("/api/v1/citizens/decide", {
          ids: others,
          decision: "reject",
          reason: "Không có thật",
        })
      ).json(),
    ).toEqual({ changed: 21, unchanged: 0 });
    expect(
      (await officer.post("/api/v1/citizens/decide", { ids: [hoaId], decision: "verify" })).json(),
    ).toEqual({
      changed: 1,
      unchanged: 0,
    });
    const stats = (
      await officer.get(`/api/v1/stats/learning-models?orgUnitId=${binhYen}&year=2026`)
    ).json() as {
      models: { model: string; figures: { subjects: number } }[];
    };
    expect(stats.models.find((m) => m.model === "cdht_cong_dan")?.figures.subjects).toBe(1);
    const province = await createUserAndLogin(ctx.app, admin, {
      username: "canbo.tn",
      role: "viewer",
      scopeIds: [thaiNguyen],
    });
    const provinceStats = (
      await province.get(`/api/v1/stats/learning-models?orgUnitId=${thaiNguyen}&year=2026`)
    ).json() as typeof stats;
    expect(provinceStats.models.find((m) => m.model === "cdht_cong_dan")?.figures.subjects).toBe(1);

    // Only verified citizens can be registered for Công dân học tập.
    const registered = await officer.post("/api/v1/evaluations/register", {
      model: "cdht_cong_dan",
      year: 2026,
      allIn: binhYen,
    });
    expect(registered.json()).toEqual({ registered: 1, alreadyRegistered: 0 });
  });

  it("an officer records a household member as a learning citizen, once, inside their scope", async () => {
    const village = (
      (
        await admin.post("/api/v1/org-units", { parentId: binhYen, kind: "village", name: "Thôn Hạ" })
      ).json() as { id: number }
    ).id;
    const household = await officer.post("/api/v1/households", {
      villageId: village,
      headName: "Đặng Văn Long",
      members: [{ fullName: "Đặng Văn Long", birthYear: 1970, isHead: true }],
    });
    expect(household.statusCode, household.body).toBe(201);
    const detail = (
      await officer.get(`/api/v1/households/${(household.json() as { id: number }).id}`)
    ).json() as {
      members: { id: number }[];
    };
    const memberId = detail.members[0]?.id as number;
    const body = {
      orgUnitId: binhYen,
      fullName: "Đặng Văn Long",
      citizenGroup: 4,
      householdMemberId: memberId,
    };
    expect((await outsider.post("/api/v1/citizens", body)).statusCode).toBe(403);
    expect((await officer.post("/api/v1/citizens", body)).statusCode).toBe(201);
    const again = await officer.post("/api/v1/citizens", body);
    expect(again.statusCode).toBe(409);
    expect((again.json() as { detail: string }).detail).toBe(
      "Thành viên hộ này đã có trong danh sách công dân học tập.",
    );
    expect((await queue(officer, "verified")).items.map((c) => c.fullName)).toContain("Đặng Văn Long");
  });
});
