/**
 * Importing learning-model registrations (đăng ký danh hiệu) for a year into a commune and,
 * optionally, each subject's self-assessment scores (tự chấm điểm).
 *
 * One sheet per learning model ("Gia đình học tập", "Dòng họ học tập", …); a file holds any of
 * them. A row is one subject for the model and a year: a household by its code, or by village +
 * head's name + birth year (as the household import finds it); a clan by its name; a village, a
 * unit (agency, school, enterprise) or the commune by its name; a learning citizen by name (and
 * birth year). After the subject and "Năm" come one column per typed criterion of the framework
 * that applies (the sheets are built at run time from the published frameworks of the unit's
 * province: `sheetsFor`), then "Gửi bình xét" (x = hand in for review).
 *
 * Natural key: (model, year, subject). Registering is idempotent: a subject already registered
 * for the model and year is unchanged. Scores go through the evaluations service's own path
 * (`planAnswers` to check, `saveAnswersIn` to write): the same state rules (only while
 * registered, self-assessing or returned; a submitted assessment is changed only by the level
 * above returning it), the same answer checks (`answerProblems`, mapped to the criteria's
 * columns), the same counters (`model_stats`) and audit entries. An empty score cell keeps what
 * is stored (a file never erases a score); the same scores again change nothing.
 */
