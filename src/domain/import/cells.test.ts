import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cleanText,
  decodeCsvBytes,
  decodeWindows1258,
  parseCellDate,
  parseVietnameseNumber,
  parseYesNo,
} from "./cells.ts";
import {
  convertLegacyCell,
  detectLegacyEncoding,
  encodeLegacy,
  type LegacyEncoding,
} from "./legacy-encodings.ts";
import {
  encodeWindows1258,
  HAS_WINDOWS_1258_DECODER,
  hasDiacritic,
  sentence,
  WORDS_WITH_DIACRITICS,
  windows1252Bytes,
} from "./vietnamese-fixtures.ts";

const NOT_A_NUMBER = (text: string) => ({ ok: false, message: `Không phải là số: “${text}”.` });
const DATE_FORMAT_MESSAGE = "Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/09/2024.";
const YES_NO_MESSAGE = "Chỉ nhận “có” (hoặc x) hoặc “không” (hoặc để trống).";
const DAY = 86_400_000;

describe("cleanText", () => {
  it.each([
    ["  Nguyễn\u00a0\u00a0Văn\tA \n", "Nguyễn Văn A"],
    ["Thôn\u202fĐông\u3000Hưng", "Thôn Đông Hưng"],
    ["Ng\u200buyễn\u200c Thị\u200d Hoa\ufeff", "Nguyễn Thị Hoa"],
    ["\ufeffHà Nội", "Hà Nội"],
    ["Nguyễn Thị Hoà".normalize("NFD"), "Nguyễn Thị Hoà"],
    ["a\r\n\r\nb", "a b"],
    ["", ""],
    [" \t\u00a0 ", ""],
  ])("%j → %j", (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it("composes a mark that a zero-width character kept from its letter", () => {
    expect(cleanText("Nguye\u0302\u200b\u0303n")).toBe("Nguyễn");
    expect(cleanText("ca\u200b\u0301c")).toBe("các");
  });

  it("keeps the soft hyphen, which is TCVN3's ư", () => {
    expect(cleanText(" ng\u00adêi ")).toBe("ng\u00adêi");
  });

  /** Strings made of the characters that matter: letters, marks, spaces, zero-width characters. */
  const messy = fc
    .array(
      fc.constantFrom(
        ..."aeoưĐệ".split(""),
        "\u0301",
        "\u0323",
        "\u0302",
        "\u031b",
        "\u200b",
        "\u200d",
        "\ufeff",
        " ",
        "\u00a0",
        "\t",
        "\n",
        "\u2000",
        "\u00ad",
      ),
      { maxLength: 30 },
    )
    .map((cs) => cs.join(""));

  it("gives NFC text without zero-width characters, trimmed, with single spaces, and is idempotent (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(messy, fc.string({ unit: "grapheme", maxLength: 30 }), fc.string({ maxLength: 30 })),
        (s) => {
          const out = cleanText(s);
          expect(out).toBe(out.normalize("NFC"));
          expect(out).not.toMatch(/[\u200b-\u200d\ufeff]/u);
          expect(out).toBe(out.trim());
          expect(out).not.toMatch(/\s\s|[^\S ]/u);
          expect(cleanText(out)).toBe(out);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("leaves legacy text as it is, so that it can still be converted (property)", () => {
    fc.assert(
      fc.property(sentence(1, 8), fc.constantFrom<LegacyEncoding>("tcvn3", "vni"), (text, enc) => {
        const encoded = encodeLegacy(enc === "tcvn3" ? text.toLowerCase() : text, enc);
        expect(cleanText(encoded)).toBe(encoded);
      }),
    );
  });
});

describe("parseVietnameseNumber", () => {
  it.each([
    ["1.234.567", 1234567],
    ["99,48", 99.48],
    ["1.500", 1500],
    ["12.345", 12345],
    ["1.5", 1.5],
    ["99.48", 99.48],
    ["0.500", 0.5],
    ["1234.567", 1234.567],
    ["1,234", 1.234],
    ["-12", -12],
    ["+7", 7],
    ["-0", 0],
    ["0", 0],
    ["0,5", 0.5],
    ["007", 7],
    ["1 234 567", 1234567],
    ["1\u00a0234\u00a0567", 1234567],
    ["1\u202f234", 1234],
    ["1.234,5", 1234.5],
    ["1 234,56", 1234.56],
    ["-1.234.567,89", -1234567.89],
    ["  42 ", 42],
  ])("%j → %d", (text, value) => {
    expect(parseVietnameseNumber(text)).toEqual({ ok: true, value });
  });

  it.each([null, undefined, "", "   ", "\u00a0"])("%j is no value", (value) => {
    expect(parseVietnameseNumber(value)).toEqual({ ok: true, value: null });
  });

  it("takes numbers as they are, but not NaN or infinities", () => {
    expect(parseVietnameseNumber(12.5)).toEqual({ ok: true, value: 12.5 });
    expect(parseVietnameseNumber(-3)).toEqual({ ok: true, value: -3 });
    expect(parseVietnameseNumber(Number.NaN)).toEqual({ ok: false, message: "Số không hợp lệ." });
    expect(parseVietnameseNumber(Number.POSITIVE_INFINITY)).toEqual({
      ok: false,
      message: "Số không hợp lệ.",
    });
  });

  it.each([
    "abc",
    "12a",
    "1,2,3",
    "1.23.4",
    "1.234.5",
    "1.2345.678",
    "01.234.567",
    "1,234.56",
    "--1",
    "+-1",
    "- 1",
    "1e5",
    "12.",
    ",5",
    "5,",
    "1 23",
    "1 234.567",
    "12 %",
    "mười hai",
  ])("refuses %j with a Vietnamese message", (text) => {
    expect(parseVietnameseNumber(text)).toEqual(NOT_A_NUMBER(text));
  });

  it("shows the cleaned cell in the message, and refuses values that are not text or numbers", () => {
    expect(parseVietnameseNumber("  12\u00a0 a ")).toEqual(NOT_A_NUMBER("12 a"));
    expect(parseVietnameseNumber(true)).toEqual({ ok: false, message: "Không phải là số: “true”." });
  });

  it("reads back any integer formatted the vi-VN way (property)", () => {
    const vi = new Intl.NumberFormat("vi-VN");
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(parseVietnameseNumber(vi.format(n))).toEqual({ ok: true, value: n });
      }),
      { numRuns: 500 },
    );
  });

  it("reads back any decimal with two places formatted the vi-VN way (property)", () => {
    const fixed = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const short = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (cents) => {
        const n = cents / 100;
        expect(parseVietnameseNumber(fixed.format(n))).toEqual({ ok: true, value: n });
        expect(parseVietnameseNumber(short.format(n))).toEqual({ ok: true, value: n });
      }),
      { numRuns: 500 },
    );
  });
});

