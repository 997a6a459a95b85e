import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInVietnam } from "../../domain/dates.ts";
import { DONOR_TYPES, PURPOSES } from "../../domain/fund/ledger.ts";
import { startTestApp } from "../../testing/test-app.ts";
import {
  createFund,
  expectBalanced,
  expectCountersEqualRecount,
  type Fund,
  fundWorld,
  key,
  recountBalances,
  statement,
} from "./fund-fixtures.ts";

/**
 * The ledger's invariants after any random sequence of receipts, disbursements, transfers,
 * reversals, replays, year closes and reopenings — each batch sent all at once (Promise.all of
 * parallel requests, so on PostgreSQL they run in parallel transactions):
 * - for every fund and year: closing = opening + receipts − disbursements ± transfers, to the
 *   đồng, and each year's closing is the next year's opening;
 * - the last closing equals the fund's balance and a recount of its raw rows;
 * - exactly the accepted postings are stored (nothing partial, nothing twice, nothing lost);
 * - balances never go below zero; the roll-up counters equal a recount of the entries.
 */
const TODAY = todayInVietnam();
const YEAR = Number(TODAY.slice(0, 4));
const START = YEAR - 2;
const BASE = Date.parse(`${START}-01-01T00:00:00Z`);
const SPAN = Math.floor((Date.parse(`${TODAY}T00:00:00Z`) - BASE) / 86_400_000);

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let world: Awaited<ReturnType<typeof fundWorld>>;
let funds: Fund[];
/** Entries the API accepted (plus the openings), as "fundId:id". */
const accepted = new Set<string>();
/** Postings sent, to be replayed with their key. */
const sent: { url: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  ctx = await startTestApp();
  world = await fundWorld(ctx.app);
  const p = world.province;
  funds = [
    await createFund(p, {
      orgUnitId: world.binhYen,
      kind: "general",
      startYear: START,
      openingBalance: 5_000_000,
    }),
    await createFund(p, {
      orgUnitId: world.binhYen,
      kind: "named",
      name: "Quỹ học bổng Bình Yên",
      fiscalYearStartMonth: 11,
      startYear: START,
    }),
    await createFund(p, {
      orgUnitId: world.thaiNguyen,
      kind: "general",
      startYear: START,
      openingBalance: 1_000,
    }),
  ];
  const rows = await ctx.database.db.selectFrom("fund_entries").select(["id", "fund_id"]).execute();
  for (const r of rows) accepted.add(`${r.fund_id}:${r.id}`);
});
afterAll(() => ctx.close());

type Op =
  | { kind: "receipt"; fund: number; amount: number; donor: number; day: number }
  | { kind: "disbursement"; fund: number; amount: number; purpose: number; people: number; day: number }
  | { kind: "transfer"; fund: number; to: number; amount: number; day: number }
  | { kind: "reverse"; pick: number }
  | { kind: "replay"; pick: number }
  | { kind: "close"; fund: number; year: number }
  | { kind: "reopen"; fund: number };

const fundIndex = fc.integer({ min: 0, max: 2 });
const amount = fc.integer({ min: 1, max: 3_000_000 });
const day = fc.integer({ min: 0, max: SPAN });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("receipt" as const),
      fund: fundIndex,
      amount,
      donor: fc.nat(),
      day,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("disbursement" as const),
      fund: fundIndex,
      amount,
      purpose: fc.nat(),
      people: fc.integer({ min: 1, max: 50 }),
      day,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("transfer" as const),
      fund: fundIndex,
      to: fundIndex,
      amount,
      day,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("reverse" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("close" as const),
      fund: fundIndex,
      // Years close in order: the first year most often, so later ones get their turn too.
      year: fc.constantFrom(START, START, START + 1, YEAR),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reopen" as const), fund: fundIndex }) },
);

const dateOf = (offset: number) => new Date(BASE + offset * 86_400_000).toISOString().slice(0, 10);

