/**
 * Importing learning citizens (công dân học tập) recorded by a commune's or a unit's officer, from
 * the officer's Excel list: the officer's direct record (verified at once), as `createCitizen`
 * makes it; never the public self-registration.
 *
 * Sheet "Công dân học tập": one row per citizen: name, birth year, group, the unit (for a commune,
 * the commune itself or one of its agencies, schools, enterprises, commune bodies), phone, and the
 * household's code when the citizen is a member of a household of the registry (then linked to that
 * member, found by name and birth year). No national ID: the citizens service stores none.
 *
 * What a row matches (so that importing the same file twice creates nothing new):
 * - with a household code: the citizen already recorded for that household member (the service
 *   refuses a second one);
 * - otherwise: the citizen of the same unit with the same name (same letters and marks, any case)
 *   and the same birth year, not rejected.
 * A match already verified is unchanged (the service has no edit of a citizen). A match still
 * waiting in the verification queue (a self-registration) is verified by the import, as the queue's
 * "Xác nhận" does. A citizen of the same unit whose name is equal only after folding, or spelt
 * alike with another birth year, is a suspected duplicate: recorded only when the officer says so.
 * Two rows of the file of the same unit, name and birth year are an error on the second.
 *
 * Writes go through the citizens service's in-transaction core (`createCitizensIn`, a batch at a
 * time: the same checks, the citizen counters, one audit entry per citizen; `decideCitizensIn` for
 * the verifications).
 */
import { sql, type Transaction } from "kysely";
import { decide, type Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import type { SheetSpec } from "../../domain/import/columns.ts";
import { isValidOn } from "../../domain/org-units.ts";
import { foldForSearch, lowerCase, normalizeText, vietnameseSortKey } from "../../domain/text.ts";
import { vietnameseErrorMap } from "../../domain/validation-messages.ts";
import { authorize } from "../../server/request-context.ts";
import { CreateCitizenBody } from "../citizens/schemas.ts";
import {
  CITIZEN_UNIT_KINDS,
  citizenGroupNames,
  createCitizensIn,
  decideCitizensIn,
} from "../citizens/service.ts";
import type { ImportKind, ImportRow } from "./kind.ts";
import { issueProblems } from "./units.ts";

export const CITIZEN_SHEET: SheetSpec = {
  name: "Công dân học tập",
  columns: [
    {
      key: "fullName",
      header: "Họ và tên",
      type: "text",
      max: 120,
      required: true,
      help: "Họ và tên đầy đủ, có dấu.",
      example: "Phạm Văn Đức",
      aliases: ["Họ tên", "Họ và tên công dân", "Tên công dân", "Công dân"],
    },
    {
      key: "birthYear",
      header: "Năm sinh",
      type: "integer",
      min: 1900,
      max: 2100,
      required: false,
      help: "Bốn chữ số, ví dụ 1978. Nên ghi: cùng họ tên và năm sinh thì nhập lại tệp không tạo người trùng.",
      example: 1978,
    },
    {
      key: "citizenGroup",
      header: "Nhóm",
      type: "lookup",
      max: 200,
      required: true,
      help: "Chọn trong danh sách bốn nhóm công dân học tập (hoặc ghi số nhóm 1–4).",
      example: "Nhóm 1",
      aliases: ["Nhóm công dân", "Nhóm đối tượng", "Đối tượng", "Nhóm CDHT"],
    },
    {
      key: "unit",
      header: "Cơ quan, đơn vị",
      type: "lookup",
      max: 200,
      required: false,
      help: "Xã, hoặc cơ quan, trường học, doanh nghiệp, tổ chức cấp xã nơi công dân đăng ký. Để trống: đơn vị đang nhập.",
      example: "",
      aliases: ["Đơn vị", "Cơ quan", "Nơi công tác", "Cơ quan/đơn vị", "Xã/đơn vị"],
    },
    {
      key: "phone",
      header: "Số điện thoại",
      type: "text",
      max: 20,
      required: false,
      help: "Ví dụ 0912 345 678 (không bắt buộc).",
      example: "0912 345 678",
      aliases: ["Điện thoại", "SĐT", "Số ĐT", "Di động", "Điện thoại liên hệ"],
    },
    {
      key: "code",
      header: "Mã hộ",
      type: "text",
      max: 40,
      required: false,
      help: "Nếu công dân là thành viên một hộ trong danh sách hộ của xã: mã hộ, để gắn với thành viên đó (họ tên và năm sinh phải khớp).",
      example: "",
      aliases: ["Mã số hộ", "Số hộ"],
    },
  ],
};

interface Unit {
  id: number;
  name: string;
}

interface CitizensContext {
  unit: OrgUnitRow;
  principal: Principal;
  groups: string[];
  /** The units a row may name: the unit imported into and, for a commune, its citizen units. */
  units: Unit[];
  unitByName: Map<string, Unit>;
  /** Villages whose households the user may read (for the household code), by id. */
  villageIds: number[];
  /** In-file keys → the row that had it first. */
  seen: Map<string, number>;
  /** Unit + folded name → first row and its birth year, for in-file look-alikes. */
  seenFolded: Map<string, { number: number; birthYear: number | null }>;
}

interface CitizenPlan {
  input: {
    orgUnitId: number;
    fullName: string;
    citizenGroup: number;
    birthYear?: number;
    phone?: string;
    householdMemberId?: number;
  };
  /** A pending entry of the same person, verified by the import. */
  verifyId?: number;
}

/** A phone number Excel kept as a number lost its leading 0 (912345678 for 0912 345 678). */
function phoneText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return /^[1-9]\d{8,9}$/u.test(value) ? `0${value}` : value;
}

