/**
 * What the tests of the cell readers and the legacy encodings share: the Vietnamese letters built
 * from their parts, a list of real Vietnamese words, sentences of them for fast-check, and byte
 * encoders written independently of the code under test (Windows-1252 from Unicode's CP1252.TXT,
 * Windows-1258 as the inverse of the platform's decoder). Not used by the application.
 */
import fc from "fast-check";

/** The twelve vowels of the alphabet. */
export const VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"] as const;

/** The six tones, as combining marks (ngang has none). */
export const TONES = [
  ["ngang", ""],
  ["sắc", "\u0301"],
  ["huyền", "\u0300"],
  ["hỏi", "\u0309"],
  ["ngã", "\u0303"],
  ["nặng", "\u0323"],
] as const;

export type ToneName = (typeof TONES)[number][0];

/** A vowel with a tone, composed: base + combining mark, NFC. */
export function toned(vowel: string, tone: ToneName): string {
  const mark = TONES.find(([name]) => name === tone)?.[1] ?? "";
  return (vowel + mark).normalize("NFC");
}

/** Every lower-case vowel with every tone (72), then đ. */
export const LOWER_LETTERS: readonly string[] = [
  ...VOWELS.flatMap((v) => TONES.map(([tone]) => toned(v, tone))),
  "đ",
];

/** The 146 letters: every vowel with every tone in both cases, đ and Đ. */
export const ALL_LETTERS: readonly string[] = LOWER_LETTERS.flatMap((l) => [l, l.toUpperCase()]);

/** Letters a Vietnamese word may be made of (ASCII letters included, for names and loanwords). */
export const WORD_LETTERS: ReadonlySet<string> = new Set([
  ...ALL_LETTERS,
  ..."abcdefghijklmnopqrstuvwxyz",
  ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ",
]);

/**
 * Real Vietnamese syllables: family and given names, administrative words, the words of the
 * learning-society reports, numbers. Many are written only with Windows-1252 letters (Hà, Tô,
 * Lâm, Hùng …), which the detector has to read as Unicode rather than take for a legacy encoding.
 */
export const WORDS: readonly string[] = `
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Đoàn Lâm Mai Tô
Văn Thị Hữu Đức Minh Anh Hùng Dũng Tuấn Hương Lan Hoa Hồng Thúy Thủy Thuý Ngọc Hạnh Hằng Huệ Nga Trang
Thu Hà Linh Phương Quân Quốc Quang Việt Khánh Tâm Tùng Sơn Hải Long Nam Bình Cường Thắng Hiếu Nghĩa
Thành Công Chiến Dung Yến Oanh Loan Nhung Xuân Hạ Đông Bắc Tây Tiến Toàn Kiên Huyền Giang Khoa Thảo
Châu Tú Hào Hiên Yên Tiên Biên Nguyên Chí Lào Cai Sài Gòn Cà Mau Hòa Hoà Vân Phú Thái Tài Tín Khê
xã phường thị trấn huyện tỉnh thành phố thôn xóm ấp bản làng khu tổ dân
trung tâm học tập cộng đồng hội khuyến tài gia đình dòng họ đơn vị chi giáo dục đào tạo trường tiểu
mầm non cơ sở phổ thông người công nhân nông nghiệp lao động sản xuất kinh doanh
năm tháng ngày tuần quý kết quả đánh giá nhận danh hiệu tiêu chí điểm số lượng tổng
biểu dương khen thưởng quỹ bổng sách vở đọc viết chữ xóa mù cập viên
cán bộ hộ khẩu nhà ở đường ngõ ngách hẻm nước sông núi biển ruộng vườn cây lúa
ông bà cha mẹ chị em con cháu chắt cụ cô chú bác dì cậu mợ thím
tốt khá bình yếu đạt chưa được không có và của với cho những các một hai ba bốn
sáu bảy tám chín mười trăm nghìn triệu tỷ tiền chuyển thu
khỏe mạnh vui vẻ phúc ấm no yêu thương kết phát triển bền vững
Huế Đà Nẵng Phòng Cần Thơ Nghệ Tĩnh Hóa Quảng Ngãi Bến Tre Nội Điện
nguyện vọng điều kiện thuận lợi khó khăn nghiên cứu khoa kỹ thuật luyện rèn
quyết định báo cáo kế hoạch hoạt tổ chức thực hiện ủy ban chủ tịch giám đốc
`
  .split(/\s+/u)
  .filter((w) => w !== "");

