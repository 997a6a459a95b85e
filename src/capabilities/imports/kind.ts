/**
 * What an import kind (households, …) supplies to the import machinery (service.ts): its
 * template's sheets, the unit it imports into, its drop-down lists, and two steps run on batches
 * of rows — `check` (the rules that need the database: which village, which household it
 * matches, a duplicate within the file) and `apply` (the writes, counters and audit entries).
 * `check` runs in the dry run and again inside the commit's transaction, so a commit never relies
 * on what the database held at the dry run.
 */
import type { Transaction } from "kysely";
import type { Action, Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import type { CellProblem, RecordValues, SheetSpec } from "../../domain/import/columns.ts";
import type { AuditContext } from "../audit/audit-writer.ts";

export type Outcome = "new" | "update" | "unchanged" | "suspected" | "invalid";

export interface ImportRow {
  sheet: string;
  /** The row's number in its sheet, as Excel shows it. */
  number: number;
  values: RecordValues;
  problems: CellProblem[];
  /** Not errors: a suspected duplicate, a note. */
  warnings: CellProblem[];
  outcome: Outcome;
  /** What `check` found that `apply` needs (the matched record's id, the village…). */
  plan?: unknown;
}

export interface ImportKind<Ctx = unknown> {
  code: string;
  /** "Hộ gia đình" */
  title: string;
  /** One paragraph for the instructions sheet and the page. */
  description: string;
  /** The action a user needs, on the unit imported into. */
  action: Action;
  sheets: readonly SheetSpec[];
  /**
   * Sheets that depend on the run (a learning model's sheet has one column per criterion of the
   * framework that applies to the unit): when given, they replace `sheets` for the template and
   * the file.
   */
  sheetsFor?(ctx: Ctx): readonly SheetSpec[];
  /** The file may hold any one of the sheets (one per learning model…); by default the first is required. */
  anySheet?: boolean;
  /** Why this unit cannot take this import (a village for households…), or null. */
  unitProblem(unit: OrgUnitRow): string | null;
  /** Per run: the lists and maps the checks need (the unit's villages…), and in-file state. */
  prepare(tx: Transaction<DB>, principal: Principal, unit: OrgUnitRow): Promise<Ctx>;
  /** Drop-down values per column key, for the template. */
  choices(ctx: Ctx): Record<string, readonly string[]>;
  /** Complete the rows of one batch: problems that need the database, outcome, plan. */
  check(tx: Transaction<DB>, ctx: Ctx, sheet: string, rows: ImportRow[]): Promise<void>;
  /** Write the rows of one batch that are to be imported (new, update, or accepted suspects). */
  apply(tx: Transaction<DB>, ctx: Ctx, sheet: string, rows: ImportRow[], audit: AuditContext): Promise<void>;
  /**
   * Sheets whose batches do not depend on each other's writes: a batch's `check` reads only what
   * was there before the run (and the run's in-memory state), and its `apply` touches no record
   * that another batch's does. In a commit, the next batch of such a sheet is checked, and its
   * writes sent, while the database still works on this one's.
   */
  independentBatches?: readonly string[];
  /** After the last batch, in the commit's transaction: what is kept once per file (the counters). */
  finish?(tx: Transaction<DB>, ctx: Ctx): Promise<void>;
}
