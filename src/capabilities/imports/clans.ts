/**
 * Importing a commune's clans (dòng họ) and, if given, the households that belong to them, from
 * the officer's Excel list.
 *
 * Sheet "Dòng họ": one row per clan (name, note). Sheet "Hộ thuộc dòng họ" (optional): one row
 * per household of a clan: the clan's name and the household, by its code ("Mã hộ") or, as the
 * household import finds it, by its village, its head's name and birth year.
 *
 * What a clan row matches (so that importing the same file twice creates nothing new): the active
 * clan of the commune whose name is equal after folding (the registry refuses a second one). A
 * matched row updates what `updateClan` allows: the name's spelling (a name typed without marks
 * never replaces one written with them) and the note (an empty note keeps the note). A clan that
 * was stopped (ngừng theo dõi) is not recreated: the row is left unchanged with a note to reopen it
 * in the app. A name equal once "họ", "dòng họ"… is taken off ("Họ Nguyễn Đình" / "Nguyễn Đình")
 * is a suspected duplicate, created only when the officer says so. A household already in its
 * clan is unchanged; a household whose head is spelt only alike (“Luong Van Tam” for “Lương Văn
 * Tám”) is suspected.
 *
 * Writes go through the registry service's in-transaction core (`createClanIn`, `updateClanIn`,
 * `addClanHouseholdsIn`): the same checks, the clan counter (`subject_counts`, the DHHT model's
 * denominator) and the same audit entries; households join their clan a batch at a time.
 */
