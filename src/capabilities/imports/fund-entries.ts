/**
 * Importing receipts and disbursements of a study promotion fund (thu, chi quỹ khuyến học) from
 * the officer's Excel cash book, into the funds of one unit.
 *
 * Which fund: the import is made into an org unit (the template and check endpoints take its
 * `orgUnitId`, like every kind). A row goes to the unit's general fund (quỹ khuyến học chung)
 * unless its "Quỹ" cell names one of the unit's funds (a named fund such as a scholarship fund):
 * one cash book usually covers the unit's general fund, and a unit that keeps named funds lists
 * them in the same file, so the column chooses per row and the template offers the unit's funds
 * as a drop-down. Funds of other units are never written: each unit posts to its own books.
 *
 * Every row is posted through the fund service's own path (`postReceiptIn`,
 * `postDisbursementIn`): the same schema (ReceiptBody, DisbursementBody), the date rules (not in
 * the future, not before the fund's start, not in a closed year — with the service's message),
 * the balance never below zero, the roll-up (`fund_stats`) and the audit entry of each posting.
 * Amounts are parsed by the fund's own `parseMoneyInput` ("1.500.000" = 1 500 000 đồng exactly,
 * "1,5" refused). A disbursement's "Người nhận" is its one named recipient (a line of its private
 * recipient list, never the public description); a disbursement to several people leaves it
 * blank and gives "Số người nhận".
 *
 * The ledger is append-only, so nothing is ever updated. Natural key: with a voucher number,
 * (fund, fiscal year, Thu/Chi, voucher) — receipt and payment vouchers are numbered apart and
 * restart each year; without one, (fund, date, Thu/Chi, amount, name folded). A row whose
 * posting is already in the ledger is "unchanged"; the same voucher with another amount (or date,
 * source, purpose, name) is an error telling the officer to reverse the posting in the app. A row
 * that matches only a reversed posting, or (without a voucher) a posting of the same day and name
 * with another amount, is a suspected duplicate, imported only when the officer says so.
 * The unit's funds are locked (the service's own lock) from the start of a commit, so two imports
 * or an import and a posting in the app cannot post the same row twice.
 */
import { sql } from "kysely";
import type { z } from "zod";
import type { Principal } from "../../authz/policy.ts";
import type { OrgUnitRow } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatMoney } from "../../domain/format.ts";
import {
  checkPostingDate,
  DONOR_TYPE_LABELS_VI,
  DONOR_TYPES,
  type DonorType,
  type FundCalendar,
  PURPOSE_LABELS_VI,
  PURPOSES,
  type Purpose,
} from "../../domain/fund/ledger.ts";
import { type MoneyInputProblem, parseMoneyInput } from "../../domain/fund/money.ts";
import type { SheetSpec } from "../../domain/import/columns.ts";
import { foldForSearch } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { DisbursementBody, ReceiptBody } from "../fund/schemas.ts";
import {
  balanceOf,
  calendarOf,
  disbursementProblems,
  type FundRow,
  insufficientBalanceMessage,
  loadFund,
  lockFunds,
  postDisbursementIn,
  postReceiptIn,
} from "../fund/service.ts";
import type { ImportKind, ImportRow } from "./kind.ts";

const DONOR_ALIASES: Record<DonorType, string[]> = {
  business: ["DN", "Công ty", "Doanh nghiệp đóng góp"],
  individual: ["Cá nhân", "Nhà hảo tâm", "Cá nhân/nhà hảo tâm"],
  member: ["Hội viên", "Hội viên đóng góp quỹ"],
  budget: ["Ngân sách", "NSNN", "Ngân sách hỗ trợ"],
  organisation: ["Tổ chức", "Đoàn thể", "Tổ chức, đoàn thể"],
  other: ["Khác", "Thu khác"],
};

