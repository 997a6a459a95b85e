import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { renderReportDocx } from "./docx.ts";
import { centreAppendix, centreReport } from "./fixtures.ts";
import { docxText, xlsxRows } from "./read-back.ts";
import { renderAppendixXlsx } from "./xlsx.ts";

const documentXml = async (buf: Buffer) =>
  (await JSZip.loadAsync(buf)).file("word/document.xml")?.async("string") ?? "";

describe("renderReportDocx", () => {
  it("writes the heading, the blocks and the signature as readable text", async () => {
    const text = await docxText(await renderReportDocx(centreReport));
    for (const expected of [
      "UBND XÃ THANH ĐỊNH",
      "TRUNG TÂM HỌC TẬP CỘNG ĐỒNG",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Số:     /BC-TTHTCĐ",
      "Thanh Định, ngày 15 tháng 12 năm 2024",
      "BÁO CÁO",
      "Đánh giá kết quả hoạt động Trung tâm Học tập cộng đồng năm 2024",
      "Kính gửi: Ủy ban nhân dân xã Thanh Định",
      "I. KẾT QUẢ ĐẠT ĐƯỢC",
      "TT\tTên hoạt động giáo dục\tSố lớp (chuyên đề)\tTổng số\tNữ",
      "3\tChuyên đề Giáo dục pháp luật\t4\t1.612\t706",
      "- Tổng kinh phí hỗ trợ từ ngân sách nhà nước: 30.800.000 đồng",
      "Nơi nhận:",
      "- UBND xã;",
      "- Lưu: VP, TTHTCĐ.",
      "GIÁM ĐỐC",
      "Nguyễn Văn An",
    ]) {
      expect(text).toContain(expected);
    }
    // Vietnamese survives as NFC (precomposed), as written
    expect(text).toBe(text.normalize("NFC"));
    expect(text.includes("Độc lập - Tự do - Hạnh phúc".normalize("NFD"))).toBe(false);
  });

  it("lays out an A4 page with the official margins in Times New Roman", async () => {
    const buf = await renderReportDocx(centreReport);
    const xml = await documentXml(buf);
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const margin = xml.match(/<w:pgMar [^>]*>/)?.[0] ?? "";
    const twips = (side: string) => Number(margin.match(new RegExp(`w:${side}="(\\d+)"`))?.[1]);
    expect(twips("top")).toBeCloseTo(1134, -1); // 20 mm
    expect(twips("bottom")).toBeCloseTo(1134, -1);
    expect(twips("left")).toBeCloseTo(1701, -1); // 30 mm
    expect(twips("right")).toBeCloseTo(850, -1); // 15 mm
    expect(xml).toContain('w:ascii="Times New Roman"');
    const styles = (await (await JSZip.loadAsync(buf)).file("word/styles.xml")?.async("string")) ?? "";
    expect(styles).toContain('w:ascii="Times New Roman"');
    expect(styles).toMatch(/<w:sz w:val="28"\/>/);
    // the data table's header row repeats on each page
    expect(xml).toContain("<w:tblHeader/>");
  });

  it("prints a table of more than ten columns after the signature, on a landscape page headed PHỤ LỤC", async () => {
    const header = ["TT", "Chỉ tiêu", ...Array.from({ length: 10 }, (_, i) => `Năm ${2016 + i}`)];
    const wide = {
      ...centreReport,
      blocks: [
        ...centreReport.blocks,
        {
          kind: "table" as const,
          title: "Số liệu tổng kết",
          table: { header, rows: [["1", "Biết chữ", ...header.slice(2).map(() => "11.036")]] },
        },
      ],
    };
    const buf = await renderReportDocx(wide);
    const xml = await documentXml(buf);
    expect(xml).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/);
    const text = await docxText(buf);
    expect(text.indexOf("PHỤ LỤC")).toBeGreaterThan(text.indexOf("GIÁM ĐỐC"));
    expect(text).toContain("SỐ LIỆU TỔNG KẾT");
    expect(text).toContain(
      `1\tBiết chữ\t${header
        .slice(2)
        .map(() => "11.036")
        .join("\t")}`,
    );
    // the report's own tables stay in the portrait body
    expect(text.indexOf("3\tChuyên đề Giáo dục pháp luật")).toBeLessThan(text.indexOf("GIÁM ĐỐC"));
  });

  it("lists several addressees under 'Kính gửi:' and leaves out an absent issuer line", async () => {
    const text = await docxText(
      await renderReportDocx({
        ...centreReport,
        issuer: { name: "Hội Khuyến học xã Thanh Định" },
        addressees: ["Hội Khuyến học huyện", "- Đảng ủy xã."],
        signature: { onBehalf: "TM. Ban Thường vụ", title: "Chủ tịch" },
      }),
    );
    expect(text).toContain("HỘI KHUYẾN HỌC XÃ THANH ĐỊNH");
    expect(text).not.toContain("UBND XÃ THANH ĐỊNH");
    expect(text).toContain("Kính gửi:\t- Hội Khuyến học huyện;\n- Đảng ủy xã.");
    expect(text).toContain("TM. BAN THƯỜNG VỤ\nCHỦ TỊCH");
  });
});

describe("renderAppendixXlsx", () => {
  it("writes one sheet per appendix sheet, numbers as numbers with their formats", async () => {
    const buf = await renderAppendixXlsx(centreAppendix);
    const rows = await xlsxRows(buf);
    expect(Object.keys(rows)).toEqual(["Hoạt động", "Chỉ số"]);
    const act = rows["Hoạt động"] ?? [];
    expect(act[0]).toEqual(["PHỤ LỤC 1. KẾT QUẢ HOẠT ĐỘNG GIÁO DỤC NĂM 2024"]);
    expect(act[1]).toEqual(["TTHTCĐ xã Thanh Định"]);
    expect(act[2]).toEqual([
      "TT",
      "Tên hoạt động giáo dục",
      "Số lớp (chuyên đề)",
      "Tổng số",
      "Nữ",
      "Tỷ lệ nữ (%)",
      "Kinh phí (đồng)",
    ]);
    expect(act[4]).toEqual([2, "Chuyên đề Giáo dục pháp luật", 4, 1612, 706, 43.8, 8_800_000]);
    expect(rows["Chỉ số"]?.[1]).toEqual(["Chỉ số", "Giá trị"]);
    expect(rows["Chỉ số"]?.[3]).toEqual(["Tỷ lệ người biết chữ (%)", 99.48]);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buf as unknown as ArrayBuffer);
    expect(book.creator).toBe("XHHT");
    const sheet = book.getWorksheet("Hoạt động");
    if (!sheet) throw new Error("sheet missing");
    const data = sheet.getRow(5);
    expect(data.getCell(4).numFmt).toBe("#,##0");
    expect(data.getCell(6).numFmt).toBe("0.00");
    expect(data.getCell(7).numFmt).toBe("#,##0");
    expect(book.getWorksheet("Chỉ số")?.getRow(3).getCell(2).numFmt).toBe("#,##0.00");
    expect(sheet.getCell("A1").isMerged).toBe(true);
    expect(sheet.getRow(3).font?.bold).toBe(true);
    expect(sheet.getCell("B3").border?.bottom?.style).toBe("thin");
    expect(sheet.getColumn(7).width).toBe(18);
    expect(sheet.pageSetup.paperSize).toBe(9);
    expect(sheet.pageSetup.orientation).toBe("landscape");
    expect(sheet.pageSetup.fitToWidth).toBe(1);
    expect(book.getWorksheet("Chỉ số")?.pageSetup.orientation).toBe("portrait");
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
  });
});
