/**
 * A worker thread reading one workbook (`workerData.path`) with `xlsxSheets`, and posting what it
 * reads to reader.ts's `xlsxSheetsInThread`: each sheet's name, its rows a few hundred at a time,
 * its end; then "done", or the error that stopped it. It never runs more than `AHEAD` posts of
 * rows ahead of the side that uses them (that side answers each with "more").
 */
import { parentPort, workerData } from "node:worker_threads";
import { type FileRow, type FromReadingThread, xlsxSheets } from "./reader.ts";

const ROWS_PER_POST = 500;
const AHEAD = 4;

const port = parentPort;
if (!port) throw new Error("xlsx-reader.thread.ts runs as a worker thread");
const post = (message: FromReadingThread) => port.postMessage(message);

let credit = AHEAD;
let resume: (() => void) | null = null;
port.on("message", () => {
  credit++;
  resume?.();
});

let bytes = 0;
async function send(rows: FileRow[]) {
  post({ rows, bytes });
  credit--;
  while (credit <= 0) {
    await new Promise<void>((resolve) => {
      resume = resolve;
    });
    resume = null;
  }
}

try {
  for await (const sheet of xlsxSheets((workerData as { path: string }).path, (b) => {
    bytes = b;
  })) {
    post({ sheet: sheet.name });
    let rows: FileRow[] = [];
    for await (const row of sheet.rows) {
      rows.push(row);
      if (rows.length >= ROWS_PER_POST) {
        await send(rows);
        rows = [];
      }
    }
    if (rows.length > 0) await send(rows);
    post({ end: true });
  }
  post({ done: true, bytes });
} catch (error) {
  post({ error: (error as Error)?.message ?? String(error), name: (error as Error)?.name ?? "Error" });
}
