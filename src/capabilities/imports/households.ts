/**
 * Importing households (hộ gia đình) with their members into a commune (or one village) from the
 * officer's Excel list.
 *
 * Sheet "Hộ gia đình": one row per household; its head becomes its first member. Sheet "Thành
 * viên" (optional): one row per other member, linked to its household by the household's code
 * ("Mã hộ"), which the officer's own list usually has.
 *
 * What a row matches (so that importing the same file twice creates nothing new, and a changed
 * row updates):
 * - with a code: the active household of that code in the unit's villages;
 * - otherwise: the active household of the same village whose head has the same name (same
 *   letters and marks, any case) and the same birth year.
 * A household of the same village whose head's name is equal only after folding (“Nguyen Van
 * An” / “Nguyễn Văn An”), or spelled alike with another birth year, is a suspected duplicate: the
 * row is listed for review and imported only when the officer says so. Two rows of the file with
 * the same key are an error on the second.
 *
 * Writes are set-based (a thousand rows a statement), keep `subject_counts` per village in the same
 * transaction, and write one audit entry per household created or changed.
 */
import { sql, type Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import type { ColumnSpec, SheetSpec } from "../../domain/import/columns.ts";
import { isValidOn } from "../../domain/org-units.ts";
import { foldForSearch, lowerCase, vietnameseSortKey } from "../../domain/text.ts";
import { type AuditContext, type AuditEntry, auditInsert, recordAudits } from "../audit/audit-writer.ts";
import { householdSearchKey } from "../registry/service.ts";
import { bumpSubjectCount } from "../statistics/counters.ts";
import type { ImportKind, ImportRow } from "./kind.ts";
import { resolveVillage, type Village, type VillageIndex, villagesOf } from "./villages.ts";

const year = () => Number(todayInVietnam().slice(0, 4));

const SEX_CHOICES = [
  { value: "male", label: "Nam", aliases: ["m", "male", "trai"] },
  { value: "female", label: "Nữ", aliases: ["f", "female", "gai"] },
] as const;

const CODE: ColumnSpec = {
  key: "code",
  header: "Mã hộ",
  type: "text",
  max: 40,
  required: false,
  help: "Mã của hộ trong danh sách của thôn/xã (nếu có). Có mã thì nhập lại tệp sẽ cập nhật đúng hộ; trang “Thành viên” dùng mã này.",
  example: "H001",
  aliases: ["Mã số hộ", "Số hộ"],
};

export const HOUSEHOLD_SHEET: SheetSpec = {
  name: "Hộ gia đình",
  columns: [
    CODE,
    {
      key: "village",
      header: "Thôn/Tổ dân phố",
      type: "lookup",
      max: 120,
      required: true,
      help: "Chọn trong danh sách (tên thôn, bản, ấp, tổ dân phố của xã).",
      example: "Thôn Đông",
      aliases: ["Thôn", "Tổ dân phố", "Thôn/Xóm", "Thôn/Bản", "Ấp", "Bản"],
    },
    {
      key: "headName",
      header: "Họ tên chủ hộ",
      type: "text",
      max: 120,
      required: true,
      help: "Họ và tên đầy đủ, có dấu.",
      example: "Nguyễn Văn An",
      aliases: ["Chủ hộ", "Họ và tên chủ hộ", "Tên chủ hộ"],
    },
    {
      key: "headBirthYear",
      header: "Năm sinh chủ hộ",
      type: "integer",
      min: 1900,
      max: 2100,
      required: true,
      help: "Bốn chữ số, ví dụ 1975.",
      example: 1975,
      aliases: ["Năm sinh"],
    },
    {
      key: "headSex",
      header: "Giới tính chủ hộ",
      type: "choice",
      choices: SEX_CHOICES,
      required: false,
      help: "Nam hoặc Nữ.",
      example: "Nam",
      aliases: ["Giới tính"],
    },
    {
      key: "ethnicity",
      header: "Dân tộc",
      type: "text",
      max: 60,
      required: false,
      help: "Dân tộc của chủ hộ, ví dụ Kinh, Tày.",
      example: "Kinh",
    },
    {
      key: "address",
      header: "Địa chỉ",
      type: "text",
      max: 200,
      required: false,
      help: "Số nhà, xóm…",
      example: "Số 12, xóm Giữa",
    },
    {
      key: "isPoor",
      header: "Hộ nghèo",
      type: "yesno",
      required: false,
      help: "Ghi x (hoặc “có”) nếu là hộ nghèo; để trống nếu không.",
      example: "",
    },
    {
      key: "isNearPoor",
      header: "Hộ cận nghèo",
      type: "yesno",
      required: false,
      help: "Ghi x nếu là hộ cận nghèo. Một hộ không thể vừa nghèo vừa cận nghèo.",
      example: "x",
    },
    {
      key: "isEthnicMinority",
      header: "Hộ dân tộc thiểu số",
      type: "yesno",
      required: false,
      help: "Ghi x nếu là hộ dân tộc thiểu số.",
      example: "",
      aliases: ["DTTS"],
    },
  ],
};

export const MEMBER_SHEET: SheetSpec = {
  name: "Thành viên",
  columns: [
    { ...CODE, required: true, help: "Mã hộ như ở trang “Hộ gia đình”.", example: "H001" },
    {
      key: "fullName",
      header: "Họ và tên",
      type: "text",
      max: 120,
      required: true,
      help: "Họ và tên thành viên (không cần ghi lại chủ hộ).",
      example: "Trần Thị Bình",
      aliases: ["Họ tên", "Họ tên thành viên"],
    },
    {
      key: "birthYear",
      header: "Năm sinh",
      type: "integer",
      min: 1900,
      max: 2100,
      required: true,
      help: "Bốn chữ số.",
      example: 1978,
    },
    {
      key: "sex",
      header: "Giới tính",
      type: "choice",
      choices: SEX_CHOICES,
      required: false,
      help: "Nam hoặc Nữ.",
      example: "Nữ",
    },
    {
      key: "ethnicity",
      header: "Dân tộc",
      type: "text",
      max: 60,
      required: false,
      help: "Ví dụ Kinh.",
      example: "Kinh",
    },
  ],
};

interface HouseholdsContext extends VillageIndex {
  /** In-file keys already seen → the row that had it first. */
  seen: Map<string, number>;
  /** Folded village + head name → first row, for in-file suspected duplicates. */
  seenFolded: Map<string, { number: number; birthYear: number }>;
  /** Household code → id, for the members sheet: households of this file (after apply) and of the unit. */
  householdByCode: Map<string, number>;
  /** Codes given on the households sheet, for the members sheet's check (dry run: not yet written). */
  fileCodes: Set<string>;
  /** Households created per village path, added to the counters once, at the end of the commit. */
  createdPerVillage: Map<string, number>;
  /**
   * The unit's households as they were when the run began: village + folded head name → ids, and
   * code → id. A row is matched against these only (rows of the same file are matched in memory,
   * above), so the dry run and the commit judge a row alike, and a commit's lookups never go
   * through a table it is itself filling, whose statistics the planner does not yet know.
   */
  existingByName: Map<string, number[]>;
  existingByCode: Map<string, number>;
  /**
   * Household id → the row of the file that matched it, and the household as it was then: one
   * household is updated by one row (a second is a duplicate in the file), and once matched it is
   * judged by that copy, never read again. So no batch of a commit reads or writes a household
   * another batch writes, and a batch may be checked and written while the one before is
   * (`independentBatches`), with the same outcome as in the dry run.
   */
  matched: Map<number, { row: number; household: ExistingHousehold }>;
}

interface HouseholdPlan {
  village: Village;
  /** The household matched (update, unchanged, or the suspect's look-alike). */
  existingId?: number;
  changes?: Record<string, unknown>;
  before?: Record<string, unknown>;
}

interface MemberPlan {
  householdId: number | null;
  existingId?: number;
  changes?: Record<string, unknown>;
  before?: Record<string, unknown>;
}

export const householdsImport: ImportKind<HouseholdsContext> = {
  code: "households",
  title: "Hộ gia đình",
  description:
    "Danh sách hộ gia đình của xã (mỗi dòng một hộ; chủ hộ là thành viên đầu tiên) và, nếu có, các thành viên khác ở trang “Thành viên”. Nhập lại cùng một tệp không tạo hộ trùng: hộ được nhận ra theo mã hộ, hoặc theo thôn + họ tên + năm sinh chủ hộ.",
  action: "registry.write",
  sheets: [HOUSEHOLD_SHEET, MEMBER_SHEET],
  // Rows are matched against the unit's households as they were before the run, one household to
  // one row (`matched`); new households are inserted, counted in memory and added at the end.
  independentBatches: [HOUSEHOLD_SHEET.name],

  unitProblem(unit) {
    if (unit.kind !== "commune" && unit.kind !== "village")
      return "Chỉ nhập hộ gia đình vào một xã/phường hoặc một thôn/tổ dân phố.";
    if (!isValidOn(unit, todayInVietnam()))
      return `${unit.name} không còn tồn tại từ ${unit.valid_to}; hãy chọn đơn vị hiện hành.`;
    return null;
  },

  async prepare(tx, principal: Principal, unit) {
    const villages = await villagesOf(tx, principal, unit);
    return {
      ...villages,
      seen: new Map(),
      seenFolded: new Map(),
      householdByCode: new Map(),
      fileCodes: new Set(),
      createdPerVillage: new Map(),
      matched: new Map(),
      ...(await existingKeys(
        tx,
        villages.villages.map((v) => v.id),
      )),
    };
  },

  choices(ctx) {
    return {
      village: ctx.villages
        .map((v) => v.name)
        .sort((a, b) => vietnameseSortKey(a).localeCompare(vietnameseSortKey(b))),
    };
  },

  async check(tx, ctx, sheet, rows) {
    if (sheet === MEMBER_SHEET.name) return checkMembers(tx, ctx, rows);
    return checkHouseholds(tx, ctx, rows);
  },

  async apply(tx, ctx, sheet, rows, audit) {
    if (sheet === MEMBER_SHEET.name) return applyMembers(tx, ctx, rows, audit);
    return applyHouseholds(tx, ctx, rows, audit);
  },

  async finish(tx, ctx) {
    for (const [path, n] of ctx.createdPerVillage) await bumpSubjectCount(tx, path, "household", n);
  },
};

interface ExistingHousehold {
  id: number;
  village_id: number;
  code: string | null;
  head_name: string;
  head_key: string;
  head_birth_year: number | null;
  head_sex: string | null;
  ethnicity: string | null;
  address: string | null;
  is_poor: boolean;
  is_near_poor: boolean;
  is_ethnic_minority: boolean;
}

async function existingKeys(tx: Transaction<DB>, villageIds: number[]) {
  const existingByName = new Map<string, number[]>();
  const existingByCode = new Map<string, number>();
  if (villageIds.length === 0) return { existingByName, existingByCode };
  const rows = await sql<{
    id: string | number;
    village_id: string | number;
    code: string | null;
    head_key: string;
  }>`
    select id, village_id, code, split_part(search_key, ' | ', 1) as head_key
    from households where active and village_id = any(${villageIds}::bigint[])`.execute(tx);
  for (const r of rows.rows) {
    const id = Number(r.id);
    const key = `${Number(r.village_id)}|${r.head_key}`;
    const list = existingByName.get(key);
    if (list) list.push(id);
    else existingByName.set(key, [id]);
    if (r.code !== null) existingByCode.set(r.code, id);
  }
  return { existingByName, existingByCode };
}

/** The households of the unit that some row of the batch may be (by head's name or code). */
async function existingHouseholds(tx: Transaction<DB>, ids: number[]): Promise<ExistingHousehold[]> {
  if (ids.length === 0) return [];
  const result = await sql<ExistingHousehold>`
    select h.id, h.village_id, h.code, h.head_name, split_part(h.search_key, ' | ', 1) as head_key,
           m.birth_year as head_birth_year, m.sex as head_sex, m.ethnicity, h.address,
           h.is_poor, h.is_near_poor, h.is_ethnic_minority
    from households h
    left join lateral (
      select birth_year, sex, ethnicity from household_members
      where household_id = h.id and is_head order by id limit 1
    ) m on true
    where h.id = any(${ids}::bigint[])
    order by h.id`.execute(tx);
  return result.rows.map((r) => ({ ...r, id: Number(r.id), village_id: Number(r.village_id) }));
}

function householdFields(row: ImportRow) {
  const v = row.values;
  return {
    code: (v.code as string | null) ?? null,
    headSex: (v.headSex as string | null) ?? null,
    ethnicity: (v.ethnicity as string | null) ?? null,
    address: (v.address as string | null) ?? null,
    isPoor: v.isPoor === true,
    isNearPoor: v.isNearPoor === true,
    isEthnicMinority: v.isEthnicMinority === true,
  };
}

async function checkHouseholds(tx: Transaction<DB>, ctx: HouseholdsContext, rows: ImportRow[]) {
  const villages = new Map<ImportRow, Village>();
  const headKeys = new Map<ImportRow, string>();
  const thisYear = year();
  for (const row of rows) {
    const village = resolveVillage(ctx, row);
    if (village) {
      villages.set(row, village);
      headKeys.set(row, foldForSearch(String(row.values.headName ?? "")));
    }
    if (row.values.isPoor === true && row.values.isNearPoor === true) {
      row.problems.push({
        column: "isNearPoor",
        message: "Một hộ không thể vừa là hộ nghèo vừa là hộ cận nghèo.",
      });
    }
    const birthYear = row.values.headBirthYear;
    if (typeof birthYear === "number" && birthYear > thisYear) {
      row.problems.push({ column: "headBirthYear", message: `Năm sinh phải từ 1900 đến ${thisYear}.` });
    }
    const name = row.values.headName;
    if (typeof name === "string" && /[<>{}\\]/u.test(name)) {
      row.problems.push({ column: "headName", message: "Tên không được chứa các ký tự < > { } \\." });
    }
  }
  const ids = new Set<number>();
  for (const [row, village] of villages) {
    const headKey = headKeys.get(row) as string;
    for (const id of ctx.existingByName.get(`${village.id}|${headKey}`) ?? []) ids.add(id);
    const code = row.values.code;
    const byCode = typeof code === "string" ? ctx.existingByCode.get(code) : undefined;
    if (byCode !== undefined) ids.add(byCode);
  }
  const unmatched = [...ids].filter((id) => !ctx.matched.has(id));
  const candidates = [
    ...(await existingHouseholds(tx, unmatched)),
    ...[...ids].flatMap((id) => ctx.matched.get(id)?.household ?? []),
  ].sort((a, b) => a.id - b.id);
  const byCode = new Map(candidates.filter((c) => c.code !== null).map((c) => [c.code as string, c]));
  const byName = new Map<string, ExistingHousehold[]>();
  for (const c of candidates) {
    const key = `${c.village_id}|${c.head_key}`;
    const list = byName.get(key);
    if (list) list.push(c);
    else byName.set(key, [c]);
  }

  for (const row of rows) {
    const village = villages.get(row);
    const fields = householdFields(row);
    if (fields.code) ctx.fileCodes.add(fields.code);
    if (!village || row.problems.length > 0) continue;
    const headName = String(row.values.headName);
    const birthYear = Number(row.values.headBirthYear);
    const headKey = headKeys.get(row) as string;

    // Within the file.
    const key = fields.code ? `code:${fields.code}` : `${village.id}|${lowerCase(headName)}|${birthYear}`;
    const first = ctx.seen.get(key);
    if (first !== undefined) {
      row.problems.push({
        column: fields.code ? "code" : "headName",
        message: fields.code
          ? `Mã hộ “${fields.code}” đã có ở dòng ${first} của tệp.`
          : `Trùng với hộ ở dòng ${first} của tệp (cùng thôn, họ tên và năm sinh chủ hộ).`,
      });
      continue;
    }
    ctx.seen.set(key, row.number);
    const foldedKey = `${village.id}|${headKey}`;
    const lookAlike = ctx.seenFolded.get(foldedKey);
    if (!lookAlike) ctx.seenFolded.set(foldedKey, { number: row.number, birthYear });

    // In the database.
    let match: ExistingHousehold | undefined;
    if (fields.code) {
      match = byCode.get(fields.code);
      if (match && match.village_id !== village.id) {
        const other = ctx.villages.find((v) => v.id === match?.village_id)?.name ?? "thôn khác";
        row.problems.push({
          column: "code",
          message: `Mã hộ “${fields.code}” đã dùng cho hộ ${match.head_name} ở ${other}.`,
        });
        continue;
      }
    }
    const sameName = byName.get(`${village.id}|${headKey}`) ?? [];
    if (!match) {
      match = sameName.find(
        (c) =>
          lowerCase(c.head_name) === lowerCase(headName) &&
          c.head_birth_year === birthYear &&
          (fields.code === null || c.code === null || c.code === fields.code),
      );
    }
    if (match) {
      const earlier = ctx.matched.get(match.id);
      if (earlier !== undefined) {
        row.problems.push({
          column: fields.code ? "code" : "headName",
          message: `Dòng ${earlier.row} của tệp cũng là hộ ${match.head_name} đã có: mỗi hộ chỉ một dòng.`,
        });
        continue;
      }
      ctx.matched.set(match.id, { row: row.number, household: match });
      const before = {
        code: match.code,
        headSex: match.head_sex,
        ethnicity: match.ethnicity,
        address: match.address,
        isPoor: match.is_poor,
        isNearPoor: match.is_near_poor,
        isEthnicMinority: match.is_ethnic_minority,
        headName: match.head_name,
        headBirthYear: match.head_birth_year,
      };
      const after = { ...fields, code: fields.code ?? match.code, headName, headBirthYear: birthYear };
      const changes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(after)) {
        if ((before as Record<string, unknown>)[k] !== v) changes[k] = v;
      }
      row.outcome = Object.keys(changes).length === 0 ? "unchanged" : "update";
      row.plan = { village, existingId: match.id, changes, before } satisfies HouseholdPlan;
      if (fields.code) ctx.householdByCode.set(fields.code, match.id);
      continue;
    }
    const suspect = sameName[0];
    row.plan = { village } satisfies HouseholdPlan;
    if (suspect) {
      row.outcome = "suspected";
      row.warnings.push({
        column: "headName",
        message: `Có thể trùng với hộ đã có: ${suspect.head_name}${suspect.head_birth_year ? ` (sinh ${suspect.head_birth_year})` : ""}, ${village.name}. Chỉ nhập khi chắc đây là hộ khác.`,
      });
    } else if (lookAlike) {
      row.outcome = "suspected";
      row.warnings.push({
        column: "headName",
        message: `Có thể trùng với hộ ở dòng ${lookAlike.number} của tệp (cùng thôn, tên chủ hộ gần giống). Chỉ nhập khi chắc đây là hộ khác.`,
      });
    } else {
      row.outcome = "new";
    }
  }
}

