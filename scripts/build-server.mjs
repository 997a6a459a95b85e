/**
 * The server and command line as plain JavaScript: src/cli/main.ts and the import's reading thread
 * bundled by esbuild into dist/server/ (~1 s), each command's own modules in chunks loaded when it
 * runs. bin/xhht.js builds it the first time and again whenever a source is newer than the build.
 *
 * Why built, not run through a TypeScript loader: the loader (tsx) runs in a thread of its own with
 * its compiler, ~40–70 MB of every process's memory, which the import of a large file on the
 * embedded database cannot spare (BENCHMARKS.md). Tests and benchmarks still run the sources.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVER_BUILD_DIR = join(ROOT, "dist/server");
const STAMP = ".built";

/** The newest modification time of a file under `path` (the web app's sources aside). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    if (path === join(ROOT, "src") && name === "web") continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

function isFresh(dir) {
  const stamp = join(dir, STAMP);
  if (!existsSync(stamp)) return false;
  const sources = Math.max(
    ...[join(ROOT, "src"), join(ROOT, "package-lock.json"), fileURLToPath(import.meta.url)].map(newestMtime),
  );
  return statSync(stamp).mtimeMs >= sources;
}

/** Build dist/server/ unless it is newer than every source; gives the command's entry. */
export async function serverBuild() {
  if (!isFresh(SERVER_BUILD_DIR)) {
    // Built beside, then swapped in: another process may be building, or running the old build.
    const building = `${SERVER_BUILD_DIR}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const startedAt = Date.now();
    await build({
      entryPoints: [
        join(ROOT, "src/cli/main.ts"),
        join(ROOT, "src/capabilities/imports/xlsx-reader.thread.ts"),
      ],
      // main.js and xlsx-reader.thread.js side by side: reader.ts finds the thread's file beside itself.
      entryNames: "[name]",
      outdir: building,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      sourcemap: "linked",
      logLevel: "warning",
    });
    // The stamp is the build's start: a source saved while it ran makes the next start build again.
    writeFileSync(join(building, STAMP), "");
    utimesSync(join(building, STAMP), new Date(startedAt), new Date(startedAt));
    const old = `${SERVER_BUILD_DIR}.old-${process.pid}`;
    try {
      if (!isFresh(SERVER_BUILD_DIR)) {
        if (existsSync(SERVER_BUILD_DIR)) renameSync(SERVER_BUILD_DIR, old);
        renameSync(building, SERVER_BUILD_DIR);
      }
    } catch {
      // Another process swapped its build in first: theirs is as good.
    } finally {
      rmSync(building, { recursive: true, force: true });
      rmSync(old, { recursive: true, force: true });
    }
  }
  return join(SERVER_BUILD_DIR, "main.js");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`Đã dựng ${await serverBuild()}`);
}
