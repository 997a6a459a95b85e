import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countRows,
  createUser,
  loginAsAdmin,
  startTestApp,
  type TestClient,
} from "../../testing/test-app.ts";
import {
  del,
  type Household,
  type PageOf,
  type Problem,
  registryWorld,
  snapshot,
} from "./registry-fixtures.ts";
import { currentYear } from "./schemas.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let entry: TestClient;
let world: Awaited<ReturnType<typeof registryWorld>>;

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  world = await registryWorld(admin);
  entry = await createUser(ctx.app, admin, "nhaplieu.binhyen", "data_entry", [world.communeA]);
});
afterAll(() => ctx.close());

async function create(body: Record<string, unknown>, client = entry): Promise<Household> {
  const res = await client.post("/api/v1/households", { villageId: world.villageA1, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Household;
}

async function list(params: Record<string, string | number>, client = entry) {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const res = await client.get(`/api/v1/households?${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as PageOf<Household>;
}

describe("households and their members", () => {
  it("creates a household with its members in one request, and reads it back", async () => {
    const created = await create({
      headName: "  Bùi   Duy Khánh ",
      address: "Xóm Giữa",
      isEthnicMinority: true,
      members: [
        { fullName: "Bùi Duy Khánh", birthYear: 1975, sex: "male", ethnicity: "Tày" },
        { fullName: "Nguyễn Thị Lan", birthYear: 1978, sex: "female", ethnicity: "Kinh" },
        { fullName: "Bùi Duy An", birthYear: 2010 },
      ],
    });
    expect(created).toMatchObject({
      headName: "Bùi Duy Khánh",
      address: "Xóm Giữa",
      isPoor: false,
      isNearPoor: false,
      isEthnicMinority: true,
      active: true,
      memberCount: 3,
      village: { id: world.villageA1, name: "Thôn Đồng Bục" },
      commune: { id: world.communeA, name: "Xã Bình Yên" },
      canWrite: true,
      clans: [],
    });
    // The member bearing the head's name is the head; the head is listed first, then by age.
    expect(created.members.map((m) => [m.fullName, m.isHead])).toEqual([
      ["Bùi Duy Khánh", true],
      ["Nguyễn Thị Lan", false],
      ["Bùi Duy An", false],
    ]);
    const read = await entry.get(`/api/v1/households/${created.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created);
  });

  it("lists a village's households in Vietnamese order of the head's name, with paging", async () => {
    const village = world.villageA2;
    for (const headName of ["Đặng Văn Dũng", "Dương Văn Long", "Âu Văn Hải", "Bùi Thị Lan", "Anh Thị Thu"]) {
      await create({ villageId: village, headName });
    }
    const page = await list({ villageId: village });
    expect(page.items.map((h) => h.headName)).toEqual([
      "Anh Thị Thu",
      "Âu Văn Hải",
      "Bùi Thị Lan",
      "Dương Văn Long",
      "Đặng Văn Dũng",
    ]);
    expect(page.total).toBe(5);
    const second = await list({ villageId: village, page: 2, pageSize: 2 });
    expect(second.items.map((h) => h.headName)).toEqual(["Bùi Thị Lan", "Dương Văn Long"]);
    expect(second.total).toBe(5);
    const past = await list({ villageId: village, page: 9, pageSize: 2 });
    expect(past).toMatchObject({ items: [], total: 5 });
    // The commune's list spans its villages.
    const commune = await list({ communeId: world.communeA, pageSize: 200 });
    expect(new Set(commune.items.map((h) => h.village.id))).toEqual(
      new Set([world.villageA1, world.villageA2]),
    );
  });

  it("finds a household by the head's or a member's name, without diacritics or case", async () => {
    const h = await create({
      headName: "Trần Văn Bình",
      members: [{ fullName: "Nguyễn Văn An", birthYear: 1990 }],
    });
    for (const q of [
      "nguyen van an",
      "NGUYỄN VĂN AN",
      "Nguyễn Văn An".normalize("NFD"),
      "tran van binh",
      "van  binh",
    ]) {
      const page = await list({ q, communeId: world.communeA });
      expect(
        page.items.map((i) => i.id),
        q,
      ).toContain(h.id);
    }
    // A search never matches across two people's names.
    const across = await list({ q: "binh nguyen", communeId: world.communeA });
    expect(across.items.map((i) => i.id)).not.toContain(h.id);
    // LIKE wildcards typed by a user are plain characters.
    expect((await list({ q: "%", communeId: world.communeA })).total).toBe(0);
  });

  it("stores a name typed in decomposed Unicode (NFD) as NFC, and finds it", async () => {
    const nfd = "Hoàng Thị Thủy".normalize("NFD");
    expect(nfd).not.toBe(nfd.normalize("NFC"));
    const h = await create({
      headName: nfd,
      members: [{ fullName: "Lò Văn Tuấn".normalize("NFD"), birthYear: 2001 }],
    });
    expect(h.headName).toBe("Hoàng Thị Thủy".normalize("NFC"));
    const row = await ctx.database.db
      .selectFrom("households")
      .select(["head_name", "search_key"])
      .where("id", "=", h.id)
      .executeTakeFirstOrThrow();
    expect(row.head_name).toBe("Hoàng Thị Thủy".normalize("NFC"));
    expect(row.search_key).toBe("hoang thi thuy | lo van tuan");
    const member = await ctx.database.db
      .selectFrom("household_members")
      .select("full_name")
      .where("household_id", "=", h.id)
      .executeTakeFirstOrThrow();
    expect(member.full_name).toBe("Lò Văn Tuấn".normalize("NFC"));
    expect(
      (await list({ q: "Hoàng Thị Thủy", villageId: world.villageA1 })).items.map((i) => i.id),
    ).toContain(h.id);
    expect((await list({ q: "lo van tuan", villageId: world.villageA1 })).items.map((i) => i.id)).toContain(
      h.id,
    );
  });

  it("updates a household, filters by flags, and marks it moved away", async () => {
    const h = await create({ headName: "Lý Văn Sáng" });
    const res = await entry.patch(`/api/v1/households/${h.id}`, { address: "Đội 3", isNearPoor: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ address: "Đội 3", isNearPoor: true, isPoor: false });
    const nearPoor = await list({ villageId: world.villageA1, isNearPoor: "true" });
    expect(nearPoor.items.map((i) => i.id)).toEqual([h.id]);

    // Near-poor cannot also be poor, whichever way it is sent.
    const both = await entry.patch(`/api/v1/households/${h.id}`, { isPoor: true });
    expect(both.statusCode).toBe(400);
    expect((both.json() as Problem).errors).toEqual([
      { field: "isPoor", message: "Một hộ không thể vừa là hộ nghèo vừa là hộ cận nghèo." },
    ]);
    const swap = await entry.patch(`/api/v1/households/${h.id}`, { isPoor: true, isNearPoor: false });
    expect(swap.json()).toMatchObject({ isPoor: true, isNearPoor: false });

    const moved = await entry.patch(`/api/v1/households/${h.id}`, { active: false });
    expect(moved.json()).toMatchObject({ active: false });
    expect((await list({ villageId: world.villageA1 })).items.map((i) => i.id)).not.toContain(h.id);
    expect((await list({ villageId: world.villageA1, active: "false" })).items.map((i) => i.id)).toEqual([
      h.id,
    ]);
    const audit = (await admin.get(`/api/v1/audit?entityType=household&entityId=${h.id}`)).json() as PageOf<{
      action: string;
      orgUnitId: number;
      before: { active: boolean } | null;
      after: { active: boolean };
    }>;
    expect(audit.items.map((a) => a.action)).toEqual([
      "household.deactivated",
      "household.updated",
      "household.updated",
      "household.created",
    ]);
    expect(audit.items[0]).toMatchObject({
      orgUnitId: world.villageA1,
      before: { active: true },
      after: { active: false },
    });
  });

  it("adds, edits and removes members; member count and the head stay right", async () => {
    const h = await create({
      headName: "Hà Văn Tâm",
      members: [{ fullName: "Hà Văn Tâm", birthYear: 1950, isHead: true }],
    });
    const added = await entry.post(`/api/v1/households/${h.id}/members`, {
      fullName: "Hà Thị Mơ",
      birthYear: 1980,
      sex: "female",
    });
    expect(added.statusCode, added.body).toBe(201);
    const afterAdd = added.json() as Household;
    expect(afterAdd.memberCount).toBe(2);
    const mo = afterAdd.members.find((m) => m.fullName === "Hà Thị Mơ");

    // The daughter becomes the head: the household's head name follows, the father is no longer head.
    const patched = await entry.patch(`/api/v1/households/${h.id}/members/${mo?.id}`, {
      isHead: true,
      ethnicity: "Mường",
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const afterPatch = patched.json() as Household;
    expect(afterPatch.headName).toBe("Hà Thị Mơ");
    expect(afterPatch.members.filter((m) => m.isHead).map((m) => m.fullName)).toEqual(["Hà Thị Mơ"]);
    expect((await list({ q: "ha thi mo", villageId: world.villageA1 })).items[0]?.headName).toBe("Hà Thị Mơ");

    const father = afterPatch.members.find((m) => m.fullName === "Hà Văn Tâm");
    const removed = await del(entry, `/api/v1/households/${h.id}/members/${father?.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect((removed.json() as Household).memberCount).toBe(1);
    const row = await ctx.database.db
      .selectFrom("households")
      .select(["member_count", "search_key"])
      .where("id", "=", h.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ member_count: 1, search_key: "ha thi mo" });

    // A member of another household is not reachable through this one.
    const other = await create({ headName: "Khác", members: [{ fullName: "Người Khác", birthYear: 2000 }] });
    const wrong = await entry.patch(`/api/v1/households/${h.id}/members/${other.members[0]?.id}`, {
      birthYear: 2001,
    });
    expect(wrong.statusCode).toBe(404);
  });

  it("keeps member_count equal to the number of members, whatever happened", async () => {
    const rows = await sql<{ id: number; member_count: number; n: number }>`
      select h.id, h.member_count, (select count(*)::int from household_members m where m.household_id = h.id) as n
      from households h`.execute(ctx.database.db);
    expect(rows.rows.length).toBeGreaterThan(5);
    for (const r of rows.rows) expect(r.member_count, `household ${r.id}`).toBe(r.n);
  });
});

describe("national ID numbers (CCCD/CMND)", () => {
  const CCCD = "001203004567";
  const CMND = "125874369";

  it("are stored only as a keyed hash and the last four digits, and never shown", async () => {
    const res = await entry.post("/api/v1/households", {
      villageId: world.villageA1,
      headName: "Đinh Công Tráng",
      members: [
        { fullName: "Đinh Công Tráng", birthYear: 1968, nationalId: "001 203 004 567" },
        { fullName: "Đinh Thị Nụ", birthYear: 1970, nationalId: CMND },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toContain(CCCD);
    expect(res.body).not.toContain(CMND);
    const h = res.json() as Household;
    expect(h.members.map((m) => m.nationalIdMasked)).toEqual(["…4567", "…4369"]);
    expect(Object.keys(h.members[0] ?? {})).not.toContain("nationalId");

    const stored = await ctx.database.db
      .selectFrom("household_members")
      .select(["national_id_hash", "national_id_last4"])
      .where("household_id", "=", h.id)
      .orderBy("id")
      .execute();
    expect(stored.map((s) => s.national_id_last4)).toEqual(["4567", "4369"]);
    for (const s of stored) expect(s.national_id_hash).toMatch(/^[0-9a-f]{64}$/);

    // The HMAC key exists once, in app_settings, as 32 random bytes.
    const key = await ctx.database.db
      .selectFrom("app_settings")
      .select("value")
      .where("key", "=", "national_id_hmac_key")
      .executeTakeFirstOrThrow();
    expect(Buffer.from(key.value as string, "base64")).toHaveLength(32);

    // No clear number anywhere in the database: registry tables, audit trail (before/after JSON),
    // settings, sessions — every text or JSON column of every table.
    const dump = await sql<{ t: string }>`select (
        select json_agg(x)::text from household_members x) || (select json_agg(x)::text from households x)
        || (select json_agg(x)::text from audit_log x) || (select json_agg(x)::text from app_settings x)
        as t`.execute(ctx.database.db);
    const text = dump.rows[0]?.t ?? "";
    expect(text.length).toBeGreaterThan(1000);
    expect(text).not.toContain(CCCD);
    expect(text).not.toContain(CMND);
    expect(text).not.toContain("001 203 004 567");

    // The audit entry says a number is on record, nothing more.
    const audit = (await admin.get(`/api/v1/audit?entityType=household&entityId=${h.id}`)).json() as PageOf<{
      after: { members: { hasNationalId: boolean }[] };
    }>;
    expect(audit.items[0]?.after.members.map((m) => m.hasNationalId)).toEqual([true, true]);
    expect(JSON.stringify(audit)).not.toContain(CCCD);

    // Lists carry no national IDs at all.
    const listing = await entry.get(`/api/v1/households?villageId=${world.villageA1}&pageSize=200`);
    expect(listing.body).not.toContain("4567");
  });

  it("refuses a number already on record with a 409 that does not say whose it is; nothing is written", async () => {
    const before = await snapshot(ctx.database);
    const res = await entry.post("/api/v1/households", {
      villageId: world.villageA2,
      headName: "Mạc Văn Tùng",
      members: [
        { fullName: "Mạc Văn Tùng", birthYear: 1985 },
        { fullName: "Mạc Thị Hằng", birthYear: 1987, nationalId: CCCD },
      ],
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    const problem = res.json() as Problem;
    expect(problem.code).toBe("national_id_duplicate");
    expect(problem.detail).toMatch(/đã được ghi cho một người khác/);
    expect(problem.errors?.[0]?.field).toBe("members.1.nationalId");
    expect(res.body).not.toMatch(/Đinh|Tráng|Nụ|Đồng Bục/);
    expect(res.body).not.toContain(CCCD);
    expect(await snapshot(ctx.database)).toBe(before);

    // The same number twice in one request, and through the member routes.
    const twice = await entry.post("/api/v1/households", {
      villageId: world.villageA2,
      headName: "Mạc Văn Tùng",
      members: [
        { fullName: "A", birthYear: 1985, nationalId: "036085001234" },
        { fullName: "B", birthYear: 1987, nationalId: "036085001234" },
      ],
    });
    expect(twice.statusCode).toBe(409);
    const h = await create({ headName: "Mạc Văn Tùng" });
    const add = await entry.post(`/api/v1/households/${h.id}/members`, {
      fullName: "Mạc Thị Hằng",
      birthYear: 1987,
      nationalId: CMND,
    });
    expect(add.statusCode).toBe(409);
    expect((add.json() as Problem).errors?.[0]?.field).toBe("nationalId");
  });

  it("can be replaced, kept when re-entered for the same person, and erased", async () => {
    const h = await create({
      headName: "Vi Văn Thắng",
      members: [{ fullName: "Vi Văn Thắng", birthYear: 1960, nationalId: "019060000111" }],
    });
    const memberId = h.members[0]?.id;
    const same = await entry.patch(`/api/v1/households/${h.id}/members/${memberId}`, {
      nationalId: "019060000111",
    });
    expect(same.statusCode, same.body).toBe(200);
    const replaced = await entry.patch(`/api/v1/households/${h.id}/members/${memberId}`, {
      nationalId: "019060000222",
    });
    expect((replaced.json() as Household).members[0]?.nationalIdMasked).toBe("…0222");
    // The old number is free again.
    const reuse = await entry.post(`/api/v1/households/${h.id}/members`, {
      fullName: "Vi Thị Hoa",
      birthYear: 1965,
      nationalId: "019060000111",
    });
    expect(reuse.statusCode, reuse.body).toBe(201);
    const erased = await entry.patch(`/api/v1/households/${h.id}/members/${memberId}`, { nationalId: null });
    expect((erased.json() as Household).members.find((m) => m.id === memberId)?.nationalIdMasked).toBeNull();
    const row = await ctx.database.db
      .selectFrom("household_members")
      .select(["national_id_hash", "national_id_last4"])
      .where("id", "=", memberId ?? 0)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ national_id_hash: null, national_id_last4: null });
  });
});

describe("bad input is refused with Vietnamese field messages, and nothing is written", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      "a negative birth year",
      { headName: "Lê Văn A", members: [{ fullName: "Lê Văn A", birthYear: -5 }] },
      "members.0.birthYear",
      new RegExp(`^Năm sinh phải từ 1900 đến ${currentYear()}\\.$`),
    ],
    [
      "a birth year in the future",
      { headName: "Lê Văn A", members: [{ fullName: "Lê Văn A", birthYear: currentYear() + 1 }] },
      "members.0.birthYear",
      /^Năm sinh phải từ 1900/,
    ],
    [
      "a birth year typed as text",
      { headName: "Lê Văn A", members: [{ fullName: "Lê Văn A", birthYear: "1980a" }] },
      "members.0.birthYear",
      /^Năm sinh phải từ 1900/,
    ],
    [
      "a poor and near-poor household",
      { headName: "Lê Văn A", isPoor: true, isNearPoor: true },
      "isNearPoor",
      /^Một hộ không thể vừa là hộ nghèo vừa là hộ cận nghèo\.$/,
    ],
    ["an unknown field", { headName: "Lê Văn A", religion: "x" }, "body", /Trường không được phép: religion/],
    [
      "an unknown member field",
      { headName: "Lê Văn A", members: [{ fullName: "Lê Văn A", birthYear: 1980, phone: "0912" }] },
      "members.0",
      /Trường không được phép: phone/,
    ],
    [
      "a 13-digit national ID",
      {
        headName: "Lê Văn A",
        members: [{ fullName: "Lê Văn A", birthYear: 1980, nationalId: "0012030045671" }],
      },
      "members.0.nationalId",
      /^Số CCCD gồm 12 chữ số \(CMND cũ: 9 chữ số\)\.$/,
    ],
    [
      "a national ID with letters",
      {
        headName: "Lê Văn A",
        members: [{ fullName: "Lê Văn A", birthYear: 1980, nationalId: "00120300456A" }],
      },
      "members.0.nationalId",
      /^Số CCCD gồm 12 chữ số/,
    ],
    ["an empty head name", { headName: "   " }, "headName", /^Bắt buộc nhập họ tên chủ hộ\.$/],
    [
      "two heads",
      {
        headName: "Lê Văn A",
        members: [
          { fullName: "Lê Văn A", birthYear: 1980, isHead: true },
          { fullName: "Lê Văn B", birthYear: 1981, isHead: true },
        ],
      },
      "members.1.isHead",
      /^Mỗi hộ chỉ có một chủ hộ\.$/,
    ],
    [
      "a head member who is not the named head",
      { headName: "Lê Văn A", members: [{ fullName: "Lê Văn B", birthYear: 1980, isHead: true }] },
      "members.0.fullName",
      /phải trùng tên với “Họ tên chủ hộ”/,
    ],
    [
      "a sex outside the list",
      { headName: "Lê Văn A", members: [{ fullName: "X", birthYear: 1980, sex: "m" }] },
      "members.0.sex",
      /nam|nữ/,
    ],
  ];

  for (const [what, body, field, message] of cases) {
    it(`refuses ${what}`, async () => {
      const before = await snapshot(ctx.database);
      const res = await entry.post("/api/v1/households", { villageId: world.villageA1, ...body });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      const problem = res.json() as Problem;
      expect(problem.code).toBe("validation_failed");
      const error = problem.errors?.find((e) => e.field === field);
      expect(error, JSON.stringify(problem.errors)).toBeDefined();
      expect(error?.message).toMatch(message);
      expect(await snapshot(ctx.database)).toBe(before);
    });
  }

  it("refuses a bad member patch and an empty patch", async () => {
    const h = await create({
      headName: "Tô Văn Bảo",
      members: [{ fullName: "Tô Văn Bảo", birthYear: 1970 }],
    });
    const before = await snapshot(ctx.database);
    const bad = await entry.patch(`/api/v1/households/${h.id}/members/${h.members[0]?.id}`, {
      birthYear: 1899,
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as Problem).errors?.[0]).toMatchObject({ field: "birthYear" });
    const empty = await entry.patch(`/api/v1/households/${h.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect((empty.json() as Problem).errors?.[0]?.message).toBe("Cần ít nhất một trường để sửa.");
    const tooMany = await entry.post("/api/v1/households", {
      villageId: world.villageA1,
      headName: "X",
      members: Array.from({ length: 51 }, (_, i) => ({ fullName: `Người ${i}`, birthYear: 2000 })),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(await snapshot(ctx.database)).toBe(before);
  });

  it("refuses a household in a commune (not a village) or an unknown village", async () => {
    const before = await countRows(ctx.database, "households");
    const commune = await entry.post("/api/v1/households", { villageId: world.communeA, headName: "X" });
    expect(commune.statusCode).toBe(400);
    expect((commune.json() as Problem).errors?.[0]).toEqual({
      field: "villageId",
      message: "Không tìm thấy thôn/tổ dân phố này.",
    });
    const unknown = await entry.post("/api/v1/households", { villageId: 999999999, headName: "X" });
    expect(unknown.statusCode).toBe(400);
    expect(await countRows(ctx.database, "households")).toBe(before);
  });
});

describe("bulk actions", () => {
  it("marks selected households moved away and back, all or nothing", async () => {
    const a = await create({ headName: "Bulk Một" });
    const b = await create({ villageId: world.villageA2, headName: "Bulk Hai" });
    const res = await entry.post("/api/v1/households/bulk", { action: "deactivate", ids: [a.id, b.id] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ action: "deactivate", changed: 2, ids: [a.id, b.id].sort((x, y) => x - y) });
    const again = await entry.post("/api/v1/households/bulk", { action: "deactivate", ids: [a.id, b.id] });
    expect(again.json()).toMatchObject({ changed: 0 });

    // One unknown id: nothing changes.
    const before = await snapshot(ctx.database);
    const missing = await entry.post("/api/v1/households/bulk", {
      action: "activate",
      ids: [a.id, 987654321],
    });
    expect(missing.statusCode).toBe(400);
    expect((missing.json() as Problem).errors?.[0]?.field).toBe("ids");
    expect(await snapshot(ctx.database)).toBe(before);

    const back = await entry.post("/api/v1/households/bulk", { action: "activate", ids: [a.id, b.id] });
    expect(back.json()).toMatchObject({ changed: 2 });
    const noClan = await entry.post("/api/v1/households/bulk", { action: "addToClan", ids: [a.id] });
    expect(noClan.statusCode).toBe(400);
    expect((noClan.json() as Problem).errors?.[0]).toEqual({ field: "clanId", message: "Chọn dòng họ." });
    const dup = await entry.post("/api/v1/households/bulk", { action: "activate", ids: [a.id, a.id] });
    expect(dup.statusCode).toBe(400);
  });
});

describe("concurrent requests (the PostgreSQL server runs them in parallel)", () => {
  it("two households racing for the same national ID: one is saved, the other gets the 409", async () => {
    const body = (headName: string) => ({
      villageId: world.villageA2,
      headName,
      members: [{ fullName: headName, birthYear: 1990, nationalId: "079090009999" }],
    });
    const results = await Promise.all([
      entry.post("/api/v1/households", body("Song Song Một")),
      entry.post("/api/v1/households", body("Song Song Hai")),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.statusCode === 409);
    expect(loser?.json()).toMatchObject({ code: "national_id_duplicate" });
  });

  it("members added at the same time are all counted", async () => {
    const h = await create({ headName: "Đông Người" });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        entry.post(`/api/v1/households/${h.id}/members`, {
          fullName: `Con Thứ ${i + 1}`,
          birthYear: 2000 + i,
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    const detail = (await entry.get(`/api/v1/households/${h.id}`)).json() as Household;
    expect(detail.memberCount).toBe(6);
    expect(detail.members).toHaveLength(6);
    expect((await list({ q: "con thu 6", villageId: world.villageA1 })).items.map((i) => i.id)).toEqual([
      h.id,
    ]);
  });
});
