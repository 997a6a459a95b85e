/**
 * Seed 003's records: huyện Hòa An (Cao Bằng) and its communes, literacy year by year over the
 * phase 2016–2020, and the targets of its appendix. Entered through the services, as the
 * administrator, so the counters and the audit trail are the real ones. Loaded by `xhht demo`
 * and by the test that checks the phase review's appendix (PHỤ LỤC) against the seed.
 *
 * What the seed says, and where each figure comes from here:
 * - the PHỤ LỤC's rows "Số người trong độ tuổi từ 15-25 / 26-35 / 36-60 biết chữ": for each year
 *   2016–2020 the number literate at level 2 and its rate ("8182 — 99,48" for 15–25 in 2016).
 *   The district's figure of each year is its communes' literacy records of that year summed; the
 *   spread over the communes is the demo's. The seed gives the population only through the rate:
 *   the population here is the one that gives exactly the seed's rate. For 2020 the body of the
 *   report gives the whole of it (7916 people of 15–25, 7844 at level 1, 7817 at level 2 …); for
 *   2016–2019 it gives level 2 only, so level 1 is taken equal to it.
 * - "Mục tiêu giai đoạn" (97, 96, 93 %), "Dự kiến giai đoạn 2021-2025" (99, 98, 97 %) and
 *   "2026-2030" (99,5, 99, 98 %): the district's targets for the three phases.
 * - "21/21 xã, thị trấn chuẩn phổ cập giáo dục, xoá mù chữ mức độ 2", "đạt chuẩn PCTH mức độ 3":
 *   every commune's standards in its records.
 *
 * The seed reports the phase 2012–2020 with years from 2016; the demo's report is the phase
 * 2016–2020, whose years the appendix lists. The official list of old communes (2024) has the 14
 * of Hòa An's 15 communes of 2020 that kept their code; Xã Bế Triều, merged since, is added as a
 * historical commune without a code.
 */
import type { Kysely } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import type { AuditContext } from "../audit/audit-writer.ts";
import { saveCommuneYear } from "../literacy/service.ts";
import { setTargets } from "../reports/service.ts";
import { demoDistrict } from "./historical-units.ts";

export const HOA_AN = { provinceCode: "04", code: "042", name: "Huyện Hòa An" } as const;
/** The phase of the demo's report, as a period code. */
export const HOA_AN_PERIOD = "GD2016-2020";
export const HOA_AN_TEMPLATE = "phase-review";

/** Hòa An's communes in the official list of old communes (splits.json), by code. */
export const HOA_AN_COMMUNE_CODES = [
  "01654", // Thị trấn Nước Hai
  "01657", // Xã Dân Chủ
  "01660", // Xã Nam Tuấn
  "01666", // Xã Đại Tiến
  "01669", // Xã Đức Long
  "01675", // Xã Trương Lương
  "01687", // Xã Hồng Việt
  "01696", // Xã Hoàng Tung
  "01699", // Xã Nguyễn Huệ
  "01702", // Xã Quang Trung
  "01708", // Xã Bạch Đằng
  "01711", // Xã Bình Dương
  "01714", // Xã Lê Chung
  "01723", // Xã Hồng Nam
] as const;
export const BE_TRIEU = "Xã Bế Triều";

type Band = "15-25" | "26-35" | "36-60";
interface BandYear {
  population: number;
  level1: number;
  level2: number;
}

/**
 * The district's literacy by year and band (the appendix's count is level 2). Populations
 * 2016–2019 are the ones that give the seed's rates exactly (see `literacyRate` in the test).
 */
export const HOA_AN_LITERACY: Record<number, Record<Band, BandYear>> = {
  2016: {
    "15-25": { population: 8225, level1: 8182, level2: 8182 },
    "26-35": { population: 8329, level1: 8287, level2: 8287 },
    "36-60": { population: 14989, level1: 14704, level2: 14704 },
  },
  2017: {
    "15-25": { population: 9703, level1: 9673, level2: 9673 },
    "26-35": { population: 11222, level1: 11036, level2: 11036 },
    "36-60": { population: 8154, level1: 7809, level2: 7809 },
  },
  2018: {
    "15-25": { population: 9036, level1: 8948, level2: 8948 },
    "26-35": { population: 11700, level1: 11587, level2: 11587 },
    "36-60": { population: 7907, level1: 7723, level2: 7723 },
  },
  2019: {
    "15-25": { population: 8510, level1: 8415, level2: 8415 },
    "26-35": { population: 12130, level1: 11872, level2: 11872 },
    "36-60": { population: 19257, level1: 18113, level2: 18113 },
  },
  2020: {
    "15-25": { population: 7916, level1: 7844, level2: 7817 },
    "26-35": { population: 12210, level1: 12081, level2: 11959 },
    "36-60": { population: 19438, level1: 19202, level2: 18315 },
  },
};

