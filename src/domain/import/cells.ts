/**
 * Spreadsheet cells read the Vietnamese way: text clean-up, numbers with "." thousands and ","
 * decimals, dates day/month/year, yes/no columns, and the byte decoding of a CSV file.
 * Pure functions, no I/O. Error messages are plain Vietnamese, shown to the officer beside the
 * cell.
 */

import { foldForSearch } from "../text.ts";
import { decodeWindows1252, detectLegacyEncoding } from "./legacy-encodings.ts";

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Zero-width space, non-joiner, joiner and the BOM / zero-width no-break space. */
const ZERO_WIDTH = /[\u200b-\u200d\ufeff]/gu;

/**
 * NFC, trim, collapse runs of whitespace (spaces, NBSP, tabs, newlines and every other Unicode
 * space) to one space, drop zero-width characters (U+200B–U+200D, U+FEFF). Accepts any string.
 * The zero-width characters go first, and NFC comes last: a mark that a zero-width character kept
 * from its letter ("e\u200b\u0301") is composed with it ("é").
 */
export function cleanText(text: string): string {
  return text.replace(ZERO_WIDTH, "").replace(/\s+/gu, " ").trim().normalize("NFC");
}

/** The cell as text, for the messages ("…: “abc”."). */
function shown(value: unknown): string {
  return typeof value === "string" ? cleanText(value) : String(value);
}

/** Digits grouped by "." in threes, a first group of 1–3 digits not starting with 0 (unless "0"). */
const DOT_GROUPED = /^(?:[1-9]\d{0,2})(?:\.\d{3})+$/u;
const SPACE_GROUPED = /^(?:[1-9]\d{0,2})(?: \d{3})+$/u;

/**
 * A number as Vietnamese write it. Accepts a JS number (returned as is; NaN and ±Infinity are
 * errors), null, undefined or a blank string (→ null), or a string:
 * - an optional sign "-" or "+", then
 * - an integer part: plain digits ("12", "1234567"), or grouped by "." ("1.234.567") or by spaces
 *   ("1 234 567", NBSP too) in well-placed groups of three;
 * - an optional decimal part after "," ("99,48", "1.234,5").
 * A dot with no comma is ambiguous: a single dot followed by exactly 3 digits after a group of
 * 1–3 digits is a thousands separator ("1.500" = 1500, "12.345" = 12345), any other single dot is a
 * decimal point ("1.5", "99.48", "0.500", "1234.567"). Anything else ("1,2,3", "1.23.4", "12a",
 * "1.234.5") is an error with a Vietnamese message.
 */
export function parseVietnameseNumber(
  value: unknown,
): { ok: true; value: number | null } | { ok: false; message: string } {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { ok: false, message: "Số không hợp lệ." };
    return { ok: true, value };
  }
  if (typeof value !== "string") return { ok: false, message: `Không phải là số: “${shown(value)}”.` };
  const text = cleanText(value);
  if (text === "") return { ok: true, value: null };
  const junk = { ok: false as const, message: `Không phải là số: “${text}”.` };
  const match = /^([-+]?)(.+)$/u.exec(text);
  if (!match) return junk;
  const sign = match[1] === "-" ? -1 : 1;
  const body = match[2] as string;
  let intPart: string;
  let fracPart = "";
  const comma = body.split(",");
  if (comma.length > 2) return junk;
  if (comma.length === 2) {
    const [int = "", frac = ""] = comma;
    if (!/^\d+$/u.test(frac)) return junk;
    fracPart = frac;
    intPart = int;
    if (/^\d+$/u.test(int)) {
      // plain integer part
    } else if (DOT_GROUPED.test(int) || SPACE_GROUPED.test(int)) {
      intPart = int.replace(/[. ]/gu, "");
    } else {
      return junk;
    }
  } else if (/^\d+$/u.test(body)) {
    intPart = body;
  } else if (DOT_GROUPED.test(body) || SPACE_GROUPED.test(body)) {
    intPart = body.replace(/[. ]/gu, "");
  } else if (/^\d+\.\d+$/u.test(body)) {
    // A single dot that is not a well-placed thousands separator: a decimal point.
    const [int = "", frac = ""] = body.split(".");
    intPart = int;
    fracPart = frac;
  } else {
    return junk;
  }
  const n = Number(fracPart ? `${intPart}.${fracPart}` : intPart);
  if (!Number.isFinite(n)) return junk;
  return { ok: true, value: sign * n || 0 };
}

