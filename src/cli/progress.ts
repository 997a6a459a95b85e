/** The command line's progress bar (imports, the generator). */
import { formatInteger } from "../domain/format.ts";

/** A progress bar on stderr (a terminal), or nothing (a pipe). */
export function progressBar(label: string, total: number, unit: string) {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    /** What 100 % is; may be set once known. */
    total,
    update(done: number) {
      if (!tty || Date.now() - last < 100) return;
      last = Date.now();
      const share = this.total > 0 ? Math.min(1, done / this.total) : 0;
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(
        `\r${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${Math.round(share * 100)}% ${unit === "bytes" ? "" : `${formatInteger(done)} ${unit}`}`,
      );
    },
    end() {
      if (tty) process.stderr.write("\n");
    },
  };
}
