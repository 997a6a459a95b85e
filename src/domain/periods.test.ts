import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { periodsOf as centrePeriodsOf, parsePeriod as parseCentrePeriod } from "./centres/activities.ts";
import { fiscalYearLabel, fiscalYearOf, fiscalYearRange } from "./fund/ledger.ts";
import {
  childPeriods,
  contains,
  isWithin,
  MAX_PHASE_YEARS,
  monthBucket,
  monthBuckets,
  nextPeriod,
  OFFICIAL_PHASES,
  type Period,
  type PhasePeriod,
  parsePeriod,
  periodCode,
  periodLabel,
  periodOf,
  periodProblem,
  periodRange,
  phase,
  phasesOf,
  previousPeriod,
  reportingYear,
  SERIAL_KINDS,
  type SerialKind,
  samePeriodLastYear,
  yearsOf,
} from "./periods.ts";

// ─── Helpers and generators ─────────────────────────────────────────────────────────────

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const codes = (ps: Period[]) => ps.map(periodCode);
const parsed = (code: string) => {
  const r = parsePeriod(code);
  if (!r.ok) throw new Error(r.message);
  return r.period;
};

const startMonth = fc.integer({ min: 2, max: 12 });
const periodIn = (year: fc.Arbitrary<number>): fc.Arbitrary<Period> =>
  fc.oneof(
    year.map((y) => ({ kind: "year", year: y }) as const),
    fc
      .tuple(year, fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>)
      .map(([y, quarter]) => ({ kind: "quarter", year: y, quarter }) as const),
    fc
      .tuple(year, fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2>)
      .map(([y, half]) => ({ kind: "half_year", year: y, half }) as const),
    fc.tuple(year, startMonth).map(([y, m]) => ({ kind: "reporting_year", year: y, startMonth: m }) as const),
    year.map((y) => ({ kind: "school_year", startYear: y }) as const),
    fc.tuple(year, fc.integer({ min: 2, max: MAX_PHASE_YEARS })).map(([y, n]) => phase(y, y + n - 1)),
  );
const anyPeriod = periodIn(fc.integer({ min: 1950, max: 2150 }));
/** Periods around the official phases (2012–2030), where phasesOf has something to find. */
const recentPeriod = periodIn(fc.integer({ min: 2005, max: 2032 }));
/** Days from 1960-01-01 to about 2140. */
const anyDate = fc.integer({ min: 0, max: 180 * 365 }).map((n) => addDays("1960-01-01", n));
/** A kind a date can be looked up in, with the options it needs (start months 1–12). */
const kindWithOpts: fc.Arbitrary<{ kind: SerialKind; opts: { startMonth: number } }> = fc.record({
  kind: fc.constantFrom(...SERIAL_KINDS),
  opts: fc.record({ startMonth: fc.integer({ min: 1, max: 12 }) }),
});
/** A period's own series: the kind and options that `periodOf` needs to find it again. */
const seriesOf = (p: Period): { kind: SerialKind; opts: { startMonth: number } } => {
  if (p.kind === "phase") throw new Error("a phase is not serial");
  return { kind: p.kind, opts: { startMonth: p.kind === "reporting_year" ? p.startMonth : 1 } };
};

// ─── Examples from the seeds ────────────────────────────────────────────────────────────

describe("seed 000: the Association's reporting year 1/11/2023 – 31/10/2024, named 2024", () => {
  const ry2024 = reportingYear(2024, 11);

  it("has its code, days and label", () => {
    expect(periodCode(ry2024)).toBe("RY2024-11");
    expect(periodRange(ry2024)).toEqual({ from: "2023-11-01", to: "2024-10-31" });
    expect(periodLabel(ry2024)).toBe("Năm 2024 (từ 01/11/2023 đến 31/10/2024)");
    expect(yearsOf(ry2024)).toEqual([2023, 2024]);
  });

  it("contains the seed's first day and its 30/10 cut-off, and 31/10, but not 1/11/2024", () => {
    for (const d of ["2023-11-01", "2024-01-01", "2024-10-30", "2024-10-31"]) {
      expect(contains(ry2024, d)).toBe(true);
      expect(periodOf("reporting_year", d, { startMonth: 11 })).toEqual(ry2024);
    }
    expect(contains(ry2024, "2023-10-31")).toBe(false);
    expect(contains(ry2024, "2024-11-01")).toBe(false);
    expect(periodCode(periodOf("reporting_year", "2024-11-01", { startMonth: 11 }))).toBe("RY2025-11");
  });

  it("compares with the year before and holds the calendar quarters 1–3 of 2024", () => {
    expect(periodLabel(previousPeriod(ry2024))).toBe("Năm 2023 (từ 01/11/2022 đến 31/10/2023)");
    expect(samePeriodLastYear(ry2024)).toEqual(previousPeriod(ry2024));
    expect(codes(childPeriods(ry2024, "quarter"))).toEqual(["2024-Q1", "2024-Q2", "2024-Q3"]);
    expect(codes(childPeriods(ry2024, "year"))).toEqual([]);
  });

  it("writes the quarter of the provincial conference as the report does ('Quý II năm 2025')", () => {
    expect(periodLabel(parsed("2025-Q2"))).toBe("Quý II/2025");
  });
});

