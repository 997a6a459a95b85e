import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ComposeInput, composeAppendix, composeDocument } from "./compose.ts";
import { evaluateIndicators } from "./evaluate.ts";
import { CENTRE_VALUES, centreTemplate, quarterlyTemplate } from "./fixtures.ts";
import type { Section } from "./template.ts";

const centre = centreTemplate();

function centreInput(over: Partial<ComposeInput> = {}): ComposeInput {
  return {
    template: centre,
    unit: { name: "Trung tâm Học tập cộng đồng xã Thanh Định", parentName: "UBND xã Thanh Định" },
    period: { kind: "year", year: 2024 },
    number: null,
    issuedOn: "2024-11-01",
    place: "Thanh Định",
    values: evaluateIndicators(centre, { base: CENTRE_VALUES }),
    narratives: {
      thuan_loi: "Được sự quan tâm của Đảng ủy, UBND xã.\n\n   Nhân dân tích cực   tham gia học tập.  \r\n",
      kho_khan: "  \n ",
    },
    signerName: "Nguyễn Văn An",
    ...over,
  };
}

describe("composeDocument: a centre's annual report (seed 004)", () => {
  const doc = composeDocument(centreInput());

  it("writes the header block the Nghị định 30 way", () => {
    expect(doc.issuer).toEqual({
      above: "UBND XÃ THANH ĐỊNH",
      name: "TRUNG TÂM HỌC TẬP CỘNG ĐỒNG XÃ THANH ĐỊNH",
    });
    expect(doc.number).toBe("Số:     /BC-TTHTCĐ");
    expect(doc.placeDate).toBe("Thanh Định, ngày 01 tháng 11 năm 2024");
    expect(doc.title).toBe("BÁO CÁO");
    expect(doc.subject).toBe("Đánh giá kết quả hoạt động Trung tâm Học tập cộng đồng năm 2024");
    expect(doc.addressees).toEqual([]);
    expect(doc.recipients).toEqual(["UBND xã", "Lưu: VP, TTHTCĐ"]);
    expect(doc.signature).toEqual({ title: "GIÁM ĐỐC", name: "Nguyễn Văn An" });
  });

  it("lays out the opening and the sections in order, leaving out empty narratives", () => {
    expect(doc.blocks.map((b) => (b.kind === "table" ? `table:${b.title}` : `${b.kind}:${b.text}`))).toEqual([
      "paragraph:Trung tâm học tập cộng đồng Trung tâm Học tập cộng đồng xã Thanh Định báo cáo kết quả hoạt động của Trung tâm năm 2024 như sau:",
      "heading:1. Đánh giá chung",
      "heading:1.1. Thuận lợi",
      "paragraph:Được sự quan tâm của Đảng ủy, UBND xã.",
      "paragraph:Nhân dân tích cực tham gia học tập.",
      "table:4. Kết quả đạt được cụ thể",
      "heading:5. Kinh phí hoạt động",
      "paragraph:- Tổng kinh phí hỗ trợ từ ngân sách nhà nước: 30.800.000 đồng",
      "paragraph:- Kinh phí do học viên tự nguyện đóng góp: —",
    ]);
  });

  it("writes the table of activities with its total row", () => {
    const table = doc.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.table).toEqual({
      header: ["TT", "Tên hoạt động giáo dục", "Số lớp (chuyên đề)", "Số lượt người tham gia: Tổng số", "Nữ"],
      rows: [
        ["1", "Học chương trình xóa mù chữ, giáo dục tiếp tục sau khi biết chữ", "1", "25", "14"],
        ["2", "Học nghề ngắn hạn", "2", "70", "—"],
        ["3", "Chuyên đề Giáo dục pháp luật", "4", "1.612", "706"],
        ["", "Tổng cộng", "7", "1.707", "720"],
      ],
      hasTotal: true,
    });
  });

  it("numbers the document when it has a number and writes dates with two-digit days", () => {
    const d = composeDocument(centreInput({ number: "51", issuedOn: "2025-01-09", signerName: undefined }));
    expect(d.number).toBe("Số: 51/BC-TTHTCĐ");
    expect(d.placeDate).toBe("Thanh Định, ngày 09 tháng 01 năm 2025");
    expect(d.signature).toEqual({ title: "GIÁM ĐỐC" });
    expect(d.issuer.name).toBe("TRUNG TÂM HỌC TẬP CỘNG ĐỒNG XÃ THANH ĐỊNH");
  });

  it("has no body above when the unit has no parent, and no table total unless asked", () => {
    const [table] = centre.sections.filter((s) => s.kind === "table");
    const noTotal = centreTemplate({ sections: [{ ...(table as Section), total: false } as Section] });
    const d = composeDocument(centreInput({ template: noTotal, unit: { name: "Trung tâm A" } }));
    expect(d.issuer).toEqual({ name: "TRUNG TÂM A" });
    const t = d.blocks.find((b) => b.kind === "table");
    expect(t?.kind === "table" && t.table.rows.map((r) => r[1])).not.toContain("Tổng cộng");
    expect(t?.kind === "table" && t.table.hasTotal).toBeUndefined();
  });
});