const PURPOSE_ALIASES: Record<Purpose, string[]> = {
  scholarship: ["Chi học bổng", "Cấp học bổng"],
  award_pupil: ["Khen thưởng HS", "Thưởng học sinh"],
  award_teacher: ["Khen thưởng GV", "Thưởng giáo viên"],
  sponsorship: ["Đỡ đầu", "Nhận đỡ đầu học sinh"],
  support: ["Chi hỗ trợ", "Hỗ trợ học sinh"],
  operating: ["Hoạt động", "Chi phí hoạt động"],
  other: ["Khác"],
};

const MONEY_MESSAGES: Record<MoneyInputProblem, string> = {
  empty: "Nhập số tiền.",
  invalid: "Số tiền chỉ gồm chữ số, có thể tách nhóm bằng dấu chấm (ví dụ 2.364.000.000).",
  decimal: "Số tiền là số nguyên đồng, không có phần thập phân. Dùng dấu chấm để tách nhóm: 1.500.000.",
  zero: "Số tiền phải lớn hơn 0 đồng.",
  negative: "Số tiền không được âm. Muốn sửa một khoản đã ghi, hãy đảo bút toán đó trong ứng dụng.",
  too_large: "Số tiền quá lớn cho một bút toán.",
};

export const FUND_ENTRY_SHEET: SheetSpec = {
  name: "Thu chi",
  columns: [
    {
      key: "fund",
      header: "Quỹ",
      type: "lookup",
      max: 200,
      required: false,
      help: "Để trống: quỹ khuyến học chung của đơn vị. Ghi tên quỹ (chọn trong danh sách) nếu khoản thu, chi thuộc một quỹ mang tên riêng của đơn vị.",
      example: "",
      aliases: ["Tên quỹ"],
    },
    {
      key: "date",
      header: "Ngày",
      type: "date",
      required: true,
      help: "Ngày thu, chi (ngày của chứng từ). Không ghi vào năm đã khóa sổ, không ghi ngày sau hôm nay.",
      example: "02/10/2024",
      aliases: ["Ngày chứng từ", "Ngày thu/chi", "Ngày ghi sổ", "Ngày tháng"],
    },
    {
      key: "kind",
      header: "Loại",
      type: "choice",
      choices: [
        { value: "receipt", label: "Thu", aliases: ["Khoản thu", "Phiếu thu", "Thu quỹ"] },
        { value: "disbursement", label: "Chi", aliases: ["Khoản chi", "Phiếu chi", "Chi quỹ"] },
      ],
      required: true,
      help: "Thu hoặc Chi.",
      example: "Thu",
      aliases: ["Thu/Chi", "Loại thu chi", "Thu hay chi"],
    },
    {
      key: "documentRef",
      header: "Số chứng từ",
      type: "text",
      max: 100,
      required: false,
      help: "Số phiếu thu, phiếu chi hoặc quyết định (nếu có). Có số chứng từ thì nhập lại tệp nhận ra đúng khoản đã ghi.",
      example: "PT01/2024",
      aliases: ["Số phiếu", "Chứng từ số", "Số CT", "Số phiếu thu/chi", "Chứng từ"],
    },
    {
      key: "category",
      header: "Nguồn thu/Mục chi",
      type: "lookup",
      max: 200,
      required: true,
      help: `Khoản thu: nguồn thu (${DONOR_TYPES.map((d) => DONOR_TYPE_LABELS_VI[d]).join("; ")}). Khoản chi: mục chi (${PURPOSES.map((p) => PURPOSE_LABELS_VI[p]).join("; ")}).`,
      example: "Doanh nghiệp",
      aliases: [
        "Nguồn/Đối tượng",
        "Nguồn thu",
        "Mục chi",
        "Nguồn/Mục chi",
        "Nguồn thu, mục chi",
        "Phân loại",
      ],
    },
    {
      key: "name",
      header: "Người nộp/Người nhận",
      type: "text",
      max: 200,
      required: false,
      help: "Khoản thu: người, đơn vị đóng góp (tên cá nhân chỉ dùng nội bộ, không công khai). Khoản chi cho một người: họ tên người nhận (vào danh sách người nhận, không công khai); chi cho nhiều người thì để trống và ghi “Số người nhận”.",
      example: "Công ty TNHH Minh Phát",
      aliases: [
        "Người nộp",
        "Người nhận",
        "Người nộp/nhận",
        "Họ tên người nộp/nhận",
        "Người, đơn vị đóng góp",
        "Đơn vị, cá nhân",
        "Họ và tên",
        "Họ tên",
      ],
    },
    {
      key: "amount",
      header: "Số tiền (đồng)",
      type: "text",
      max: 40,
      required: true,
      help: "Số nguyên đồng, có thể tách nhóm bằng dấu chấm: 1.500.000.",
      example: "50.000.000",
      aliases: ["Số tiền", "Thành tiền", "Số tiền thu/chi"],
    },
    {
      key: "beneficiaries",
      header: "Số người nhận",
      type: "integer",
      min: 0,
      max: 10_000_000,
      required: false,
      help: "Khoản chi học bổng, khen thưởng, đỡ đầu, hỗ trợ: số người nhận (số suất).",
      example: "",
      aliases: ["Số suất", "Số người nhận (số suất)", "Số người được nhận"],
    },
    {
      key: "description",
      header: "Nội dung",
      type: "text",
      max: 1000,
      required: false,
      help: "Diễn giải (có thể hiện trên trang công khai: không ghi tên học sinh).",
      example: "Ủng hộ quỹ nhân Ngày Khuyến học 2/10",
      aliases: ["Diễn giải", "Nội dung thu/chi", "Lý do", "Nội dung thu, chi"],
    },
    {
      key: "earmark",
      header: "Mục đích chỉ định",
      type: "text",
      max: 500,
      required: false,
      help: "Khoản thu: mục đích nhà tài trợ chỉ định (nếu có).",
      example: "",
      aliases: ["Mục đích nhà tài trợ chỉ định"],
    },
  ],
};

