import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  convertLegacyCell,
  decodeLegacy,
  decodeWindows1252,
  detectLegacyEncoding,
  encodeLegacy,
  isVietnameseSyllable,
  type LegacyEncoding,
} from "./legacy-encodings.ts";
import {
  ALL_LETTERS,
  cp1252Char,
  hasDiacritic,
  isLatin1,
  LOWER_LETTERS,
  sentence,
  TONES,
  type ToneName,
  toned,
  VOWELS,
  WORD_LETTERS,
  WORDS,
  WORDS_WITH_DIACRITICS,
} from "./vietnamese-fixtures.ts";

const ENCODINGS = ["tcvn3", "vni"] as const;

/** The text an encoding can hold: TCVN3 has no upper-case toned letter, so its tests use lower case. */
const encodable = (text: string, encoding: LegacyEncoding) =>
  encoding === "tcvn3" ? text.toLowerCase() : text;

// ---------------------------------------------------------------------------------------------
// The published tables, transcribed here in their own shape (not the module's), so that the
// tests are not the module checking itself.
// ---------------------------------------------------------------------------------------------

/**
 * VNI-Windows (xvnkb vni.h, UniKey data.cpp "VNI-WIN"): a base letter then one mark character per
 * tone, or a single character; lower-case forms, in the order of TONES.
 */
const VNI_TONE_MARK = ["", "ù", "ø", "û", "õ", "ï"];
const VNI_CIRCUMFLEX = ["â", "á", "à", "å", "ã", "ä"];
const VNI_BREVE = ["ê", "é", "è", "ú", "ü", "ë"];
const VNI_I = ["i", "í", "ì", "æ", "ó", "ò"];

function vniOf(vowel: (typeof VOWELS)[number], tone: number, upper: boolean): string {
  let lower: string;
  if (vowel === "i") lower = VNI_I[tone] as string;
  else if (vowel === "y" && tone === 5) lower = "î";
  else if (vowel === "ơ") lower = `ô${VNI_TONE_MARK[tone]}`;
  else if (vowel === "ư") lower = `ö${VNI_TONE_MARK[tone]}`;
  else if (vowel === "â" || vowel === "ê" || vowel === "ô")
    lower = { â: "a", ê: "e", ô: "o" }[vowel] + VNI_CIRCUMFLEX[tone];
  else if (vowel === "ă") lower = `a${VNI_BREVE[tone]}`;
  else lower = vowel + VNI_TONE_MARK[tone];
  return upper ? lower.toUpperCase() : lower;
}

/** TCVN3 (UniKey data.cpp "TCVN3", libiconv tcvn.h): each vowel's six tones, as Windows-1252 characters. */
const TCVN3_ROWS: Record<(typeof VOWELS)[number], string> = {
  a: "a¸µ¶·¹",
  ă: "¨¾»¼½Æ",
  â: "©ÊÇÈÉË",
  e: "eÐÌÎÏÑ",
  ê: "ªÕÒÓÔÖ",
  i: "iÝ×ØÜÞ",
  o: "oãßáâä",
  ô: "«èåæçé",
  ơ: "¬íêëìî",
  u: "uóïñòô",
  ư: "\u00adøõö÷ù",
  y: "yýúûüþ",
};
/** TCVN3's upper-case letters (all without tone) and đ. */
const TCVN3_OTHERS: Record<string, string> = {
  Ă: "¡",
  Â: "¢",
  Ê: "£",
  Ô: "¤",
  Ơ: "¥",
  Ư: "¦",
  Đ: "§",
  đ: "®",
};

describe("the letters under test", () => {
  it("are the 146 distinct NFC letters: 12 vowels × 6 tones × 2 cases, đ and Đ", () => {
    expect(ALL_LETTERS).toHaveLength(146);
    expect(new Set(ALL_LETTERS).size).toBe(146);
    for (const l of ALL_LETTERS) expect([...l], l).toHaveLength(1);
    expect(LOWER_LETTERS).toContain("ệ");
    expect(ALL_LETTERS).toContain("Ỵ");
  });
});

