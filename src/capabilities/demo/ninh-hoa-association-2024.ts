/**
 * Seed 000's records: Hội Khuyến học thị xã Ninh Hòa (Khánh Hòa) and its 27 communes and wards
 * in the reporting year 1/11/2023–31/10/2024. Entered through the services, as the
 * administrator, so the counters and the audit trail are the real ones. Loaded by `xhht demo`
 * and by the test that checks the Association's annual report against the seed.
 *
 * What the seed says, and where each figure comes from here:
 * - "kiểm tra tại 3 cụm điểm Ninh Đa, Ninh Xuân và Ninh Hưng, gồm 15 đơn vị: 06 đơn vị Hội Khuyến
 *   học xã, phường và 09 HKH trường học các cấp (1 THPT, 3 THCS, 2 Tiểu học và 3 Mầm non)":
 *   one inspection plan (49/KH-HKH, 25/10/2024) with those 15 targets (the schools' names are
 *   the demo's own: the seed does not name them);
 * - "Tổng số quỹ năm 2023 chuyển qua: 450.000.000 đồng": the fund's carried-over balance;
 *   "Tổng số tiền huy động được trong năm 2024: 2.364.000.000 đồng": the year's receipts (their
 *   split by donor is the demo's); 670 pupils' scholarships, 1.300.000.000 đồng, and 90 sponsored
 *   pupils, 370.000.000 đồng: the fund's disbursements;
 * - the 27 learning centres' "134 lớp, 536 người; 08 chuyên đề, 8046 lượt người": activities of
 *   the 27 centres (their spread over centres and categories is the demo's);
 * - Ngày Khuyến học 02/10: "hơn 180 người … trao 125 xuất học bổng … 167 triệu đồng"; "27/27 Hội
 *   Khuyến học xã phường … hưởng ứng Tuần lễ Học tập suốt đời": one event per commune;
 * - "ký kết với 8 đơn vị, tăng 3 đơn vị so năm 2023": 8 agreements from July 2024, 5 the year before.
 *
 * The official list of old communes has 26 of Ninh Hòa's 27: Xã Ninh Vân is missing from it (no
 * code, no successor). It is added here as a historical commune without a code, so the district
 * has the 27 units the seed counts.
 */
import type { Kysely } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { createAgreement } from "../agreements/service.ts";
import type { AuditContext } from "../audit/audit-writer.ts";
import { createActivity } from "../centres/service.ts";
import { createEvent } from "../events/service.ts";
import { createFund, postDisbursement, postReceipt } from "../fund/service.ts";
import { createPlan } from "../inspections/service.ts";
import { demoDistrict, historicalChild } from "./historical-units.ts";

export const NINH_HOA = { provinceCode: "56", code: "568", name: "Thị xã Ninh Hòa" } as const;
/** The reporting year of seed 000, as a period code (ends in 2024, starts in November). */
export const NINH_HOA_PERIOD = "RY2024-11";

/** Ninh Hòa's old communes and wards in the official list (splits.json), by code. */
export const NINH_HOA_COMMUNE_CODES = [
  "22528",
  "22531",
  "22534",
  "22537",
  "22540",
  "22543",
  "22546",
  "22549",
  "22552",
  "22555",
  "22558",
  "22561",
  "22564",
  "22567",
  "22570",
  "22573",
  "22576",
  "22582",
  "22585",
  "22588",
  "22591",
  "22594",
  "22597",
  "22600",
  "22603",
  "22606",
] as const;
export const NINH_VAN = "Xã Ninh Vân";