const DATE_FORMAT_MESSAGE = "Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/09/2024.";

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Excel's last serial date, 9999-12-31. */
const EXCEL_MAX_SERIAL = 2_958_465;

/**
 * Excel serial date (1900 date system) → ISO date. Serial 1 is 1900-01-01; Excel counts a
 * 29 February 1900 that never was (serial 60, kept from Lotus 1-2-3), so serials from 61 on are
 * one day ahead of a plain count. A fractional part (the time of day) is dropped.
 */
function excelSerialDate(serial: number): Parsed<string> {
  const day = Math.floor(serial);
  if (!Number.isFinite(serial) || day < 1 || day > EXCEL_MAX_SERIAL) {
    return { ok: false, message: `Ngày không hợp lệ: ${serial}.` };
  }
  if (day === 60) return { ok: false, message: "Ngày không hợp lệ: 29/02/1900." };
  // 1899-12-31 + day for serials before the phantom day, 1899-12-30 + day after it.
  const epoch = Date.UTC(1899, 11, day < 60 ? 31 : 30);
  const date = new Date(epoch + day * 86_400_000);
  return { ok: true, value: iso(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()) };
}

/**
 * A date cell → "YYYY-MM-DD". Accepts:
 * - null, undefined or a blank string → null;
 * - a JS Date: its UTC calendar date (ExcelJS gives dates as UTC midnight);
 * - a number: an Excel serial date in the 1900 date system (serial 60, Excel's 29/02/1900, is
 *   refused as the date that does not exist);
 * - a string "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy" (one separator throughout) or
 *   ISO "yyyy-mm-dd"; years 1000–9999.
 * The date must exist ("Ngày không hợp lệ: 31/02/2024."); any other form gets
 * "Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/09/2024."
 */
export function parseCellDate(
  value: unknown,
): { ok: true; value: string | null } | { ok: false; message: string } {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false, message: DATE_FORMAT_MESSAGE };
    const y = value.getUTCFullYear();
    if (y < 1000 || y > 9999) return { ok: false, message: DATE_FORMAT_MESSAGE };
    return { ok: true, value: iso(y, value.getUTCMonth() + 1, value.getUTCDate()) };
  }
  if (typeof value === "number") return excelSerialDate(value);
  if (typeof value !== "string") return { ok: false, message: DATE_FORMAT_MESSAGE };
  const text = cleanText(value);
  if (text === "") return { ok: true, value: null };
  let y: number;
  let m: number;
  let d: number;
  const dmy = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/u.exec(text);
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/u.exec(text);
  if (dmy) {
    d = Number(dmy[1]);
    m = Number(dmy[3]);
    y = Number(dmy[4]);
  } else if (ymd) {
    y = Number(ymd[1]);
    m = Number(ymd[2]);
    d = Number(ymd[3]);
  } else {
    return { ok: false, message: DATE_FORMAT_MESSAGE };
  }
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    return { ok: false, message: `Ngày không hợp lệ: ${text}.` };
  }
  return { ok: true, value: iso(y, m, d) };
}

/** Yes/no answers, folded (lowercase, no diacritics, đ → d). */
const YES = new Set(["x", "co", "c", "1", "true", "dung", "yes"]);
const NO = new Set(["", "khong", "k", "ko", "0", "false", "sai", "no"]);
const YES_NO_MESSAGE = "Chỉ nhận “có” (hoặc x) hoặc “không” (hoặc để trống).";

/**
 * A yes/no cell. Accepts a boolean; the numbers 1 and 0; null, undefined or blank (→ false); or
 * text compared after folding case and diacritics: "x", "có", "c", "1", "true", "đúng", "yes" →
 * true; "không", "k", "ko", "0", "false", "sai", "no" → false. Anything else is an error.
 */
