/**
 * The study promotion fund: funds per org unit, an append-only ledger, year closes, statements,
 * publication and the live roll-up.
 *
 * Every posting runs in one transaction that first locks the fund's row (both rows, in id order,
 * for a transfer), so postings to one fund are serialised: the balance check, the idempotency
 * check and the year check see every earlier posting, and two parallel requests cannot both
 * spend the same money. The ledger tables refuse UPDATE and DELETE (see the migration), so the
 * only correction is a reversal, linked to its original.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import type { z } from "zod";
import {
  type Action,
  decide,
  isInScope,
  isOnLineOfScope,
  type Principal,
  roleGrants,
} from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDateShort, formatMoney } from "../../domain/format.ts";
import {
  buildStatement,
  type Check,
  checkClose,
  checkPostingDate,
  checkReopen,
  checkReversal,
  DONOR_TYPE_LABELS_VI,
  DONOR_TYPES,
  type DonorType,
  direction,
  ENTRY_KIND_LABELS_VI,
  type EntryKind,
  type FundCalendar,
  type FundKind,
  fiscalYearLabel,
  fiscalYearOf,
  fiscalYearRange,
  fundYears,
  openingDate,
  PUBLICLY_NAMED_DONORS,
  PUPIL_LEVEL_LABELS_VI,
  PURPOSE_LABELS_VI,
  PURPOSES,
  PURPOSES_WITH_BENEFICIARIES,
  type PupilLevel,
  type Purpose,
  type StatementRow,
  signedAmount,
  statMetric,
} from "../../domain/fund/ledger.ts";
import { moneyString, percentOf, toBigInt } from "../../domain/fund/money.ts";
import { moneyInWords } from "../../domain/fund/words.ts";
import { pathIds } from "../../domain/org-units.ts";
import { foldForSearch, vietnameseSortKey } from "../../domain/text.ts";
import { AppError, problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, type AuditEntry, recordAudit } from "../audit/audit-writer.ts";
import { unitWithChildren } from "../org-units/service.ts";
import { countingUnitIds } from "../statistics/counters.ts";
import type {
  CreateFundBody,
  DisbursementBody,
  EntryDetail,
  EntryListQuery,
  EntryView,
  FundFigures,
  FundTargetBody,
  OpeningBody,
  ReceiptBody,
  ReverseBody,
  Statement,
  TransferBody,
} from "./schemas.ts";

type Exec = Kysely<DB> | Transaction<DB>;
type EntryViewT = z.infer<typeof EntryView>;
type StatementT = z.infer<typeof Statement>;

/** The signed effect of entry `e` on its fund's balance, in SQL (bigint). */
const SIGNED = sql`((case when e.kind in ('disbursement', 'transfer_out') then -e.amount else e.amount end)
  * (case when e.reversal_of is null then 1 else -1 end))`;

// ─── Loading, locking, authorising ──────────────────────────────────────────────────────

export interface FundRow {
  id: number;
  org_unit_id: number;
  kind: FundKind;
  name: string;
  fiscal_year_start_month: number;
  start_year: number;
  unit_name: string;
  unit_kind: string;
  unit_path: string;
}

export async function loadFund(tx: Exec, id: number, what = "quỹ này"): Promise<FundRow> {
  const row = await tx
    .selectFrom("funds as f")
    .innerJoin("org_units as u", "u.id", "f.org_unit_id")
    .select([
      "f.id",
      "f.org_unit_id",
      "f.kind",
      "f.name",
      "f.fiscal_year_start_month",
      "f.start_year",
      "u.name as unit_name",
      "u.kind as unit_kind",
      "u.path as unit_path",
    ])
    .where("f.id", "=", id)
    .executeTakeFirst();
  if (!row) throw problems.notFound(what);
  return row;
}

/** Lock funds' rows in id order (no deadlock between two transfers in opposite directions). */
export async function lockFunds(tx: Transaction<DB>, ids: number[]) {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  await sql`select id from funds where id in (${sql.join(unique)}) order by id for update`.execute(tx);
}

const ACTION_WORDS: Partial<Record<Action, string>> = {
  "fund.read": "không xem được quỹ này",
  "fund.write": "không ghi thu, chi được vào quỹ này",
  "fund.manage": "không quản lý được quỹ này",
  "fund.reopen": "không mở lại sổ được",
};

/** Refuse unless the role grants `action` and the fund's unit is inside the user's scope. */
function authorizeFund(principal: Principal, action: Action, fund: FundRow) {
  const decision = decide(principal, action, fund.unit_path);
  if (decision.allowed) return;
  if (decision.reason === "role") throw problems.forbidden();
  throw new AppError(
    403,
    "out_of_scope",
    "Ngoài phạm vi quản lý",
    `${fund.name} thuộc ${fund.unit_name}, ngoài phạm vi được phân công cho bạn: ${ACTION_WORDS[action] ?? "không thực hiện được"}.`,
  );
}

export async function calendarOf(tx: Exec, fund: FundRow): Promise<FundCalendar> {
  const row = await tx
    .selectFrom("fund_years")
    .select(sql<number | null>`max(year)`.as("y"))
    .where("fund_id", "=", fund.id)
    .where("status", "=", "closed")
    .executeTakeFirst();
  return {
    startYear: fund.start_year,
    startMonth: fund.fiscal_year_start_month,
    lastClosedYear: row?.y ?? null,
  };
}

export async function balanceOf(tx: Exec, fundId: number, untilYear?: number): Promise<bigint> {
  const result = await sql<{ total: string }>`
    select coalesce(sum(${SIGNED}), 0)::text as total from fund_entries e
    where e.fund_id = ${fundId} ${untilYear === undefined ? sql`` : sql`and e.fiscal_year <= ${untilYear}`}`.execute(
    tx,
  );
  return toBigInt(result.rows[0]?.total);
}

/** A date the fund refuses, as a problem beside the date field. */
function requireDate(check: Check<{ fiscalYear: number }>, prefix = ""): number {
  if (check.ok) return check.fiscalYear;
  const message = `${prefix}${check.message}`;
  const status = check.code === "year_closed" ? 409 : 400;
  throw new AppError(status, check.code, status === 409 ? "Năm đã khóa sổ" : "Ngày không hợp lệ", message, [
    { field: "date", message },
  ]);
}

/** Why `amount` cannot be taken from a fund holding `balance`. */
export function insufficientBalanceMessage(fundName: string, balance: bigint, amount: bigint, doing: string) {
  return `Số dư của ${fundName} hiện là ${formatMoney(balance)}, không đủ để ${doing} ${formatMoney(amount)}.`;
}

/** Refuse a posting that would take the fund below zero. */
async function requireBalance(tx: Exec, fund: FundRow, amount: bigint, doing: string) {
  const balance = await balanceOf(tx, fund.id);
  if (balance - amount >= 0n) return;
  const message = insufficientBalanceMessage(fund.name, balance, amount, doing);
  throw new AppError(409, "insufficient_balance", "Số dư không đủ", message, [{ field: "amount", message }]);
}

function fundCan(principal: Principal, fund: FundRow) {
  const inScope = isInScope(principal.scopePaths, fund.unit_path);
  return {
    write: inScope && roleGrants(principal.role, "fund.write"),
    manage: inScope && roleGrants(principal.role, "fund.manage"),
    reopen: inScope && roleGrants(principal.role, "fund.reopen"),
  };
}

async function ancestryOf(tx: Exec, path: string): Promise<string[]> {
  const ids = pathIds(path).slice(1, -1);
  if (ids.length === 0) return [];
  const rows = await tx.selectFrom("org_units").select(["id", "name"]).where("id", "in", ids).execute();
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return ids.map((id) => names.get(id) ?? "");
}

// ─── Live roll-up counters ──────────────────────────────────────────────────────────────

/**
 * Add one entry to the roll-up of its fund's unit and each ancestor below the nation. Counters
 * only grow (a reversal has its own "reversed:" metric), so this is always an upsert of positive
 * amounts, in the posting's own transaction.
 */
