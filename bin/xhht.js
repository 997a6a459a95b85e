#!/usr/bin/env -S node --max-old-space-size=256
// The `xhht` command: src/cli/main.ts, run as plain JavaScript built into dist/server/ (built the
// first time, and again whenever a source is newer; scripts/build-server.mjs says why).
// The heap is capped at 256 MB (also in package.json's `start`): V8 otherwise lets garbage grow
// to several hundred MB while a large file is imported, and with the embedded database's own
// ~170 MB the process would pass 500 MB (BENCHMARKS.md). `node --max-old-space-size=N bin/xhht.js`
// sets another cap.
import { serverBuild } from "../scripts/build-server.mjs";

let entry;
try {
  entry = await serverBuild();
} catch (error) {
  // A folder it may not write to (installed for all users, say): the sources, through tsx.
  process.emitWarning(`xhht: cannot build dist/server (${error.message}); running the sources`);
  (await import("tsx/esm/api")).register();
  entry = "../src/cli/main.ts";
}
await import(entry);
