/**
 * One pass over an uploaded file: read it streaming, sheet by sheet, find each sheet's header
 * row, read every row through the kind's columns (domain/import/columns.ts), complete the checks
 * in batches against the database (`kind.check`) and, when committing, write each batch
 * (`kind.apply`). A dry run checks each batch in a short transaction of its own; a commit runs the
 * whole file in ONE transaction, so a failure, an invalid row (in "all" mode) or a cancellation
 * leaves nothing behind.
 */
import type { Kysely, Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import {
  type CellProblem,
  looksLikeHeader,
  matchHeaders,
  readRecord,
  type SheetSpec,
} from "../../domain/import/columns.ts";
import { foldForSearch } from "../../domain/text.ts";
import type { AuditContext } from "../audit/audit-writer.ts";
import type { ImportKind, ImportRow, Outcome } from "./kind.ts";
import { type FileFormat, readSheets } from "./reader.ts";

const BATCH = 1000;
/** A header is looked for in the first rows of a sheet (a title and the issuing body may come first). */
const HEADER_SEARCH_ROWS = 20;
/** Problems kept with the job (the screen and the annotated file); the counts are always exact. */
export const KEPT_PROBLEMS = 20_000;

export interface RowProblem {
  sheet: string;
  row: number;
  /** The column's header, or "" for the row. */
  column: string;
  message: string;
  /** A warning (suspected duplicate) rather than an error. */
  warning?: boolean;
}

export interface RunSummary {
  total: number;
  counts: Record<Outcome, number>;
  converted: number;
  problems: RowProblem[];
  /** Rows with an error, counted whole even when `problems` was cut. */
  problemCount: number;
  /** Sheets of the file that were read, with the row of their header. */
  sheets: { name: string; spec: string; headerRow: number }[];
}

export interface RunProgress {
  rows: number;
  bytes: number;
}

export class ImportFileError extends Error {
  override name = "ImportFileError";
}

export class ImportCancelled extends Error {
  override name = "ImportCancelled";
  constructor() {
    super("Đã hủy: không có dữ liệu nào được ghi.");
  }
}

/** Rows refused in "all" mode. */
export class ImportHasErrors extends Error {
  override name = "ImportHasErrors";
}

export interface RunOptions {
  db: Kysely<DB>;
  kind: ImportKind;
  principal: Principal;
  unit: OrgUnitRow;
  path: string;
  format: FileFormat;
  commit?: { mode: "all" | "valid"; includeSuspected: boolean; audit: AuditContext };
  onProgress?: (p: RunProgress) => void;
  signal?: AbortSignal;
}

function specFor(sheets: readonly SheetSpec[], sheetName: string, used: Set<string>): SheetSpec | null {
  const folded = foldForSearch(sheetName);
  return sheets.find((s) => !used.has(s.name) && foldForSearch(s.name) === folded) ?? null;
}

/** The unused sheet whose header this row looks most like (fewest required columns missing). */
function detectSpec(sheets: readonly SheetSpec[], used: Set<string>, cells: readonly unknown[]) {
  let best: SheetSpec | null = null;
  let bestMissing = Number.POSITIVE_INFINITY;
  for (const s of sheets) {
    if (used.has(s.name) || !looksLikeHeader(s, cells)) continue;
    const missing = matchHeaders(s, cells).missing.length;
    if (missing < bestMissing) {
      best = s;
      bestMissing = missing;
    }
  }
  return best;
}

/** Read, check and (when committing) write a whole file. */
export async function runImport(options: RunOptions): Promise<RunSummary> {
  const { db, commit } = options;
  if (!commit) return pass(options, null);
  return db.transaction().execute((tx) => pass(options, tx));
}

async function pass(options: RunOptions, commitTx: Transaction<DB> | null): Promise<RunSummary> {
  const { db, kind, principal, unit, path, format, commit, onProgress, signal } = options;
  const summary: RunSummary = {
    total: 0,
    counts: { new: 0, update: 0, unchanged: 0, suspected: 0, invalid: 0 },
    converted: 0,
    problems: [],
    problemCount: 0,
    sheets: [],
  };
  const inTx = <T>(work: (tx: Transaction<DB>) => Promise<T>) =>
    commitTx ? work(commitTx) : db.transaction().execute(work);
  const ctx = await inTx((tx) => kind.prepare(tx, principal, unit));
  const sheets = kind.sheetsFor?.(ctx) ?? kind.sheets;
  let bytes = 0;
  const used = new Set<string>();

  const flush = async (spec: SheetSpec, batch: ImportRow[]) => {
    if (signal?.aborted) throw new ImportCancelled();
    const valid = batch.filter((r) => r.problems.length === 0);
    await inTx(async (tx) => {
      await kind.check(tx, ctx, spec.name, valid);
      for (const row of batch) if (row.problems.length > 0) row.outcome = "invalid";
      if (commit) {
        const invalid = batch.find((r) => r.outcome === "invalid");
        if (invalid && commit.mode === "all") {
          throw new ImportHasErrors(
            `Dòng ${invalid.number} (trang “${spec.name}”) có lỗi: không có dữ liệu nào được ghi. Hãy sửa tệp, hoặc chọn “chỉ nhập các dòng hợp lệ”.`,
          );
        }
        const toWrite = batch.filter(
          (r) =>
            r.outcome === "new" ||
            r.outcome === "update" ||
            (r.outcome === "suspected" && commit.includeSuspected),
        );
        if (toWrite.length > 0) await kind.apply(tx, ctx, spec.name, toWrite, commit.audit);
      }
    });
    for (const row of batch) {
      summary.counts[row.outcome]++;
      if (row.problems.length > 0) summary.problemCount++;
      const header = (key: string) => spec.columns.find((c) => c.key === key)?.header ?? "";
      const listed: RowProblem[] = [
        ...row.problems.map((p) => ({
          sheet: spec.name,
          row: row.number,
          column: header(p.column),
          message: p.message,
        })),
        ...row.warnings.map((p) => ({
          sheet: spec.name,
          row: row.number,
          column: header(p.column),
          message: p.message,
          warning: true,
        })),
      ];
      for (const p of listed) if (summary.problems.length < KEPT_PROBLEMS) summary.problems.push(p);
    }
    onProgress?.({ rows: summary.total, bytes });
  };

  // One batch is checked (and written) while the next is read: a database server works in its own
  // process, on the other core, while this thread parses. Batches stay in order, one in flight;
  // a sheet is finished before the next (members need their households written).
  let inFlight: Promise<void> = Promise.resolve();
  const queue = async (spec: SheetSpec, batch: ImportRow[]) => {
    await inFlight;
    inFlight = flush(spec, batch);
    // Awaited by the next queue or at the end of the sheet; meanwhile not an unhandled rejection.
    inFlight.catch(() => {});
  };

  try {
    await readFile();
  } finally {
    // Never leave a batch running on the transaction the caller is about to end.
    await inFlight.catch(() => {});
  }

  async function readFile() {
    for await (const sheet of readSheets(path, format, (b) => {
      bytes = b;
    })) {
      let spec =
        format === "csv"
          ? kind.anySheet
            ? null
            : (sheets[0] as SheetSpec)
          : specFor(sheets, sheet.name, used);
      // The template's example sheets (“Ví dụ - …”) are never read as data, even when their list was deleted.
      const example = spec === null && foldForSearch(sheet.name).startsWith("vi du");
      let indexes: Map<string, number> | null = null;
      let headerRow = 0;
      let batch: ImportRow[] = [];
      for await (const fileRow of sheet.rows) {
        if (indexes === null) {
          // Past the first rows without a header: not a sheet of the template (read through, unused).
          if (fileRow.number > HEADER_SEARCH_ROWS) continue;
          const candidate = spec ?? (example ? null : detectSpec(sheets, used, fileRow.cells));
          if (!candidate || !looksLikeHeader(candidate, fileRow.cells)) continue;
          const match = matchHeaders(candidate, fileRow.cells);
          if (match.missing.length > 0) {
            throw new ImportFileError(
              `Trang “${sheet.name || candidate.name}” thiếu cột bắt buộc: ${match.missing.map((h) => `“${h}”`).join(", ")}. Hãy dùng tệp mẫu.`,
            );
          }
          spec = candidate;
          indexes = match.indexes;
          headerRow = fileRow.number;
          used.add(spec.name);
          summary.sheets.push({ name: sheet.name, spec: spec.name, headerRow });
          continue;
        }
        const read = readRecord(spec as SheetSpec, indexes, fileRow.cells);
        if (read.blank) continue;
        summary.total++;
        summary.converted += read.converted;
        batch.push({
          sheet: (spec as SheetSpec).name,
          number: fileRow.number,
          values: read.values,
          problems: [...read.problems] as CellProblem[],
          warnings: [],
          outcome: "new",
        });
        if (batch.length >= BATCH) {
          await queue(spec as SheetSpec, batch);
          batch = [];
        }
      }
      if (spec && indexes && batch.length > 0) await queue(spec, batch);
      await inFlight;
      // A sheet of the template found without its header: say so rather than skip it silently.
      if (spec && indexes === null && format === "xlsx" && specFor(sheets, sheet.name, new Set()) !== null) {
        throw new ImportFileError(
          `Không tìm thấy dòng tiêu đề của trang “${sheet.name}” trong ${HEADER_SEARCH_ROWS} dòng đầu: cần các cột ${spec.columns
            .filter((c) => c.required)
            .map((c) => `“${c.header}”`)
            .join(", ")}.`,
        );
      }
    }
  }
  if (kind.anySheet && used.size === 0) {
    throw new ImportFileError(
      `Không tìm thấy danh sách nào của mẫu trong tệp: cần một trang ${sheets.map((s) => `“${s.name}”`).join(", ")} có dòng tiêu đề như tệp mẫu.`,
    );
  }
  const main = sheets[0] as SheetSpec;
  if (!kind.anySheet && !used.has(main.name)) {
    throw new ImportFileError(
      `Không tìm thấy danh sách “${main.name}” trong tệp: cần một dòng tiêu đề có các cột ${main.columns
        .filter((c) => c.required)
        .map((c) => `“${c.header}”`)
        .join(", ")}. Hãy dùng tệp mẫu.`,
    );
  }
  if (signal?.aborted) throw new ImportCancelled();
  if (commitTx && kind.finish) await kind.finish(commitTx, ctx);
  return summary;
}
