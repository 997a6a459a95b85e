/**
 * Importing a commune's villages and units (thôn, bản, ấp, tổ dân phố; cơ quan, trường học,
 * doanh nghiệp, tổ chức cấp xã, the community learning centre) from the officer's Excel list.
 *
 * Sheet "Đơn vị": one row per unit: its kind, its name, and its own code if it has one.
 *
 * What a row matches (so that importing the same file twice creates nothing new): the current
 * unit of the commune of the same kind whose name is equal after folding (case and diacritics do
 * not matter) — the org-units service refuses a second one, so it is the same unit. A matched row
 * updates what `updateOrgUnit` allows: the name's spelling (“THÔN ĐÔNG” → as the file writes it)
 * and the code (an empty code cell keeps the unit's code). A row that only looks like an existing
 * unit — the same name under another kind, the same name without “Thôn”, “Bản”… in front, or the
 * same code under another name — is a suspected duplicate: listed for review and created only when
 * the officer says so. Two rows of the file of the same kind and name are an error on the second.
 *
 * Every write goes through the org-units service's in-transaction core (`createOrgUnitIn`,
 * `updateOrgUnitIn`): the same checks, the path, the learning-model subject counters (villages for
 * CĐHT thôn, units for ĐVHT) and the same audit entries as a unit created on the page.
 */