import type { Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { parseVietnameseNumber } from "../../domain/import/cells.ts";
import type { CellProblem, ColumnSpec, SheetSpec } from "../../domain/import/columns.ts";
import { type EvaluationStatus, SELF_ASSESSED } from "../../domain/learning-models/cycle.ts";
import {
  type Criterion,
  FrameworkDefinition,
  MODEL_LABELS_VI,
  MODEL_SUBJECT,
  MODELS,
  type Model,
} from "../../domain/learning-models/framework.ts";
import type { Answers } from "../../domain/learning-models/scoring.ts";
import { isValidOn } from "../../domain/org-units.ts";
import { foldForSearch, lowerCase, vietnameseSortKey } from "../../domain/text.ts";
import { authorize } from "../../server/request-context.ts";
import { applicableFramework } from "../criteria-frameworks/service.ts";
import {
  frameworkOf,
  noFrameworkMessage,
  planAnswers,
  registerIn,
  sameAnswers,
  saveAnswersIn,
  yearProblem,
} from "../evaluations/service.ts";
import { findSubjects, type SubjectRef } from "../evaluations/subjects.ts";
import type { ImportKind, ImportRow } from "./kind.ts";
import { villageKeys } from "./villages.ts";

const currentYear = () => Number(todayInVietnam().slice(0, 4));

// ─── Columns ────────────────────────────────────────────────────────────────────────────

const VILLAGE: ColumnSpec = {
  key: "village",
  header: "Thôn/Tổ dân phố",
  type: "lookup",
  max: 120,
  required: true,
  help: "Chọn trong danh sách (tên thôn, bản, ấp, tổ dân phố của xã).",
  example: "Thôn Đông",
  aliases: ["Thôn", "Tổ dân phố", "Thôn/Xóm", "Thôn/Bản", "Ấp", "Bản", "Tên thôn"],
};

const SUBJECT_COLUMNS: Record<Model, readonly ColumnSpec[]> = {
  gdht: [
    {
      key: "code",
      header: "Mã hộ",
      type: "text",
      max: 40,
      required: false,
      help: "Mã của hộ trong sổ hộ gia đình (nếu có). Có mã hộ thì không cần thôn và năm sinh.",
      example: "H001",
      aliases: ["Mã số hộ", "Số hộ"],
    },
    {
      ...VILLAGE,
      required: false,
      help: "Thôn/tổ dân phố của hộ (cần khi không ghi mã hộ).",
    },
    {
      key: "headName",
      header: "Họ tên chủ hộ",
      type: "text",
      max: 120,
      required: true,
      help: "Họ và tên chủ hộ như trong sổ hộ gia đình.",
      example: "Nguyễn Văn An",
      aliases: ["Chủ hộ", "Họ và tên chủ hộ", "Tên chủ hộ"],
    },
    {
      key: "headBirthYear",
      header: "Năm sinh chủ hộ",
      type: "integer",
      min: 1900,
      max: 2100,
      required: false,
      help: "Bốn chữ số (cần khi không ghi mã hộ).",
      example: 1975,
      aliases: ["Năm sinh"],
    },
  ],
  dhht: [
    {
      key: "clan",
      header: "Dòng họ",
      type: "lookup",
      max: 200,
      required: true,
      help: "Tên dòng họ như trong sổ dòng họ của xã.",
      example: "Dòng họ Nguyễn",
      aliases: ["Tên dòng họ", "Họ", "Tên họ"],
    },
  ],
  cdht_thon: [{ ...VILLAGE, help: "Thôn/tổ dân phố đăng ký Cộng đồng học tập cấp thôn." }],
  dvht: [
    {
      key: "unit",
      header: "Tên đơn vị",
      type: "lookup",
      max: 200,
      required: true,
      help: "Cơ quan, trường học, doanh nghiệp trên địa bàn xã (như trong danh sách đơn vị).",
      example: "Trường Tiểu học Bình Yên",
      aliases: ["Đơn vị", "Cơ quan, đơn vị", "Cơ quan", "Tên cơ quan, đơn vị"],
    },
  ],
  cdht_xa: [
    {
      key: "commune",
      header: "Xã/Phường",
      type: "lookup",
      max: 200,
      required: true,
      help: "Tên xã/phường đang nhập (hoặc mã đơn vị hành chính).",
      example: "Xã Bình Yên",
      aliases: ["Xã", "Phường", "Tên xã", "Xã, phường"],
    },
  ],
  cdht_cong_dan: [
    {
      key: "fullName",
      header: "Họ và tên",
      type: "text",
      max: 120,
      required: true,
      help: "Họ và tên công dân học tập (đã được xác nhận trong danh sách công dân học tập).",
      example: "Trần Thị Bình",
      aliases: ["Họ tên", "Họ tên công dân"],
    },
    {
      key: "birthYear",
      header: "Năm sinh",
      type: "integer",
      min: 1900,
      max: 2100,
      required: false,
      help: "Bốn chữ số (cần khi có hai người trùng họ tên).",
      example: 1980,
    },
  ],
};

/** The column that names the subject (where a duplicate row is reported). */
const NAME_COLUMN: Record<Model, string> = {
  gdht: "headName",
  dhht: "clan",
  cdht_thon: "village",
  dvht: "unit",
  cdht_xa: "commune",
  cdht_cong_dan: "fullName",
};

const YEAR: ColumnSpec = {
  key: "year",
  header: "Năm",
  type: "integer",
  min: 2016,
  max: 2100,
  required: true,
  help: "Năm đăng ký danh hiệu, ví dụ 2025.",
  example: 2025,
  aliases: ["Năm đăng ký", "Năm đánh giá", "Năm công nhận"],
};

const SUBMIT: ColumnSpec = {
  key: "submit",
  header: "Gửi bình xét",
  type: "yesno",
  required: false,
  help: "Ghi x để gửi phiếu tự đánh giá lên cấp trên bình xét (phải chấm đủ mọi tiêu chí); để trống thì chỉ lưu nháp.",
  example: "",
  aliases: ["Gửi duyệt", "Nộp bình xét"],
};

const YES_NO_CHOICES = [
  { value: "yes", label: "Đạt", aliases: ["x", "có", "1", "yes", "đ"] },
  { value: "no", label: "Không đạt", aliases: ["không", "chưa đạt", "0", "no", "kđ"] },
] as const;

const CRITERION_PREFIX = "tc:";

function criterionColumn(criterion: Criterion, maxPoints: number): ColumnSpec {
  const code = criterion.code;
  const base = {
    key: `${CRITERION_PREFIX}${code}`,
    header: `Tiêu chí ${code}`,
    required: false,
    aliases: [code, `TC ${code}`, `TC${code}`, `Tiêu chí ${code}.`, `${code}.`],
  };
  const text = criterion.text.length > 400 ? `${criterion.text.slice(0, 400)}…` : criterion.text;
  const mandatory = criterion.mandatory ? " Bắt buộc." : "";
  switch (criterion.input.kind) {
    case "points":
      return {
        ...base,
        type: "integer",
        min: 0,
        max: maxPoints,
        help: `${text} Chấm từ 0 đến ${criterion.maxPoints} điểm.${mandatory}`,
        example: criterion.maxPoints,
      };
    case "yes_no":
      return {
        ...base,
        type: "choice",
        choices: YES_NO_CHOICES,
        help: `${text} (${criterion.maxPoints} điểm nếu đạt).${mandatory}`,
        example: "Đạt",
      };
    case "count":
      return {
        ...base,
        type: "integer",
        min: 0,
        max: 10_000_000,
        help: `${text} Ghi số lượng${criterion.input.unit ? ` (${criterion.input.unit})` : ""}; điểm được quy đổi theo bộ tiêu chí.${mandatory}`,
        example: Math.max(...criterion.input.steps.map((s) => s.atLeast)),
      };
    case "percentage":
      return {
        ...base,
        type: "text",
        max: 20,
        help: `${text} Ghi tỷ lệ % từ 0 đến 100 (ví dụ 85 hoặc 85,5); điểm được quy đổi theo bộ tiêu chí.${mandatory}`,
        example: 100,
      };
  }
}

function modelSheet(model: Model, criteria: readonly ColumnSpec[]): SheetSpec {
  return { name: MODEL_LABELS_VI[model], columns: [...SUBJECT_COLUMNS[model], YEAR, ...criteria, SUBMIT] };
}

/** The sheets without criteria (what the kind lists before knowing the unit's frameworks). */
const BASE_SHEETS: readonly SheetSpec[] = MODELS.map((m) => modelSheet(m, []));

// ─── Context ────────────────────────────────────────────────────────────────────────────

interface Applicable {
  id: number;
  definition: FrameworkDefinition;
}

interface EvaluationsContext {
  principal: Principal;
  unit: OrgUnitRow;
  provinceId: number | null;
  sheets: SheetSpec[];
  modelOfSheet: Map<string, Model>;
  /** Current villages, clans and units of the commune, for the drop-downs. */
  lists: { village: string[]; clan: string[]; unit: string[] };
  /** Every village of the commune (past ones too) by name key (full, and without "Thôn"…) → ids. */
  villageByKey: Map<string, number[]>;
  /** `${model}|${year}` → the framework a new registration gets (null: none published). */
  applicable: Map<string, Applicable | null>;
  /** Framework id → definition (of existing evaluations). */
  frameworks: Map<number, FrameworkDefinition>;
  /** `${model}|${year}` → the subjects one may register in the commune, indexed. */
  subjects: Map<string, Subjects>;
  /** Household id → code and head's birth year; citizen id → birth year. */
  households: Map<number, { code: string | null; birthYear: number | null }> | null;
  citizens: Map<number, { birthYear: number | null }> | null;
  /** In-file keys (model, year, subject) → the row that had it first. */
  seen: Map<string, number>;
}

interface Subjects {
  list: SubjectRef[];
  /** Lower-cased name → subjects (households: `${village id}|${name}`). */
  byLower: Map<string, SubjectRef[]>;
  /** Folded name (no diacritics) → subjects (households: `${village id}|${folded}`). */
  byFolded: Map<string, SubjectRef[]>;
  /** Households: code → subjects. */
  byCode: Map<string, SubjectRef[]>;
}

function add<K>(map: Map<K, SubjectRef[]>, key: K, s: SubjectRef) {
  const list = map.get(key);
  if (list) list.push(s);
  else map.set(key, [s]);
}

interface Plan {
  model: Model;
  year: number;
  subject: SubjectRef;
  /** The evaluation already registered, when there is one. */
  existingId: number | null;
  /** The answers to save (stored ones merged with the row's), when scores are to be saved. */
  answers: Answers | null;
  submit: boolean;
}

const byVietnamese = (a: string, b: string) => vietnameseSortKey(a).localeCompare(vietnameseSortKey(b));

async function publishedFrameworks(tx: Transaction<DB>, provinceId: number | null) {
  const rows = await tx
    .selectFrom("criteria_frameworks")
    .select(["id", "definition", "effective_from_year"])
    .where("status", "=", "published")
    .where("citizen_group", "is", null)
    .where((eb) =>
      eb.or([
        eb("province_id", "is", null),
        ...(provinceId === null ? [] : [eb("province_id", "=", provinceId)]),
      ]),
    )
    .orderBy("effective_from_year", "desc")
    .orderBy("version", "desc")
    .execute();
  return rows.map((r) => ({ id: r.id, definition: FrameworkDefinition.parse(r.definition) }));
}

/**
 * A model's criteria columns: the typed criteria of the framework that applies this year first,
 * then any other code of the model's other published frameworks (a file for another year).
 */
function criteriaColumns(primary: FrameworkDefinition | null, others: FrameworkDefinition[]): ColumnSpec[] {
  const all = [...(primary ? [primary] : []), ...others];
  const maxOf = new Map<string, number>();
  for (const f of all)
    for (const c of f.groups.flatMap((g) => g.criteria))
      maxOf.set(c.code, Math.max(maxOf.get(c.code) ?? 0, c.maxPoints));
  const columns: ColumnSpec[] = [];
  const done = new Set<string>();
  for (const f of all) {
    for (const c of f.groups.flatMap((g) => g.criteria)) {
      if (c.derivedFrom || done.has(c.code)) continue;
      done.add(c.code);
      columns.push(criterionColumn(c, maxOf.get(c.code) ?? c.maxPoints));
    }
  }
  return columns;
}

// ─── The kind ───────────────────────────────────────────────────────────────────────────

export const evaluationsImport: ImportKind<EvaluationsContext> = {
  code: "evaluations",
  title: "Đăng ký và tự chấm điểm mô hình học tập",
  description:
    "Đăng ký danh hiệu mô hình học tập của một năm cho các hộ gia đình, dòng họ, thôn, đơn vị, xã và công dân học tập của xã (mỗi mô hình một trang, mỗi dòng một đối tượng), kèm điểm tự chấm theo bộ tiêu chí nếu có. Nhập lại cùng một tệp không tạo đăng ký trùng; ô điểm để trống giữ nguyên điểm đã có. Chỉ sửa được điểm khi đánh giá đang tự chấm hoặc bị cấp trên trả lại.",
  action: "evaluation.write",
  sheets: BASE_SHEETS,
  anySheet: true,

  unitProblem(unit) {
    if (unit.kind !== "commune") return "Chỉ nhập đăng ký mô hình học tập vào một xã/phường.";
    return null;
  },

  async prepare(tx, principal, unit) {
    authorize(principal, "evaluation.write", unit.path);
    const provinceId = unit.path.split("/").filter(Boolean).map(Number)[1] ?? null;
    const year = currentYear();
    const published = await publishedFrameworks(tx, provinceId);
    const sheets: SheetSpec[] = [];
    const modelOfSheet = new Map<string, Model>();
    for (const model of MODELS) {
      const primary = await applicableFramework(tx, model, year, provinceId);
      const others = published
        .filter((f) => f.definition.model === model && f.id !== primary?.id)
        .map((f) => f.definition);
      const sheet = modelSheet(model, criteriaColumns(primary?.definition ?? null, others));
      sheets.push(sheet);
      modelOfSheet.set(sheet.name, model);
    }
    const today = todayInVietnam();
    const below = await tx
      .selectFrom("org_units")
      .select(["id", "name", "kind", "valid_from", "valid_to"])
      .where("path", "like", `${unit.path}%`)
      .where("kind", "in", ["village", "agency", "school", "enterprise", "commune_body"])
      .execute();
    const current = below.filter((u) => isValidOn(u, today));
    const villageByKey = new Map<string, number[]>();
    for (const v of below.filter((u) => u.kind === "village")) {
      for (const key of villageKeys(v.name))
        villageByKey.set(key, [...(villageByKey.get(key) ?? []), Number(v.id)]);
    }
    const clans = await tx
      .selectFrom("clans")
      .select("name")
      .where("commune_id", "=", unit.id)
      .where("active", "=", true)
      .execute();
    return {
      principal,
      unit,
      provinceId,
      sheets,
      modelOfSheet,
      lists: {
        village: current
          .filter((u) => u.kind === "village")
          .map((u) => u.name)
          .sort(byVietnamese),
        clan: clans.map((c) => c.name).sort(byVietnamese),
        unit: current
          .filter((u) => u.kind !== "village")
          .map((u) => u.name)
          .sort(byVietnamese),
      },
      villageByKey,
      applicable: new Map(),
      frameworks: new Map(),
      subjects: new Map(),
      households: null,
      citizens: null,
      seen: new Map(),
    };
  },

  sheetsFor(ctx) {
    return ctx.sheets;
  },

  choices(ctx) {
    return { ...ctx.lists, commune: [ctx.unit.name] };
  },

  async check(tx, ctx, sheet, rows) {
    const model = ctx.modelOfSheet.get(sheet);
    if (!model) return;
    await checkRows(tx, ctx, model, rows);
  },

  async apply(tx, ctx, sheet, rows, audit) {
    const model = ctx.modelOfSheet.get(sheet);
    if (!model) return;
    const plans = rows.map((r) => r.plan as Plan);
    // Registrations first, per year, through the service (counters and its audit entry).
    const years = [...new Set(plans.filter((p) => p.existingId === null).map((p) => p.year))];
    for (const year of years) {
      const fresh = plans.filter((p) => p.existingId === null && p.year === year);
      await registerIn(tx, ctx.principal, { model, year, subjectIds: fresh.map((p) => p.subject.id) }, audit);
      const withScores = fresh.filter((p) => p.answers !== null);
      if (withScores.length === 0) continue;
      const created = await tx
        .selectFrom("evaluations")
        .select(["id", "subject_id"])
        .where("model", "=", model)
        .where("year", "=", year)
        .where("subject_kind", "=", MODEL_SUBJECT[model])
        .where(
          "subject_id",
          "in",
          withScores.map((p) => p.subject.id),
        )
        .execute();
      const idOf = new Map(created.map((c) => [Number(c.subject_id), Number(c.id)]));
      for (const p of withScores) p.existingId = idOf.get(p.subject.id) ?? null;
    }
    // Then the scores, one evaluation at a time through the self-assessment path.
    for (const p of plans) {
      if (p.answers === null || p.existingId === null) continue;
      await saveAnswersIn(tx, ctx.principal, p.existingId, { answers: p.answers, submit: p.submit }, audit);
    }
  },
};

// ─── Check ──────────────────────────────────────────────────────────────────────────────

async function applicableFor(tx: Transaction<DB>, ctx: EvaluationsContext, model: Model, year: number) {
  const key = `${model}|${year}`;
  if (!ctx.applicable.has(key)) {
    ctx.applicable.set(key, await applicableFramework(tx, model, year, ctx.provinceId));
  }
  return ctx.applicable.get(key) ?? null;
}

async function frameworkById(tx: Transaction<DB>, ctx: EvaluationsContext, id: number) {
  let f = ctx.frameworks.get(id);
  if (!f) {
    f = (await frameworkOf(tx, id)).definition;
    ctx.frameworks.set(id, f);
  }
  return f;
}

async function subjectsFor(
  tx: Transaction<DB>,
  ctx: EvaluationsContext,
  model: Model,
  year: number,
): Promise<Subjects> {
  const key = `${model}|${year}`;
  const cached = ctx.subjects.get(key);
  if (cached) return cached;
  const list = await findSubjects(tx, model, year, { withinPath: ctx.unit.path });
  const kind = MODEL_SUBJECT[model];
  if (kind === "household" && ctx.households === null) {
    const rows = await tx
      .selectFrom("households as h")
      .innerJoin("org_units as u", "u.id", "h.village_id")
      .leftJoin("household_members as m", (j) =>
        j.onRef("m.household_id", "=", "h.id").on("m.is_head", "=", true),
      )
      .select(["h.id", "h.code", "m.birth_year"])
      .where("h.active", "=", true)
      .where("u.path", "like", `${ctx.unit.path}%`)
      .execute();
    ctx.households = new Map(rows.map((r) => [Number(r.id), { code: r.code, birthYear: r.birth_year }]));
  }
  if (kind === "citizen" && ctx.citizens === null) {
    const rows = await tx
      .selectFrom("citizens as c")
      .innerJoin("org_units as u", "u.id", "c.org_unit_id")
      .select(["c.id", "c.birth_year"])
      .where("u.path", "like", `${ctx.unit.path}%`)
      .execute();
    ctx.citizens = new Map(rows.map((r) => [Number(r.id), { birthYear: r.birth_year }]));
  }
  const subjects: Subjects = { list, byLower: new Map(), byFolded: new Map(), byCode: new Map() };
  const prefix = (s: SubjectRef) => (kind === "household" ? `${s.unitId}|` : "");
  for (const s of list) {
    add(subjects.byLower, prefix(s) + lowerCase(s.name), s);
    add(subjects.byFolded, prefix(s) + foldForSearch(s.name), s);
    const code = kind === "household" ? ctx.households?.get(s.id)?.code : null;
    if (code) add(subjects.byCode, code, s);
  }
  ctx.subjects.set(key, subjects);
  return subjects;
}

const text = (v: unknown) => (typeof v === "string" ? v : null);
const int = (v: unknown) => (typeof v === "number" ? v : null);

/** The one subject of `found`, or the row's problem. */
function one(
  row: ImportRow,
  column: string,
  found: SubjectRef[],
  notFound: string,
  many: string,
): SubjectRef | null {
  if (found.length === 1) return found[0] as SubjectRef;
  row.problems.push({ column, message: found.length === 0 ? notFound : many });
  return null;
}

/**
 * Exact (any case) matches first, else matches after folding (no diacritics), or by `keys`
 * (a village's name without "Thôn"…; the lists so searched are short).
 */
function byName(subjects: Subjects, name: string, keys?: (n: string) => string[]) {
  const exact = subjects.byLower.get(lowerCase(name)) ?? [];
  if (exact.length > 0) return exact;
  if (!keys) return subjects.byFolded.get(foldForSearch(name)) ?? [];
  const wanted = new Set(keys(name));
  return subjects.list.filter((s) => keys(s.name).some((k) => wanted.has(k)));
}

const COMMUNE_PREFIX = /^(xa|phuong|thi tran|dac khu)\s+/u;
const communeKeys = (name: string) => {
  const folded = foldForSearch(name);
  const bare = folded.replace(COMMUNE_PREFIX, "");
  return bare === folded ? [folded] : [folded, bare];
};

function resolveSubject(
  ctx: EvaluationsContext,
  model: Model,
  year: number,
  subjects: Subjects,
  row: ImportRow,
): SubjectRef | null {
  const list = subjects.list;
  const v = row.values;
  const unitName = ctx.unit.name;
  switch (MODEL_SUBJECT[model]) {
    case "household": {
      const households = ctx.households ?? new Map();
      const code = text(v.code);
      const name = text(v.headName) ?? "";
      if (code !== null) {
        const found = subjects.byCode.get(code) ?? [];
        const h = one(
          row,
          "code",
          found,
          `Không có hộ mã “${code}” trong sổ hộ gia đình của ${unitName}.`,
          `Có ${found.length} hộ cùng mã “${code}”: hãy ghi thôn, họ tên và năm sinh chủ hộ thay cho mã.`,
        );
        if (h && lowerCase(h.name) !== lowerCase(name)) {
          row.problems.push({
            column: "headName",
            message: `Hộ mã “${code}” có chủ hộ là ${h.name}, không phải “${name}”.`,
          });
          return null;
        }
        return h;
      }
      const villageName = text(v.village);
      const birthYear = int(v.headBirthYear);
      if (villageName === null || birthYear === null) {
        row.problems.push({
          column: villageName === null ? "village" : "headBirthYear",
          message: "Không có mã hộ: cần ghi thôn/tổ dân phố, họ tên và năm sinh chủ hộ để tìm hộ trong sổ.",
        });
        return null;
      }
      const villageIds = villageKeys(villageName).flatMap((k) => ctx.villageByKey.get(k) ?? []);
      if (villageIds.length === 0) {
        row.problems.push({
          column: "village",
          message: `Không có thôn/tổ dân phố “${villageName}” trong ${unitName}.`,
        });
        return null;
      }
      const within = (index: Map<string, SubjectRef[]>, key: string) => [
        ...new Set(villageIds.flatMap((id) => index.get(`${id}|${key}`) ?? [])),
      ];
      const found = within(subjects.byLower, lowerCase(name)).filter(
        (s) => households.get(s.id)?.birthYear === birthYear,
      );
      if (found.length === 0) {
        const alike = within(subjects.byFolded, foldForSearch(name));
        const hint = alike
          .slice(0, 3)
          .map(
            (s) =>
              `${s.name}${households.get(s.id)?.birthYear ? ` (sinh ${households.get(s.id)?.birthYear})` : ""}`,
          )
          .join(", ");
        row.problems.push({
          column: "headName",
          message: `Không tìm thấy hộ ${name} (chủ hộ sinh ${birthYear}) ở ${villageName} trong sổ hộ gia đình: hãy nhập hộ trước (mẫu “Hộ gia đình”)${hint ? `. Có hộ gần giống: ${hint}` : ""}.`,
        });
        return null;
      }
      return one(
        row,
        "headName",
        found,
        "",
        `Có ${found.length} hộ cùng thôn, họ tên và năm sinh chủ hộ: hãy ghi mã hộ.`,
      );
    }
    case "clan": {
      const name = String(v.clan);
      const found = byName(subjects, name);
      return one(
        row,
        "clan",
        found,
        `Không có dòng họ “${name}” trong sổ dòng họ của ${unitName}.`,
        `Có ${found.length} dòng họ tên gần giống “${name}”: hãy ghi đúng tên như trong sổ.`,
      );
    }
    case "village": {
      const name = String(v.village);
      const found = byName(subjects, name, villageKeys);
      return one(
        row,
        "village",
        found,
        `Không có thôn/tổ dân phố “${name}” trong ${unitName} (năm ${year}).`,
        `Có ${found.length} thôn trùng tên “${name}”: hãy ghi đầy đủ tên thôn.`,
      );
    }
    case "unit": {
      const name = String(v.unit);
      const found = byName(subjects, name);
      return one(
        row,
        "unit",
        found,
        `Không có đơn vị “${name}” (cơ quan, trường học, doanh nghiệp) trong ${unitName} (năm ${year}).`,
        `Có ${found.length} đơn vị trùng tên “${name}”: hãy ghi đầy đủ tên.`,
      );
    }
    case "commune": {
      const name = String(v.commune);
      const found = list.filter(
        (s) =>
          s.id === ctx.unit.id &&
          (name === ctx.unit.code || communeKeys(s.name).some((k) => communeKeys(name).includes(k))),
      );
      if (found.length === 0 && list.every((s) => s.id !== ctx.unit.id)) {
        row.problems.push({ column: "year", message: `${unitName} không tồn tại trong năm ${year}.` });
        return null;
      }
      return one(row, "commune", found, `Tệp này nhập vào ${unitName}, không phải “${name}”.`, "");
    }
    case "citizen": {
      const citizens = ctx.citizens ?? new Map();
      const name = String(v.fullName);
      const birthYear = int(v.birthYear);
      let found = subjects.byLower.get(lowerCase(name)) ?? [];
      if (birthYear !== null) found = found.filter((s) => citizens.get(s.id)?.birthYear === birthYear);
      return one(
        row,
        "fullName",
        found,
        `Không có công dân học tập ${name}${birthYear ? ` (sinh ${birthYear})` : ""} đã được xác nhận trong ${unitName}.`,
        `Có ${found.length} công dân cùng họ tên “${name}”: hãy ghi năm sinh.`,
      );
    }
  }
}

/** The row's scores as answers (criterion code → value); empty cells are left out. */
function rowAnswers(row: ImportRow): Answers {
  const answers: Answers = {};
  for (const [key, value] of Object.entries(row.values)) {
    if (!key.startsWith(CRITERION_PREFIX) || value === null) continue;
    const code = key.slice(CRITERION_PREFIX.length);
    if (value === "yes" || value === "no") answers[code] = value === "yes";
    else if (typeof value === "number") answers[code] = value;
    else if (typeof value === "string") {
      const parsed = parseVietnameseNumber(value.replace(/\s*%$/u, ""));
      if (!parsed.ok) row.problems.push({ column: key, message: parsed.message });
      else if (parsed.value !== null) answers[code] = parsed.value;
    }
  }
  return answers;
}

/** The service's field errors (`answers.<code>`) beside the criteria's columns. */
function answerProblemsToColumns(problems: { field: string; message: string }[]): CellProblem[] {
  return problems.map((p) =>
    p.field.startsWith("answers.")
      ? { column: `${CRITERION_PREFIX}${p.field.slice("answers.".length)}`, message: p.message }
      : { column: "", message: p.message },
  );
}

async function checkRows(tx: Transaction<DB>, ctx: EvaluationsContext, model: Model, rows: ImportRow[]) {
  const kind = MODEL_SUBJECT[model];
  const resolved: { row: ImportRow; year: number; subject: SubjectRef; answers: Answers }[] = [];
  for (const row of rows) {
    const year = Number(row.values.year);
    const answers = rowAnswers(row);
    const tooLate = yearProblem(year);
    if (tooLate) {
      row.problems.push({ column: "year", message: tooLate });
      continue;
    }
    const list = await subjectsFor(tx, ctx, model, year);
    const subject = resolveSubject(ctx, model, year, list, row);
    if (!subject || row.problems.length > 0) continue;
    const key = `${year}|${subject.id}`;
    const first = ctx.seen.get(`${model}|${key}`);
    if (first !== undefined) {
      row.problems.push({
        column: NAME_COLUMN[model],
        message: `${subject.name} đã có ở dòng ${first} của trang này (cùng năm ${year}).`,
      });
      continue;
    }
    ctx.seen.set(`${model}|${key}`, row.number);
    resolved.push({ row, year, subject, answers });
  }
  if (resolved.length === 0) return;

  const existing = await tx
    .selectFrom("evaluations")
    .select(["id", "year", "subject_id", "status", "answers", "framework_id"])
    .where("model", "=", model)
    .where("subject_kind", "=", kind)
    .where("year", "in", [...new Set(resolved.map((r) => r.year))])
    .where("subject_id", "in", [...new Set(resolved.map((r) => r.subject.id))])
    .execute();
  const existingOf = new Map(existing.map((e) => [`${e.year}|${e.subject_id}`, e]));

  for (const { row, year, subject, answers } of resolved) {
    const submit = row.values.submit === true;
    const scores = Object.keys(answers).length > 0 || submit;
    const found = existingOf.get(`${year}|${subject.id}`);
    const plan: Plan = {
      model,
      year,
      subject,
      existingId: found ? Number(found.id) : null,
      answers: null,
      submit,
    };
    row.plan = plan;
    let status: EvaluationStatus = "registered";
    let stored: Answers = {};
    let framework: FrameworkDefinition;
    if (found) {
      status = found.status as EvaluationStatus;
      stored = (found.answers ?? {}) as Answers;
      framework = await frameworkById(tx, ctx, Number(found.framework_id));
    } else {
      const applicable = await applicableFor(tx, ctx, model, year);
      if (!applicable) {
        row.problems.push({ column: "year", message: noFrameworkMessage(model, year) });
        continue;
      }
      framework = applicable.definition;
    }
    const merged = { ...stored, ...answers };
    const nothingToDo = !scores || (sameAnswers(merged, stored) && (!submit || SELF_ASSESSED.has(status)));
    if (found && nothingToDo) {
      row.outcome = "unchanged";
      continue;
    }
    if (scores) {
      const result = await planAnswers(
        tx,
        { status, answers: stored, framework, subjectKind: kind, subjectId: subject.id, year },
        { answers: merged, submit },
      );
      if (result.kind === "invalid") {
        row.problems.push(...answerProblemsToColumns(result.problems));
        continue;
      }
      if (result.kind === "refused") {
        row.problems.push({
          column: result.code === "derived_unknown" ? "submit" : "",
          message: result.message,
        });
        continue;
      }
      if (result.kind === "noop") {
        row.outcome = found ? "unchanged" : "new";
        continue;
      }
      plan.answers = merged;
    }
    row.outcome = found ? "update" : "new";
  }
}
