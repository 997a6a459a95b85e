/**
 * Programme events: record, correct, delete (audited, with their counters, in one transaction);
 * link the fund disbursements handed out at an event as its scholarships (derived, never typed);
 * the year's summary of a unit and its children (events by kind, communes that held the Week or
 * the 2/10 Day, scholarships, coordination agreements).
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { z } from "zod";
import { isInScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import {
  EVENT_KIND_LABELS_VI,
  EVENT_KINDS,
  type EventKind,
  SCHOLARSHIP_PURPOSES,
} from "../../domain/events/events.ts";
import { pathIds } from "../../domain/org-units.ts";
import { foldForSearch } from "../../domain/text.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { agreementFigures } from "../agreements/service.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { communesInYear, readChildrenCounters, readChildrenSummary } from "../statistics/children-summary.ts";
import { bumpEventStats, type CountedEvent, eventDeltas } from "./counters.ts";
import type { CreateEventBody, UpdateEventBody } from "./schemas.ts";

type Exec = Kysely<DB> | Transaction<DB>;
type EventInput = z.infer<typeof UpdateEventBody>;

/** Units above the communes list only their own events; a commune and below list their subtree. */
const ABOVE_COMMUNE = new Set(["nation", "province", "cluster", "district"]);

export async function unitById(tx: Exec, id: number) {
  const unit = await tx
    .selectFrom("org_units")
    .select(["id", "name", "kind", "level", "path", "valid_to"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!unit) throw problems.notFound("đơn vị này");
  return unit;
}

/** The commune the unit at `path` is (or lies in), if any: an event at a village counts for its commune. */
async function communeOf(tx: Exec, path: string) {
  return (
    (await tx
      .selectFrom("org_units")
      .select(["id", "path"])
      .where("id", "in", pathIds(path))
      .where("kind", "=", "commune")
      .executeTakeFirst()) ?? null
  );
}

function counted(r: {
  kind: string;
  start_date: string;
  participants: number;
  female: number | null;
  direct_scholarships: number | null;
  direct_scholarship_amount: number | null;
}): CountedEvent {
  return {
    kind: r.kind as EventKind,
    startDate: r.start_date,
    participants: r.participants,
    female: r.female,
    directScholarships: r.direct_scholarships,
    directScholarshipAmount: r.direct_scholarship_amount,
  };
}

function eventValues(input: EventInput) {
  return {
    kind: input.kind,
    title: input.title,
    search_key: foldForSearch(input.title),
    start_date: input.startDate,
    end_date: input.endDate,
    year: Number(input.startDate.slice(0, 4)),
    place: input.place,
    participants: input.participants,
    female: input.female ?? null,
    direct_scholarships: input.directScholarships ?? null,
    direct_scholarship_amount: input.directScholarshipAmount ?? null,
    notes: input.notes,
  };
}

// ─── Reading ───────────────────────────────────────────────────────────────────────────

const SELECT_EVENT = [
  "e.id",
  "e.org_unit_id",
  "o.name as unit_name",
  "e.kind",
  "e.title",
  "e.start_date",
  "e.end_date",
  "e.place",
  "e.participants",
  "e.female",
  "e.direct_scholarships",
  "e.direct_scholarship_amount",
  "e.notes",
] as const;

interface LinkedRow {
  event_id: number;
  entry_id: number;
  fund_id: number;
  fund_name: string;
  entry_date: string;
  purpose: string;
  amount: number;
  beneficiaries: number | null;
  description: string | null;
  reversed: boolean;
}

async function linkedEntries(tx: Exec, eventIds: readonly number[]): Promise<LinkedRow[]> {
  if (eventIds.length === 0) return [];
  const rows = await sql<LinkedRow>`
    select l.event_id, f.id as entry_id, f.fund_id, fu.name as fund_name, f.entry_date, f.purpose,
           f.amount, f.beneficiaries, f.description,
           exists (select 1 from fund_entries r where r.reversal_of = f.id) as reversed
    from event_fund_entries l
    join fund_entries f on f.id = l.fund_entry_id
    join funds fu on fu.id = f.fund_id
    where l.event_id = any(${sql.val([...eventIds])}::bigint[])
    order by f.entry_date, f.id`.execute(tx);
  return rows.rows;
}

const toLinked = (l: LinkedRow) => ({
  entryId: Number(l.entry_id),
  fundId: Number(l.fund_id),
  fundName: l.fund_name,
  date: l.entry_date,
  purpose: l.purpose,
  amount: String(l.amount),
  beneficiaries: l.beneficiaries ?? 0,
  description: l.description,
  reversed: l.reversed,
});

async function eventsWithLinks(tx: Exec, rows: Awaited<ReturnType<typeof selectEvents>>) {
  const links = await linkedEntries(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const mine = links.filter((l) => Number(l.event_id) === r.id);
    const counting = mine.filter((l) => !l.reversed);
    return {
      id: r.id,
      unit: { id: r.org_unit_id, name: r.unit_name },
      kind: r.kind as EventKind,
      kindLabel: EVENT_KIND_LABELS_VI[r.kind as EventKind] ?? r.kind,
      title: r.title,
      startDate: r.start_date,
      endDate: r.end_date,
      place: r.place,
      participants: r.participants,
      female: r.female,
      directScholarships: r.direct_scholarships,
      directScholarshipAmount:
        r.direct_scholarship_amount === null ? null : String(r.direct_scholarship_amount),
      notes: r.notes,
      fundScholarships: counting.reduce((s, l) => s + (l.beneficiaries ?? 0), 0),
      fundScholarshipAmount: counting.reduce((s, l) => s + BigInt(l.amount), 0n).toString(),
      linked: mine.map(toLinked),
    };
  });
}

