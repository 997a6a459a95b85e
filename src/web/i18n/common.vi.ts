/**
 * Vietnamese words every capability page uses with the same meaning (merged into vi.ts): the
 * year, the unit column, a unit below without figures, Save/Cancel/Edit/Delete.
 */
export const commonVi = {
  "common.backToUnit": "Về trang đơn vị",
  "common.year": "Năm",
  "common.unit": "Đơn vị",
  "common.total": "Cộng",
  "common.noData": "Chưa có số liệu",
  "common.save": "Lưu",
  "common.saving": "Đang lưu…",
  "common.cancel": "Hủy",
  "common.edit": "Sửa",
  "common.delete": "Xóa",
  "common.filter": "Hiện",
  "common.filter.all": "Tất cả đơn vị",
  "common.filter.missing": "Đơn vị chưa có số liệu",
  "common.filter.reported": "Đơn vị đã có số liệu",
  "common.exportXlsx": "Tải Excel",
  "common.exportCsv": "Tải CSV",
  "common.exportHint": "Tải danh sách đang xem (đúng bộ lọc, mọi trang).",
} as const;
