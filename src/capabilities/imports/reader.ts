/**
 * The rows of an uploaded file, streamed: an XLSX workbook sheet by sheet (ExcelJS's streaming
 * reader: the workbook is never in memory whole), or a CSV file in UTF-8, UTF-16 or an 8-bit
 * Vietnamese encoding (Windows-1258; Windows-1252 holding TCVN3/VNI text, converted per cell
 * later). Cells come out as ExcelJS gives them (see `plainCell` in the domain).
 */
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from "node:fs";
import { Transform } from "node:stream";
import { Worker } from "node:worker_threads";
import { parse as parseCsv } from "csv-parse";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { decodeCsvBytes, decodeWindows1258 } from "../../domain/import/cells.ts";
import { decodeWindows1252 } from "../../domain/import/legacy-encodings.ts";

export type FileFormat = "xlsx" | "csv";

export interface FileRow {
  /** The row's number in the sheet (1-based, as Excel shows it). */
  number: number;
  cells: unknown[];
}

export interface FileSheet {
  name: string;
  rows: AsyncIterable<FileRow>;
}

export type CsvEncoding = ReturnType<typeof decodeCsvBytes>["encoding"];

/** A file that cannot be read as the template asks; its message is for the officer. */
export class ImportFileError extends Error {
  override name = "ImportFileError";
}

/** What the bytes of a file say it is: an XLSX (a zip) or a CSV, whatever its name says. */
export function sniffFormat(path: string): FileFormat {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04 ? "xlsx" : "csv";
  } finally {
    closeSync(fd);
  }
}

/** Counts the bytes read from the file, for a progress bar. */
function counting(onBytes: ((bytes: number) => void) | undefined) {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      onBytes?.(bytes);
      done(null, chunk);
    },
  });
}

/**
 * A workbook this large or larger is read in a thread of its own (`xlsxSheetsInThread`); below it,
 * starting the thread (~0.3 s) would cost more than it saves.
 */
export const THREAD_FROM_BYTES = 1024 * 1024;

/**
 * Every sheet of a file, in order, with its rows; a CSV file is one sheet named "". A large
 * workbook is parsed in a thread of its own (`inThread`: by default from `THREAD_FROM_BYTES`),
 * so that its reading and the caller's checks of its rows use both cores.
 */
export async function* readSheets(
  path: string,
  format: FileFormat,
  onBytes?: (bytes: number) => void,
  options: { inThread?: boolean; threadHeapMb?: number } = {},
): AsyncGenerator<FileSheet> {
  if (format === "csv") {
    yield { name: "", rows: csvRows(path, onBytes) };
    return;
  }
  const inThread = options.inThread ?? statSync(path).size >= THREAD_FROM_BYTES;
  yield* inThread ? xlsxSheetsInThread(path, onBytes, options.threadHeapMb) : xlsxSheets(path, onBytes);
}

/**
 * The parts a sheet needs, first: ExcelJS's streaming reader parses a worksheet as soon as it
 * meets it in the zip, and when the workbook, its relations or the shared strings come later
 * (Excel itself writes the shared strings after the sheets) it loses them — cells read as
 * `{sharedString: n}`, or the read fails (ExcelJS issues #683, #3064).
 */
const FIRST_PARTS = [
  "[Content_Types].xml",
  "_rels/",
  "xl/workbook.xml",
  "xl/_rels/",
  "xl/sharedStrings.xml",
  "xl/styles.xml",
  "xl/theme/",
];

function partRank(name: string): number {
  const i = FIRST_PARTS.findIndex((p) => name === p || (p.endsWith("/") && name.startsWith(p)));
  return i < 0 ? FIRST_PARTS.length : i;
}

const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/u;

/**
 * The sheets of a workbook, one at a time. ExcelJS's streaming reader also loses the zip's later
 * entries — whole sheets — whenever its consumer waits on I/O between two of them (a batch written
 * to a database server), so each worksheet is read from a zip of its own: the parts it needs
 * first, then that one worksheet last (entries are streamed, one at a time; the rows of one sheet
 * stream whatever the consumer waits on).
 */