describe("parseCellDate", () => {
  it.each([
    ["05/09/2024", "2024-09-05"],
    ["5/9/2024", "2024-09-05"],
    ["5-9-2024", "2024-09-05"],
    ["05.09.2024", "2024-09-05"],
    ["2024-09-05", "2024-09-05"],
    ["2024-9-5", "2024-09-05"],
    [" 05/09/2024 ", "2024-09-05"],
    ["29/02/2024", "2024-02-29"],
    ["29/02/2000", "2000-02-29"],
    ["31/12/9999", "9999-12-31"],
    ["01/01/1000", "1000-01-01"],
  ])("%j → %s", (text, iso) => {
    expect(parseCellDate(text)).toEqual({ ok: true, value: iso });
  });

  it.each([
    "31/02/2024",
    "29/02/2023",
    "29/02/1900",
    "31/04/2024",
    "00/01/2024",
    "01/13/2024",
    "01/00/2024",
    "2024-02-30",
    "01/01/0999",
  ])("refuses the date that does not exist: %s", (text) => {
    expect(parseCellDate(text)).toEqual({ ok: false, message: `Ngày không hợp lệ: ${text}.` });
  });

  it.each(["05/09/24", "5/9-2024", "2024/09/05", "05092024", "hôm qua", "05/09/2024 08:30", "45540"])(
    "refuses the form of %j",
    (text) => {
      expect(parseCellDate(text)).toEqual({ ok: false, message: DATE_FORMAT_MESSAGE });
    },
  );

  it.each([null, undefined, "", "  "])("%j is no date", (value) => {
    expect(parseCellDate(value)).toEqual({ ok: true, value: null });
  });

  it("reads Excel serial dates in the 1900 date system", () => {
    expect(parseCellDate(45540)).toEqual({ ok: true, value: "2024-09-05" });
    expect(parseCellDate(45540.75)).toEqual({ ok: true, value: "2024-09-05" });
    expect(parseCellDate(1)).toEqual({ ok: true, value: "1900-01-01" });
    expect(parseCellDate(59)).toEqual({ ok: true, value: "1900-02-28" });
    expect(parseCellDate(61)).toEqual({ ok: true, value: "1900-03-01" });
    expect(parseCellDate(2_958_465)).toEqual({ ok: true, value: "9999-12-31" });
  });

  it("refuses serial 60 (Excel's 29/02/1900, which never was) and serials out of range", () => {
    expect(parseCellDate(60)).toEqual({ ok: false, message: "Ngày không hợp lệ: 29/02/1900." });
    for (const serial of [0, 0.5, -1, 2_958_466, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(parseCellDate(serial), String(serial)).toEqual({
        ok: false,
        message: `Ngày không hợp lệ: ${serial}.`,
      });
    }
  });

  it("reads any serial the way Excel counts days (property)", () => {
    // Excel: serial n is 30/12/1899 + n days from 1/3/1900 on (n ≥ 61), 31/12/1899 + n before.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_958_465 }).filter((n) => n !== 60),
        (n) => {
          const epoch = n < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
          const iso = new Date(epoch + n * DAY).toISOString().slice(0, 10);
          expect(parseCellDate(n)).toEqual({ ok: true, value: iso });
        },
      ),
      { numRuns: 500 },
    );
  });

  const calendarDay = fc
    .date({
      min: new Date("1900-03-01T00:00:00Z"),
      max: new Date("9999-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => new Date(Math.floor(d.getTime() / DAY) * DAY));

  it("reads back any day written dd/mm/yyyy, d-m-yyyy, as a serial or as a Date (property)", () => {
    fc.assert(
      fc.property(calendarDay, fc.integer({ min: 0, max: DAY - 1 }), (day, time) => {
        const iso = day.toISOString().slice(0, 10);
        const [y, m, d] = iso.split("-") as [string, string, string];
        expect(parseCellDate(`${d}/${m}/${y}`)).toEqual({ ok: true, value: iso });
        expect(parseCellDate(`${Number(d)}-${Number(m)}-${y}`)).toEqual({ ok: true, value: iso });
        expect(parseCellDate(iso)).toEqual({ ok: true, value: iso });
        const serial = (day.getTime() - Date.UTC(1899, 11, 30)) / DAY;
        expect(parseCellDate(serial)).toEqual({ ok: true, value: iso });
        expect(parseCellDate(new Date(day.getTime() + time))).toEqual({ ok: true, value: iso });
      }),
      { numRuns: 500 },
    );
  });

  it("reads a Date by its UTC calendar day, and refuses invalid or out-of-range ones", () => {
    expect(parseCellDate(new Date(Date.UTC(2024, 8, 5)))).toEqual({ ok: true, value: "2024-09-05" });
    expect(parseCellDate(new Date("2024-09-05T23:59:59Z"))).toEqual({ ok: true, value: "2024-09-05" });
    expect(parseCellDate(new Date(Number.NaN))).toEqual({ ok: false, message: DATE_FORMAT_MESSAGE });
    expect(parseCellDate(new Date("0999-12-31T00:00:00Z"))).toEqual({
      ok: false,
      message: DATE_FORMAT_MESSAGE,
    });
    expect(parseCellDate(true)).toEqual({ ok: false, message: DATE_FORMAT_MESSAGE });
  });
});

describe("parseYesNo", () => {
  it.each([
    true,
    1,
    "x",
    "X",
    "có",
    "Có",
    "CÓ",
    "có".normalize("NFD"),
    " có ",
    "co",
    "c",
    "1",
    "true",
    "TRUE",
    "đúng",
    "Đúng",
    "yes",
  ])("%j is yes", (value) => {
    expect(parseYesNo(value)).toEqual({ ok: true, value: true });
  });

  it.each([
    false,
    0,
    null,
    undefined,
    "",
    "  ",
    "không",
    "Không",
    "KHÔNG",
    "khong",
    "k",
    "0",
    "false",
    "sai",
    "no",
  ])("%j is no", (value) => {
    expect(parseYesNo(value)).toEqual({ ok: true, value: false });
  });

  it.each([2, -1, "có thể", "maybe", "xx", "ok", {}])("refuses %j", (value) => {
    expect(parseYesNo(value)).toEqual({ ok: false, message: YES_NO_MESSAGE });
  });
});

describe("decodeWindows1258", () => {
  it("has the Vietnamese letters, the five tone marks and ₫ where Windows-1258 has them", () => {
    const read = (...bytes: number[]) => decodeWindows1258(Uint8Array.from(bytes));
    expect(read(0xc3, 0xd0, 0xd5, 0xdd, 0xe3, 0xf0, 0xf5, 0xfd, 0xfe)).toBe("ĂĐƠƯăđơư₫");
    expect(read(0xcc, 0xec, 0xd2, 0xde, 0xf2)).toBe("\u0300\u0301\u0309\u0303\u0323");
    expect(read(0x80, 0x93, 0x94, 0x96, 0xe0, 0xea)).toBe("€“”–àê");
    expect(read(0x56, 0x69, 0xea, 0xf2, 0x74).normalize("NFC")).toBe("Việt");
  });

  it.skipIf(!HAS_WINDOWS_1258_DECODER)("reads every byte as the platform's TextDecoder does", () => {
    const decoder = new TextDecoder("windows-1258");
    for (let b = 0; b < 256; b++) {
      expect(decodeWindows1258(Uint8Array.of(b)), `byte 0x${b.toString(16)}`).toBe(
        decoder.decode(Uint8Array.of(b)),
      );
    }
  });
});

describe("decodeCsvBytes", () => {
  const CSV = [
    "STT,Họ và tên,Thôn,Ngày sinh,Ghi chú thêm",
    "1,Nguyễn Thị Hoa,Thôn Đông Hưng,05/09/1980,“Gia đình học tập”",
    "2,Trần Văn Bình,Xã Thanh Định,12/01/1975,Trung tâm học tập cộng đồng",
    "3,Lê Thị Hoà,Tổ dân phố số 7,01/01/2001,Hội Khuyến học – chi hội",
  ].join("\r\n");

  it("reads UTF-8 without a BOM", () => {
    expect(decodeCsvBytes(Buffer.from(CSV, "utf8"))).toEqual({ text: CSV, encoding: "utf-8" });
  });

  it("reads UTF-8 with a BOM, and drops the BOM", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, "utf8")]);
    expect(decodeCsvBytes(bytes)).toEqual({ text: CSV, encoding: "utf-8" });
  });

  it("reads UTF-16 LE and BE with a BOM, and drops the BOM", () => {
    const le = Buffer.from(`\ufeff${CSV}`, "utf16le");
    expect([...le.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(decodeCsvBytes(le)).toEqual({ text: CSV, encoding: "utf-16le" });
    const be = Buffer.from(le).swap16();
    expect([...be.subarray(0, 2)]).toEqual([0xfe, 0xff]);
    expect(decodeCsvBytes(be)).toEqual({ text: CSV, encoding: "utf-16be" });
  });

  it("reads ASCII, an empty file and NFD UTF-8 as UTF-8", () => {
    expect(decodeCsvBytes(Buffer.from("STT,Ho ten\n1,Nguyen Van A"))).toEqual({
      text: "STT,Ho ten\n1,Nguyen Van A",
      encoding: "utf-8",
    });
    expect(decodeCsvBytes(new Uint8Array())).toEqual({ text: "", encoding: "utf-8" });
    const nfd = CSV.normalize("NFD");
    expect(decodeCsvBytes(Buffer.from(nfd, "utf8"))).toEqual({ text: nfd, encoding: "utf-8" });
  });

  describe.skipIf(!HAS_WINDOWS_1258_DECODER)("Windows-1258", () => {
    it("reads a file with precomposed letters and tone marks as NFC text", () => {
      const bytes = Buffer.from(encodeWindows1258(CSV));
      // "Nguyễn": ê (0xEA) and the ngã mark (0xDE); "à" of "Hoà" is one byte (0xE0).
      expect(bytes.includes(Buffer.from([...Buffer.from("Nguy"), 0xea, 0xde, ...Buffer.from("n ")]))).toBe(
        true,
      );
      expect(bytes.includes(Buffer.from([...Buffer.from("Ho"), 0xe0, ...Buffer.from(",")]))).toBe(true);
      expect(decodeCsvBytes(bytes)).toEqual({ text: CSV, encoding: "windows-1258" });
    });

    it("reads a file with every tone as a mark", () => {
      expect(decodeCsvBytes(encodeWindows1258(CSV, { decompose: true }))).toEqual({
        text: CSV,
        encoding: "windows-1258",
      });
    });

    it("prefers Windows-1258 when it reads as well as a legacy encoding", () => {
      // "ma" + 0xDE: Windows-1258 "mã", TCVN3 "mại".
      expect(decodeCsvBytes(Uint8Array.of(0x6d, 0x61, 0xde))).toEqual({
        text: "mã",
        encoding: "windows-1258",
      });
    });

    it("reads any lines of Vietnamese words (property)", () => {
      fc.assert(
        fc.property(
          fc.array(sentence(1, 6), { minLength: 1, maxLength: 5 }),
          fc.boolean(),
          (lines, decompose) => {
            const text = lines.map((l, i) => `${i + 1},${l}`).join("\n");
            // Lines of ASCII words only are UTF-8 as well.
            const encoding = hasDiacritic(text) ? "windows-1258" : "utf-8";
            expect(decodeCsvBytes(encodeWindows1258(text, { decompose }))).toEqual({ text, encoding });
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  describe.each(["tcvn3", "vni"] as const)("a Windows-1252 file of %s text", (enc) => {
    const original = enc === "tcvn3" ? CSV.toLowerCase() : CSV;
    const legacy = encodeLegacy(original, enc);

    it("is read as Windows-1252 and its cells convert back", () => {
      const result = decodeCsvBytes(windows1252Bytes(legacy));
      expect(result).toEqual({ text: legacy, encoding: "windows-1252" });
      expect(detectLegacyEncoding(result.text)).toBe(enc);
      const cells = result.text.split(/\r\n|,/u).map((cell) => convertLegacyCell(cell).text);
      expect(cells).toEqual(original.split(/\r\n|,/u));
    });

    it("keeps the Windows-1252 punctuation (“ ” –) as those characters, not as C1 controls", () => {
      const { text } = decodeCsvBytes(windows1252Bytes(legacy));
      expect(text).toContain("“");
      expect(text).toContain("–");
      expect(text).not.toMatch(/\p{Cc}(?<![\r\n])/u);
    });

    it("is found in any lines that hold one word found on its own (property)", () => {
      // Found on its own: also against its Windows-1258 reading, which wins a tie (TCVN3 "huÕ" =
      // "huế" is Windows-1258 "huơ", VNI "Vuõ" = "Vũ" is "Vuơ").
      const alone = WORDS_WITH_DIACRITICS.filter((w) => {
        const legacy = encodeLegacy(enc === "tcvn3" ? w.toLowerCase() : w, enc);
        const rival = decodeWindows1258(windows1252Bytes(legacy)).normalize("NFC");
        return detectLegacyEncoding(legacy, { rival }) === enc;
      });
      expect(alone.length).toBeGreaterThan(100);
      fc.assert(
        fc.property(
          fc.array(sentence(0, 5), { minLength: 1, maxLength: 4 }),
          fc.constantFrom(...alone),
          (lines, word) => {
            const text = [word, ...lines].map((l, i) => `${i + 1},${l}`).join("\n");
            const unicode = enc === "tcvn3" ? text.toLowerCase() : text;
            const result = decodeCsvBytes(windows1252Bytes(encodeLegacy(unicode, enc)));
            expect(result.encoding).toBe("windows-1252");
            const cells = result.text.split(/\n|,/u).map((cell) => convertLegacyCell(cell).text);
            // A cell made only of words that read as Unicode too stays as it is (documented).
            const expected = unicode.split(/\n|,/u);
            cells.forEach((cell, i) => {
              expect([expected[i], encodeLegacy(expected[i] as string, enc)]).toContain(cell);
            });
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
