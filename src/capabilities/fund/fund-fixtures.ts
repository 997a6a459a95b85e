/** Shared set-up of the fund tests: units, users, and small helpers. */
import { randomUUID } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { sql } from "kysely";
import { expect } from "vitest";
import type { Database } from "../../db/connection.ts";
import { type EntryKind, signedAmount } from "../../domain/fund/ledger.ts";
import type { App } from "../../server/types.ts";
import { createUserAndLogin, loginAsAdmin, type TestClient, unitIdByCode } from "../../testing/test-app.ts";
import { countingUnitIds } from "../statistics/counters.ts";

export const key = () => `k-${randomUUID()}`;

export async function fundWorld(app: App) {
  const admin = await loginAsAdmin(app);
  const binhYen = await unitIdByCode(admin, "05587");
  const hoaAn = await unitIdByCode(admin, "01654");
  const thaiNguyen = await unitIdByCode(admin, "19", "province");
  const user = (username: string, role: "officer" | "data_entry" | "viewer", scopeIds: number[]) =>
    createUserAndLogin(app, admin, { username, role, scopeIds });
  return {
    admin,
    binhYen,
    hoaAn,
    thaiNguyen,
    officer: await user("canbo.binhyen", "officer", [binhYen]),
    clerk: await user("nhaplieu.binhyen", "data_entry", [binhYen]),
    viewer: await user("xem.binhyen", "viewer", [binhYen]),
    outsider: await user("canbo.hoaan", "officer", [hoaAn]),
    province: await user("canbo.thainguyen", "officer", [thaiNguyen]),
  };
}

export interface Fund {
  id: number;
  name: string;
  balance: string;
  years: { year: number; status: string; closingBalance: string | null }[];
}

export async function createFund(client: TestClient, body: Record<string, unknown>): Promise<Fund> {
  const res = await client.post("/api/v1/funds", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Fund;
}

export interface StatementJson {
  opening: { amount: string; inWords: string };
  receipts: {
    amount: string;
    inWords: string;
    lines: { donorType: string; amount: string; entries: number }[];
  };
  disbursements: {
    amount: string;
    inWords: string;
    lines: {
      purpose: string;
      amount: string;
      entries: number;
      beneficiaries: number;
      smallest: string | null;
      largest: string | null;
    }[];
  };
  transfersIn: { amount: string; entries: number };
  transfersOut: { amount: string; entries: number };
  closing: { amount: string; inWords: string };
  carriedFrom: { year: number; closing: string } | null;
  yearStatus: string | null;
  published: boolean;
}

export async function statement(client: TestClient, fundId: number, query: string): Promise<StatementJson> {
  const res = await client.get(`/api/v1/funds/${fundId}/statement?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as StatementJson;
}

/** closing = opening + receipts − disbursements + transfers in − transfers out, in bigint. */
export function expectBalanced(s: StatementJson) {
  expect(BigInt(s.closing.amount)).toBe(
    BigInt(s.opening.amount) +
      BigInt(s.receipts.amount) -
      BigInt(s.disbursements.amount) +
      BigInt(s.transfersIn.amount) -
      BigInt(s.transfersOut.amount),
  );
}

export async function entryCount(database: Database): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from fund_entries`.execute(database.db);
  return r.rows[0]?.n ?? 0;
}

/** Every fund's balance recounted from its raw rows, in JavaScript bigint. */
export async function recountBalances(database: Database): Promise<Map<number, bigint>> {
  const rows = await database.db
    .selectFrom("fund_entries")
    .select(["fund_id", "kind", sql<string>`amount::text`.as("amount"), "reversal_of"])
    .execute();
  const balances = new Map<number, bigint>();
  for (const r of rows) {
    const s = signedAmount({
      kind: r.kind as EntryKind,
      amount: BigInt(r.amount),
      isReversal: r.reversal_of !== null,
    });
    balances.set(r.fund_id, (balances.get(r.fund_id) ?? 0n) + s);
  }
  return balances;
}

/** The roll-up counters equal a recount from the entries, at every unit and ancestor. */
export async function expectCountersEqualRecount(database: Database) {
  const rows = await database.db
    .selectFrom("fund_entries as e")
    .innerJoin("funds as f", "f.id", "e.fund_id")
    .innerJoin("org_units as u", "u.id", "f.org_unit_id")
    .select([
      "e.kind",
      "e.donor_type",
      "e.purpose",
      "e.fiscal_year",
      "e.reversal_of",
      "e.beneficiaries",
      sql<string>`e.amount::text`.as("amount"),
      "u.path",
    ])
    .execute();
  const expected = new Map<string, string>();
  const add = (k: string, amount: bigint, beneficiaries: number) => {
    const [a = "0", n = "0", b = "0"] = (expected.get(k) ?? "0|0|0").split("|");
    expected.set(k, `${BigInt(a) + amount}|${Number(n) + 1}|${Number(b) + beneficiaries}`);
  };
  for (const r of rows) {
    if (r.kind === "opening") continue;
    const base =
      r.kind === "receipt"
        ? `receipt:${r.donor_type}`
        : r.kind === "disbursement"
          ? `disbursement:${r.purpose}`
          : r.kind;
    const metric = r.reversal_of === null ? base : `reversed:${base}`;
    for (const unit of countingUnitIds(r.path)) {
      add(`${unit}|${r.fiscal_year}|${metric}`, BigInt(r.amount), r.beneficiaries ?? 0);
    }
  }
  const kept = await database.db
    .selectFrom("fund_stats")
    .select([
      "org_unit_id",
      "year",
      "metric",
      sql<string>`amount::text`.as("amount"),
      "entries",
      "beneficiaries",
    ])
    .execute();
  const actual = new Map(
    kept.map((k) => [
      `${k.org_unit_id}|${k.year}|${k.metric}`,
      `${k.amount}|${k.entries}|${k.beneficiaries}`,
    ]),
  );
  expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
}

/** The files of a zip (XLSX, DOCX) by name, read with node:zlib through the central directory. */
export function unzip(buffer: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip file");
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(dataStart, dataStart + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString("utf8"));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}
