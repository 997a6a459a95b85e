/**
 * Legacy Vietnamese encodings in spreadsheet cells: TCVN3 ("ABC", fonts .VnTime/.VnArial) and
 * VNI-Windows (fonts VNI-Times …), converted to Unicode NFC one cell at a time. Pure, no I/O.
 *
 * How such text reaches us: an officer typed with a .VnTime or VNI-Times font, so the file holds
 * the font's single BYTES, and Excel (or a CSV reader) shows them as the Windows-1252 characters
 * of those bytes: TCVN3 "Việt Nam" is stored as "Vi\u00d6t Nam" ("ViÖt Nam"), VNI "Việt Nam" as
 * "Vieät Nam". Every function here therefore maps a character to its byte through Windows-1252
 * first (U+0080–U+009F, and the five bytes 1252 leaves undefined, map to themselves), and the
 * tables below are tables of bytes.
 *
 * SOURCES of the tables (cross-checked against each other, entry by entry):
 * - UniKey's converter library VnConv, `ukengine/data.cpp` (Pham Kim Long, GPL; copy read in the
 *   repository vn-input/ibus-unikey): the "TCVN3" row of `SingleByteTables` and the "VNI-WIN" row
 *   of `DoubleByteTables` (a VNI letter is a word whose low byte is the base letter and high byte
 *   the mark), in the order plain, sắc, huyền, hỏi, ngã, nặng, upper case then lower case.
 * - GNU libiconv / XFree86 `lcUniConv/tcvn.h` ("TCVN-5712", read in fcitx/xcb-imdkit) and the
 *   X-TrueType `TCVNtoUCS2.c` table (apple-open-source/macos): every TCVN3 byte 0xA1–0xFE below
 *   has the same Unicode letter there. Those tables are the full TCVN 5712 "VN1" set, which also
 *   puts upper-case toned letters at 0x01–0x17, 0x80–0x9F and the 0xA1–0xFF gaps (0xAF, 0xB0–0xB4,
 *   0xBA, 0xBF, 0xC0–0xC5, 0xCD, 0xD9–0xDB, 0xE0, 0xF0, 0xFF). The ABC fonts (.VnTime) implement
 *   the "VN3" subset, which has none of them: UniKey keeps 0x80–0x9F as the Western punctuation of
 *   Windows-1252 (smart quotes, dashes typed in Word/Excel), and so do we; the gaps are left as
 *   the character they show.
 * - xvnkb `vni.h` (Dao Hai Lam, lamdao/xvnkb): the VNI-Windows strings "AÙ" "AØ" "AÛ" "AÕ" "AÏ",
 *   "AÂ" "AÁ" …, "Ô" "Ö" "Í" "Ì" "Æ" "Ó" "Ò" "Î" "Ñ" and lower case "aù" …, same as UniKey's.
 * - The npm package vietnamese-conversion (duydev/vietnamese-conversion, `src/charsets.ts` and its
 *   tests): "Xin chào các bạn" = VNI "Xin chaøo caùc baïn" = TCVN3 "Xin chµo c¸c b¹n", "Tôi đi học"
 *   = VNI "Toâi ñi hoïc" = TCVN3 "T«i ®i häc" (used as fixed test examples).
 * - Windows-1252 0x80–0x9F: Unicode's MICSFT/WINDOWS/CP1252.TXT (as in CPython's
 *   `Lib/encodings/cp1252.py`); 0xA0–0xFF are Latin-1.
 *
 * Upper case in TCVN3: the encoding has Ă Â Ê Ô Ơ Ư Đ (0xA1–0xA7) but no upper-case toned letter;
 * such text was typed with the upper-case font .VnTimeH using the lower-case codes. A toned letter
 * therefore DECODES TO LOWER CASE ("NguyÔn" → "Nguyễn"), except in text typed in capitals: when
 * every other letter of the string (at least two) is upper case, so are its toned letters
 * ("NGUYÔN THÞ HOA" → "NGUYỄN THỊ HOA"; a lone "X·" stays "Xã"). Typed in lower case with
 * .VnTimeH, the capitals were only the font's and are lost. `encodeLegacy(…, "tcvn3")` THROWS on
 * an upper-case toned letter (Á, Ấ, Ệ …) rather than silently change its case.
 *
 * DETECTION (`detectLegacyEncoding`) reads the string three ways — as the Unicode it is, as TCVN3
 * and as VNI — and checks every word that has a non-ASCII character against the shape of a
 * Vietnamese syllable (initial consonant + a rhyme from the table of Vietnamese rhymes, at most one
 * tone, sắc/nặng only before a final c/ch/p/t, ngh/gh only before i e ê, ng/c never and g not
 * before e ê). It reports a legacy encoding only when:
 * 1. every character is a Windows-1252 character (so any ă ơ ư đ ạ ễ …, or any combining mark —
 *    NFD text — means "Unicode", at once), and at least one is not ASCII;
 * 2. at least one word is NOT a well-formed Vietnamese syllable read as Unicode;
 * 3. read in that encoding, (almost) every word is one: all of them for fewer than five words,
 *    at most one in five otherwise, and fewer than read as Unicode;
 * 4. the other legacy encoding does not read equally well: between as many good words, the reading
 *    with fewer odd ones wins (a rhyme of a few loanwords, oong/ooc, or ending in k; in VNI, mixed
 *    case inside a word, as TCVN3 "rÌn" = "rèn" read as VNI "rìn"); an exact tie gives null.
 * What follows:
 * - A string whose words are all well-formed Vietnamese syllables is never flagged, whatever its
 *   letters ("Hoà", "Tô Lâm", "Hùng", NFC or NFD), and plain ASCII never is.
 * - A legacy string whose Windows-1252 form is itself good Unicode Vietnamese is NOT detected,
 *   because nothing can tell them apart: TCVN3 "Lờ" is stored as "Lê", "Hựng" as "Hùng", "ý" as
 *   "ý"; VNI "Hồng" as "Hoàng", "Tơ" as "Tô", "í" as "í". This concerns TCVN3 words whose only
 *   non-ASCII letters are among è ề ể ễ ế í ỏ õ ó ố ộ ờ ỡ ớ ũ ú ụ ừ ự ỳ ý ẩ ẫ ấ, and VNI words made
 *   only of ơ ì í ĩ ị and o + ầ/ồ-like pairs; one other word in the same cell settles it. A cell
 *   made only of such words is left as it is (TCVN3 "xãm" "phè" "cã" = "xóm" "phố" "có").
 * - Some sentences read word for word as good syllables in both legacy encodings, and give null:
 *   VNI "chöa Thò chò" (chưa Thị chị) is TCVN3 "chửa Thũ chũ"; only a dictionary could tell.
 * - Some very short strings read well in both legacy encodings (VNI "ñi" = "đi", TCVN3 "ñi" =
 *   "ủi"; VNI "ö" = "ư", TCVN3 "ö" = "ử"): they give null.
 * - A lone French "où" is VNI "ó" and is detected as such; other French, German or Spanish words
 *   with accents (café, élève, Noël, Müller, España …) are not.
 */

