import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001_foundation.ts";
import * as m0002 from "./0002_learning_models.ts";
import * as m0003 from "./0003_citizens.ts";
import * as m0004 from "./0004_study_promotion_fund.ts";
import * as m0005 from "./0005_learning_centres.ts";
import * as m0006 from "./0006_literacy.ts";
import * as m0007 from "./0007_association.ts";
import * as m0008 from "./0008_events_and_agreements.ts";
import * as m0009 from "./0009_inspections_and_commendations.ts";
import * as m0010 from "./0010_reports.ts";
import * as m0011 from "./0011_centre_month_buckets.ts";
import * as m0012 from "./0012_centre_activity_kinds.ts";
import * as m0013 from "./0013_imports.ts";
import * as m0014 from "./0014_generated_communes.ts";
import * as m0015 from "./0015_audit_log_by_year.ts";
import * as m0016 from "./0016_single_statement_writes.ts";
import * as m0017 from "./0017_partition_by_year.ts";
import * as m0018 from "./0018_fund_entries_by_year.ts";
import * as m0019 from "./0019_audit_log_without_foreign_keys.ts";

/** Every migration, in order. Add new ones at the end; never edit or reorder released ones. */
const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_learning_models": m0002,
  "0003_citizens": m0003,
  "0004_study_promotion_fund": m0004,
  "0005_learning_centres": m0005,
  "0006_literacy": m0006,
  "0007_association": m0007,
  "0008_events_and_agreements": m0008,
  "0009_inspections_and_commendations": m0009,
  "0010_reports": m0010,
  "0011_centre_month_buckets": m0011,
  "0012_centre_activity_kinds": m0012,
  "0013_imports": m0013,
  "0014_generated_communes": m0014,
  "0015_audit_log_by_year": m0015,
  "0016_single_statement_writes": m0016,
  "0017_partition_by_year": m0017,
  "0018_fund_entries_by_year": m0018,
  "0019_audit_log_without_foreign_keys": m0019,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