function resolveGroup(ctx: CitizensContext, row: ImportRow): number | null {
  const text = String(row.values.citizenGroup);
  const folded = foldForSearch(text);
  const byName = ctx.groups.findIndex((g) => foldForSearch(g) === folded);
  if (byName >= 0) return byName + 1;
  const byNumber = /^(?:nhom\s*)?([1-4])$/u.exec(folded);
  if (byNumber) return Number(byNumber[1]);
  row.problems.push({
    column: "citizenGroup",
    message: `Chỉ nhận một trong: ${ctx.groups.join(", ")} (hoặc số nhóm 1–4).`,
  });
  return null;
}

function resolveUnit(ctx: CitizensContext, row: ImportRow): Unit | null {
  const name = row.values.unit;
  if (typeof name !== "string") return { id: ctx.unit.id, name: ctx.unit.name };
  const unit = ctx.unitByName.get(foldForSearch(name));
  if (unit) return unit;
  row.problems.push({
    column: "unit",
    message:
      ctx.units.length > 1
        ? `Không có cơ quan, đơn vị “${name}” trong ${ctx.unit.name}.`
        : `Chỉ nhập công dân của ${ctx.unit.name} ở đây; để trống cột này hoặc ghi “${ctx.unit.name}”.`,
  });
  return null;
}