export type LegacyEncoding = "tcvn3" | "vni";

// ---------------------------------------------------------------------------------------------
// Windows-1252: characters ↔ bytes.
// ---------------------------------------------------------------------------------------------

/** Windows-1252 bytes 0x80–0x9F (CP1252.TXT); the five undefined bytes map to U+0081 … U+009D. */
// biome-ignore format: eight bytes a row, as in CP1252.TXT.
const CP1252_80_9F: readonly number[] = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, // 0x80–0x87
  0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f, // 0x88–0x8F
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, // 0x90–0x97
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178, // 0x98–0x9F
];

/** The Windows-1252 character of every byte. */
const BYTE_TO_CHAR: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  String.fromCharCode(b >= 0x80 && b <= 0x9f ? (CP1252_80_9F[b - 0x80] as number) : b),
);

const CHAR_TO_BYTE = new Map<string, number>();
for (let b = 0; b < 256; b++) {
  // C1 controls (U+0080–U+009F) also stand for their byte: a reader that took the bytes as
  // Latin-1 rather than Windows-1252 leaves them.
  CHAR_TO_BYTE.set(String.fromCharCode(b), b);
}
for (let b = 0x80; b <= 0x9f; b++) CHAR_TO_BYTE.set(BYTE_TO_CHAR[b] as string, b);

/** The byte a character stands for, or undefined for a character outside Windows-1252. */
function byteOf(ch: string): number | undefined {
  return CHAR_TO_BYTE.get(ch);
}

/**
 * Bytes → their Windows-1252 characters, the five undefined bytes as U+0081 … U+009D (as the
 * WHATWG `TextDecoder("windows-1252")` reads them). `overrides` replaces the character of some
 * bytes (Windows-1258 is Windows-1252 but for 18 of them, see decodeCsvBytes).
 */