type ReceiptInput = z.infer<typeof ReceiptBody>;
type DisbursementInput = z.infer<typeof DisbursementBody>;

interface FundContext {
  principal: Principal;
  unit: OrgUnitRow;
  today: string;
  funds: FundRow[];
  general: FundRow | null;
  fundByName: Map<string, FundRow>;
  calendars: Map<number, FundCalendar>;
  /** Each fund's balance as the file's rows would leave it (the service refuses going below zero). */
  balances: Map<number, bigint>;
  /** In-file keys already seen → the row that had it first. */
  seen: Map<string, number>;
}

type Plan =
  | { fund: FundRow; kind: "receipt"; input: ReceiptInput }
  | { fund: FundRow; kind: "disbursement"; input: DisbursementInput };

interface Posted {
  id: number;
  fund_id: number;
  kind: "receipt" | "disbursement";
  amount: number;
  entry_date: string;
  fiscal_year: number;
  donor_type: string | null;
  donor_name: string | null;
  purpose: string | null;
  beneficiaries: number | null;
  description: string | null;
  earmark: string | null;
  document_ref: string | null;
  line_count: number;
  line_name: string | null;
  reversed: boolean;
}

const folded = (s: string | null | undefined) => (s ? foldForSearch(s) : "");

function categoryKeys(label: string, code: string, aliases: readonly string[]): string[] {
  return [label, code, ...aliases].map(foldForSearch);
}

const DONORS = new Map<string, DonorType>(
  DONOR_TYPES.flatMap((d) => categoryKeys(DONOR_TYPE_LABELS_VI[d], d, DONOR_ALIASES[d]).map((k) => [k, d])),
);
const PURPOSE_BY_NAME = new Map<string, Purpose>(
  PURPOSES.flatMap((p) => categoryKeys(PURPOSE_LABELS_VI[p], p, PURPOSE_ALIASES[p]).map((k) => [k, p])),
);

