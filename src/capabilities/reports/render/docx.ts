/**
 * A report document as a Word file in the official administrative layout (Nghị định
 * 30/2020/NĐ-CP), the look of the fund statement (fund/docx.ts): A4, margins 20/20/30/15 mm,
 * Times New Roman 14 pt; the issuer and number top left, the national motto top right, the title
 * and subject centred, the blocks, then "Nơi nhận:" bottom left and the signature bottom right.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  LineRuleType,
  Packer,
  PageOrientation,
  Paragraph,
  Tab,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from "docx";
import type { DocumentBlock, DocumentTable, ReportDocument } from "../../../domain/reporting/document.ts";
import { CONTENT_WIDTH, FONT, MM, text } from "../../fund/docx.ts";

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];
type RunOptions = Parameters<typeof text>[1];

const BODY = 28; // half-points: 14 pt
const LINE = 288; // 1.2 lines
const NUMERIC = /^[\d.,%—\- ]+$/;
const THIN = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;

/** A run at 14 pt unless told otherwise. */
const run = (value: string, options: RunOptions = {}) => text(value, { size: BODY, ...options });

function para(
  runs: TextRun[],
  o: { align?: Align; before?: number; after?: number; indent?: boolean; line?: number } = {},
) {
  return new Paragraph({
    children: runs,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    spacing: { before: o.before ?? 0, after: o.after ?? 0, line: o.line ?? LINE },
    ...(o.indent ? { indent: { firstLine: Math.round(10 * MM) } } : {}),
  });
}

const centred = (runs: TextRun[], before = 0) => para(runs, { align: AlignmentType.CENTER, before });

/**
 * A short solid line, centred: under the issuer's name and the subject (1/3–1/2 of the text),
 * under the motto (as long as it).
 */
function shortLine(boxWidth: number, lineWidth = Math.round(30 * MM)) {
  const side = Math.max(0, Math.round((boxWidth - lineWidth) / 2));
  return new Paragraph({
    children: [],
    border: { bottom: { ...THIN, size: 6, space: 1 } },
    indent: { left: side, right: side },
    spacing: { before: 0, after: 0, line: 100, lineRule: LineRuleType.EXACT },
  });
}

/** A borderless two-column table (the heading and the signature blocks). */
function layoutTable(widths: [number, number], left: Paragraph[], right: Paragraph[]) {
  const cell = (children: Paragraph[], width: number) =>
    new TableCell({
      children,
      borders: TableBorders.NONE,
      width: { size: width, type: WidthType.DXA },
      margins: { left: 0, right: 0 },
    });
  return new Table({
    columnWidths: widths,
    width: { size: widths[0] + widths[1], type: WidthType.DXA },
    borders: TableBorders.NONE,
    rows: [new TableRow({ children: [cell(left, widths[0]), cell(right, widths[1])] })],
  });
}

function heading(doc: ReportDocument) {
  const left = Math.round(62 * MM);
  const widths: [number, number] = [left, CONTENT_WIDTH - left];
  const issuer = [
    ...(doc.issuer.above ? [centred([run(doc.issuer.above.toUpperCase(), { size: 26 })])] : []),
    centred([run(doc.issuer.name.toUpperCase(), { size: 26, bold: true })]),
    shortLine(widths[0], Math.round(22 * MM)),
    centred([run(doc.number, { size: 26 })], 120),
  ];
  const motto = [
    centred([run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { size: 26, bold: true })]),
    // a line under the motto as long as it (an underline would cross the dots below ạ, ụ)
    centred([run("Độc lập - Tự do - Hạnh phúc", { bold: true })]),
    shortLine(widths[1], Math.round(63 * MM)),
    centred([run(doc.placeDate, { italics: true })], 240),
  ];
  return layoutTable(widths, issuer, motto);
}

/** "- X;" lines, the last one ending with "." (a given leading "- " or final ";"/"." not doubled). */
const listed = (list: string[]) =>
  list.map(
    (x, i) => `- ${x.replace(/^\s*-\s*/, "").replace(/[;.]\s*$/, "")}${i === list.length - 1 ? "." : ";"}`,
  );