function selectEvents(
  exec: Exec,
  where: (q: ReturnType<typeof baseEvents>) => ReturnType<typeof baseEvents>,
) {
  return where(baseEvents(exec))
    .orderBy("e.start_date", "desc")
    .orderBy("e.id", "desc")
    .limit(1000)
    .execute();
}
function baseEvents(exec: Exec) {
  return exec
    .selectFrom("programme_events as e")
    .innerJoin("org_units as o", "o.id", "e.org_unit_id")
    .select([...SELECT_EVENT]);
}

async function oneEvent(tx: Exec, id: number) {
  const rows = await selectEvents(tx, (q) => q.where("e.id", "=", id));
  const [event] = await eventsWithLinks(tx, rows);
  if (!event) throw problems.notFound("sự kiện này");
  return event;
}

export async function listEvents(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; year: number; kind?: EventKind | undefined },
) {
  const unit = await unitById(db, query.orgUnitId);
  authorize(principal, "event.read", unit.path);
  const includesBelow = !ABOVE_COMMUNE.has(unit.kind);
  const rows = await selectEvents(db, (q) => {
    let r = q.where("e.year", "=", query.year);
    r = includesBelow ? r.where("o.path", "like", `${unit.path}%`) : r.where("e.org_unit_id", "=", unit.id);
    return query.kind ? r.where("e.kind", "=", query.kind) : r;
  });
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    year: query.year,
    includesBelow,
    canWrite:
      roleGrants(principal.role, "event.write") &&
      isInScope(principal.scopePaths, unit.path) &&
      unit.valid_to === null &&
      unit.level > 0,
    events: await eventsWithLinks(db, rows),
  };
}

// ─── Writing ───────────────────────────────────────────────────────────────────────────

async function lockEvent(tx: Exec, principal: Principal, id: number) {
  const before = await tx
    .selectFrom("programme_events")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!before) throw problems.notFound("sự kiện này");
  const unit = await unitById(tx, before.org_unit_id);
  authorize(principal, "event.write", unit.path);
  return { before, unit };
}