/** The column a schema issue is about. */
const ISSUE_COLUMN: Record<string, string> = {
  date: "date",
  amount: "amount",
  donorType: "category",
  purpose: "category",
  donorName: "name",
  lines: "name",
  beneficiaries: "beneficiaries",
  description: "description",
  documentRef: "documentRef",
  earmark: "earmark",
};

export const fundEntriesImport: ImportKind<FundContext> = {
  code: "fund-entries",
  title: "Thu, chi quỹ khuyến học",
  description:
    "Các khoản thu, chi của quỹ khuyến học của đơn vị (mỗi dòng một khoản), như sổ quỹ. Mỗi dòng được ghi thành một bút toán như khi nhập trong ứng dụng. Sổ quỹ không sửa, không xóa được: nhập lại cùng một tệp không ghi trùng (khoản được nhận ra theo số chứng từ, hoặc theo ngày + loại + số tiền + người nộp/nhận); khoản đã ghi mà sai thì đảo bút toán trong ứng dụng.",
  action: "fund.write",
  sheets: [FUND_ENTRY_SHEET],

  unitProblem() {
    return null;
  },

  async prepare(tx, principal, unit) {
    authorize(principal, "fund.write", unit.path);
    const ids = (
      await tx.selectFrom("funds").select("id").where("org_unit_id", "=", unit.id).orderBy("id").execute()
    ).map((f) => Number(f.id));
    if (ids.length === 0) {
      throw problems.validation([
        {
          field: "orgUnitId",
          message: `${unit.name} chưa mở quỹ khuyến học nào: hãy mở quỹ trước khi nhập thu, chi.`,
        },
      ]);
    }
    // The service's lock, held to the end of a commit: postings to these funds wait for it.
    await lockFunds(tx, ids);
    const funds: FundRow[] = [];
    const calendars = new Map<number, FundCalendar>();
    const balances = new Map<number, bigint>();
    for (const id of ids) {
      const fund = await loadFund(tx, id);
      funds.push(fund);
      calendars.set(id, await calendarOf(tx, fund));
      balances.set(id, await balanceOf(tx, id));
    }
    const general = funds.find((f) => f.kind === "general") ?? null;
    const fundByName = new Map<string, FundRow>();
    for (const f of funds) fundByName.set(foldForSearch(f.name), f);
    if (general) for (const k of ["quy chung", "chung", "quy khuyen hoc"]) fundByName.set(k, general);
    return {
      principal,
      unit,
      today: todayInVietnam(),
      funds,
      general,
      fundByName,
      calendars,
      balances,
      seen: new Map(),
    };
  },

  choices(ctx) {
    return {
      fund: ctx.funds.map((f) => f.name),
      category: [
        ...DONOR_TYPES.map((d) => DONOR_TYPE_LABELS_VI[d]),
        ...PURPOSES.map((p) => PURPOSE_LABELS_VI[p]),
      ],
    };
  },

  async check(tx, ctx, _sheet, rows) {
    const plans = new Map<ImportRow, Plan & { fiscalYear: number }>();
    for (const row of rows) {
      const plan = readRow(ctx, row);
      if (plan) plans.set(row, plan);
    }
    const list = [...plans.values()];
    const posted =
      list.length === 0
        ? []
        : (
            await sql<Posted>`
              select e.id, e.fund_id, e.kind, e.amount, e.entry_date, e.fiscal_year, e.donor_type, e.donor_name,
                e.purpose, e.beneficiaries, e.description, e.earmark, e.document_ref,
                (select count(*) from fund_entry_lines x where x.entry_id = e.id)::int as line_count,
                (select min(x.pupil_name) from fund_entry_lines x where x.entry_id = e.id) as line_name,
                exists (select 1 from fund_entries r where r.reversal_of = e.id) as reversed
              from fund_entries e
              where e.fund_id = any(${[...new Set(list.map((p) => p.fund.id))]}::bigint[])
                and e.kind in ('receipt', 'disbursement') and e.reversal_of is null
                and (e.entry_date = any(${[...new Set(list.map((p) => p.input.date))]}::date[])
                  or (e.document_ref is not null
                      and e.fiscal_year = any(${[...new Set(list.map((p) => p.fiscalYear))]}::int[])))
              order by e.id`.execute(tx)
          ).rows.map((e) => ({
            ...e,
            id: Number(e.id),
            fund_id: Number(e.fund_id),
            amount: Number(e.amount),
          }));

    for (const [row, plan] of plans) {
      const key = keyOf(plan);
      const first = ctx.seen.get(key);
      if (first !== undefined) {
        row.problems.push({
          column: plan.input.documentRef ? "documentRef" : "amount",
          message: plan.input.documentRef
            ? `Số chứng từ “${plan.input.documentRef}” đã có ở dòng ${first} của tệp.`
            : `Trùng với dòng ${first} của tệp (cùng ngày, loại, số tiền và người nộp/nhận): nếu là hai khoản khác nhau, hãy ghi số chứng từ.`,
        });
        continue;
      }
      ctx.seen.set(key, row.number);
      matchPosted(row, plan, posted);
      if (row.problems.length > 0) continue;
      row.plan = plan;
      // The balance as the file's postings leave it: a disbursement must find the money.
      if (row.outcome === "new" || row.outcome === "suspected") {
        const balance = ctx.balances.get(plan.fund.id) ?? 0n;
        const amount = BigInt(plan.input.amount);
        if (plan.kind === "disbursement") {
          if (balance - amount < 0n) {
            row.problems.push({
              column: "amount",
              message: insufficientBalanceMessage(plan.fund.name, balance, amount, "chi"),
            });
            continue;
          }
          ctx.balances.set(plan.fund.id, balance - amount);
        } else if (row.outcome === "new") {
          ctx.balances.set(plan.fund.id, balance + amount);
        }
      }
    }
  },

  async apply(tx, ctx, _sheet, rows, audit) {
    for (const row of rows) {
      const plan = row.plan as Plan;
      if (plan.kind === "receipt") await postReceiptIn(tx, ctx.principal, plan.fund.id, plan.input, audit);
      else await postDisbursementIn(tx, ctx.principal, plan.fund.id, plan.input, audit);
    }
  },
};

