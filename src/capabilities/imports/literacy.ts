/**
 * Importing literacy and universal-education figures (số liệu xóa mù chữ, phổ cập giáo dục) of the
 * communes of a province (or of a historical district, or of one commune) from Excel: one row per
 * commune and year, with the three disjoint age bands' population and literate at levels 1 and 2,
 * the newly literate who go on learning, and the level of each standard met (STANDARDS, as data).
 *
 * A row names its commune by the official code ("Mã xã") or its name; the commune must lie under
 * the unit imported into and have existed during the row's year (a new commune from 2025, an old
 * one until 2025). Imported into a commune, the columns may be left out (the commune itself).
 *
 * Natural key: (commune, year). A row whose commune already has that year is a correction when a
 * figure differs, saved through the service's own path (`saveCommuneYearIn`: the counters move by
 * after − before in `literacy_stats`, audited `literacy.year.update`), and unchanged otherwise; a
 * new year is saved the same way (`literacy.year.create`). A blank optional cell (survey date,
 * newly literate, a standard) keeps what the year has; a standard left blank in a new year is "not
 * met" (0). Every row goes through the service's Zod schema (`literacyProblems` inside it) and the
 * domain's year and survey-date rules; messages land on the row's columns.
 */
import { sql } from "kysely";
import type { z } from "zod";
import type { Principal } from "../../authz/policy.ts";
import type { OrgUnitRow } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import type { ColumnSpec, SheetSpec } from "../../domain/import/columns.ts";
import {
  AGE_BANDS,
  type AgeBand,
  type LiteracyFigures,
  STANDARDS,
  surveyDateProblem,
  yearProblem,
} from "../../domain/literacy/literacy.ts";
import { isValidOn } from "../../domain/org-units.ts";
import { foldForSearch, vietnameseSortKey } from "../../domain/text.ts";
import { authorize } from "../../server/request-context.ts";
import { LiteracyBody } from "../literacy/schemas.ts";
import { communeYearProblem, figuresOf, saveCommuneYearIn } from "../literacy/service.ts";
import type { ImportKind, ImportRow } from "./kind.ts";

/** Header variants officers write: "15–25" or "15-25", with or without "tuổi" and the comma. */
function bandHeaders(prefixes: readonly string[], band: AgeBand): string[] {
  const out: string[] = [];
  for (const dash of ["–", "-"]) {
    const range = band.replace("-", dash);
    for (const p of prefixes) {
      for (const sep of [", ", " "]) {
        out.push(`${p}${sep}${range} tuổi`, `${p}${sep}${range}`, `${p}${sep}độ tuổi ${range}`);
      }
    }
  }
  return [...new Set(out)];
}

const BAND_WHAT = {
  population: { header: "Dân số", prefixes: ["Dân số", "Dân số trong độ tuổi", "Số dân", "Tổng số dân"] },
  level1: {
    header: "Biết chữ mức độ 1",
    prefixes: ["Biết chữ mức độ 1", "Biết chữ MĐ1", "MĐ1", "Mức độ 1", "Số người biết chữ mức độ 1"],
  },
  level2: {
    header: "Biết chữ mức độ 2",
    prefixes: ["Biết chữ mức độ 2", "Biết chữ MĐ2", "MĐ2", "Mức độ 2", "Số người biết chữ mức độ 2"],
  },
} as const;

const EXAMPLE: Record<AgeBand, Record<keyof typeof BAND_WHAT, number>> = {
  "15-25": { population: 7916, level1: 7844, level2: 7817 },
  "26-35": { population: 12210, level1: 12081, level2: 11959 },
  "36-60": { population: 19438, level1: 19202, level2: 18315 },
};

