/**
 * Templates for the reporting tests, built through the schema (`ReportTemplate.parse`) as the
 * application builds them. Not used by the application.
 */
import { ReportTemplate, type ReportTemplateInput } from "./template.ts";

const DOCUMENT: ReportTemplateInput["document"] = {
  numberSuffix: "BC-TTHTCĐ",
  subject: "Đánh giá kết quả hoạt động Trung tâm Học tập cộng đồng {period}",
  opening: "Trung tâm học tập cộng đồng {unit} báo cáo kết quả hoạt động của Trung tâm {period} như sau:",
  recipients: ["UBND xã", "Lưu: VP, TTHTCĐ"],
  signature: { title: "GIÁM ĐỐC" },
};

const ACTIVITIES = [
  ["literacy", "Học chương trình xóa mù chữ, giáo dục tiếp tục sau khi biết chữ"],
  ["vocational", "Học nghề ngắn hạn"],
  ["legal", "Chuyên đề Giáo dục pháp luật"],
] as const;

/** Shaped like seed 004 (TTHTCĐ xã Thanh Định, 2024): a table of activities, the funding. */
export function centreTemplate(over: Partial<ReportTemplateInput> = {}): ReportTemplate {
  return ReportTemplate.parse({
    code: "centre-annual",
    version: 1,
    name: "Báo cáo năm của Trung tâm học tập cộng đồng",
    unitKinds: ["learning_centre"],
    periodKind: "year",
    deadlineDays: 15,
    indicators: [
      ...ACTIVITIES.flatMap(([key, label]) => [
        {
          id: `classes_${key}`,
          kind: "counter",
          source: "centres",
          metric: `classes:${key}`,
          label,
          unit: "lớp",
        },
        {
          id: `participants_${key}`,
          kind: "counter",
          source: "centres",
          metric: `participants:${key}`,
          label: `${label}: số lượt người tham gia`,
          unit: "lượt người",
        },
        {
          id: `female_${key}`,
          kind: "counter",
          source: "centres",
          metric: `female:${key}`,
          label: `${label}: số lượt nữ tham gia`,
          unit: "lượt người",
        },
      ]),
      {
        id: "funding_state_budget",
        kind: "counter",
        source: "centres",
        metric: "funding:state_budget",
        valueType: "money",
        label: "Tổng kinh phí hỗ trợ từ ngân sách nhà nước",
        unit: "đồng",
      },
      {
        id: "funding_learners",
        kind: "typed",
        valueType: "money",
        label: "Kinh phí do học viên tự nguyện đóng góp",
        unit: "đồng",
      },
    ],
    rules: [
      {
        rule: "lte",
        left: "female_legal",
        right: "participants_legal",
        message: "Số lượt nữ không được lớn hơn tổng số lượt người tham gia.",
      },
    ],
    sections: [
      { kind: "heading", key: "danh_gia_chung", title: "1. Đánh giá chung" },
      { kind: "narrative", key: "thuan_loi", title: "1.1. Thuận lợi", carryOver: true },
      { kind: "narrative", key: "kho_khan", title: "1.2. Khó khăn" },
      {
        kind: "table",
        key: "ket_qua_cu_the",
        title: "4. Kết quả đạt được cụ thể",
        columns: ["Tên hoạt động giáo dục", "Số lớp (chuyên đề)", "Số lượt người tham gia: Tổng số", "Nữ"],
        rows: ACTIVITIES.map(([key, label]) => ({
          label,
          cells: [`classes_${key}`, `participants_${key}`, `female_${key}`],
        })),
        total: true,
      },
      {
        kind: "indicators",
        key: "kinh_phi",
        title: "5. Kinh phí hoạt động",
        indicators: ["funding_state_budget", "funding_learners"],
      },
    ],
    document: DOCUMENT,
    ...over,
  });
}