/** Whether a string holds a letter with a diacritic (a character outside ASCII). */
export function hasDiacritic(text: string): boolean {
  return [...text].some((ch) => (ch.codePointAt(0) as number) > 0x7f);
}

/** Whether every character of a string is in Latin-1 (U+0000–U+00FF). */
export function isLatin1(text: string): boolean {
  return [...text].every((ch) => (ch.codePointAt(0) as number) <= 0xff);
}

/** The words of WORDS that have a diacritic. */
export const WORDS_WITH_DIACRITICS: readonly string[] = WORDS.filter(hasDiacritic);

/** Sentences of `min`–`max` words of WORDS, joined by single spaces. */
export function sentence(min: number, max: number, words: readonly string[] = WORDS): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...words), { minLength: min, maxLength: max }).map((ws) => ws.join(" "));
}

/**
 * Windows-1252 bytes 0x80–0x9F, from Unicode's MICSFT/WINDOWS/CP1252.TXT; 0 for the five bytes
 * it leaves undefined (read as the C1 controls U+0081, U+008D, U+008F, U+0090, U+009D).
 */
// biome-ignore format: eight bytes a row.
export const CP1252_80_9F: readonly number[] = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, // 0x80–0x87
  0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, // 0x88–0x8F
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, // 0x90–0x97
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178, // 0x98–0x9F
];

/** The Windows-1252 character of a byte, per CP1252.TXT (undefined bytes as C1 controls). */
export function cp1252Char(byte: number): string {
  const special = byte >= 0x80 && byte <= 0x9f ? (CP1252_80_9F[byte - 0x80] as number) : 0;
  return String.fromCharCode(special === 0 ? byte : special);
}

/** A string of Windows-1252 characters (as the legacy encoders give) → its bytes. */
export function windows1252Bytes(text: string): Uint8Array {
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) byChar.set(cp1252Char(b), b);
  return Uint8Array.from([...text], (ch) => {
    const b = byChar.get(ch);
    if (b === undefined) throw new Error(`not a Windows-1252 character: ${ch}`);
    return b;
  });
}

/** The Windows-1258 character of every byte, from the platform's decoder (null if it has none). */
function windows1258Table(): Map<string, number> | null {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder("windows-1258");
  } catch {
    return null;
  }
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const ch = decoder.decode(Uint8Array.of(b));
    if (!table.has(ch)) table.set(ch, b);
  }
  return table;
}

/** Whether this Node build's TextDecoder knows Windows-1258 (a small-icu build does not). */
export const HAS_WINDOWS_1258_DECODER = windows1258Table() !== null;

const TONE_MARK = /[\u0300\u0301\u0303\u0309\u0323]/u;

/**
 * Windows-1258 bytes of a text, as Windows writes them: a letter the code page has is one byte
 * (à, Ê, ơ, Đ …), any other one is its base letter and a tone byte (ệ = ê + 0xF2). With
 * `decompose`, every toned letter is written as base + tone byte (a + 0xEC for á too).
 */
export function encodeWindows1258(text: string, options: { decompose?: boolean } = {}): Uint8Array {
  const table = windows1258Table();
  if (table === null) throw new Error("no Windows-1258 decoder in this Node build");
  const out: number[] = [];
  for (const ch of text.normalize("NFC")) {
    const direct = table.get(ch);
    const nfd = ch.normalize("NFD");
    const tone = TONE_MARK.exec(nfd)?.[0];
    if (direct !== undefined && !(options.decompose && tone !== undefined)) {
      out.push(direct);
      continue;
    }
    const base = table.get(nfd.replace(TONE_MARK, "").normalize("NFC"));
    const toneByte = tone === undefined ? undefined : table.get(tone);
    if (base === undefined || toneByte === undefined) throw new Error(`not in Windows-1258: ${ch}`);
    out.push(base, toneByte);
  }
  return Uint8Array.from(out);
}