async function bumpFundStats(
  tx: Exec,
  path: string,
  year: number,
  metric: string,
  amount: bigint,
  beneficiaries: number,
) {
  const ids = countingUnitIds(path);
  if (ids.length === 0) return;
  await sql`
    insert into fund_stats (org_unit_id, year, metric, amount, entries, beneficiaries)
    select id, ${year}::int, ${metric}, ${amount.toString()}::bigint, 1, ${beneficiaries}::bigint
    from unnest(${sql.val(ids)}::bigint[]) as t(id)
    on conflict (org_unit_id, year, metric) do update set
      amount = fund_stats.amount + excluded.amount,
      entries = fund_stats.entries + 1,
      beneficiaries = fund_stats.beneficiaries + excluded.beneficiaries`.execute(tx);
}

// ─── Entries ────────────────────────────────────────────────────────────────────────────

interface NewEntry {
  fund: FundRow;
  kind: EntryKind;
  amount: number;
  date: string;
  fiscalYear: number;
  donorType?: DonorType | null | undefined;
  donorName?: string | null | undefined;
  earmark?: string | null | undefined;
  purpose?: Purpose | null | undefined;
  beneficiaries?: number | null | undefined;
  description?: string | null | undefined;
  documentRef?: string | null | undefined;
  transferId?: number | null | undefined;
  reversalOf?: number | null | undefined;
  idempotencyKey?: string | null | undefined;
}

