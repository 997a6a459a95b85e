/**
 * The text of generated files, read back for tests: a .docx's body as plain text and an .xlsx's
 * cell values, so a test asserts what a reader sees rather than how the XML is built.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(Number(e[1] === "x" ? `0${e.slice(1)}` : e.slice(1)));
    return ENTITIES[e] ?? whole;
  });
}

/**
 * The text of `word/document.xml`: one line per paragraph ("\n" between), a table row as its
 * cells joined by "\t" (a cell's own paragraphs joined by "\n"); `w:tab` is "\t", `w:br` "\n".
 */
export async function docxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  const file = zip.file("word/document.xml");
  if (!file) throw new Error("not a .docx: word/document.xml missing");
  const xml = await file.async("string");
  // Containers of lines: the body, then each open cell; each open row collects its cells.
  const lines: string[][] = [[]];
  const rows: string[][] = [];
  let para = "";
  let inText = false;
  const tags = /<(\/?)(w:p|w:tc|w:tr|w:t|w:tab|w:br|w:cr)(?=[\s/>])[^>]*?(\/?)>|<[^>]*>|([^<]+)/g;
  for (const m of xml.matchAll(tags)) {
    const [, close, tag, selfClosing, chars] = m;
    if (chars !== undefined) {
      if (inText) para += decode(chars);
      continue;
    }
    if (tag === "w:t") inText = !close && !selfClosing;
    else if (tag === "w:tab" && !close) para += "\t";
    else if ((tag === "w:br" || tag === "w:cr") && !close) para += "\n";
    else if (tag === "w:p" && (close || selfClosing)) {
      lines.at(-1)?.push(para);
      para = "";
    } else if (tag === "w:tc") {
      if (!close) lines.push([]);
      else rows.at(-1)?.push((lines.pop() ?? []).join("\n"));
    } else if (tag === "w:tr") {
      if (!close) rows.push([]);
      else lines.at(-1)?.push((rows.pop() ?? []).join("\t"));
    }
  }
  return (lines[0] ?? []).join("\n");
}

type Value = string | number | null;

function plain(cell: ExcelJS.Cell): Value {
  if (cell.type === ExcelJS.ValueType.Merge) return null; // shown by the merge's first cell
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString();
  if ("richText" in v) return v.richText.map((r) => r.text).join("");
  if ("result" in v) return v.result === undefined ? null : plain({ value: v.result } as ExcelJS.Cell);
  if ("text" in v) return v.text;
  return String(v);
}

/** Sheet name → its rows of cell values (numbers stay numbers; trailing empty cells dropped). */
export async function xlsxRows(buf: Buffer): Promise<Record<string, Value[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buf as unknown as ArrayBuffer);
  const out: Record<string, Value[][]> = {};
  for (const sheet of book.worksheets) {
    const rows: Value[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const values: Value[] = [];
      for (let c = 1; c <= row.cellCount; c++) values.push(plain(row.getCell(c)));
      while (values.length > 0 && values.at(-1) === null) values.pop();
      rows.push(values);
    }
    out[sheet.name] = rows;
  }
  return out;
}
