/**
 * The literacy summary as an Excel workbook: the unit's band table (counts and % at level 1 and
 * level 2, as in seed 003), the standards as "x/y xã", and one row per unit below.
 */
import type { z } from "zod";
import {
  COUNT_FORMAT,
  newWorkbook,
  styleColumns,
  styleTitleAndHeader,
  workbookBuffer,
} from "../statistics/workbook.ts";
import type { LiteracySummary } from "./schemas.ts";

type Summary = z.infer<typeof LiteracySummary>;

/** A percentage as Excel's own ratio (99,09% is 0.9909), formatted as a percent. */
const ratio = (p: number | null) => (p === null ? null : p / 100);

export async function literacySummaryWorkbook(s: Summary): Promise<Buffer> {
  const book = newWorkbook();
  const sheet = book.addWorksheet("Xóa mù chữ");
  sheet.addRow([`${s.unit.name} — xóa mù chữ, phổ cập giáo dục năm ${s.year}`]);
  sheet.addRow([`Số xã đã có số liệu: ${s.total.reported}/${s.communes}`]);
  sheet.addRow([
    "Độ tuổi",
    "Dân số trong độ tuổi",
    "Biết chữ mức độ 1",
    "Tỷ lệ mức độ 1",
    "Biết chữ mức độ 2",
    "Tỷ lệ mức độ 2",
  ]);
  for (const r of s.total.rows) {
    sheet.addRow([
      r.derived ? `${r.label} (cộng dồn)` : r.label,
      r.population,
      r.level1,
      ratio(r.level1Percent),
      r.level2,
      ratio(r.level2Percent),
    ]);
  }
  sheet.addRow([]);
  sheet.addRow([
    "Số người mới biết chữ tiếp tục tham gia giáo dục tiếp tục sau khi biết chữ",
    s.total.newlyLiterateContinuing,
  ]);
  sheet.addRow([]);
  sheet.addRow(["Chuẩn", "Mức độ", "Số xã đạt", "Tổng số xã"]).font = { bold: true };
  for (const st of s.total.standards) {
    st.atLeast.forEach((n, i) => {
      sheet.addRow([st.label, st.maxLevel === 1 ? "Đạt chuẩn" : `Mức độ ${i + 1} trở lên`, n, s.communes]);
    });
  }
  styleTitleAndHeader(sheet, 3);
  styleColumns(sheet, { first: 48, others: 16 });
  for (let row = 4; row < 4 + s.total.rows.length; row++) {
    for (const c of [2, 3, 5]) sheet.getRow(row).getCell(c).numFmt = COUNT_FORMAT;
    for (const c of [4, 6]) sheet.getRow(row).getCell(c).numFmt = "0.00%";
  }
  sheet.views = [{ state: "frozen", ySplit: 3 }];

  const units = book.addWorksheet("Theo đơn vị");
  units.addRow([`${s.unit.name} — theo đơn vị trực thuộc, năm ${s.year}`]);
  const bandCodes = s.total.rows.map((r) => r.code);
  const head = ["Đơn vị", "Số xã có số liệu"];
  for (const r of s.total.rows) {
    head.push(`${r.label}: dân số`, "Mức độ 1", "Tỷ lệ", "Mức độ 2", "Tỷ lệ");
  }
  for (const st of s.total.standards) {
    for (let n = 1; n <= st.maxLevel; n++) head.push(st.maxLevel === 1 ? st.short : `${st.short} ≥ mức ${n}`);
  }
  units.addRow(head);
  const line = (name: string, communes: number, f: Summary["total"] | null) => {
    if (!f) return [name, `0/${communes} — chưa có số liệu`];
    const out: (string | number | null)[] = [name, `${f.reported}/${communes}`];
    for (const code of bandCodes) {
      const r = f.rows.find((x) => x.code === code);
      if (!r) continue;
      out.push(r.population, r.level1, ratio(r.level1Percent), r.level2, ratio(r.level2Percent));
    }
    for (const st of f.standards) out.push(...st.atLeast);
    return out;
  };
  for (const c of s.children) units.addRow(line(c.name, c.communes, c.figures));
  units.addRow(line("Cộng", s.communes, s.total)).font = { bold: true };
  styleTitleAndHeader(units);
  units.columns.forEach((c, i) => {
    c.width = i === 0 ? 36 : 12;
    const inBands = i >= 2 && i < 2 + bandCodes.length * 5;
    if (inBands) c.numFmt = (i - 2) % 5 === 2 || (i - 2) % 5 === 4 ? "0.00%" : COUNT_FORMAT;
    else if (i >= 2) c.numFmt = COUNT_FORMAT;
  });
  units.views = [{ state: "frozen", ySplit: 2, xSplit: 1 }];
  return workbookBuffer(book);
}
