/**
 * One pass over an uploaded file: read it streaming, sheet by sheet, find each sheet's header
 * row, read every row through the kind's columns (domain/import/columns.ts), complete the checks
 * in batches against the database (`kind.check`) and, when committing, write each batch
 * (`kind.apply`). A dry run checks each batch in a short transaction of its own; a commit runs the
 * whole file in ONE transaction, so a failure, an invalid row (in "all" mode) or a cancellation
 * leaves nothing behind.
 */
import { once } from "node:events";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  renameSync,
  rmSync,
  statSync,
  type WriteStream,
} from "node:fs";
import { createInterface } from "node:readline";
import type { Kysely, Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB, OrgUnitRow } from "../../db/schema.ts";
import {
  type CellProblem,
  looksLikeHeader,
  matchHeaders,
  type RecordValues,
  readRecord,
  type SheetSpec,
} from "../../domain/import/columns.ts";
import { foldForSearch } from "../../domain/text.ts";
import type { AuditContext } from "../audit/audit-writer.ts";
import type { ImportKind, ImportRow, Outcome } from "./kind.ts";
import { type FileFormat, ImportFileError, readSheets } from "./reader.ts";

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
  /**
   * Where the dry run keeps the rows it read, and the commit finds them (`rowsCachePath`); the
   * commit reads the file itself when they are not there.
   */
  rowsCache?: string;
}