async function insertEntry(tx: Exec, principal: Principal, e: NewEntry): Promise<number> {
  const row = await tx
    .insertInto("fund_entries")
    .values({
      fund_id: e.fund.id,
      kind: e.kind,
      amount: e.amount,
      entry_date: e.date,
      fiscal_year: e.fiscalYear,
      donor_type: e.donorType ?? null,
      donor_name: e.donorName ?? null,
      earmark: e.earmark ?? null,
      purpose: e.purpose ?? null,
      beneficiaries: e.beneficiaries ?? null,
      description: e.description ?? null,
      document_ref: e.documentRef ?? null,
      transfer_id: e.transferId ?? null,
      reversal_of: e.reversalOf ?? null,
      idempotency_key: e.idempotencyKey ?? null,
      created_by: principal.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const metric = statMetric({
    kind: e.kind,
    donorType: e.donorType ?? null,
    purpose: e.purpose ?? null,
    isReversal: e.reversalOf != null,
  });
  if (metric) {
    await bumpFundStats(tx, e.fund.unit_path, e.fiscalYear, metric, BigInt(e.amount), e.beneficiaries ?? 0);
  }
  return row.id;
}

interface EntryRow {
  id: number;
  fund_id: number;
  kind: EntryKind;
  amount: number;
  entry_date: string;
  fiscal_year: number;
  donor_type: DonorType | null;
  donor_name: string | null;
  earmark: string | null;
  purpose: Purpose | null;
  beneficiaries: number | null;
  description: string | null;
  document_ref: string | null;
  transfer_id: number | null;
  reversal_of: number | null;
  created_at: Date;
  balance_after: string | null;
  reversed_by_id: number | null;
  reversed_by_date: string | null;
  counterpart_fund_id: number | null;
  counterpart_fund_name: string | null;
  counterpart_unit_name: string | null;
  line_count: number;
  created_by: string | null;
}

function categoryLabel(r: { donor_type: DonorType | null; purpose: Purpose | null }): string | null {
  if (r.donor_type) return DONOR_TYPE_LABELS_VI[r.donor_type];
  if (r.purpose) return PURPOSE_LABELS_VI[r.purpose];
  return null;
}

function entryView(r: EntryRow): EntryViewT {
  return {
    id: r.id,
    fundId: r.fund_id,
    kind: r.kind,
    kindLabel: r.reversal_of ? `Đảo: ${ENTRY_KIND_LABELS_VI[r.kind]}` : ENTRY_KIND_LABELS_VI[r.kind],
    amount: String(r.amount),
    signedAmount: moneyString(
      signedAmount({ kind: r.kind, amount: BigInt(r.amount), isReversal: r.reversal_of !== null }),
    ),
    date: r.entry_date,
    fiscalYear: r.fiscal_year,
    donorType: r.donor_type,
    donorName: r.donor_name,
    earmark: r.earmark,
    purpose: r.purpose,
    categoryLabel: categoryLabel(r),
    beneficiaries: r.beneficiaries,
    description: r.description,
    documentRef: r.document_ref,
    transferId: r.transfer_id,
    counterpart:
      r.counterpart_fund_id !== null
        ? {
            fundId: r.counterpart_fund_id,
            fundName: r.counterpart_fund_name ?? "",
            unitName: r.counterpart_unit_name ?? "",
          }
        : null,
    reversalOf: r.reversal_of,
    reversedBy:
      r.reversed_by_id !== null ? { id: r.reversed_by_id, date: r.reversed_by_date ?? r.entry_date } : null,
    lineCount: r.line_count,
    balanceAfter: r.balance_after,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

interface EntryFilter {
  ids?: number[];
  from?: string | undefined;
  to?: string | undefined;
  kind?: EntryKind | undefined;
  limit?: number;
  offset?: number;
  ascending?: boolean;
}

/** A fund's entries with the running balance after each (in ledger order: date, then id). */
async function queryEntries(tx: Exec, fundId: number, filter: EntryFilter = {}): Promise<EntryRow[]> {
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (filter.ids) conditions.push(sql`l.id in (${sql.join(filter.ids.length > 0 ? filter.ids : [0])})`);
  if (filter.from) conditions.push(sql`l.entry_date >= ${filter.from}`);
  if (filter.to) conditions.push(sql`l.entry_date <= ${filter.to}`);
  if (filter.kind) conditions.push(sql`l.kind = ${filter.kind}`);
  const order = filter.ascending ? sql`l.entry_date, l.id` : sql`l.entry_date desc, l.id desc`;
  const result = await sql<EntryRow>`
    with ledger as (
      select e.*, sum(${SIGNED}) over (order by e.entry_date, e.id) as running
      from fund_entries e where e.fund_id = ${fundId}
    )
    select l.id, l.fund_id, l.kind, l.amount, l.entry_date, l.fiscal_year, l.donor_type, l.donor_name,
      l.earmark, l.purpose, l.beneficiaries, l.description, l.document_ref, l.transfer_id, l.reversal_of,
      l.created_at, l.running::text as balance_after,
      r.id as reversed_by_id, r.entry_date as reversed_by_date,
      o.fund_id as counterpart_fund_id, cf.name as counterpart_fund_name, cu.name as counterpart_unit_name,
      (select count(*) from fund_entry_lines x where x.entry_id = l.id)::int as line_count,
      usr.username as created_by
    from ledger l
    left join fund_entries r on r.reversal_of = l.id
    left join lateral (
      select o.fund_id from fund_entries o
      where l.transfer_id is not null and o.transfer_id = l.transfer_id and o.fund_id <> l.fund_id limit 1
    ) o on true
    left join funds cf on cf.id = o.fund_id
    left join org_units cu on cu.id = cf.org_unit_id
    left join users usr on usr.id = l.created_by
    where ${sql.join(conditions, sql` and `)}
    order by ${order}
    ${filter.limit !== undefined ? sql`limit ${filter.limit} offset ${filter.offset ?? 0}` : sql``}`.execute(
    tx,
  );
  return result.rows;
}

async function postingResult(tx: Exec, legs: { fundId: number; id: number }[], replayed: boolean) {
  const entries: EntryViewT[] = [];
  for (const leg of legs) {
    const [row] = await queryEntries(tx, leg.fundId, { ids: [leg.id] });
    if (row) entries.push(entryView(row));
  }
  const first = legs[0];
  const balance = first ? await balanceOf(tx, first.fundId) : 0n;
  return { entries, replayed, balance: moneyString(balance) };
}

/**
 * The posting an idempotency key was already used for, if any (and its transfer's other leg).
 * A key reused for a different posting is refused rather than silently answered.
 */
async function replayed(
  tx: Exec,
  fundId: number,
  key: string | undefined,
  expected: { kind: EntryKind; amount: number; date?: string; reversalOf?: number },
): Promise<{ fundId: number; id: number }[] | null> {
  if (!key) return null;
  const existing = await tx
    .selectFrom("fund_entries")
    .select(["id", "kind", "amount", "entry_date", "reversal_of", "transfer_id"])
    .where("fund_id", "=", fundId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  if (!existing) return null;
  const same =
    existing.kind === expected.kind &&
    Number(existing.amount) === expected.amount &&
    (expected.date === undefined || existing.entry_date === expected.date) &&
    (expected.reversalOf === undefined || existing.reversal_of === expected.reversalOf);
  if (!same) {
    throw problems.conflict(
      "idempotency_mismatch",
      `Khóa chống ghi trùng này đã dùng cho một bút toán khác (số ${existing.id}). Hãy tải lại trang rồi nhập lại.`,
    );
  }
  const legs = [{ fundId, id: existing.id }];
  if (existing.transfer_id !== null) {
    const other = await tx
      .selectFrom("fund_entries")
      .select(["id", "fund_id"])
      .where("transfer_id", "=", existing.transfer_id)
      .where("fund_id", "<>", fundId)
      .where(
        existing.reversal_of === null
          ? sql<boolean>`reversal_of is null`
          : sql<boolean>`reversal_of is not null`,
      )
      .executeTakeFirst();
    if (other) legs.push({ fundId: other.fund_id, id: other.id });
  }
  return legs;
}

// ─── Funds ──────────────────────────────────────────────────────────────────────────────

export async function createFund(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof CreateFundBody>,
  ctx: AuditContext,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const unit = await tx
      .selectFrom("org_units")
      .select(["id", "name", "path", "valid_to"])
      .where("id", "=", input.orgUnitId)
      .executeTakeFirst();
    if (!unit) throw problems.validation([{ field: "orgUnitId", message: "Không tìm thấy đơn vị." }]);
    authorize(principal, "fund.manage", unit.path);
    const month = input.fiscalYearStartMonth;
    // A merged unit keeps its history: its fund may be recorded for the years it existed, never
    // opened for a year that began after it ceased to exist.
    if (unit.valid_to !== null && fiscalYearRange(input.startYear, month).from > unit.valid_to) {
      throw problems.validation([
        {
          field: "orgUnitId",
          message: `${unit.name} chỉ tồn tại đến ${formatDateShort(unit.valid_to)} (đã sáp nhập); hãy mở quỹ ở đơn vị mới.`,
        },
      ]);
    }
    const currentYear = fiscalYearOf(todayInVietnam(), month);
    if (input.startYear > currentYear) {
      throw problems.validation([
        { field: "startYear", message: `Năm bắt đầu không được sau năm hiện tại (${currentYear}).` },
      ]);
    }
    const name =
      input.kind === "general" ? (input.name ?? `Quỹ khuyến học ${unit.name}`) : (input.name ?? "");
    if (input.kind === "general") {
      const existing = await tx
        .selectFrom("funds")
        .select("name")
        .where("org_unit_id", "=", unit.id)
        .where("kind", "=", "general")
        .executeTakeFirst();
      if (existing) {
        throw problems.conflict(
          "duplicate_fund",
          `${unit.name} đã có quỹ khuyến học chung: “${existing.name}”. Mỗi đơn vị có một quỹ chung; hãy mở quỹ mang tên riêng nếu cần.`,
        );
      }
    }
    const searchKey = foldForSearch(name);
    const sameName = await tx
      .selectFrom("funds")
      .select("id")
      .where("org_unit_id", "=", unit.id)
      .where("search_key", "=", searchKey)
      .executeTakeFirst();
    if (sameName) {
      throw new AppError(409, "duplicate_fund", "Dữ liệu bị trùng hoặc xung đột", `Đã có quỹ “${name}”.`, [
        { field: "name", message: `${unit.name} đã có quỹ tên này.` },
      ]);
    }
    const fund = await tx
      .insertInto("funds")
      .values({
        org_unit_id: unit.id,
        kind: input.kind,
        name,
        search_key: searchKey,
        sort_key: vietnameseSortKey(name),
        fiscal_year_start_month: month,
        start_year: input.startYear,
        created_by: principal.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const row = await loadFund(tx, fund.id);
    if (input.openingBalance !== undefined && input.openingBalance > 0) {
      await insertEntry(tx, principal, {
        fund: row,
        kind: "opening",
        amount: input.openingBalance,
        date: openingDate(input.startYear, month),
        fiscalYear: input.startYear - 1,
        description: input.openingNote ?? `Tổng số quỹ năm ${input.startYear - 1} chuyển qua`,
      });
    }
    await recordAudit(tx, ctx, {
      action: "fund.created",
      entityType: "fund",
      entityId: fund.id,
      orgUnitId: unit.id,
      after: {
        name,
        kind: input.kind,
        fiscalYearStartMonth: month,
        startYear: input.startYear,
        openingBalance: String(input.openingBalance ?? 0),
      },
    });
    return fund.id;
  });
}

export async function listFunds(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; subtree?: boolean | undefined },
) {
  const unit = await db
    .selectFrom("org_units")
    .select(["id", "path"])
    .where("id", "=", query.orgUnitId)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  authorize(principal, "fund.read", unit.path);
  const today = todayInVietnam();
  const rows = await sql<
    FundRow & { balance: string; last_closed: number | null; unit_sort: string; sort_key: string }
  >`
    select f.id, f.org_unit_id, f.kind, f.name, f.fiscal_year_start_month, f.start_year, f.sort_key,
      u.name as unit_name, u.kind as unit_kind, u.path as unit_path, u.sort_key as unit_sort,
      (select coalesce(sum(${SIGNED}), 0)::text from fund_entries e where e.fund_id = f.id) as balance,
      (select max(y.year) from fund_years y where y.fund_id = f.id and y.status = 'closed') as last_closed
    from funds f join org_units u on u.id = f.org_unit_id
    where ${query.subtree ? sql`u.path like ${`${unit.path}%`}` : sql`f.org_unit_id = ${unit.id}`}
    order by u.level, u.sort_key, (f.kind = 'general') desc, f.sort_key
    limit 1000`.execute(db);
  return rows.rows.map((r) => ({
    ...fundSummary(r, today),
    balance: r.balance,
    lastClosedYear: r.last_closed,
  }));
}

function fundSummary(r: FundRow, today: string) {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    orgUnit: { id: r.org_unit_id, name: r.unit_name, kind: r.unit_kind },
    fiscalYearStartMonth: r.fiscal_year_start_month,
    startYear: r.start_year,
    currentYear: Math.max(fiscalYearOf(today, r.fiscal_year_start_month), r.start_year),
  };
}

export async function getFund(db: Kysely<DB>, principal: Principal, id: number) {
  const fund = await loadFund(db, id);
  authorizeFund(principal, "fund.read", fund);
  const today = todayInVietnam();
  const calendar = await calendarOf(db, fund);
  const balance = await balanceOf(db, fund.id);
  const years = await db
    .selectFrom("fund_years")
    .select(["year", "status", sql<string | null>`closing_balance::text`.as("closing"), "closed_at"])
    .where("fund_id", "=", fund.id)
    .execute();
  const published = new Set(
    (await db.selectFrom("fund_publications").select("year").where("fund_id", "=", fund.id).execute()).map(
      (p) => p.year,
    ),
  );
  const opening = await db
    .selectFrom("fund_entries as e")
    .select(["e.id", "e.amount"])
    .where("e.fund_id", "=", fund.id)
    .where("e.kind", "=", "opening")
    .where("e.reversal_of", "is", null)
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom("fund_entries as r").select("r.id").whereRef("r.reversal_of", "=", "e.id")),
      ),
    )
    .executeTakeFirst();
  const month = fund.fiscal_year_start_month;
  return {
    ...fundSummary(fund, today),
    lastClosedYear: calendar.lastClosedYear,
    balance: moneyString(balance),
    balanceInWords: moneyInWords(balance),
    ancestry: await ancestryOf(db, fund.unit_path),
    opening: opening ? { entryId: opening.id, amount: String(opening.amount) } : null,
    years: fundYears({ startYear: fund.start_year, startMonth: month }, today)
      .reverse()
      .map((year) => {
        const row = years.find((y) => y.year === year);
        const range = fiscalYearRange(year, month);
        return {
          year,
          label: fiscalYearLabel(year, month),
          from: range.from,
          to: range.to,
          status: row?.status ?? ("open" as const),
          closingBalance: row?.status === "closed" ? row.closing : null,
          closedAt: row?.status === "closed" && row.closed_at ? row.closed_at.toISOString() : null,
          published: published.has(year),
          ended: today >= range.to,
        };
      }),
    can: fundCan(principal, fund),
  };
}

