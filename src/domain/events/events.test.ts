import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activeYears, agreementProblems, changeFromLastYear } from "./agreements.ts";
import { EVENT_KINDS, eventMetrics, eventProblems, heldDelta } from "./events.ts";

const ok = {
  startDate: "2024-10-02",
  endDate: "2024-10-02",
  participants: 180,
  female: 90,
  directScholarships: 125,
  directScholarshipAmount: 125_000_000,
};

describe("event rules", () => {
  it("accepts seed 000's 2/10 celebration", () => {
    expect(eventProblems(ok)).toEqual([]);
  });
  it("reports every problem at once", () => {
    const fields = eventProblems({ ...ok, endDate: "2024-10-01", female: 200, directScholarships: -1 }).map(
      (p) => p.field,
    );
    expect(fields).toEqual(["endDate", "female", "directScholarships", "directScholarships"]);
  });
  it("refuses fractions, negatives and an amount without a count", () => {
    expect(eventProblems({ ...ok, participants: 1.5 })[0]?.message).toBe(
      "Số người tham gia phải là số nguyên không âm.",
    );
    expect(eventProblems({ ...ok, female: -1 })[0]?.field).toBe("female");
    expect(eventProblems({ ...ok, directScholarships: null })[0]?.message).toBe(
      "Có số tiền học bổng thì nhập cả số suất học bổng.",
    );
  });
  it("never passes more women than participants", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), (p, f) => {
        const flagged = eventProblems({ ...ok, participants: p, female: f }).some(
          (x) => x.field === "female",
        );
        expect(flagged).toBe(f > p);
      }),
    );
  });
  it("counts the women where an event gave them, and the events that did", () => {
    const day = { kind: "study_promotion_day" as const, ...ok };
    expect(Object.fromEntries(eventMetrics(day))).toEqual({
      "events:study_promotion_day": 1,
      "participants:study_promotion_day": 180,
      "female:study_promotion_day": 90,
      "female_events:study_promotion_day": 1,
      direct_scholarships: 125,
      direct_scholarship_amount: 125_000_000,
    });
    const unknown = Object.fromEntries(eventMetrics({ ...day, female: null, directScholarships: null }));
    expect(unknown).toMatchObject({
      "female:study_promotion_day": 0,
      "female_events:study_promotion_day": 0,
    });
    // An event that counted no women is still an event that gave the figure.
    expect(eventMetrics({ ...day, female: 0 }).get("female_events:study_promotion_day")).toBe(1);
  });
  it("sums to the women of the events that gave them, over any events", () => {
    const event = fc
      .record({
        kind: fc.constantFrom(...EVENT_KINDS),
        participants: fc.nat(1000),
        share: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
      })
      .map(({ kind, participants, share }) => ({
        kind,
        participants,
        female: share === null ? null : Math.floor(participants * share),
        directScholarships: null,
        directScholarshipAmount: null,
      }));
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        const sum = new Map<string, number>();
        for (const e of events) for (const [m, n] of eventMetrics(e)) sum.set(m, (sum.get(m) ?? 0) + n);
        for (const kind of EVENT_KINDS) {
          const given = events.filter((e) => e.kind === kind && e.female !== null);
          expect(sum.get(`female_events:${kind}`) ?? 0).toBe(given.length);
          expect(sum.get(`female:${kind}`) ?? 0).toBe(given.reduce((s, e) => s + (e.female ?? 0), 0));
          expect(sum.get(`female:${kind}`) ?? 0).toBeLessThanOrEqual(sum.get(`participants:${kind}`) ?? 0);
        }
      }),
    );
  });
  it("counts a commune as having held a kind when its count crosses zero", () => {
    expect(heldDelta(0, 1)).toBe(1);
    expect(heldDelta(1, 0)).toBe(-1);
    expect(heldDelta(1, 2)).toBe(0);
    expect(heldDelta(0, 0)).toBe(0);
  });
});

describe("agreement rules", () => {
  const a = { signedOn: "2024-03-01", coversFrom: "2024-03-01", coversTo: "2025-12-31", endedOn: null };
  it("is in force from its start to its end, or to the day it was ended", () => {
    expect(activeYears(a)).toEqual(["2024", "2025"]);
    expect(activeYears({ ...a, endedOn: "2024-09-30" })).toEqual(["2024"]);
  });
  it("refuses an end before the start, more than 15 years, an end outside the period", () => {
    expect(agreementProblems({ ...a, coversTo: "2023-12-31" })[0]?.field).toBe("coversTo");
    expect(agreementProblems({ ...a, coversTo: "2038-12-31" })).toEqual([]);
    expect(agreementProblems({ ...a, coversTo: "2039-01-01" })[0]?.message).toContain("tối đa 15 năm");
    expect(agreementProblems({ ...a, endedOn: "2024-01-01" })[0]?.field).toBe("endedOn");
    expect(agreementProblems({ ...a, endedOn: "2026-01-01" })[0]?.field).toBe("endedOn");
  });
  it("compares with last year: seed 000's 8 signed, 3 more than 2023", () => {
    expect(changeFromLastYear(8, 5)).toEqual({ direction: "up", difference: 3 });
    expect(changeFromLastYear(4, 5)).toEqual({ direction: "down", difference: 1 });
    expect(changeFromLastYear(4, null)).toBeNull();
  });
});
