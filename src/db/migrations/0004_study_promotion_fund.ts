import { type Kysely, sql } from "kysely";

/**
 * The study promotion fund (quỹ khuyến học): funds per org unit, an append-only ledger of
 * entries (with per-pupil lines and two-legged transfers), year closes, public statements, live
 * roll-up counters and per-inhabitant targets.
 *
 * The database itself keeps the ledger honest, whatever a service does:
 * - fund_entries, fund_entry_lines and fund_transfers refuse UPDATE, DELETE and TRUNCATE;
 * - every amount is a positive integer no larger than 2^53 − 1 (exact as a JSON number);
 * - an entry's fiscal year must match its date, its year must not be closed, and it may not
 *   predate the fund (except the carried-over opening balance);
 * - a reversal must mirror an original that is not itself a reversal, in the same fund, and an
 *   entry can be reversed only once (unique reversal_of);
 * - a transfer's two legs must both exist at commit (deferred constraint trigger): never half-posted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table funds (
      id                      bigint generated always as identity primary key,
      org_unit_id             bigint not null references org_units(id),
      -- 'general': the unit's own study promotion fund (one per unit); 'named': e.g. a scholarship fund.
      kind                    text not null check (kind in ('general', 'named')),
      name                    text not null check (length(name) between 1 and 200),
      search_key              text not null,
      sort_key                text not null collate "C",
      -- The month the fund's year starts in (1 = calendar year; 11 = 1/11 … 31/10, seed 000).
      fiscal_year_start_month smallint not null default 1 check (fiscal_year_start_month between 1 and 12),
      -- The first year kept here; what came before is the carried-over opening balance.
      start_year              int not null check (start_year between 2000 and 2100),
      created_by              bigint references users(id),
      created_at              timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index funds_general_uq on funds (org_unit_id) where kind = 'general'`.execute(db);
  await sql`create unique index funds_name_uq on funds (org_unit_id, search_key)`.execute(db);

  await sql`
    create table fund_transfers (
      id           bigint generated always as identity primary key,
      from_fund_id bigint not null references funds(id),
      to_fund_id   bigint not null references funds(id),
      amount       bigint not null check (amount between 1 and 9007199254740991),
      created_at   timestamptz not null default now(),
      check (from_fund_id <> to_fund_id)
    )`.execute(db);

  await sql`
    create table fund_entries (
      id              bigint generated always as identity primary key,
      fund_id         bigint not null references funds(id),
      kind            text not null check (kind in ('opening', 'receipt', 'disbursement', 'transfer_in', 'transfer_out')),
      amount          bigint not null check (amount between 1 and 9007199254740991),
      entry_date      date not null,
      fiscal_year     int not null,
      donor_type      text check (donor_type in ('business', 'individual', 'member', 'budget', 'organisation', 'other')),
      donor_name      text check (length(donor_name) <= 200),
      -- A receipt given for a purpose (quỹ có mục đích): free text.
      earmark         text check (length(earmark) <= 500),
      purpose         text check (purpose in ('scholarship', 'award_pupil', 'award_teacher', 'sponsorship', 'support', 'operating', 'other')),
      beneficiaries   int check (beneficiaries between 0 and 10000000),
      -- The decision or event the entry belongs to (e.g. "Lễ kỷ niệm Ngày Khuyến học 2/10").
      description     text check (length(description) <= 1000),
      document_ref    text check (length(document_ref) <= 100),
      transfer_id     bigint references fund_transfers(id),
      -- A reversal points at its original; unique: nothing is reversed twice.
      reversal_of     bigint unique references fund_entries(id),
      idempotency_key text check (length(idempotency_key) between 8 and 100),
      created_by      bigint references users(id),
      created_at      timestamptz not null default now(),
      check ((kind = 'receipt') = (donor_type is not null)),
      check ((kind = 'disbursement') = (purpose is not null)),
      check ((kind in ('transfer_in', 'transfer_out')) = (transfer_id is not null))
    )`.execute(db);
  await sql`create index fund_entries_fund_date_idx on fund_entries (fund_id, entry_date, id)`.execute(db);
  await sql`create index fund_entries_transfer_idx on fund_entries (transfer_id) where transfer_id is not null`.execute(
    db,
  );
  await sql`create unique index fund_entries_idempotency_uq on fund_entries (fund_id, idempotency_key)
            where idempotency_key is not null`.execute(db);

  // Who received a scholarship, award or sponsorship (personal data: never public).
  await sql`
    create table fund_entry_lines (
      id         bigint generated always as identity primary key,
      entry_id   bigint not null references fund_entries(id),
      pupil_name text not null check (length(pupil_name) between 1 and 120),
      school     text check (length(school) <= 200),
      level      text check (level in ('preschool', 'primary', 'lower_secondary', 'upper_secondary', 'higher', 'other')),
      amount     bigint not null check (amount between 1 and 9007199254740991)
    )`.execute(db);
  await sql`create index fund_entry_lines_entry_idx on fund_entry_lines (entry_id)`.execute(db);

  // ── Append-only: no edit, no deletion, no truncation, whatever the caller. ──
  await sql`
    create function fund_ledger_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the fund ledger is append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'P0001';
    end $$`.execute(db);
  for (const table of ["fund_entries", "fund_entry_lines", "fund_transfers"]) {
    await sql`create trigger ${sql.raw(`${table}_no_update`)} before update or delete on ${sql.raw(table)}
              for each row execute function fund_ledger_is_append_only()`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.raw(table)}
              for each statement execute function fund_ledger_is_append_only()`.execute(db);
  }

  // ── Year state: open unless a row says closed. Changes are audited. ──
  await sql`
    create table fund_years (
      fund_id         bigint not null references funds(id),
      year            int not null,
      status          text not null check (status in ('open', 'closed')),
      -- The balance at the end of the year, carried into the next one ("chuyển qua").
      closing_balance bigint,
      closed_at       timestamptz,
      closed_by       bigint references users(id),
      reopened_at     timestamptz,
      reopened_by     bigint references users(id),
      reopen_reason   text,
      primary key (fund_id, year),
      check ((status = 'closed') = (closing_balance is not null))
    )`.execute(db);

  // ── What the database checks on every new entry (a backstop behind the service's rules). ──
  await sql`
    create function fund_entry_check() returns trigger language plpgsql as $$
    declare
      f record;
      expected_year int;
      original record;
    begin
      select fiscal_year_start_month as m, start_year into f from funds where id = new.fund_id;
      expected_year := extract(year from new.entry_date)::int
        + case when f.m > 1 and extract(month from new.entry_date)::int >= f.m then 1 else 0 end;
      if new.fiscal_year <> expected_year then
        raise exception 'fund entry: fiscal year % does not match date %', new.fiscal_year, new.entry_date
          using errcode = 'P0001';
      end if;
      if new.kind = 'opening' and new.fiscal_year <> f.start_year - 1 then
        raise exception 'fund entry: the opening balance is dated before the first year' using errcode = 'P0001';
      end if;
      if new.kind <> 'opening' and new.fiscal_year < f.start_year then
        raise exception 'fund entry: dated before the fund started' using errcode = 'P0001';
      end if;
      if new.kind = 'opening' then
        -- The carried-over balance belongs to the first year: fixed only while that year is open.
        if exists (select 1 from fund_years y where y.fund_id = new.fund_id and y.year = f.start_year
                   and y.status = 'closed') then
          raise exception 'fund entry: year % is closed', f.start_year using errcode = 'P0001';
        end if;
      elsif exists (select 1 from fund_years y where y.fund_id = new.fund_id and y.year = new.fiscal_year
                    and y.status = 'closed') then
        raise exception 'fund entry: year % is closed', new.fiscal_year using errcode = 'P0001';
      end if;
      if new.reversal_of is not null then
        select * into original from fund_entries where id = new.reversal_of;
        if original.reversal_of is not null then
          raise exception 'fund entry: a reversal cannot be reversed' using errcode = 'P0001';
        end if;
        if original.fund_id <> new.fund_id or original.kind <> new.kind or original.amount <> new.amount
           or original.transfer_id is distinct from new.transfer_id or new.entry_date < original.entry_date then
          raise exception 'fund entry: a reversal must mirror its original' using errcode = 'P0001';
        end if;
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger fund_entries_check before insert on fund_entries
            for each row execute function fund_entry_check()`.execute(db);

  // A transfer is posted in both ledgers or not at all: checked when the transaction commits.
  await sql`
    create function fund_transfer_balanced() returns trigger language plpgsql as $$
    declare
      t record;
      legs record;
    begin
      select * into t from fund_transfers where id = new.transfer_id;
      select
        count(*) filter (where reversal_of is null and kind = 'transfer_out' and fund_id = t.from_fund_id) as outs,
        count(*) filter (where reversal_of is null and kind = 'transfer_in' and fund_id = t.to_fund_id) as ins,
        count(*) filter (where reversal_of is not null) as reversals,
        count(*) as total,
        bool_and(amount = t.amount) as same_amount
      into legs from fund_entries where transfer_id = new.transfer_id;
      if legs.outs <> 1 or legs.ins <> 1 or legs.reversals not in (0, 2) or legs.total <> 2 + legs.reversals
         or not legs.same_amount then
        raise exception 'fund transfer % is not balanced in both ledgers', new.transfer_id using errcode = 'P0001';
      end if;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger fund_entries_transfer_balanced after insert on fund_entries
            deferrable initially deferred for each row when (new.transfer_id is not null)
            execute function fund_transfer_balanced()`.execute(db);

  // ── Public statements (công khai): a fund's year, published by its unit. ──
  await sql`
    create table fund_publications (
      fund_id      bigint not null references funds(id),
      year         int not null,
      published_at timestamptz not null default now(),
      published_by bigint references users(id),
      primary key (fund_id, year)
    )`.execute(db);

  // ── Live roll-up, kept in the same transaction as each posting ──
  // Per org unit (the fund's unit and each ancestor below the nation), fiscal year and metric
  // ('receipt:business', 'disbursement:scholarship', 'transfer_in', 'reversed:receipt:business', …).
  // Counters only grow: a reversal adds to its "reversed:" metric; net = gross − reversed.
  await sql`
    create table fund_stats (
      org_unit_id   bigint not null references org_units(id),
      year          int not null,
      metric        text not null,
      amount        bigint not null default 0 check (amount >= 0),
      entries       bigint not null default 0 check (entries >= 0),
      beneficiaries bigint not null default 0 check (beneficiaries >= 0),
      primary key (org_unit_id, year, metric)
    )`.execute(db);

  // "Xây dựng quỹ đạt 30.000 đồng trên mỗi người dân" (seed 000): the target per inhabitant and,
  // since the registry does not know every inhabitant, the population the unit states.
  await sql`
    create table fund_targets (
      org_unit_id    bigint not null references org_units(id),
      year           int not null,
      per_inhabitant bigint not null check (per_inhabitant between 1 and 9007199254740991),
      population     bigint check (population between 1 and 200000000),
      set_by         bigint references users(id),
      set_at         timestamptz not null default now(),
      primary key (org_unit_id, year)
    )`.execute(db);
}
