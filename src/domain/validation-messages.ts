import type { z } from "zod";

/**
 * Plain Vietnamese messages for invalid input, written for officers who are not IT people
 * ("Cần ít nhất 3 ký tự", not "mong đợi string có >=3 ký tự"). Installed once with
 * `z.config({ customError: vietnameseErrorMap })`; a schema's own message always wins.
 */
const TYPE_NAMES: Record<string, string> = {
  string: "chữ",
  number: "số",
  int: "số nguyên",
  bigint: "số nguyên",
  boolean: "đúng/sai",
  object: "đối tượng",
  array: "danh sách",
  date: "ngày",
};

export function vietnameseErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return "Bắt buộc nhập.";
      if (issue.input === null) return "Không được để trống.";
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return `Phải là ${expected}.`;
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return min <= 1 ? "Bắt buộc nhập." : `Cần ít nhất ${min} ký tự.`;
      if (issue.origin === "array") return `Cần ít nhất ${min} mục.`;
      return issue.inclusive ? `Phải lớn hơn hoặc bằng ${min}.` : `Phải lớn hơn ${min}.`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return `Tối đa ${max} ký tự.`;
      if (issue.origin === "array") return `Tối đa ${max} mục.`;
      return issue.inclusive ? `Phải nhỏ hơn hoặc bằng ${max}.` : `Phải nhỏ hơn ${max}.`;
    }
    case "invalid_format":
      if (issue.format === "regex") return "Sai định dạng.";
      if (issue.format === "email") return "Địa chỉ thư điện tử không hợp lệ.";
      if (issue.format === "date") return "Ngày phải có dạng YYYY-MM-DD.";
      return "Sai định dạng.";
    case "not_multiple_of":
      return `Phải là bội số của ${String(issue.divisor)}.`;
    case "unrecognized_keys":
      return `Trường không được phép: ${issue.keys.join(", ")}.`;
    case "invalid_value":
      return `Giá trị không hợp lệ; chọn một trong: ${issue.values.map(String).join(", ")}.`;
    case "invalid_union":
      return "Giá trị không hợp lệ.";
    default:
      return undefined;
  }
}