export async function createEvent(
  db: Kysely<DB>,
  principal: Principal,
  input: z.infer<typeof CreateEventBody>,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const unit = await unitById(tx, input.orgUnitId);
    authorize(principal, "event.write", unit.path);
    if (unit.level === 0) {
      throw problems.validation([
        {
          field: "orgUnitId",
          message: "Sự kiện được ghi ở tỉnh, xã hoặc đơn vị cụ thể, không ghi ở cấp toàn quốc.",
        },
      ]);
    }
    const values = eventValues(input);
    const created = await tx
      .insertInto("programme_events")
      .values({ ...values, org_unit_id: unit.id, created_by: principal.userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    const commune = await communeOf(tx, unit.path);
    await bumpEventStats(
      tx,
      unit.path,
      commune?.path ?? null,
      commune?.id ?? null,
      eventDeltas(null, counted(values)),
    );
    await recordAudit(tx, ctx, {
      action: "event.create",
      entityType: "programme_event",
      entityId: created.id,
      orgUnitId: unit.id,
      after: input,
    });
    return oneEvent(tx, created.id);
  });
}

export async function updateEvent(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: EventInput,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const { before, unit } = await lockEvent(tx, principal, id);
    const values = eventValues(input);
    await tx
      .updateTable("programme_events")
      .set({ ...values, updated_at: sql`now()` })
      .where("id", "=", id)
      .execute();
    const commune = await communeOf(tx, unit.path);
    await bumpEventStats(
      tx,
      unit.path,
      commune?.path ?? null,
      commune?.id ?? null,
      eventDeltas(counted(before), counted(values)),
    );
    await recordAudit(tx, ctx, {
      action: "event.update",
      entityType: "programme_event",
      entityId: id,
      orgUnitId: unit.id,
      before,
      after: input,
    });
    return oneEvent(tx, id);
  });
}

export async function deleteEvent(db: Kysely<DB>, principal: Principal, id: number, ctx: AuditContext) {
  return db.transaction().execute(async (tx) => {
    const { before, unit } = await lockEvent(tx, principal, id);
    // The links go with the event; the fund's entries stay, free to be linked again.
    const links = await tx
      .deleteFrom("event_fund_entries")
      .where("event_id", "=", id)
      .returning("fund_entry_id")
      .execute();
    await tx.deleteFrom("programme_events").where("id", "=", id).execute();
    const commune = await communeOf(tx, unit.path);
    await bumpEventStats(
      tx,
      unit.path,
      commune?.path ?? null,
      commune?.id ?? null,
      eventDeltas(counted(before), null),
    );
    await recordAudit(tx, ctx, {
      action: "event.delete",
      entityType: "programme_event",
      entityId: id,
      orgUnitId: unit.id,
      before: { ...before, linkedFundEntries: links.map((l) => l.fund_entry_id) },
    });
  });
}

// ─── Linking fund disbursements ────────────────────────────────────────────────────────

/**
 * Scholarship disbursements the event may show: posted (not reversed, not a reversal) in a fund
 * of the event's unit or a unit below it and inside the user's scope, in the event's year, and
 * not yet linked to any event.
 */
export async function linkableEntries(db: Kysely<DB>, principal: Principal, eventId: number) {
  const event = await db
    .selectFrom("programme_events")
    .select(["id", "org_unit_id", "year"])
    .where("id", "=", eventId)
    .executeTakeFirst();
  if (!event) throw problems.notFound("sự kiện này");
  const unit = await unitById(db, event.org_unit_id);
  authorize(principal, "event.write", unit.path);
  const rows = await sql<LinkedRow & { unit_path: string }>`
    select f.id as entry_id, f.fund_id, fu.name as fund_name, f.entry_date, f.purpose, f.amount,
           f.beneficiaries, f.description, false as reversed, o.path as unit_path, 0 as event_id
    from fund_entries f
    join funds fu on fu.id = f.fund_id
    join org_units o on o.id = fu.org_unit_id
    where o.path like ${`${unit.path}%`}
      and f.kind = 'disbursement'
      and f.purpose = any(${sql.val([...SCHOLARSHIP_PURPOSES])}::text[])
      and f.reversal_of is null
      and f.entry_date between ${`${event.year}-01-01`}::date and ${`${event.year}-12-31`}::date
      and not exists (select 1 from fund_entries r where r.reversal_of = f.id)
      and not exists (select 1 from event_fund_entries l where l.fund_entry_id = f.id)
    order by f.entry_date desc, f.id desc
    limit 200`.execute(db);
  return rows.rows
    .filter((r) => isInScope(principal.scopePaths, r.unit_path))
    .map((r) => {
      const { reversed: _, ...rest } = toLinked(r);
      return rest;
    });
}

