/**
 * Amounts in Vietnamese words, as written on vouchers and in reports ("Số tiền viết bằng chữ"):
 * 2364000000 → "Hai tỷ ba trăm sáu mươi tư triệu đồng". Pure; bigint throughout, so any amount a
 * ledger can hold (and far beyond 10^18) is read exactly.
 *
 * The rules, as accountants write them:
 * - groups of three digits read "X trăm Y mươi Z"; scales nghìn, triệu, tỷ, and above a tỷ the
 *   scales repeat on the tỷ ("một nghìn tỷ", "một triệu tỷ", "một tỷ tỷ");
 * - a zero tens digit between hundreds and units is "lẻ" (or "linh"): 105 → "một trăm lẻ năm";
 * - "mười" for ten, "mươi" after another digit; units after "mươi": 1 → "mốt", 4 → "tư",
 *   5 → "lăm"; after "mười": 5 → "lăm" (mười lăm), 1 and 4 stay "một", "bốn" (mười một, mười bốn);
 * - a group after the first with no hundreds still reads "không trăm": 2,050,000 → "hai triệu
 *   không trăm năm mươi nghìn"; groups that are all zeros are skipped.
 */

const DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"] as const;

export interface WordOptions {
  /** The word for a zero tens digit: "lẻ" (default; common in the south and centre) or "linh". */
  zeroTens?: "lẻ" | "linh";
}

const THOUSAND = 1000n;
const BILLION = 1_000_000_000n;

/** One group of three digits; `full` reads a zero hundreds digit ("không trăm") when the group follows another. */
function readGroup(group: number, full: boolean, zeroTens: string): string[] {
  const h = Math.floor(group / 100);
  const t = Math.floor(group / 10) % 10;
  const u = group % 10;
  if (group === 0) return [];
  const words: string[] = [];
  const withHundreds = full || h > 0;
  if (withHundreds) words.push(DIGITS[h] as string, "trăm");
  if (t === 0) {
    if (u === 0) return words;
    if (withHundreds) words.push(zeroTens);
    words.push(DIGITS[u] as string);
    return words;
  }
  if (t === 1) {
    words.push("mười");
    if (u === 5) words.push("lăm");
    else if (u > 0) words.push(DIGITS[u] as string);
    return words;
  }
  words.push(DIGITS[t] as string, "mươi");
  if (u === 1) words.push("mốt");
  else if (u === 4) words.push("tư");
  else if (u === 5) words.push("lăm");
  else if (u > 0) words.push(DIGITS[u] as string);
  return words;
}

/** Below 10^9: groups of three with nghìn and triệu. `full`: the number follows a higher part. */
function readBelowBillion(n: bigint, full: boolean, zeroTens: string): string[] {
  const groups = [Number(n / 1_000_000n), Number((n / THOUSAND) % THOUSAND), Number(n % THOUSAND)];
  const scales = ["triệu", "nghìn", ""];
  const words: string[] = [];
  let started = full;
  groups.forEach((group, i) => {
    if (group === 0) return;
    words.push(...readGroup(group, started, zeroTens));
    const scale = scales[i];
    if (scale) words.push(scale);
    started = true;
  });
  return words;
}

function readPositive(n: bigint, full: boolean, zeroTens: string): string[] {
  if (n < BILLION) return readBelowBillion(n, full, zeroTens);
  const high = n / BILLION;
  const low = n % BILLION;
  const words = [...readPositive(high, full, zeroTens), "tỷ"];
  if (low > 0n) words.push(...readBelowBillion(low, true, zeroTens));
  return words;
}

/** A whole number in Vietnamese words, lower case: 105 → "một trăm lẻ năm"; 0 → "không". */
export function numberInWords(value: bigint | number, options: WordOptions = {}): string {
  const n = typeof value === "bigint" ? value : BigInt(value);
  const zeroTens = options.zeroTens ?? "lẻ";
  if (n === 0n) return "không";
  if (n < 0n) return `âm ${readPositive(-n, false, zeroTens).join(" ")}`;
  return readPositive(n, false, zeroTens).join(" ");
}

/** An amount in đồng in words, capitalised, as on a voucher: "Hai tỷ ba trăm sáu mươi tư triệu đồng". */
export function moneyInWords(dong: bigint | number, options: WordOptions = {}): string {
  const words = numberInWords(dong, options);
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} đồng`;
}
