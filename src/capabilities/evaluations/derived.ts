/**
 * Derived criteria: figures computed from the registry and the live counters at assessment
 * time, never typed by anyone (a clan's share of GĐHT households, a village's share of GĐHT
 * households and DHHT clans, a commune's shares of recognised villages, households and units).
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import {
  allCriteria,
  type DerivedSource,
  type FrameworkDefinition,
} from "../../domain/learning-models/framework.ts";
import type { DerivedValues } from "../../domain/learning-models/scoring.ts";
import { ratePercent } from "../../domain/learning-models/statistics.ts";

type Exec = Kysely<DB> | Transaction<DB>;

interface Subject {
  subjectKind: string;
  subjectId: number;
  year: number;
}

async function counter(tx: Exec, unitId: number, year: number, model: string, metric: string) {
  const row = await tx
    .selectFrom("model_stats")
    .select("n")
    .where("org_unit_id", "=", unitId)
    .where("year", "=", year)
    .where("model", "=", model)
    .where("metric", "=", metric)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function subjectCount(tx: Exec, unitId: number, kind: string) {
  const row = await tx
    .selectFrom("subject_counts")
    .select("n")
    .where("org_unit_id", "=", unitId)
    .where("subject_kind", "=", kind)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function compute(tx: Exec, source: DerivedSource, s: Subject): Promise<number | null> {
  switch (source) {
    case "clan.member_households_gdht_percent": {
      const row = await sql<{ members: number; recognised: number }>`
        select count(*) as members,
               count(*) filter (where exists (
                 select 1 from evaluations e
                 where e.model = 'gdht' and e.year = ${s.year} and e.subject_kind = 'household'
                   and e.subject_id = h.id and e.status = 'recognised')) as recognised
        from clan_households ch join households h on h.id = ch.household_id and h.active
        where ch.clan_id = ${s.subjectId}`.execute(tx);
      const r = row.rows[0];
      return ratePercent(Number(r?.recognised ?? 0), Number(r?.members ?? 0));
    }
    case "village.households_gdht_percent":
      return ratePercent(
        await counter(tx, s.subjectId, s.year, "gdht", "recognised"),
        await subjectCount(tx, s.subjectId, "household"),
      );
    case "village.clans_dhht_percent": {
      const row = await sql<{ clans: number; recognised: number }>`
        select count(distinct c.id) as clans,
               count(distinct c.id) filter (where e.status = 'recognised') as recognised
        from clans c
        join clan_households ch on ch.clan_id = c.id
        join households h on h.id = ch.household_id and h.active and h.village_id = ${s.subjectId}
        left join evaluations e on e.model = 'dhht' and e.year = ${s.year} and e.subject_kind = 'clan'
                                and e.subject_id = c.id
        where c.active`.execute(tx);
      const r = row.rows[0];
      return ratePercent(Number(r?.recognised ?? 0), Number(r?.clans ?? 0));
    }
    case "commune.villages_cdht_percent":
      return ratePercent(
        await counter(tx, s.subjectId, s.year, "cdht_thon", "recognised"),
        await subjectCount(tx, s.subjectId, "village"),
      );
    case "commune.households_gdht_percent":
      return ratePercent(
        await counter(tx, s.subjectId, s.year, "gdht", "recognised"),
        await subjectCount(tx, s.subjectId, "household"),
      );
    case "commune.units_dvht_percent":
      return ratePercent(
        await counter(tx, s.subjectId, s.year, "dvht", "recognised"),
        await subjectCount(tx, s.subjectId, "unit"),
      );
    case "unit.members_cdht_percent":
      return ratePercent(
        await counter(tx, s.subjectId, s.year, "cdht_cong_dan", "recognised"),
        await subjectCount(tx, s.subjectId, "citizen"),
      );
  }
}

/** The derived values a framework needs for this subject and year; unknown ones are left out. */
export async function computeDerived(
  tx: Exec,
  framework: FrameworkDefinition,
  subject: Subject,
): Promise<DerivedValues> {
  const values: DerivedValues = {};
  const sources = new Set(allCriteria(framework).flatMap((c) => (c.derivedFrom ? [c.derivedFrom] : [])));
  for (const source of sources) {
    const value = await compute(tx, source, subject);
    if (value !== null) values[source] = value;
  }
  return values;
}