describe("seed 003: the 2012–2020 phase review with its years, school years and next phases", () => {
  it("lists the official phases as data", () => {
    expect(codes([...OFFICIAL_PHASES])).toEqual(["GD2012-2020", "GD2016-2020", "GD2021-2025", "GD2026-2030"]);
    expect(periodLabel(parsed("GD2012-2020"))).toBe("Giai đoạn 2012-2020");
  });

  it("finds the appendix's per-year and per-school-year columns inside 2016–2020", () => {
    const p = parsed("GD2016-2020");
    expect(codes(childPeriods(p, "year"))).toEqual(["2016", "2017", "2018", "2019", "2020"]);
    expect(codes(childPeriods(p, "school_year"))).toEqual([
      "2016-2017",
      "2017-2018",
      "2018-2019",
      "2019-2020",
    ]);
    expect(childPeriods(p, "school_year").map(periodLabel)).toContain("Năm học 2019-2020");
    expect(childPeriods(parsed("GD2012-2020"), "half_year")).toHaveLength(18);
  });

  it("puts a year in every official phase containing it, narrowest first", () => {
    expect(codes(phasesOf(parsed("2018")))).toEqual(["GD2016-2020", "GD2012-2020"]);
    expect(codes(phasesOf(parsed("2014")))).toEqual(["GD2012-2020"]);
    expect(codes(phasesOf(parsed("2024-Q3")))).toEqual(["GD2021-2025"]);
    expect(codes(phasesOf(parsed("2019-2020")))).toEqual(["GD2016-2020", "GD2012-2020"]);
    expect(codes(phasesOf(parsed("2020-2021")))).toEqual([]); // runs into 2021: in no phase
    expect(codes(phasesOf(parsed("RY2021-11")))).toEqual([]); // starts 1/11/2020
    expect(codes(phasesOf(parsed("GD2016-2020")))).toEqual(["GD2016-2020", "GD2012-2020"]);
    expect(codes(phasesOf(parsed("2011")))).toEqual([]);
  });

  it("moves from phase to phase of the same length", () => {
    expect(periodCode(previousPeriod(parsed("GD2026-2030")))).toBe("GD2021-2025");
    expect(periodCode(previousPeriod(parsed("GD2021-2025")))).toBe("GD2016-2020");
    expect(periodCode(nextPeriod(parsed("GD2021-2025")))).toBe("GD2026-2030");
    expect(periodCode(samePeriodLastYear(parsed("GD2021-2025")))).toBe("GD2016-2020");
    expect(periodCode(previousPeriod(parsed("GD2012-2020")))).toBe("GD2003-2011");
  });
});