describe("composeDocument: an association's quarterly report", () => {
  const t = quarterlyTemplate();
  const input: ComposeInput = {
    template: t,
    unit: { name: "Xã Bình Yên", parentName: "Hội Khuyến học tỉnh Khánh Hòa" },
    issuerLabel: "Hội Khuyến học xã Bình Yên",
    period: { kind: "quarter", year: 2025, quarter: 1 },
    number: "12",
    issuedOn: "2025-04-03",
    place: "Bình Yên",
    values: evaluateIndicators(t, {
      base: new Map([
        ["members", 1612],
        ["members_female", 706],
        ["funds", 30_800_000],
        ["hours", 12.5],
      ]),
      previous: new Map([["members", 1650]]),
    }),
    narratives: {},
  };
  const doc = composeDocument(input);

  it("is issued by the association under the one above", () => {
    expect(doc.issuer).toEqual({
      above: "HỘI KHUYẾN HỌC TỈNH KHÁNH HÒA",
      name: "HỘI KHUYẾN HỌC XÃ BÌNH YÊN",
    });
    expect(doc.number).toBe("Số: 12/BC-HKH");
    expect(doc.placeDate).toBe("Bình Yên, ngày 03 tháng 4 năm 2025");
    expect(doc.subject).toBe("Kết quả công tác khuyến học quý I/2025");
    expect(doc.addressees).toEqual(["Hội Khuyến học tỉnh Khánh Hòa"]);
    expect(doc.signature).toEqual({ onBehalf: "TM. BAN THƯỜNG VỤ", title: "CHỦ TỊCH" });
  });

  it("lists the indicators with their units, percent signs attached", () => {
    expect(doc.blocks).toEqual([
      { kind: "heading", text: "I. KẾT QUẢ CÔNG TÁC TRONG QUÝ" },
      { kind: "heading", text: "2. Kết quả cụ thể" },
      { kind: "paragraph", text: "- Tổng số hội viên: 1.612 người" },
      { kind: "paragraph", text: "- Trong đó hội viên nữ: 706 người" },
      { kind: "paragraph", text: "- Tỷ lệ hội viên nữ: 43,80%" },
      { kind: "paragraph", text: "- Tăng (giảm) hội viên so với quý trước: -38 người" },
      { kind: "paragraph", text: "- Số tiền vận động được: 30.800.000 đồng" },
      { kind: "paragraph", text: "- Số giờ học bình quân: 12,5 giờ" },
    ]);
  });

  it("writes the period's label capitalised at the start of a sentence only", () => {
    const tpl = quarterlyTemplate({
      document: {
        ...t.document,
        subject: "{period}: kết quả. {period} của {unit}; từ {period}: tốt",
        opening: "Trong {period}, {unit}:",
      },
    });
    const d = composeDocument({ ...input, template: tpl });
    expect(d.subject).toBe("Quý I/2025: kết quả. Quý I/2025 của Xã Bình Yên; từ quý I/2025: tốt");
    expect(d.blocks[0]).toEqual({ kind: "paragraph", text: "Trong quý I/2025, Xã Bình Yên:" });
  });
});

