/**
 * Import jobs: an officer uploads a file for a kind and a unit; the dry run reads and checks every
 * row and records the job (counts, the problems); the officer downloads the file annotated with
 * its errors, or commits: all rows in one transaction ("all", refused if any row has an error), or
 * only the valid ones ("valid"); suspected duplicates only when asked. The uploaded file is kept in
 * a private folder until it is imported (or a newer upload clears files older than two days).
 * Progress is reported through a callback (the routes stream it as NDJSON, the CLI draws a bar);
 * an AbortSignal cancels, and a cancelled commit rolls back whole.
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import { normalizeText } from "../../domain/text.ts";
import { AppError, problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { writeAnnotatedFile } from "./annotate.ts";
import { centreActivitiesImport } from "./centre-activities.ts";
import { citizensImport } from "./citizens.ts";
import { clansImport } from "./clans.ts";
import { evaluationsImport } from "./evaluations.ts";
import { fundEntriesImport } from "./fund-entries.ts";
import { householdsImport } from "./households.ts";
import type { ImportKind } from "./kind.ts";
import { literacyImport } from "./literacy.ts";
import { type FileFormat, ImportFileError, sniffCsvEncoding, sniffFormat } from "./reader.ts";
import { reportFiguresImport } from "./report-figures.ts";
import {
  ImportCancelled,
  ImportHasErrors,
  type RowProblem,
  type RunProgress,
  type RunSummary,
  rowsCachePath,
  runImport,
} from "./run.ts";
import { targetsImport } from "./targets.ts";
import { templateWorkbook } from "./template.ts";
import { unitsImport } from "./units.ts";

/** Every import kind, by code. */
export const IMPORT_KINDS: Record<string, ImportKind> = {
  [householdsImport.code]: householdsImport as ImportKind,
  [evaluationsImport.code]: evaluationsImport as ImportKind,
  [reportFiguresImport.code]: reportFiguresImport as ImportKind,
  [targetsImport.code]: targetsImport as ImportKind,
  [centreActivitiesImport.code]: centreActivitiesImport as ImportKind,
  [literacyImport.code]: literacyImport as ImportKind,
  [fundEntriesImport.code]: fundEntriesImport as ImportKind,
  [unitsImport.code]: unitsImport as ImportKind,
  [clansImport.code]: clansImport as ImportKind,
  [citizensImport.code]: citizensImport as ImportKind,
};

/** Where uploaded files wait for their commit. */
export const IMPORT_DIR = process.env.XHHT_IMPORT_DIR ?? join(tmpdir(), "xhht-imports");
const KEEP_MS = 2 * 24 * 3600 * 1000;
/** Problems returned with a job to the screen (the annotated file has them all). */
const SHOWN_PROBLEMS = 200;

export function importKind(code: string): ImportKind {
  const kind = IMPORT_KINDS[code];
  if (!kind) throw problems.notFound("mẫu nhập dữ liệu này");
  return kind;
}

/** Refuse at once (before an upload is read) a kind, unit or user that cannot import. */
export async function assertCanImport(
  db: Kysely<DB>,
  principal: Principal,
  kindCode: string,
  unitId: number,
) {
  await importUnit(db, principal, importKind(kindCode), unitId);
}

async function importUnit(
  db: Kysely<DB>,
  principal: Principal,
  kind: ImportKind,
  unitId: number,
): Promise<OrgUnitRow> {
  const unit = await db.selectFrom("org_units").selectAll().where("id", "=", unitId).executeTakeFirst();
  if (!unit) throw problems.validation([{ field: "orgUnitId", message: "Không tìm thấy đơn vị này." }]);
  authorize(principal, kind.action, unit.path);
  const why = kind.unitProblem(unit);
  if (why) throw problems.validation([{ field: "orgUnitId", message: why }]);
  return unit;
}

/** The template of `kind` for `unitId`: XLSX bytes and a file name. */
export async function importTemplate(db: Kysely<DB>, principal: Principal, kindCode: string, unitId: number) {
  const kind = importKind(kindCode);
  const unit = await importUnit(db, principal, kind, unitId);
  const ctx = await db.transaction().execute((tx) => kind.prepare(tx, principal, unit));
  const body = await templateWorkbook(kind, unit.name, kind.choices(ctx), kind.sheetsFor?.(ctx));
  return { body, name: `mau-nhap-${kind.code}.xlsx` };
}

