import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, describe, expect, it } from "vitest";
import { householdsImport } from "./households.ts";
import { householdCells } from "./import-fixtures.ts";
import type { ImportKind } from "./kind.ts";
import { ImportFileError, readSheets } from "./reader.ts";
import { templateWorkbook } from "./template.ts";

const dir = mkdtempSync(join(tmpdir(), "xhht-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same workbook with its zip entries in another order. */
async function reordered(xlsx: Buffer, first: readonly string[]): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const rank = (name: string) => {
    const i = first.findIndex((p) => name.startsWith(p));
    return i < 0 ? first.length : i;
  };
  const out = new JSZip();
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]?.dir);
  for (const name of names.sort((a, b) => rank(a) - rank(b)))
    out.file(name, await (zip.file(name) as JSZip.JSZipObject).async("nodebuffer"));
  return out.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

async function read(path: string, options: { inThread?: boolean; threadHeapMb?: number } = {}) {
  const out: { sheet: string; number: number; cells: unknown[] }[] = [];
  for await (const sheet of readSheets(path, "xlsx", undefined, options))
    for await (const row of sheet.rows) out.push({ sheet: sheet.name, number: row.number, cells: row.cells });
  return out;
}

describe("reading an XLSX file", () => {
  it("reads every cell whatever the order of the parts in the zip (Excel writes the shared strings after the sheets)", async () => {
    // The template filled and saved by ExcelJS, as a test (or a script) would: several sheets,
    // a hidden one, drop-downs; ExcelJS writes xl/workbook.xml after the sheets.
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(
      (await templateWorkbook(householdsImport as ImportKind, "Xã Bình Yên", {
        village: ["Thôn Ao Sen"],
      })) as unknown as ArrayBuffer,
    );
    const list = template.getWorksheet("Hộ gia đình") as ExcelJS.Worksheet;
    for (let i = 0; i < 200; i++)
      list.getRow(i + 2).values = householdCells({
        village: "Thôn Ao Sen",
        headName: `Người Thứ ${i}`,
        headBirthYear: 1970,
      });
    (template.getWorksheet("Thành viên") as ExcelJS.Worksheet).getRow(2).values = [
      "H1",
      "Trần Thị Bình",
      1980,
    ];
    const book = Buffer.from(await template.xlsx.writeBuffer());
    const orders = {
      exceljs: book,
      excel: await reordered(book, [
        "[Content_Types]",
        "_rels/",
        "xl/workbook.xml",
        "xl/_rels/",
        "xl/worksheets/",
        "xl/theme/",
        "xl/styles",
        "xl/sharedStrings",
      ]),
      sheetsFirst: await reordered(book, ["xl/worksheets/", "xl/sharedStrings", "xl/styles"]),
    };
    for (const [label, bytes] of Object.entries(orders)) {
      const path = join(dir, `${label}.xlsx`);
      writeFileSync(path, bytes);
      // The streaming reader's trouble with the order came and went: read each file many times.
      for (let k = 0; k < 25; k++) {
        const rows = await read(path, { inThread: k % 5 === 4 });
        expect(rows.filter((r) => r.sheet === "Hộ gia đình").length, label).toBe(201);
        expect(rows.filter((r) => r.sheet === "Hộ gia đình")[1]?.cells.slice(1, 4), label).toEqual([
          "Thôn Ao Sen",
          "Người Thứ 0",
          1970,
        ]);
        expect(
          rows.find((r) => r.sheet === "Thành viên" && r.cells[1] === "Trần Thị Bình"),
          label,
        ).toBeDefined();
      }
    }
  });
  it("reads every sheet when the reader waits on I/O between rows and between sheets (a database server)", async () => {
    const book = new ExcelJS.Workbook();
    for (const name of ["Một", "Hai", "Ba"]) {
      const sheet = book.addWorksheet(name);
      sheet.addRow(["Tên", "Số"]);
      for (let i = 0; i < 300; i++) sheet.addRow([`${name} ${i}`, i]);
    }
    const path = join(dir, "waits.xlsx");
    writeFileSync(path, Buffer.from(await book.xlsx.writeBuffer()));
    const wait = () => new Promise((resolve) => setTimeout(resolve, 2));
    for (let k = 0; k < 5; k++) {
      const seen: string[] = [];
      for await (const sheet of readSheets(path, "xlsx")) {
        let n = 0;
        let last: unknown = null;
        for await (const row of sheet.rows) {
          n++;
          last = row.cells[0];
          if (n % 100 === 0) await wait();
        }
        seen.push(`${sheet.name}:${n}:${last}`);
        await wait();
      }
      expect(seen).toEqual(["Một:301:Một 299", "Hai:301:Hai 299", "Ba:301:Ba 299"]);
    }
  });
});

