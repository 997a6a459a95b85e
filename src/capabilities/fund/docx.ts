/**
 * A fund's statement as a Word document in the official administrative format (Nghị định
 * 30/2020/NĐ-CP): A4, Times New Roman 13–14 pt, margins 20/20/30/15 mm; top left the issuing
 * body and "Số: …/BC-HKH"; top right the national motto block; the place and date in italics; the
 * title "BÁO CÁO" and its subject; the figures with the amounts also in words; "Nơi nhận:" bottom
 * left and the signature block bottom right, left blank for the officer to sign.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { z } from "zod";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDateLong, formatInteger } from "../../domain/format.ts";
import type { Statement } from "./schemas.ts";

type StatementT = z.infer<typeof Statement>;

export const FONT = "Times New Roman";
const SIZE = 26; // half-points: 13 pt
export const MM = 56.7; // twips per millimetre
export const CONTENT_WIDTH = Math.round((210 - 30 - 15) * MM);

export function text(
  value: string,
  options: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean } = {},
) {
  return new TextRun({
    text: value,
    font: FONT,
    size: options.size ?? SIZE,
    ...(options.bold ? { bold: true } : {}),
    ...(options.italics ? { italics: true } : {}),
    ...(options.underline ? { underline: {} } : {}),
  });
}

function para(
  runs: TextRun[] | string,
  options: {
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    after?: number;
    indent?: boolean;
  } = {},
) {
  return new Paragraph({
    children: typeof runs === "string" ? [text(runs)] : runs,
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: { after: options.after ?? 80, line: 300 },
    ...(options.indent ? { indent: { firstLine: Math.round(10 * MM) } } : {}),
  });
}

const money = (amount: string) => `${formatInteger(BigInt(amount))}`;

/** "Xã Bình Yên" → "Bình Yên": the place name written before the date. */
function placeName(unitName: string): string {
  return unitName.replace(/^(Tỉnh|Thành phố|Xã|Phường|Thị trấn|Đặc khu|Thị xã|Huyện|Quận)\s+/u, "");
}

function cell(
  content: string,
  options: {
    bold?: boolean;
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    width?: number;
  } = {},
) {
  return new TableCell({
    children: [
      new Paragraph({
        children: [text(content, { bold: options.bold ?? false, size: 24 })],
        alignment: options.align ?? AlignmentType.LEFT,
        spacing: { before: 40, after: 40 },
      }),
    ],
    ...(options.width ? { width: { size: options.width, type: WidthType.DXA } } : {}),
    margins: { left: 80, right: 80 },
  });
}

function figuresTable(s: StatementT): Table {
  const widths = [
    Math.round(CONTENT_WIDTH * 0.5),
    Math.round(CONTENT_WIDTH * 0.14),
    Math.round(CONTENT_WIDTH * 0.14),
  ];
  widths.push(CONTENT_WIDTH - widths.reduce((a, b) => a + b, 0));
  const row = (cells: string[], bold = false) =>
    new TableRow({
      children: cells.map((c, i) =>
        cell(c, { bold, align: i === 0 ? AlignmentType.LEFT : AlignmentType.RIGHT, width: widths[i] ?? 0 }),
      ),
    });
  const rows = [
    row(["Khoản mục", "Số lượt", "Số người nhận", "Số tiền (đồng)"], true),
    row(["I. Số dư đầu kỳ", "", "", money(s.opening.amount)], true),
    row(["II. Thu trong kỳ", "", "", money(s.receipts.amount)], true),
    ...s.receipts.lines
      .filter((l) => l.entries !== 0 || l.amount !== "0")
      .map((l) => row([`    ${l.label}`, formatInteger(l.entries), "", money(l.amount)])),
    row(["III. Chi trong kỳ", "", "", money(s.disbursements.amount)], true),
    ...s.disbursements.lines
      .filter((l) => l.entries !== 0 || l.amount !== "0")
      .map((l) =>
        row([
          `    ${l.label}`,
          formatInteger(l.entries),
          l.beneficiaries ? formatInteger(l.beneficiaries) : "",
          money(l.amount),
        ]),
      ),
    row(
      ["IV. Nhận chuyển từ quỹ khác", formatInteger(s.transfersIn.entries), "", money(s.transfersIn.amount)],
      true,
    ),
    row(
      ["V. Chuyển sang quỹ khác", formatInteger(s.transfersOut.entries), "", money(s.transfersOut.amount)],
      true,
    ),
    row(["VI. Số dư cuối kỳ", "", "", money(s.closing.amount)], true),
  ];
  return new Table({
    rows,
    columnWidths: widths,
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    borders: {
      top: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
      bottom: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
      left: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
      right: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
      insideHorizontal: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
      insideVertical: { style: BorderStyle.SINGLE, size: 4, color: "000000" },
    },
  });
}