export async function linkEntry(
  db: Kysely<DB>,
  principal: Principal,
  eventId: number,
  fundEntryId: number,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const { unit } = await lockEvent(tx, principal, eventId);
    const entry = await tx
      .selectFrom("fund_entries as f")
      .innerJoin("funds as fu", "fu.id", "f.fund_id")
      .innerJoin("org_units as o", "o.id", "fu.org_unit_id")
      .select(["f.id", "f.kind", "f.purpose", "f.reversal_of", "f.amount", "f.beneficiaries", "o.path"])
      .where("f.id", "=", fundEntryId)
      .executeTakeFirst();
    if (!entry) throw problems.notFound("khoản chi này");
    authorize(principal, "fund.read", entry.path);
    const field = "fundEntryId";
    if (
      entry.kind !== "disbursement" ||
      !(SCHOLARSHIP_PURPOSES as readonly string[]).includes(entry.purpose ?? "")
    ) {
      throw problems.validation([
        { field, message: "Chỉ gắn được khoản chi học bổng, khen thưởng, đỡ đầu hoặc hỗ trợ." },
      ]);
    }
    if (entry.reversal_of !== null) {
      throw problems.validation([{ field, message: "Đây là bút toán hủy, không gắn vào sự kiện được." }]);
    }
    const reversed = await tx
      .selectFrom("fund_entries")
      .select("id")
      .where("reversal_of", "=", entry.id)
      .executeTakeFirst();
    if (reversed) throw problems.validation([{ field, message: "Khoản chi này đã bị hủy trong sổ quỹ." }]);
    if (!entry.path.startsWith(unit.path)) {
      throw problems.validation([
        { field, message: "Khoản chi phải thuộc quỹ của đơn vị tổ chức sự kiện hoặc đơn vị trực thuộc." },
      ]);
    }
    const taken = await tx
      .selectFrom("event_fund_entries")
      .select("event_id")
      .where("fund_entry_id", "=", entry.id)
      .executeTakeFirst();
    if (taken) {
      throw problems.conflict(
        "already_linked",
        taken.event_id === eventId
          ? "Khoản chi này đã gắn với sự kiện."
          : "Khoản chi này đã gắn với một sự kiện khác.",
      );
    }
    await tx
      .insertInto("event_fund_entries")
      .values({ event_id: eventId, fund_entry_id: entry.id, linked_by: principal.userId })
      .execute();
    await recordAudit(tx, ctx, {
      action: "event.fund_entry.link",
      entityType: "programme_event",
      entityId: eventId,
      orgUnitId: unit.id,
      after: { fundEntryId: entry.id, amount: String(entry.amount), beneficiaries: entry.beneficiaries },
    });
    return oneEvent(tx, eventId);
  });
}

export async function unlinkEntry(
  db: Kysely<DB>,
  principal: Principal,
  eventId: number,
  fundEntryId: number,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const { unit } = await lockEvent(tx, principal, eventId);
    const removed = await tx
      .deleteFrom("event_fund_entries")
      .where("event_id", "=", eventId)
      .where("fund_entry_id", "=", fundEntryId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw problems.notFound("khoản chi này trong sự kiện");
    await recordAudit(tx, ctx, {
      action: "event.fund_entry.unlink",
      entityType: "programme_event",
      entityId: eventId,
      orgUnitId: unit.id,
      before: { fundEntryId },
    });
    return oneEvent(tx, eventId);
  });
}

// ─── The year's summary ────────────────────────────────────────────────────────────────

const EMPTY_KINDS = new Map<string, number>();