describe("codes, ranges and labels of each kind", () => {
  it.each([
    ["2024", { from: "2024-01-01", to: "2024-12-31" }, "Năm 2024"],
    ["2024-Q1", { from: "2024-01-01", to: "2024-03-31" }, "Quý I/2024"],
    ["2024-Q4", { from: "2024-10-01", to: "2024-12-31" }, "Quý IV/2024"],
    ["2024-H1", { from: "2024-01-01", to: "2024-06-30" }, "6 tháng đầu năm 2024"],
    ["2024-H2", { from: "2024-07-01", to: "2024-12-31" }, "6 tháng cuối năm 2024"],
    ["RY2024-03", { from: "2023-03-01", to: "2024-02-29" }, "Năm 2024 (từ 01/03/2023 đến 29/02/2024)"],
    ["RY2024-09", { from: "2023-09-01", to: "2024-08-31" }, "Năm 2024 (từ 01/09/2023 đến 31/08/2024)"],
    ["2024-2025", { from: "2024-09-01", to: "2025-08-31" }, "Năm học 2024-2025"],
    ["GD2021-2025", { from: "2021-01-01", to: "2025-12-31" }, "Giai đoạn 2021-2025"],
  ])("%s", (code, range, label) => {
    const p = parsed(code);
    expect(periodCode(p)).toBe(code);
    expect(periodRange(p)).toEqual(range);
    expect(periodLabel(p)).toBe(label);
  });

  it("moves quarters and half-years across the year's end", () => {
    expect(periodCode(previousPeriod(parsed("2024-Q1")))).toBe("2023-Q4");
    expect(periodCode(nextPeriod(parsed("2024-Q4")))).toBe("2025-Q1");
    expect(periodCode(previousPeriod(parsed("2024-H1")))).toBe("2023-H2");
    expect(periodCode(samePeriodLastYear(parsed("2024-Q1")))).toBe("2023-Q1");
    expect(periodCode(samePeriodLastYear(parsed("2024-H2")))).toBe("2023-H2");
    expect(periodCode(previousPeriod(parsed("2024-2025")))).toBe("2023-2024");
  });

  it("treats a reporting year from January as the calendar year", () => {
    expect(reportingYear(2024, 1)).toEqual({ kind: "year", year: 2024 });
    expect(periodOf("reporting_year", "2024-05-05", { startMonth: 1 })).toEqual({ kind: "year", year: 2024 });
    expect(parsePeriod("RY2024-01")).toEqual({
      ok: false,
      message: "Năm báo cáo bắt đầu từ tháng 1 chính là năm 2024: dùng mã 2024.",
    });
  });

  it("refuses other codes with a Vietnamese message", () => {
    const message = (code: string) => {
      const r = parsePeriod(code);
      return r.ok ? null : r.message;
    };
    expect(message("2024-Q5")).toBe("Quý phải từ 1 đến 4.");
    expect(message("2024-Q0")).toBe("Quý phải từ 1 đến 4.");
    expect(message("2024-H3")).toBe("Nửa năm phải là 1 (6 tháng đầu năm) hoặc 2 (6 tháng cuối năm).");
    expect(message("RY2024-13")).toBe("Tháng bắt đầu của năm báo cáo phải từ 1 đến 12.");
    expect(message("2024-2026")).toBe(
      "Năm học gồm hai năm liền nhau, ví dụ 2024-2025; một giai đoạn nhiều năm viết GD2024-2026.",
    );
    expect(message("2025-2024")).toBe("Năm học gồm hai năm liền nhau, ví dụ 2025-2026.");
    expect(message("GD2025-2021")).toBe("Năm cuối của giai đoạn không được trước năm đầu.");
    expect(message("GD2024-2024")).toBe("Giai đoạn một năm chính là năm 2024: dùng mã 2024.");
    expect(message("GD2000-2030")).toBe("Một giai đoạn dài tối đa 20 năm.");
    expect(message("1899")).toBe("Kỳ báo cáo phải nằm trong các năm từ 1900 đến 2199.");
    expect(message("RY1900-11")).toBe("Kỳ báo cáo phải nằm trong các năm từ 1900 đến 2199.");
    expect(message("2199-2200")).toBe("Kỳ báo cáo phải nằm trong các năm từ 1900 đến 2199.");
    for (const code of [
      "",
      "24",
      "2024-q1",
      " 2024",
      "2024 ",
      "Q1-2024",
      "RY2024-1",
      "gd2021-2025",
      "2024/2025",
    ]) {
      expect(message(code)).toMatch(
        /^Mã kỳ báo cáo không hợp lệ: ".*"\. Dùng một trong các dạng: 2024 \(năm\)/,
      );
    }
  });

  it("throws on a bad date and past the supported years", () => {
    expect(() => periodOf("year", "2024-02-30")).toThrow("Ngày không hợp lệ: 2024-02-30");
    expect(() => periodOf("year", "01/02/2024")).toThrow(RangeError);
    expect(() => periodOf("reporting_year", "2024-01-01", { startMonth: 13 })).toThrow(RangeError);
    expect(() => previousPeriod(parsed("1900"))).toThrow(
      "Kỳ báo cáo phải nằm trong các năm từ 1900 đến 2199.",
    );
    expect(() => nextPeriod(parsed("2199-Q4"))).toThrow(RangeError);
    expect(periodProblem(parsed("1900"))).toBeNull();
  });
});

