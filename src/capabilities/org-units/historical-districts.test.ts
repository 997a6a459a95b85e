import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../authz/policy.ts";
import { startTestApp } from "../../testing/test-app.ts";
import { systemAuditContext } from "../audit/audit-writer.ts";
import { createEvent } from "../events/service.ts";
import { COUNTER_TABLES, formHistoricalDistrict } from "./historical-districts.ts";

let ctx: Awaited<ReturnType<typeof startTestApp>>;
const admin: Principal = { userId: 1, username: "admin", role: "admin", scopePaths: ["/"], via: "token" };
const audit = systemAuditContext("test");

async function oldUnit(kind: string, code: string) {
  return ctx.database.db
    .selectFrom("org_units")
    .select(["id", "path", "parent_id", "level"])
    .where("kind", "=", kind)
    .where("code", "=", code)
    .where("valid_to", "is not", null)
    .executeTakeFirstOrThrow();
}

async function heldWeek(unitId: number): Promise<number> {
  const row = await ctx.database.db
    .selectFrom("event_stats")
    .select("n")
    .where("org_unit_id", "=", unitId)
    .where("period", "=", "2024")
    .where("metric", "=", "held:lifelong_learning_week")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

const week = (orgUnitId: number, startDate: string) => ({
  orgUnitId,
  kind: "lifelong_learning_week" as const,
  title: "Tuần lễ hưởng ứng học tập suốt đời",
  startDate,
  endDate: startDate,
  place: null,
  participants: 120,
  notes: null,
});

beforeAll(async () => {
  ctx = await startTestApp();
  const first = await ctx.database.db
    .selectFrom("users")
    .select("id")
    .orderBy("id")
    .executeTakeFirstOrThrow();
  admin.userId = Number(first.id);
});
afterAll(() => ctx?.close());

describe("forming a pre-2025 district from its old communes", () => {
  it("lists every live counter table the database has", async () => {
    const { rows } = await sql<{ table_name: string }>`
      select distinct c.table_name from information_schema.columns c
       where c.table_schema = current_schema() and c.column_name = 'org_unit_id'
         and (c.table_name like '%\\_stats' or c.table_name like '%\\_counts')`.execute(ctx.database.db);
    expect(rows.map((r) => r.table_name).sort()).toEqual(COUNTER_TABLES.map((t) => t.table).sort());
  });

  it("puts the communes under the district and carries their counters up to it", async () => {
    const oldKhanhHoa = await oldUnit("province", "56");
    const ninhDa = await oldUnit("commune", "22570");
    const ninhHiep = await oldUnit("commune", "22528");
    // Recorded before the district exists: counted at the commune and the old province.
    await createEvent(ctx.database.db, admin, week(Number(ninhDa.id), "2024-06-03"), audit);
    const provinceBefore = await heldWeek(Number(oldKhanhHoa.id));

    const formed = await formHistoricalDistrict(
      ctx.database.db,
      admin,
      {
        provinceId: Number(oldKhanhHoa.id),
        code: "568",
        name: "Thị xã Ninh Hòa",
        communeIds: [Number(ninhDa.id)],
      },
      audit,
    );
    expect(formed.moved).toBe(1);
    const movedDa = await oldUnit("commune", "22570");
    expect(Number(movedDa.parent_id)).toBe(formed.id);
    expect(movedDa.path).toBe(`${oldKhanhHoa.path}${formed.id}/${ninhDa.id}/`);
    expect(movedDa.level).toBe(ninhDa.level + 1);
    expect(await heldWeek(formed.id)).toBe(1);

    // Extending it is the same call; a commune already in it is left alone; a later record
    // counts at the commune, the district and the province.
    const again = await formHistoricalDistrict(
      ctx.database.db,
      admin,
      {
        provinceId: Number(oldKhanhHoa.id),
        code: "568",
        name: "Thị xã Ninh Hòa",
        communeIds: [Number(ninhDa.id), Number(ninhHiep.id)],
      },
      audit,
    );
    expect(again).toEqual({ id: formed.id, moved: 1 });
    await createEvent(ctx.database.db, admin, week(Number(ninhHiep.id), "2024-06-04"), audit);
    expect(await heldWeek(formed.id)).toBe(2);
    expect(await heldWeek(Number(oldKhanhHoa.id))).toBe(provinceBefore + 1);

    const audits = await ctx.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", String(formed.id))
      .orderBy("id")
      .execute();
    expect(audits.map((a) => a.action)).toEqual([
      "org_unit.district_formed",
      "org_unit.district_communes_added",
      "org_unit.district_communes_added",
    ]);
  });

  it("refuses a current commune, a commune of another province and a bad code, changing nothing", async () => {
    const oldKhanhHoa = await oldUnit("province", "56");
    const thanhDinh = await oldUnit("commune", "05578"); // old Thái Nguyên
    const binhYen = await ctx.database.db
      .selectFrom("org_units")
      .select("id")
      .where("kind", "=", "commune")
      .where("code", "=", "05587")
      .where("valid_to", "is", null)
      .executeTakeFirstOrThrow();
    const attempt = (communeIds: number[], code = "568") =>
      formHistoricalDistrict(
        ctx.database.db,
        admin,
        { provinceId: Number(oldKhanhHoa.id), code, name: "Thị xã Ninh Hòa", communeIds },
        audit,
      );
    await expect(attempt([Number(thanhDinh.id)])).rejects.toMatchObject({
      errors: [{ field: "communeIds", message: expect.stringContaining("Xã Thanh Định") }],
    });
    await expect(attempt([Number(binhYen.id)])).rejects.toMatchObject({
      errors: [{ field: "communeIds" }],
    });
    await expect(attempt([], "56a")).rejects.toMatchObject({
      errors: [{ field: "code", message: "Mã huyện gồm 3 chữ số (ví dụ 568)." }],
    });
    expect(Number((await oldUnit("commune", "05578")).parent_id)).toBe(Number(thanhDinh.parent_id));
  });

  it("is for administrators only", async () => {
    const oldKhanhHoa = await oldUnit("province", "56");
    const officer: Principal = { ...admin, role: "officer", scopePaths: [oldKhanhHoa.path] };
    await expect(
      formHistoricalDistrict(
        ctx.database.db,
        officer,
        { provinceId: Number(oldKhanhHoa.id), code: "569", name: "Huyện Vạn Ninh", communeIds: [] },
        audit,
      ),
    ).rejects.toMatchObject({ status: 403 });
  });
});