export async function statementDocx(s: StatementT, today: string = todayInVietnam()): Promise<Buffer> {
  const unit = s.fund.orgUnit.name;
  const half = Math.round(CONTENT_WIDTH / 2);
  const centred = (runs: TextRun[]) => new Paragraph({ children: runs, alignment: AlignmentType.CENTER });
  const heading = new Table({
    columnWidths: [half - 400, CONTENT_WIDTH - half + 400],
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          new TableCell({
            borders: TableBorders.NONE,
            children: [
              centred([text(`HỘI KHUYẾN HỌC ${unit.toUpperCase()}`, { bold: true, size: 24 })]),
              centred([text("———", { size: 24 })]),
              centred([text("Số:       /BC-HKH", { size: 24 })]),
            ],
          }),
          new TableCell({
            borders: TableBorders.NONE,
            children: [
              centred([text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { bold: true, size: 24 })]),
              centred([text("Độc lập - Tự do - Hạnh phúc", { bold: true, size: 26, underline: true })]),
              new Paragraph({
                children: [text(`${placeName(unit)}, ${formatDateLong(today)}`, { italics: true })],
                alignment: AlignmentType.CENTER,
                spacing: { before: 200 },
              }),
            ],
          }),
        ],
      }),
    ],
  });

  const children = [
    heading,
    para([text("BÁO CÁO", { bold: true, size: 28 })], { align: AlignmentType.CENTER, after: 0 }),
    para([text(`Công khai tình hình thu, chi ${s.fund.name}`, { bold: true })], {
      align: AlignmentType.CENTER,
      after: 0,
    }),
    para([text(s.period.label, { bold: true })], { align: AlignmentType.CENTER, after: 240 }),
    para(
      `Thực hiện quy chế công khai tài chính, Hội Khuyến học ${unit} báo cáo tình hình thu, chi ${s.fund.name} ${s.period.label.charAt(0).toLowerCase()}${s.period.label.slice(1)} như sau:`,
      { indent: true },
    ),
    para(
      [
        text("1. Số dư đầu kỳ (tổng số quỹ chuyển qua): ", { bold: true }),
        text(`${money(s.opening.amount)} đồng (${s.opening.inWords}).`),
      ],
      { indent: true },
    ),
    para(
      [
        text("2. Tổng thu trong kỳ: ", { bold: true }),
        text(`${money(s.receipts.amount)} đồng (${s.receipts.inWords}).`),
      ],
      { indent: true },
    ),
    para(
      [
        text("3. Tổng chi trong kỳ: ", { bold: true }),
        text(`${money(s.disbursements.amount)} đồng (${s.disbursements.inWords}).`),
      ],
      { indent: true },
    ),
    ...s.disbursements.lines
      .filter((l) => l.beneficiaries > 0)
      .map((l) =>
        para(
          `- ${l.label}: ${formatInteger(l.beneficiaries)} người nhận, số tiền ${money(l.amount)} đồng${
            l.smallest && l.largest && l.smallest !== l.largest
              ? ` (từ ${money(l.smallest)} đồng đến ${money(l.largest)} đồng mỗi người)`
              : ""
          }.`,
          { indent: true },
        ),
      ),
    para(
      [
        text("4. Chuyển quỹ: ", { bold: true }),
        text(
          `nhận từ quỹ khác ${money(s.transfersIn.amount)} đồng; chuyển sang quỹ khác ${money(s.transfersOut.amount)} đồng.`,
        ),
      ],
      { indent: true },
    ),
    para(
      [
        text("5. Số dư cuối kỳ: ", { bold: true }),
        text(`${money(s.closing.amount)} đồng (${s.closing.inWords}).`),
      ],
      { indent: true, after: 200 },
    ),
    para([text("Bảng tổng hợp", { bold: true })], { align: AlignmentType.CENTER }),
    figuresTable(s),
    ...(s.yearStatus === "open"
      ? [para([text("Ghi chú: năm chưa khóa sổ, số liệu có thể còn thay đổi.", { italics: true, size: 24 })])]
      : []),
    para(`Hội Khuyến học ${unit} kính báo cáo.`, { indent: true }),
    new Table({
      columnWidths: [half, CONTENT_WIDTH - half],
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      borders: TableBorders.NONE,
      rows: [
        new TableRow({
          children: [
            new TableCell({
              borders: TableBorders.NONE,
              children: [
                new Paragraph({ children: [text("Nơi nhận:", { bold: true, italics: true, size: 24 })] }),
                new Paragraph({ children: [text("- Hội Khuyến học cấp trên;", { size: 22 })] }),
                new Paragraph({ children: [text("- Niêm yết công khai;", { size: 22 })] }),
                new Paragraph({ children: [text("- Lưu VP.", { size: 22 })] }),
              ],
            }),
            new TableCell({
              borders: TableBorders.NONE,
              children: [
                centred([text("TM. BAN THƯỜNG VỤ", { bold: true })]),
                centred([text("CHỦ TỊCH", { bold: true })]),
              ],
            }),
          ],
        }),
      ],
    }),
  ];

  const document = new Document({
    creator: "XHHT",
    title: `Báo cáo ${s.fund.name} — ${s.period.label}`,
    styles: { default: { document: { run: { font: FONT, size: SIZE } } } },
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
    ],
  });
  return Packer.toBuffer(document);
}
