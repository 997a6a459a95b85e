import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { todayInVietnam } from "./dates.ts";
import {
  formatDateLong,
  formatDateShort,
  formatDateTime,
  formatDecimal,
  formatInteger,
  formatMoney,
  formatPercent,
} from "./format.ts";

/** Undo vi-VN formatting: "1.234,5" → 1234.5. */
const parseVi = (s: string) => Number(s.replaceAll(".", "").replace(",", "."));
const GROUPED_INTEGER = /^-?\d{1,3}(\.\d{3})*$/u;
/** Calendar dates that both the ISO string and the dd/mm/yyyy forms write with four-digit years. */
const calendarDate = fc.date({
  min: new Date("1000-01-01T00:00:00Z"),
  max: new Date("9000-12-31T23:59:59Z"),
  noInvalidDate: true,
});

describe("formatInteger", () => {
  it.each([
    [0, "0"],
    [7, "7"],
    [999, "999"],
    [1000, "1.000"],
    [12345, "12.345"],
    [100000, "100.000"],
    [1234567, "1.234.567"],
    [2364000000, "2.364.000.000"],
    [-1234567, "-1.234.567"],
    [-999, "-999"],
    [Number.MAX_SAFE_INTEGER, "9.007.199.254.740.991"],
  ])("%d → %s", (value, expected) => {
    expect(formatInteger(value)).toBe(expected);
  });

  it("accepts bigint beyond the safe integer range", () => {
    expect(formatInteger(12345678901234567890n)).toBe("12.345.678.901.234.567.890");
    expect(formatInteger(-1000n)).toBe("-1.000");
    expect(formatInteger(0n)).toBe("0");
  });

  it("truncates fractions toward zero and writes -0 as 0", () => {
    expect(formatInteger(1.9)).toBe("1");
    expect(formatInteger(-1.9)).toBe("-1");
    expect(formatInteger(1999.99)).toBe("1.999");
    expect(formatInteger(-0)).toBe("0");
    expect(formatInteger(-0.5)).toBe("0");
  });

  it("groups digits by three with dots and keeps the value", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (n) => {
        const out = formatInteger(n);
        expect(out).toMatch(GROUPED_INTEGER);
        expect(out.replaceAll(".", "")).toBe(n.toString());
      }),
    );
  });

  it("formats a safe integer number exactly as the same bigint", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(formatInteger(n)).toBe(formatInteger(BigInt(n)));
      }),
    );
  });
});

describe("formatMoney", () => {
  it("writes integer đồng with dot grouping", () => {
    expect(formatMoney(2364000000)).toBe("2.364.000.000 đồng");
    expect(formatMoney(15000n)).toBe("15.000 đồng");
    expect(formatMoney(0)).toBe("0 đồng");
    expect(formatMoney(-500000)).toBe("-500.000 đồng");
  });

  it("is formatInteger followed by ' đồng'", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (n) => {
        expect(formatMoney(n)).toBe(`${formatInteger(n)} đồng`);
      }),
    );
  });
});

describe("formatDecimal", () => {
  it("uses a comma as decimal mark and dots for grouping, two decimals by default", () => {
    expect(formatDecimal(1234.5)).toBe("1.234,50");
    expect(formatDecimal(1234.5, 1)).toBe("1.234,5");
    expect(formatDecimal(1234.567)).toBe("1.234,57");
    expect(formatDecimal(-1234.567)).toBe("-1.234,57");
    expect(formatDecimal(99.48)).toBe("99,48");
    expect(formatDecimal(0)).toBe("0,00");
    expect(formatDecimal(0.125, 3)).toBe("0,125");
    expect(formatDecimal(1234567.891, 0)).toBe("1.234.568");
    expect(formatDecimal(99.995)).toBe("100,00");
  });

  it("does not write a minus sign for a value that rounds to zero", () => {
    expect(formatDecimal(-0.004)).toBe("0,00");
    expect(formatDecimal(-0)).toBe("0,00");
    expect(formatDecimal(-0.4, 0)).toBe("0");
    expect(formatDecimal(-0.006)).toBe("-0,01");
  });

  it("writes a dash for values that are not finite", () => {
    expect(formatDecimal(Number.NaN)).toBe("—");
    expect(formatDecimal(Number.POSITIVE_INFINITY)).toBe("—");
    expect(formatDecimal(Number.NEGATIVE_INFINITY, 0)).toBe("—");
  });

  it("with no decimals, formats integers exactly as formatInteger", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 48), max: 2 ** 48 }), (n) => {
        expect(formatDecimal(n, 0)).toBe(formatInteger(n));
      }),
    );
  });

  it("reads back as the value rounded to the requested decimals", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e12, max: 1e12, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        (value, digits) => {
          const out = formatDecimal(value, digits);
          const pattern =
            digits === 0 ? GROUPED_INTEGER : new RegExp(`^-?\\d{1,3}(\\.\\d{3})*,\\d{${digits}}$`, "u");
          expect(out).toMatch(pattern);
          expect(parseVi(out)).toBe(Number(value.toFixed(digits)) + 0);
          expect(out.startsWith("-")).toBe(parseVi(out) < 0);
        },
      ),
    );
  });
});

