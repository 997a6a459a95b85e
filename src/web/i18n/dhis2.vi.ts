/** Vietnamese text of the DHIS2 exchange screen (merged into vi.ts). */
export const dhis2Vi = {
  "dhis2.link": "Trao đổi số liệu với DHIS2",
  "dhis2.title": "Trao đổi số liệu với DHIS2",
  "dhis2.intro":
    "DHIS2 là phần mềm thống kê mà nhiều tỉnh dùng. Tại đây bạn tải số liệu của đơn vị ra tệp để đưa vào DHIS2, và nhập chỉ tiêu từ tệp của DHIS2.",
  "dhis2.unitCode": "Mã đơn vị trong DHIS2 (mã hành chính): {code}",
  "dhis2.noCode":
    "{name} không có mã hành chính nên DHIS2 không nhận ra đơn vị này; tệp chỉ có các đơn vị trực thuộc có mã.",

  "dhis2.export.title": "Tải số liệu cho DHIS2",
  "dhis2.export.intro":
    "Số liệu của {name} và các đơn vị trực thuộc có mã hành chính, tính ngay từ hồ sơ, theo định dạng dataValueSets của DHIS2. Đơn vị chưa có số liệu thì không có giá trị (không ghi 0).",
  "dhis2.periodKind": "Loại kỳ",
  "dhis2.periodKind.year": "Năm",
  "dhis2.periodKind.quarter": "Quý",
  "dhis2.periodKind.half_year": "6 tháng",
  "dhis2.periodKind.reporting_year": "Năm tài chính",
  "dhis2.startMonth": "Năm tài chính bắt đầu từ",
  "dhis2.startMonth.11": "Tháng 11 (năm của Hội)",
  "dhis2.startMonth.10": "Tháng 10",
  "dhis2.startMonth.7": "Tháng 7",
  "dhis2.startMonth.4": "Tháng 4",
  "dhis2.period": "Kỳ",
  "dhis2.periodCode": "Mã kỳ DHIS2: {code}",
  "dhis2.download.json": "Tải tệp JSON",
  "dhis2.download.csv": "Tải tệp CSV",
  "dhis2.export.hint":
    "Người quản trị DHIS2 nhập tệp với dataElementIdScheme=CODE và orgUnitIdScheme=CODE: mã phần tử dữ liệu ở bảng cuối trang, mã đơn vị là mã hành chính.",

  "dhis2.import.title": "Nhập chỉ tiêu từ DHIS2",
  "dhis2.import.explain":
    "Giá trị nhập từ DHIS2 chỉ trở thành chỉ tiêu (kế hoạch giao) của báo cáo định kỳ, không bao giờ thay số liệu thực hiện: số liệu thực hiện luôn được tính từ hồ sơ của hệ thống (hộ gia đình, quỹ, hoạt động…).",
  "dhis2.import.mode": "Tệp chứa",
  "dhis2.import.mode.auto": "Chỉ các mã chỉ tiêu (…_CT)",
  "dhis2.import.mode.targets": "Mọi giá trị đều là chỉ tiêu",
  "dhis2.import.modeHint":
    "Thường tệp dùng mã chỉ tiêu (kết thúc bằng _CT); giá trị mang mã số liệu thực hiện thì được bỏ qua. Chọn “Mọi giá trị đều là chỉ tiêu” khi tệp kế hoạch dùng chính mã số liệu thực hiện.",
  "dhis2.import.file": "Chọn tệp DHIS2 (.json hoặc .csv)",
  "dhis2.import.fileHint":
    "Tệp dataValueSets xuất từ DHIS2 với idScheme=CODE. Hệ thống kiểm tra thử trước; chưa ghi gì cho đến khi bạn bấm Nhập.",
  "dhis2.import.checking": "Đang kiểm tra tệp {file}…",
  "dhis2.import.importing": "Đang nhập tệp {file}…",
  "dhis2.import.checked": "Kết quả kiểm tra thử",
  "dhis2.import.imported": "Kết quả nhập",
  "dhis2.import.fileName": "Tệp: {file}",
  "dhis2.import.summary": "{total} giá trị: {targets} chỉ tiêu, {skipped} bỏ qua, {errors} lỗi.",
  "dhis2.import.blocked":
    "Còn {count} giá trị lỗi. Tệp chỉ được nhập khi mọi giá trị đều đúng (nhập tất cả hoặc không gì): hãy sửa tệp rồi chọn lại.",
  "dhis2.import.nothing":
    "Tệp không có chỉ tiêu nào để nhập. Nếu tệp dùng mã số liệu thực hiện cho chỉ tiêu, hãy chọn “Mọi giá trị đều là chỉ tiêu”.",
  "dhis2.import.commit": "Nhập {count} chỉ tiêu",
  "dhis2.import.done": "Đã nhập {count} chỉ tiêu. Số liệu thực hiện không thay đổi.",
  "dhis2.import.chooseAnother": "Chọn tệp khác",
  "dhis2.import.values": "Các giá trị của tệp",
  "dhis2.import.asTarget": "“{indicator}” — {template}",
  "dhis2.import.viewReports": "Xem chỉ tiêu trong báo cáo",
  "dhis2.import.viewReport": "{template} — {unit} — {period}",
  "dhis2.col.row": "Dòng",
  "dhis2.col.element": "Phần tử dữ liệu",
  "dhis2.col.unit": "Đơn vị",
  "dhis2.col.period": "Kỳ",
  "dhis2.col.value": "Giá trị",
  "dhis2.col.result": "Kết quả",
  "dhis2.status.target": "Chỉ tiêu",
  "dhis2.status.skipped": "Bỏ qua",
  "dhis2.status.error": "Lỗi",

  "dhis2.mapping": "Bảng mã phần tử dữ liệu (cho người quản trị DHIS2)",
  "dhis2.mapping.version": "Phiên bản {version}: {count} phần tử dữ liệu.",
  "dhis2.mapping.code": "Mã",
  "dhis2.mapping.name": "Tên",
  "dhis2.mapping.target": "Mã chỉ tiêu",
  "dhis2.mapping.periods": "Loại kỳ",
} as const;
