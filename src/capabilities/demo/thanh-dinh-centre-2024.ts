/**
 * Seed 004's records: the community learning centre of Xã Thanh Định (Định Hóa, Thái Nguyên; the
 * commune existed until 30/06/2025) and what it did in 2024 — the activities behind its
 * "Kết quả đạt được cụ thể" table and its funding by source. Entered through the centres
 * service, as an officer would, so the counters and the audit trail are the real ones. Loaded
 * by `xhht demo` and by the test that checks the centre's annual report against the seed.
 */
import type { Kysely } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import type { AuditContext } from "../audit/audit-writer.ts";
import { createActivity, saveYear } from "../centres/service.ts";
import { historicalChild } from "./historical-units.ts";

/** The old commune's official code (Xã Thanh Định, huyện Định Hóa, before the 2025 merger). */
export const THANH_DINH_CODE = "05578";
export const THANH_DINH_CENTRE = "Trung tâm học tập cộng đồng xã Thanh Định";

/** Seed 004's table: classes (chuyên đề), participants, female participants per category. */
export const THANH_DINH_2024: Readonly<Record<string, readonly [number, number, number]>> = {
  literacy: [1, 1, 0],
  vocational: [2, 98, 49],
  legal: [4, 1612, 706],
  health: [3, 905, 456],
  environment: [2, 654, 427],
  culture_society: [2, 290, 145],
  economy: [4, 312, 208],
  life_skills: [3, 419, 209],
  other: [1, 105, 52],
  arts_sports: [11, 1515, 600],
};
/** "Tổng kinh phí hỗ trợ từ ngân sách nhà nước 30.800.000đ", nothing from other sources. */
export const THANH_DINH_2024_STATE_BUDGET = 30_800_000;

/** Split `total` over `parts` as evenly as whole numbers allow, the first ones one larger. */
function share(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

/** The centre as history keeps it: a child of the old commune, open until 30/06/2025. */
async function historicalCentre(db: Kysely<DB>, ctx: AuditContext): Promise<number> {
  const commune = await db
    .selectFrom("org_units")
    .select(["id", "path", "level"])
    .where("code", "=", THANH_DINH_CODE)
    .where("kind", "=", "commune")
    .where("valid_to", "is not", null)
    .executeTakeFirst();
  if (!commune)
    throw new Error(`Chưa có xã Thanh Định (mã ${THANH_DINH_CODE}): hãy nạp danh mục đơn vị hành chính.`);
  return historicalChild(db, ctx, commune, "learning_centre", THANH_DINH_CENTRE);
}

/**
 * Load the centre's 2024: one activity per class, its participants spread over the classes, a
 * class a month in turn; and the year's funding. Returns the centre's id, and whether anything
 * was loaded (a centre that already has 2024 activities is left as it is).
 */
export async function loadThanhDinhCentre2024(
  db: Kysely<DB>,
  principal: Principal,
  ctx: AuditContext,
): Promise<{ centreId: number; loaded: boolean }> {
  const centreId = await historicalCentre(db, ctx);
  const already = await db
    .selectFrom("centre_activities")
    .select("id")
    .where("org_unit_id", "=", centreId)
    .where("start_date", ">=", "2024-01-01")
    .where("start_date", "<=", "2024-12-31")
    .executeTakeFirst();
  if (already) return { centreId, loaded: false };
  let month = 0;
  for (const [category, [classes, participants, female]] of Object.entries(THANH_DINH_2024)) {
    for (let i = 0; i < classes; i++) {
      const date = `2024-${String((month++ % 12) + 1).padStart(2, "0")}-10`;
      await createActivity(
        db,
        principal,
        centreId,
        {
          kind: category === "vocational" || category === "literacy" ? "class" : "talk",
          title: `${CATEGORY_TITLES[category] ?? category} ${i + 1}`,
          category,
          startDate: date,
          endDate: date,
          sessions: 1,
          participants: share(participants, classes, i),
          female: share(female, classes, i),
          minority: null,
          partner: null,
          place: "Nhà văn hóa xã Thanh Định",
        },
        ctx,
      );
    }
  }
  await saveYear(
    db,
    principal,
    centreId,
    2024,
    {
      plan: "Kế hoạch hoạt động năm 2024 của TTHTCĐ xã Thanh Định.",
      fundingStateBudget: THANH_DINH_2024_STATE_BUDGET,
      fundingSocialisation: 0,
      fundingLearners: 0,
    },
    ctx,
  );
  return { centreId, loaded: true };
}

/** Titles an officer would give the classes and talks of each category. */
const CATEGORY_TITLES: Readonly<Record<string, string>> = {
  literacy: "Lớp xóa mù chữ",
  vocational: "Lớp trồng chè",
  legal: "Tuyên truyền phổ biến pháp luật",
  health: "Chăm sóc sức khỏe cộng đồng",
  environment: "Bảo vệ môi trường",
  culture_society: "Xây dựng đời sống văn hóa",
  economy: "Chăn nuôi trâu, bò sinh sản",
  life_skills: "Kỹ năng sống",
  other: "Phòng chống tệ nạn xã hội",
  arts_sports: "Văn nghệ, thể dục thể thao",
};