/** Refusals a random sequence may meet; anything else (a 500, a bad request) fails the property. */
const EXPECTED_REFUSALS = new Set([
  "insufficient_balance",
  "year_closed",
  "already_reversed",
  "reversal_of_reversal",
  "close_in_order",
  // A reopen races a close of the next year in the same batch: only the latest closed year reopens.
  "reopen_in_order",
  "year_not_ended",
  "year_open",
  "before_fund_start",
]);

async function run(o: Op): Promise<void> {
  const client = world.province;
  let res: Awaited<ReturnType<typeof client.post>> | null = null;
  const send = (url: string, body: Record<string, unknown>) => {
    sent.push({ url, body });
    return client.post(url, body);
  };
  if (o.kind === "receipt") {
    const f = funds[o.fund] as Fund;
    res = await send(`/api/v1/funds/${f.id}/receipts`, {
      date: dateOf(o.day),
      amount: o.amount,
      donorType: DONOR_TYPES[o.donor % DONOR_TYPES.length],
      idempotencyKey: key(),
    });
  } else if (o.kind === "disbursement") {
    const f = funds[o.fund] as Fund;
    res = await send(`/api/v1/funds/${f.id}/disbursements`, {
      date: dateOf(o.day),
      amount: o.amount,
      purpose: PURPOSES[o.purpose % PURPOSES.length],
      beneficiaries: o.people,
      idempotencyKey: key(),
    });
  } else if (o.kind === "transfer") {
    if (o.fund === o.to) return;
    const f = funds[o.fund] as Fund;
    res = await send(`/api/v1/funds/${f.id}/transfers`, {
      date: dateOf(o.day),
      amount: o.amount,
      toFundId: (funds[o.to] as Fund).id,
      idempotencyKey: key(),
    });
  } else if (o.kind === "reverse") {
    const ids = [...accepted];
    if (ids.length === 0) return;
    const [fundId, entryId] = (ids[o.pick % ids.length] as string).split(":");
    res = await client.post(`/api/v1/funds/${fundId}/entries/${entryId}/reverse`, { reason: "Kiểm thử đảo" });
  } else if (o.kind === "replay") {
    if (sent.length === 0) return;
    const again = sent[o.pick % sent.length] as { url: string; body: Record<string, unknown> };
    res = await client.post(again.url, again.body);
  } else if (o.kind === "close") {
    const f = funds[o.fund] as Fund;
    res = await client.post(`/api/v1/funds/${f.id}/years/${o.year}/close`);
    if (res.statusCode === 200) return;
  } else {
    const f = funds[o.fund] as Fund;
    const detail = (await world.admin.get(`/api/v1/funds/${f.id}`)).json() as {
      lastClosedYear: number | null;
    };
    if (detail.lastClosedYear === null) return;
    res = await world.admin.post(`/api/v1/funds/${f.id}/years/${detail.lastClosedYear}/reopen`, {
      reason: "Kiểm thử mở lại",
    });
    if (res.statusCode === 200) return;
  }
  if (res === null) return;
  if (res.statusCode === 200 || res.statusCode === 201) {
    for (const e of (res.json() as { entries: { id: number; fundId: number }[] }).entries) {
      accepted.add(`${e.fundId}:${e.id}`);
    }
    return;
  }
  const problem = res.json() as { code: string };
  expect(EXPECTED_REFUSALS.has(problem.code), `${o.kind}: ${res.statusCode} ${res.body}`).toBe(true);
}