export async function* xlsxSheets(
  path: string,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<FileSheet> {
  const bytes = readFileSync(path);
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]?.dir);
  const shared = names
    .filter((n) => !n.startsWith("xl/worksheets/"))
    .sort((a, b) => partRank(a) - partRank(b));
  let done = 0;
  for (const worksheet of names.filter((n) => WORKSHEET.test(n))) {
    const one = new JSZip();
    for (const n of [...shared, worksheet])
      one.file(n, zip.file(n)?.nodeStream("nodebuffer") as NodeJS.ReadableStream);
    // Progress: the bytes streamed so far (the shared parts count once per sheet), never past the file.
    let streamed = 0;
    const input = one.generateNodeStream({ streamFiles: true, compression: "STORE" }).pipe(
      counting((n) => {
        streamed = n;
        onBytes?.(Math.min(bytes.length, done + n));
      }),
    );
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      sharedStrings: "cache",
      hyperlinks: "ignore",
      styles: "cache",
      worksheets: "emit",
      entries: "ignore",
    });
    for await (const sheet of workbook) {
      const reader = sheet as unknown as AsyncIterable<ExcelJS.Row> & { name: string };
      yield {
        name: reader.name,
        rows: (async function* () {
          for await (const row of reader) {
            const values = row.values as unknown[];
            // ExcelJS's row.values is 1-based (index 0 is empty).
            yield { number: row.number, cells: Array.isArray(values) ? values.slice(1) : [] };
          }
        })(),
      };
    }
    done += streamed;
  }
  onBytes?.(bytes.length);
}

/** What the reading thread (xlsx-reader.thread.ts) posts, in the workbook's order. */
export type FromReadingThread =
  | { sheet: string }
  | { rows: FileRow[]; bytes: number }
  | { end: true }
  | { done: true; bytes: number }
  | { error: string; name: string };

/**
 * `xlsxSheets` run in a worker thread: the thread parses and posts rows a few hundred at a time,
 * at most a few posts ahead of this side (it waits for "more"), so memory stays bounded however
 * slowly the rows are used. A sheet whose rows were not all read is skipped to its end; leaving
 * early, or failing, ends the thread.
 */
