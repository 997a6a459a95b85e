import {
  COMMENDATION_KIND_LABELS,
  COMMENDATION_STATUS_LABELS,
  EXEMPLARY_MODEL_LABELS,
  RECIPIENT_TYPE_LABELS,
} from "../../domain/commendations/rules.ts";

const prefixed = <P extends string, K extends string>(prefix: P, labels: Record<K, string>) =>
  Object.fromEntries(Object.entries(labels).map(([k, v]) => [`${prefix}${k}`, v])) as {
    [Key in K as `${P}${Key}`]: string;
  };

/** Vietnamese text of the commendation and exemplary-model screens (merged into vi.ts). */
export const commendationsVi = {
  "commendations.link": "Khen thưởng, điển hình tiên tiến",
  "commendations.title": "Khen thưởng, điển hình tiên tiến — {name}",
  "commendations.counts": "Tổng hợp năm {year}",
  "commendations.countsHint": "Đề nghị tính theo năm của ngày đề nghị; điển hình theo năm được biểu dương.",
  "commendations.proposedCol": "Đề nghị",
  "commendations.awardedCol": "Được khen",
  "commendations.declinedCol": "Không được khen",
  "commendations.ownRow": "{name} (tự đề nghị)",
  "commendations.exemplaryCol": "Điển hình",
  "commendations.summaryLine":
    "{kind}: đề nghị {individual} cá nhân và {collective} tập thể; được khen {awardedIndividual} cá nhân và {awardedCollective} tập thể",
  "commendations.proposals": "Đề nghị khen thưởng ({count})",
  "commendations.proposalsEmpty": "Chưa có đề nghị khen thưởng nào trong năm này.",
  "commendations.propose": "Đề nghị khen thưởng",
  "commendations.proposed": "Đã lưu {count} đề nghị khen thưởng.",
  "commendations.field.kind": "Hình thức",
  "commendations.field.kindOther": "Hình thức khác (ghi rõ)",
  "commendations.field.recipientType": "Khen cho",
  "commendations.field.names": "Tên người hoặc tập thể được đề nghị (mỗi dòng một tên)",
  "commendations.field.namesHint": "Ví dụ: dán danh sách từ Excel, mỗi người một dòng.",
  "commendations.field.units": "Hoặc chọn tập thể là đơn vị trong hệ thống",
  "commendations.field.awardingBody": "Cấp khen thưởng",
  "commendations.field.awardingBodyHint": "Ví dụ: Hội Khuyến học tỉnh; Trung ương Hội Khuyến học Việt Nam",
  "commendations.field.reason": "Thành tích, lý do",
  "commendations.field.proposedOn": "Ngày đề nghị",
  "commendations.field.proposalNumber": "Số tờ trình đề nghị",
  "commendations.decide": "Ghi kết quả",
  "commendations.field.status": "Kết quả",
  "commendations.field.decisionNumber": "Số quyết định",
  "commendations.field.decidedOn": "Ngày quyết định",
  "commendations.field.note": "Ghi chú",
  "commendations.decided": "Đã ghi kết quả của {name}.",
  "commendations.deleteConfirm": "Xóa đề nghị khen thưởng cho {name}?",
  "commendations.line": "{kind} · {type} · {body}",
  "commendations.decision": "Quyết định {number} ngày {date}",
  "commendations.exemplary": "Điển hình tiên tiến ({count})",
  "commendations.exemplaryEmpty": "Chưa ghi điển hình tiên tiến nào trong năm này.",
  "commendations.addExemplary": "Thêm điển hình tiên tiến",
  "commendations.exemplaryAdded": "Đã lưu điển hình.",
  "commendations.editExemplary": "Sửa điển hình",
  "commendations.exemplarySaved": "Đã lưu thay đổi của điển hình {name}.",
  "commendations.exemplaryDeleteConfirm": "Xóa điển hình {name}? Số điển hình của năm sẽ được tính lại.",
  "commendations.exemplaryDeleted": "Đã xóa điển hình {name}.",
  "commendations.field.model": "Mô hình học tập",
  "commendations.field.name": "Tên điển hình",
  "commendations.field.year": "Năm",
  "commendations.field.story": "Câu chuyện, thành tích",
  "commendations.field.honouredAt": "Được biểu dương tại",
  "commendations.field.honouredAtHint":
    "Ví dụ: Hội nghị Tuyên dương điển hình tiên tiến của Tỉnh Hội quý II/2025",
  ...prefixed("commendations.kind.", COMMENDATION_KIND_LABELS),
  ...prefixed("commendations.recipient.", RECIPIENT_TYPE_LABELS),
  ...prefixed("commendations.status.", COMMENDATION_STATUS_LABELS),
  ...prefixed("commendations.model.", EXEMPLARY_MODEL_LABELS),
} as const;