const bandColumns: ColumnSpec[] = AGE_BANDS.flatMap((band) =>
  (["population", "level1", "level2"] as const).map((what): ColumnSpec => {
    const [first, ...aliases] = bandHeaders(BAND_WHAT[what].prefixes, band);
    return {
      key: `bands.${band}.${what}`,
      header: first as string,
      type: "integer",
      min: 0,
      max: 10_000_000,
      required: true,
      help:
        what === "population"
          ? `Số dân trong độ tuổi ${band.replace("-", "–")}.`
          : `Số người ${band.replace("-", "–")} tuổi biết chữ mức độ ${what === "level1" ? 1 : 2}${what === "level2" ? " (không lớn hơn mức độ 1)" : " (không lớn hơn số dân)"}.`,
      example: EXAMPLE[band][what],
      aliases,
    };
  }),
);

const STANDARD_ALIASES: Record<(typeof STANDARDS)[number]["code"], string[]> = {
  xmc: ["XMC", "Chuẩn XMC", "Mức độ XMC", "Đạt chuẩn XMC"],
  pcmn5: ["PCGD MN 5 tuổi", "PCGD mầm non 5 tuổi", "Phổ cập mầm non 5 tuổi", "PCMN 5 tuổi", "PCGDMN5T"],
  pcth: ["PCTH", "PCGD tiểu học", "Phổ cập tiểu học", "PCGDTH"],
  pcthcs: ["PCTHCS", "PCGD THCS", "Phổ cập THCS", "Phổ cập trung học cơ sở", "PCGDTHCS"],
};

const standardColumns: ColumnSpec[] = STANDARDS.map((s) => {
  const levels = Array.from({ length: s.maxLevel }, (_, i) => i + 1);
  const choices =
    s.maxLevel === 1
      ? [
          { value: "0", label: "Chưa đạt", aliases: ["0", "không", "chưa", "chưa đạt chuẩn"] },
          { value: "1", label: "Đạt chuẩn", aliases: ["1", "đạt", "x", "có", "mức độ 1", "đạt mức độ 1"] },
        ]
      : [
          { value: "0", label: "Chưa đạt", aliases: ["0", "không", "chưa", "chưa đạt chuẩn"] },
          ...levels.map((n) => ({
            value: String(n),
            label: `Mức độ ${n}`,
            aliases: [String(n), `MĐ${n}`, `MĐ ${n}`, `mức ${n}`, `đạt mức độ ${n}`, `đạt chuẩn mức độ ${n}`],
          })),
        ];
  return {
    key: `standards.${s.code}`,
    header: s.label,
    type: "choice",
    choices,
    required: false,
    help:
      s.maxLevel === 1
        ? "Đạt chuẩn hoặc Chưa đạt. Để trống: giữ như đã nhập (năm mới: chưa đạt)."
        : `Mức độ đã được công nhận, từ 1 đến ${s.maxLevel}, hoặc Chưa đạt. Để trống: giữ như đã nhập (năm mới: chưa đạt).`,
    example: s.maxLevel === 1 ? "Đạt chuẩn" : `Mức độ ${s.maxLevel === 2 ? 2 : 3}`,
    aliases: STANDARD_ALIASES[s.code],
  } satisfies ColumnSpec;
});

export const LITERACY_SHEET: SheetSpec = {
  name: "Xóa mù chữ",
  columns: [
    {
      key: "communeCode",
      header: "Mã xã",
      type: "text",
      max: 20,
      required: false,
      help: "Mã đơn vị hành chính của xã (5 chữ số, theo danh mục của Tổng cục Thống kê). Có mã thì không cần tên xã.",
      example: "05587",
      aliases: ["Mã đơn vị", "Mã ĐVHC", "Mã xã/phường"],
    },
    {
      key: "communeName",
      header: "Tên xã",
      type: "lookup",
      max: 120,
      required: false,
      help: "Tên xã, phường, đặc khu (chọn trong danh sách) nếu không ghi mã. Khi nhập cho một xã, có thể bỏ trống.",
      example: "Xã Bình Yên",
      aliases: ["Xã", "Xã/Phường", "Xã, phường", "Xã, phường, thị trấn", "Đơn vị", "Tên đơn vị"],
    },
    {
      key: "year",
      header: "Năm",
      type: "integer",
      min: 2000,
      max: 2100,
      required: true,
      help: "Năm của số liệu (xã phải tồn tại trong năm đó; không nhập năm chưa đến).",
      example: 2025,
      aliases: ["Năm báo cáo", "Năm số liệu"],
    },
    {
      key: "surveyDate",
      header: "Thời điểm điều tra",
      type: "date",
      required: false,
      help: "Không bắt buộc; phải thuộc năm của số liệu.",
      example: "01/12/2025",
      aliases: ["Ngày điều tra"],
    },
    ...bandColumns,
    {
      key: "newlyLiterateContinuing",
      header: "Số người mới biết chữ tiếp tục học",
      type: "integer",
      min: 0,
      max: 10_000_000,
      required: false,
      help: "Số người mới biết chữ tiếp tục tham gia giáo dục tiếp tục sau khi biết chữ (không bắt buộc).",
      example: 0,
      aliases: [
        "Số người mới biết chữ tiếp tục tham gia giáo dục tiếp tục sau khi biết chữ",
        "Mới biết chữ tiếp tục học",
        "Số người mới biết chữ",
      ],
    },
    ...standardColumns,
  ],
};