async function* xlsxSheetsInThread(
  path: string,
  onBytes?: (bytes: number) => void,
  heapMb = 128,
): AsyncGenerator<FileSheet> {
  const thread = new Worker(new URL("./xlsx-reader.thread.js", import.meta.url), {
    workerData: { path },
    // Not this process's own options (its `--import tsx` would fail in a worker on Node 20). From
    // the sources, the entry beside this file registers the TypeScript loader itself; in the built
    // command (dist/server/), the entry beside the bundle is the thread's own JavaScript.
    execArgv: [],
    // A young generation of 16 MB: V8's default for the thread (tens of MB) showed in the server's
    // memory during a dry run as ~30 MB at its peak; 8 MB cost the reading a third of its speed.
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16 },
  });
  const inbox: FromReadingThread[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  thread.on("message", (message: FromReadingThread) => {
    inbox.push(message);
    wake?.();
  });
  thread.on("error", (error) => {
    // A workbook too large for the thread's memory (its shared strings, most often) ends the
    // thread, not the server.
    failure =
      (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY"
        ? new ImportFileError(
            "Tệp Excel quá lớn để đọc một lần. Hãy chia thành nhiều tệp nhỏ hơn, hoặc lưu thành CSV UTF-8 rồi tải lên.",
          )
        : error;
    wake?.();
  });
  thread.on("exit", (code) => {
    failure ??= new Error(`Luồng đọc tệp Excel dừng giữa chừng (mã ${code}).`);
    wake?.();
  });
  const next = async (): Promise<FromReadingThread> => {
    for (;;) {
      const message = inbox.shift();
      if (message) {
        if ("error" in message) throw Object.assign(new Error(message.error), { name: message.name });
        if ("rows" in message) {
          thread.postMessage("more");
          onBytes?.(message.bytes);
        }
        return message;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  };
  try {
    for (let message = await next(); !("done" in message); message = await next()) {
      if (!("sheet" in message)) throw new Error("Luồng đọc tệp Excel gửi sai thứ tự.");
      let ended = false;
      yield {
        name: message.sheet,
        rows: (async function* () {
          for (let m = await next(); !("end" in m); m = await next()) if ("rows" in m) yield* m.rows;
          ended = true;
        })(),
      };
      // The rows the caller left unread.
      while (!ended) if ("end" in (await next())) ended = true;
    }
    onBytes?.(statSync(path).size);
  } finally {
    await thread.terminate();
  }
}

const SAMPLE_BYTES = 64 * 1024;

/** The encoding of a CSV file, from its first 64 KiB. */
export function sniffCsvEncoding(path: string): CsvEncoding {
  const fd = openSync(path, "r");
  try {
    const sample = Buffer.alloc(SAMPLE_BYTES);
    const n = readSync(fd, sample, 0, SAMPLE_BYTES, 0);
    let bytes = sample.subarray(0, n);
    // A UTF-8 sample cut inside a character is still UTF-8: drop an incomplete last sequence.
    if (n === SAMPLE_BYTES) {
      let end = n;
      while (end > n - 4 && ((bytes[end - 1] as number) & 0xc0) === 0x80) end--;
      if (end > 0 && (bytes[end - 1] as number) >= 0xc0) end--;
      bytes = bytes.subarray(0, end);
    }
    return decodeCsvBytes(bytes).encoding;
  } finally {
    closeSync(fd);
  }
}

/** The delimiter of a CSV file: the one of ",", ";" and tab its first line has most of. */
function sniffDelimiter(firstLine: string): string {
  const counts = [",", ";", "\t"].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return (counts[0] as readonly [string, number])[1] > 0 ? (counts[0] as readonly [string, number])[0] : ",";
}

async function* csvRows(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<FileRow> {
  const encoding = sniffCsvEncoding(path);
  // 8-bit files are decoded by our own tables: a byte is a character, whatever the chunk.
  const decoder = new TextDecoder(encoding.startsWith("windows") ? "utf-8" : encoding, { ignoreBOM: false });
  const decode = (chunk: Buffer) =>
    encoding === "windows-1252"
      ? decodeWindows1252(chunk)
      : encoding === "windows-1258"
        ? decodeWindows1258(chunk)
        : decoder.decode(chunk, { stream: true });
  const nfc = encoding === "windows-1258";
  let delimiter: string | null = null;
  let pending = "";
  const source = createReadStream(path).pipe(counting(onBytes));
  const decoded = source.pipe(
    new Transform({
      readableObjectMode: false,
      transform(chunk: Buffer, _enc, done) {
        let text = decode(chunk);
        // Windows-1258 writes tones as combining marks: keep a trailing letter with the next chunk.
        if (nfc) {
          text = pending + text;
          // Hold back the last letter with the marks after it: its next mark may be in the next chunk.
          let cut = text.length;
          while (cut > 0 && /\p{M}/u.test(text[cut - 1] as string)) cut--;
          cut = Math.max(0, cut - 1);
          pending = text.slice(cut);
          text = text.slice(0, cut).normalize("NFC");
        }
        done(null, text);
      },
      flush(done) {
        const tail = (encoding.startsWith("windows") ? "" : decoder.decode()) + pending;
        done(null, nfc ? tail.normalize("NFC") : tail);
      },
    }),
  );
  // The delimiter is read from the first line before the parser starts.
  const reader = decoded[Symbol.asyncIterator]();
  let head = "";
  while (!head.includes("\n")) {
    const next = await reader.next();
    if (next.done) break;
    head += String(next.value);
  }
  delimiter = sniffDelimiter(head.split("\n")[0] ?? "");
  const parser = parseCsv({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
  });
  (async () => {
    try {
      parser.write(head);
      for (;;) {
        const next = await reader.next();
        if (next.done) break;
        if (!parser.write(String(next.value))) await new Promise((r) => parser.once("drain", r));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  let number = 0;
  for await (const record of parser) {
    number++;
    yield { number, cells: record as string[] };
  }
}