/** The row as a posting of the service, or its problems. */
function readRow(ctx: FundContext, row: ImportRow): (Plan & { fiscalYear: number }) | null {
  const v = row.values;
  const text = (x: unknown) => (typeof x === "string" && x !== "" ? x : undefined);

  let fund: FundRow | null = ctx.general;
  const fundName = text(v.fund);
  if (fundName !== undefined) {
    fund = ctx.fundByName.get(foldForSearch(fundName)) ?? null;
    if (!fund) {
      row.problems.push({
        column: "fund",
        message: `${ctx.unit.name} không có quỹ “${fundName}”. Các quỹ của đơn vị: ${ctx.funds.map((f) => f.name).join("; ")}.`,
      });
    }
  } else if (!fund) {
    row.problems.push({
      column: "fund",
      message: `${ctx.unit.name} chưa có quỹ khuyến học chung: ghi tên quỹ (${ctx.funds.map((f) => f.name).join("; ")}).`,
    });
  }

  const money = parseMoneyInput(String(v.amount ?? ""));
  if (!money.ok) row.problems.push({ column: "amount", message: MONEY_MESSAGES[money.problem] });

  const kind = v.kind as "receipt" | "disbursement";
  const categoryText = String(v.category ?? "");
  const donorType = kind === "receipt" ? DONORS.get(foldForSearch(categoryText)) : undefined;
  const purpose = kind === "disbursement" ? PURPOSE_BY_NAME.get(foldForSearch(categoryText)) : undefined;
  if (kind === "receipt" && !donorType) {
    row.problems.push({
      column: "category",
      message: `Khoản thu: nguồn thu là một trong: ${DONOR_TYPES.map((d) => DONOR_TYPE_LABELS_VI[d]).join("; ")}.`,
    });
  }
  if (kind === "disbursement" && !purpose) {
    row.problems.push({
      column: "category",
      message: `Khoản chi: mục chi là một trong: ${PURPOSES.map((p) => PURPOSE_LABELS_VI[p]).join("; ")}.`,
    });
  }
  const name = text(v.name);
  const beneficiaries = typeof v.beneficiaries === "number" ? v.beneficiaries : undefined;
  if (kind === "receipt" && beneficiaries !== undefined) {
    row.problems.push({ column: "beneficiaries", message: "Chỉ ghi số người nhận cho khoản chi." });
  }
  if (kind === "disbursement" && text(v.earmark) !== undefined) {
    row.problems.push({ column: "earmark", message: "Mục đích chỉ định chỉ ghi cho khoản thu." });
  }
  if (kind === "disbursement" && name !== undefined && beneficiaries !== undefined && beneficiaries !== 1) {
    row.problems.push({
      column: "name",
      message: `Khoản chi cho ${beneficiaries} người: để trống “Người nộp/Người nhận” (danh sách người nhận nhập trong ứng dụng), chỉ ghi số người nhận.`,
    });
  }
  if (row.problems.length > 0 || !fund || !money.ok) return null;

  const amount = Number(money.value);
  const common = {
    date: v.date,
    amount,
    description: text(v.description),
    documentRef: text(v.documentRef),
  };
  const parsed =
    kind === "receipt"
      ? ReceiptBody.safeParse({ ...common, donorType, donorName: name, earmark: text(v.earmark) })
      : DisbursementBody.safeParse({
          ...common,
          purpose,
          beneficiaries,
          lines: name !== undefined ? [{ pupilName: name, amount }] : undefined,
        });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = ISSUE_COLUMN[String(issue.path[0] ?? "")] ?? "";
      if (!row.problems.some((p) => p.column === column && p.message === issue.message))
        row.problems.push({ column, message: issue.message });
    }
    return null;
  }
  if (kind === "disbursement") {
    for (const p of disbursementProblems(parsed.data as DisbursementInput)) {
      row.problems.push({ column: ISSUE_COLUMN[p.field] ?? "", message: p.message });
    }
  }
  const calendar = ctx.calendars.get(fund.id) as FundCalendar;
  const date = checkPostingDate(calendar, parsed.data.date, ctx.today);
  if (!date.ok) row.problems.push({ column: "date", message: date.message });
  if (row.problems.length > 0 || !date.ok) return null;
  return kind === "receipt"
    ? { fund, kind, input: parsed.data as ReceiptInput, fiscalYear: date.fiscalYear }
    : { fund, kind, input: parsed.data as DisbursementInput, fiscalYear: date.fiscalYear };
}