describe("composeDocument: tables of rates", () => {
  it("leaves the total of a percent column empty and blanks cells without an indicator", () => {
    const t = quarterlyTemplate({
      sections: [
        {
          kind: "table",
          key: "bang",
          title: "Bảng",
          columns: ["Nội dung", "Số người", "Tỷ lệ nữ (%)"],
          rows: [
            { label: "Hội viên", cells: ["members", "female_share"] },
            { label: "Trung tâm", cells: ["centres_classes", null] },
          ],
          total: true,
        },
      ],
    });
    const values = evaluateIndicators(t, {
      base: new Map([
        ["members", 1000],
        ["members_female", 455],
        ["centres_classes", 12],
      ]),
    });
    const doc = composeDocument({ ...centreInput(), template: t, values });
    const table = doc.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.table.rows).toEqual([
      ["1", "Hội viên", "1.000", "45,50"],
      ["2", "Trung tâm", "12", ""],
      ["", "Tổng cộng", "1.012", ""],
    ]);
    const sheet = composeAppendix({ ...centreInput(), template: t, values }).sheets[1];
    expect(sheet?.rows.at(-1)).toEqual([null, "Tổng cộng", 1012, null]);
    expect(sheet?.columns.map((c) => c.format)).toEqual(["integer", "text", "integer", "percent"]);
  });

  it("writes a dash for a column total with no value at all", () => {
    const doc = composeDocument(centreInput({ values: new Map() }));
    const table = doc.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.table.rows.at(-1)).toEqual(["", "Tổng cộng", "—", "—", "—"]);
  });
});

describe("composeDocument: a period table (seed 003's PHỤ LỤC)", () => {
  const t = quarterlyTemplate({
    periodKind: "phase",
    sections: [
      {
        kind: "period_table",
        key: "phu_luc",
        title: "Số liệu tổng kết",
        rows: [
          { label: "Hội viên nữ", count: "members_female", rate: "female_share" },
          { label: "Hội viên", count: "members", rate: null },
        ],
        projections: 1,
      },
    ],
  });
  const year = (y: number, members: number, female: number) => ({
    period: { kind: "year" as const, year: y },
    values: evaluateIndicators(t, {
      base: new Map([
        ["members", members],
        ["members_female", female],
      ]),
    }),
  });
  const input: ComposeInput = {
    ...centreInput(),
    template: t,
    period: { kind: "phase", firstYear: 2019, lastYear: 2020 },
    values: evaluateIndicators(t, {
      base: new Map([
        ["members", 1200],
        ["members_female", 600],
      ]),
    }),
    targets: new Map([["female_share", 45]]),
    years: [year(2019, 1000, 455), year(2020, 1200, 600)],
    nextPhases: [
      {
        period: { kind: "phase", firstYear: 2021, lastYear: 2022 },
        targets: new Map([["female_share", 50.5]]),
      },
      {
        period: { kind: "phase", firstYear: 2023, lastYear: 2024 },
        targets: new Map([["female_share", 60]]),
      },
    ],
  };

  it("writes the target, each year's count and rate, the phase's rate and the next phase's target", () => {
    const block = composeDocument(input).blocks.find((b) => b.kind === "table");
    if (block?.kind !== "table") throw new Error("no table");
    expect(block.table.header).toEqual([
      "TT",
      "Chỉ tiêu",
      "Mục tiêu giai đoạn 2019-2020 (tỷ lệ %)",
      "Năm 2019: số lượng",
      "Năm 2019: tỷ lệ %",
      "Năm 2020: số lượng",
      "Năm 2020: tỷ lệ %",
      "Thực hiện giai đoạn 2019-2020 (tỷ lệ %)",
      "Dự kiến giai đoạn 2021-2022 (tỷ lệ %)",
      "Ghi chú",
    ]);
    // Rates as the seed writes them: "45,5", "50", no trailing zeros; a row without a rate
    // shows its count where the rate would be, and no target it does not have.
    expect(block.table.rows).toEqual([
      ["1", "Hội viên nữ", "45", "455", "45,5", "600", "50", "50", "50,5", ""],
      ["2", "Hội viên", "—", "1.000", "", "1.200", "", "1.200", "—", ""],
    ]);
  });

  it("keeps the numbers as numbers in its appendix sheet, missing ones as empty", () => {
    const sheet = composeAppendix(input).sheets.find((x) => x.title.includes("SỐ LIỆU TỔNG KẾT"));
    expect(sheet?.rows).toEqual([
      [1, "Hội viên nữ", 45, 455, 45.5, 600, 50, 50, 50.5, null],
      [2, "Hội viên", null, 1000, null, 1200, null, 1200, null, null],
    ]);
    // The target column mixes a rate and a count: a decimal; the yearly columns keep their kind.
    expect(sheet?.columns.map((c) => c.format).slice(2, 5)).toEqual(["decimal", "integer", "percent"]);
  });

  it("has no yearly columns without the years (a caller that gave none)", () => {
    const block = composeDocument({ ...input, years: undefined, nextPhases: undefined }).blocks[0];
    expect(block?.kind === "table" && block.table.header).toEqual([
      "TT",
      "Chỉ tiêu",
      "Mục tiêu giai đoạn 2019-2020 (tỷ lệ %)",
      "Thực hiện giai đoạn 2019-2020 (tỷ lệ %)",
      "Ghi chú",
    ]);
  });
});

