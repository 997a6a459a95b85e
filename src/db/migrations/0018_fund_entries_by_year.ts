import { type Kysely, sql } from "kysely";
import { AUDIT_YEARS } from "./0015_audit_log_by_year.ts";

/**
 * The study promotion fund's ledger partitioned by fiscal year, as the audit trail (0015),
 * evaluations and centre activities (0017) are by year (issue 8: tables that grow without bound):
 * one range partition per fiscal year 2015–2045 and a default one. The fiscal year is part of the
 * primary key, (id, fiscal_year), as PostgreSQL requires; ids still come from one identity.
 *
 * Three things point at an entry by its id, and a key of a partitioned table includes the year,
 * so each now also carries the year of the entry it points at, filled in by the database from the
 * entry itself (callers insert exactly what they did before), and the foreign keys are real ones:
 * - a reversal (`reversal_of`, `reversal_of_year`): filled by the entry check, which also keeps
 *   "an entry is reversed only once" — a unique key on `reversal_of` alone is not possible on a
 *   partitioned table when a reversal may be posted in a later year than its original. The check
 *   locks the original row, so two reversals of one entry cannot both pass;
 * - a scholarship line (`fund_entry_lines.entry_year`);
 * - an event's link to an entry (`event_fund_entries.fund_entry_year`).
 * The ledger stays append-only (the same triggers), rows are copied with their ids.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const run = (text: string) => sql.raw(text).execute(db);

  await run("alter table fund_entry_lines drop constraint fund_entry_lines_entry_id_fkey");
  await run("alter table event_fund_entries drop constraint event_fund_entries_fund_entry_id_fkey");
  await run("alter table fund_entries rename to fund_entries_unpartitioned");
  await run(`
    create table fund_entries
      (like fund_entries_unpartitioned including defaults including constraints including identity)
    partition by range (fiscal_year)`);
  // The fiscal year of the entry a reversal reverses: set by fund_entry_check(), never by callers.
  await run("alter table fund_entries add column reversal_of_year int");
  for (let year = AUDIT_YEARS.from; year <= AUDIT_YEARS.to; year++) {
    await run(
      `create table fund_entries_${year} partition of fund_entries for values from (${year}) to (${year + 1})`,
    );
  }
  await run("create table fund_entries_other_years partition of fund_entries default");
  await run(`
    insert into fund_entries overriding system value
    select e.*, (select o.fiscal_year from fund_entries_unpartitioned o where o.id = e.reversal_of)
    from fund_entries_unpartitioned e order by e.id`);
  await run("drop table fund_entries_unpartitioned");

  for (const key of [
    "alter table fund_entries add primary key (id, fiscal_year)",
    "alter table fund_entries add foreign key (fund_id) references funds(id)",
    "alter table fund_entries add foreign key (transfer_id) references fund_transfers(id)",
    "alter table fund_entries add foreign key (created_by) references users(id)",
    `alter table fund_entries add constraint fund_entries_reversal_of_fkey
       foreign key (reversal_of, reversal_of_year) references fund_entries (id, fiscal_year)`,
    "alter table fund_entries add check ((reversal_of is null) = (reversal_of_year is null))",
    "create index fund_entries_fund_date_idx on fund_entries (fund_id, entry_date, id)",
    "create index fund_entries_transfer_idx on fund_entries (transfer_id) where transfer_id is not null",
    "create index fund_entries_reversal_idx on fund_entries (reversal_of) where reversal_of is not null",
    // The service finds a replay by (fund, key) and serialises a fund's postings; this backstop
    // can only be unique within a fiscal year.
    `create unique index fund_entries_idempotency_uq on fund_entries (fund_id, idempotency_key, fiscal_year)
       where idempotency_key is not null`,
  ]) {
    await run(key);
  }
  await run(`
    select setval(pg_get_serial_sequence('fund_entries', 'id'), coalesce(max(id), 0) + 1, false)
    from fund_entries`);

  // The entry check of 0004, and now: the original exists, is reversed once, and lends its year.
  await run(`
    create or replace function fund_entry_check() returns trigger language plpgsql as $$
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
        if exists (select 1 from fund_years y where y.fund_id = new.fund_id and y.year = f.start_year
                   and y.status = 'closed') then
          raise exception 'fund entry: year % is closed', f.start_year using errcode = 'P0001';
        end if;
      elsif exists (select 1 from fund_years y where y.fund_id = new.fund_id and y.year = new.fiscal_year
                    and y.status = 'closed') then
        raise exception 'fund entry: year % is closed', new.fiscal_year using errcode = 'P0001';
      end if;
      new.reversal_of_year := null;
      if new.reversal_of is not null then
        -- Locked: a second reversal of the same entry waits here, then sees the first.
        select * into original from fund_entries where id = new.reversal_of for update;
        if not found then
          raise exception 'fund entry: the entry % to reverse does not exist', new.reversal_of
            using errcode = 'foreign_key_violation';
        end if;
        if original.reversal_of is not null then
          raise exception 'fund entry: a reversal cannot be reversed' using errcode = 'P0001';
        end if;
        if original.fund_id <> new.fund_id or original.kind <> new.kind or original.amount <> new.amount
           or original.transfer_id is distinct from new.transfer_id or new.entry_date < original.entry_date then
          raise exception 'fund entry: a reversal must mirror its original' using errcode = 'P0001';
        end if;
        if exists (select 1 from fund_entries r where r.reversal_of = new.reversal_of) then
          raise exception 'fund entry: entry % is already reversed', new.reversal_of
            using errcode = 'unique_violation';
        end if;
        new.reversal_of_year := original.fiscal_year;
      end if;
      return new;
    end $$`);

  // The triggers of 0004, on the partitioned table (so on every partition).
  await run(`create trigger fund_entries_check before insert on fund_entries
             for each row execute function fund_entry_check()`);
  await run(`create constraint trigger fund_entries_transfer_balanced after insert on fund_entries
             deferrable initially deferred for each row when (new.transfer_id is not null)
             execute function fund_transfer_balanced()`);
  await run(`create trigger fund_entries_no_update before update or delete on fund_entries
             for each row execute function fund_ledger_is_append_only()`);
  await run(`create trigger fund_entries_no_truncate before truncate on fund_entries
             for each statement execute function fund_ledger_is_append_only()`);

  // ── What points at an entry carries its year, filled from the entry. ──
  await run(`
    create function fund_entry_year(entry_id bigint) returns int language plpgsql stable as $$
    declare
      year int;
    begin
      select fiscal_year into year from fund_entries where id = entry_id;
      if not found then
        raise exception 'fund entry % does not exist', entry_id using errcode = 'foreign_key_violation';
      end if;
      return year;
    end $$`);
  await run(`
    create function fund_entry_lines_year() returns trigger language plpgsql as $$
    begin
      new.entry_year := fund_entry_year(new.entry_id);
      return new;
    end $$`);
  await run(`
    create function event_fund_entries_year() returns trigger language plpgsql as $$
    begin
      new.fund_entry_year := fund_entry_year(new.fund_entry_id);
      return new;
    end $$`);

  await run("alter table fund_entry_lines add column entry_year int");
  await run("alter table fund_entry_lines disable trigger fund_entry_lines_no_update");
  await run(
    "update fund_entry_lines l set entry_year = e.fiscal_year from fund_entries e where e.id = l.entry_id",
  );
  await run("alter table fund_entry_lines enable trigger fund_entry_lines_no_update");
  await run("alter table fund_entry_lines alter column entry_year set not null");
  await run(`alter table fund_entry_lines add constraint fund_entry_lines_entry_fkey
             foreign key (entry_id, entry_year) references fund_entries (id, fiscal_year)`);
  await run(`create trigger fund_entry_lines_year before insert on fund_entry_lines
             for each row execute function fund_entry_lines_year()`);

  await run("alter table event_fund_entries add column fund_entry_year int");
  await run(`update event_fund_entries l set fund_entry_year = e.fiscal_year
             from fund_entries e where e.id = l.fund_entry_id`);
  await run("alter table event_fund_entries alter column fund_entry_year set not null");
  await run(`alter table event_fund_entries add constraint event_fund_entries_fund_entry_fkey
             foreign key (fund_entry_id, fund_entry_year) references fund_entries (id, fiscal_year)`);
  await run(`create trigger event_fund_entries_year before insert or update of fund_entry_id on event_fund_entries
             for each row execute function event_fund_entries_year()`);

  // New tables have no statistics until the autovacuum daemon analyses them (see 0017).
  await run("analyze fund_entries");
}
