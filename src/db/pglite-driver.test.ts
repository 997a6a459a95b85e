/**
 * The embedded driver prepares a statement text the second time it sees it and runs it by name
 * from then on. What it answers must not change with that: the same rows with the same JavaScript
 * types, the rows a write touched, the same errors with their SQLSTATE, and a transaction that
 * still commits or rolls back as a whole. Runs on PGlite whatever backend the rest of the suite uses.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Database } from "./connection.ts";

let dir: string;
let database: Database;
let db: Kysely<unknown>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "xhht-pglite-driver-"));
  database = await connect({ dataDir: dir });
  db = database.db as unknown as Kysely<unknown>;
  await sql`create table driver_things (
    id bigserial primary key, name text not null unique, born date, amount bigint,
    ratio numeric(5, 2), tags text[], doc jsonb, active boolean, at timestamptz)`.execute(db);
});

afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (name: string, amount: number | null, tags: string[]) =>
  sql<{ id: number }>`
    insert into driver_things (name, born, amount, ratio, tags, doc, active, at)
    values (${name}, ${"1990-02-28"}, ${amount}, ${"12.50"}, ${tags}, ${JSON.stringify({ tên: name })}::jsonb,
      ${true}, ${new Date("2026-01-02T03:04:05Z")})
    returning id`.execute(db);

const byName = (name: string) =>
  sql<Record<string, unknown>>`select * from driver_things where name = ${name}`.execute(db);

describe("the embedded driver's prepared statements", () => {
  it("answers the same rows and types the first time (unprepared) and every time after (prepared)", async () => {
    const names = ["Nguyễn Văn A", "Trần Thị B", "Lê Văn C", "Phạm D"];
    const ids: number[] = [];
    for (const [i, name] of names.entries()) {
      const inserted = await insert(name, i === 2 ? null : 9_007_199_254_740_000 + i, [name, "xã"]);
      ids.push(inserted.rows[0]?.id as number);
    }
    expect(ids.every((id) => typeof id === "number")).toBe(true);
    expect(new Set(ids).size).toBe(4);

    const rows = [];
    for (const name of names) rows.push((await byName(name)).rows[0]);
    for (const [i, row] of rows.entries()) {
      expect(row).toEqual({
        id: ids[i],
        name: names[i],
        born: "1990-02-28",
        amount: i === 2 ? null : 9_007_199_254_740_000 + i,
        ratio: "12.50",
        tags: [names[i], "xã"],
        doc: { tên: names[i] },
        active: true,
        at: new Date("2026-01-02T03:04:05Z"),
      });
    }
    // Each insert ran once, prepared or not.
    const count = await sql<{ n: number }>`select count(*)::int as n from driver_things`.execute(db);
    expect(count.rows[0]?.n).toBe(4);
  });

  it("tells how many rows a prepared write touched", async () => {
    const touched = [];
    for (const active of [false, true, false]) {
      const result = await sql`update driver_things set active = ${active} where amount is not null`.execute(
        db,
      );
      touched.push(result.numAffectedRows);
    }
    expect(touched).toEqual([3n, 3n, 3n]);
  });

  it("raises a prepared statement's error with its SQLSTATE, and the transaction rolls back whole", async () => {
    await insert("Võ E", 1, []);
    await insert("Đặng F", 2, []);
    const failing = database.db.transaction().execute(async (trx) => {
      await sql`insert into driver_things (name) values (${"Chưa lưu"})`.execute(trx);
      await sql`insert into driver_things (name) values (${"Võ E"})`.execute(trx);
    });
    await expect(failing).rejects.toMatchObject({ code: "23505" });
    expect((await byName("Chưa lưu")).rows).toEqual([]);
    // The session goes on: the next prepared statement runs.
    expect((await byName("Đặng F")).rows[0]).toMatchObject({ amount: 2 });
  });

  it("prepares a statement again when its result's columns changed", async () => {
    await sql`create table driver_shapes (id int primary key, name text)`.execute(db);
    await sql`insert into driver_shapes values (1, 'Một')`.execute(db);
    const one = () => sql<Record<string, unknown>>`select * from driver_shapes where id = ${1}`.execute(db);
    await one();
    expect((await one()).rows).toEqual([{ id: 1, name: "Một" }]); // prepared now
    await sql`alter table driver_shapes add column note text default 'mới'`.execute(db);
    // Out of a transaction: prepared afresh and answered at once.
    expect((await one()).rows).toEqual([{ id: 1, name: "Một", note: "mới" }]);
    expect((await one()).rows).toEqual([{ id: 1, name: "Một", note: "mới" }]);
    await sql`alter table driver_shapes drop column note`.execute(db);
    // Inside a transaction the error is the caller's (the transaction is aborted); the next use works.
    const inTransaction = database.db
      .transaction()
      .execute((trx) => sql`select * from driver_shapes where id = ${1}`.execute(trx));
    await expect(inTransaction).rejects.toMatchObject({ code: "0A000" });
    expect((await one()).rows).toEqual([{ id: 1, name: "Một" }]);
    // The stale statements are gone from the session: one is prepared for the text, not three.
    const prepared = await sql<{ n: number }>`
      select count(*)::int as n from pg_prepared_statements where statement like '%from driver_shapes%'`.execute(
      db,
    );
    expect(prepared.rows[0]?.n).toBe(1);
  });

  it("runs many different texts, beyond what it keeps prepared", async () => {
    for (let i = 0; i < 1200; i++) {
      const text = sql.raw(`select ${i}::int as i, `);
      const result = await sql<{ i: number; v: string }>`${text}${`v${i}`}::text as v`.execute(db);
      const again = await sql<{ i: number; v: string }>`${text}${`w${i}`}::text as v`.execute(db);
      expect(result.rows[0]).toEqual({ i, v: `v${i}` });
      expect(again.rows[0]).toEqual({ i, v: `w${i}` });
    }
  });
});