/**
 * The new households of a batch, each with its head as first member and its audit entry, written
 * by ONE statement that takes their ids from the households' sequence itself: nothing waits on
 * this thread between the three inserts, and the statement is built (and queued) while the
 * database still writes the batch before (run.ts).
 */
async function createHouseholds(
  tx: Transaction<DB>,
  ctx: HouseholdsContext,
  created: ImportRow[],
  audit: AuditContext,
) {
  const fields = created.map(householdFields);
  const households = created.map((row, i) => {
    const plan = row.plan as HouseholdPlan;
    const headName = String(row.values.headName);
    const f = fields[i] as ReturnType<typeof householdFields>;
    return {
      village_id: plan.village.id,
      head_name: headName,
      search_key: householdSearchKey(headName, []),
      sort_key: vietnameseSortKey(headName),
      address: f.address,
      is_poor: f.isPoor,
      is_near_poor: f.isNearPoor,
      is_ethnic_minority: f.isEthnicMinority,
      code: f.code,
      birth_year: Number(row.values.headBirthYear),
      sex: f.headSex,
      ethnicity: f.ethnicity,
    };
  });
  const entries: AuditEntry[] = created.map((row, i) => {
    const plan = row.plan as HouseholdPlan;
    return {
      action: "household.imported",
      entityType: "household",
      entityId: null, // the statement's own (below)
      orgUnitId: plan.village.id,
      after: {
        villageId: plan.village.id,
        headName: row.values.headName,
        headBirthYear: row.values.headBirthYear,
        ...fields[i],
        row: row.number,
      },
    };
  });
  // One JSON parameter per statement rather than ten per row: binding and planning ten thousand
  // parameters cost more than the rows themselves.
  const result = await sql<{ id: string | number }>`
    with r as materialized (
      select nextval((select pg_get_serial_sequence('households', 'id')::regclass)) as id, r.*
      from rows from (jsonb_to_recordset(${JSON.stringify(households)}::jsonb) as (
        village_id bigint, head_name text, search_key text, sort_key text, address text, is_poor boolean,
        is_near_poor boolean, is_ethnic_minority boolean, code text, birth_year integer, sex text, ethnicity text
      )) with ordinality as r(village_id, head_name, search_key, sort_key, address, is_poor, is_near_poor,
        is_ethnic_minority, code, birth_year, sex, ethnicity, n)
      order by r.n
    ), household as (
      insert into households
        (id, village_id, head_name, search_key, sort_key, address, is_poor, is_near_poor, is_ethnic_minority,
         member_count, code)
      overriding system value
      select id, village_id, head_name, search_key, sort_key, address, is_poor, is_near_poor, is_ethnic_minority,
             1, code
      from r
    ), head as (
      insert into household_members (household_id, full_name, birth_year, sex, ethnicity, is_head)
      select id, head_name, birth_year, sex, ethnicity, true from r
    ), audit as (
      ${auditInsert(audit, entries, sql<boolean>`true`, sql`(select array_agg(id order by n) from r)`)}
    )
    select id from r order by n`.execute(tx);
  created.forEach((row, i) => {
    const plan = row.plan as HouseholdPlan;
    ctx.createdPerVillage.set(plan.village.path, (ctx.createdPerVillage.get(plan.village.path) ?? 0) + 1);
    const code = fields[i]?.code;
    if (code) ctx.householdByCode.set(code, Number(result.rows[i]?.id));
  });
}