export const citizensImport: ImportKind<CitizensContext> = {
  code: "citizens",
  title: "Công dân học tập",
  description:
    "Danh sách công dân học tập do cán bộ xã hoặc cơ quan, đơn vị ghi nhận (đã xác minh), mỗi dòng một người. Nhập lại cùng một tệp không tạo người trùng: công dân được nhận ra theo đơn vị + họ tên + năm sinh (hoặc theo thành viên hộ khi có mã hộ); người đã tự đăng ký và đang chờ xác minh thì được xác nhận.",
  action: "registry.write",
  sheets: [CITIZEN_SHEET],

  unitProblem(unit) {
    if (!(CITIZEN_UNIT_KINDS as readonly string[]).includes(unit.kind))
      return "Chỉ nhập công dân học tập vào một xã/phường hoặc một cơ quan, trường học, doanh nghiệp, tổ chức cấp xã.";
    if (!isValidOn(unit, todayInVietnam()))
      return `${unit.name} không còn tồn tại từ ${unit.valid_to}; hãy chọn đơn vị hiện hành.`;
    return null;
  },

  async prepare(tx, principal, unit) {
    authorize(principal, "registry.write", unit.path);
    const units: Unit[] = [{ id: unit.id, name: unit.name }];
    if (unit.kind === "commune") {
      const children = await tx
        .selectFrom("org_units")
        .select(["id", "name", "path"])
        .where("parent_id", "=", unit.id)
        .where("kind", "in", [...CITIZEN_UNIT_KINDS])
        .where("valid_to", "is", null)
        .orderBy("sort_key")
        .execute();
      for (const c of children)
        if (decide(principal, "registry.write", c.path).allowed) units.push({ id: c.id, name: c.name });
    }
    // Households are those of the commune (the unit itself, or the commune a unit belongs to).
    const commune =
      unit.kind === "commune"
        ? unit
        : await tx
            .selectFrom("org_units")
            .selectAll()
            .where("id", "=", unit.parent_id ?? 0)
            .where("kind", "=", "commune")
            .executeTakeFirst();
    const villages = commune
      ? await tx
          .selectFrom("org_units")
          .select(["id", "path"])
          .where("kind", "=", "village")
          .where("path", "like", `${commune.path}%`)
          .execute()
      : [];
    return {
      unit,
      principal,
      groups: await citizenGroupNames(tx),
      units,
      unitByName: new Map(units.map((u) => [foldForSearch(u.name), u])),
      villageIds: villages.filter((v) => decide(principal, "registry.read", v.path).allowed).map((v) => v.id),
      seen: new Map(),
      seenFolded: new Map(),
    };
  },

  choices(ctx) {
    const [own, ...others] = ctx.units;
    return {
      citizenGroup: ctx.groups,
      unit: [
        (own as Unit).name,
        ...others.map((u) => u.name).sort((a, b) => vietnameseSortKey(a).localeCompare(vietnameseSortKey(b))),
      ],
    };
  },

  async check(tx, ctx, _sheet, rows) {
    const valid: { row: ImportRow; input: CitizenPlan["input"] }[] = [];
    for (const row of rows) {
      const group = resolveGroup(ctx, row);
      const unit = resolveUnit(ctx, row);
      if (group === null || unit === null) continue;
      const v = row.values;
      const phone = phoneText(v.phone);
      const parsed = CreateCitizenBody.safeParse(
        {
          orgUnitId: unit.id,
          fullName: v.fullName,
          citizenGroup: group,
          ...(typeof v.birthYear === "number" ? { birthYear: v.birthYear } : {}),
          ...(phone !== undefined ? { phone } : {}),
        },
        { error: vietnameseErrorMap },
      );
      if (!parsed.success) {
        row.problems.push(
          ...issueProblems(parsed.error.issues, {
            orgUnitId: "unit",
            fullName: "fullName",
            citizenGroup: "citizenGroup",
            birthYear: "birthYear",
            phone: "phone",
          }),
        );
        continue;
      }
      valid.push({ row, input: { ...parsed.data, fullName: normalizeText(parsed.data.fullName) } });
    }
    await linkMembers(tx, ctx, valid);
    await match(
      tx,
      ctx,
      valid.filter(({ row }) => row.problems.length === 0),
    );
  },

  async apply(tx, ctx, _sheet, rows, audit) {
    const created = rows.filter((r) => r.outcome === "new" || r.outcome === "suspected");
    await createCitizensIn(
      tx,
      ctx.principal,
      created.map((r) => (r.plan as CitizenPlan).input),
      audit,
    );
    const verify = rows.flatMap((r) =>
      r.outcome === "update" ? [(r.plan as CitizenPlan).verifyId as number] : [],
    );
    if (verify.length > 0)
      await decideCitizensIn(tx, ctx.principal, { ids: verify, decision: "verify" }, audit);
  },
};

/** Rows with a household code: the member of that household with the row's name and birth year. */
async function linkMembers(
  tx: Transaction<DB>,
  ctx: CitizensContext,
  rows: { row: ImportRow; input: CitizenPlan["input"] }[],
) {
  const linked = rows.filter(({ row }) => typeof row.values.code === "string");
  if (linked.length === 0) return;
  const codes = [...new Set(linked.map(({ row }) => String(row.values.code)))];
  const members =
    ctx.villageIds.length === 0
      ? []
      : await tx
          .selectFrom("household_members as m")
          .innerJoin("households as h", "h.id", "m.household_id")
          .select(["m.id", "m.full_name", "m.birth_year", "h.code"])
          .where("h.active", "=", true)
          .where("h.code", "in", codes)
          .where("h.village_id", "in", ctx.villageIds)
          .execute();
  for (const { row, input } of linked) {
    const code = String(row.values.code);
    const own = members.filter((m) => m.code === code);
    if (own.length === 0) {
      row.problems.push({ column: "code", message: `Không có hộ mã “${code}” trong phạm vi của bạn.` });
      continue;
    }
    const same = own.filter(
      (m) =>
        lowerCase(m.full_name) === lowerCase(input.fullName) &&
        (input.birthYear === undefined || m.birth_year === input.birthYear),
    );
    if (same.length !== 1) {
      const who = `${input.fullName}${input.birthYear !== undefined ? ` (sinh ${input.birthYear})` : ""}`;
      row.problems.push({
        column: "code",
        message:
          same.length === 0
            ? `Hộ mã “${code}” không có thành viên ${who}.`
            : `Hộ mã “${code}” có ${same.length} thành viên ${who}: hãy ghi năm sinh.`,
      });
      continue;
    }
    input.householdMemberId = Number(same[0]?.id);
  }
}

interface Existing {
  id: number;
  org_unit_id: number;
  full_name: string;
  search_key: string;
  birth_year: number | null;
  citizen_group: number;
  status: "pending" | "verified" | "rejected";
  source: "public" | "officer";
  household_member_id: number | null;
}

