/**
 * A realistic report for the renderer tests: a commune learning centre's annual report
 * (TTHTCĐ xã Thanh Định, 2024) and its appendix.
 */
import type { Appendix, ReportDocument } from "../../../domain/reporting/document.ts";

export const centreReport: ReportDocument = {
  issuer: { above: "UBND XÃ THANH ĐỊNH", name: "TRUNG TÂM HỌC TẬP CỘNG ĐỒNG" },
  number: "Số:     /BC-TTHTCĐ",
  placeDate: "Thanh Định, ngày 15 tháng 12 năm 2024",
  title: "BÁO CÁO",
  subject: "Đánh giá kết quả hoạt động Trung tâm Học tập cộng đồng năm 2024",
  addressees: ["Ủy ban nhân dân xã Thanh Định"],
  blocks: [
    {
      kind: "paragraph",
      text: "Trung tâm học tập cộng đồng xã Thanh Định báo cáo kết quả hoạt động của Trung tâm năm 2024 như sau:",
    },
    { kind: "heading", text: "I. KẾT QUẢ ĐẠT ĐƯỢC" },
    { kind: "heading", text: "1. Kết quả đạt được cụ thể" },
    {
      kind: "table",
      title: "Bảng 1. Kết quả các hoạt động giáo dục năm 2024",
      table: {
        header: ["TT", "Tên hoạt động giáo dục", "Số lớp (chuyên đề)", "Tổng số", "Nữ"],
        rows: [
          ["1", "Lớp xóa mù chữ và giáo dục tiếp tục sau khi biết chữ", "1", "18", "11"],
          ["2", "Chuyên đề chuyển giao khoa học kỹ thuật nông nghiệp", "6", "2.430", "1.105"],
          ["3", "Chuyên đề Giáo dục pháp luật", "4", "1.612", "706"],
          ["4", "Chuyên đề Giáo dục sức khỏe, phòng chống dịch bệnh", "3", "987", "560"],
          ["", "Tổng cộng", "14", "5.047", "2.382"],
        ],
        hasTotal: true,
      },
    },
    { kind: "heading", text: "2. Kinh phí hoạt động" },
    { kind: "paragraph", text: "- Tổng kinh phí hỗ trợ từ ngân sách nhà nước: 30.800.000 đồng" },
    { kind: "paragraph", text: "- Kinh phí huy động xã hội hóa: 12.500.000 đồng" },
    { kind: "heading", text: "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025" },
    {
      kind: "paragraph",
      text: "Tiếp tục đổi mới nội dung, hình thức hoạt động, gắn các chuyên đề với nhu cầu thực tế của người dân; phối hợp với các đoàn thể vận động người dân tham gia học tập suốt đời, góp phần xây dựng xã hội học tập ở cơ sở.",
    },
    {
      kind: "paragraph",
      text: "Trên đây là báo cáo kết quả hoạt động năm 2024 của Trung tâm Học tập cộng đồng xã Thanh Định.",
    },
  ],
  recipients: ["UBND xã", "Lưu: VP, TTHTCĐ"],
  signature: { title: "GIÁM ĐỐC", name: "Nguyễn Văn An" },
};

export const centreAppendix: Appendix = {
  sheets: [
    {
      name: "Hoạt động",
      title: "PHỤ LỤC 1. KẾT QUẢ HOẠT ĐỘNG GIÁO DỤC NĂM 2024",
      subtitle: "TTHTCĐ xã Thanh Định",
      columns: [
        { header: "TT", format: "integer" },
        { header: "Tên hoạt động giáo dục", format: "text" },
        { header: "Số lớp (chuyên đề)", format: "integer" },
        { header: "Tổng số", format: "integer" },
        { header: "Nữ", format: "integer" },
        { header: "Tỷ lệ nữ (%)", format: "percent" },
        { header: "Kinh phí (đồng)", format: "money", width: 18 },
      ],
      rows: [
        [1, "Chuyên đề chuyển giao khoa học kỹ thuật nông nghiệp", 6, 2430, 1105, 45.47, 12_000_000],
        [2, "Chuyên đề Giáo dục pháp luật", 4, 1612, 706, 43.8, 8_800_000],
        [null, "Tổng cộng", 10, 4042, 1811, 44.8, 20_800_000],
      ],
    },
    {
      name: "Chỉ số",
      title: "PHỤ LỤC 2. CÁC CHỈ SỐ",
      columns: [
        { header: "Chỉ số", format: "text" },
        { header: "Giá trị", format: "decimal" },
      ],
      rows: [
        ["Số người học bình quân một lớp", 288.71],
        ["Tỷ lệ người biết chữ (%)", 99.48],
      ],
    },
  ],
};