async function applyHouseholds(
  tx: Transaction<DB>,
  ctx: HouseholdsContext,
  rows: ImportRow[],
  audit: AuditContext,
) {
  const created = rows.filter((r) => r.outcome === "new" || r.outcome === "suspected");
  if (created.length > 0) await createHouseholds(tx, ctx, created, audit);
  const entries: AuditEntry[] = [];
  for (const row of rows.filter((r) => r.outcome === "update")) {
    const plan = row.plan as HouseholdPlan;
    const id = plan.existingId as number;
    const c = plan.changes ?? {};
    const set: Record<string, unknown> = {};
    if ("code" in c) set.code = c.code;
    if ("address" in c) set.address = c.address;
    if ("isPoor" in c) set.is_poor = c.isPoor;
    if ("isNearPoor" in c) set.is_near_poor = c.isNearPoor;
    if ("isEthnicMinority" in c) set.is_ethnic_minority = c.isEthnicMinority;
    if ("headName" in c) {
      // Same person, another case ("NGUYỄN VĂN AN"): the file's spelling is kept.
      set.head_name = c.headName;
      set.sort_key = vietnameseSortKey(String(c.headName));
    }
    if (Object.keys(set).length > 0) {
      await tx
        .updateTable("households")
        .set({ ...set, updated_at: new Date() })
        .where("id", "=", id)
        .execute();
    }
    if ("headSex" in c || "ethnicity" in c || "headName" in c) {
      await tx
        .updateTable("household_members")
        .set({
          ...("headSex" in c ? { sex: c.headSex as "male" | "female" | null } : {}),
          ...("ethnicity" in c ? { ethnicity: c.ethnicity as string | null } : {}),
          ...("headName" in c ? { full_name: String(c.headName) } : {}),
        })
        .where("household_id", "=", id)
        .where("is_head", "=", true)
        .execute();
    }
    entries.push({
      action: "household.updated",
      entityType: "household",
      entityId: id,
      orgUnitId: plan.village.id,
      before: Object.fromEntries(Object.keys(c).map((k) => [k, plan.before?.[k] ?? null])),
      after: { ...c, row: row.number, source: "import" },
    });
  }
  await recordAudits(tx, audit, entries);
}