export interface JobView {
  id: number;
  kind: string;
  kindTitle: string;
  orgUnitId: number;
  orgUnitName: string;
  fileName: string;
  fileFormat: FileFormat;
  encoding: string | null;
  status: "checked" | "failed" | "imported" | "cancelled";
  rows: {
    total: number;
    invalid: number;
    new: number;
    updated: number;
    unchanged: number;
    suspected: number;
  };
  cellsConverted: number;
  problemCount: number;
  problems: RowProblem[];
  message: string | null;
  createdAt: string;
  committedAt: string | null;
  committedMode: "all" | "valid" | null;
  username: string | null;
  fileAvailable: boolean;
}

type JobRow = Awaited<ReturnType<typeof loadJob>>;

/** Every column of a job but its problems, which can run to megabytes (`jobProblems`). */
const JOB_COLUMNS = [
  "j.id",
  "j.kind",
  "j.org_unit_id",
  "j.user_id",
  "j.username",
  "j.file_name",
  "j.file_format",
  "j.file_path",
  "j.encoding",
  "j.status",
  "j.rows_total",
  "j.rows_invalid",
  "j.rows_new",
  "j.rows_updated",
  "j.rows_unchanged",
  "j.rows_suspected",
  "j.cells_converted",
  "j.problem_count",
  "j.message",
  "j.created_at",
  "j.committed_at",
  "j.committed_mode",
] as const;

/**
 * A job's problems: "shown", the first SHOWN_PROBLEMS, cut in the database (a dry run of 100,000
 * rows may keep 20,000, some megabytes of JSON: read whole, they cost the server tens of MB each
 * time the job is shown); "all" for the annotated file; "none" for a list of jobs.
 */
function jobProblems(wanted: "shown" | "all" | "none") {
  if (wanted === "all") return sql<unknown>`j.problems`.as("problems");
  if (wanted === "none") return sql<unknown>`'{}'::jsonb`.as("problems");
  return sql<unknown>`jsonb_build_object(
      'list', jsonb_path_query_array(j.problems, ${`$.list[0 to ${SHOWN_PROBLEMS - 1}]`}::jsonpath),
      'sheets', j.problems -> 'sheets')`.as("problems");
}

async function loadJob(db: Kysely<DB>, id: number, problemsWanted: "shown" | "all" = "shown") {
  const job = await db
    .selectFrom("import_jobs as j")
    .innerJoin("org_units as u", "u.id", "j.org_unit_id")
    .select(JOB_COLUMNS)
    .select([jobProblems(problemsWanted), "u.name as unit_name", "u.path as unit_path"])
    .where("j.id", "=", id)
    .executeTakeFirst();
  if (!job) throw problems.notFound("lần nhập dữ liệu này");
  return job;
}

function view(job: JobRow): JobView {
  const { list } = problemsOf(job);
  return {
    id: Number(job.id),
    kind: job.kind,
    kindTitle: IMPORT_KINDS[job.kind]?.title ?? job.kind,
    orgUnitId: Number(job.org_unit_id),
    orgUnitName: job.unit_name,
    fileName: job.file_name,
    fileFormat: job.file_format,
    encoding: job.encoding,
    status: job.status,
    rows: {
      total: job.rows_total,
      invalid: job.rows_invalid,
      new: job.rows_new,
      updated: job.rows_updated,
      unchanged: job.rows_unchanged,
      suspected: job.rows_suspected,
    },
    cellsConverted: job.cells_converted,
    problemCount: job.problem_count,
    problems: list.slice(0, SHOWN_PROBLEMS),
    message: job.message,
    createdAt: job.created_at.toISOString(),
    committedAt: job.committed_at ? job.committed_at.toISOString() : null,
    committedMode: job.committed_mode,
    username: job.username,
    fileAvailable: job.file_path !== null && existsSync(job.file_path),
  };
}

/** A job, if the user may see it (the kind's action on the job's unit). */
export async function getImportJob(db: Kysely<DB>, principal: Principal, id: number): Promise<JobView> {
  const job = await loadJob(db, id);
  authorize(principal, importKind(job.kind).action, job.unit_path);
  return view(job);
}

/** The latest jobs of a unit and the units below it. */
export async function listImportJobs(
  db: Kysely<DB>,
  principal: Principal,
  unitId: number,
): Promise<JobView[]> {
  const unit = await db.selectFrom("org_units").select(["path"]).where("id", "=", unitId).executeTakeFirst();
  if (!unit) throw problems.validation([{ field: "orgUnitId", message: "Không tìm thấy đơn vị này." }]);
  authorize(principal, "data.import", unit.path);
  const jobs = await db
    .selectFrom("import_jobs as j")
    .innerJoin("org_units as u", "u.id", "j.org_unit_id")
    .select(JOB_COLUMNS)
    .select([jobProblems("none"), "u.name as unit_name", "u.path as unit_path"])
    .where("u.path", "like", `${unit.path}%`)
    .orderBy("j.created_at", "desc")
    .orderBy("j.id", "desc")
    .limit(20)
    .execute();
  return jobs.filter((j) => IMPORT_KINDS[j.kind]).map(view);
}

