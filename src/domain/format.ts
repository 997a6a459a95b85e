/**
 * vi-VN formatting used by the API, the documents and the UI alike:
 * 2.364.000.000 · 99,48% · ngày 09 tháng 9 năm 2020 · 2.364.000.000 đồng.
 * Pure functions; no Intl locale data is assumed (Node and browsers built with small ICU differ).
 */

/** Group an integer's digits by "." (2364000000 → "2.364.000.000"). Accepts number or bigint. */
export function formatInteger(value: number | bigint): string {
  const n = typeof value === "bigint" ? value : BigInt(Math.trunc(value));
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return negative ? `-${grouped}` : grouped;
}

/** A decimal with "," as the decimal mark and "." grouping (1234.5 → "1.234,5"). */
export function formatDecimal(value: number, fractionDigits = 2): string {
  if (!Number.isFinite(value)) return "—";
  const fixed = Math.abs(value).toFixed(fractionDigits);
  const [intPart = "0", frac] = fixed.split(".");
  const sign = value < 0 && Number(fixed) !== 0 ? "-" : "";
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return frac ? `${sign}${grouped},${frac}` : `${sign}${grouped}`;
}

/**
 * A percentage of a ratio's numerator/denominator: (9948, 10000) → "99,48%".
 * Returns "—" when the denominator is 0 (a rate of nothing is not 0%) or the ratio is not finite.
 */
export function formatPercent(numerator: number, denominator: number, fractionDigits = 2): string {
  const percent = (numerator / denominator) * 100;
  if (denominator === 0 || !Number.isFinite(percent)) return "—";
  return `${formatDecimal(percent, fractionDigits)}%`;
}

/** Money in integer đồng: 2364000000 → "2.364.000.000 đồng". */
export function formatMoney(dong: number | bigint): string {
  return `${formatInteger(dong)} đồng`;
}

function parseIsoDate(date: string | Date): { y: number; m: number; d: number } {
  if (date instanceof Date) {
    return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!match) throw new RangeError(`Ngày không hợp lệ: ${date}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/**
 * The long form used in official documents (Nghị định 30/2020/NĐ-CP): the day is written with
 * two digits, months 1 and 2 with a leading zero ("ngày 09 tháng 9 năm 2020", "ngày 01 tháng 02
 * năm 2024"), other months without.
 */
export function formatDateLong(date: string | Date): string {
  const { y, m, d } = parseIsoDate(date);
  const day = String(d).padStart(2, "0");
  const month = m <= 2 ? String(m).padStart(2, "0") : String(m);
  return `ngày ${day} tháng ${month} năm ${y}`;
}

/** dd/mm/yyyy, the form Vietnamese users type and read in tables. */
export function formatDateShort(date: string | Date): string {
  const { y, m, d } = parseIsoDate(date);
  return `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`;
}

/** dd/mm/yyyy HH:mm in Vietnam time (UTC+7, no daylight saving) for timestamps. */
export function formatDateTime(at: string | Date): string {
  const t = new Date(typeof at === "string" ? at : at.getTime());
  const local = new Date(t.getTime() + 7 * 3600_000);
  const hh = String(local.getUTCHours()).padStart(2, "0");
  const mm = String(local.getUTCMinutes()).padStart(2, "0");
  return `${formatDateShort(local)} ${hh}:${mm}`;
}
