import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ORG_UNIT_KINDS } from "./org-units.ts";
import { vietnameseErrorMap } from "./validation-messages.ts";

// Installed as the server installs it (src/server/app.ts); restored afterwards.
beforeAll(() => {
  z.config({ customError: vietnameseErrorMap });
});
afterAll(() => {
  z.config({ customError: undefined });
});

/** The messages of a failed parse, as "path: message" (path omitted at the root). */
function messages(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return result.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
}
const message = (schema: z.ZodType, input: unknown) => {
  const all = messages(schema, input);
  expect(all).toHaveLength(1);
  return all[0];
};

describe("missing and wrongly typed values", () => {
  it("asks for a missing value and refuses null", () => {
    expect(message(z.string(), undefined)).toBe("Bắt buộc nhập.");
    expect(message(z.number(), undefined)).toBe("Bắt buộc nhập.");
    expect(message(z.string(), null)).toBe("Không được để trống.");
    expect(message(z.array(z.string()), null)).toBe("Không được để trống.");
  });

  it.each<[string, z.ZodType, unknown, string]>([
    ["string", z.string(), 5, "Phải là chữ."],
    ["number", z.number(), "5", "Phải là số."],
    ["number (NaN)", z.number(), Number.NaN, "Phải là số."],
    ["number (Infinity)", z.number(), Number.POSITIVE_INFINITY, "Phải là số."],
    ["int", z.number().int(), 1.5, "Phải là số nguyên."],
    ["z.int()", z.int(), 2.25, "Phải là số nguyên."],
    ["bigint", z.bigint(), 1, "Phải là số nguyên."],
    ["boolean", z.boolean(), "có", "Phải là đúng/sai."],
    ["object", z.object({ name: z.string() }), [], "Phải là đối tượng."],
    ["array", z.array(z.string()), {}, "Phải là danh sách."],
    ["date", z.date(), "2025-07-01", "Phải là ngày."],
  ])("%s", (_label, schema, input, expected) => {
    expect(message(schema, input)).toBe(expected);
  });

  it("names the field of a nested object", () => {
    const schema = z.object({ parentId: z.number().int(), kind: z.string(), name: z.string() });
    expect(messages(schema, { parentId: "12", name: null })).toEqual([
      "parentId: Phải là số.",
      "kind: Bắt buộc nhập.",
      "name: Không được để trống.",
    ]);
  });
});

describe("sizes", () => {
  it("counts characters for strings", () => {
    expect(message(z.string().min(3), "ab")).toBe("Cần ít nhất 3 ký tự.");
    expect(message(z.string().max(5), "Xã Bình Yên")).toBe("Tối đa 5 ký tự.");
    expect(message(z.string().length(5), "abc")).toBe("Cần ít nhất 5 ký tự.");
  });

  it("says 'required' for an empty string where one character is the minimum", () => {
    expect(message(z.string().min(1), "")).toBe("Bắt buộc nhập.");
    expect(message(z.string().nonempty(), "")).toBe("Bắt buộc nhập.");
    expect(message(z.string().trim().min(1), "   ")).toBe("Bắt buộc nhập.");
  });

  it("counts items for arrays", () => {
    expect(message(z.array(z.number()).min(2), [1])).toBe("Cần ít nhất 2 mục.");
    expect(message(z.array(z.number()).min(1), [])).toBe("Cần ít nhất 1 mục.");
    expect(message(z.array(z.number()).max(1), [1, 2])).toBe("Tối đa 1 mục.");
  });

  it("distinguishes inclusive and exclusive bounds for numbers", () => {
    expect(message(z.number().min(5), 3)).toBe("Phải lớn hơn hoặc bằng 5.");
    expect(message(z.number().gt(5), 5)).toBe("Phải lớn hơn 5.");
    expect(message(z.number().positive(), 0)).toBe("Phải lớn hơn 0.");
    expect(message(z.number().nonnegative(), -1)).toBe("Phải lớn hơn hoặc bằng 0.");
    expect(message(z.number().max(10), 11)).toBe("Phải nhỏ hơn hoặc bằng 10.");
    expect(message(z.number().lt(10), 10)).toBe("Phải nhỏ hơn 10.");
    expect(message(z.number().negative(), 0)).toBe("Phải nhỏ hơn 0.");
    expect(message(z.bigint().min(5n), 1n)).toBe("Phải lớn hơn hoặc bằng 5.");
  });

  it("reports the minimum of any string length", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 60 })
          .chain((min) => fc.tuple(fc.constant(min), fc.string({ maxLength: min - 1 }))),
        ([min, input]) => {
          expect(message(z.string().min(min), input)).toBe(`Cần ít nhất ${min} ký tự.`);
        },
      ),
    );
  });

  it("reports the maximum of any string length", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 60 })
          .chain((max) => fc.tuple(fc.constant(max), fc.string({ minLength: max + 1 }))),
        ([max, input]) => {
          expect(message(z.string().max(max), input)).toBe(`Tối đa ${max} ký tự.`);
        },
      ),
    );
  });

  it("reports any integer bound of a number", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        (bound, by) => {
          expect(message(z.number().min(bound), bound - by)).toBe(`Phải lớn hơn hoặc bằng ${bound}.`);
          expect(message(z.number().gt(bound), bound)).toBe(`Phải lớn hơn ${bound}.`);
          expect(message(z.number().max(bound), bound + by)).toBe(`Phải nhỏ hơn hoặc bằng ${bound}.`);
          expect(message(z.number().lt(bound), bound)).toBe(`Phải nhỏ hơn ${bound}.`);
        },
      ),
    );
  });
});

