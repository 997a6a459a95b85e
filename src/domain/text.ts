/**
 * Vietnamese text: normalisation, folding for search, and a sort key that orders strings in
 * Vietnamese alphabetical order under a plain byte ("C") collation.
 *
 * Pure functions, no I/O. The database stores `search_key = foldForSearch(name)` and
 * `sort_key = vietnameseSortKey(name)` beside every searchable name, so PGlite (which has no ICU
 * collations) and a PostgreSQL server sort and search identically.
 */

/** NFC-normalise, trim, and collapse runs of whitespace (including NBSP) to one space. */
export function normalizeText(input: string): string {
  return input
    .normalize("NFC")
    .replace(/[\s\u00a0\u200b\ufeff]+/gu, " ")
    .trim();
}

/**
 * Lower case, for comparing names. Vietnamese has no casing rules of its own (only Turkish,
 * Azeri and Lithuanian do), so this is the plain conversion, several times faster than
 * `toLocaleLowerCase("vi")` and equal to it (tested).
 */
export function lowerCase(input: string): string {
  return input.toLowerCase();
}

/**
 * Fold for search: lowercase, strip every diacritic (tones and vowel marks), map đ/Đ to d,
 * collapse whitespace. "Xã Thanh Định" → "xa thanh dinh"; works on NFC or NFD input alike.
 */
export function foldForSearch(input: string): string {
  // Final sigma: the one letter whose lower case depends on the letters around it.
  if (input.includes("Σ")) return normalizeText(foldChars(input));
  let folded = "";
  for (const ch of input) folded += foldedChar(ch);
  // Whitespace is collapsed after the marks are gone: a stray mark between spaces leaves none.
  return normalizeText(folded);
}

/** Marks removed, đ/Đ to d, lower case: the fold before whitespace is collapsed. */
function foldChars(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/gu, "d")
    .toLowerCase();
}

/**
 * Characters folded so far (`foldChars` of each, which is the fold of a text character by
 * character: marks only combine, and are dropped). Names use few distinct characters, and this
 * runs for every name stored or searched.
 */
const foldedChars = new Map<string, string>();

function foldedChar(ch: string): string {
  return remembered(foldedChars, ch, foldChars);
}

/** Characters remembered per table, at most; past it they are computed each time. */
const KEPT_CHARACTERS = 10_000;

function remembered<T>(table: Map<string, T>, ch: string, compute: (ch: string) => T): T {
  let value = table.get(ch);
  if (value === undefined) {
    value = compute(ch);
    if (table.size < KEPT_CHARACTERS) table.set(ch, value);
  }
  return value;
}

/** The 29 letters of the Vietnamese alphabet (plus f, j, w, z for foreign words) in order. */
const LETTER_ORDER = [
  "a",
  "ă",
  "â",
  "b",
  "c",
  "d",
  "đ",
  "e",
  "ê",
  "f",
  "g",
  "h",
  "i",
  "j",
  "k",
  "l",
  "m",
  "n",
  "o",
  "ô",
  "ơ",
  "p",
  "q",
  "r",
  "s",
  "t",
  "u",
  "ư",
  "v",
  "w",
  "x",
  "y",
  "z",
] as const;

/** Tone marks as combining characters, in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng. */
const TONE_ORDER: Record<string, number> = {
  "\u0300": 1, // huyền
  "\u0309": 2, // hỏi
  "\u0303": 3, // ngã
  "\u0301": 4, // sắc
  "\u0323": 5, // nặng
};

/** Ngang plus the five marked tones. */
const TONE_COUNT = 6;

// Primary weights: space and punctuation (< 0x80) < digit runs (0x80–0xff) < letters (≥ 0x100),
// as in a printed index.
const LETTER_BASE = 0x100;
const letterWeight = new Map<string, number>(LETTER_ORDER.map((l, i) => [l, LETTER_BASE + i]));

/**
 * Weight of a character outside the Vietnamese alphabet: ASCII keeps its code point; anything else
 * sorts after the letters, by code point. Every key character is a BMP character outside the
 * surrogate range (code points from U+C800 take two), so a JS string comparison (UTF-16 units) and
 * `COLLATE "C"` (UTF-8 bytes) order keys alike, and no code point overflows U+10FFFF.
 */