describe("VNI-Windows letters", () => {
  const cases = VOWELS.flatMap((vowel) =>
    TONES.flatMap(([tone], t) =>
      [false, true].map((upper) => {
        const letter = upper ? toned(vowel, tone).toUpperCase() : toned(vowel, tone);
        return { letter, vni: vniOf(vowel, t, upper) };
      }),
    ),
  );
  cases.push({ letter: "đ", vni: "ñ" }, { letter: "Đ", vni: "Ñ" });

  it("covers all 146 letters", () => {
    expect(new Set(cases.map((c) => c.letter))).toEqual(new Set(ALL_LETTERS));
  });

  it.each(cases)("$letter is VNI “$vni” both ways", ({ letter, vni }) => {
    expect(encodeLegacy(letter, "vni")).toBe(vni);
    expect(decodeLegacy(vni, "vni")).toBe(letter);
    // The NFD form of the letter encodes the same.
    expect(encodeLegacy(letter.normalize("NFD"), "vni")).toBe(vni);
  });

  it("pins bytes of the published table", () => {
    expect(decodeLegacy("a\u00f9", "vni")).toBe("á");
    expect(decodeLegacy("e\u00e4", "vni")).toBe("ệ");
    expect(decodeLegacy("\u00f1", "vni")).toBe("đ");
    expect(decodeLegacy("\u00f6", "vni")).toBe("ư");
    expect(decodeLegacy("\u00f4", "vni")).toBe("ơ");
    expect(decodeLegacy("o\u00e2", "vni")).toBe("ô");
    expect(decodeLegacy("a\u00ea", "vni")).toBe("ă");
    expect(decodeLegacy("\u00ee", "vni")).toBe("ỵ");
    expect(decodeLegacy("\u00d6\u00d9", "vni")).toBe("Ứ");
    expect(encodeLegacy("ữ", "vni")).toBe("\u00f6\u00f5");
  });

  it("also reads a mark of the other case and a vowel mark followed by a tone mark", () => {
    expect(decodeLegacy("A\u00f9", "vni")).toBe("Á");
    expect(decodeLegacy("a\u00d9", "vni")).toBe("á");
    expect(decodeLegacy("a\u00e2\u00f9", "vni")).toBe("ấ");
    expect(decodeLegacy("o\u00e2\u00ef", "vni")).toBe("ộ");
  });
});

describe("TCVN3 letters", () => {
  const lower = VOWELS.flatMap((vowel) =>
    TONES.map(([tone], t) => ({ letter: toned(vowel, tone), tcvn3: TCVN3_ROWS[vowel][t] as string })),
  );
  lower.push({ letter: "đ", tcvn3: "®" });

  it("covers the 73 lower-case letters", () => {
    expect(new Set(lower.map((c) => c.letter))).toEqual(new Set(LOWER_LETTERS));
  });

  it.each(lower)("$letter is TCVN3 “$tcvn3” both ways", ({ letter, tcvn3 }) => {
    expect(encodeLegacy(letter, "tcvn3")).toBe(tcvn3);
    expect(decodeLegacy(tcvn3, "tcvn3")).toBe(letter);
  });

  it.each(Object.entries(TCVN3_OTHERS))(
    "upper-case %s without tone is TCVN3 “%s” both ways",
    (letter, tcvn3) => {
      expect(encodeLegacy(letter, "tcvn3")).toBe(tcvn3);
      expect(decodeLegacy(tcvn3, "tcvn3")).toBe(letter);
    },
  );

  it("pins bytes of the published table", () => {
    const byte = (b: number) => String.fromCharCode(b);
    expect(decodeLegacy(byte(0xb8), "tcvn3")).toBe("á");
    expect(decodeLegacy(byte(0xd6), "tcvn3")).toBe("ệ");
    expect(decodeLegacy(byte(0xae), "tcvn3")).toBe("đ");
    expect(decodeLegacy(byte(0xa7), "tcvn3")).toBe("Đ");
    expect(decodeLegacy(byte(0xad), "tcvn3")).toBe("ư");
    expect(decodeLegacy(byte(0xfe), "tcvn3")).toBe("ỵ");
    expect(encodeLegacy("ợ", "tcvn3")).toBe(byte(0xee));
  });

  // Documented: TCVN3 has no upper-case toned letter; encoding one would change its case.
  const upperToned = VOWELS.flatMap((vowel) =>
    TONES.slice(1).map(([tone]) => toned(vowel, tone as ToneName).toUpperCase()),
  );
  it("has 60 upper-case toned letters", () => {
    expect(new Set(upperToned).size).toBe(60);
  });
  it.each(upperToned)("refuses the upper-case toned %s", (letter) => {
    expect(() => encodeLegacy(letter, "tcvn3")).toThrow(RangeError);
    expect(() => encodeLegacy(`Ông ${letter}`, "tcvn3")).toThrow(/Không mã hoá được ký tự/u);
  });

  it("decodes toned letters in lower case, but in capitals in text typed in capitals", () => {
    expect(decodeLegacy("NguyÔn ThÞ Hoa", "tcvn3")).toBe("Nguyễn Thị Hoa");
    expect(decodeLegacy("NGUYÔN THÞ HOA", "tcvn3")).toBe("NGUYỄN THỊ HOA");
    expect(decodeLegacy("UBND X· THANH §ÞNH", "tcvn3")).toBe("UBND XÃ THANH ĐỊNH");
    // One capital is not enough to tell: "Xã" as often as "XÃ".
    expect(decodeLegacy("X·", "tcvn3")).toBe("Xã");
    expect(decodeLegacy("nguyÔn", "tcvn3")).toBe("nguyễn");
  });
});