// ─── Postings ───────────────────────────────────────────────────────────────────────────

/** A posting's legs, and whether its idempotency key had already recorded it. */
type Posted = { legs: { fundId: number; id: number }[]; replayed: boolean };

async function postSimple(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  ctx: AuditContext,
  draft: Omit<NewEntry, "fund" | "fiscalYear">,
  lines: z.infer<typeof DisbursementBody>["lines"],
) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.write", fund);
  return db.transaction().execute(async (tx) => {
    const posted = await postSimpleIn(tx, principal, fund, ctx, draft, lines);
    return postingResult(tx, posted.legs, posted.replayed);
  });
}

/** A receipt or a disbursement inside the caller's transaction (which it locks the fund in). */
async function postSimpleIn(
  tx: Transaction<DB>,
  principal: Principal,
  fund: FundRow,
  ctx: AuditContext,
  draft: Omit<NewEntry, "fund" | "fiscalYear">,
  lines: z.infer<typeof DisbursementBody>["lines"],
): Promise<Posted> {
  authorizeFund(principal, "fund.write", fund);
  await lockFunds(tx, [fund.id]);
  const again = await replayed(tx, fund.id, draft.idempotencyKey ?? undefined, {
    kind: draft.kind,
    amount: draft.amount,
    date: draft.date,
  });
  if (again) return { legs: again, replayed: true };
  const calendar = await calendarOf(tx, fund);
  const fiscalYear = requireDate(checkPostingDate(calendar, draft.date, todayInVietnam()));
  if (direction(draft.kind) < 0n) await requireBalance(tx, fund, BigInt(draft.amount), "chi");
  const id = await insertEntry(tx, principal, { ...draft, fund, fiscalYear });
  const list = lines ?? [];
  for (let i = 0; i < list.length; i += 500) {
    await tx
      .insertInto("fund_entry_lines")
      .values(
        list.slice(i, i + 500).map((l) => ({
          entry_id: id,
          pupil_name: l.pupilName,
          school: l.school ?? null,
          level: l.level ?? null,
          amount: l.amount,
        })),
      )
      .execute();
  }
  await recordAudit(tx, ctx, postingAuditEntry(fund, draft, id, list.length));
  return { legs: [{ fundId: fund.id, id }], replayed: false };
}

/**
 * The audit entry of a receipt or a payment posted to `fund` as entry `id` (the generator's bulk
 * postings record the same). Recipients are personal data: the audit keeps how many, the ledger
 * keeps who.
 */
export function postingAuditEntry(
  fund: { name: string; org_unit_id: number },
  draft: {
    kind: string;
    amount: number | bigint | string;
    date: string;
    donorType?: string | null;
    donorName?: string | null;
    purpose?: string | null;
    beneficiaries?: number | null;
    description?: string | null;
    documentRef?: string | null;
  },
  id: number,
  recipients = 0,
): AuditEntry {
  return {
    action: draft.kind === "receipt" ? "fund.receipt_posted" : "fund.disbursement_posted",
    entityType: "fund_entry",
    entityId: id,
    orgUnitId: fund.org_unit_id,
    after: {
      fund: fund.name,
      amount: String(draft.amount),
      date: draft.date,
      donorType: draft.donorType ?? undefined,
      donorName: draft.donorName ?? undefined,
      purpose: draft.purpose ?? undefined,
      beneficiaries: draft.beneficiaries ?? undefined,
      recipients: recipients > 0 ? recipients : undefined,
      description: draft.description ?? undefined,
      documentRef: draft.documentRef ?? undefined,
    },
  };
}

function receiptDraft(input: z.infer<typeof ReceiptBody>): Omit<NewEntry, "fund" | "fiscalYear"> {
  return {
    kind: "receipt",
    amount: input.amount,
    date: input.date,
    donorType: input.donorType,
    donorName: input.donorName,
    earmark: input.earmark,
    description: input.description,
    documentRef: input.documentRef,
    idempotencyKey: input.idempotencyKey,
  };
}

export function postReceipt(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  input: z.infer<typeof ReceiptBody>,
  ctx: AuditContext,
) {
  return postSimple(db, principal, fundId, ctx, receiptDraft(input), undefined);
}

/** `postReceipt` inside the caller's transaction (the Excel import posts a whole file in one). */
export async function postReceiptIn(
  tx: Transaction<DB>,
  principal: Principal,
  fundId: number,
  input: z.infer<typeof ReceiptBody>,
  ctx: AuditContext,
): Promise<Posted> {
  return postSimpleIn(tx, principal, await loadFund(tx, fundId), ctx, receiptDraft(input), undefined);
}

/** What the service refuses in a disbursement beyond its schema (the count of people paid). */
export function disbursementProblems(
  input: z.infer<typeof DisbursementBody>,
): { field: string; message: string }[] {
  const lines = input.lines ?? [];
  const beneficiaries = input.beneficiaries ?? (lines.length > 0 ? lines.length : undefined);
  if (beneficiaries === undefined && PURPOSES_WITH_BENEFICIARIES.has(input.purpose)) {
    return [{ field: "beneficiaries", message: "Nhập số người nhận (số suất), hoặc danh sách người nhận." }];
  }
  return [];
}

function disbursementDraft(input: z.infer<typeof DisbursementBody>): Omit<NewEntry, "fund" | "fiscalYear"> {
  const lines = input.lines ?? [];
  const beneficiaries = input.beneficiaries ?? (lines.length > 0 ? lines.length : undefined);
  return {
    kind: "disbursement",
    amount: input.amount,
    date: input.date,
    purpose: input.purpose,
    beneficiaries: beneficiaries ?? null,
    description: input.description,
    documentRef: input.documentRef,
    idempotencyKey: input.idempotencyKey,
  };
}

export function postDisbursement(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  input: z.infer<typeof DisbursementBody>,
  ctx: AuditContext,
) {
  const errors = disbursementProblems(input);
  if (errors.length > 0) throw problems.validation(errors);
  return postSimple(db, principal, fundId, ctx, disbursementDraft(input), input.lines ?? []);
}

/** `postDisbursement` inside the caller's transaction. */
export async function postDisbursementIn(
  tx: Transaction<DB>,
  principal: Principal,
  fundId: number,
  input: z.infer<typeof DisbursementBody>,
  ctx: AuditContext,
): Promise<Posted> {
  const errors = disbursementProblems(input);
  if (errors.length > 0) throw problems.validation(errors);
  return postSimpleIn(
    tx,
    principal,
    await loadFund(tx, fundId),
    ctx,
    disbursementDraft(input),
    input.lines ?? [],
  );
}

/** Funds a transfer from `fundId` may go to: the user's own units' funds and those of the bodies above. */
export async function transferTargets(db: Kysely<DB>, principal: Principal, fundId: number) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.write", fund);
  const ancestorPaths = new Set<string>();
  for (const scope of principal.scopePaths) {
    const ids = pathIds(scope);
    for (let i = 1; i < ids.length; i++) ancestorPaths.add(`/${ids.slice(0, i).join("/")}/`);
  }
  const scopeLikes = principal.scopePaths.map((p) => `${p}%`);
  const rows = await db
    .selectFrom("funds as f")
    .innerJoin("org_units as u", "u.id", "f.org_unit_id")
    .select([
      "f.id",
      "f.name",
      "u.id as unit_id",
      "u.name as unit_name",
      "u.kind as unit_kind",
      "u.path",
      "u.level",
    ])
    .where("f.id", "<>", fund.id)
    .where((eb) =>
      eb.or([
        ...(ancestorPaths.size > 0 ? [eb("u.path", "in", [...ancestorPaths])] : []),
        ...scopeLikes.map((like) => eb("u.path", "like", like)),
      ]),
    )
    .orderBy("u.level")
    .orderBy("u.sort_key")
    .orderBy("f.sort_key")
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    orgUnit: { id: r.unit_id, name: r.unit_name, kind: r.unit_kind },
    relation: isInScope(principal.scopePaths, r.path) ? ("own" as const) : ("up" as const),
  }));
}