describe("reading a large workbook in a thread of its own", () => {
  /** Three sheets: 1,234 rows of every kind of cell, a few rows, none. */
  async function workbook(): Promise<string> {
    const book = new ExcelJS.Workbook();
    const list = book.addWorksheet("Hộ gia đình");
    list.addRow(["Mã hộ", "Thôn", "Họ và tên chủ hộ", "Năm sinh", "Ngày", "Ghi chú"]);
    for (let i = 1; i <= 1234; i++) {
      const row = list.addRow([
        `H${i}`,
        `Thôn ${(i % 7) + 1}`,
        i % 3 === 0 ? "Nguyễn Thị Ánh Tuyết".normalize("NFD") : `Trần Văn Đức ${i}`,
        1940 + (i % 60),
        new Date(Date.UTC(2020, i % 12, (i % 28) + 1)),
        i % 2 === 0 ? true : { richText: [{ text: "đậm ", font: { bold: true } }, { text: `${i}` }] },
      ]);
      if (i % 10 === 0) row.getCell(3).value = null; // a gap inside the row
      if (i % 11 === 0) row.getCell(4).value = { formula: "1900+1", result: 1901 };
    }
    const few = book.addWorksheet("Thành viên");
    few.addRow(["Mã hộ", "Họ và tên"]);
    few.addRow(["H1", "Lê Thị Bình"]);
    book.addWorksheet("Trống");
    const path = join(dir, "large.xlsx");
    writeFileSync(path, Buffer.from(await book.xlsx.writeBuffer()));
    return path;
  }

  it("gives the same sheets, rows and cells as reading here, and its progress reaches the file's size", async () => {
    const path = await workbook();
    const here = await read(path, { inThread: false });
    expect(here.length).toBe(1237);
    const progress: number[] = [];
    const threaded: { sheet: string; number: number; cells: unknown[] }[] = [];
    for await (const sheet of readSheets(path, "xlsx", (b) => progress.push(b), { inThread: true }))
      for await (const row of sheet.rows)
        threaded.push({ sheet: sheet.name, number: row.number, cells: row.cells });
    expect(threaded).toEqual(here);
    expect(threaded[5]?.cells[4]).toBeInstanceOf(Date);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(statSync(path).size);
  });

  it("skips the rows of a sheet left unread, and ends its thread when the caller stops early", async () => {
    const path = await workbook();
    const seen: string[] = [];
    for await (const sheet of readSheets(path, "xlsx", undefined, { inThread: true })) {
      if (sheet.name === "Hộ gia đình") continue; // not one row read
      for await (const row of sheet.rows) seen.push(`${sheet.name}:${row.cells[1] ?? ""}`);
    }
    expect(seen).toEqual(["Thành viên:Họ và tên", "Thành viên:Lê Thị Bình"]);

    // A live worker thread holds a message port open in this one.
    const workers = () => process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length;
    const before = workers();
    let n = 0;
    let during = 0;
    for await (const sheet of readSheets(path, "xlsx", undefined, { inThread: true })) {
      for await (const _ of sheet.rows) {
        if (++n < 600) continue;
        during = workers();
        break;
      }
      break;
    }
    expect(during).toBe(before + 1);
    expect(n).toBe(600);
    expect(workers()).toBe(before);
  });

  it("says in Vietnamese when the workbook is too large for the thread's memory", async () => {
    const path = await workbook();
    const error = await read(path, { inThread: true, threadHeapMb: 2 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(/^Tệp Excel quá lớn để đọc một lần/);
  });

  it("fails on a file that is not a workbook as reading here does", async () => {
    const path = join(dir, "broken.xlsx");
    writeFileSync(path, Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(2000, 7)]));
    const here = await read(path, { inThread: false }).catch((e: Error) => e);
    const threaded = await read(path, { inThread: true }).catch((e: Error) => e);
    expect(here).toBeInstanceOf(Error);
    expect((threaded as Error).message).toBe((here as Error).message);
  });
});