type LiteracyInput = z.infer<typeof LiteracyBody>;

interface Commune {
  id: number;
  name: string;
  code: string | null;
  path: string;
  valid_from: string | null;
  valid_to: string | null;
}

interface LiteracyContext {
  principal: Principal;
  unit: OrgUnitRow;
  today: string;
  communes: Commune[];
  byCode: Map<string, Commune[]>;
  byName: Map<string, Commune[]>;
  /** In-file (commune, year) → the row that had it first. */
  seen: Map<string, number>;
}

interface LiteracyPlan {
  communeId: number;
  year: number;
  input: LiteracyInput;
}

const COMMUNE_PREFIX = /^(xa|phuong|thi tran|dac khu)\s+/u;

function nameKeys(name: string): string[] {
  const folded = foldForSearch(name);
  const bare = folded.replace(COMMUNE_PREFIX, "");
  return bare === folded ? [folded] : [folded, bare];
}

/** "5587" (a code typed as a number, its leading zero lost) → "05587". */
function communeCode(text: string): string {
  const t = text.trim();
  return /^\d{1,4}$/u.test(t) ? t.padStart(5, "0") : t;
}

const existedIn = (c: Commune, year: number) => communeYearProblem(c, year) === null;

const sorted = (list: Commune[]) =>
  [...list].sort((a, b) => vietnameseSortKey(a.name).localeCompare(vietnameseSortKey(b.name)));

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  map.set(key, [...(map.get(key) ?? []), value]);
}