export async function postTransfer(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  input: z.infer<typeof TransferBody>,
  ctx: AuditContext,
) {
  const from = await loadFund(db, fundId);
  authorizeFund(principal, "fund.write", from);
  if (input.toFundId === from.id) {
    throw problems.validation([{ field: "toFundId", message: "Chọn một quỹ khác để chuyển đến." }]);
  }
  const to = await db
    .selectFrom("funds")
    .select("id")
    .where("id", "=", input.toFundId)
    .executeTakeFirst()
    .then((r) => (r ? loadFund(db, r.id) : null));
  if (!to) throw problems.validation([{ field: "toFundId", message: "Không tìm thấy quỹ nhận." }]);
  if (!isOnLineOfScope(principal.scopePaths, to.unit_path)) {
    const message = `${to.name} (${to.unit_name}) nằm ngoài phạm vi của bạn: chỉ chuyển được tới quỹ của đơn vị bạn phụ trách hoặc của Hội cấp trên.`;
    throw new AppError(403, "out_of_scope", "Ngoài phạm vi quản lý", message, [
      { field: "toFundId", message },
    ]);
  }
  return db.transaction().execute(async (tx) => {
    await lockFunds(tx, [from.id, to.id]);
    const again = await replayed(tx, from.id, input.idempotencyKey, {
      kind: "transfer_out",
      amount: input.amount,
      date: input.date,
    });
    if (again) return postingResult(tx, again, true);
    const today = todayInVietnam();
    const fromYear = requireDate(checkPostingDate(await calendarOf(tx, from), input.date, today));
    const toYear = requireDate(checkPostingDate(await calendarOf(tx, to), input.date, today), `Quỹ nhận: `);
    await requireBalance(tx, from, BigInt(input.amount), "chuyển");
    const transfer = await tx
      .insertInto("fund_transfers")
      .values({ from_fund_id: from.id, to_fund_id: to.id, amount: input.amount })
      .returning("id")
      .executeTakeFirstOrThrow();
    const common = {
      amount: input.amount,
      date: input.date,
      description: input.description,
      documentRef: input.documentRef,
      transferId: transfer.id,
    };
    const outId = await insertEntry(tx, principal, {
      ...common,
      fund: from,
      kind: "transfer_out",
      fiscalYear: fromYear,
      idempotencyKey: input.idempotencyKey,
    });
    const inId = await insertEntry(tx, principal, {
      ...common,
      fund: to,
      kind: "transfer_in",
      fiscalYear: toYear,
    });
    const after = {
      from: from.name,
      to: to.name,
      amount: String(input.amount),
      date: input.date,
      description: input.description,
    };
    for (const unitId of new Set([from.org_unit_id, to.org_unit_id])) {
      await recordAudit(tx, ctx, {
        action: "fund.transfer_posted",
        entityType: "fund_transfer",
        entityId: transfer.id,
        orgUnitId: unitId,
        after,
      });
    }
    return postingResult(
      tx,
      [
        { fundId: from.id, id: outId },
        { fundId: to.id, id: inId },
      ],
      false,
    );
  });
}

/** The carried-over balance, when the fund was created without it (or it was reversed to be fixed). */
export async function postOpening(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  input: z.infer<typeof OpeningBody>,
  ctx: AuditContext,
) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.manage", fund);
  return db.transaction().execute(async (tx) => {
    await lockFunds(tx, [fund.id]);
    const date = openingDate(fund.start_year, fund.fiscal_year_start_month);
    const again = await replayed(tx, fund.id, input.idempotencyKey, {
      kind: "opening",
      amount: input.amount,
      date,
    });
    if (again) return postingResult(tx, again, true);
    const calendar = await calendarOf(tx, fund);
    if (calendar.lastClosedYear !== null) {
      throw problems.conflict(
        "year_closed",
        `Năm ${fund.start_year} đã khóa sổ nên không sửa được số dư chuyển sang.`,
      );
    }
    const inForce = await sql<{ id: number; amount: number }>`
      select e.id, e.amount from fund_entries e
      where e.fund_id = ${fund.id} and e.kind = 'opening' and e.reversal_of is null
        and not exists (select 1 from fund_entries r where r.reversal_of = e.id)`.execute(tx);
    const current = inForce.rows[0];
    if (current) {
      throw problems.conflict(
        "opening_exists",
        `Quỹ đã có số dư chuyển sang ${formatMoney(BigInt(current.amount))} (bút toán số ${current.id}). Muốn sửa, hãy đảo bút toán đó rồi nhập lại.`,
      );
    }
    const id = await insertEntry(tx, principal, {
      fund,
      kind: "opening",
      amount: input.amount,
      date,
      fiscalYear: fund.start_year - 1,
      description: input.description ?? `Tổng số quỹ năm ${fund.start_year - 1} chuyển qua`,
      idempotencyKey: input.idempotencyKey,
    });
    await recordAudit(tx, ctx, {
      action: "fund.opening_posted",
      entityType: "fund_entry",
      entityId: id,
      orgUnitId: fund.org_unit_id,
      after: { fund: fund.name, amount: String(input.amount), date },
    });
    return postingResult(tx, [{ fundId: fund.id, id }], false);
  });
}

interface OriginalRow {
  id: number;
  fund_id: number;
  kind: EntryKind;
  amount: number;
  entry_date: string;
  donor_type: DonorType | null;
  donor_name: string | null;
  earmark: string | null;
  purpose: Purpose | null;
  beneficiaries: number | null;
  description: string | null;
  document_ref: string | null;
  transfer_id: number | null;
  reversal_of: number | null;
  reversed_on: string | null;
}

async function loadOriginal(tx: Exec, fundId: number, entryId: number): Promise<OriginalRow> {
  const result = await sql<OriginalRow>`
    select e.id, e.fund_id, e.kind, e.amount, e.entry_date, e.donor_type, e.donor_name, e.earmark, e.purpose,
      e.beneficiaries, e.description, e.document_ref, e.transfer_id, e.reversal_of,
      (select r.entry_date from fund_entries r where r.reversal_of = e.id) as reversed_on
    from fund_entries e where e.id = ${entryId} and e.fund_id = ${fundId}`.execute(tx);
  const row = result.rows[0];
  if (!row) throw problems.notFound(`bút toán số ${entryId} trong quỹ này`);
  return row;
}

/**
 * Correct a posted entry by a reversal: a new entry with the same kind, category and amount and
 * the opposite effect, linked to the original. A transfer is reversed in both ledgers at once.
 */
