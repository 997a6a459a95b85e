/**
 * Importing a community learning centre's activities (lớp học, chuyên đề của TTHTCĐ) from the
 * officer's Excel list, into a commune (its centre: the unit of kind `learning_centre` under it)
 * or into the centre itself.
 *
 * One row per activity, with the fields of the centre's own form (ActivityBody): kind, title,
 * category, dates, sessions, participants, women, ethnic-minority participants, partner, place.
 * The category is one of the active rows of `centre_categories` (the ten of seed 004, as data),
 * named by its printed label (with or without “Chuyên đề”), its number in the official table
 * (1–10) or its code.
 *
 * Natural key: (centre, start date, category, title folded — case and diacritics aside). A row
 * whose key an activity of the centre already has is that activity: unchanged when every field is
 * equal, otherwise a correction through the service's own correct path (`updateActivityIn`: the
 * counters move by after − before, audited as `centre.activity.update`). A blank optional cell
 * (partner, place, ethnic-minority participants) keeps what the activity has. A new row is created
 * through `createActivityIn` (counters and `centre.activity.create` audit, as from the form). Two
 * rows of the file with the same key are an error on the second. Every row goes through the
 * service's Zod schema and the domain's activity checks; their messages land on the row's
 * columns.
 */
import { sql, type Transaction } from "kysely";
import type { z } from "zod";
import type { Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import type { SheetSpec } from "../../domain/import/columns.ts";
import { foldForSearch } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { ActivityBody } from "../centres/schemas.ts";
import { createActivitiesIn, updateActivityIn } from "../centres/service.ts";
import type { ImportKind, ImportRow } from "./kind.ts";

export const ACTIVITY_SHEET: SheetSpec = {
  name: "Hoạt động",
  columns: [
    {
      key: "kind",
      header: "Loại",
      type: "choice",
      choices: [
        { value: "class", label: "Lớp học", aliases: ["Lớp", "Lớp tập huấn", "Lớp học nghề", "class"] },
        {
          value: "talk",
          label: "Chuyên đề",
          aliases: [
            "Chuyên đề, buổi nói chuyện",
            "Buổi nói chuyện",
            "Nói chuyện",
            "Chuyên đề/nói chuyện",
            "talk",
          ],
        },
      ],
      required: true,
      help: "Lớp học, hoặc Chuyên đề (buổi nói chuyện, tuyên truyền).",
      example: "Chuyên đề",
      aliases: ["Loại hoạt động", "Hình thức", "Lớp/Chuyên đề"],
    },
    {
      key: "title",
      header: "Tên hoạt động",
      type: "text",
      max: 300,
      required: true,
      help: "Tên lớp hoặc nội dung chuyên đề.",
      example: "Tuyên truyền Luật Giao thông đường bộ",
      aliases: [
        "Nội dung",
        "Tên lớp",
        "Tên chuyên đề",
        "Nội dung/Tên lớp",
        "Tên lớp/Chuyên đề",
        "Tên lớp/Nội dung",
        "Nội dung hoạt động",
        "Nội dung chuyên đề",
      ],
    },
    {
      key: "category",
      header: "Lĩnh vực",
      type: "lookup",
      max: 200,
      required: true,
      help: "Một trong mười lĩnh vực của bảng “Kết quả đạt được cụ thể” (chọn trong danh sách), hoặc số thứ tự của lĩnh vực (1–10).",
      example: "Chuyên đề Giáo dục pháp luật",
      aliases: ["Phân loại", "Lĩnh vực/Phân loại", "Nhóm lĩnh vực", "Loại chương trình"],
    },
    {
      key: "startDate",
      header: "Ngày bắt đầu",
      type: "date",
      required: true,
      help: "Ngày khai giảng lớp hoặc ngày tổ chức chuyên đề; hoạt động được tính vào năm và năm học của ngày này.",
      example: "07/10/2024",
      aliases: ["Ngày", "Ngày tổ chức", "Từ ngày", "Ngày khai giảng", "Ngày mở lớp"],
    },
    {
      key: "endDate",
      header: "Ngày kết thúc",
      type: "date",
      required: false,
      help: "Để trống nếu hoạt động diễn ra trong một ngày (lấy bằng ngày bắt đầu).",
      example: "07/10/2024",
      aliases: ["Đến ngày", "Ngày bế giảng"],
    },
    {
      key: "sessions",
      header: "Số buổi",
      type: "integer",
      min: 1,
      max: 10_000,
      required: true,
      help: "Số buổi học hoặc buổi nói chuyện (từ 1).",
      example: 1,
      aliases: ["Số buổi học", "Số buổi tổ chức"],
    },
    {
      key: "participants",
      header: "Tổng số người tham gia",
      type: "integer",
      min: 0,
      max: 10_000_000,
      required: true,
      help: "Số người (lượt người) tham gia.",
      example: 120,
      aliases: [
        "Số người tham gia",
        "Số người",
        "Số học viên",
        "Số lượt người",
        "Số lượt người tham gia",
        "Tổng số",
      ],
    },
    {
      key: "female",
      header: "Trong đó nữ",
      type: "integer",
      min: 0,
      max: 10_000_000,
      required: true,
      help: "Số nữ trong số người tham gia.",
      example: 60,
      aliases: ["Số nữ", "Nữ", "Trong đó: nữ"],
    },
    {
      key: "minority",
      header: "Người dân tộc thiểu số",
      type: "integer",
      min: 0,
      max: 10_000_000,
      required: false,
      help: "Số người dân tộc thiểu số trong số người tham gia (nếu có).",
      example: 30,
      aliases: ["Số người dân tộc thiểu số", "Dân tộc thiểu số", "DTTS", "Số người DTTS"],
    },
    {
      key: "partner",
      header: "Đơn vị phối hợp",
      type: "text",
      max: 300,
      required: false,
      help: "Ví dụ: Hội Phụ nữ xã, Trạm Y tế, Trường THCS.",
      example: "Công an xã",
      aliases: ["Phối hợp", "Cơ quan phối hợp"],
    },
    {
      key: "place",
      header: "Địa điểm",
      type: "text",
      max: 300,
      required: false,
      help: "Nơi tổ chức.",
      example: "Nhà văn hóa thôn Đồng Tâm",
      aliases: ["Nơi tổ chức", "Địa điểm tổ chức"],
    },
  ],
};

type ActivityInput = z.infer<typeof ActivityBody>;

interface Category {
  code: string;
  position: number;
  label: string;
}

interface ActivitiesContext {
  principal: Principal;
  centre: { id: number; name: string; path: string };
  categories: Category[];
  /** Folded label, label without “Chuyên đề”, position and code → category code. */
  categoryByName: Map<string, string>;
  /** In-file keys already seen → the row that had it first. */
  seen: Map<string, number>;
}

interface ActivityPlan {
  input: ActivityInput;
  existingId?: number;
}

const TALK_PREFIX = /^chuyen de\s+/u;

function categoryKeys(c: Category): string[] {
  const folded = foldForSearch(c.label);
  return [folded, folded.replace(TALK_PREFIX, ""), String(c.position), foldForSearch(c.code)];
}

/** The centre an import into `unit` writes to: the unit itself, or the commune's centre. */
async function centreOf(tx: Transaction<DB>, unit: OrgUnitRow) {
  if (unit.kind === "learning_centre") return { id: unit.id, name: unit.name, path: unit.path };
  const centres = await tx
    .selectFrom("org_units")
    .select(["id", "name", "path", "valid_to"])
    .where("parent_id", "=", unit.id)
    .where("kind", "=", "learning_centre")
    .orderBy("id")
    .execute();
  const current = centres.filter((c) => c.valid_to === null);
  const centre = current.length === 1 ? current[0] : centres.length === 1 ? centres[0] : undefined;
  if (!centre) {
    throw problems.validation([
      {
        field: "orgUnitId",
        message:
          centres.length === 0
            ? `${unit.name} chưa có trung tâm học tập cộng đồng: hãy tạo trung tâm trước khi nhập hoạt động.`
            : `${unit.name} có nhiều trung tâm học tập cộng đồng: hãy chọn trung tâm để nhập.`,
      },
    ]);
  }
  return { id: Number(centre.id), name: centre.name, path: centre.path };
}

interface ExistingActivity {
  id: number;
  kind: string;
  title: string;
  search_key: string;
  category: string;
  start_date: string;
  end_date: string;
  sessions: number;
  participants: number;
  female: number;
  minority: number | null;
  partner: string | null;
  place: string | null;
}

const keyOf = (startDate: string, category: string, folded: string) => `${startDate}|${category}|${folded}`;

export const centreActivitiesImport: ImportKind<ActivitiesContext> = {
  code: "centre-activities",
  title: "Lớp học, chuyên đề của TTHTCĐ",
  description:
    "Các lớp học và chuyên đề của trung tâm học tập cộng đồng (mỗi dòng một hoạt động), nhập vào xã/phường (trung tâm của xã) hoặc vào trung tâm. Nhập lại cùng một tệp không tạo hoạt động trùng: hoạt động được nhận ra theo ngày bắt đầu + lĩnh vực + tên; dòng có số liệu khác thì sửa hoạt động đã có và số liệu tổng hợp được tính lại.",
  action: "centre.write",
  sheets: [ACTIVITY_SHEET],

  unitProblem(unit) {
    if (unit.kind !== "commune" && unit.kind !== "learning_centre")
      return "Chỉ nhập hoạt động vào một xã/phường hoặc một trung tâm học tập cộng đồng.";
    return null;
  },

  async prepare(tx, principal, unit) {
    const centre = await centreOf(tx, unit);
    authorize(principal, "centre.write", centre.path);
    const categories = (
      await tx
        .selectFrom("centre_categories")
        .select(["code", "position", "label"])
        .where("retired_in", "is", null)
        .orderBy("version")
        .orderBy("position")
        .execute()
    ).map((c) => ({ code: c.code, position: c.position, label: c.label }));
    const categoryByName = new Map<string, string>();
    for (const c of categories) for (const k of categoryKeys(c)) categoryByName.set(k, c.code);
    return { principal, centre, categories, categoryByName, seen: new Map() };
  },

  choices(ctx) {
    return { category: ctx.categories.map((c) => c.label) };
  },

  async check(tx, ctx, _sheet, rows) {
    // The category, and the row's values as the form would send them.
    const inputs = new Map<ImportRow, Record<string, unknown>>();
    for (const row of rows) {
      const v = row.values;
      const name = String(v.category ?? "");
      const category = ctx.categoryByName.get(foldForSearch(name));
      if (!category) {
        row.problems.push({
          column: "category",
          message: `Không có lĩnh vực “${name}” trong danh mục: chọn trong danh sách hoặc ghi số thứ tự 1–${ctx.categories.length}.`,
        });
        continue;
      }
      inputs.set(row, {
        kind: v.kind,
        title: v.title,
        category,
        startDate: v.startDate,
        endDate: v.endDate ?? v.startDate,
        sessions: v.sessions,
        participants: v.participants,
        female: v.female,
        minority: v.minority,
        partner: v.partner,
        place: v.place,
      });
    }
    // The activities of the centre with the same keys.
    const keyed = [...inputs.values()];
    const found =
      keyed.length === 0
        ? []
        : (
            await sql<ExistingActivity>`
              select a.id, a.kind, a.title, a.search_key, a.category, a.start_date, a.end_date, a.sessions,
                     a.participants, a.female, a.minority, a.partner, a.place
              from centre_activities a
              join unnest(${keyed.map((i) => i.startDate)}::date[], ${keyed.map((i) => i.category)}::text[],
                          ${keyed.map((i) => foldForSearch(String(i.title)))}::text[]) as k(start_date, category, search_key)
                on a.start_date = k.start_date and a.category = k.category and a.search_key = k.search_key
              where a.org_unit_id = ${ctx.centre.id}
              order by a.id`.execute(tx)
          ).rows;
    const existing = new Map<string, ExistingActivity[]>();
    for (const a of found) {
      const key = keyOf(a.start_date, a.category, a.search_key);
      existing.set(key, [...(existing.get(key) ?? []), { ...a, id: Number(a.id) }]);
    }

    for (const [row, raw] of inputs) {
      const key = keyOf(String(raw.startDate), String(raw.category), foldForSearch(String(raw.title)));
      const first = ctx.seen.get(key);
      if (first !== undefined) {
        row.problems.push({
          column: "title",
          message: `Trùng với hoạt động ở dòng ${first} của tệp (cùng ngày bắt đầu, lĩnh vực và tên).`,
        });
        continue;
      }
      ctx.seen.set(key, row.number);
      const matches = existing.get(key) ?? [];
      if (matches.length > 1) {
        row.problems.push({
          column: "title",
          message: `Trung tâm đã có ${matches.length} hoạt động cùng ngày bắt đầu, lĩnh vực và tên này: hãy sửa trực tiếp trong ứng dụng.`,
        });
        continue;
      }
      const match = matches[0];
      // A blank optional cell keeps what the activity has.
      if (match) {
        raw.minority ??= match.minority;
        raw.partner ??= match.partner;
        raw.place ??= match.place;
      }
      const parsed = ActivityBody.safeParse(raw);
      if (!parsed.success) {
        const seenMessages = new Set<string>();
        for (const issue of parsed.error.issues) {
          const field = typeof issue.path[0] === "string" ? issue.path[0] : "";
          const column = ACTIVITY_SHEET.columns.some((c) => c.key === field) ? field : "";
          const text = `${column}|${issue.message}`;
          if (seenMessages.has(text)) continue;
          seenMessages.add(text);
          row.problems.push({ column, message: issue.message });
        }
        continue;
      }
      const input = parsed.data;
      if (!match) {
        row.outcome = "new";
        row.plan = { input } satisfies ActivityPlan;
        continue;
      }
      const same =
        match.kind === input.kind &&
        match.title === input.title &&
        match.end_date === input.endDate &&
        match.sessions === input.sessions &&
        match.participants === input.participants &&
        match.female === input.female &&
        match.minority === (input.minority ?? null) &&
        match.partner === input.partner &&
        match.place === input.place;
      row.outcome = same ? "unchanged" : "update";
      row.plan = { input, existingId: match.id } satisfies ActivityPlan;
    }
  },

  async apply(tx, ctx, _sheet, rows, audit) {
    const created: ActivityInput[] = [];
    for (const row of rows) {
      const plan = row.plan as ActivityPlan;
      if (row.outcome === "update" && plan.existingId !== undefined) {
        await updateActivityIn(tx, ctx.principal, plan.existingId, plan.input, audit);
      } else if (row.outcome === "new" || row.outcome === "suspected") {
        created.push(plan.input);
      }
    }
    await createActivitiesIn(tx, ctx.principal, ctx.centre.id, created, audit);
  },
};
