#!/usr/bin/env node
// The `xhht` command. TypeScript sources run through tsx's loader; no separate compile step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
