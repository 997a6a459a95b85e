import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkTransition,
  EVALUATION_STATUSES,
  type EvaluationStatus,
  TRANSITIONS,
  type Transition,
} from "./cycle.ts";
import { type CountedEvaluation, metricDeltas, metricsOf, ratePercent } from "./statistics.ts";

describe("the yearly cycle", () => {
  it("moves a self-assessment through review to recognition", () => {
    expect(checkTransition("registered", "save")).toEqual({ ok: true, noop: false });
    expect(checkTransition("draft", "submit")).toEqual({ ok: true, noop: false });
    expect(checkTransition("submitted", "accept")).toEqual({ ok: true, noop: false });
    expect(checkTransition("accepted", "recognise")).toEqual({ ok: true, noop: false });
  });

  it("treats a repeated request as a no-op, not an error", () => {
    expect(checkTransition("recognised", "recognise")).toEqual({ ok: true, noop: true });
    expect(checkTransition("submitted", "submit")).toEqual({ ok: true, noop: true });
  });

  it("refuses a step out of order, in Vietnamese", () => {
    expect(checkTransition("registered", "recognise")).toEqual({
      ok: false,
      message: "Không thể công nhận khi đánh giá đang ở trạng thái “Đã đăng ký”.",
    });
    expect(checkTransition("recognised", "save").ok).toBe(false);
  });

  it("only ever reaches statuses that exist", () => {
    for (const rule of Object.values(TRANSITIONS)) expect(EVALUATION_STATUSES).toContain(rule.to);
  });
});

describe("counters", () => {
  it("counts a recognised evaluation as registered, self-assessed, recognised and by rating", () => {
    expect(metricsOf({ status: "recognised", ratingCode: "tot" }).sort()).toEqual(
      ["rating:tot", "recognised", "registered", "self_assessed", "status:recognised"].sort(),
    );
    expect(metricsOf({ status: "registered", ratingCode: null })).toEqual([
      "registered",
      "status:registered",
    ]);
  });

  it("changes only what differs", () => {
    const deltas = metricDeltas(
      { status: "accepted", ratingCode: "kha" },
      { status: "recognised", ratingCode: "kha" },
    );
    expect(Object.fromEntries(deltas)).toEqual({
      "status:accepted": -1,
      "status:recognised": 1,
      recognised: 1,
      "rating:kha": 1,
    });
  });

  it("computes rates in percent with two decimals, and none of nothing", () => {
    expect(ratePercent(2, 3)).toBe(66.67);
    expect(ratePercent(9948, 10000)).toBe(99.48);
    expect(ratePercent(0, 0)).toBeNull();
  });

  /**
   * The invariant behind live statistics: counters maintained by deltas over any sequence of
   * registrations, transitions (valid or not) and removals equal a recount of the final records.
   */
  it("maintained counters always equal a recount, whatever happens", () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant("register" as const), subject: fc.nat(5) }),
      fc.record({ op: fc.constant("remove" as const), subject: fc.nat(5) }),
      fc.record({
        op: fc.constant("transition" as const),
        subject: fc.nat(5),
        transition: fc.constantFrom(...(Object.keys(TRANSITIONS) as Transition[])),
        rating: fc.constantFrom("tot", "kha", "trung_binh", null),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const records = new Map<number, CountedEvaluation>();
        const counters = new Map<string, number>();
        const apply = (before: CountedEvaluation | null, after: CountedEvaluation | null) => {
          for (const [m, d] of metricDeltas(before, after)) counters.set(m, (counters.get(m) ?? 0) + d);
        };
        for (const s of steps) {
          const current = records.get(s.subject) ?? null;
          if (s.op === "register") {
            if (current) continue; // one evaluation per subject and year
            const next = { status: "registered" as EvaluationStatus, ratingCode: null };
            apply(null, next);
            records.set(s.subject, next);
          } else if (s.op === "remove") {
            // Only a registration nobody has worked on can be withdrawn.
            if (current?.status !== "registered") continue;
            apply(current, null);
            records.delete(s.subject);
          } else if (current) {
            const check = checkTransition(current.status, s.transition);
            if (!check.ok || check.noop) continue;
            const next = { status: TRANSITIONS[s.transition].to, ratingCode: s.rating ?? current.ratingCode };
            apply(current, next);
            records.set(s.subject, next);
          }
        }
        const recount = new Map<string, number>();
        for (const r of records.values())
          for (const m of metricsOf(r)) recount.set(m, (recount.get(m) ?? 0) + 1);
        for (const [m, n] of counters) if (n === 0) counters.delete(m);
        expect(Object.fromEntries([...counters].sort())).toEqual(Object.fromEntries([...recount].sort()));
        for (const n of counters.values()) expect(n).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