/** Where the rows read from an uploaded file are kept between its dry run and its commit. */
export function rowsCachePath(uploadPath: string): string {
  return `${uploadPath}.rows`;
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

/** Null when the promise resolved, the error when it rejected: it has settled either way. */
const settled = (p: Promise<unknown>): Promise<{ error: unknown } | null> =>
  p.then(
    () => null,
    (error: unknown) => ({ error }),
  );

/** Read, check and (when committing) write a whole file. */
export async function runImport(options: RunOptions): Promise<RunSummary> {
  const { db, commit } = options;
  if (!commit) return pass(options, null);
  return db.transaction().execute((tx) => pass(options, tx));
}

/** What reading a file yields: a sheet's header found, one of its rows, the end of its rows. */
type ReadEvent =
  | { sheet: { name: string; spec: string; headerRow: number } }
  | {
      row: { spec: string; number: number; values: RecordValues; problems: CellProblem[]; converted: number };
    }
  | { end: string };

async function pass(options: RunOptions, commitTx: Transaction<DB> | null): Promise<RunSummary> {
  const { db, kind, principal, unit, path, format, commit, onProgress, signal, rowsCache } = options;
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
  const onBytes = (b: number) => {
    bytes = b;
  };

  /** The checks of a batch; in a commit in "all" mode, an invalid row stops the run. */
  const check = async (spec: SheetSpec, batch: ImportRow[]) => {
    if (signal?.aborted) throw new ImportCancelled();
    await inTx(async (tx) => {
      const valid = batch.filter((r) => r.problems.length === 0);
      await kind.check(tx, ctx, spec.name, valid);
      for (const row of batch) if (row.problems.length > 0) row.outcome = "invalid";
      const invalid = batch.find((r) => r.outcome === "invalid");
      if (commit && invalid && commit.mode === "all") {
        throw new ImportHasErrors(
          `Dòng ${invalid.number} (trang “${spec.name}”) có lỗi: không có dữ liệu nào được ghi. Hãy sửa tệp, hoặc chọn “chỉ nhập các dòng hợp lệ”.`,
        );
      }
    });
  };

  /** A checked batch's writes, when committing. */
  const apply = async (spec: SheetSpec, batch: ImportRow[]) => {
    if (!commitTx || !commit) return;
    const toWrite = batch.filter(
      (r) =>
        r.outcome === "new" ||
        r.outcome === "update" ||
        (r.outcome === "suspected" && commit.includeSuspected),
    );
    if (toWrite.length > 0) await kind.apply(commitTx, ctx, spec.name, toWrite, commit.audit);
  };

  /** A batch done: its rows counted and its problems listed, in the file's order. */
  const tally = (spec: SheetSpec, batch: ImportRow[]) => {
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

  // Batches are checked, written and counted in order, a batch checked (and written) while the
  // next is read: a database server works in its own process, on the other core, while this thread
  // parses. In a commit, a sheet of independent batches (`independentBatches`) has its next batch
  // checked, and its writes sent, while the database still works on this one's. At most three
  // batches are held; a sheet is finished before the next (members need their households
  // written). Whatever fails, nothing is left running on the transaction when the run ends, and
  // the first batch's error is the one reported.
  let checked: Promise<void> = Promise.resolve();
  let inFlight: Promise<void> = Promise.resolve();
  let previous: Promise<void> = Promise.resolve();
  const queue = async (spec: SheetSpec, batch: ImportRow[]) => {
    const independent = commitTx !== null && (kind.independentBatches?.includes(spec.name) ?? false);
    if (independent) {
      // Failed: the batches' own order says which error is reported (`inFlight` rethrows it).
      const [checkFailed, writeFailed] = await Promise.all([settled(checked), settled(previous)]);
      if (checkFailed || writeFailed) await inFlight;
    } else {
      await inFlight;
    }
    const checking = check(spec, batch);
    const last = inFlight;
    // Independent: the batch before began its writes when its check ended, before this check began.
    const writing = (independent ? checking : Promise.all([checking, last])).then(() => apply(spec, batch));
    const done = Promise.all([settled(writing), settled(checking), settled(last)]).then(
      ([own, ownCheck, before]) => {
        if (before) throw before.error;
        if (ownCheck) throw ownCheck.error;
        if (own) throw own.error;
        tally(spec, batch);
      },
    );
    // Awaited by the next queue or at the end of the sheet; meanwhile not unhandled rejections.
    for (const p of [checking, writing, done]) p.catch(() => {});
    checked = checking;
    previous = last;
    inFlight = done;
  };

  // A commit replays the rows its dry run read (the same file, read the same way) when they were
  // kept; a dry run keeps them.
  const replay = commit && rowsCache && existsSync(rowsCache);
  const events = replay
    ? replayRows(rowsCache, statSync(path).size, onBytes)
    : readFileRows(path, format, kind, sheets, onBytes);
  const recorder = !commit && rowsCache ? new RowsRecorder(rowsCache) : null;
  const specOf = (name: string) => sheets.find((s) => s.name === name) as SheetSpec;
  try {
    let batch: ImportRow[] = [];
    for await (const event of events) {
      await recorder?.add(event);
      if ("sheet" in event) {
        summary.sheets.push(event.sheet);
      } else if ("row" in event) {
        const { spec, number, values, problems, converted } = event.row;
        summary.total++;
        summary.converted += converted;
        batch.push({ sheet: spec, number, values, problems, warnings: [], outcome: "new" });
        if (batch.length >= BATCH) {
          await queue(specOf(spec), batch);
          batch = [];
        }
      } else {
        if (batch.length > 0) await queue(specOf(event.end), batch);
        batch = [];
        await inFlight;
      }
    }

    const used = new Set(summary.sheets.map((s) => s.spec));
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
    await recorder?.close();
  } catch (error) {
    recorder?.abandon();
    throw error;
  } finally {
    // Never leave a batch running on the transaction the caller is about to end.
    await inFlight.catch(() => {});
  }

  if (signal?.aborted) throw new ImportCancelled();
  if (commitTx && kind.finish) await kind.finish(commitTx, ctx);
  return summary;
}

/** The rows of a file as its sheets are read: header rows found, every row read through its columns. */
async function* readFileRows(
  path: string,
  format: FileFormat,
  kind: ImportKind,
  sheets: readonly SheetSpec[],
  onBytes: (bytes: number) => void,
): AsyncGenerator<ReadEvent> {
  const used = new Set<string>();
  for await (const sheet of readSheets(path, format, onBytes)) {
    let spec =
      format === "csv"
        ? kind.anySheet
          ? null
          : (sheets[0] as SheetSpec)
        : specFor(sheets, sheet.name, used);
    // The template's example sheets (“Ví dụ - …”) are never read as data, even when their list was deleted.
    const example = spec === null && foldForSearch(sheet.name).startsWith("vi du");
    let indexes: Map<string, number> | null = null;
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
        used.add(spec.name);
        yield { sheet: { name: sheet.name, spec: spec.name, headerRow: fileRow.number } };
        continue;
      }
      const read = readRecord(spec as SheetSpec, indexes, fileRow.cells);
      if (read.blank) continue;
      yield {
        row: {
          spec: (spec as SheetSpec).name,
          number: fileRow.number,
          values: read.values,
          problems: [...read.problems],
          converted: read.converted,
        },
      };
    }
    if (spec && indexes) yield { end: spec.name };
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

/**
 * The rows a dry run read, kept beside the uploaded file (one JSON line each), so that the commit
 * checks and writes them without parsing the workbook again (a third of its time for 100,000 rows).
 * Written to a temporary name and put in place only when the dry run read the whole file.
 */
class RowsRecorder {
  private readonly partial: string;
  private readonly out: WriteStream;
  private lines: string[] = [];
  private failed: Error | null = null;

  constructor(private readonly path: string) {
    this.partial = `${path}.partial`;
    this.out = createWriteStream(this.partial, { mode: 0o600 });
    this.out.on("error", (error) => {
      this.failed = error;
    });
  }

  /** Waits, now and then, for the disk: lines written faster than it takes them would pile up in memory. */
  async add(event: ReadEvent) {
    this.lines.push(JSON.stringify(event));
    // A failed stream stops waiting too (`failed` is set; the commit then reads the file).
    if (this.lines.length >= BATCH && !this.write() && !this.failed)
      await once(this.out, "drain").catch(() => {});
  }

  /** False when the stream holds more than its buffer's worth. */
  private write(): boolean {
    const ok = this.lines.length === 0 || this.out.write(`${this.lines.join("\n")}\n`);
    this.lines = [];
    return ok;
  }

  async close() {
    this.write();
    await new Promise<void>((resolve) => this.out.end(resolve));
    // Kept rows are an optimisation: a failed write only means the commit reads the file again.
    if (this.failed) rmSync(this.partial, { force: true });
    else renameSync(this.partial, this.path);
  }

  abandon() {
    this.out.destroy();
    rmSync(this.partial, { force: true });
  }
}

/** The rows a dry run kept; progress in the uploaded file's bytes, in proportion. */
async function* replayRows(
  path: string,
  fileBytes: number,
  onBytes: (bytes: number) => void,
): AsyncGenerator<ReadEvent> {
  const total = statSync(path).size || 1;
  let read = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of lines) {
    read += Buffer.byteLength(line) + 1;
    onBytes(Math.round((Math.min(read, total) / total) * fileBytes));
    yield JSON.parse(line) as ReadEvent;
  }
}