/** Seed 004's figures for the centre template (the legal row: 4 classes, 1612 people, 706 women). */
export const CENTRE_VALUES: ReadonlyMap<string, number | null> = new Map<string, number | null>([
  ["classes_literacy", 1],
  ["participants_literacy", 25],
  ["female_literacy", 14],
  ["classes_vocational", 2],
  ["participants_vocational", 70],
  ["female_vocational", null],
  ["classes_legal", 4],
  ["participants_legal", 1612],
  ["female_legal", 706],
  ["funding_state_budget", 30_800_000],
  ["funding_learners", null],
]);

/** A quarterly template with every kind of formula, value type and aggregate. */
export function quarterlyTemplate(over: Partial<ReportTemplateInput> = {}): ReportTemplate {
  return ReportTemplate.parse({
    code: "association-quarterly",
    version: 1,
    name: "Báo cáo quý công tác khuyến học",
    unitKinds: ["commune", "province"],
    periodKind: "quarter",
    deadlineDays: 10,
    indicators: [
      {
        id: "members",
        kind: "typed",
        valueType: "integer",
        label: "Tổng số hội viên",
        unit: "người",
        required: true,
      },
      {
        id: "members_female",
        kind: "typed",
        valueType: "integer",
        label: "Trong đó hội viên nữ",
        unit: "người",
      },
      {
        id: "funds",
        kind: "typed",
        valueType: "money",
        label: "Số tiền vận động được",
        unit: "đồng",
        required: true,
      },
      {
        id: "literacy_rate",
        kind: "typed",
        valueType: "percent",
        label: "Tỷ lệ biết chữ",
        unit: "%",
        aggregate: "none",
      },
      { id: "hours", kind: "typed", valueType: "decimal", label: "Số giờ học bình quân", unit: "giờ" },
      {
        id: "centres_classes",
        kind: "counter",
        source: "centres",
        metric: "classes:all",
        label: "Số lớp của các trung tâm",
        unit: "lớp",
      },
      {
        id: "members_male",
        kind: "formula",
        formula: { op: "difference", a: "members", b: "members_female" },
        label: "Hội viên nam",
        unit: "người",
      },
      {
        id: "female_share",
        kind: "formula",
        formula: { op: "percent", numerator: "members_female", denominator: "members" },
        label: "Tỷ lệ hội viên nữ",
        unit: "%",
      },
      {
        id: "members_change",
        kind: "formula",
        formula: { op: "change_from_previous", of: "members" },
        label: "Tăng (giảm) hội viên so với quý trước",
        unit: "người",
      },
      {
        id: "male_change",
        kind: "formula",
        formula: { op: "change_from_previous", of: "members_male" },
        label: "Tăng (giảm) hội viên nam so với quý trước",
        unit: "người",
      },
      {
        id: "members_of_target",
        kind: "formula",
        formula: { op: "percent_of_target", of: "members" },
        label: "Hội viên so với chỉ tiêu giao",
        unit: "%",
      },
      {
        id: "everyone",
        kind: "formula",
        formula: { op: "sum", of: ["members", "centres_classes"] },
        label: "Hội viên cộng số lớp",
      },
    ],
    rules: [
      {
        rule: "lte",
        left: "members_female",
        right: "members",
        message: "Số hội viên nữ không được lớn hơn tổng số hội viên.",
      },
      {
        rule: "not_below_previous",
        of: "funds",
        message: "Số tiền lũy kế không được giảm so với quý trước.",
      },
    ],
    sections: [
      { kind: "heading", key: "phan_1", title: "I. KẾT QUẢ CÔNG TÁC TRONG QUÝ" },
      { kind: "narrative", key: "thuan_loi", title: "1. Thuận lợi" },
      {
        kind: "indicators",
        key: "so_lieu",
        title: "2. Kết quả cụ thể",
        indicators: ["members", "members_female", "female_share", "members_change", "funds", "hours"],
      },
    ],
    document: {
      issuer: "association",
      numberSuffix: "BC-HKH",
      subject: "Kết quả công tác khuyến học {period}",
      addressees: ["Hội Khuyến học tỉnh Khánh Hòa"],
      recipients: ["Hội Khuyến học tỉnh", "Lưu: VT"],
      signature: { onBehalf: "TM. BAN THƯỜNG VỤ", title: "CHỦ TỊCH" },
    },
    ...over,
  });
}