describe("decodeWindows1252", () => {
  it("reads every byte as CP1252.TXT does, the five undefined bytes as C1 controls", () => {
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    const text = decodeWindows1252(all);
    expect([...text]).toEqual(Array.from({ length: 256 }, (_, b) => cp1252Char(b)));
    expect(decodeWindows1252(Uint8Array.of(0x80, 0x93, 0x94, 0x96, 0x81))).toBe("€“”–\u0081");
  });
});

describe("decodeLegacy and encodeLegacy", () => {
  it("leave ASCII as it is", () => {
    const ascii = "Ho va ten, so 12/3 (ghi chu): A-Z a-z 0-9 ~!@#$%^&*";
    for (const enc of ENCODINGS) {
      expect(encodeLegacy(ascii, enc)).toBe(ascii);
      expect(decodeLegacy(ascii, enc)).toBe(ascii);
    }
  });

  it("leave characters outside Windows-1252 (Unicode already in the cell) as they are", () => {
    expect(decodeLegacy("ViÖt Nam – Việt", "tcvn3")).toBe("Việt Nam – Việt");
    expect(decodeLegacy("Vieät Nam 中", "vni")).toBe("Việt Nam 中");
  });

  it("read a C1 control (a reader that took the bytes as Latin-1) as its Windows-1252 byte", () => {
    // 0x93/0x94 are “ ” in Windows-1252; some readers leave U+0093/U+0094.
    expect(decodeLegacy("\u0093Gia ®×nh\u0094", "tcvn3")).toBe("“Gia đình”");
    expect(decodeLegacy("\u0093Gia ñình\u0094", "vni")).toBe("“Gia đình”");
  });

  it("refuse characters the encoding cannot hold", () => {
    expect(() => encodeLegacy("©", "tcvn3")).toThrow(RangeError); // 0xA9 is â in TCVN3
    expect(() => encodeLegacy("ä", "vni")).toThrow(RangeError); // 0xE4 is a VNI mark
    expect(() => encodeLegacy("中", "vni")).toThrow(/U\+4E2D/u);
    // Windows-1252 punctuation the encoding leaves alone passes.
    expect(encodeLegacy("“Hà” – 5€", "tcvn3")).toBe("“Hµ” – 5€");
  });

  it("fixed sentences, from the converters' published examples", () => {
    expect(encodeLegacy("Xin chào các bạn", "vni")).toBe("Xin chaøo caùc baïn");
    expect(encodeLegacy("Xin chào các bạn", "tcvn3")).toBe("Xin chµo c¸c b¹n");
    expect(encodeLegacy("Tôi đi học", "vni")).toBe("Toâi ñi hoïc");
    expect(encodeLegacy("Tôi đi học", "tcvn3")).toBe("T«i ®i häc");
    expect(decodeLegacy("Xin chaøo caùc baïn", "vni")).toBe("Xin chào các bạn");
    expect(decodeLegacy("Xin chµo c¸c b¹n", "tcvn3")).toBe("Xin chào các bạn");
    expect(decodeLegacy("Toâi ñi hoïc", "vni")).toBe("Tôi đi học");
    expect(decodeLegacy("T«i ®i häc", "tcvn3")).toBe("Tôi đi học");
    expect(encodeLegacy("Nguyễn Thị Hoa", "vni")).toBe("Nguyeãn Thò Hoa");
    expect(encodeLegacy("Nguyễn Thị Hoa", "tcvn3")).toBe("NguyÔn ThÞ Hoa");
  });

  it("round-trip sentences of real words (TCVN3 in lower case)", () => {
    fc.assert(
      fc.property(sentence(1, 12), fc.constantFrom(...ENCODINGS), (text, enc) => {
        const original = encodable(text, enc);
        expect(decodeLegacy(encodeLegacy(original, enc), enc)).toBe(original);
      }),
      { numRuns: 300 },
    );
  });

  it("give only Windows-1252 characters", () => {
    fc.assert(
      fc.property(sentence(1, 8), fc.constantFrom(...ENCODINGS), (text, enc) => {
        const encoded = encodeLegacy(encodable(text, enc), enc);
        const cp1252 = new Set(Array.from({ length: 256 }, (_, b) => cp1252Char(b)));
        expect([...encoded].every((ch) => cp1252.has(ch))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe("isVietnameseSyllable", () => {
  it.each([
    "a",
    "đ",
    "hoà",
    "hòa",
    "thuý",
    "thúy",
    "quốc",
    "quý",
    "giữa",
    "gì",
    "giếng",
    "nghiêng",
    "khuya",
    "người",
    "rượu",
    "khuỷu",
    "xoong",
    "goòng",
    "voọc",
    "Krông",
    "Búk",
    "Đắk",
    "NGUYỄN",
    "Nguyễn".normalize("NFD"),
    "Ðông", // Eth, typed for Đ
  ])("accepts %s", (word) => {
    expect(isVietnameseSyllable(word)).toBe(true);
  });

  it.each([
    ["nghỡn", "ngh before ơ"],
    ["ngi", "ng before i"],
    ["ghà", "gh before a"],
    ["gế", "g before ê"],
    ["cé", "c before e"],
    ["cuỷa", "a tone on uya"],
    ["máý", "two tones"],
    ["miá", "tone on the a of ia"],
    ["bàt", "huyền before a stop"],
    ["café", "not a rhyme"],
    ["Müller", "not a letter"],
    ["oâng", "a VNI word read as Unicode"],
    ["", "empty"],
  ])("refuses %s (%s)", (word) => {
    expect(isVietnameseSyllable(word)).toBe(false);
  });

  it("accepts every word of the word list, NFC and NFD, in any case", () => {
    for (const w of WORDS) {
      expect(isVietnameseSyllable(w), w).toBe(true);
      expect(isVietnameseSyllable(w.normalize("NFD")), w).toBe(true);
      expect(isVietnameseSyllable(w.toUpperCase()), w).toBe(true);
    }
  });
});

describe("detectLegacyEncoding", () => {
  const realistic = [
    "Xin chào các bạn",
    "Tôi đi học",
    "Nguyễn Thị Hoa",
    "Thôn Đông Hưng",
    "Xã Thanh Định",
    "Trung tâm học tập cộng đồng",
    "Chi hội khuyến học thôn Đoài",
    "Đỗ Thị Ngọc Ánh",
    "Trần Văn Bình",
    "Phường Bến Nghé, Quận 1",
    "Số 12, đường Lê Lợi, phường 3",
    "Ông Nguyễn Văn Bình (chủ hộ)",
    "“Gia đình học tập”",
    "Dòng họ Nguyễn Đình – thôn Đông",
    "Tổ dân phố số 7",
    "Xóm 5, thôn Đông",
    "ỦY BAN NHÂN DÂN XÃ THANH ĐỊNH",
  ];

  it.each(realistic)("finds “%s” in VNI and TCVN3, and converts it back", (text) => {
    for (const enc of ENCODINGS) {
      const original = encodable(text, enc);
      const encoded = encodeLegacy(original, enc);
      expect(detectLegacyEncoding(encoded), `${enc}: ${encoded}`).toBe(enc);
      expect(convertLegacyCell(encoded)).toEqual({ text: original, converted: enc });
    }
    expect(detectLegacyEncoding(text)).toBeNull();
    expect(detectLegacyEncoding(text.normalize("NFD"))).toBeNull();
  });

  it("finds the fixed sentences as given", () => {
    expect(detectLegacyEncoding("Xin chaøo caùc baïn")).toBe("vni");
    expect(detectLegacyEncoding("Xin chµo c¸c b¹n")).toBe("tcvn3");
    expect(detectLegacyEncoding("Toâi ñi hoïc")).toBe("vni");
    expect(detectLegacyEncoding("T«i ®i häc")).toBe("tcvn3");
  });

  it("never flags ASCII", () => {
    for (const text of ["", "Nguyen Van A", "UBND xa Thanh Dinh", "12/3/2024; 1.234.567", "a\u0000b\u007f"]) {
      expect(detectLegacyEncoding(text)).toBeNull();
    }
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", maxLength: 60 }), (text) => {
        expect(detectLegacyEncoding(text)).toBeNull();
      }),
    );
  });

  it("never flags Unicode Vietnamese written only with Windows-1252 letters", () => {
    // Such text goes through the whole detection (every character is a Windows-1252 one).
    const latin1 = WORDS.filter((w) => hasDiacritic(w) && isLatin1(w));
    expect(latin1.length).toBeGreaterThan(40);
    for (const text of [
      "Tô Lâm",
      "Hà Tây",
      "Lê Thi Hoà",
      "Hùng",
      "Ðông Hà",
      "Châu Thành",
      "Bình Thuý",
      "Tiên Yên",
    ]) {
      expect(detectLegacyEncoding(text), text).toBeNull();
    }
    fc.assert(
      fc.property(sentence(1, 10, latin1), (text) => {
        expect(detectLegacyEncoding(text)).toBeNull();
        expect(detectLegacyEncoding(text.toUpperCase())).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("never flags Unicode Vietnamese, NFC or NFD (property)", () => {
    fc.assert(
      fc.property(sentence(1, 12), (text) => {
        expect(detectLegacyEncoding(text)).toBeNull();
        expect(detectLegacyEncoding(text.normalize("NFD"))).toBeNull();
        expect(convertLegacyCell(text)).toEqual({ text, converted: null });
      }),
      { numRuns: 300 },
    );
  });

  it("does not take French, German or Spanish words for legacy text", () => {
    for (const text of [
      "café",
      "élève",
      "Noël",
      "Müller",
      "España",
      "naïve",
      "Zürich",
      "São Paulo",
      "José",
      "François",
    ]) {
      expect(detectLegacyEncoding(text), text).toBeNull();
    }
    // Documented: a lone "où" is VNI "ó".
    expect(detectLegacyEncoding("où")).toBe("vni");
  });

  it("never names the wrong encoding (property)", () => {
    fc.assert(
      fc.property(sentence(1, 10, WORDS_WITH_DIACRITICS), fc.constantFrom(...ENCODINGS), (text, enc) => {
        const found = detectLegacyEncoding(encodeLegacy(encodable(text, enc), enc));
        expect([enc, null]).toContain(found);
      }),
      { numRuns: 500 },
    );
  });

  it("finds sentences of three or more words once one word would be found on its own (property)", () => {
    // A word found alone reads as no Vietnamese in Unicode nor in the other encoding; the other words
    // of the sentence, however ambiguous, must not turn the answer.
    const alone = (word: string, enc: LegacyEncoding) =>
      detectLegacyEncoding(encodeLegacy(encodable(word, enc), enc));
    for (const enc of ENCODINGS) {
      expect(WORDS_WITH_DIACRITICS.filter((w) => alone(w, enc) === enc).length).toBeGreaterThan(100);
    }
    fc.assert(
      fc.property(
        sentence(2, 7, WORDS_WITH_DIACRITICS),
        fc.constantFrom(...ENCODINGS),
        fc.constantFrom(...WORDS_WITH_DIACRITICS),
        fc.nat(),
        (text, enc, extra, at) => {
          fc.pre(alone(extra, enc) === enc);
          const words = text.split(" ");
          words.splice(at % (words.length + 1), 0, extra);
          const original = encodable(words.join(" "), enc);
          const encoded = encodeLegacy(original, enc);
          expect(detectLegacyEncoding(encoded)).toBe(enc);
          expect(convertLegacyCell(encoded)).toEqual({ text: original, converted: enc });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("finds a word whose legacy form is not Vietnamese in any other reading", () => {
    // Every letter of these words outside ASCII turns into a non-letter in TCVN3, and VNI reads
    // them as no letter either.
    for (const word of ["đường", "Hưng", "người", "học", "bảng"]) {
      const encoded = encodeLegacy(word.toLowerCase(), "tcvn3");
      expect(
        [...encoded].some((ch) => !WORD_LETTERS.has(ch)),
        encoded,
      ).toBe(true);
      expect(detectLegacyEncoding(encoded), encoded).toBe("tcvn3");
    }
  });

  describe("limitations (documented)", () => {
    it("cannot tell legacy text whose Windows-1252 form is good Unicode Vietnamese", () => {
      // TCVN3 "Lờ" is stored as "Lê", VNI "Hồng" as "Hoàng": they are left as they are.
      expect(encodeLegacy("lờ", "tcvn3")).toBe("lê");
      expect(detectLegacyEncoding("lê")).toBeNull();
      expect(encodeLegacy("Hồng", "vni")).toBe("Hoàng");
      expect(detectLegacyEncoding("Hoàng")).toBeNull();
      // A cell made only of such words: TCVN3 "xóm phố có".
      expect(encodeLegacy("xóm phố có", "tcvn3")).toBe("xãm phè cã");
      expect(detectLegacyEncoding("xãm phè cã")).toBeNull();
    });

    it("gives null when both legacy encodings read equally well", () => {
      // VNI "ñi" = "đi", TCVN3 "ñi" = "ủi".
      expect(detectLegacyEncoding("ñi")).toBeNull();
      // VNI "chưa Thị chị" is TCVN3 "chửa Thũ chũ", syllable for syllable.
      expect(decodeLegacy("chöa Thò chò", "tcvn3")).toBe("chửa Thũ chũ");
      expect(detectLegacyEncoding("chöa Thò chò")).toBeNull();
    });
  });

  it("breaks a tie between the encodings on rare rhymes and mixed case", () => {
    // VNI "ông không công" read as TCVN3 is "oõng khoõng coõng" (a rhyme of loanwords, xoong).
    expect(decodeLegacy("oâng khoâng coâng", "tcvn3")).toBe("oõng khoõng coõng");
    expect(detectLegacyEncoding("oâng khoâng coâng")).toBe("vni");
    // TCVN3 "rèn tổ rèn" read as VNI is "rÌn tỉ rÌn".
    expect(decodeLegacy("rÌn tæ rÌn", "vni")).toBe("rÌn tỉ rÌn");
    expect(detectLegacyEncoding("rÌn tæ rÌn")).toBe("tcvn3");
    // ngh is never written before ơ: TCVN3 "nghỡn" is no reading of VNI "nghìn".
    expect(detectLegacyEncoding("nghìn chöa thím")).toBe("vni");
  });

  it("weighs a rival reading (Windows-1258) and gives way to it when it reads as well", () => {
    expect(detectLegacyEncoding("Xin chµo c¸c b¹n", { rival: "Xin chào các bạn" })).toBeNull();
    expect(detectLegacyEncoding("Xin chµo c¸c b¹n", { rival: "Xin chµo c¸c b¹n" })).toBe("tcvn3");
  });
});

describe("the official names of the administrative units (resources/admin-units-2025)", () => {
  const names = (() => {
    const out = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) for (const v of value) walk(v);
      else if (value !== null && typeof value === "object") {
        for (const [key, v] of Object.entries(value)) {
          if (key === "name" && typeof v === "string") out.add(v.normalize("NFC").trim());
          else walk(v);
        }
      }
    };
    for (const file of ["merges.json", "splits.json"]) {
      const url = new URL(`../../../resources/admin-units-2025/${file}`, import.meta.url);
      walk(JSON.parse(readFileSync(url, "utf8")));
    }
    return [...out];
  })();

  it("are never flagged as legacy, NFC or NFD", () => {
    expect(names.length).toBeGreaterThan(8000);
    const flagged = names.filter(
      (n) => detectLegacyEncoding(n) !== null || detectLegacyEncoding(n.normalize("NFD")) !== null,
    );
    expect(flagged).toEqual([]);
  });

  it("round-trip through both encodings, are never given the wrong one, and are nearly all found", () => {
    for (const enc of ENCODINGS) {
      let found = 0;
      for (const name of names) {
        const original = encodable(name, enc);
        const encoded = encodeLegacy(original, enc);
        expect(decodeLegacy(encoded, enc)).toBe(original);
        const detected = detectLegacyEncoding(encoded);
        expect([enc, null], `${enc}: ${name}`).toContain(detected);
        if (detected === enc) found++;
      }
      // The rest are names made only of ambiguous words ("Xã Nà Ơt"); 98.2% were found when written.
      expect(found / names.length, enc).toBeGreaterThan(0.975);
    }
  });
});