export async function reverseEntry(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  entryId: number,
  input: z.infer<typeof ReverseBody>,
  ctx: AuditContext,
) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.write", fund);
  const first = await loadOriginal(db, fund.id, entryId);
  let otherFund: FundRow | null = null;
  if (first.transfer_id !== null && first.reversal_of === null) {
    const other = await db
      .selectFrom("fund_entries")
      .select("fund_id")
      .where("transfer_id", "=", first.transfer_id)
      .where("fund_id", "<>", fund.id)
      .executeTakeFirst();
    if (other) {
      otherFund = await loadFund(db, other.fund_id);
      if (!isOnLineOfScope(principal.scopePaths, otherFund.unit_path)) {
        throw new AppError(
          403,
          "out_of_scope",
          "Ngoài phạm vi quản lý",
          `Khoản chuyển này liên quan đến ${otherFund.name} (${otherFund.unit_name}), ngoài phạm vi của bạn: không đảo được.`,
        );
      }
    }
  }
  return db.transaction().execute(async (tx) => {
    await lockFunds(tx, [fund.id, ...(otherFund ? [otherFund.id] : [])]);
    const original = await loadOriginal(tx, fund.id, entryId);
    const again = await replayed(tx, fund.id, input.idempotencyKey, {
      kind: original.kind,
      amount: original.amount,
      reversalOf: original.id,
    });
    if (again) return postingResult(tx, again, true);
    const check = checkReversal({
      id: original.id,
      isReversal: original.reversal_of !== null,
      reversedOn: original.reversed_on,
    });
    if (!check.ok) throw problems.conflict(check.code, check.message);

    const today = todayInVietnam();
    const calendar = await calendarOf(tx, fund);
    let date: string;
    let fiscalYear: number;
    if (original.kind === "opening") {
      // The carried-over balance is corrected where it stands, while the first year is open.
      if (calendar.lastClosedYear !== null) {
        throw problems.conflict(
          "year_closed",
          `Năm ${fund.start_year} đã khóa sổ nên không sửa được số dư chuyển sang.`,
        );
      }
      date = original.entry_date;
      fiscalYear = fund.start_year - 1;
    } else {
      date = input.date ?? today;
      if (date < original.entry_date) {
        const message = `Ngày đảo không được trước ngày của bút toán gốc (${formatDateShort(original.entry_date)}).`;
        throw problems.validation([{ field: "date", message }]);
      }
      fiscalYear = requireDate(checkPostingDate(calendar, date, today));
    }
    const effect = -signedAmount({ kind: original.kind, amount: BigInt(original.amount), isReversal: false });
    if (effect < 0n) await requireBalance(tx, fund, -effect, "đảo khoản");

    const reason = input.reason;
    const reversal = (of: OriginalRow, target: FundRow, year: number, key?: string) =>
      insertEntry(tx, principal, {
        fund: target,
        kind: of.kind,
        amount: of.amount,
        date,
        fiscalYear: year,
        donorType: of.donor_type,
        donorName: of.donor_name,
        earmark: of.earmark,
        purpose: of.purpose,
        beneficiaries: of.beneficiaries,
        description: `Đảo bút toán số ${of.id}: ${reason}`.slice(0, 1000),
        documentRef: of.document_ref,
        transferId: of.transfer_id,
        reversalOf: of.id,
        idempotencyKey: key,
      });
    const id = await reversal(original, fund, fiscalYear, input.idempotencyKey);
    const legs = [{ fundId: fund.id, id }];

    if (otherFund && original.transfer_id !== null) {
      const otherLeg = await tx
        .selectFrom("fund_entries")
        .select("id")
        .where("transfer_id", "=", original.transfer_id)
        .where("fund_id", "=", otherFund.id)
        .where("reversal_of", "is", null)
        .executeTakeFirstOrThrow();
      const other = await loadOriginal(tx, otherFund.id, otherLeg.id);
      const otherYear = requireDate(
        checkPostingDate(await calendarOf(tx, otherFund), date, today),
        `${otherFund.name}: `,
      );
      const otherEffect = -signedAmount({
        kind: other.kind,
        amount: BigInt(other.amount),
        isReversal: false,
      });
      if (otherEffect < 0n) await requireBalance(tx, otherFund, -otherEffect, "đảo khoản");
      legs.push({ fundId: otherFund.id, id: await reversal(other, otherFund, otherYear) });
    }

    for (const unitId of new Set([fund.org_unit_id, ...(otherFund ? [otherFund.org_unit_id] : [])])) {
      await recordAudit(tx, ctx, {
        action: "fund.entry_reversed",
        entityType: "fund_entry",
        entityId: original.id,
        orgUnitId: unitId,
        before: {
          fund: fund.name,
          entry: original.id,
          kind: original.kind,
          amount: String(original.amount),
          date: original.entry_date,
        },
        after: { reversal: id, date, reason },
      });
    }
    return postingResult(tx, legs, false);
  });
}

export async function listEntries(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  query: z.infer<typeof EntryListQuery>,
) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.read", fund);
  let { from, to } = query;
  if (query.year !== undefined) ({ from, to } = fiscalYearRange(query.year, fund.fiscal_year_start_month));
  const rows = await queryEntries(db, fund.id, {
    from,
    to,
    kind: query.kind,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const total = await db
    .selectFrom("fund_entries")
    .select(sql<number>`count(*)`.as("n"))
    .where("fund_id", "=", fund.id)
    .$if(from !== undefined, (q) => q.where("entry_date", ">=", from as string))
    .$if(to !== undefined, (q) => q.where("entry_date", "<=", to as string))
    .$if(query.kind !== undefined, (q) => q.where("kind", "=", query.kind as EntryKind))
    .executeTakeFirstOrThrow();
  return { items: rows.map(entryView), total: Number(total.n), page: query.page, pageSize: query.pageSize };
}

export async function getEntry(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  entryId: number,
): Promise<z.infer<typeof EntryDetail>> {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.read", fund);
  const [row] = await queryEntries(db, fund.id, { ids: [entryId] });
  if (!row) throw problems.notFound(`bút toán số ${entryId} trong quỹ này`);
  const lines = await db
    .selectFrom("fund_entry_lines")
    .select(["pupil_name", "school", "level", "amount"])
    .where("entry_id", "=", entryId)
    .orderBy("id")
    .execute();
  return {
    ...entryView(row),
    lines: lines.map((l) => ({
      pupilName: l.pupil_name,
      school: l.school,
      level: l.level as PupilLevel | null,
      levelLabel: l.level ? PUPIL_LEVEL_LABELS_VI[l.level as PupilLevel] : null,
      amount: String(l.amount),
    })),
  };
}

// ─── Years ──────────────────────────────────────────────────────────────────────────────

export async function closeYear(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  year: number,
  ctx: AuditContext,
) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.manage", fund);
  await db.transaction().execute(async (tx) => {
    await lockFunds(tx, [fund.id]);
    const calendar = await calendarOf(tx, fund);
    const check = checkClose(calendar, year, todayInVietnam());
    if (!check.ok) throw problems.conflict(check.code, check.message);
    const closing = await balanceOf(tx, fund.id, year);
    await tx
      .insertInto("fund_years")
      .values({
        fund_id: fund.id,
        year,
        status: "closed",
        closing_balance: closing.toString(),
        closed_at: new Date(),
        closed_by: principal.userId,
      })
      .onConflict((oc) =>
        oc.columns(["fund_id", "year"]).doUpdateSet({
          status: "closed",
          closing_balance: closing.toString(),
          closed_at: new Date(),
          closed_by: principal.userId,
        }),
      )
      .execute();
    await recordAudit(tx, ctx, {
      action: "fund.year_closed",
      entityType: "fund",
      entityId: fund.id,
      orgUnitId: fund.org_unit_id,
      after: { fund: fund.name, year, closingBalance: closing.toString() },
    });
  });
}

export async function reopenYear(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  year: number,
  reason: string,
  ctx: AuditContext,
) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.reopen", fund);
  await db.transaction().execute(async (tx) => {
    await lockFunds(tx, [fund.id]);
    const calendar = await calendarOf(tx, fund);
    const check = checkReopen(calendar, year);
    if (!check.ok) throw problems.conflict(check.code, check.message);
    const before = await tx
      .selectFrom("fund_years")
      .select([sql<string>`closing_balance::text`.as("closing"), "closed_at"])
      .where("fund_id", "=", fund.id)
      .where("year", "=", year)
      .executeTakeFirstOrThrow();
    await tx
      .updateTable("fund_years")
      .set({
        status: "open",
        closing_balance: null,
        reopened_at: new Date(),
        reopened_by: principal.userId,
        reopen_reason: reason,
      })
      .where("fund_id", "=", fund.id)
      .where("year", "=", year)
      .execute();
    await recordAudit(tx, ctx, {
      action: "fund.year_reopened",
      entityType: "fund",
      entityId: fund.id,
      orgUnitId: fund.org_unit_id,
      before: { year, status: "closed", closingBalance: before.closing, closedAt: before.closed_at },
      after: { year, status: "open", reason },
    });
  });
}

