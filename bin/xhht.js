#!/usr/bin/env -S node --max-old-space-size=256
// The `xhht` command. TypeScript sources run through tsx's loader; no separate compile step.
// The heap is capped at 256 MB (also in package.json's `start`): V8 otherwise lets garbage grow
// to several hundred MB while a large file is imported, and with the embedded database's own
// ~170 MB the process would pass 500 MB (BENCHMARKS.md). `node --max-old-space-size=N bin/xhht.js`
// sets another cap.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
