/**
 * The generated DOCX and XLSX open in LibreOffice without repair: each is converted to PDF
 * headless (about 1 s each) and the PDF's text read back. LibreOffice and poppler-utils come from
 * Debian through scripts/install-test-deps.sh (`npm run test:install`); never skipped.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReportDocx } from "./docx.ts";
import { centreAppendix, centreReport } from "./fixtures.ts";
import { renderAppendixXlsx } from "./xlsx.ts";

const run = promisify(execFile);
/** On PATH, without starting it. */
const available = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;

let dir = "";
beforeAll(async () => {
  if (!available("soffice")) {
    throw new Error(
      "soffice (LibreOffice) not found: install the test dependencies with `npm run test:install` (scripts/install-test-deps.sh).",
    );
  }
  dir = await mkdtemp(join(tmpdir(), "xhht-render-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Convert `name` (written from `content`) to PDF with a private profile; the PDF's path. */
async function toPdf(name: string, content: Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  const profile = pathToFileURL(join(dir, `profile-${name}`)).href;
  await run(
    "soffice",
    [`-env:UserInstallation=${profile}`, "--headless", "--convert-to", "pdf", "--outdir", dir, file],
    { timeout: 120_000 },
  ); // rejects on a non-zero exit code or the timeout
  const pdf = file.replace(/\.\w+$/, ".pdf");
  expect((await stat(pdf)).size).toBeGreaterThan(1000);
  expect((await readFile(pdf)).subarray(0, 5).toString()).toBe("%PDF-");
  return pdf;
}

async function pdfText(pdf: string): Promise<string | null> {
  if (!available("pdftotext")) return null;
  return (await run("pdftotext", ["-layout", pdf, "-"], { timeout: 60_000 })).stdout;
}

describe("LibreOffice opens the rendered files", () => {
  it("converts the report DOCX to PDF with its text intact", { timeout: 300_000 }, async () => {
    const pdf = await toPdf("bao-cao.docx", await renderReportDocx(centreReport));
    const text = await pdfText(pdf);
    if (text !== null) {
      expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
      expect(text).toContain("Độc lập - Tự do - Hạnh phúc");
      expect(text).toContain("1.612");
      expect(text).toContain("GIÁM ĐỐC");
    }
  });

  it("converts the appendix XLSX to PDF", { timeout: 300_000 }, async () => {
    const pdf = await toPdf("phu-luc.xlsx", await renderAppendixXlsx(centreAppendix));
    const text = await pdfText(pdf);
    if (text !== null) {
      expect(text).toContain("PHỤ LỤC 1. KẾT QUẢ HOẠT ĐỘNG GIÁO DỤC NĂM 2024");
      expect(text).toContain("Chuyên đề Giáo dục pháp luật");
    }
  });
});