function otherWeight(cp: number): string {
  if (cp < 0x80) return String.fromCodePoint(cp);
  if (cp < 0xc800) return String.fromCodePoint(0x1000 + cp);
  const rest = cp - 0xc800;
  return String.fromCharCode(0xe000 + (rest >> 10), 0xe000 + (rest & 0x3ff));
}

/** Split a lowercase NFD character sequence into (letter without tone, tone index). */
function decomposeLetter(ch: string): { letter: string; tone: number } {
  const nfd = ch.normalize("NFD");
  let base = "";
  let tone = 0;
  for (const part of nfd) {
    const t = TONE_ORDER[part];
    if (t !== undefined) tone = t;
    else base += part;
  }
  return { letter: base.normalize("NFC"), tone };
}

/** A character's parts of a sort key: its primary weight, its tone (secondary) and its case. */
type CharWeights = readonly [primary: string, tone: string, casing: string];

function weighCharacter(ch: string): CharWeights {
  const lower = ch.toLowerCase();
  const { letter, tone } = decomposeLetter(lower);
  const w = letterWeight.get(letter);
  let secondary = tone;
  let primary: string;
  if (w !== undefined) {
    primary = String.fromCodePoint(w);
  } else {
    // Space and punctuation keep their own code point (below the digits' and letters'
    // weights); other scripts' letters sort after the Vietnamese alphabet.
    const folded = foldForSearch(lower) || lower;
    const fw = letterWeight.get(folded);
    if (fw !== undefined) {
      // A Latin letter with a non-Vietnamese mark (ç, ö, ü) sorts as its base letter, after
      // the Vietnamese tones of that letter (not as punctuation by its ASCII code point).
      primary = String.fromCodePoint(fw);
      secondary = TONE_COUNT + tone;
    } else {
      primary = otherWeight(folded.codePointAt(0) ?? 0);
    }
  }
  return [primary, String.fromCodePoint(0x30 + secondary), ch === lower ? "0" : "1"];
}

/** Characters weighed so far (two normalisations each otherwise). */
const weighedChars = new Map<string, CharWeights>();

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/**
 * A key whose code-point order is Vietnamese dictionary order: letters compared first
 * (a < ă < â < b … d < đ …), case and tones only break ties (ngang < huyền < hỏi < ngã < sắc < nặng).
 * Compare keys with a binary collation (`COLLATE "C"` in SQL, `<` on strings in JS).
 */
export function vietnameseSortKey(input: string): string {
  const text = normalizeText(input);
  let primary = "";
  let tones = "";
  let cases = "";
  for (let i = 0; i < text.length; ) {
    if (isDigit(text.charCodeAt(i))) {
      // Runs of digits sort by value ("Thôn 2" < "Thôn 10"): each run is prefixed by its length.
      let end = i + 1;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      let start = i;
      while (start < end - 1 && text.charCodeAt(start) === 0x30) start++;
      const digits = text.slice(start, end);
      primary += String.fromCodePoint(0x80 + Math.min(digits.length, 0x7f)) + digits;
      i = end;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i) as number);
    const [p, t, c] = remembered(weighedChars, ch, weighCharacter);
    primary += p;
    tones += t;
    cases += c;
    i += ch.length;
  }
  // Separator below every weight so that a prefix sorts before its extensions.
  return `${primary}\u0001${tones}\u0001${cases}`;
}

/**
 * Type prefixes of official unit names. Lists of provinces or communes read in the order of the
 * proper name ("An Giang", "Bắc Ninh", … "Hà Nội"), whatever the type.
 */
const ADMINISTRATIVE_PREFIX = /^(tỉnh|thành phố|xã|phường|thị trấn|đặc khu)\s+/iu;

/** Sort key of an official unit name: the proper name first, the type only breaks ties. */
export function administrativeSortKey(name: string): string {
  const text = normalizeText(name);
  const match = ADMINISTRATIVE_PREFIX.exec(text);
  if (!match) return vietnameseSortKey(text);
  return vietnameseSortKey(`${text.slice(match[0].length)} ${match[1]}`);
}

/** Compare two strings in Vietnamese order (for sorting in memory). */
export function compareVietnamese(a: string, b: string): number {
  const ka = vietnameseSortKey(a);
  const kb = vietnameseSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