export const literacyImport: ImportKind<LiteracyContext> = {
  code: "literacy",
  title: "Số liệu xóa mù chữ",
  description:
    "Số liệu xóa mù chữ, phổ cập giáo dục của các xã (mỗi dòng một xã, một năm): dân số và số người biết chữ mức độ 1, 2 của ba nhóm tuổi 15–25, 26–35, 36–60, số người mới biết chữ tiếp tục học và mức độ các chuẩn đã được công nhận. Nhập vào tỉnh (ghi mã hoặc tên xã) hoặc vào một xã. Nhập lại cùng một tệp không tạo số liệu trùng: mỗi xã mỗi năm một dòng; dòng có số liệu khác là sửa số liệu năm đó và số liệu tổng hợp được tính lại.",
  action: "literacy.write",
  sheets: [LITERACY_SHEET],

  unitProblem(unit) {
    if (!["province", "district", "cluster", "commune"].includes(unit.kind))
      return "Chỉ nhập số liệu xóa mù chữ vào một tỉnh/thành phố (cho các xã của tỉnh) hoặc một xã/phường.";
    return null;
  },

  async prepare(tx, principal, unit) {
    authorize(principal, "literacy.write", unit.path);
    const rows = await tx
      .selectFrom("org_units")
      .select(["id", "name", "code", "path", "valid_from", "valid_to"])
      .where("kind", "=", "commune")
      .where((eb) => eb.or([eb("id", "=", unit.id), eb("path", "like", `${unit.path}%`)]))
      .execute();
    const communes = rows.map((r) => ({ ...r, id: Number(r.id) }));
    const byCode = new Map<string, Commune[]>();
    const byName = new Map<string, Commune[]>();
    for (const c of communes) {
      if (c.code) pushTo(byCode, c.code, c);
      for (const k of nameKeys(c.name)) pushTo(byName, k, c);
    }
    return { principal, unit, today: todayInVietnam(), communes, byCode, byName, seen: new Map() };
  },

  choices(ctx) {
    const current = ctx.communes.filter((c) => isValidOn(c, ctx.today));
    return { communeName: sorted(current.length > 0 ? current : ctx.communes).map((c) => c.name) };
  },

  async check(tx, ctx, _sheet, rows) {
    // Codes not under the unit: somewhere else, or nowhere.
    const unknownCodes = [
      ...new Set(
        rows.flatMap((r) =>
          typeof r.values.communeCode === "string" && !ctx.byCode.has(communeCode(r.values.communeCode))
            ? [communeCode(r.values.communeCode)]
            : [],
        ),
      ),
    ];
    const elsewhere = new Set(
      unknownCodes.length === 0
        ? []
        : (
            await tx
              .selectFrom("org_units")
              .select("code")
              .where("kind", "=", "commune")
              .where("code", "in", unknownCodes)
              .execute()
          ).map((r) => r.code),
    );

    const resolved = new Map<ImportRow, Commune>();
    for (const row of rows) {
      const year = Number(row.values.year);
      const commune = resolveCommune(ctx, row, year, elsewhere);
      if (!commune) continue;
      const yearMessage = yearProblem(year, ctx.today) ?? communeYearProblem(commune, year);
      if (yearMessage) {
        row.problems.push({ column: "year", message: yearMessage });
        continue;
      }
      const key = `${commune.id}|${year}`;
      const first = ctx.seen.get(key);
      if (first !== undefined) {
        row.problems.push({
          column:
            typeof row.values.communeCode === "string"
              ? "communeCode"
              : typeof row.values.communeName === "string"
                ? "communeName"
                : "year",
          message: `Trùng với dòng ${first} của tệp (cùng xã, cùng năm).`,
        });
        continue;
      }
      ctx.seen.set(key, row.number);
      resolved.set(row, commune);
    }

    const pairs = [...resolved].map(([row, c]) => ({ id: c.id, year: Number(row.values.year) }));
    const stored =
      pairs.length === 0
        ? []
        : (
            await sql<Parameters<typeof figuresOf>[0]>`
              select l.* from literacy_years l
              join unnest(${pairs.map((p) => p.id)}::bigint[], ${pairs.map((p) => p.year)}::int[]) as k(id, year)
                on l.org_unit_id = k.id and l.year = k.year`.execute(tx)
          ).rows;
    const existing = new Map(stored.map((r) => [`${Number(r.org_unit_id)}|${r.year}`, r]));

    for (const [row, commune] of resolved) {
      const v = row.values;
      const year = Number(v.year);
      const before = existing.get(`${commune.id}|${year}`);
      const old = before ? figuresOf(before) : null;
      const surveyDate = (v.surveyDate as string | null) ?? before?.survey_date ?? null;
      const raw = {
        surveyDate,
        bands: Object.fromEntries(
          AGE_BANDS.map((b) => [
            b,
            {
              population: v[`bands.${b}.population`],
              level1: v[`bands.${b}.level1`],
              level2: v[`bands.${b}.level2`],
            },
          ]),
        ),
        newlyLiterateContinuing:
          (v.newlyLiterateContinuing as number | null) ?? old?.newlyLiterateContinuing ?? null,
        standards: Object.fromEntries(
          STANDARDS.map((s) => {
            const cell = v[`standards.${s.code}`];
            return [s.code, typeof cell === "string" ? Number(cell) : (old?.standards[s.code] ?? 0)];
          }),
        ),
      };
      const parsed = LiteracyBody.safeParse(raw);
      const surveyMessage = surveyDateProblem(year, surveyDate, ctx.today);
      if (surveyMessage) row.problems.push({ column: "surveyDate", message: surveyMessage });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const key = issue.path.join(".");
          const column = LITERACY_SHEET.columns.some((c) => c.key === key) ? key : "";
          if (!row.problems.some((p) => p.column === column && p.message === issue.message))
            row.problems.push({ column, message: issue.message });
        }
      }
      if (!parsed.success || surveyMessage) continue;
      const input = parsed.data;
      row.plan = { communeId: commune.id, year, input } satisfies LiteracyPlan;
      row.outcome = !before
        ? "new"
        : sameFigures(old as LiteracyFigures, before.survey_date, input)
          ? "unchanged"
          : "update";
    }
  },

  async apply(tx, ctx, _sheet, rows, audit) {
    for (const row of rows) {
      const plan = row.plan as LiteracyPlan;
      await saveCommuneYearIn(tx, ctx.principal, plan.communeId, plan.year, plan.input, audit);
    }
  },
};

