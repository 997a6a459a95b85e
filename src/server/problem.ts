/**
 * Errors as RFC 9457 problem details (application/problem+json): a stable machine `code`, a
 * Vietnamese `title` and `detail`, and for invalid input a field-level `errors` list.
 */
export interface FieldError {
  /** Dotted path of the field, e.g. "scopes.0" or "body" for the whole body. */
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
  }

  toProblem(requestId?: string): Problem {
    return {
      type: `urn:xhht:problem:${this.code}`,
      status: this.status,
      code: this.code,
      title: this.title,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...(requestId ? { requestId } : {}),
    };
  }
}

export const problems = {
  validation: (errors: FieldError[], detail = "Vui lòng kiểm tra lại các trường được đánh dấu.") =>
    new AppError(400, "validation_failed", "Dữ liệu không hợp lệ", detail, errors),
  badRequest: (code: string, detail: string) => new AppError(400, code, "Yêu cầu không hợp lệ", detail),
  unauthenticated: (detail = "Vui lòng đăng nhập để tiếp tục.") =>
    new AppError(401, "unauthenticated", "Chưa đăng nhập", detail),
  forbidden: (detail = "Bạn không có quyền thực hiện thao tác này.") =>
    new AppError(403, "forbidden", "Không có quyền", detail),
  outOfScope: () =>
    new AppError(
      403,
      "out_of_scope",
      "Ngoài phạm vi quản lý",
      "Đơn vị này nằm ngoài phạm vi được phân công cho bạn.",
    ),
  csrf: () =>
    new AppError(
      403,
      "csrf_failed",
      "Phiên làm việc không hợp lệ",
      "Yêu cầu thiếu mã chống giả mạo (CSRF). Hãy tải lại trang rồi thử lại.",
    ),
  notFound: (what: string) => new AppError(404, "not_found", "Không tìm thấy", `Không tìm thấy ${what}.`),
  conflict: (code: string, detail: string) =>
    new AppError(409, code, "Dữ liệu bị trùng hoặc xung đột", detail),
  locked: (detail: string) => new AppError(423, "account_locked", "Tài khoản tạm khóa", detail),
  tooMany: (detail = "Bạn thao tác quá nhiều lần. Vui lòng đợi một lát rồi thử lại.") =>
    new AppError(429, "rate_limited", "Quá nhiều yêu cầu", detail),
};