/** "Kính gửi: X" centred on one line; several addressees as a list aligned after "Kính gửi:". */
function addressees(list: string[]): Paragraph[] {
  if (list.length === 0) return [];
  if (list.length === 1) return [centred([run(`Kính gửi: ${list[0]}`)], 120)];
  const start = Math.round(30 * MM);
  const hanging = Math.round(22 * MM);
  return listed(list).map(
    (a, i) =>
      new Paragraph({
        children: i === 0 ? [run("Kính gửi:"), new TextRun({ children: [new Tab()] }), run(a)] : [run(a)],
        indent: { left: start + hanging, ...(i === 0 ? { hanging } : {}) },
        spacing: { before: i === 0 ? 120 : 0, after: 0, line: LINE },
      }),
  );
}

/** Tables wider than this many columns are printed on a landscape page of their own (a PHỤ LỤC). */
const WIDE_TABLE = 10;

/** Column widths: TT 11 mm, numbers by their longest word, text columns by their longest cell. */
function columnWidths(t: DocumentTable, contentWidth: number): number[] {
  const n = t.header.length;
  const longest = (i: number, words: boolean) =>
    Math.max(
      ...[t.header[i] ?? "", ...t.rows.map((r) => r[i] ?? "")].map((s) =>
        words ? Math.max(0, ...s.split(/\s+/).map((w) => w.length)) : s.length,
      ),
    );
  const numeric = (i: number) => t.rows.every((r) => !r[i] || NUMERIC.test(r[i] ?? ""));
  const tt = n > 1 && (/^S?TT$/i.test(t.header[0]?.trim() ?? "") || longest(0, false) <= 4);
  // A wide table gives its numbers more room and its text less: "11.036" must not wrap.
  const wide = n > WIDE_TABLE;
  const weights = t.header.map((_, i) => {
    if (i === 0 && tt) return 0;
    if (numeric(i)) return Math.max(6, longest(i, true)) + (wide ? 4 : 2);
    return Math.min(wide ? 30 : 45, Math.max(12, longest(i, false)));
  });
  const first = tt ? Math.round(11 * MM) : 0;
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w, i) =>
    i === 0 && tt ? first : Math.floor(((contentWidth - first) * w) / total),
  );
  widths[n - 1] = (widths[n - 1] ?? 0) + contentWidth - widths.reduce((a, b) => a + b, 0);
  return widths;
}

/** A landscape A4 page: 20 mm margins all round. */
const LANDSCAPE_MARGIN = Math.round(20 * MM);
const LANDSCAPE_WIDTH = 16838 - 2 * LANDSCAPE_MARGIN;

const isWide = (b: DocumentBlock) => b.kind === "table" && b.table.header.length > WIDE_TABLE;

function table(t: DocumentTable, contentWidth = CONTENT_WIDTH): Table {
  // 13 pt for narrow tables, 12 pt for wide ones, 10 pt for the landscape appendices
  const size = t.header.length > WIDE_TABLE ? 20 : t.header.length > 4 ? 24 : 26;
  const wideMargins = t.header.length > WIDE_TABLE;
  const widths = columnWidths(t, contentWidth);
  const cell = (value: string, i: number, bold: boolean, header: boolean) =>
    new TableCell({
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlign.CENTER,
      margins: wideMargins ? { left: 40, right: 40 } : { left: 80, right: 80 },
      children: value.split("\n").map(
        (line) =>
          new Paragraph({
            children: [run(line, { size, bold })],
            alignment:
              header || i === 0
                ? AlignmentType.CENTER
                : NUMERIC.test(line)
                  ? AlignmentType.RIGHT
                  : AlignmentType.LEFT,
            spacing: { before: 40, after: 40 },
          }),
      ),
    });
  const row = (cells: string[], o: { bold?: boolean; header?: boolean } = {}) =>
    new TableRow({
      tableHeader: o.header ?? false,
      cantSplit: true,
      children: widths.map((_, i) => cell(cells[i] ?? "", i, o.bold ?? false, o.header ?? false)),
    });
  return new Table({
    columnWidths: widths,
    width: { size: contentWidth, type: WidthType.DXA },
    borders: {
      top: THIN,
      bottom: THIN,
      left: THIN,
      right: THIN,
      insideHorizontal: THIN,
      insideVertical: THIN,
    },
    rows: [
      row(t.header, { bold: true, header: true }),
      ...t.rows.map((r, i) => row(r, { bold: !!t.hasTotal && i === t.rows.length - 1 })),
    ],
  });
}

