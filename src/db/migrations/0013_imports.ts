import { type Kysely, sql } from "kysely";

/**
 * Imports from Excel/CSV (src/capabilities/imports): the jobs an officer runs (a dry run, then a
 * commit) with their outcome and the first problems found, and what makes a re-import of the same
 * file update rather than duplicate: a household's own code from the officer's file ("Mã hộ"),
 * unique in its village, and an index on the household's folded head name (the first part of
 * `search_key`, see `householdSearchKey`), by which an import finds the household it matches.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table households add column code text check (length(code) between 1 and 40)`.execute(db);
  await sql`create unique index households_code_uq on households (village_id, code) where code is not null`.execute(
    db,
  );
  await sql`create index households_head_key_idx on households (village_id, split_part(search_key, ' | ', 1))`.execute(
    db,
  );

  await sql`
    create table import_jobs (
      id               bigint generated always as identity primary key,
      kind             text not null,
      org_unit_id      bigint not null references org_units(id),
      user_id          bigint references users(id),
      username         text,
      file_name        text not null,
      file_format      text not null check (file_format in ('xlsx', 'csv')),
      -- Where the uploaded file is kept until it is imported or the job is abandoned.
      file_path        text,
      encoding         text,
      status           text not null check (status in ('checked', 'failed', 'imported', 'cancelled')),
      rows_total       int not null default 0,
      rows_invalid     int not null default 0,
      rows_new         int not null default 0,
      rows_updated     int not null default 0,
      rows_unchanged   int not null default 0,
      rows_suspected   int not null default 0,
      cells_converted  int not null default 0,
      -- The first problems found (row, column, message), for the screen; the annotated file has all.
      problems         jsonb not null default '[]',
      problem_count    int not null default 0,
      message          text,
      created_at       timestamptz not null default now(),
      committed_at     timestamptz,
      committed_mode   text check (committed_mode in ('all', 'valid'))
    )`.execute(db);
  await sql`create index import_jobs_unit_idx on import_jobs (org_unit_id, created_at desc)`.execute(db);
}