function clearOldFiles() {
  if (!existsSync(IMPORT_DIR)) return;
  const now = Date.now();
  for (const name of readdirSync(IMPORT_DIR)) {
    const path = join(IMPORT_DIR, name);
    try {
      if (now - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { force: true });
    } catch {}
  }
}

/** Keep an uploaded file (already written to `tempPath`) for its job; returns where it now is. */
export function keepUpload(tempPath: string): string {
  mkdirSync(IMPORT_DIR, { recursive: true, mode: 0o700 });
  clearOldFiles();
  const kept = join(IMPORT_DIR, randomUUID());
  copyFileSync(tempPath, kept);
  return kept;
}

/** An uploaded file and the rows its dry run kept. */
function removeUpload(path: string) {
  rmSync(path, { force: true });
  rmSync(rowsCachePath(path), { force: true });
}

/** A fresh path for an upload to be streamed into. */
export function uploadPath(): string {
  mkdirSync(IMPORT_DIR, { recursive: true, mode: 0o700 });
  clearOldFiles();
  return join(IMPORT_DIR, randomUUID());
}

function fileProblem(error: unknown): string | null {
  if (error instanceof ImportFileError) return error.message;
  const message = (error as Error)?.message ?? "";
  // ExcelJS / unzip on a file that is not a workbook.
  if (/end of central directory|invalid signature|zip|corrupt|Unexpected/i.test(message)) {
    return "Không đọc được tệp: tệp Excel bị hỏng hoặc không phải .xlsx (hãy mở bằng Excel rồi “Lưu thành” Excel Workbook .xlsx, hoặc CSV UTF-8).";
  }
  return null;
}

/**
 * The dry run of an uploaded file at `path` (the job takes the file over). Records the job,
 * failed or checked; a file that cannot be read is a 400 with the reason.
 */
