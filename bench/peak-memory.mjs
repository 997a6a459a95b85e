// Preloaded (`node --import`) into a command the benchmark measures: when the process ends, its
// peak resident memory (kB, from getrusage) goes to the file named by XHHT_BENCH_PEAK_FILE.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  const file = process.env.XHHT_BENCH_PEAK_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