export async function setPublication(
  db: Kysely<DB>,
  principal: Principal,
  fundId: number,
  year: number,
  published: boolean,
  ctx: AuditContext,
) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.manage", fund);
  const years = fundYears(
    { startYear: fund.start_year, startMonth: fund.fiscal_year_start_month },
    todayInVietnam(),
  );
  if (!years.includes(year)) {
    throw problems.validation([{ field: "year", message: `Quỹ không có năm ${year}.` }]);
  }
  await db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom("fund_publications")
      .select("year")
      .where("fund_id", "=", fund.id)
      .where("year", "=", year)
      .executeTakeFirst();
    if (published === Boolean(existing)) return;
    if (published) {
      await tx
        .insertInto("fund_publications")
        .values({ fund_id: fund.id, year, published_by: principal.userId })
        .execute();
    } else {
      await tx
        .deleteFrom("fund_publications")
        .where("fund_id", "=", fund.id)
        .where("year", "=", year)
        .execute();
    }
    await recordAudit(tx, ctx, {
      action: published ? "fund.statement_published" : "fund.statement_unpublished",
      entityType: "fund",
      entityId: fund.id,
      orgUnitId: fund.org_unit_id,
      after: { fund: fund.name, year },
    });
  });
}

// ─── Statements ─────────────────────────────────────────────────────────────────────────

interface Period {
  year?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

async function statementOf(db: Exec, fund: FundRow, period: Period): Promise<StatementT> {
  const month = fund.fiscal_year_start_month;
  let from: string;
  let to: string;
  let label: string;
  const fiscalYear = period.year ?? null;
  if (period.year !== undefined) {
    ({ from, to } = fiscalYearRange(period.year, month));
    label = fiscalYearLabel(period.year, month);
  } else {
    from = period.from as string;
    to = period.to as string;
    label = `Từ ngày ${formatDateShort(from)} đến ngày ${formatDateShort(to)}`;
  }
  const before = await sql<{ total: string }>`
    select coalesce(sum(${SIGNED}), 0)::text as total from fund_entries e
    where e.fund_id = ${fund.id} and e.entry_date < ${from}`.execute(db);
  const grouped = await sql<{
    kind: EntryKind;
    donor_type: DonorType | null;
    purpose: Purpose | null;
    is_reversal: boolean;
    amount: string;
    entries: number;
    beneficiaries: string;
  }>`
    select e.kind, e.donor_type, e.purpose, (e.reversal_of is not null) as is_reversal,
      sum(e.amount)::text as amount, count(*)::int as entries,
      coalesce(sum(e.beneficiaries), 0)::text as beneficiaries
    from fund_entries e
    where e.fund_id = ${fund.id} and e.entry_date between ${from} and ${to}
    group by 1, 2, 3, 4`.execute(db);
  const rows: StatementRow[] = grouped.rows.map((r) => ({
    kind: r.kind,
    donorType: r.donor_type,
    purpose: r.purpose,
    isReversal: r.is_reversal,
    amount: toBigInt(r.amount),
    entries: r.entries,
    beneficiaries: toBigInt(r.beneficiaries),
  }));
  const s = buildStatement(toBigInt(before.rows[0]?.total), rows);
  const extremes = await sql<{ purpose: Purpose; smallest: string; largest: string }>`
    select e.purpose, min(l.amount)::text as smallest, max(l.amount)::text as largest
    from fund_entry_lines l join fund_entries e on e.id = l.entry_id
    where e.fund_id = ${fund.id} and e.entry_date between ${from} and ${to} and e.reversal_of is null
      and not exists (select 1 from fund_entries r where r.reversal_of = e.id)
    group by e.purpose`.execute(db);
  const extreme = new Map(extremes.rows.map((r) => [r.purpose, r]));

  let yearStatus: "open" | "closed" | null = null;
  let carriedFrom: { year: number; closing: string } | null = null;
  let published = false;
  if (fiscalYear !== null) {
    const years = await db
      .selectFrom("fund_years")
      .select(["year", "status", sql<string | null>`closing_balance::text`.as("closing")])
      .where("fund_id", "=", fund.id)
      .where("year", "in", [fiscalYear - 1, fiscalYear])
      .execute();
    yearStatus = years.find((y) => y.year === fiscalYear)?.status ?? "open";
    const previous = years.find((y) => y.year === fiscalYear - 1 && y.status === "closed");
    if (previous?.closing) carriedFrom = { year: fiscalYear - 1, closing: previous.closing };
    published = Boolean(
      await db
        .selectFrom("fund_publications")
        .select("year")
        .where("fund_id", "=", fund.id)
        .where("year", "=", fiscalYear)
        .executeTakeFirst(),
    );
  }
  const words = (n: bigint) => ({ amount: moneyString(n), inWords: moneyInWords(n) });
  return {
    fund: {
      id: fund.id,
      name: fund.name,
      orgUnit: { id: fund.org_unit_id, name: fund.unit_name, kind: fund.unit_kind },
      ancestry: await ancestryOf(db, fund.unit_path),
    },
    period: { from, to, label, fiscalYear },
    yearStatus,
    carriedFrom,
    published,
    opening: words(s.opening),
    receipts: {
      ...words(s.receipts.total),
      lines: DONOR_TYPES.map((d) => ({
        donorType: d,
        label: DONOR_TYPE_LABELS_VI[d],
        amount: moneyString(s.receipts.byDonorType[d].amount),
        entries: s.receipts.byDonorType[d].entries,
      })),
    },
    disbursements: {
      ...words(s.disbursements.total),
      lines: PURPOSES.map((p) => ({
        purpose: p,
        label: PURPOSE_LABELS_VI[p],
        amount: moneyString(s.disbursements.byPurpose[p].amount),
        entries: s.disbursements.byPurpose[p].entries,
        beneficiaries: Number(s.disbursements.byPurpose[p].beneficiaries),
        smallest: extreme.get(p)?.smallest ?? null,
        largest: extreme.get(p)?.largest ?? null,
      })),
    },
    transfersIn: { amount: moneyString(s.transfersIn.total), entries: s.transfersIn.entries },
    transfersOut: { amount: moneyString(s.transfersOut.total), entries: s.transfersOut.entries },
    closing: words(s.closing),
  };
}

export async function fundStatement(db: Kysely<DB>, principal: Principal, fundId: number, period: Period) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.read", fund);
  return statementOf(db, fund, period);
}

/** Entries and recipients of a period, for the officers' Excel export. */
export async function statementDetails(db: Kysely<DB>, principal: Principal, fundId: number, period: Period) {
  const fund = await loadFund(db, fundId);
  authorizeFund(principal, "fund.read", fund);
  const statement = await statementOf(db, fund, period);
  const { from, to } = statement.period;
  const entries = (await queryEntries(db, fund.id, { from, to, ascending: true })).map(entryView);
  const lines = await db
    .selectFrom("fund_entry_lines as l")
    .innerJoin("fund_entries as e", "e.id", "l.entry_id")
    .select([
      "e.id as entry_id",
      "e.entry_date",
      "e.purpose",
      "l.pupil_name",
      "l.school",
      "l.level",
      "l.amount",
    ])
    .where("e.fund_id", "=", fund.id)
    .where("e.entry_date", ">=", from)
    .where("e.entry_date", "<=", to)
    .orderBy("e.entry_date")
    .orderBy("l.id")
    .execute();
  return { statement, entries, lines };
}

// ─── Public statements (công khai) ──────────────────────────────────────────────────────