function sameFigures(old: LiteracyFigures, oldSurveyDate: string | null, input: LiteracyInput): boolean {
  if (oldSurveyDate !== (input.surveyDate ?? null)) return false;
  if (old.newlyLiterateContinuing !== (input.newlyLiterateContinuing ?? null)) return false;
  for (const b of AGE_BANDS) {
    for (const k of ["population", "level1", "level2"] as const) {
      if (old.bands[b][k] !== input.bands[b][k]) return false;
    }
  }
  return STANDARDS.every((s) => old.standards[s.code] === input.standards[s.code]);
}

/** The commune a row names (by code, else by name; none named: the commune imported into). */
function resolveCommune(
  ctx: LiteracyContext,
  row: ImportRow,
  year: number,
  elsewhere: Set<string | null>,
): Commune | null {
  const codeText = typeof row.values.communeCode === "string" ? communeCode(row.values.communeCode) : null;
  const name = typeof row.values.communeName === "string" ? row.values.communeName : null;
  const where = ctx.unit.name;
  let candidates: Commune[];
  let column: "communeCode" | "communeName";
  if (codeText !== null) {
    column = "communeCode";
    candidates = ctx.byCode.get(codeText) ?? [];
    if (candidates.length === 0) {
      row.problems.push({
        column,
        message: elsewhere.has(codeText)
          ? `Xã mã “${codeText}” không thuộc ${where}.`
          : `Không có xã, phường nào mã “${codeText}”.`,
      });
      return null;
    }
  } else if (name !== null) {
    column = "communeName";
    const found = new Map<number, Commune>();
    for (const k of nameKeys(name)) for (const c of ctx.byName.get(k) ?? []) found.set(c.id, c);
    candidates = [...found.values()];
    if (candidates.length === 0) {
      row.problems.push({ column, message: `Không có xã, phường “${name}” trong ${where}.` });
      return null;
    }
  } else if (ctx.unit.kind === "commune") {
    return ctx.communes.find((c) => c.id === ctx.unit.id) ?? null;
  } else {
    row.problems.push({ column: "communeName", message: "Ghi mã xã hoặc tên xã của dòng này." });
    return null;
  }
  // A code or name may have served an old commune and a new one: the one that existed that year.
  const thatYear = candidates.filter((c) => existedIn(c, year));
  const pool = thatYear.length > 0 ? thatYear : candidates;
  if (pool.length > 1) {
    row.problems.push({
      column,
      message: `Có ${pool.length} xã, phường trùng tên “${name}” trong ${where}: hãy ghi mã xã.`,
    });
    return null;
  }
  const commune = pool[0] as Commune;
  if (codeText !== null && name !== null && !nameKeys(name).some((k) => nameKeys(commune.name).includes(k))) {
    row.problems.push({
      column: "communeName",
      message: `Mã xã “${codeText}” là ${commune.name}, không phải “${name}”.`,
    });
    return null;
  }
  return commune;
}