function rowName(plan: Plan): string {
  return plan.kind === "receipt" ? folded(plan.input.donorName) : folded(plan.input.lines?.[0]?.pupilName);
}

function keyOf(plan: Plan & { fiscalYear: number }): string {
  const ref = plan.input.documentRef;
  return ref
    ? `v|${plan.fund.id}|${plan.fiscalYear}|${plan.kind}|${foldForSearch(ref)}`
    : `n|${plan.fund.id}|${plan.input.date}|${plan.kind}|${plan.input.amount}|${rowName(plan)}`;
}

const postedName = (e: Posted) =>
  e.kind === "receipt" ? folded(e.donor_name) : e.line_count === 1 ? folded(e.line_name) : "";

/** What differs between a row and a posting that has its key, in words (empty: the same posting). */
function differences(plan: Plan, e: Posted): string[] {
  const out: string[] = [];
  if (e.amount !== plan.input.amount) out.push("số tiền");
  if (e.entry_date !== plan.input.date) out.push("ngày");
  if (plan.kind === "receipt" && e.donor_type !== plan.input.donorType) out.push("nguồn thu");
  if (plan.kind === "disbursement" && e.purpose !== plan.input.purpose) out.push("mục chi");
  if (postedName(e) !== rowName(plan)) out.push("người nộp/nhận");
  if (plan.kind === "disbursement") {
    const lines = plan.input.lines ?? [];
    const count = plan.input.beneficiaries ?? (lines.length > 0 ? lines.length : null);
    if ((e.beneficiaries ?? null) !== count) out.push("số người nhận");
  }
  return out;
}