export async function publicFund(db: Kysely<DB>, fundId: number) {
  const fund = await loadFund(db, fundId, "báo cáo công khai này");
  const publications = await db
    .selectFrom("fund_publications")
    .select(["year", "published_at"])
    .where("fund_id", "=", fund.id)
    .orderBy("year", "desc")
    .execute();
  if (publications.length === 0) throw problems.notFound("báo cáo công khai này");
  const closed = new Set(
    (
      await db
        .selectFrom("fund_years")
        .select("year")
        .where("fund_id", "=", fund.id)
        .where("status", "=", "closed")
        .execute()
    ).map((y) => y.year),
  );
  return {
    id: fund.id,
    name: fund.name,
    unitName: fund.unit_name,
    ancestry: await ancestryOf(db, fund.unit_path),
    years: publications.map((p) => ({
      year: p.year,
      label: fiscalYearLabel(p.year, fund.fiscal_year_start_month),
      closed: closed.has(p.year),
      publishedAt: new Date(p.published_at).toISOString(),
    })),
  };
}

/** A published year's statement with its entries, without anything personal. */
export async function publicStatement(db: Kysely<DB>, fundId: number, year: number) {
  const fund = await loadFund(db, fundId, "báo cáo công khai này");
  const publication = await db
    .selectFrom("fund_publications")
    .select("year")
    .where("fund_id", "=", fund.id)
    .where("year", "=", year)
    .executeTakeFirst();
  if (!publication) throw problems.notFound("báo cáo công khai này");
  const statement = await statementOf(db, fund, { year });
  const rows = await queryEntries(db, fund.id, {
    from: statement.period.from,
    to: statement.period.to,
    ascending: true,
  });
  return {
    ...statement,
    entries: rows.map((r) => ({
      id: r.id,
      date: r.entry_date,
      kindLabel: r.reversal_of ? `Đảo: ${ENTRY_KIND_LABELS_VI[r.kind]}` : ENTRY_KIND_LABELS_VI[r.kind],
      categoryLabel: categoryLabel(r),
      // Private persons are not named publicly (Nghị định 13/2023/NĐ-CP); bodies are.
      donorName: r.donor_type && PUBLICLY_NAMED_DONORS.has(r.donor_type) ? r.donor_name : null,
      description: r.description,
      documentRef: r.document_ref,
      beneficiaries: r.beneficiaries,
      signedAmount: moneyString(
        signedAmount({ kind: r.kind, amount: BigInt(r.amount), isReversal: r.reversal_of !== null }),
      ),
      isReversal: r.reversal_of !== null,
    })),
  };
}

// ─── Roll-up and targets ────────────────────────────────────────────────────────────────

type FiguresT = z.infer<typeof FundFigures>;

interface Raw {
  metrics: Map<string, { amount: bigint; beneficiaries: bigint }>;
}

function figuresOf(raw: Raw, target: { per: bigint; population: number | null } | null): FiguresT {
  const net = (metric: string) => {
    const gross = raw.metrics.get(metric) ?? { amount: 0n, beneficiaries: 0n };
    const reversed = raw.metrics.get(`reversed:${metric}`) ?? { amount: 0n, beneficiaries: 0n };
    return {
      amount: gross.amount - reversed.amount,
      beneficiaries: gross.beneficiaries - reversed.beneficiaries,
    };
  };
  const byDonor = DONOR_TYPES.map((d) => ({
    donorType: d,
    label: DONOR_TYPE_LABELS_VI[d],
    ...net(`receipt:${d}`),
  }));
  const byPurpose = PURPOSES.map((p) => ({
    purpose: p,
    label: PURPOSE_LABELS_VI[p],
    ...net(`disbursement:${p}`),
  }));
  const receipts = byDonor.reduce((s, l) => s + l.amount, 0n);
  const disbursements = byPurpose.reduce((s, l) => s + l.amount, 0n);
  const targetAmount = target && target.population !== null ? target.per * BigInt(target.population) : null;
  return {
    receipts: moneyString(receipts),
    disbursements: moneyString(disbursements),
    transfersIn: moneyString(net("transfer_in").amount),
    transfersOut: moneyString(net("transfer_out").amount),
    receiptsByDonorType: byDonor.map((l) => ({
      donorType: l.donorType,
      label: l.label,
      amount: moneyString(l.amount),
    })),
    disbursementsByPurpose: byPurpose.map((l) => ({
      purpose: l.purpose,
      label: l.label,
      amount: moneyString(l.amount),
      beneficiaries: Number(l.beneficiaries),
    })),
    target: target
      ? {
          perInhabitant: moneyString(target.per),
          population: target.population,
          amount: targetAmount === null ? null : moneyString(targetAmount),
          percent: targetAmount === null ? null : percentOf(receipts, targetAmount),
        }
      : null,
  };
}

/**
 * Money raised and paid this year by a unit's funds and all funds below it, and by each child
 * unit: read from the counters the postings keep, one row per unit and metric.
 */
export async function fundStats(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; year: number },
) {
  const { unit, children } = await unitWithChildren(db, principal, "fund.read", query.orgUnitId, {
    validIn: query.year,
  });
  const ids = [unit.id, ...children.map((c) => c.id)];
  const rows = await db
    .selectFrom("fund_stats")
    .select(["org_unit_id", "metric", sql<string>`amount::text`.as("amount"), "beneficiaries"])
    .where("org_unit_id", "in", ids)
    .where("year", "=", query.year)
    .execute();
  const raw = new Map<number, Raw>(ids.map((id) => [id, { metrics: new Map() }]));
  for (const r of rows) {
    raw.get(r.org_unit_id)?.metrics.set(r.metric, {
      amount: toBigInt(r.amount),
      beneficiaries: BigInt(r.beneficiaries),
    });
  }
  // The nation keeps no counters of its own: its figures are the sum of its provinces.
  const own: Raw = { metrics: new Map() };
  const add = (from: Raw | undefined) => {
    for (const [k, v] of from?.metrics ?? []) {
      const cur = own.metrics.get(k) ?? { amount: 0n, beneficiaries: 0n };
      own.metrics.set(k, {
        amount: cur.amount + v.amount,
        beneficiaries: cur.beneficiaries + v.beneficiaries,
      });
    }
  };
  if (unit.level === 0) for (const c of children) add(raw.get(c.id));
  else add(raw.get(unit.id));
  const targets = new Map(
    (
      await db
        .selectFrom("fund_targets")
        .select(["org_unit_id", sql<string>`per_inhabitant::text`.as("per"), "population"])
        .where("org_unit_id", "in", ids)
        .where("year", "=", query.year)
        .execute()
    ).map((t) => [t.org_unit_id, { per: toBigInt(t.per), population: t.population }]),
  );
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind, level: unit.level },
    year: query.year,
    figures: figuresOf(own, targets.get(unit.id) ?? null),
    children: children.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      figures: figuresOf(raw.get(c.id) ?? { metrics: new Map() }, targets.get(c.id) ?? null),
    })),
  };
}

export async function setFundTarget(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof FundTargetBody>,
  ctx: AuditContext,
) {
  await db.transaction().execute(async (tx) => {
    const unit = await tx
      .selectFrom("org_units")
      .select(["id", "path"])
      .where("id", "=", input.orgUnitId)
      .executeTakeFirst();
    if (!unit) throw problems.validation([{ field: "orgUnitId", message: "Không tìm thấy đơn vị." }]);
    authorize(principal, "target.manage", unit.path);
    const before = await tx
      .selectFrom("fund_targets")
      .select(["per_inhabitant", "population"])
      .where("org_unit_id", "=", unit.id)
      .where("year", "=", input.year)
      .executeTakeFirst();
    const values = { per_inhabitant: input.perInhabitant, population: input.population ?? null };
    await tx
      .insertInto("fund_targets")
      .values({ org_unit_id: unit.id, year: input.year, ...values, set_by: principal.userId })
      .onConflict((oc) =>
        oc
          .columns(["org_unit_id", "year"])
          .doUpdateSet({ ...values, set_by: principal.userId, set_at: new Date() }),
      )
      .execute();
    await recordAudit(tx, ctx, {
      action: "fund.target_set",
      entityType: "fund_target",
      entityId: `${unit.id}:${input.year}`,
      orgUnitId: unit.id,
      before: before ? { perInhabitant: String(before.per_inhabitant), population: before.population } : null,
      after: {
        year: input.year,
        perInhabitant: String(input.perInhabitant),
        population: input.population ?? null,
      },
    });
  });
}