async function match(
  tx: Transaction<DB>,
  ctx: CitizensContext,
  rows: { row: ImportRow; input: CitizenPlan["input"] }[],
) {
  const unitIds = [...new Set(rows.map(({ input }) => input.orgUnitId))];
  const keys = [...new Set(rows.map(({ input }) => foldForSearch(input.fullName)))];
  const memberIds = rows.flatMap(({ input }) =>
    input.householdMemberId === undefined ? [] : [input.householdMemberId],
  );
  const found =
    rows.length === 0
      ? []
      : (
          await sql<Existing>`
            select id, org_unit_id, full_name, search_key, birth_year, citizen_group, status, source,
                   household_member_id
            from citizens
            where status <> 'rejected' and (
              (org_unit_id = any(${unitIds}::bigint[]) and search_key = any(${keys}::text[]))
              or household_member_id = any(${memberIds}::bigint[])
            )
            -- The verified record first, then the oldest.
            order by (status = 'verified') desc, id`.execute(tx)
        ).rows.map((r) => ({
          ...r,
          id: Number(r.id),
          org_unit_id: Number(r.org_unit_id),
          household_member_id: r.household_member_id === null ? null : Number(r.household_member_id),
        }));

  for (const { row, input } of rows) {
    const name = input.fullName;
    const year = input.birthYear ?? null;
    const folded = foldForSearch(name);

    // Within the file.
    const key = `${input.orgUnitId}|${lowerCase(name)}|${year ?? ""}`;
    const memberKey = input.householdMemberId === undefined ? null : `member:${input.householdMemberId}`;
    const first = ctx.seen.get(key) ?? (memberKey ? ctx.seen.get(memberKey) : undefined);
    if (first !== undefined) {
      row.problems.push({
        column: ctx.seen.has(key) ? "fullName" : "code",
        message: ctx.seen.has(key)
          ? `Trùng với dòng ${first} của tệp (cùng đơn vị, họ tên và năm sinh).`
          : `Thành viên hộ này đã có ở dòng ${first} của tệp.`,
      });
      continue;
    }
    ctx.seen.set(key, row.number);
    if (memberKey) ctx.seen.set(memberKey, row.number);
    const foldedKey = `${input.orgUnitId}|${folded}`;
    const lookAlike = ctx.seenFolded.get(foldedKey);
    if (!lookAlike) ctx.seenFolded.set(foldedKey, { number: row.number, birthYear: year });

    // In the database: the same person.
    const same =
      (input.householdMemberId !== undefined
        ? found.find((c) => c.household_member_id === input.householdMemberId)
        : undefined) ??
      found.find(
        (c) =>
          c.org_unit_id === input.orgUnitId &&
          lowerCase(c.full_name) === lowerCase(name) &&
          c.birth_year === year &&
          (input.householdMemberId === undefined ||
            c.household_member_id === null ||
            c.household_member_id === input.householdMemberId),
      );
    row.plan = { input } satisfies CitizenPlan;
    if (same) {
      if (same.status === "pending") {
        row.outcome = "update";
        row.plan = { input, verifyId: same.id } satisfies CitizenPlan;
        row.warnings.push({
          column: "fullName",
          message: `Sẽ xác nhận đăng ký CD-${same.id} của ${same.full_name} đang chờ xác minh.`,
        });
      } else {
        row.outcome = "unchanged";
        if (same.citizen_group !== input.citizenGroup) {
          row.warnings.push({
            column: "citizenGroup",
            message: `${same.full_name} đã có trong danh sách, thuộc ${ctx.groups[same.citizen_group - 1] ?? `nhóm ${same.citizen_group}`}; nhập lại không đổi nhóm.`,
          });
        }
      }
      continue;
    }
    const suspect = found.find((c) => c.org_unit_id === input.orgUnitId && c.search_key === folded);
    const unitName = ctx.units.find((u) => u.id === input.orgUnitId)?.name ?? "";
    if (suspect) {
      row.outcome = "suspected";
      row.warnings.push({
        column: "fullName",
        message: `Có thể trùng với công dân đã có: ${suspect.full_name}${suspect.birth_year ? ` (sinh ${suspect.birth_year})` : ""}, ${unitName}${suspect.status === "pending" ? ", đang chờ xác minh" : ""}. Chỉ nhập khi chắc đây là người khác.`,
      });
    } else if (lookAlike) {
      row.outcome = "suspected";
      row.warnings.push({
        column: "fullName",
        message: `Có thể trùng với người ở dòng ${lookAlike.number} của tệp (cùng đơn vị, họ tên gần giống). Chỉ nhập khi chắc đây là người khác.`,
      });
    } else {
      row.outcome = "new";
    }
  }
}
