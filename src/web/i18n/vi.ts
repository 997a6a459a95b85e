import { KIND_LABELS_VI } from "../../domain/org-units.ts";
import { associationVi } from "./association.vi.ts";
import { centresVi } from "./centres.vi.ts";
import { citizensVi } from "./citizens.vi.ts";
import { commendationsVi } from "./commendations.vi.ts";
import { commonVi } from "./common.vi.ts";
import { dashboardVi } from "./dashboard.vi.ts";
import { dhis2Vi } from "./dhis2.vi.ts";
import { evaluationsVi } from "./evaluations.vi.ts";
import { eventsVi } from "./events.vi.ts";
import { frameworksVi } from "./frameworks.vi.ts";
import { fundVi } from "./fund.vi.ts";
import { importsVi } from "./imports.vi.ts";
import { inspectionsVi } from "./inspections.vi.ts";
import { literacyVi } from "./literacy.vi.ts";
import { registryVi } from "./registry.vi.ts";
import { reportsVi } from "./reports.vi.ts";

/**
 * The Vietnamese text of the web app: the source language. Every other language must give
 * every key (see en.ts). "{name}" marks a value filled in at run time.
 */
export const vi = {
  "app.name": "XHHT",
  "app.title": "Xã hội học tập",
  "app.skipToContent": "Bỏ qua, đến nội dung chính",
  "app.loading": "Đang tải…",
  "app.retry": "Thử lại",
  "app.notFound.title": "Không tìm thấy trang",
  "app.notFound.body": "Đường dẫn này không tồn tại. Hãy chọn một mục trong menu.",

  "nav.orgUnits": "Đơn vị",
  "nav.users": "Người dùng",
  "nav.audit": "Nhật ký",
  "nav.account": "Tài khoản",
  "nav.logout": "Đăng xuất",
  "nav.openMenu": "Mở menu",
  "nav.closeMenu": "Đóng menu",
  "nav.main": "Điều hướng chính",

  "login.title": "Đăng nhập",
  "login.intro": "Hệ thống quản lý và báo cáo xây dựng xã hội học tập.",
  "login.username": "Tên đăng nhập",
  "login.password": "Mật khẩu",
  "login.submit": "Đăng nhập",
  "login.submitting": "Đang đăng nhập…",
  "login.forgot": "Quên mật khẩu? Hãy liên hệ quản trị viên của đơn vị cấp trên để được đặt lại.",

  "account.title": "Tài khoản",
  "account.mustChange": "Bạn cần đổi mật khẩu trước khi tiếp tục.",
  "account.profile": "Thông tin của bạn",
  "account.role": "Vai trò",
  "account.scopes": "Đơn vị phụ trách",
  "account.changePassword": "Đổi mật khẩu",
  "account.currentPassword": "Mật khẩu hiện tại",
  "account.newPassword": "Mật khẩu mới",
  "account.confirmPassword": "Nhập lại mật khẩu mới",
  "account.passwordHint": "Ít nhất 8 ký tự. Nên dùng một câu dễ nhớ.",
  "account.passwordMismatch": "Hai lần nhập mật khẩu mới không khớp.",
  "account.passwordChanged": "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã được đăng xuất.",
  "account.language": "Ngôn ngữ",
  "account.tokens": "Mã truy cập API",
  "account.tokensIntro":
    "Dùng cho phần mềm hoặc script gửi dữ liệu thay bạn (tiêu đề Authorization: Bearer …). Mã có quyền như tài khoản của bạn.",
  "account.tokenName": "Tên mã truy cập",
  "account.createToken": "Tạo mã truy cập",
  "account.tokenCreated": "Đã tạo mã “{name}”. Hãy sao chép ngay: mã chỉ hiện một lần.",
  "account.tokenRevoke": "Thu hồi",
  "account.tokenRevoked": "Đã thu hồi mã “{name}”.",
  "account.tokenLastUsed": "Dùng lần cuối",
  "account.tokenNeverUsed": "Chưa dùng",
  "account.noTokens": "Chưa có mã truy cập nào.",

  "orgUnits.title": "Đơn vị",
  "orgUnits.yourUnits": "Đơn vị bạn phụ trách",
  "orgUnits.search": "Tìm đơn vị",
  "orgUnits.searchHint": "Gõ tên, có dấu hoặc không dấu (ví dụ: thanh dinh), hoặc mã đơn vị.",
  "orgUnits.searchResults": "Kết quả tìm kiếm",
  "orgUnits.noResults": "Không có đơn vị nào khớp với “{q}” trong phạm vi của bạn.",
  "orgUnits.historical": "Trước sáp nhập",
  "orgUnits.validUntil": "Tồn tại đến {date}",
  "orgUnits.code": "Mã",
  "orgUnits.kind": "Loại",
  "orgUnits.lineage": "Nguồn gốc",
  "orgUnits.formedFrom": "Hình thành từ",
  "orgUnits.mergedInto": "Đã sáp nhập vào",
  "orgUnits.shareFull": "(toàn bộ)",
  "orgUnits.sharePartial": "(một phần)",
  "orgUnits.children": "Đơn vị trực thuộc",
  "orgUnits.childrenCount": "{count} đơn vị",
  "orgUnits.noChildren": "Chưa có đơn vị trực thuộc.",
  "orgUnits.showHistorical": "Hiện cả đơn vị trước sáp nhập",
  "orgUnits.more": "Xem thêm",
  "orgUnits.add": "Thêm đơn vị trực thuộc",
  "orgUnits.addKind": "Loại đơn vị",
  "orgUnits.addName": "Tên đơn vị",
  "orgUnits.addCode": "Mã (không bắt buộc)",
  "orgUnits.addSubmit": "Thêm",
  "orgUnits.added": "Đã thêm {name}.",
  "orgUnits.rename": "Sửa tên",
  "orgUnits.newName": "Tên mới",
  "orgUnits.renameSubmit": "Lưu",
  "orgUnits.renamed": "Đã lưu.",
  "orgUnits.cancel": "Hủy",
  "orgUnits.tasks": "Công việc của đơn vị",
  "orgUnits.tasks.models": "Mô hình học tập",
  "orgUnits.tasks.association": "Công tác Hội Khuyến học",
  "orgUnits.tasks.education": "Giáo dục cộng đồng, xóa mù chữ",
  "orgUnits.breadcrumb": "Vị trí",

  "users.title": "Người dùng",
  "users.search": "Tìm người dùng",
  "users.add": "Thêm người dùng",
  "users.username": "Tên đăng nhập",
  "users.usernameHint": "Chữ không dấu, số, dấu chấm hoặc gạch dưới; ví dụ canbo.binhyen.",
  "users.fullName": "Họ và tên",
  "users.role": "Vai trò",
  "users.scopes": "Đơn vị phụ trách",
  "users.scopesHint": "Gõ tên xã, phường hoặc tỉnh rồi chọn trong danh sách.",
  "users.removeScope": "Bỏ {name}",
  "users.password": "Mật khẩu (để trống để tạo tự động)",
  "users.create": "Tạo người dùng",
  "users.created": "Đã tạo tài khoản {username}.",
  "users.temporaryPassword": "Mật khẩu tạm thời — đưa cho người dùng; họ sẽ phải đổi ở lần đăng nhập đầu:",
  "users.resetPassword": "Đặt lại mật khẩu",
  "users.passwordReset": "Đã đặt lại mật khẩu cho {username}.",
  "users.lock": "Khóa",
  "users.unlock": "Mở khóa",
  "users.locked": "Đã khóa {username}.",
  "users.unlocked": "Đã mở khóa {username}.",
  "users.statusActive": "Đang hoạt động",
  "users.statusInactive": "Đã khóa",
  "users.statusMustChange": "Chờ đổi mật khẩu",
  "users.none": "Không có người dùng nào.",
  "users.edit": "Sửa",
  "users.save": "Lưu",
  "users.saved": "Đã lưu thay đổi của {username}.",
  "users.scopesRequired": "Chọn ít nhất một đơn vị phụ trách.",
  "users.cancel": "Hủy",
  "users.total": "{count} người dùng",

  "audit.title": "Nhật ký thao tác",
  "audit.intro": "Mọi thao tác ghi dữ liệu trong phạm vi của bạn: ai, lúc nào, thay đổi gì.",
  "audit.filterUser": "Người thực hiện",
  "audit.filterAction": "Thao tác",
  "audit.filterFrom": "Từ ngày",
  "audit.filterTo": "Đến ngày",
  "audit.filterAll": "Tất cả",
  "audit.apply": "Lọc",
  "audit.at": "Thời gian",
  "audit.user": "Người thực hiện",
  "audit.action": "Thao tác",
  "audit.unit": "Đơn vị",
  "audit.details": "Chi tiết",
  "audit.none": "Không có thao tác nào.",
  "audit.before": "Trước",
  "audit.after": "Sau",

  "backup.title": "Sao lưu dữ liệu",
  "backup.intro":
    "Một bản sao toàn bộ dữ liệu tại thời điểm tải (tệp .ndjson.gz, có tổng kiểm từng bảng), khôi phục bằng lệnh xhht restore. Tệp chứa cả mật khẩu đã mã hóa: hãy cất giữ cẩn thận như chính CSDL. Mỗi lần tải được ghi vào nhật ký.",
  "backup.download": "Tải bản sao lưu",

  "picker.showTree": "Chọn theo danh sách đơn vị",
  "picker.hideTree": "Ẩn danh sách đơn vị",
  "picker.expand": "Mở {name}",
  "picker.collapse": "Thu gọn {name}",

  "pager.previous": "Trang trước",
  "pager.next": "Trang sau",
  "pager.status": "Trang {page}/{pages} · {total} mục",

  "role.admin": "Quản trị viên",
  "role.officer": "Cán bộ",
  "role.data_entry": "Nhập liệu",
  "role.viewer": "Chỉ xem",

  "action.auth.login": "Đăng nhập",
  "action.auth.login_failed": "Đăng nhập sai mật khẩu",
  "action.auth.locked": "Tạm khóa do đăng nhập sai nhiều lần",
  "action.auth.password_changed": "Đổi mật khẩu",
  "action.auth.token_created": "Tạo mã truy cập",
  "action.auth.token_revoked": "Thu hồi mã truy cập",
  "action.org_unit.created": "Thêm đơn vị",
  "action.org_unit.updated": "Sửa đơn vị",
  "action.org_unit.imported": "Nạp danh mục đơn vị",
  "action.user.created": "Tạo người dùng",
  "action.user.updated": "Sửa người dùng",
  "action.user.password_reset": "Đặt lại mật khẩu",
  "action.system.backup": "Tải bản sao lưu dữ liệu",

  "error.title": "Có lỗi xảy ra",
  "error.fixFields": "Vui lòng sửa các trường được đánh dấu.",
  "error.required": "Bắt buộc nhập.",

  ...prefixKeys("kind.", KIND_LABELS_VI),
  ...registryVi,
  ...evaluationsVi,
  ...frameworksVi,
  ...dashboardVi,
  ...citizensVi,
  ...fundVi,
  ...commonVi,
  ...centresVi,
  ...eventsVi,
  ...inspectionsVi,
  ...commendationsVi,
  ...associationVi,
  ...literacyVi,
  ...reportsVi,
  ...importsVi,
  ...dhis2Vi,
} as const;

function prefixKeys<P extends string, K extends string>(prefix: P, labels: Record<K, string>) {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [`${prefix}${k}`, v])) as {
    [Key in K as `${P}${Key}`]: string;
  };
}

export type MessageKey = keyof typeof vi;
export type Messages = Record<MessageKey, string>;