async function checkMembers(tx: Transaction<DB>, ctx: HouseholdsContext, rows: ImportRow[]) {
  const codes = [...new Set(rows.flatMap((r) => (typeof r.values.code === "string" ? [r.values.code] : [])))];
  const unknown = codes.filter((c) => !ctx.householdByCode.has(c));
  if (unknown.length > 0) {
    const found = await tx
      .selectFrom("households")
      .select(["id", "code"])
      .where("active", "=", true)
      .where("code", "in", unknown)
      .where(
        "village_id",
        "in",
        ctx.villages.map((v) => v.id),
      )
      .execute();
    for (const h of found) if (h.code) ctx.householdByCode.set(h.code, Number(h.id));
  }
  const householdIds = [
    ...new Set(
      codes.flatMap((c) => (ctx.householdByCode.has(c) ? [ctx.householdByCode.get(c) as number] : [])),
    ),
  ];
  const members =
    householdIds.length === 0
      ? []
      : await tx
          .selectFrom("household_members")
          .select(["id", "household_id", "full_name", "birth_year", "sex", "ethnicity"])
          .where("household_id", "in", householdIds)
          .execute();
  const thisYear = year();
  for (const row of rows) {
    if (row.problems.length > 0) continue;
    const code = String(row.values.code);
    const householdId = ctx.householdByCode.get(code) ?? null;
    if (householdId === null && !ctx.fileCodes.has(code)) {
      row.problems.push({
        column: "code",
        message: `Không có hộ mã “${code}” ở trang “Hộ gia đình” hay trong ${ctx.unit.name}.`,
      });
      continue;
    }
    const name = String(row.values.fullName);
    const birthYear = Number(row.values.birthYear);
    if (birthYear > thisYear) {
      row.problems.push({ column: "birthYear", message: `Năm sinh phải từ 1900 đến ${thisYear}.` });
      continue;
    }
    const key = `member:${code}|${lowerCase(name)}|${birthYear}`;
    const first = ctx.seen.get(key);
    if (first !== undefined) {
      row.problems.push({
        column: "fullName",
        message: `Trùng với thành viên ở dòng ${first} của trang “Thành viên”.`,
      });
      continue;
    }
    ctx.seen.set(key, row.number);
    const own = members.filter((m) => Number(m.household_id) === householdId);
    const match = own.find((m) => lowerCase(m.full_name) === lowerCase(name) && m.birth_year === birthYear);
    if (match) {
      const before = { sex: match.sex, ethnicity: match.ethnicity, fullName: match.full_name };
      const after = {
        sex: row.values.sex ?? match.sex,
        ethnicity: row.values.ethnicity ?? match.ethnicity,
        fullName: name,
      };
      const changes = Object.fromEntries(
        Object.entries(after).filter(([k, v]) => (before as Record<string, unknown>)[k] !== v),
      );
      row.outcome = Object.keys(changes).length === 0 ? "unchanged" : "update";
      row.plan = { householdId, existingId: Number(match.id), changes, before } satisfies MemberPlan;
      continue;
    }
    row.plan = { householdId } satisfies MemberPlan;
    const suspect = own.find((m) => foldForSearch(m.full_name) === foldForSearch(name));
    if (suspect) {
      row.outcome = "suspected";
      row.warnings.push({
        column: "fullName",
        message: `Có thể trùng với thành viên đã có: ${suspect.full_name}${suspect.birth_year ? ` (sinh ${suspect.birth_year})` : ""}.`,
      });
    } else {
      row.outcome = "new";
    }
  }
}