describe("formats and values", () => {
  it("explains a wrong format", () => {
    expect(message(z.string().regex(/^\d{5}$/u), "05587a")).toBe("Sai định dạng.");
    expect(message(z.email(), "canbo.a@")).toBe("Địa chỉ thư điện tử không hợp lệ.");
    expect(message(z.string().email(), "không phải thư")).toBe("Địa chỉ thư điện tử không hợp lệ.");
    expect(message(z.iso.date(), "09/09/2020")).toBe("Ngày phải có dạng YYYY-MM-DD.");
    expect(message(z.uuid(), "abc")).toBe("Sai định dạng.");
    expect(message(z.string().startsWith("/"), "1/2/")).toBe("Sai định dạng.");
  });

  it("explains a number that is not a multiple", () => {
    expect(message(z.number().multipleOf(1000), 1500)).toBe("Phải là bội số của 1000.");
  });

  it("lists the fields that are not allowed", () => {
    const schema = z.strictObject({ name: z.string() });
    expect(message(schema, { name: "Thôn Đồng Tâm", role: "admin", scope: 1 })).toBe(
      "Trường không được phép: role, scope.",
    );
  });

  it("lists the allowed values of an enum or literal", () => {
    expect(message(z.enum(["admin", "officer", "data_entry", "viewer"]), "root")).toBe(
      "Giá trị không hợp lệ; chọn một trong: admin, officer, data_entry, viewer.",
    );
    expect(message(z.literal(2025), 2024)).toBe("Giá trị không hợp lệ; chọn một trong: 2025.");
    expect(message(z.enum(ORG_UNIT_KINDS), "huyện")).toBe(
      `Giá trị không hợp lệ; chọn một trong: ${ORG_UNIT_KINDS.join(", ")}.`,
    );
  });

  it("rejects a value that matches no member of a union", () => {
    expect(message(z.union([z.string(), z.number()]), true)).toBe("Giá trị không hợp lệ.");
  });
});

describe("precedence", () => {
  it("lets a schema's own message win", () => {
    expect(message(z.string().min(3, "Tên đơn vị quá ngắn."), "a")).toBe("Tên đơn vị quá ngắn.");
    expect(message(z.string({ error: "Nhập tên đơn vị." }), undefined)).toBe("Nhập tên đơn vị.");
    expect(
      message(
        z.string().refine((s) => s !== "admin", "Tên này đã có."),
        "admin",
      ),
    ).toBe("Tên này đã có.");
  });

  it("leaves codes it does not know to zod (e.g. a refinement without a message)", () => {
    const custom = { code: "custom", input: "x", message: undefined } as unknown as z.core.$ZodRawIssue;
    expect(vietnameseErrorMap(custom)).toBeUndefined();
    expect(
      message(
        z.string().refine(() => false),
        "x",
      ),
    ).toBe("Invalid input");
  });

  it("works when passed to a single parse instead of installed globally", () => {
    z.config({ customError: undefined });
    try {
      const result = z.string().min(3).safeParse("ab", { error: vietnameseErrorMap });
      expect(result.success ? [] : result.error.issues.map((i) => i.message)).toEqual([
        "Cần ít nhất 3 ký tự.",
      ]);
      const english = z.string().min(3).safeParse("ab");
      expect(english.success ? "" : english.error.issues[0]?.message).not.toBe("Cần ít nhất 3 ký tự.");
    } finally {
      z.config({ customError: vietnameseErrorMap });
    }
  });
});

describe("any bad input to a realistic form", () => {
  const CreateUnit = z.strictObject({
    parentId: z.number().int().positive(),
    kind: z.enum(ORG_UNIT_KINDS),
    name: z.string().trim().min(2).max(200),
    code: z
      .string()
      .regex(/^\d{5}$/u)
      .nullable()
      .optional(),
    validFrom: z.iso.date().optional(),
    tags: z.array(z.string().max(20)).max(5).optional(),
    active: z.boolean().optional(),
  });
  const vietnamese = new RegExp(
    [
      "Bắt buộc nhập\\.",
      "Không được để trống\\.",
      "Phải là (chữ|số|số nguyên|đúng/sai|đối tượng|danh sách|ngày)\\.",
      "Cần ít nhất \\d+ (ký tự|mục)\\.",
      "Tối đa \\d+ (ký tự|mục)\\.",
      "Phải (lớn|nhỏ) hơn( hoặc bằng)? -?\\d+\\.",
      "Sai định dạng\\.",
      "Ngày phải có dạng YYYY-MM-DD\\.",
      "Trường không được phép: .+\\.",
      "Giá trị không hợp lệ(; chọn một trong: .+)?\\.",
    ]
      .map((p) => `(?:${p})`)
      .join("|"),
    "su",
  );

  it("always gets plain Vietnamese messages, never zod's English ones", () => {
    const field = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            parentId: field,
            kind: fc.oneof(field, fc.constantFrom(...ORG_UNIT_KINDS)),
            name: field,
            code: field,
            validFrom: field,
            tags: fc.oneof(field, fc.array(field)),
            active: field,
            extra: field,
          },
          { requiredKeys: [] },
        ),
        (input) => {
          const result = CreateUnit.safeParse(input);
          if (result.success) return;
          for (const issue of result.error.issues) {
            expect(issue.message).toMatch(new RegExp(`^(?:${vietnamese.source})$`, "su"));
          }
        },
      ),
    );
  });
});