function figuresOf(
  m: Map<string, number>,
  amount: bigint,
  fund: { n: number; amount: bigint },
  communes: number,
  agreements: ReturnType<typeof agreementFigures>,
) {
  const kinds = EVENT_KINDS.map((kind) => ({
    kind,
    label: EVENT_KIND_LABELS_VI[kind],
    events: m.get(`events:${kind}`) ?? 0,
    participants: m.get(`participants:${kind}`) ?? 0,
    female: m.get(`female:${kind}`) ?? 0,
    femaleEvents: m.get(`female_events:${kind}`) ?? 0,
    communesHeld: m.get(`held:${kind}`) ?? 0,
  }));
  return {
    kinds,
    events: kinds.reduce((s, k) => s + k.events, 0),
    participants: kinds.reduce((s, k) => s + k.participants, 0),
    female: kinds.reduce((s, k) => s + k.female, 0),
    femaleEvents: kinds.reduce((s, k) => s + k.femaleEvents, 0),
    directScholarships: m.get("direct_scholarships") ?? 0,
    directScholarshipAmount: amount.toString(),
    fundScholarships: fund.n,
    fundScholarshipAmount: fund.amount.toString(),
    communes,
    agreements,
  };
}

export async function eventSummary(
  db: Kysely<DB>,
  principal: Principal,
  query: { orgUnitId: number; year: number },
) {
  const year = String(query.year);
  const lastYear = String(query.year - 1);
  const { unit, children, ...events } = await readChildrenSummary(db, principal, {
    action: "event.read",
    table: "event_stats",
    orgUnitId: query.orgUnitId,
    periods: [year],
    childrenValidIn: query.year,
  });
  const agreements = await readChildrenCounters(db, "agreement_stats", unit, children, [year, lastYear]);
  // Amounts exactly: a sum of đồng may pass 2^53.
  const exact = await readChildrenCounters(db, "event_stats", unit, children, [year], true);
  const amountIn = (m: Map<string, bigint> | undefined) => m?.get("direct_scholarship_amount") ?? 0n;
  const communes = await communesInYear(db, unit, query.year);

  // Linked fund scholarships, read from the links at read time so a reversal posted later in
  // the fund counts at once: one indexed pass over the year's events of the subtree.
  const fundRows = await sql<{ child: string; n: string; amount: string }>`
    select split_part(o.path, '/', ${unit.level + 3}) as child,
           coalesce(sum(f.beneficiaries), 0)::text as n, coalesce(sum(f.amount), 0)::text as amount
    from event_fund_entries l
    join programme_events e on e.id = l.event_id
    join org_units o on o.id = e.org_unit_id
    join fund_entries f on f.id = l.fund_entry_id
    where e.year = ${query.year} and o.path like ${`${unit.path}%`}
      and not exists (select 1 from fund_entries r where r.reversal_of = f.id)
    group by 1`.execute(db);
  const fundOf = new Map(
    fundRows.rows.map((r) => [r.child, { n: Number(r.n), amount: BigInt(r.amount) }] as const),
  );
  const fundTotal = { n: 0, amount: 0n };
  for (const f of fundOf.values()) {
    fundTotal.n += f.n;
    fundTotal.amount += f.amount;
  }

  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind, level: unit.level },
    year: query.year,
    total: figuresOf(
      events.own(year) ?? EMPTY_KINDS,
      amountIn(exact.own(year)),
      fundTotal,
      communes.total,
      agreementFigures(agreements.own(year), agreements.own(lastYear)),
    ),
    children: children.map((c) => {
      const m = events.of(c.id, year);
      const a = agreements.of(c.id, year);
      return {
        id: c.id,
        name: c.name,
        kind: c.kind,
        eventsMissing: m === undefined,
        agreementsMissing: a === undefined,
        figures: figuresOf(
          m ?? EMPTY_KINDS,
          amountIn(exact.of(c.id, year)),
          fundOf.get(String(c.id)) ?? { n: 0, amount: 0n },
          communes.below(c.id),
          agreementFigures(a, agreements.of(c.id, lastYear)),
        ),
      };
    }),
  };
}