async function applyMembers(
  tx: Transaction<DB>,
  ctx: HouseholdsContext,
  rows: ImportRow[],
  audit: AuditContext,
) {
  const entries: AuditEntry[] = [];
  const created = rows.filter((r) => r.outcome === "new" || r.outcome === "suspected");
  const touched = new Set<number>();
  const resolved = created.flatMap((row) => {
    const householdId =
      (row.plan as MemberPlan).householdId ?? ctx.householdByCode.get(String(row.values.code)) ?? null;
    return householdId === null ? [] : [{ row, householdId }];
  });
  if (resolved.length > 0) {
    const inserted = await tx
      .insertInto("household_members")
      .values(
        resolved.map(({ row, householdId }) => ({
          household_id: householdId,
          full_name: String(row.values.fullName),
          birth_year: Number(row.values.birthYear),
          sex: (row.values.sex as "male" | "female" | null) ?? null,
          ethnicity: (row.values.ethnicity as string | null) ?? null,
          is_head: false,
        })),
      )
      .returning(["id"])
      .execute();
    resolved.forEach(({ row, householdId }, i) => {
      touched.add(householdId);
      entries.push({
        action: "household.member_imported",
        entityType: "household",
        entityId: householdId,
        orgUnitId: null,
        after: {
          memberId: Number(inserted[i]?.id),
          fullName: row.values.fullName,
          birthYear: row.values.birthYear,
          row: row.number,
        },
      });
    });
  }
  for (const row of rows.filter((r) => r.outcome === "update")) {
    const plan = row.plan as MemberPlan;
    const c = plan.changes ?? {};
    await tx
      .updateTable("household_members")
      .set({
        ...("sex" in c ? { sex: c.sex as "male" | "female" | null } : {}),
        ...("ethnicity" in c ? { ethnicity: c.ethnicity as string | null } : {}),
        ...("fullName" in c ? { full_name: String(c.fullName) } : {}),
      })
      .where("id", "=", plan.existingId as number)
      .execute();
    if (plan.householdId !== null) touched.add(plan.householdId);
    entries.push({
      action: "household.member_updated",
      entityType: "household",
      entityId: plan.householdId,
      orgUnitId: null,
      before: plan.before,
      after: { ...c, memberId: plan.existingId, row: row.number, source: "import" },
    });
  }
  if (touched.size > 0) {
    // The household's member count and search key follow its members.
    const ids = [...touched];
    const members = await tx
      .selectFrom("household_members")
      .select(["household_id", "full_name", "is_head"])
      .where("household_id", "in", ids)
      .orderBy("id")
      .execute();
    const heads = await tx
      .selectFrom("households")
      .select(["id", "head_name"])
      .where("id", "in", ids)
      .execute();
    for (const h of heads) {
      const own = members.filter((m) => Number(m.household_id) === Number(h.id));
      await tx
        .updateTable("households")
        .set({
          member_count: own.length,
          search_key: householdSearchKey(
            h.head_name,
            own.map((m) => m.full_name),
          ),
          updated_at: new Date(),
        })
        .where("id", "=", h.id)
        .execute();
    }
  }
  await recordAudits(tx, audit, entries);
}