/** Seed 000's figures, as the loader enters them and the report must say them. */
export const NINH_HOA_2024 = {
  openingBalance: 450_000_000,
  raised: [
    {
      date: "2023-12-15",
      amount: 864_000_000,
      donorType: "business",
      donorName: "Các doanh nghiệp trên địa bàn",
    },
    { date: "2024-05-20", amount: 1_000_000_000, donorType: "individual", donorName: "Các nhà hảo tâm" },
    {
      date: "2024-09-12",
      amount: 500_000_000,
      donorType: "organisation",
      donorName: "Quỹ học bổng Ninh Hòa",
    },
  ],
  raisedTotal: 2_364_000_000,
  scholarships: { pupils: 670, amount: 1_300_000_000 },
  sponsorships: { pupils: 90, amount: 370_000_000 },
  centres: 27,
  classes: 134,
  classAttendance: 536,
  talks: 8,
  talkAttendance: 8046,
  studyPromotionDay: { participants: 180, scholarships: 125, amount: 167_000_000 },
  agreements: { thisYear: 8, lastYear: 5 },
  inspections: { communes: 6, schools: { thpt: 1, thcs: 3, tieu_hoc: 2, mam_non: 3 } },
} as const;

/** Split `total` over `parts` as evenly as whole numbers allow, the first ones one larger. */
function share(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

const CLUSTERS = [
  { name: "Cụm Ninh Đa", communes: ["22570", "22528"], school: "22570" },
  { name: "Cụm Ninh Xuân", communes: ["22555", "22588"], school: "22555" },
  { name: "Cụm Ninh Hưng", communes: ["22597", "22585"], school: "22597" },
] as const;

const SCHOOLS: readonly {
  level: "thpt" | "thcs" | "tieu_hoc" | "mam_non";
  label: string;
  cluster: number;
}[] = [
  { level: "thpt", label: "Trường THPT", cluster: 0 },
  { level: "thcs", label: "Trường THCS", cluster: 0 },
  { level: "thcs", label: "Trường THCS", cluster: 1 },
  { level: "thcs", label: "Trường THCS", cluster: 2 },
  { level: "tieu_hoc", label: "Trường Tiểu học", cluster: 1 },
  { level: "tieu_hoc", label: "Trường Tiểu học", cluster: 2 },
  { level: "mam_non", label: "Trường Mầm non", cluster: 0 },
  { level: "mam_non", label: "Trường Mầm non", cluster: 1 },
  { level: "mam_non", label: "Trường Mầm non", cluster: 2 },
];

const CLASS_CATEGORIES = ["vocational", "economy"] as const;
const CLASS_TITLES = {
  vocational: "Lớp hướng nghiệp trồng hoa, trồng nấm, cắm hoa, nấu ăn",
  economy: "Lớp chăm sóc cây trồng, chăn nuôi",
};
const TALK_CATEGORIES = ["legal", "life_skills"] as const;
const TALK_TITLES = {
  legal: "Tuyên truyền, giáo dục pháp luật, kỹ năng hòa giải",
  life_skills: "Kỹ năng ứng xử trong cuộc sống",
};

/** The i-th date of the reporting year, spread from November 2023 to October 2024. */
function dateInYear(i: number): string {
  const month = (i % 12) + 11; // 11, 12, 13 (= January)…
  const year = month > 12 ? 2024 : 2023;
  return `${year}-${String(month > 12 ? month - 12 : month).padStart(2, "0")}-${String(5 + (i % 20)).padStart(2, "0")}`;
}

/**
 * Load seed 000's year. Returns the district's id, and whether anything was loaded (a district
 * whose fund already exists is left as it is).
 */
export async function loadNinhHoaAssociation2024(
  db: Kysely<DB>,
  principal: Principal,
  ctx: AuditContext,
): Promise<{ districtId: number; loaded: boolean }> {
  const { districtId } = await demoDistrict(db, principal, ctx, {
    provinceCode: NINH_HOA.provinceCode,
    provinceName: "Khánh Hòa",
    code: NINH_HOA.code,
    name: NINH_HOA.name,
    communeCodes: NINH_HOA_COMMUNE_CODES,
    missing: [NINH_VAN],
  });
  const existingFund = await db
    .selectFrom("funds")
    .select("id")
    .where("org_unit_id", "=", districtId)
    .executeTakeFirst();
  if (existingFund) return { districtId, loaded: false };

  const communes = await db
    .selectFrom("org_units")
    .select(["id", "path", "level", "code", "name"])
    .where("parent_id", "=", districtId)
    .where("kind", "=", "commune")
    .orderBy("sort_key")
    .execute();
  const byCode = new Map(communes.map((c) => [c.code, c]));
  const y = NINH_HOA_2024;

  // The fund of the district's Association: its year runs from November, like its reports.
  const fundId = await createFund(
    db,
    principal,
    {
      orgUnitId: districtId,
      kind: "general",
      fiscalYearStartMonth: 11,
      startYear: 2024,
      openingBalance: y.openingBalance,
    },
    ctx,
  );
  for (const r of y.raised) {
    await postReceipt(
      db,
      principal,
      fundId,
      { date: r.date, amount: r.amount, donorType: r.donorType, donorName: r.donorName },
      ctx,
    );
  }
  await postDisbursement(
    db,
    principal,
    fundId,
    {
      date: "2024-09-05",
      amount: y.scholarships.amount,
      purpose: "scholarship",
      beneficiaries: y.scholarships.pupils,
      description: "Quỹ học bổng Ninh Hòa tặng học bổng cho học sinh, sinh viên nghèo",
    },
    ctx,
  );
  await postDisbursement(
    db,
    principal,
    fundId,
    {
      date: "2024-09-20",
      amount: y.sponsorships.amount,
      purpose: "sponsorship",
      beneficiaries: y.sponsorships.pupils,
      description: "Đỡ đầu học sinh (từ 1.500.000 đồng đến 10.000.000 đồng mỗi em)",
    },
    ctx,
  );

  // The 27 centres: the classes spread evenly, 4 people each; 8 talks at the first 8 centres.
  for (const [i, commune] of communes.entries()) {
    const centre = await historicalChild(
      db,
      ctx,
      commune,
      "learning_centre",
      `Trung tâm học tập cộng đồng ${commune.name.replace(/^(Xã|Phường) /, (m) => m.toLowerCase())}`,
    );
    const classes = share(y.classes, communes.length, i);
    for (let k = 0; k < classes; k++) {
      const category = CLASS_CATEGORIES[k % 2] ?? "vocational";
      const participants = share(y.classAttendance, y.classes, i * 5 + k);
      const date = dateInYear(i + k);
      await createActivity(
        db,
        principal,
        centre,
        {
          kind: "class",
          title: CLASS_TITLES[category],
          category,
          startDate: date,
          endDate: date,
          sessions: 2,
          participants,
          female: Math.floor(participants / 2),
          minority: null,
          partner: "Hội Nông dân",
          place: `Hội trường ${commune.name}`,
        },
        ctx,
      );
    }
    if (i < y.talks) {
      const category = TALK_CATEGORIES[i % 2] ?? "legal";
      const participants = share(y.talkAttendance, y.talks, i);
      const date = dateInYear(3 * i + 1);
      await createActivity(
        db,
        principal,
        centre,
        {
          kind: "talk",
          title: TALK_TITLES[category],
          category,
          startDate: date,
          endDate: date,
          sessions: 1,
          participants,
          female: Math.floor(participants / 2),
          minority: null,
          partner: "Công an, Tư pháp xã",
          place: `Hội trường ${commune.name}`,
        },
        ctx,
      );
    }
    // Every commune's Association took part in the Lifelong Learning Week (1–7/10/2024).
    await createEvent(
      db,
      principal,
      {
        orgUnitId: Number(commune.id),
        kind: "lifelong_learning_week",
        title: "Hưởng ứng Tuần lễ Học tập suốt đời năm 2024",
        startDate: "2024-10-01",
        endDate: "2024-10-07",
        place: `${commune.name}`,
        participants: 120 + i * 7,
        notes: null,
      },
      ctx,
    );
  }

  await createEvent(
    db,
    principal,
    {
      orgUnitId: districtId,
      kind: "study_promotion_day",
      title: "Kỷ niệm Ngày Khuyến học Việt Nam 02/10",
      startDate: "2024-10-02",
      endDate: "2024-10-02",
      place: "Hội trường UBND thị xã",
      participants: y.studyPromotionDay.participants,
      directScholarships: y.studyPromotionDay.scholarships,
      directScholarshipAmount: y.studyPromotionDay.amount,
      notes: "Học bổng của các nhà tài trợ, trao tiền mặt tại buổi lễ.",
    },
    ctx,
  );

  const partners = [
    "Phòng Giáo dục và Đào tạo thị xã",
    "Hội Cựu giáo chức thị xã",
    "Đoàn Thanh niên thị xã",
    "Hội Liên hiệp Phụ nữ thị xã",
    "Hội Nông dân thị xã",
    "Hội Cựu chiến binh thị xã",
    "Liên đoàn Lao động thị xã",
    "Công ty TNHH Điện lực Vân Phong Ninh Hòa",
  ];
  for (const [i, partnerName] of partners.entries()) {
    const signedOn = `2024-${String(7 + (i % 3)).padStart(2, "0")}-${String(10 + i).padStart(2, "0")}`;
    await createAgreement(
      db,
      principal,
      {
        orgUnitId: districtId,
        partnerName,
        partnerKind: i === 7 ? "enterprise" : i === 0 ? "department" : "mass_organisation",
        documentNumber: null,
        signedOn,
        coversFrom: signedOn,
        coversTo: "2025-12-31",
        content: "Phối hợp thực hiện 2 chương trình học tập suốt đời đến năm 2025.",
      },
      ctx,
    );
    if (i < y.agreements.lastYear) {
      const before = `2023-${String(3 + i).padStart(2, "0")}-15`;
      await createAgreement(
        db,
        principal,
        {
          orgUnitId: districtId,
          partnerName,
          partnerKind: i === 0 ? "department" : "mass_organisation",
          documentNumber: null,
          signedOn: before,
          coversFrom: before,
          coversTo: "2023-12-31",
          content: "Chương trình phối hợp năm 2023.",
        },
        ctx,
      );
    }
  }

  // Inspection plan 49/KH-HKH: 6 commune Associations and 9 school Associations in 3 clusters.
  const targets: {
    orgUnitId: number;
    cluster: string;
    schoolLevel?: "thpt" | "thcs" | "tieu_hoc" | "mam_non";
  }[] = [];
  for (const cluster of CLUSTERS) {
    for (const code of cluster.communes) {
      const c = byCode.get(code);
      if (c) targets.push({ orgUnitId: Number(c.id), cluster: cluster.name });
    }
  }
  for (const [i, school] of SCHOOLS.entries()) {
    const cluster = CLUSTERS[school.cluster] ?? CLUSTERS[0];
    const commune = byCode.get(cluster.school);
    if (!commune) continue;
    const name = `${school.label} ${commune.name.replace(/^(Xã|Phường) /, "")}${i > 0 && SCHOOLS.slice(0, i).some((s) => s.label === school.label && s.cluster === school.cluster) ? " 2" : ""}`;
    const id = await historicalChild(db, ctx, commune, "school", name);
    targets.push({ orgUnitId: id, cluster: cluster.name, schoolLevel: school.level });
  }
  await createPlan(
    db,
    principal,
    {
      orgUnitId: districtId,
      documentNumber: "49/KH-HKH",
      issuedOn: "2024-10-25",
      title: "Kiểm tra đơn vị cơ sở Hội về thực hiện Điều lệ, 2 Chương trình và quỹ khuyến học",
      fromDate: "2024-10-26",
      toDate: "2024-10-30",
      team: [{ fullName: "Ban Thường vụ Hội Khuyến học thị xã", position: null, role: "head" }],
      notes: null,
      targets,
    },
    ctx,
  );
  return { districtId, loaded: true };
}