export function decodeWindows1252(bytes: Uint8Array, overrides?: ReadonlyMap<number, string>): string {
  const parts: string[] = [];
  for (const b of bytes) parts.push(overrides?.get(b) ?? (BYTE_TO_CHAR[b] as string));
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------
// TCVN3 (TCVN 5712:1993 VN3, the ABC fonts).
// ---------------------------------------------------------------------------------------------

/** TCVN3 letter bytes → Unicode (UniKey data.cpp "TCVN3", libiconv tcvn.h). */
// biome-ignore format: one vowel a row, as in the published tables.
const TCVN3_LETTERS: ReadonlyArray<readonly [number, string]> = [
  // Upper-case letters without tone: Ă Â Ê Ô Ơ Ư Đ.
  [0xa1, "Ă"], [0xa2, "Â"], [0xa3, "Ê"], [0xa4, "Ô"], [0xa5, "Ơ"], [0xa6, "Ư"], [0xa7, "Đ"],
  // Lower-case letters without tone: ă â ê ô ơ ư (0xAD, shown as a soft hyphen) đ.
  [0xa8, "ă"], [0xa9, "â"], [0xaa, "ê"], [0xab, "ô"], [0xac, "ơ"], [0xad, "ư"], [0xae, "đ"],
  // a: huyền, hỏi, ngã, sắc, nặng
  [0xb5, "à"], [0xb6, "ả"], [0xb7, "ã"], [0xb8, "á"], [0xb9, "ạ"],
  // ă
  [0xbb, "ằ"], [0xbc, "ẳ"], [0xbd, "ẵ"], [0xbe, "ắ"], [0xc6, "ặ"],
  // â
  [0xc7, "ầ"], [0xc8, "ẩ"], [0xc9, "ẫ"], [0xca, "ấ"], [0xcb, "ậ"],
  // e
  [0xcc, "è"], [0xce, "ẻ"], [0xcf, "ẽ"], [0xd0, "é"], [0xd1, "ẹ"],
  // ê
  [0xd2, "ề"], [0xd3, "ể"], [0xd4, "ễ"], [0xd5, "ế"], [0xd6, "ệ"],
  // i
  [0xd7, "ì"], [0xd8, "ỉ"], [0xdc, "ĩ"], [0xdd, "í"], [0xde, "ị"],
  // o
  [0xdf, "ò"], [0xe1, "ỏ"], [0xe2, "õ"], [0xe3, "ó"], [0xe4, "ọ"],
  // ô
  [0xe5, "ồ"], [0xe6, "ổ"], [0xe7, "ỗ"], [0xe8, "ố"], [0xe9, "ộ"],
  // ơ
  [0xea, "ờ"], [0xeb, "ở"], [0xec, "ỡ"], [0xed, "ớ"], [0xee, "ợ"],
  // u
  [0xef, "ù"], [0xf1, "ủ"], [0xf2, "ũ"], [0xf3, "ú"], [0xf4, "ụ"],
  // ư
  [0xf5, "ừ"], [0xf6, "ử"], [0xf7, "ữ"], [0xf8, "ứ"], [0xf9, "ự"],
  // y
  [0xfa, "ỳ"], [0xfb, "ỷ"], [0xfc, "ỹ"], [0xfd, "ý"], [0xfe, "ỵ"],
];

/** Every TCVN3 byte → Unicode: the letters above, any other byte is its Windows-1252 character. */
const TCVN3_TABLE: readonly string[] = (() => {
  const table = [...BYTE_TO_CHAR];
  for (const [b, letter] of TCVN3_LETTERS) table[b] = letter.normalize("NFC");
  return table;
})();

const TCVN3_LETTER_BYTES = new Set(TCVN3_LETTERS.map(([b]) => b));
const TCVN3_ENCODE = new Map(TCVN3_LETTERS.map(([b, letter]) => [letter.normalize("NFC"), b]));

/**
 * The upper-case toned letters, which TCVN3 cannot encode. Six of them (À Á Ã Í Ù Ú) are
 * Windows-1252 characters on bytes TCVN3 leaves unused, so they must be refused by name rather
 * than by byte.
 */
const UPPER_TONED_LETTERS = new Set(
  [..."AĂÂEÊIOÔƠUƯY"].flatMap((base) =>
    ["\u0301", "\u0300", "\u0309", "\u0303", "\u0323"].map((tone) => (base + tone).normalize("NFC")),
  ),
);

// ---------------------------------------------------------------------------------------------
// VNI-Windows: a base letter and a mark byte; a few letters are single bytes.
// ---------------------------------------------------------------------------------------------

/** Tone index: 0 ngang, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng (UniKey's order). */
const TONE_COMBINING = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"] as const;

/**
 * VNI mark bytes by tone (index as TONE_COMBINING; ngang of the tone family is "no mark"), upper
 * case for upper-case letters, lower case for lower case (UniKey "VNI-WIN", xvnkb vni.h).
 */
const VNI_TONE_MARKS = {
  upper: [null, 0xd9, 0xd8, 0xdb, 0xd5, 0xcf], // Ù Ø Û Õ Ï
  lower: [null, 0xf9, 0xf8, 0xfb, 0xf5, 0xef], // ù ø û õ ï
} as const;
/** Circumflex with each tone (on a, e, o): Â Á À Å Ã Ä / â á à å ã ä. */
const VNI_CIRCUMFLEX_MARKS = {
  upper: [0xc2, 0xc1, 0xc0, 0xc5, 0xc3, 0xc4],
  lower: [0xe2, 0xe1, 0xe0, 0xe5, 0xe3, 0xe4],
} as const;
/** Breve with each tone (on a): Ê É È Ú Ü Ë / ê é è ú ü ë. */
const VNI_BREVE_MARKS = {
  upper: [0xca, 0xc9, 0xc8, 0xda, 0xdc, 0xcb],
  lower: [0xea, 0xe9, 0xe8, 0xfa, 0xfc, 0xeb],
} as const;

/** VNI single-byte letters → Unicode. */
// biome-ignore format: a table, read by rows.
const VNI_SINGLE_LETTERS: ReadonlyArray<readonly [number, string]> = [
  [0xd1, "Đ"], [0xf1, "đ"], [0xd4, "Ơ"], [0xf4, "ơ"], [0xd6, "Ư"], [0xf6, "ư"],
  // i with sắc, huyền, hỏi, ngã, nặng
  [0xcd, "Í"], [0xcc, "Ì"], [0xc6, "Ỉ"], [0xd3, "Ĩ"], [0xd2, "Ị"],
  [0xed, "í"], [0xec, "ì"], [0xe6, "ỉ"], [0xf3, "ĩ"], [0xf2, "ị"],
  // y with nặng
  [0xce, "Ỵ"], [0xee, "ỵ"],
];

/** Unicode letter → VNI string (of Windows-1252 characters), built from the tables above. */
const VNI_ENCODE = new Map<string, string>();
/** VNI string → Unicode letter, for decoding: the published forms plus a few lenient ones. */
const VNI_DECODE = new Map<string, string>();
/**
 * The lenient forms (a mark of the other case, a vowel mark then a tone mark): decoded, but not
 * counted as evidence of VNI by the detector, since no published table has them.
 */
const VNI_LENIENT = new Set<string>();

(() => {
  const ch = (b: number) => BYTE_TO_CHAR[b] as string;
  const add = (letter: string, vni: string) => {
    const nfc = letter.normalize("NFC");
    VNI_ENCODE.set(nfc, vni);
    VNI_DECODE.set(vni, nfc);
  };
  const lenient = (vni: string, letter: string) => {
    if (VNI_DECODE.has(vni)) return;
    VNI_DECODE.set(vni, letter.normalize("NFC"));
    VNI_LENIENT.add(vni);
  };
  for (const [b, letter] of VNI_SINGLE_LETTERS) add(letter, ch(b));
  for (const upper of [true, false]) {
    const cs = upper ? "upper" : "lower";
    const other = upper ? "lower" : "upper";
    const fix = (s: string) => (upper ? s.toUpperCase() : s);
    // Plain vowels and ơ ư with a tone; y with nặng is the single byte Ỵ/ỵ.
    for (const base of ["a", "e", "o", "u", "y"]) {
      for (let t = 1; t <= 5; t++) {
        if (base === "y" && t === 5) continue;
        const mark = VNI_TONE_MARKS[cs][t] as number;
        add(fix(base) + TONE_COMBINING[t], fix(base) + ch(mark));
        lenient(fix(base) + ch(VNI_TONE_MARKS[other][t] as number), fix(base) + TONE_COMBINING[t]);
      }
    }
    for (const [vniBase, letter] of [
      [upper ? 0xd4 : 0xf4, fix("ơ")],
      [upper ? 0xd6 : 0xf6, fix("ư")],
    ] as const) {
      for (let t = 1; t <= 5; t++) {
        add(letter + TONE_COMBINING[t], ch(vniBase) + ch(VNI_TONE_MARKS[cs][t] as number));
        lenient(ch(vniBase) + ch(VNI_TONE_MARKS[other][t] as number), letter + TONE_COMBINING[t]);
      }
    }
    // Circumflex (â ê ô) and breve (ă), each mark byte carrying the tone too.
    const families = [
      [VNI_CIRCUMFLEX_MARKS, "\u0302", ["a", "e", "o"]],
      [VNI_BREVE_MARKS, "\u0306", ["a"]],
    ] as const;
    for (const [marks, combining, bases] of families) {
      for (const base of bases) {
        for (let t = 0; t <= 5; t++) {
          const letter = fix(base) + combining + TONE_COMBINING[t];
          add(letter, fix(base) + ch(marks[cs][t] as number));
          lenient(fix(base) + ch(marks[other][t] as number), letter);
          // Lenient: the vowel mark without tone, then a separate tone mark ("aâù" for ấ).
          if (t > 0) {
            for (const toneCase of ["upper", "lower"] as const) {
              lenient(
                fix(base) + ch(marks[cs][0] as number) + ch(VNI_TONE_MARKS[toneCase][t] as number),
                letter,
              );
            }
          }
        }
      }
    }
  }
})();

/** Every byte VNI uses for a letter or a mark: such a character cannot stand for itself. */
const VNI_USED_CHARS = new Set<string>(
  [...VNI_DECODE.keys()].flatMap((s) => [...s].filter((c) => c > "\u007f")),
);

// ---------------------------------------------------------------------------------------------
// Decoding and encoding.
// ---------------------------------------------------------------------------------------------

/** Decoded text, and whether every non-ASCII letter-like character was part of a legacy letter. */
interface Decoded {
  text: string;
  clean: boolean;
}

/** Characters that separate words in every reading (ASCII non-letters, 1252 punctuation, ₫). */
const SEPARATOR =
  /[\s\p{Cc}\u0020-\u0040\u005b-\u0060\u007b-\u007e\u00a0\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ab\u20ac\u2122]/u;

function isNeutral(ch: string): boolean {
  return ch <= "\u007f" || SEPARATOR.test(ch);
}

/** TCVN3 bytes of the toned letters, which the encoding has in lower case only (0xB5–0xFE). */
function isTonedTcvn3Byte(b: number): boolean {
  return b >= 0xb5 && TCVN3_LETTER_BYTES.has(b);
}

function decodeTcvn3(text: string): Decoded {
  const parts: string[] = [];
  /** Whether parts[i] is a toned letter (lower case only in TCVN3). */
  const toned: boolean[] = [];
  let clean = true;
  for (const ch of text) {
    const b = byteOf(ch);
    if (b === undefined) {
      parts.push(ch);
      toned.push(false);
      clean = false;
      continue;
    }
    parts.push(TCVN3_TABLE[b] as string);
    toned.push(isTonedTcvn3Byte(b));
    if (b >= 0xa1 && !TCVN3_LETTER_BYTES.has(b)) clean = false;
    else if (b >= 0x80 && b <= 0x9f && !isNeutral(BYTE_TO_CHAR[b] as string)) clean = false;
  }
  // Text typed in capitals (with .VnTimeH): every other letter is upper case, so are the toned ones.
  const cased = parts.filter((p, i) => !toned[i] && p.toLowerCase() !== p.toUpperCase());
  if (cased.length >= 2 && cased.every((p) => p === p.toUpperCase())) {
    for (let i = 0; i < parts.length; i++) if (toned[i]) parts[i] = (parts[i] as string).toUpperCase();
  }
  return { text: parts.join("").normalize("NFC"), clean };
}

function decodeVni(text: string): Decoded {
  // Work on the Windows-1252 form, so that C1 controls read as the characters they stand for.
  const chars = [...text].map((ch) => {
    const b = byteOf(ch);
    return b === undefined ? ch : (BYTE_TO_CHAR[b] as string);
  });
  let out = "";
  let clean = true;
  for (let i = 0; i < chars.length; ) {
    let matched = false;
    for (const len of [3, 2, 1]) {
      if (i + len > chars.length) continue;
      const seq = chars.slice(i, i + len).join("");
      const letter = VNI_DECODE.get(seq);
      if (letter !== undefined) {
        out += letter;
        if (VNI_LENIENT.has(seq)) clean = false;
        i += len;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const ch = chars[i] as string;
    out += ch;
    if (!isNeutral(ch)) clean = false;
    i++;
  }
  return { text: out.normalize("NFC"), clean };
}

function decodeWithReport(text: string, encoding: LegacyEncoding): Decoded {
  return encoding === "tcvn3" ? decodeTcvn3(text) : decodeVni(text);
}

/**
 * Legacy text → Unicode NFC. `text` is the legacy bytes as their Windows-1252 characters (as an
 * XLSX cell or a Windows-1252 reading of a CSV gives them). ASCII is unchanged; a character that
 * is not a letter of the encoding stays as it is (so does any character outside Windows-1252,
 * e.g. Unicode already in the cell). TCVN3 upper-case toned letters come out lower case (see the
 * module comment). VNI also accepts a mark of the other case ("Aù" → "Á") and a vowel mark
 * followed by a tone mark ("aâù" → "ấ").
 */
export function decodeLegacy(text: string, encoding: LegacyEncoding): string {
  return decodeWithReport(text, encoding).text;
}

/**
 * Unicode → legacy text as Windows-1252 characters: the inverse of `decodeLegacy`, for tests and
 * for making test files (in TCVN3, but for text in capitals save for its lower-case toned letters,
 * which decode in capitals). Input is NFC-normalised first. Throws a RangeError on a character the
 * encoding cannot represent: anything outside Windows-1252 that is not a Vietnamese letter, a
 * Windows-1252 character whose byte the encoding uses for a letter (e.g. "©" in TCVN3, "ä" in VNI),
 * and in TCVN3 any upper-case toned letter (Á, Ấ …: the encoding has none).
 */
export function encodeLegacy(text: string, encoding: LegacyEncoding): string {
  let out = "";
  for (const ch of text.normalize("NFC")) {
    if (ch <= "\u007f") {
      out += ch;
      continue;
    }
    if (encoding === "tcvn3") {
      const b = TCVN3_ENCODE.get(ch);
      if (b !== undefined) {
        out += BYTE_TO_CHAR[b];
        continue;
      }
      const own = byteOf(ch);
      if (
        own !== undefined &&
        BYTE_TO_CHAR[own] === ch &&
        !TCVN3_LETTER_BYTES.has(own) &&
        !UPPER_TONED_LETTERS.has(ch)
      ) {
        out += ch;
        continue;
      }
    } else {
      const vni = VNI_ENCODE.get(ch);
      if (vni !== undefined) {
        out += vni;
        continue;
      }
      const own = byteOf(ch);
      if (own !== undefined && BYTE_TO_CHAR[own] === ch && !VNI_USED_CHARS.has(ch)) {
        out += ch;
        continue;
      }
    }
    const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    throw new RangeError(
      `Không mã hoá được ký tự “${ch}” (${code}) sang ${encoding === "tcvn3" ? "TCVN3" : "VNI"}.`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Vietnamese syllable shape, for detection.
// ---------------------------------------------------------------------------------------------

const VOWEL_LETTERS = new Set([..."aăâeêioôơuưy"]);
const VIETNAMESE_LETTERS = new Set([..."abcdđeghiklmnopqrstuvxyăâêôơư"]);
const TONES = new Map<string, number>([
  ["\u0301", 1],
  ["\u0300", 2],
  ["\u0309", 3],
  ["\u0303", 4],
  ["\u0323", 5],
]);

/** Initial consonants, longest first; "kr" for place names of the Central Highlands (Krông). */
// biome-ignore format: a table, read by rows.
const INITIALS = [
  "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "kr",
  "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/** Rhymes (vần) of Vietnamese without tone: medial + nucleus + final. */
const RHYMES = new Set(
  `a ac ach ai am an ang anh ao ap at au ay ak
  ăc ăm ăn ăng ăp ăt ăk
  âc âm ân âng âp ât âu ây âk
  e ec em en eng eo ep et ek
  ê êch êm ên ênh êp êt êu êk
  i ia ich im in inh ip it iu ik
  iêc iêm iên iêng iêp iêt iêu
  o oc oi om on ong op ot oong ooc ok
  ô ôc ôi ôm ôn ông ôp ôt ôk
  ơ ơi ơm ơn ơp ơt ơk
  u ua uc ui um un ung up ut uk
  uôc uôi uôm uôn uông uôt
  ư ưa ưc ưi ưm ưng ưt ưu ưk
  ươc ươi ươm ươn ương ươp ươt ươu
  y yêm yên yêng yêt yêu
  oa oac oach oai oam oan oang oanh oao oap oat oay
  oăc oăm oăn oăng oăt
  oe oen oeo oet
  uân uâng uât uây
  uê uêch uên uênh
  uơ
  uy uya uych uyên uyêt uyn uynh uyp uyt uyu`.split(/\s+/u),
);

const STOP_FINAL = /(c|ch|p|t|k)$/u;
/** Rhymes ending in a glide (i, y, o, u after another vowel): the tone never sits on the glide. */
const GLIDE_END = /[aăâeêioôơuưy][iyou]$/u;
/** Open diphthongs ia, ua, ưa (mía, múa, mứa): the tone sits on the first vowel, never on the a. */
const OPEN_DIPHTHONG = /^(ia|ua|ưa)$/u;

/**
 * Spelling rules of the initials: ngh and gh are written only before i, e, ê (nghề, ghế); ng and c
 * never before i, e, ê (nor c before y); g not before e, ê (before i it is the initial gi: gì, gìn).
 * They rule out many false readings ("nghỡn", VNI "nghìn" read as TCVN3).
 */
const INITIAL_BEFORE: ReadonlyMap<string, RegExp> = new Map([
  ["ngh", /^[ieê]/u],
  ["gh", /^[ieê]/u],
  ["ng", /^[^ieê]/u],
  ["g", /^[^eê]/u],
  ["c", /^[^ieêy]/u],
]);

/**
 * Rhymes of a few loanwords (boong, xoong, goòng, soóc, voọc) and of the place names of the Central
 * Highlands (Đắk Lắk, Búk): good syllables, but rare, so a reading that needs them loses a tie to
 * one that does not (VNI "coäng" = "cộng" read as TCVN3 is "coọng").
 */
const RARE_RHYME = /^(?:oong|ooc)$|k$/u;

/**
 * Whether a word (any case, NFC or NFD) has the shape of one Vietnamese syllable — the test the
 * detector applies to every word (exported for the tests).
 */
export function isVietnameseSyllable(word: string): boolean {
  return syllableShape(word) !== null;
}

/**
 * The shape of a word as one Vietnamese syllable: "common", "rare" (only with a rhyme of
 * RARE_RHYME or the initial kr), or null when it is not one.
 */
function syllableShape(word: string): "common" | "rare" | null {
  let letters = "";
  let tone = 0;
  let tones = 0;
  /** Index (in letters) of the toned vowel. */
  let toneAt = -1;
  for (const ch of word.normalize("NFC").toLowerCase()) {
    let base = "";
    let own = 0;
    for (const part of ch.normalize("NFD")) {
      const t = TONES.get(part);
      if (t === undefined) base += part;
      else {
        own = t;
        tones++;
      }
    }
    let letter = base.normalize("NFC");
    if (letter === "ð") letter = "đ"; // Eth, often typed for Đ
    if (!VIETNAMESE_LETTERS.has(letter)) return null;
    if (own !== 0) {
      if (!VOWEL_LETTERS.has(letter)) return null;
      tone = own;
      toneAt = letters.length;
    }
    letters += letter;
  }
  if (tones > 1 || letters === "") return null;
  // A lone letter: a vowel (with any tone) or đ (the abbreviation of đồng).
  if ([...letters].length === 1) return VOWEL_LETTERS.has(letters) || letters === "đ" ? "common" : null;
  // Letters are single UTF-16 units from here on (all are in the BMP and precomposed).
  const last = letters.length - 1;
  /** Whether `rhyme`, the end of `letters`, is a rhyme and the tone may stand where it is. */
  const rhymeFits = (rhyme: string) => {
    if (!RHYMES.has(rhyme)) return false;
    // A stop final (c, ch, p, t) takes only sắc or nặng.
    if (STOP_FINAL.test(rhyme) && tone !== 1 && tone !== 5) return false;
    if (tone !== 0) {
      if (GLIDE_END.test(rhyme) && rhyme !== "uy" && toneAt === last) return false;
      if (OPEN_DIPHTHONG.test(rhyme) && toneAt === last) return false;
      // uya is only "khuya", never with a tone.
      if (rhyme === "uya") return false;
    }
    return true;
  };
  let rare = false;
  for (const initial of INITIALS) {
    if (!letters.startsWith(initial)) continue;
    const rest = letters.slice(initial.length);
    if (rest === "") continue;
    if (INITIAL_BEFORE.get(initial)?.test(rest) === false) continue;
    let rhyme: string | undefined;
    if (initial === "qu") {
      // qu + a rhyme without its u (quốc, quý, quyết, quýt); never qu + u/ư/o.
      if (/^[uưo]/u.test(rest)) continue;
      rhyme = rhymeFits(rest) ? rest : rhymeFits(`u${rest}`) ? `u${rest}` : undefined;
    } else if (rhymeFits(rest)) {
      rhyme = rest;
    }
    if (rhyme === undefined) continue;
    if (initial !== "kr" && !RARE_RHYME.test(rhyme)) return "common";
    rare = true;
  }
  return rare ? "rare" : null;
}

// ---------------------------------------------------------------------------------------------
// Detection.
// ---------------------------------------------------------------------------------------------

const SEPARATORS = new RegExp(`${SEPARATOR.source}+`, "u");

/** Words of a text that have a non-ASCII character (ASCII words read alike in every encoding). */
function nonAsciiWords(text: string): string[] {
  return text.split(SEPARATORS).filter((w) => /[^\p{ASCII}]/u.test(w));
}

interface Reading {
  /** Words that are Vietnamese syllables … */
  valid: number;
  /** … of which so many are odd: a rare rhyme, or (VNI) mixed case inside the word. */
  rare: number;
  invalid: number;
}

/**
 * Whether a word is written lower case, upper case or capitalised. VNI puts its upper-case marks on
 * the bytes of TCVN3's lower-case letters, so TCVN3 read as VNI comes out as "rÌn" (TCVN3 "rèn").
 * Not asked of TCVN3 readings, whose toned letters are always lower case.
 */
function wellCased(word: string): boolean {
  const lower = word.toLowerCase();
  const upper = word.toUpperCase();
  if (word === lower || word === upper) return true;
  const [first = ""] = word;
  const rest = word.slice(first.length);
  return first === first.toUpperCase() && rest === rest.toLowerCase();
}

function readAs(words: readonly string[], encoding: LegacyEncoding | null): Reading {
  let valid = 0;
  let rare = 0;
  const cache = new Map<string, "common" | "rare" | null>();
  for (const w of words) {
    let shape = cache.get(w);
    if (shape === undefined) {
      if (encoding === null) shape = syllableShape(w);
      else {
        const d = decodeWithReport(w, encoding);
        shape = d.clean ? syllableShape(d.text) : null;
        if (shape === "common" && encoding === "vni" && !wellCased(d.text)) shape = "rare";
      }
      cache.set(w, shape);
    }
    if (shape !== null) valid++;
    if (shape === "rare") rare++;
  }
  return { valid, rare, invalid: words.length - valid };
}

/**
 * Which legacy encoding a string is in, or null when it is plain Unicode (or ASCII) — real Unicode
 * Vietnamese is never flagged. Works on one cell or a whole file's text; see the module comment for
 * what can and cannot be told apart.
 *
 * `options.rival`: another reading of the same bytes (decodeCsvBytes passes the Windows-1258
 * reading). A legacy encoding is then only reported if it reads as Vietnamese strictly better than
 * the rival: fewer malformed words, or as few and more good ones.
 */
export function detectLegacyEncoding(text: string, options: { rival?: string } = {}): LegacyEncoding | null {
  let nonAscii = false;
  for (const ch of text) {
    if (byteOf(ch) === undefined) return null;
    if (ch > "\u007f") nonAscii = true;
  }
  if (!nonAscii) return null;
  const words = nonAsciiWords(text);
  if (words.length === 0) return null;
  const asUnicode = readAs(words, null);
  if (asUnicode.invalid === 0) return null;
  const fits: Array<{ encoding: LegacyEncoding; reading: Reading }> = [];
  for (const encoding of ["tcvn3", "vni"] as const) {
    const reading = readAs(words, encoding);
    if (reading.valid === 0 || reading.invalid >= asUnicode.invalid) continue;
    if (reading.invalid * 5 > words.length) continue;
    fits.push({ encoding, reading });
  }
  // More good words first; between as many, fewer odd ones.
  fits.sort((a, b) => b.reading.valid - a.reading.valid || a.reading.rare - b.reading.rare);
  const [best, second] = fits;
  if (!best) return null;
  if (second && second.reading.valid === best.reading.valid && second.reading.rare === best.reading.rare) {
    return null;
  }
  if (options.rival !== undefined) {
    const rival = readAs(nonAsciiWords(options.rival.normalize("NFC")), null);
    const better =
      best.reading.invalid < rival.invalid ||
      (best.reading.invalid === rival.invalid && best.reading.valid > rival.valid);
    if (!better) return null;
  }
  return best.encoding;
}

/**
 * Detect and convert one cell: legacy text becomes Unicode NFC and `converted` names the
 * encoding; anything else is returned unchanged with `converted: null`.
 */
export function convertLegacyCell(text: string): { text: string; converted: LegacyEncoding | null } {
  const encoding = detectLegacyEncoding(text);
  if (encoding === null) return { text, converted: null };
  return { text: decodeLegacy(text, encoding), converted: encoding };
}