import type { Transaction } from "kysely";
import { decide, type Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import type { CellProblem, ColumnSpec, SheetSpec } from "../../domain/import/columns.ts";
import {
  creatableChildKinds,
  isValidOn,
  KIND_LABELS_VI,
  type OrgUnitKind,
  SINGLETON_CHILD_KINDS,
} from "../../domain/org-units.ts";
import { foldForSearch, normalizeText } from "../../domain/text.ts";
import { vietnameseErrorMap } from "../../domain/validation-messages.ts";
import { authorize } from "../../server/request-context.ts";
import type { AuditContext } from "../audit/audit-writer.ts";
import { CreateOrgUnitBody } from "../org-units/schemas.ts";
import { createOrgUnitIn, updateOrgUnitIn } from "../org-units/service.ts";
import type { ImportKind, ImportRow } from "./kind.ts";

/** Other words officers use for each kind, beside its label. */
const KIND_ALIASES: Partial<Record<OrgUnitKind, readonly string[]>> = {
  village: [
    "Thôn/Tổ dân phố",
    "Thôn",
    "Tổ dân phố",
    "TDP",
    "Bản",
    "Ấp",
    "Xóm",
    "Làng",
    "Buôn",
    "Sóc",
    "Khu phố",
    "Khóm",
    "Thôn, bản",
    "Thôn/Bản",
    "Thôn/Xóm",
  ],
  agency: ["Cơ quan, đơn vị", "Cơ quan nhà nước", "Đơn vị sự nghiệp"],
  school: ["Trường", "Nhà trường", "Trường mầm non", "Trường tiểu học", "Trường THCS", "Trường THPT"],
  enterprise: ["Công ty", "DN", "Doanh nghiệp, hợp tác xã", "Hợp tác xã", "HTX"],
  commune_body: ["Tổ chức", "Đoàn thể", "Tổ chức chính trị - xã hội", "Hội, đoàn thể"],
  learning_centre: ["TTHTCĐ", "Trung tâm HTCĐ", "Trung tâm học tập"],
};

/** The kinds a commune takes (the official kinds are never created by hand). */
const COMMUNE_CHILD_KINDS = creatableChildKinds("commune");

const KIND_COLUMN: ColumnSpec = {
  key: "kind",
  header: "Loại đơn vị",
  type: "choice",
  choices: COMMUNE_CHILD_KINDS.map((kind) => ({
    value: kind,
    label: KIND_LABELS_VI[kind],
    aliases: KIND_ALIASES[kind] ?? [],
  })),
  required: true,
  help: "Thôn, bản, ấp, tổ dân phố; cơ quan; trường học; doanh nghiệp; tổ chức cấp xã (đoàn thể); trung tâm học tập cộng đồng (mỗi xã một trung tâm).",
  example: KIND_LABELS_VI.village,
  aliases: ["Loại", "Loại hình", "Phân loại", "Loại hình đơn vị"],
};

export const UNIT_SHEET: SheetSpec = {
  name: "Đơn vị",
  columns: [
    KIND_COLUMN,
    {
      key: "name",
      header: "Tên đơn vị",
      type: "text",
      max: 200,
      required: true,
      help: "Tên đầy đủ, có dấu, như muốn hiện trong danh sách, ví dụ Thôn Đông, Trường Tiểu học Bình Yên.",
      example: "Thôn Đông",
      aliases: [
        "Tên",
        "Tên thôn",
        "Tên thôn/tổ dân phố",
        "Tên thôn, tổ dân phố",
        "Tên cơ quan, đơn vị",
        "Tên thôn, đơn vị",
        "Tên đơn vị/thôn",
        "Đơn vị",
      ],
    },
    {
      key: "code",
      header: "Mã",
      type: "text",
      max: 20,
      required: false,
      help: "Mã riêng của đơn vị (nếu có): chữ không dấu, số và các ký tự . _ - . Để trống thì giữ mã đang có.",
      example: "T01",
      aliases: ["Mã đơn vị", "Mã số", "Mã thôn", "Mã (không bắt buộc)"],
    },
  ],
};

interface Existing {
  id: number;
  kind: OrgUnitKind;
  name: string;
  code: string | null;
  key: string;
}

interface UnitsContext {
  unit: OrgUnitRow;
  principal: Principal;
  /** The commune's current units. */
  existing: Existing[];
  /** Kind + folded name → the unit. */
  byKey: Map<string, Existing>;
  /** Kind + folded name of the rows seen → the first row that had it. */
  seen: Map<string, number>;
  /** Kind + bare folded name (no “thôn”… in front) of the rows seen → first row. */
  seenBare: Map<string, number>;
  /** Folded name of the rows seen → the first row (the same name under two kinds). */
  seenName: Map<string, number>;
  /** The first row of the file that creates the commune's learning centre. */
  centreRow: number | null;
}

interface UnitPlan {
  kind: OrgUnitKind;
  name: string;
  code: string | null;
  existingId?: number;
  changes?: { name?: string; code?: string };
}

/** Words in front of a village's (or school's…) proper name. */
const KIND_PREFIX =
  /^(thon|to dan pho|to|ban|ap|xom|khu pho|khu|lang|buon|soc|phum|khom|doi|truong|cong ty|hop tac xa)\s+/u;

function bareKey(name: string): string {
  return foldForSearch(name).replace(KIND_PREFIX, "");
}

/** A name written without any Vietnamese mark (“Truong Tieu hoc”), as old plain-text lists are. */
export function withoutMarks(name: string): boolean {
  return !/[\p{M}đĐ]/u.test(name.normalize("NFD"));
}

const keyOf = (kind: string, name: string) => `${kind}|${foldForSearch(name)}`;

/**
 * The issues of a request schema's parse as row problems: each beside the column that gave the
 * field (`fields`: the schema's field → the column's key), or on the row.
 */
export function issueProblems(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  fields: Readonly<Record<string, string>>,
): CellProblem[] {
  return issues.map((issue) => {
    const field = issue.path[0];
    return { column: typeof field === "string" ? (fields[field] ?? "") : "", message: issue.message };
  });
}

/** A row's values through the org-units API's own request schema; its messages beside the columns. */
function schemaProblems(unit: OrgUnitRow, row: ImportRow): CellProblem[] {
  const v = row.values;
  const parsed = CreateOrgUnitBody.safeParse(
    {
      parentId: unit.id,
      kind: v.kind,
      name: v.name,
      ...(typeof v.code === "string" ? { code: v.code } : {}),
    },
    { error: vietnameseErrorMap },
  );
  return parsed.success
    ? []
    : issueProblems(parsed.error.issues, { kind: "kind", name: "name", code: "code" });
}

export const unitsImport: ImportKind<UnitsContext> = {
  code: "units",
  title: "Thôn, tổ dân phố và đơn vị",
  description:
    "Danh sách thôn, bản, ấp, tổ dân phố và các cơ quan, trường học, doanh nghiệp, tổ chức cấp xã, trung tâm học tập cộng đồng của xã (mỗi dòng một đơn vị). Nhập lại cùng một tệp không tạo đơn vị trùng: đơn vị được nhận ra theo loại + tên (không phân biệt hoa thường, có dấu hay không); dòng đã có thì sửa cách viết tên và mã.",
  action: "org_unit.create",
  sheets: [UNIT_SHEET],

  unitProblem(unit) {
    if (unit.kind !== "commune") return "Chỉ nhập thôn, tổ dân phố và đơn vị vào một xã/phường/đặc khu.";
    if (!isValidOn(unit, todayInVietnam()))
      return `${unit.name} không còn tồn tại từ ${unit.valid_to}; hãy chọn đơn vị hiện hành.`;
    return null;
  },

  async prepare(tx, principal, unit) {
    authorize(principal, "org_unit.create", unit.path);
    const rows = await tx
      .selectFrom("org_units")
      .select(["id", "kind", "name", "code", "search_key"])
      .where("parent_id", "=", unit.id)
      .where("valid_to", "is", null)
      .orderBy("id")
      .execute();
    const existing = rows.map((r) => ({
      id: r.id,
      kind: r.kind as OrgUnitKind,
      name: r.name,
      code: r.code,
      key: `${r.kind}|${r.search_key}`,
    }));
    return {
      unit,
      principal,
      existing,
      byKey: new Map(existing.map((e) => [e.key, e])),
      seen: new Map(),
      seenBare: new Map(),
      seenName: new Map(),
      centreRow: null,
    };
  },

  choices() {
    return {};
  },

  async check(_tx, ctx, _sheet, rows) {
    for (const row of rows) checkRow(ctx, row);
  },

  async apply(tx, ctx, _sheet, rows, audit) {
    for (const row of rows) await applyRow(tx, ctx, row, audit);
  },
};

function checkRow(ctx: UnitsContext, row: ImportRow) {
  row.problems.push(...schemaProblems(ctx.unit, row));
  if (row.problems.length > 0) return;
  const kind = row.values.kind as OrgUnitKind;
  const name = normalizeText(String(row.values.name));
  const code = typeof row.values.code === "string" ? normalizeText(row.values.code) : null;
  const kindLabel = KIND_LABELS_VI[kind];

  // Within the file.
  const key = keyOf(kind, name);
  const first = ctx.seen.get(key);
  if (first !== undefined) {
    row.problems.push({
      column: "name",
      message: `Trùng với dòng ${first} của tệp (cùng loại đơn vị và tên).`,
    });
    return;
  }
  ctx.seen.set(key, row.number);
  // An earlier row of the same name under another kind, or of the same bare name (“Đông”, “Thôn Đông”).
  const folded = foldForSearch(name);
  const bare = `${kind}|${bareKey(name)}`;
  const sameName = ctx.seenName.get(folded);
  const lookAlikeRow = sameName ?? ctx.seenBare.get(bare);
  if (sameName === undefined) ctx.seenName.set(folded, row.number);
  if (!ctx.seenBare.has(bare)) ctx.seenBare.set(bare, row.number);

  // In the database: the same unit.
  const match = ctx.byKey.get(key);
  if (match) {
    const changes: UnitPlan["changes"] = {};
    // The file's spelling is kept, except a name typed without marks over one written with them.
    if (match.name !== name && !(withoutMarks(name) && !withoutMarks(match.name))) changes.name = name;
    if (code !== null && match.code !== code) changes.code = code;
    const changed = Object.keys(changes).length > 0;
    if (changed && !decide(ctx.principal, "org_unit.update", ctx.unit.path).allowed) {
      row.problems.push({ column: "name", message: `Bạn không có quyền sửa ${match.name}.` });
      return;
    }
    row.outcome = changed ? "update" : "unchanged";
    row.plan = { kind, name, code, existingId: match.id, changes } satisfies UnitPlan;
    if (changes.name !== undefined) {
      row.warnings.push({ column: "name", message: `Sẽ sửa tên “${match.name}” thành “${name}”.` });
    }
    return;
  }

  // One learning centre per commune (the service refuses a second).
  if (SINGLETON_CHILD_KINDS.has(kind)) {
    const centre = ctx.existing.find((e) => e.kind === kind);
    if (centre) {
      row.problems.push({
        column: "name",
        message: `${ctx.unit.name} đã có ${centre.name}; mỗi xã chỉ có một trung tâm.`,
      });
      return;
    }
    if (ctx.centreRow !== null) {
      row.problems.push({
        column: "kind",
        message: `Dòng ${ctx.centreRow} của tệp đã là ${kindLabel.toLocaleLowerCase("vi")}; mỗi xã chỉ có một trung tâm.`,
      });
      return;
    }
    ctx.centreRow = row.number;
  }

  row.plan = { kind, name, code } satisfies UnitPlan;
  const otherKind = ctx.existing.find((e) => e.kind !== kind && e.key.endsWith(`|${folded}`));
  const bareTwin = ctx.existing.find((e) => e.kind === kind && bareKey(e.name) === bareKey(name));
  const codeTwin = code === null ? undefined : ctx.existing.find((e) => e.kind === kind && e.code === code);
  const note = "Chỉ nhập khi chắc đây là đơn vị khác.";
  if (otherKind) {
    row.outcome = "suspected";
    row.warnings.push({
      column: "name",
      message: `Có thể trùng với ${otherKind.name} (${KIND_LABELS_VI[otherKind.kind].toLocaleLowerCase("vi")}) đã có. ${note}`,
    });
  } else if (bareTwin) {
    row.outcome = "suspected";
    row.warnings.push({ column: "name", message: `Có thể trùng với ${bareTwin.name} đã có. ${note}` });
  } else if (codeTwin) {
    row.outcome = "suspected";
    row.warnings.push({
      column: "code",
      message: `Mã “${code}” đã dùng cho ${codeTwin.name}. Nếu đơn vị này đổi tên, hãy sửa tên trong ứng dụng. ${note}`,
    });
  } else if (lookAlikeRow !== undefined) {
    row.outcome = "suspected";
    row.warnings.push({
      column: "name",
      message: `Có thể trùng với đơn vị ở dòng ${lookAlikeRow} của tệp (tên gần giống). ${note}`,
    });
  } else {
    row.outcome = "new";
  }
}

async function applyRow(tx: Transaction<DB>, ctx: UnitsContext, row: ImportRow, audit: AuditContext) {
  const plan = row.plan as UnitPlan;
  if (row.outcome === "update") {
    await updateOrgUnitIn(tx, ctx.principal, plan.existingId as number, plan.changes ?? {}, audit);
    return;
  }
  await createOrgUnitIn(
    tx,
    ctx.principal,
    { parentId: ctx.unit.id, kind: plan.kind, name: plan.name, code: plan.code ?? undefined },
    audit,
  );
}