/** The appendix's targets: the phase's own, and the two phases after it (rates of level 2, %). */
export const HOA_AN_TARGETS: Record<string, Record<string, number>> = {
  "GD2016-2020": { l2_15_25_pct: 97, l2_26_35_pct: 96, l2_36_60_pct: 93, newly_literate_continuing: 0 },
  "GD2021-2025": { l2_15_25_pct: 99, l2_26_35_pct: 98, l2_36_60_pct: 97, newly_literate_continuing: 0 },
  "GD2026-2030": { l2_15_25_pct: 99.5, l2_26_35_pct: 99, l2_36_60_pct: 98, newly_literate_continuing: 0 },
};

/** `total` split in proportion to `weights`: whole numbers that add up to `total` exactly. */
export function splitByWeight(total: number, weights: readonly number[]): number[] {
  const whole = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.floor((total * w) / whole));
  let left = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % out.length, left--) out[i] = (out[i] ?? 0) + 1;
  return out;
}

/**
 * `total` split over communes in proportion to `parts`, each at most its part (level 1 within
 * the population, level 2 within level 1): whole numbers that add up to `total` exactly.
 */
export function splitWithin(total: number, parts: readonly number[]): number[] {
  const whole = parts.reduce((a, b) => a + b, 0);
  if (total > whole) throw new RangeError(`${total} is more than the parts hold (${whole})`);
  const out = parts.map((p) => Math.floor((total * p) / whole));
  let left = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % parts.length) {
    if ((out[i] ?? 0) < (parts[i] ?? 0)) {
      out[i] = (out[i] ?? 0) + 1;
      left--;
    }
  }
  return out;
}

/** The communes' shares of the district's people: sizes vary about threefold, as they do. */
const WEIGHTS = [30, 12, 18, 10, 14, 9, 16, 20, 11, 13, 17, 8, 15, 12, 10];

/**
 * Load seed 003's phase. Returns the district's id, and whether anything was loaded (a district
 * whose targets for the phase exist already is left as it is).
 */
export async function loadHoaAnPhase2016To2020(
  db: Kysely<DB>,
  principal: Principal,
  ctx: AuditContext,
): Promise<{ districtId: number; loaded: boolean }> {
  const { districtId, communeIds } = await demoDistrict(db, principal, ctx, {
    provinceCode: HOA_AN.provinceCode,
    provinceName: "Cao Bằng",
    code: HOA_AN.code,
    name: HOA_AN.name,
    communeCodes: HOA_AN_COMMUNE_CODES,
    missing: [BE_TRIEU],
  });
  const existing = await db
    .selectFrom("report_targets")
    .select("indicator")
    .where("org_unit_id", "=", districtId)
    .where("template_code", "=", HOA_AN_TEMPLATE)
    .executeTakeFirst();
  if (existing) return { districtId, loaded: false };

  for (const [year, bands] of Object.entries(HOA_AN_LITERACY)) {
    // Each band's people spread over the communes, then level 1 within them, level 2 within that.
    const split = Object.fromEntries(
      (Object.entries(bands) as [Band, BandYear][]).map(([band, f]) => {
        const population = splitByWeight(f.population, WEIGHTS);
        const level1 = splitWithin(f.level1, population);
        return [band, { population, level1, level2: splitWithin(f.level2, level1) }];
      }),
    ) as Record<Band, Record<keyof BandYear, number[]>>;
    for (const [i, communeId] of communeIds.entries()) {
      const band = (b: Band) => ({
        population: split[b].population[i] ?? 0,
        level1: split[b].level1[i] ?? 0,
        level2: split[b].level2[i] ?? 0,
      });
      await saveCommuneYear(
        db,
        principal,
        communeId,
        Number(year),
        {
          bands: { "15-25": band("15-25"), "26-35": band("26-35"), "36-60": band("36-60") },
          newlyLiterateContinuing: 0,
          standards: { xmc: 2, pcmn5: 1, pcth: 3, pcthcs: 1 },
        },
        ctx,
      );
    }
  }
  for (const [period, targets] of Object.entries(HOA_AN_TARGETS)) {
    await setTargets(db, principal, { template: HOA_AN_TEMPLATE, unitId: districtId, period }, targets, ctx);
  }
  return { districtId, loaded: true };
}