describe("agrees with the code that computes periods today", () => {
  it("centres: the codes '2024' and '2024-2025' and the periods of an activity", () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        const [yearCode, schoolCode] = centrePeriodsOf(d);
        expect(periodCode(periodOf("year", d))).toBe(yearCode);
        expect(periodCode(periodOf("school_year", d))).toBe(schoolCode);
        expect(parsed(yearCode)).toEqual(parseCentrePeriod(yearCode));
        expect(parsed(schoolCode)).toEqual(parseCentrePeriod(schoolCode));
      }),
    );
  });

  it("fund: fiscal years are reporting years (same year, days and label but for the wording)", () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 12 }), (d, m) => {
        const p = periodOf("reporting_year", d, { startMonth: m });
        const y = fiscalYearOf(d, m);
        expect(p).toEqual(reportingYear(y, m));
        expect(periodRange(p)).toEqual(fiscalYearRange(y, m));
        expect(periodLabel(p)).toBe(fiscalYearLabel(y, m).replace("(", "(từ ").replace(" – ", " đến "));
      }),
    );
  });
});

// ─── Properties ─────────────────────────────────────────────────────────────────────────

describe("month buckets", () => {
  it("names a date's month and lists a period's months in order", () => {
    expect(monthBucket("2024-03-05")).toBe("M2024-03");
    expect(monthBuckets(parsed("2024-Q3"))).toEqual(["M2024-07", "M2024-08", "M2024-09"]);
    const seed000 = monthBuckets(parsed("RY2024-11"));
    expect(seed000).toHaveLength(12);
    expect([seed000[0], seed000[2], seed000[11]]).toEqual(["M2023-11", "M2024-01", "M2024-10"]);
    expect(monthBuckets(parsed("GD2021-2025"))).toHaveLength(60);
    expect(parsePeriod("M2024-03").ok).toBe(false);
  });

  it("a period's buckets are exactly the buckets of its days (property)", () => {
    fc.assert(
      fc.property(anyPeriod, fc.integer({ min: 0, max: 7400 }), (p, n) => {
        const buckets = monthBuckets(p);
        const { from, to } = periodRange(p);
        expect(buckets[0]).toBe(monthBucket(from));
        expect(buckets.at(-1)).toBe(monthBucket(to));
        expect(new Set(buckets).size).toBe(buckets.length);
        const day = addDays(from, n);
        expect(buckets.includes(monthBucket(day))).toBe(contains(p, day));
      }),
    );
  });
});

