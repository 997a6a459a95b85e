import { type Kysely, sql } from "kysely";

/**
 * Community learning centres (TTHTCĐ). A centre is an org unit of kind 'learning_centre' (one per
 * commune, enforced by the org-units service); this adds its profile (board, premises), its
 * years (plan, rating by the level above, funding by source), its activities, the versioned
 * category list (seed 004's ten rows) and the live counters (centre_stats).
 *
 * centre_stats keeps, per unit (the centre and each ancestor below the nation) and period
 * ('2024' calendar year or '2024-2025' school year), metrics such as 'classes:legal',
 * 'participants:legal', 'female:legal', 'funding:state_budget'. CHECK (n >= 0) refuses any
 * decrement that would go below zero.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table centre_categories (
      code       text primary key check (code ~ '^[a-z_]{1,40}$'),
      version    int not null,
      position   int not null,
      label      text not null check (length(label) between 1 and 200),
      -- A later version may retire a category; activities keep pointing at it.
      retired_in int,
      unique (version, position)
    )`.execute(db);
  await sql`
    insert into centre_categories (code, version, position, label) values
      ('literacy', 1, 1, 'Học chương trình xóa mù chữ, giáo dục trương trình sau biết chữ'),
      ('vocational', 1, 2, 'Học nghề ngắn hạn'),
      ('legal', 1, 3, 'Chuyên đề Giáo dục pháp luật'),
      ('health', 1, 4, 'Chuyên đề Giáo dục sức khỏe'),
      ('environment', 1, 5, 'Chuyên đề Giáo dục môi trường'),
      ('culture_society', 1, 6, 'Chuyên đề Văn hóa xã hội'),
      ('economy', 1, 7, 'Chuyên đề Phát triển kinh tế'),
      ('life_skills', 1, 8, 'Chuyên đề Giáo dục kỹ năng sống'),
      ('other', 1, 9, 'Chuyên đề của chương trình khác'),
      ('arts_sports', 1, 10, 'Các chương trình văn nghệ, thể dục thể thao được phổ biến')`.execute(db);

  await sql`
    create table centre_profiles (
      org_unit_id bigint primary key references org_units(id),
      -- [{ fullName, role: director|deputy|member, position }], checked by the service's schema.
      board       jsonb not null default '[]'::jsonb,
      premises    text check (length(premises) <= 2000),
      updated_by  bigint references users(id),
      updated_at  timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table centre_years (
      org_unit_id        bigint not null references org_units(id),
      year               int not null check (year between 2000 and 2100),
      plan               text check (length(plan) <= 5000),
      rating             text check (rating in ('tot', 'kha', 'trung_binh', 'yeu')),
      rating_note        text check (length(rating_note) <= 1000),
      rated_by           bigint references users(id),
      rated_at           timestamptz,
      funding_state_budget  bigint not null default 0 check (funding_state_budget between 0 and 9007199254740991),
      funding_socialisation bigint not null default 0 check (funding_socialisation between 0 and 9007199254740991),
      funding_learners      bigint not null default 0 check (funding_learners between 0 and 9007199254740991),
      updated_at         timestamptz not null default now(),
      primary key (org_unit_id, year)
    )`.execute(db);

  await sql`
    create table centre_activities (
      id            bigint generated always as identity primary key,
      org_unit_id   bigint not null references org_units(id),
      kind          text not null check (kind in ('class', 'talk')),
      title         text not null check (length(title) between 1 and 300),
      search_key    text not null,
      category      text not null references centre_categories(code),
      start_date    date not null,
      end_date      date not null,
      year          int not null,
      school_year   int not null,
      sessions      int not null check (sessions between 1 and 10000),
      participants  int not null check (participants between 0 and 10000000),
      female        int not null check (female between 0 and 10000000),
      minority      int check (minority between 0 and 10000000),
      partner       text check (length(partner) <= 300),
      place         text check (length(place) <= 300),
      created_by    bigint references users(id),
      created_at    timestamptz not null default now(),
      updated_at    timestamptz not null default now(),
      check (end_date >= start_date),
      check (female <= participants),
      check (minority is null or minority <= participants),
      check (year = extract(year from start_date)::int)
    )`.execute(db);
  await sql`create index centre_activities_unit_date_idx on centre_activities (org_unit_id, start_date, id)`.execute(
    db,
  );

  await sql`
    create table centre_stats (
      org_unit_id bigint not null references org_units(id),
      period      text not null check (period ~ '^[0-9]{4}(-[0-9]{4})?$'),
      metric      text not null,
      n           bigint not null check (n >= 0),
      primary key (org_unit_id, period, metric)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    "centre_stats",
    "centre_activities",
    "centre_years",
    "centre_profiles",
    "centre_categories",
  ]) {
    await sql`drop table if exists ${sql.id(t)}`.execute(db);
  }
}