/** Compare a row with the fund's postings: unchanged, new, suspected, or an error. */
function matchPosted(row: ImportRow, plan: Plan & { fiscalYear: number }, posted: Posted[]) {
  const ref = plan.input.documentRef;
  const mine = posted.filter((e) => e.fund_id === plan.fund.id && e.kind === plan.kind);
  const sameKey = ref
    ? mine.filter((e) => e.fiscal_year === plan.fiscalYear && folded(e.document_ref) === foldForSearch(ref))
    : mine.filter(
        (e) =>
          e.entry_date === plan.input.date &&
          e.amount === plan.input.amount &&
          postedName(e) === rowName(plan),
      );
  const active = sameKey.filter((e) => !e.reversed);
  const equal = active.find((e) => differences(plan, e).length === 0);
  if (equal) {
    row.outcome = "unchanged";
    if ((equal.description ?? undefined) !== plan.input.description) {
      row.warnings.push({
        column: "description",
        message: `Nội dung khác với bút toán số ${equal.id} đã ghi; bút toán đã ghi được giữ nguyên.`,
      });
    }
    return;
  }
  const other = active[0];
  if (other) {
    const diff = differences(plan, other);
    const what = ref ? `Chứng từ “${ref}” đã được ghi` : "Khoản này đã được ghi";
    row.problems.push({
      column: diff.includes("số tiền") ? "amount" : ref ? "documentRef" : "category",
      message: diff.includes("số tiền")
        ? `${what} với số tiền ${formatMoney(BigInt(other.amount))} (bút toán số ${other.id}), khác số tiền trong tệp (${formatMoney(BigInt(plan.input.amount))}). Bút toán đã ghi không sửa được: hãy đảo bút toán số ${other.id} trong ứng dụng rồi nhập lại dòng này.`
        : `${what} (bút toán số ${other.id}) nhưng khác ở: ${diff.join(", ")}. Bút toán đã ghi không sửa được: hãy đảo bút toán số ${other.id} trong ứng dụng rồi nhập lại dòng này.`,
    });
    return;
  }
  const reversed = sameKey.find((e) => e.reversed && differences(plan, e).length === 0);
  if (reversed) {
    row.outcome = "suspected";
    row.warnings.push({
      column: ref ? "documentRef" : "amount",
      message: `Khoản này đã được ghi (bút toán số ${reversed.id}) rồi đã bị đảo. Chỉ nhập lại khi chắc chắn cần ghi lại.`,
    });
    return;
  }
  const near = mine.find(
    (e) =>
      !e.reversed &&
      e.entry_date === plan.input.date &&
      postedName(e) === rowName(plan) &&
      (ref ? e.document_ref === null && e.amount === plan.input.amount : e.amount !== plan.input.amount),
  );
  if (near) {
    row.outcome = "suspected";
    row.warnings.push({
      column: "amount",
      message: ref
        ? `Có thể đã ghi (bút toán số ${near.id}, cùng ngày, số tiền và người nộp/nhận, không có số chứng từ). Chỉ nhập khi đây là một khoản khác.`
        : `Có thể là khoản đã ghi (bút toán số ${near.id}, ${formatMoney(BigInt(near.amount))}) với số tiền khác: nếu là sửa số tiền, hãy đảo bút toán đó trong ứng dụng; chỉ nhập khi đây là một khoản khác.`,
    });
    return;
  }
  row.outcome = "new";
}