export function parseYesNo(value: unknown): { ok: true; value: boolean } | { ok: false; message: string } {
  if (value === null || value === undefined) return { ok: true, value: false };
  if (typeof value === "boolean") return { ok: true, value };
  if (typeof value === "number") {
    if (value === 1) return { ok: true, value: true };
    if (value === 0) return { ok: true, value: false };
    return { ok: false, message: YES_NO_MESSAGE };
  }
  if (typeof value !== "string") return { ok: false, message: YES_NO_MESSAGE };
  const folded = foldForSearch(cleanText(value));
  if (YES.has(folded)) return { ok: true, value: true };
  if (NO.has(folded)) return { ok: true, value: false };
  return { ok: false, message: YES_NO_MESSAGE };
}

/**
 * Windows-1258 (Unicode's MICSFT/WINDOWS/CP1258.TXT, the WHATWG table): Windows-1252 but for these
 * bytes — Ă Đ Ơ Ư ă đ ơ ư ₫, the five tones as combining marks, and four bytes left undefined.
 * Our own table, so that decoding does not depend on the ICU data of the Node build (a small-icu
 * build's TextDecoder has no windows-1258); the tests check it against TextDecoder.
 */
const WINDOWS_1258_OVERRIDES: ReadonlyMap<number, string> = new Map([
  [0x8a, "\u008a"],
  [0x8e, "\u008e"],
  [0x9a, "\u009a"],
  [0x9e, "\u009e"],
  [0xc3, "\u0102"], // Ă
  [0xcc, "\u0300"], // huyền
  [0xd0, "\u0110"], // Đ
  [0xd2, "\u0309"], // hỏi
  [0xd5, "\u01a0"], // Ơ
  [0xdd, "\u01af"], // Ư
  [0xde, "\u0303"], // ngã
  [0xe3, "\u0103"], // ă
  [0xec, "\u0301"], // sắc
  [0xf0, "\u0111"], // đ
  [0xf2, "\u0323"], // nặng
  [0xf5, "\u01a1"], // ơ
  [0xfd, "\u01b0"], // ư
  [0xfe, "\u20ab"], // ₫
]);

/** Bytes read as Windows-1258, not normalised (the tones stay combining marks). */
export function decodeWindows1258(bytes: Uint8Array): string {
  return decodeWindows1252(bytes, WINDOWS_1258_OVERRIDES);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * The text of a CSV file from its bytes, and the encoding it was read in:
 * - UTF-8 BOM → "utf-8"; UTF-16 LE / BE BOM → "utf-16le" / "utf-16be" (the BOM is dropped);
 * - bytes that are valid UTF-8 (pure ASCII included) → "utf-8";
 * - otherwise the file is an 8-bit one. Read as Windows-1252, the text is checked for TCVN3 or VNI
 *   (`detectLegacyEncoding`, over the whole text); if found, that text is returned with encoding
 *   "windows-1252" and the cells are converted later (`convertLegacyCell`). Otherwise — and also
 *   when the Windows-1258 reading is Vietnamese at least as good as the legacy one, since a few
 *   short words read alike (TCVN3 "maÞ" = "mại", cp1258 "maÞ" = "mã"; Excel on a Vietnamese
 *   Windows saves CSV in Windows-1258) — the Windows-1258 reading, NFC-normalised (Windows-1258
 *   writes tones as combining marks), with encoding "windows-1258".
 */
export function decodeCsvBytes(bytes: Uint8Array): {
  text: string;
  encoding: "utf-8" | "utf-16le" | "utf-16be" | "windows-1258" | "windows-1252";
} {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    return {
      text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(3)),
      encoding: "utf-8",
    };
  }
  if (startsWith(bytes, [0xff, 0xfe])) {
    return {
      text: new TextDecoder("utf-16le", { ignoreBOM: true }).decode(bytes.subarray(2)),
      encoding: "utf-16le",
    };
  }
  if (startsWith(bytes, [0xfe, 0xff])) {
    return {
      text: new TextDecoder("utf-16be", { ignoreBOM: true }).decode(bytes.subarray(2)),
      encoding: "utf-16be",
    };
  }
  try {
    return {
      text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes),
      encoding: "utf-8",
    };
  } catch {
    // Not UTF-8: an 8-bit file.
  }
  const western = decodeWindows1252(bytes);
  const vietnamese = decodeWindows1258(bytes).normalize("NFC");
  if (detectLegacyEncoding(western, { rival: vietnamese }) !== null) {
    return { text: western, encoding: "windows-1252" };
  }
  return { text: vietnamese, encoding: "windows-1258" };
}
