// The entry of the thread that reads a large workbook (reader.ts, `xlsxSheetsInThread`). A worker
// thread does not inherit the process's TypeScript loader: it registers its own, as bin/xhht.js does.
import { register } from "tsx/esm/api";

register();
await import("./xlsx-reader.thread.ts");