describe("formatPercent", () => {
  it("formats a ratio as a percentage with a decimal comma", () => {
    expect(formatPercent(9948, 10000)).toBe("99,48%");
    expect(formatPercent(1, 3)).toBe("33,33%");
    expect(formatPercent(2, 3)).toBe("66,67%");
    expect(formatPercent(1, 3, 0)).toBe("33%");
    expect(formatPercent(1, 8, 1)).toBe("12,5%");
    expect(formatPercent(0, 5)).toBe("0,00%");
    expect(formatPercent(5, 5)).toBe("100,00%");
    expect(formatPercent(123456, 100)).toBe("123.456,00%");
    expect(formatPercent(-1, 4)).toBe("-25,00%");
  });

  it("writes a dash, not 0%, when the denominator is zero", () => {
    expect(formatPercent(0, 0)).toBe("—");
    expect(formatPercent(5, 0)).toBe("—");
    expect(formatPercent(5, -0)).toBe("—");
  });

  it("writes a dash, never '—%', when the ratio is not a finite number", () => {
    expect(formatPercent(Number.NaN, 5)).toBe("—");
    expect(formatPercent(5, Number.NaN)).toBe("—");
    expect(formatPercent(Number.POSITIVE_INFINITY, 5)).toBe("—");
    expect(formatPercent(Number.MAX_VALUE, 0.5)).toBe("—");
  });

  it("is formatDecimal of the ratio times 100, followed by %", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 4 }),
        (num, den, digits) => {
          const out = formatPercent(num, den, digits);
          expect(out).toBe(`${formatDecimal((num / den) * 100, digits)}%`);
          expect(out.endsWith("%")).toBe(true);
        },
      ),
    );
  });
});

describe("formatDateLong", () => {
  it.each([
    ["2020-09-09", "ngày 09 tháng 9 năm 2020"],
    ["2024-02-01", "ngày 01 tháng 02 năm 2024"],
    ["2024-01-15", "ngày 15 tháng 01 năm 2024"],
    ["2025-06-30", "ngày 30 tháng 6 năm 2025"],
    ["2025-07-01", "ngày 01 tháng 7 năm 2025"],
    ["2025-10-20", "ngày 20 tháng 10 năm 2025"],
    ["2025-12-31", "ngày 31 tháng 12 năm 2025"],
  ])("%s → %s", (iso, expected) => {
    expect(formatDateLong(iso)).toBe(expected);
  });

  it("reads a Date by its UTC calendar day and an ISO timestamp by its date part", () => {
    expect(formatDateLong(new Date(Date.UTC(2025, 2, 3)))).toBe("ngày 03 tháng 3 năm 2025");
    expect(formatDateLong("2024-05-01T23:00:00Z")).toBe("ngày 01 tháng 5 năm 2024");
  });

  it("pads the day always and the month only for January and February", () => {
    fc.assert(
      fc.property(calendarDate, (date) => {
        const iso = date.toISOString().slice(0, 10);
        const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
        const match = /^ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})$/u.exec(formatDateLong(iso));
        expect(match).not.toBeNull();
        const [, day = "", month = "", year = ""] = match ?? [];
        expect([Number(day), Number(month), Number(year)]).toEqual([d, m, y]);
        expect(month.length).toBe(m <= 2 || m >= 10 ? 2 : 1);
        expect(formatDateLong(date)).toBe(formatDateLong(iso));
      }),
    );
  });

  it("rejects text that is not an ISO date", () => {
    expect(() => formatDateLong("09/09/2020")).toThrow(RangeError);
    expect(() => formatDateLong("09/09/2020")).toThrow("Ngày không hợp lệ: 09/09/2020");
  });
});

describe("formatDateShort", () => {
  it("writes dd/mm/yyyy", () => {
    expect(formatDateShort("2020-09-09")).toBe("09/09/2020");
    expect(formatDateShort("2025-07-01")).toBe("01/07/2025");
    expect(formatDateShort("2025-12-31")).toBe("31/12/2025");
    expect(formatDateShort(new Date(Date.UTC(2024, 1, 29)))).toBe("29/02/2024");
  });

  it("rejects text that is not an ISO date", () => {
    for (const bad of ["", "2020-9-9", "09/09/2020", "hôm nay"]) {
      expect(() => formatDateShort(bad)).toThrow(RangeError);
    }
  });

  it("reverses the ISO parts, from a string or a Date alike", () => {
    fc.assert(
      fc.property(calendarDate, (date) => {
        const iso = date.toISOString().slice(0, 10);
        const out = formatDateShort(iso);
        expect(out).toBe(iso.split("-").reverse().join("/"));
        expect(formatDateShort(date)).toBe(out);
      }),
    );
  });
});

describe("formatDateTime", () => {
  it("writes dd/mm/yyyy HH:mm in Vietnam time (UTC+7)", () => {
    expect(formatDateTime("2024-05-01T17:30:00Z")).toBe("02/05/2024 00:30");
    expect(formatDateTime("2024-12-31T16:59:00.000Z")).toBe("31/12/2024 23:59");
    expect(formatDateTime("2024-12-31T17:00:00Z")).toBe("01/01/2025 00:00");
    expect(formatDateTime("2024-05-01T10:00:00+07:00")).toBe("01/05/2024 10:00");
    expect(formatDateTime(new Date(Date.UTC(2020, 8, 9, 2, 5)))).toBe("09/09/2020 09:05");
  });

  it("shows the Vietnam calendar day and the time seven hours ahead of UTC", () => {
    fc.assert(
      fc.property(calendarDate, (at) => {
        const out = formatDateTime(at);
        expect(out).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/u);
        expect(out.slice(0, 10)).toBe(formatDateShort(todayInVietnam(at)));
        const hours = (at.getUTCHours() + 7) % 24;
        expect(out.slice(11)).toBe(
          `${String(hours).padStart(2, "0")}:${String(at.getUTCMinutes()).padStart(2, "0")}`,
        );
        expect(formatDateTime(at.toISOString())).toBe(out);
      }),
    );
  });
});