describe("properties", () => {
  it("codes round-trip, and every code parsePeriod accepts is the period's own", () => {
    fc.assert(
      fc.property(anyPeriod, (p) => {
        expect(periodProblem(p)).toBeNull();
        const code = periodCode(p);
        expect(parsePeriod(code)).toEqual({ ok: true, period: p });
      }),
    );
    const nearCode = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.stringMatching(/^(RY|GD)?\d{4}(-(Q|H)?\d{1,4})?$/),
    );
    fc.assert(
      fc.property(nearCode, (text) => {
        const r = parsePeriod(text);
        if (r.ok) expect(periodCode(r.period)).toBe(text);
        else expect(r.message.length).toBeGreaterThan(0);
      }),
    );
  });

  it("consecutive periods tile the calendar: the previous one ends the day before", () => {
    fc.assert(
      fc.property(anyPeriod, (p) => {
        const prev = previousPeriod(p);
        expect(prev.kind).toBe(p.kind);
        expect(addDays(periodRange(prev).to, 1)).toBe(periodRange(p).from);
        expect(addDays(periodRange(p).to, 1)).toBe(periodRange(nextPeriod(p)).from);
        expect(nextPeriod(prev)).toEqual(p);
        expect(periodRange(p).from <= periodRange(p).to).toBe(true);
      }),
    );
  });

  it("contains(p, d) ⇔ periodOf(kind, d) = p", () => {
    fc.assert(
      fc.property(anyDate, kindWithOpts, fc.integer({ min: -800, max: 800 }), (d, { kind, opts }, offset) => {
        const p = periodOf(kind, d, opts);
        expect(contains(p, d)).toBe(true);
        const { kind: k, opts: o } = seriesOf(p);
        expect(periodOf(k, d, o)).toEqual(p);
        const other = addDays(d, offset);
        expect(contains(p, other)).toBe(periodCode(periodOf(k, other, o)) === periodCode(p));
      }),
    );
    fc.assert(
      fc.property(anyPeriod, anyDate, (p, d) => {
        if (p.kind === "phase") return;
        const { kind, opts } = seriesOf(p);
        expect(contains(p, d)).toBe(periodCode(periodOf(kind, d, opts)) === periodCode(p));
        expect(periodOf(kind, periodRange(p).from, opts)).toEqual(p);
        expect(periodOf(kind, periodRange(p).to, opts)).toEqual(p);
      }),
    );
  });

  it("the children of a period are consecutive, inside it, all of them, and tile it when aligned", () => {
    fc.assert(
      fc.property(anyPeriod, kindWithOpts, (outer, { kind, opts }) => {
        const children = childPeriods(outer, kind, opts);
        const { from, to } = periodRange(outer);
        for (const [i, c] of children.entries()) {
          expect(isWithin(c, outer)).toBe(true);
          if (i > 0) expect(previousPeriod(c)).toEqual(children[i - 1]);
        }
        // None is missing: the periods just outside the run are not within `outer`.
        const first = children[0] ?? periodOf(kind, from, opts);
        const last = children.at(-1) ?? periodOf(kind, to, opts);
        if (children.length > 0) {
          expect(isWithin(previousPeriod(first), outer)).toBe(false);
          expect(isWithin(nextPeriod(last), outer)).toBe(false);
        } else {
          expect(isWithin(first, outer) || isWithin(nextPeriod(first), outer)).toBe(false);
        }
        // Tiled exactly when the outer period's first and last days are boundaries of the kind.
        const aligned =
          periodRange(periodOf(kind, from, opts)).from === from &&
          periodRange(periodOf(kind, to, opts)).to === to;
        expect(
          children.length > 0 &&
            periodRange(children[0] as Period).from === from &&
            periodRange(children.at(-1) as Period).to === to,
        ).toBe(aligned);
      }),
    );
  });

  it("quarters, half-years and years tile years and phases exactly", () => {
    fc.assert(
      fc.property(anyPeriod, (outer) => {
        const inner: SerialKind[] =
          outer.kind === "phase" || outer.kind === "year"
            ? ["year", "half_year", "quarter"]
            : outer.kind === "half_year"
              ? ["quarter"]
              : [];
        for (const kind of inner) {
          const children = childPeriods(outer, kind);
          expect(periodRange(children[0] as Period).from).toBe(periodRange(outer).from);
          expect(periodRange(children.at(-1) as Period).to).toBe(periodRange(outer).to);
          const months = { year: 12, half_year: 6, quarter: 3 }[kind as "year" | "half_year" | "quarter"];
          expect(children).toHaveLength(monthsOf(outer) / months);
        }
        if (outer.kind !== "phase") {
          const { kind, opts } = seriesOf(outer);
          expect(childPeriods(outer, kind, opts)).toEqual([outer]); // a period is its own only child
        }
      }),
    );
  });

  it("samePeriodLastYear shifts by one year (a phase: by its own length)", () => {
    fc.assert(
      fc.property(anyPeriod, (p) => {
        const last = samePeriodLastYear(p);
        expect(last.kind).toBe(p.kind);
        const shift = p.kind === "phase" ? p.lastYear - p.firstYear + 1 : 1;
        const { from } = periodRange(p);
        expect(periodRange(last).from).toBe(`${Number(from.slice(0, 4)) - shift}${from.slice(4)}`);
        expect(yearsOf(last)).toEqual(yearsOf(p).map((y) => y - shift));
        if (p.kind === "phase") expect(last).toEqual(previousPeriod(p));
      }),
    );
  });

  it("phasesOf returns every official phase a period lies within, narrowest first", () => {
    fc.assert(
      fc.property(recentPeriod, (p) => {
        const found = phasesOf(p);
        const expected = OFFICIAL_PHASES.filter((ph) => isWithin(p, ph));
        expect(new Set(found)).toEqual(new Set(expected));
        // A period made of whole months of one calendar year is in a phase when its year is.
        if (p.kind === "year" || p.kind === "quarter" || p.kind === "half_year") {
          const y = p.year;
          expect(codes(found).sort()).toEqual(
            codes(OFFICIAL_PHASES.filter((ph) => ph.firstYear <= y && y <= ph.lastYear)).sort(),
          );
        }
        const lengths = found.map((ph: PhasePeriod) => ph.lastYear - ph.firstYear);
        expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
      }),
    );
  });

  it("yearsOf lists the calendar years of the first to the last day; isWithin agrees with contains", () => {
    fc.assert(
      fc.property(anyPeriod, anyPeriod, (p, q) => {
        const { from, to } = periodRange(p);
        const years = yearsOf(p);
        expect(years[0]).toBe(Number(from.slice(0, 4)));
        expect(years.at(-1)).toBe(Number(to.slice(0, 4)));
        expect(years.every((y, i) => i === 0 || y === (years[i - 1] as number) + 1)).toBe(true);
        expect(isWithin(p, p)).toBe(true);
        const r = periodRange(q);
        expect(isWithin(q, p)).toBe(contains(p, r.from) && contains(p, r.to));
      }),
    );
  });
});

function monthsOf(p: Period): number {
  const { from, to } = periodRange(p);
  const index = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
  return index(to) - index(from) + 1;
}