export async function checkImport(
  db: Kysely<DB>,
  principal: Principal,
  input: { kind: string; orgUnitId: number; fileName: string; path: string },
  options: { onProgress?: (p: RunProgress) => void; signal?: AbortSignal } = {},
): Promise<JobView> {
  const kind = importKind(input.kind);
  try {
    const unit = await importUnit(db, principal, kind, input.orgUnitId);
    const size = statSync(input.path).size;
    if (size === 0) throw problems.validation([{ field: "file", message: "Tệp rỗng." }]);
    const format = sniffFormat(input.path);
    const encoding = format === "csv" ? sniffCsvEncoding(input.path) : null;
    const fileName =
      normalizeText(input.fileName).slice(0, 200) || (format === "csv" ? "tep.csv" : "tep.xlsx");
    let summary: RunSummary | null = null;
    let message: string | null = null;
    try {
      summary = await runImport({
        db,
        kind,
        principal,
        unit,
        path: input.path,
        format,
        rowsCache: rowsCachePath(input.path),
        ...options,
      });
    } catch (error) {
      if (error instanceof ImportCancelled) throw error;
      message = fileProblem(error);
      if (message === null) throw error;
    }
    const job = await db
      .insertInto("import_jobs")
      .values({
        kind: kind.code,
        org_unit_id: unit.id,
        user_id: principal.userId,
        username: principal.username,
        file_name: fileName,
        file_format: format,
        file_path: input.path,
        encoding,
        status: summary ? "checked" : "failed",
        rows_total: summary?.total ?? 0,
        rows_invalid: summary?.counts.invalid ?? 0,
        rows_new: summary?.counts.new ?? 0,
        rows_updated: summary?.counts.update ?? 0,
        rows_unchanged: summary?.counts.unchanged ?? 0,
        rows_suspected: summary?.counts.suspected ?? 0,
        cells_converted: summary?.converted ?? 0,
        problems: JSON.stringify({ list: summary?.problems ?? [], sheets: summary?.sheets ?? [] }),
        problem_count: summary?.problemCount ?? 0,
        message,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return getImportJob(db, principal, Number(job.id));
  } catch (error) {
    removeUpload(input.path);
    throw error;
  }
}

function problemsOf(job: JobRow): {
  list: RowProblem[];
  sheets: { name: string; spec: string; headerRow: number }[];
} {
  const stored = job.problems as {
    list?: RowProblem[];
    sheets?: { name: string; spec: string; headerRow: number }[];
  };
  return { list: stored?.list ?? [], sheets: stored?.sheets ?? [] };
}

/** Write the annotated copy of a job's file to `out`; returns the name to give it. */
export async function annotatedFile(db: Kysely<DB>, principal: Principal, id: number, out: string) {
  const job = await loadJob(db, id, "all");
  authorize(principal, importKind(job.kind).action, job.unit_path);
  if (!job.file_path || !existsSync(job.file_path)) {
    throw problems.conflict(
      "import_file_gone",
      "Tệp đã tải lên không còn trên máy chủ: hãy tải tệp lên lại.",
    );
  }
  const { list, sheets } = problemsOf(job);
  await writeAnnotatedFile(job.file_path, job.file_format, out, list, sheets);
  return { name: `kiem-tra-${job.kind}-${job.id}.${job.file_format}`, format: job.file_format };
}

/** A job that may be committed now by this user, or the refusal (a conflict when already done). */
export async function committableJob(db: Kysely<DB>, principal: Principal, id: number) {
  const job = await loadJob(db, id);
  const kind = importKind(job.kind);
  authorize(principal, kind.action, job.unit_path);
  if (job.status !== "checked") {
    throw problems.conflict(
      "import_not_checked",
      job.status === "imported"
        ? "Tệp này đã được nhập rồi."
        : "Lần nhập này không thể ghi: hãy tải tệp lên lại.",
    );
  }
  if (!job.file_path || !existsSync(job.file_path)) {
    throw problems.conflict(
      "import_file_gone",
      "Tệp đã tải lên không còn trên máy chủ: hãy tải tệp lên lại.",
    );
  }
  return { job: { ...job, file_path: job.file_path }, kind };
}

/** Commit a checked job. All or nothing; a cancellation (signal) rolls back. */
export async function commitImport(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  choice: { mode: "all" | "valid"; includeSuspected: boolean },
  audit: AuditContext,
  options: { onProgress?: (p: RunProgress) => void; signal?: AbortSignal } = {},
): Promise<JobView> {
  const { job, kind } = await committableJob(db, principal, id);
  const unit = await importUnit(db, principal, kind, Number(job.org_unit_id));
  let summary: RunSummary;
  try {
    summary = await runImport({
      db,
      kind,
      principal,
      unit,
      path: job.file_path,
      format: job.file_format,
      rowsCache: rowsCachePath(job.file_path),
      commit: { ...choice, audit },
      ...options,
    });
  } catch (error) {
    if (error instanceof ImportHasErrors) throw problems.conflict("import_has_errors", error.message);
    if (error instanceof ImportCancelled) {
      await db.updateTable("import_jobs").set({ message: error.message }).where("id", "=", id).execute();
      throw new AppError(409, "import_cancelled", "Đã hủy", error.message);
    }
    const message = fileProblem(error);
    if (message) throw problems.badRequest("import_file_unreadable", message);
    throw error;
  }
  const written =
    summary.counts.new + summary.counts.update + (choice.includeSuspected ? summary.counts.suspected : 0);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable("import_jobs")
      .set({
        status: "imported",
        committed_at: new Date(),
        committed_mode: choice.mode,
        rows_total: summary.total,
        rows_invalid: summary.counts.invalid,
        rows_new: summary.counts.new,
        rows_updated: summary.counts.update,
        rows_unchanged: summary.counts.unchanged,
        rows_suspected: summary.counts.suspected,
        // The file goes with the commit, and the annotated file with it: the screen's problems are all
        // that can still be shown.
        problems: JSON.stringify({ list: summary.problems.slice(0, SHOWN_PROBLEMS), sheets: summary.sheets }),
        problem_count: summary.problemCount,
        file_path: null,
        message: `Đã ghi ${written} dòng.`,
      })
      .where("id", "=", id)
      .execute();
    await recordAudit(tx, audit, {
      action: "import.committed",
      entityType: "import_job",
      entityId: id,
      orgUnitId: unit.id,
      after: {
        kind: kind.code,
        file: job.file_name,
        mode: choice.mode,
        includeSuspected: choice.includeSuspected,
        rows: summary.total,
        new: summary.counts.new,
        updated: summary.counts.update,
        suspected: summary.counts.suspected,
        invalid: summary.counts.invalid,
      },
    });
  });
  removeUpload(job.file_path);
  return getImportJob(db, principal, id);
}