import { sql, type Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import type { SheetSpec } from "../../domain/import/columns.ts";
import { isValidOn } from "../../domain/org-units.ts";
import { foldForSearch, lowerCase, normalizeText, vietnameseSortKey } from "../../domain/text.ts";
import { vietnameseErrorMap } from "../../domain/validation-messages.ts";
import { authorize } from "../../server/request-context.ts";
import type { AuditContext } from "../audit/audit-writer.ts";
import { CreateClanBody } from "../registry/schemas.ts";
import { addClanHouseholdsIn, createClanIn, updateClanIn } from "../registry/service.ts";
import type { ImportKind, ImportRow } from "./kind.ts";
import { issueProblems, withoutMarks } from "./units.ts";
import { resolveVillage, type Village, type VillageIndex, villagesOf } from "./villages.ts";

const CLAN_NAME_ALIASES = ["Dòng họ", "Tên họ", "Họ", "Tên dòng tộc", "Dòng tộc"];

export const CLAN_SHEET: SheetSpec = {
  name: "Dòng họ",
  columns: [
    {
      key: "name",
      header: "Tên dòng họ",
      type: "text",
      max: 120,
      required: true,
      help: "Tên dòng họ như muốn hiện trong danh sách, có dấu, ví dụ Họ Bùi Duy.",
      example: "Họ Bùi Duy",
      aliases: CLAN_NAME_ALIASES,
    },
    {
      key: "note",
      header: "Ghi chú",
      type: "text",
      max: 500,
      required: false,
      help: "Ví dụ nơi có nhà thờ họ, trưởng họ. Để trống thì giữ ghi chú đang có.",
      example: "Nhà thờ họ ở Thôn Đông; trưởng họ ông Bùi Duy Tâm",
      aliases: ["Ghi chú (nhà thờ họ, trưởng họ)", "Mô tả"],
    },
  ],
};

export const CLAN_HOUSEHOLD_SHEET: SheetSpec = {
  name: "Hộ thuộc dòng họ",
  columns: [
    {
      key: "clan",
      header: "Tên dòng họ",
      type: "text",
      max: 120,
      required: true,
      help: "Tên dòng họ như ở trang “Dòng họ”, hoặc một dòng họ đã có của xã.",
      example: "Họ Bùi Duy",
      aliases: CLAN_NAME_ALIASES,
    },
    {
      key: "code",
      header: "Mã hộ",
      type: "text",
      max: 40,
      required: false,
      help: "Mã của hộ như trong danh sách hộ của xã. Không có mã thì ghi thôn, họ tên và năm sinh chủ hộ.",
      example: "H001",
      aliases: ["Mã số hộ", "Số hộ"],
    },
    {
      key: "village",
      header: "Thôn/Tổ dân phố",
      type: "lookup",
      max: 120,
      required: false,
      help: "Thôn của hộ (khi không ghi mã hộ).",
      example: "Thôn Đông",
      aliases: ["Thôn", "Tổ dân phố", "Thôn/Xóm", "Thôn/Bản", "Ấp", "Bản"],
    },
    {
      key: "headName",
      header: "Họ tên chủ hộ",
      type: "text",
      max: 120,
      required: false,
      help: "Họ và tên chủ hộ, có dấu (khi không ghi mã hộ).",
      example: "Bùi Duy Tâm",
      aliases: ["Chủ hộ", "Họ và tên chủ hộ", "Tên chủ hộ"],
    },
    {
      key: "headBirthYear",
      header: "Năm sinh chủ hộ",
      type: "integer",
      min: 1900,
      max: 2100,
      required: false,
      help: "Bốn chữ số (khi không ghi mã hộ).",
      example: 1962,
      aliases: ["Năm sinh"],
    },
  ],
};

interface Clan {
  id: number | null;
  name: string;
  note: string | null;
  active: boolean;
  /** The file's row that creates it (not yet written in a dry run). */
  row?: number;
  /** Created only when the officer accepts the suspected rows. */
  suspected?: boolean;
}

interface ClansContext extends VillageIndex {
  principal: Principal;
  /** Folded name → the clan (the commune's, active ones over stopped ones, and the file's). */
  clans: Map<string, Clan>;
  /** Bare folded name (no “họ” in front) → clans, for look-alikes and the households sheet. */
  clansByBare: Map<string, Clan[]>;
  /** In-file keys already seen → the row that had it first. */
  seen: Map<string, number>;
}

interface ClanPlan {
  name: string;
  note: string | null;
  existingId?: number;
  changes?: { name?: string; note?: string };
}

interface MemberPlan {
  clan: Clan;
  householdId: number;
}

const CLAN_PREFIX = /^(dong ho|dong toc|ho toc|ho)\s+/u;

function _keysOf(name: string, prefix: RegExp): string[] {
  const folded = foldForSearch(name);
  const bare = folded.replace(prefix, "");
  return bare === folded ? [folded] : [folded, bare];
}

const bareClan = (name: string) => foldForSearch(name).replace(CLAN_PREFIX, "");
export const clansImport: ImportKind<ClansContext> = {
  code: "clans",
  title: "Dòng họ",
  description:
    "Danh sách dòng họ của xã (mỗi dòng một dòng họ) và, nếu có, các hộ thuộc từng dòng họ ở trang “Hộ thuộc dòng họ” (theo mã hộ, hoặc thôn + họ tên + năm sinh chủ hộ). Nhập lại cùng một tệp không tạo dòng họ trùng: dòng họ được nhận ra theo tên (không phân biệt hoa thường, có dấu hay không); hộ đã thuộc dòng họ thì giữ nguyên.",
  action: "registry.write",
  sheets: [CLAN_SHEET, CLAN_HOUSEHOLD_SHEET],

  unitProblem(unit) {
    if (unit.kind !== "commune") return "Chỉ nhập dòng họ vào một xã/phường/đặc khu.";
    if (!isValidOn(unit, todayInVietnam()))
      return `${unit.name} không còn tồn tại từ ${unit.valid_to}; hãy chọn đơn vị hiện hành.`;
    return null;
  },

  async prepare(tx, principal, unit) {
    authorize(principal, "registry.write", unit.path);
    const villageIndex = await villagesOf(tx, principal, unit);
    const clanRows = await tx
      .selectFrom("clans")
      .select(["id", "name", "note", "search_key", "active"])
      .where("commune_id", "=", unit.id)
      // Active clans win over stopped ones of the same name, the latest stopped over older ones.
      .orderBy("active")
      .orderBy("id")
      .execute();
    const ctx: ClansContext = {
      ...villageIndex,
      principal,
      clans: new Map(),
      clansByBare: new Map(),
      seen: new Map(),
    };
    for (const c of clanRows) {
      const clan = { id: c.id, name: c.name, note: c.note, active: c.active };
      ctx.clans.set(c.search_key, clan);
      if (c.active) addBare(ctx, clan);
    }
    return ctx;
  },

  choices(ctx) {
    return {
      village: ctx.villages
        .map((v) => v.name)
        .sort((a, b) => vietnameseSortKey(a).localeCompare(vietnameseSortKey(b))),
    };
  },

  async check(tx, ctx, sheet, rows) {
    if (sheet === CLAN_HOUSEHOLD_SHEET.name) return checkMembers(tx, ctx, rows);
    for (const row of rows) checkClan(ctx, row);
  },

  async apply(tx, ctx, sheet, rows, audit) {
    if (sheet === CLAN_HOUSEHOLD_SHEET.name) return applyMembers(tx, ctx, rows, audit);
    return applyClans(tx, ctx, rows, audit);
  },
};

function addBare(ctx: ClansContext, clan: Clan) {
  const bare = bareClan(clan.name);
  ctx.clansByBare.set(bare, [...(ctx.clansByBare.get(bare) ?? []), clan]);
}

function checkClan(ctx: ClansContext, row: ImportRow) {
  const v = row.values;
  const parsed = CreateClanBody.safeParse(
    { communeId: ctx.unit.id, name: v.name, ...(typeof v.note === "string" ? { note: v.note } : {}) },
    { error: vietnameseErrorMap },
  );
  if (!parsed.success) {
    row.problems.push(...issueProblems(parsed.error.issues, { name: "name", note: "note" }));
    return;
  }
  const name = normalizeText(parsed.data.name);
  const note = parsed.data.note ? normalizeText(parsed.data.note) : null;
  const key = foldForSearch(name);

  const first = ctx.seen.get(`clan:${key}`);
  if (first !== undefined) {
    row.problems.push({ column: "name", message: `Trùng với dòng ${first} của tệp (cùng tên dòng họ).` });
    return;
  }
  ctx.seen.set(`clan:${key}`, row.number);

  const existing = ctx.clans.get(key);
  if (existing?.active && existing.id !== null) {
    const changes: ClanPlan["changes"] = {};
    if (existing.name !== name && !(withoutMarks(name) && !withoutMarks(existing.name))) changes.name = name;
    if (note !== null && existing.note !== note) changes.note = note;
    row.outcome = Object.keys(changes).length > 0 ? "update" : "unchanged";
    row.plan = { name, note, existingId: existing.id, changes } satisfies ClanPlan;
    return;
  }
  if (existing && !existing.active) {
    row.outcome = "unchanged";
    row.warnings.push({
      column: "name",
      message: `Dòng họ “${existing.name}” đã ngừng theo dõi: không tạo lại. Hãy mở lại trong ứng dụng nếu cần.`,
    });
    return;
  }

  const clan: Clan = { id: null, name, note, active: true, row: row.number };
  row.plan = { name, note } satisfies ClanPlan;
  const twin = ctx.clansByBare.get(bareClan(name))?.[0];
  if (twin) {
    row.outcome = "suspected";
    clan.suspected = true;
    row.warnings.push({
      column: "name",
      message: `Có thể trùng với dòng họ ${twin.row ? `ở dòng ${twin.row} của tệp (${twin.name})` : `đã có: ${twin.name}`}. Chỉ nhập khi chắc đây là dòng họ khác.`,
    });
  } else {
    row.outcome = "new";
  }
  ctx.clans.set(key, clan);
  addBare(ctx, clan);
}

async function applyClans(tx: Transaction<DB>, ctx: ClansContext, rows: ImportRow[], audit: AuditContext) {
  for (const row of rows) {
    const plan = row.plan as ClanPlan;
    if (row.outcome === "update") {
      await updateClanIn(tx, ctx.principal, plan.existingId as number, plan.changes ?? {}, audit);
      continue;
    }
    const id = await createClanIn(
      tx,
      ctx.principal,
      { communeId: ctx.unit.id, name: plan.name, ...(plan.note ? { note: plan.note } : {}) },
      audit,
    );
    const clan = ctx.clans.get(foldForSearch(plan.name));
    if (clan) clan.id = id;
  }
}

/** The clan a households row names: the file's or the commune's, by its name or without "họ". */
function resolveClan(ctx: ClansContext, row: ImportRow): Clan | null {
  const name = String(row.values.clan);
  let clan = ctx.clans.get(foldForSearch(name));
  if (!clan) {
    const alike = (ctx.clansByBare.get(bareClan(name)) ?? []).filter((c) => c.active);
    if (alike.length === 1) clan = alike[0];
  }
  if (!clan) {
    row.problems.push({
      column: "clan",
      message: `Không có dòng họ “${name}” ở trang “${CLAN_SHEET.name}” hay trong ${ctx.unit.name}.`,
    });
    return null;
  }
  if (!clan.active) {
    row.problems.push({
      column: "clan",
      message: `Dòng họ “${clan.name}” đã ngừng theo dõi; hãy mở lại trước.`,
    });
    return null;
  }
  return clan;
}

interface Candidate {
  id: number;
  village_id: number;
  village_name: string;
  code: string | null;
  head_name: string;
  head_key: string;
  head_birth_year: number | null;
  active: boolean;
}

async function candidates(
  tx: Transaction<DB>,
  ctx: ClansContext,
  codes: string[],
  villageIds: number[],
  headKeys: string[],
): Promise<Candidate[]> {
  if (ctx.villages.length === 0 || (codes.length === 0 && villageIds.length === 0)) return [];
  const all = ctx.villages.map((v) => v.id);
  const result = await sql<Candidate>`
    select h.id, h.village_id, v.name as village_name, h.code, h.head_name,
           split_part(h.search_key, ' | ', 1) as head_key, m.birth_year as head_birth_year, h.active
    from households h
    join org_units v on v.id = h.village_id
    left join household_members m on m.household_id = h.id and m.is_head
    where h.village_id = any(${all}::bigint[]) and (
      h.code = any(${codes}::text[])
      or (h.village_id = any(${villageIds}::bigint[]) and split_part(h.search_key, ' | ', 1) = any(${headKeys}::text[]))
    )
    order by h.active desc, h.id`.execute(tx);
  return result.rows.map((r) => ({ ...r, id: Number(r.id), village_id: Number(r.village_id) }));
}

const NEED_HOUSEHOLD = "Ghi mã hộ, hoặc ghi đủ thôn, họ tên và năm sinh chủ hộ.";

async function checkMembers(tx: Transaction<DB>, ctx: ClansContext, rows: ImportRow[]) {
  const resolved = new Map<ImportRow, { clan: Clan; village: Village | null }>();
  for (const row of rows) {
    const clan = resolveClan(ctx, row);
    const v = row.values;
    let village: Village | null = null;
    if (typeof v.code !== "string") {
      for (const column of ["village", "headName", "headBirthYear"] as const) {
        if (v[column] === null) row.problems.push({ column, message: NEED_HOUSEHOLD });
      }
      if (typeof v.village === "string") village = resolveVillage(ctx, row);
    }
    if (clan && row.problems.length === 0) resolved.set(row, { clan, village });
  }
  const entries = [...resolved.entries()];
  const found = await candidates(
    tx,
    ctx,
    [...new Set(entries.flatMap(([r]) => (typeof r.values.code === "string" ? [r.values.code] : [])))],
    [...new Set(entries.flatMap(([, x]) => (x.village ? [x.village.id] : [])))],
    [
      ...new Set(
        entries.flatMap(([r]) =>
          typeof r.values.headName === "string" ? [foldForSearch(r.values.headName)] : [],
        ),
      ),
    ],
  );

  const matched = new Map<ImportRow, { household: Candidate; alike: boolean }>();
  for (const [row, { village }] of entries) {
    const code = row.values.code;
    if (typeof code === "string") {
      const withCode = found.filter((h) => h.code === code);
      const active = withCode.filter((h) => h.active);
      if (withCode.length === 0) {
        row.problems.push({ column: "code", message: `Không có hộ mã “${code}” trong ${ctx.unit.name}.` });
      } else if (active.length > 1) {
        row.problems.push({
          column: "code",
          message: `Có ${active.length} hộ cùng mã “${code}” trong ${ctx.unit.name}: hãy ghi thôn, họ tên và năm sinh chủ hộ thay cho mã.`,
        });
      } else {
        matched.set(row, { household: (active[0] ?? withCode[0]) as Candidate, alike: false });
      }
      continue;
    }
    const v = village as Village;
    const name = String(row.values.headName);
    const year = Number(row.values.headBirthYear);
    const sameFold = found.filter(
      (h) => h.village_id === v.id && h.head_key === foldForSearch(name) && h.head_birth_year === year,
    );
    const exact = sameFold.filter((h) => lowerCase(h.head_name) === lowerCase(name));
    const pool = exact.length > 0 ? exact : sameFold;
    const active = pool.filter((h) => h.active);
    if (pool.length === 0) {
      row.problems.push({
        column: "headName",
        message: `Không có hộ ${name} (chủ hộ sinh ${year}) ở ${v.name}.`,
      });
    } else if (active.length > 1) {
      row.problems.push({
        column: "headName",
        message: `Có ${active.length} hộ ${name} (chủ hộ sinh ${year}) ở ${v.name}: hãy ghi mã hộ.`,
      });
    } else {
      matched.set(row, { household: (active[0] ?? pool[0]) as Candidate, alike: exact.length === 0 });
    }
  }

  // Households already in their clan.
  const clanIds = [...new Set([...matched.keys()].flatMap((r) => resolved.get(r)?.clan.id ?? []))];
  const householdIds = [...new Set([...matched.values()].map((m) => m.household.id))];
  const members =
    clanIds.length === 0 || householdIds.length === 0
      ? []
      : await tx
          .selectFrom("clan_households")
          .select(["clan_id", "household_id"])
          .where("clan_id", "in", clanIds)
          .where("household_id", "in", householdIds)
          .execute();
  const isMember = new Set(members.map((m) => `${m.clan_id}|${m.household_id}`));

  for (const [row, { household, alike }] of matched) {
    const clan = (resolved.get(row) as { clan: Clan }).clan;
    if (!household.active) {
      row.problems.push({
        column: typeof row.values.code === "string" ? "code" : "headName",
        message: `Hộ ${household.head_name} (${household.village_name}) đã chuyển đi; không thêm vào dòng họ.`,
      });
      continue;
    }
    const key = `member:${foldForSearch(clan.name)}|${household.id}`;
    const first = ctx.seen.get(key);
    if (first !== undefined) {
      row.problems.push({
        column: typeof row.values.code === "string" ? "code" : "headName",
        message: `Hộ ${household.head_name} đã có ở dòng ${first} của trang “${CLAN_HOUSEHOLD_SHEET.name}” (cùng dòng họ).`,
      });
      continue;
    }
    ctx.seen.set(key, row.number);
    row.plan = { clan, householdId: household.id } satisfies MemberPlan;
    if (clan.id !== null && isMember.has(`${clan.id}|${household.id}`)) {
      row.outcome = "unchanged";
      continue;
    }
    row.outcome = alike || clan.suspected ? "suspected" : "new";
    if (alike) {
      row.warnings.push({
        column: "headName",
        message: `Không có hộ đúng tên “${row.values.headName}”; có thể là hộ ${household.head_name} (sinh ${household.head_birth_year}), ${household.village_name}. Chỉ nhập khi chắc đúng hộ này.`,
      });
    }
    if (clan.suspected) {
      row.warnings.push({
        column: "clan",
        message: `Dòng họ “${clan.name}” (dòng ${clan.row} trang “${CLAN_SHEET.name}”) đang chờ xem xét: hộ chỉ được thêm khi dòng họ được nhập.`,
      });
    }
  }
}

async function applyMembers(tx: Transaction<DB>, ctx: ClansContext, rows: ImportRow[], audit: AuditContext) {
  const byClan = new Map<number, number[]>();
  for (const row of rows) {
    const plan = row.plan as MemberPlan;
    // A clan of the file left out (a suspected one not accepted): its households wait with it.
    if (plan.clan.id === null) continue;
    byClan.set(plan.clan.id, [...(byClan.get(plan.clan.id) ?? []), plan.householdId]);
  }
  for (const [clanId, householdIds] of byClan) {
    await addClanHouseholdsIn(tx, ctx.principal, clanId, householdIds, audit);
  }
}
