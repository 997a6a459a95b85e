import { type Kysely, sql } from "kysely";
import { AUDIT_YEARS } from "./0015_audit_log_by_year.ts";

/**
 * Learning-model evaluations and learning-centre activities, which grow every year without
 * bound, partitioned by their year as the audit trail is (migration 0015, issue 8): one range
 * partition per year 2015–2045 and a default one, so no row is ever refused for its year. A
 * year's rows can then be archived or moved as one table, indexes stay the size of a year, and a
 * query of a year (every dashboard, report and naive recount) reads only that year's partition.
 * The year is part of each primary key, as PostgreSQL requires: (id, year); ids still come from
 * one identity and stay unique. Nothing references either table by key, so nothing else changes.
 * Rows are copied with their ids.
 */
interface Partitioned {
  table: string;
  /** Indexes and constraints, created on the partitioned table (so on every partition). */
  keys: string[];
}

const TABLES: Partitioned[] = [
  {
    table: "evaluations",
    keys: [
      "alter table evaluations add primary key (id, year)",
      "alter table evaluations add unique (model, year, subject_kind, subject_id)",
      "alter table evaluations add foreign key (org_unit_id) references org_units(id)",
      "alter table evaluations add foreign key (framework_id) references criteria_frameworks(id)",
      "create index evaluations_unit_idx on evaluations (org_unit_id, year, model, status)",
    ],
  },
  {
    table: "centre_activities",
    keys: [
      "alter table centre_activities add primary key (id, year)",
      "alter table centre_activities add foreign key (org_unit_id) references org_units(id)",
      "alter table centre_activities add foreign key (category) references centre_categories(code)",
      "alter table centre_activities add foreign key (created_by) references users(id)",
      "create index centre_activities_unit_date_idx on centre_activities (org_unit_id, start_date, id)",
    ],
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { table, keys } of TABLES) {
    const old = `${table}_unpartitioned`;
    await sql`alter table ${sql.ref(table)} rename to ${sql.ref(old)}`.execute(db);
    // Columns, defaults, NOT NULL and CHECK constraints and the identity as they are; keys below.
    await sql`
      create table ${sql.ref(table)}
        (like ${sql.ref(old)} including defaults including constraints including identity)
      partition by range (year)`.execute(db);
    for (let year = AUDIT_YEARS.from; year <= AUDIT_YEARS.to; year++) {
      await sql`
        create table ${sql.ref(`${table}_${year}`)} partition of ${sql.ref(table)}
        for values from (${sql.lit(year)}) to (${sql.lit(year + 1)})`.execute(db);
    }
    await sql`create table ${sql.ref(`${table}_other_years`)} partition of ${sql.ref(table)} default`.execute(
      db,
    );
    await sql`insert into ${sql.ref(table)} overriding system value select * from ${sql.ref(old)} order by id`.execute(
      db,
    );
    await sql`drop table ${sql.ref(old)}`.execute(db);
    for (const key of keys) await sql.raw(key).execute(db);
    await sql`
      select setval(pg_get_serial_sequence(${table}, 'id'), coalesce(max(id), 0) + 1, false)
      from ${sql.ref(table)}`.execute(db);
    // New tables have no statistics until the autovacuum daemon analyses them; until then a
    // lookup by id would be planned as if it matched thousands of rows.
    await sql`analyze ${sql.ref(table)}`.execute(db);
  }
}