function block(b: DocumentBlock): (Paragraph | Table)[] {
  switch (b.kind) {
    case "heading":
      return [para([run(b.text, { bold: true })], { indent: true, before: 120, after: 120, line: LINE })];
    case "paragraph":
      return b.text.split("\n").map((line) => para([run(line)], { indent: true, after: 120, line: LINE }));
    case "table":
      return [
        ...(b.title
          ? [para([run(b.title, { bold: true })], { align: AlignmentType.CENTER, after: 120 })]
          : []),
        ...(b.table.header.length > 0 ? [table(b.table)] : []), // a table needs a cell to be valid
        para([], { after: 120 }),
      ];
  }
}

const recipientLines = (list: string[]) =>
  listed(list).map((r) => para([run(r, { size: 22 })], { align: AlignmentType.LEFT }));

function signature(doc: ReportDocument) {
  const left = Math.round(CONTENT_WIDTH * 0.45);
  const s = doc.signature;
  return layoutTable(
    [left, CONTENT_WIDTH - left],
    [
      para([run("Nơi nhận:", { size: 24, bold: true, italics: true })], { align: AlignmentType.LEFT }),
      ...recipientLines(doc.recipients),
    ],
    [
      ...(s.onBehalf ? [centred([run(s.onBehalf.toUpperCase(), { bold: true })])] : []),
      centred([run(s.title.toUpperCase(), { bold: true })]),
      ...Array.from({ length: 4 }, () => centred([run("")])),
      ...(s.name ? [centred([run(s.name, { bold: true })])] : []),
    ],
  );
}

/** The report as a .docx (valid OOXML: Word and LibreOffice open it without repair). */
export async function renderReportDocx(doc: ReportDocument): Promise<Buffer> {
  const children = [
    heading(doc),
    centred([run(doc.title, { bold: true })], 360),
    centred([run(doc.subject, { bold: true })]),
    shortLine(CONTENT_WIDTH, Math.round(45 * MM)),
    ...addressees(doc.addressees),
    para([], { after: 120 }),
    ...doc.blocks.filter((b) => !isWide(b)).flatMap(block),
    para([], { after: 120 }),
    signature(doc),
  ];
  // Wide tables follow the signature, each on a landscape page headed "PHỤ LỤC".
  const appendices = doc.blocks.filter(isWide).map((b, i, all) => ({
    properties: {
      page: {
        size: { width: 11906, height: 16838, orientation: PageOrientation.LANDSCAPE },
        margin: {
          top: LANDSCAPE_MARGIN,
          bottom: LANDSCAPE_MARGIN,
          left: LANDSCAPE_MARGIN,
          right: LANDSCAPE_MARGIN,
        },
      },
    },
    children: [
      centred([run(all.length > 1 ? `PHỤ LỤC ${i + 1}` : "PHỤ LỤC", { bold: true })]),
      ...(b.kind === "table"
        ? [
            ...(b.title ? [centred([run(b.title.toLocaleUpperCase("vi"), { bold: true })])] : []),
            para([], { after: 120 }),
            table(b.table, LANDSCAPE_WIDTH),
          ]
        : []),
    ],
  }));
  const document = new Document({
    creator: "XHHT",
    title: `${doc.title} ${doc.subject}`,
    styles: { default: { document: { run: { font: FONT, size: BODY } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: {
              top: Math.round(20 * MM),
              bottom: Math.round(20 * MM),
              left: Math.round(30 * MM),
              right: Math.round(15 * MM),
            },
          },
        },
        children,
      },
      ...appendices,
    ],
  });
  return Packer.toBuffer(document);
}