describe("composeAppendix", () => {
  it("has a sheet of every indicator, numbers kept as numbers, then a sheet per table", () => {
    const a = composeAppendix(centreInput());
    expect(a.sheets.map((s) => s.name)).toEqual(["Chỉ tiêu", "Kết quả đạt được cụ thể"]);
    const [ind, table] = a.sheets;
    expect(ind?.title).toBe("PHỤ LỤC 1. CÁC CHỈ TIÊU");
    expect(ind?.subtitle).toBe("Trung tâm Học tập cộng đồng xã Thanh Định, Năm 2024");
    expect(ind?.columns.map((c) => c.header)).toEqual([
      "TT",
      "Chỉ tiêu",
      "Đơn vị tính",
      "Kỳ này",
      "Chỉ tiêu giao",
      "% so với chỉ tiêu",
    ]);
    expect(ind?.rows).toHaveLength(centre.indicators.length);
    expect(ind?.rows[7]).toEqual([
      8,
      "Chuyên đề Giáo dục pháp luật: số lượt người tham gia",
      "lượt người",
      1612,
      null,
      null,
    ]);
    expect(ind?.rows[9]).toEqual([
      10,
      "Tổng kinh phí hỗ trợ từ ngân sách nhà nước",
      "đồng",
      30_800_000,
      null,
      null,
    ]);
    expect(ind?.rows[5]).toEqual([
      6,
      "Học nghề ngắn hạn: số lượt nữ tham gia",
      "lượt người",
      null,
      null,
      null,
    ]);

    expect(table?.title).toBe("PHỤ LỤC 2. KẾT QUẢ ĐẠT ĐƯỢC CỤ THỂ");
    expect(table?.columns.map((c) => [c.header, c.format])).toEqual([
      ["TT", "integer"],
      ["Tên hoạt động giáo dục", "text"],
      ["Số lớp (chuyên đề)", "integer"],
      ["Số lượt người tham gia: Tổng số", "integer"],
      ["Nữ", "integer"],
    ]);
    expect(table?.rows).toEqual([
      [1, "Học chương trình xóa mù chữ, giáo dục tiếp tục sau khi biết chữ", 1, 25, 14],
      [2, "Học nghề ngắn hạn", 2, 70, null],
      [3, "Chuyên đề Giáo dục pháp luật", 4, 1612, 706],
      [null, "Tổng cộng", 7, 1707, 720],
    ]);
  });

  it("adds the previous period when given, and the percent of the targets", () => {
    const t = quarterlyTemplate();
    const values = evaluateIndicators(t, { base: new Map([["members", 1612]]) });
    const a = composeAppendix({
      ...centreInput(),
      template: t,
      values,
      previous: new Map([["members", 1650]]),
      targets: new Map([
        ["members", 1620],
        ["funds", 0],
      ]),
    });
    const sheet = a.sheets[0];
    expect(sheet?.columns.map((c) => c.header)).toEqual([
      "TT",
      "Chỉ tiêu",
      "Đơn vị tính",
      "Kỳ này",
      "Kỳ trước",
      "Chỉ tiêu giao",
      "% so với chỉ tiêu",
    ]);
    // mixed indicators: decimals; the percent column holds percents (99.51), not fractions
    expect(sheet?.columns.map((c) => c.format)).toEqual([
      "integer",
      "text",
      "text",
      "decimal",
      "decimal",
      "decimal",
      "percent",
    ]);
    expect(sheet?.rows[0]).toEqual([1, "Tổng số hội viên", "người", 1612, 1650, 1620, 99.51]);
    // a target of 0 gives no percent
    expect(sheet?.rows[2]).toEqual([3, "Số tiền vận động được", "đồng", null, null, 0, null]);
    expect(a.sheets).toHaveLength(1);
  });

  it("names sheets as Excel allows: ≤ 31 characters, none of []:*?/\\, unique", () => {
    const table = (key: string, title: string): Section => ({
      kind: "table",
      key,
      title,
      columns: ["Nội dung", "Số"],
      rows: [{ label: "Dòng", cells: ["members"] }],
      total: false,
    });
    const t = quarterlyTemplate({
      sections: [
        table("a", "1. Kết quả [quý]: lớp/chuyên đề*?"),
        table("b", "Chỉ tiêu"),
        table("c", "Kết quả xây dựng xã hội học tập của các xã, phường và thị trấn"),
        table("d", "Kết quả xây dựng xã hội học tập của các xã, phường và đặc khu"),
        table("e", "'''"),
      ],
    });
    const names = composeAppendix({ ...centreInput(), template: t, values: new Map() }).sheets.map(
      (s) => s.name,
    );
    expect(names).toEqual([
      "Chỉ tiêu",
      "Kết quả quý lớp chuyên đề",
      "Chỉ tiêu (2)",
      "Kết quả xây dựng xã hội học tập",
      "Kết quả xây dựng xã hội học (2)",
      "Bảng",
    ]);
  });

  it("always gives valid, unique sheet names (property)", () => {
    const title = fc.string({
      minLength: 1,
      maxLength: 60,
      unit: fc.constantFrom("a", "Ă", " ", "/", "[", "'", ":", "ệ", "1", "."),
    });
    fc.assert(
      fc.property(fc.array(title, { minLength: 1, maxLength: 12 }), (titles) => {
        const t = quarterlyTemplate({
          sections: titles.map((tt, i) => ({
            kind: "table",
            key: `t${i}`,
            title: tt,
            columns: ["Nội dung", "Số"],
            rows: [{ label: "Dòng", cells: ["members"] }],
          })),
        });
        const names = composeAppendix({ ...centreInput(), template: t, values: new Map() }).sheets.map(
          (s) => s.name,
        );
        expect(names).toHaveLength(titles.length + 1);
        expect(new Set(names.map((n) => n.toLocaleLowerCase("vi"))).size).toBe(names.length);
        for (const n of names) {
          expect(n.length).toBeGreaterThan(0);
          expect(n.length).toBeLessThanOrEqual(31);
          expect(n).not.toMatch(/[[\]:*?/\\]|^'|'$/);
        }
      }),
    );
  });
});
