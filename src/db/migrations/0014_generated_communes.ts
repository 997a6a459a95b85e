import { type Kysely, sql } from "kysely";

/**
 * `xhht generate` (src/capabilities/generator): the communes a run has filled, each recorded in
 * the same transaction as its records, so an interrupted run resumes at the next commune and a
 * second run with the same seed adds nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table generated_communes (
      commune_id   bigint primary key references org_units(id),
      scale        text not null check (scale in ('commune', 'province', 'national')),
      seed         bigint not null,
      generated_at timestamptz not null default now()
    )`.execute(db);
}
