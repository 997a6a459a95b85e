import { type Kysely, sql } from "kysely";

/**
 * Periodic reporting (issue 6). Templates (biểu mẫu) are versioned data: one row per code and
 * version, the JSON document as parsed by src/domain/reporting/template.ts; a published version
 * is never edited (a change is a new version). A request (yêu cầu báo cáo) is a level's call to
 * the units below for one template and period, with the deadline; its units are the expected
 * reporters, so completeness is "how many of these have submitted". A report is one unit's filled
 * form for a template and period: typed values and narrative texts as JSON, the status of the
 * workflow (draft → submitted → approved, or returned), frozen to the template version it was
 * opened with. Its history (who saved, submitted, approved, returned, reopened, with comments)
 * is append-only, refused UPDATE/DELETE by trigger, beside the audit trail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_templates (
      id          bigint generated always as identity primary key,
      code        text not null check (code ~ '^[a-z][a-z0-9-]{1,63}$'),
      version     int not null check (version >= 1),
      name        text not null,
      period_kind text not null,
      document    jsonb not null,
      source_key  text unique,
      retired_at  timestamptz,
      created_at  timestamptz not null default now(),
      unique (code, version)
    )`.execute(db);

  await sql`
    create table report_requests (
      id                 bigint generated always as identity primary key,
      template_code      text not null,
      period             text not null,
      org_unit_id        bigint not null references org_units(id),
      deadline           date not null,
      note               text check (length(note) <= 2000),
      created_by         bigint references users(id),
      created_at         timestamptz not null default now(),
      unique (template_code, period, org_unit_id)
    )`.execute(db);
  await sql`
    create table report_request_units (
      request_id  bigint not null references report_requests(id),
      org_unit_id bigint not null references org_units(id),
      primary key (request_id, org_unit_id)
    )`.execute(db);

  await sql`
    create table reports (
      id            bigint generated always as identity primary key,
      template_id   bigint not null references report_templates(id),
      template_code text not null,
      org_unit_id   bigint not null references org_units(id),
      period        text not null,
      status        text not null default 'draft'
                    check (status in ('draft', 'submitted', 'returned', 'approved')),
      "values"      jsonb not null default '{}'::jsonb,
      narratives    jsonb not null default '{}'::jsonb,
      doc_number    text check (length(doc_number) <= 40),
      issued_on     date,
      signer_name   text check (length(signer_name) <= 200),
      deadline      date,
      submitted_at  timestamptz,
      decided_at    timestamptz,
      decided_by    bigint references users(id),
      comment       text check (length(comment) <= 2000),
      created_by    bigint references users(id),
      created_at    timestamptz not null default now(),
      updated_by    bigint references users(id),
      updated_at    timestamptz not null default now(),
      unique (template_code, org_unit_id, period)
    )`.execute(db);
  await sql`create index reports_period_idx on reports (template_code, period, status)`.execute(db);

  await sql`
    create table report_history (
      id          bigint generated always as identity primary key,
      report_id   bigint not null references reports(id),
      action      text not null,
      from_status text,
      to_status   text not null,
      comment     text,
      user_id     bigint references users(id),
      at          timestamptz not null default now()
    )`.execute(db);
  await sql`create index report_history_report_idx on report_history (report_id, id)`.execute(db);
  await sql`
    create function report_history_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'report_history is append-only' using errcode = 'P0001';
    end $$`.execute(db);
  await sql`create trigger report_history_no_update before update or delete on report_history
            for each row execute function report_history_is_append_only()`.execute(db);

  // Targets (chỉ tiêu) per unit, template indicator and period code (a year, a phase…).
  await sql`
    create table report_targets (
      org_unit_id   bigint not null references org_units(id),
      template_code text not null,
      indicator     text not null,
      period        text not null,
      value         numeric not null check (value >= 0),
      set_by        bigint references users(id),
      set_at        timestamptz not null default now(),
      primary key (org_unit_id, template_code, indicator, period)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    "report_targets",
    "report_history",
    "reports",
    "report_request_units",
    "report_requests",
    "report_templates",
  ]) {
    await sql`drop table if exists ${sql.id(t)}`.execute(db);
  }
  await sql`drop function if exists report_history_is_append_only`.execute(db);
}