async function checkInvariants() {
  const recount = await recountBalances(ctx.database);
  const stored = await ctx.database.db.selectFrom("fund_entries").select(["id", "fund_id"]).execute();
  expect(new Set(stored.map((r) => `${r.fund_id}:${r.id}`))).toEqual(accepted);
  let transfersIn = 0n;
  let transfersOut = 0n;
  for (const f of funds) {
    const detail = (await world.province.get(`/api/v1/funds/${f.id}`)).json() as {
      balance: string;
      years: { year: number; status: string; closingBalance: string | null }[];
    };
    const years = [...detail.years].sort((a, b) => a.year - b.year);
    let previous: Awaited<ReturnType<typeof statement>> | null = null;
    for (const y of years) {
      const s = await statement(world.province, f.id, `year=${y.year}`);
      expectBalanced(s);
      if (previous) expect(s.opening.amount, `${f.name} ${y.year}`).toBe(previous.closing.amount);
      if (s.carriedFrom) expect(s.carriedFrom.closing).toBe(previous?.closing.amount);
      if (y.status === "closed") expect(y.closingBalance).toBe(s.closing.amount);
      transfersIn += BigInt(s.transfersIn.amount);
      transfersOut += BigInt(s.transfersOut.amount);
      previous = s;
    }
    expect(previous?.closing.amount).toBe(detail.balance);
    expect(BigInt(detail.balance)).toBe(recount.get(f.id) ?? 0n);
    expect(BigInt(detail.balance) >= 0n).toBe(true);
  }
  // Money moved between funds is never created nor lost (both the province's and the named fund's
  // years cover every transfer date).
  expect(transfersIn).toBe(transfersOut);
  await expectCountersEqualRecount(ctx.database);
}

describe("fund ledger invariants", () => {
  it("hold after any sequence of concurrent postings, reversals, transfers, replays, closes and reopenings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        await Promise.all(ops.map(run));
        await checkInvariants();
      }),
      { numRuns: 20 },
    );
  });

  it("never lets parallel disbursements spend the same money twice", async () => {
    const fund = await createFund(world.province, {
      orgUnitId: world.thaiNguyen,
      kind: "named",
      name: "Quỹ thử chi đồng thời",
      startYear: YEAR,
    });
    const seed = await world.province.post(`/api/v1/funds/${fund.id}/receipts`, {
      date: TODAY,
      amount: 100,
      donorType: "budget",
    });
    expect(seed.statusCode).toBe(201);
    accepted.add(`${fund.id}:${(seed.json() as { entries: { id: number }[] }).entries[0]?.id}`);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        world.province.post(`/api/v1/funds/${fund.id}/disbursements`, {
          date: TODAY,
          amount: 15,
          purpose: "operating",
        }),
      ),
    );
    const codes = responses.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 201, 201, 201, 201, 409, 409, 409, 409]);
    for (const r of responses.filter((x) => x.statusCode === 201)) {
      accepted.add(`${fund.id}:${(r.json() as { entries: { id: number }[] }).entries[0]?.id}`);
    }
    const detail = (await world.province.get(`/api/v1/funds/${fund.id}`)).json() as { balance: string };
    expect(detail.balance).toBe("10");
    funds.push(fund);
    await checkInvariants();
  });

  it("keeps every sum exact when many postings to one fund arrive at once", async () => {
    const [general] = funds as [Fund];
    const before = BigInt(((await world.province.get(`/api/v1/funds/${general.id}`)).json() as Fund).balance);
    const amounts = Array.from({ length: 24 }, (_, i) => 1_000_000 + i * 7_919);
    const responses = await Promise.all(
      amounts.map((a) =>
        world.province.post(`/api/v1/funds/${general.id}/receipts`, {
          date: TODAY,
          amount: a,
          donorType: "member",
        }),
      ),
    );
    for (const r of responses) {
      expect(r.statusCode, r.body).toBe(201);
      accepted.add(`${general.id}:${(r.json() as { entries: { id: number }[] }).entries[0]?.id}`);
    }
    const after = BigInt(((await world.province.get(`/api/v1/funds/${general.id}`)).json() as Fund).balance);
    expect(after - before).toBe(amounts.reduce((s, a) => s + BigInt(a), 0n));
    await checkInvariants();
  });
});
