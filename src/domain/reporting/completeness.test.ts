import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ChildReport, completeness, completenessLabel } from "./completeness.ts";
import { REPORT_STATUSES } from "./workflow.ts";

const children = [
  { id: 1, name: "Xã Thanh Định" },
  { id: 2, name: "Xã Bình Yên" },
  { id: 3, name: "Xã An Hòa" },
  { id: 4, name: "Xã Đông Sơn" },
  { id: 5, name: "Xã Tân Lập" },
  { id: 6, name: "Xã Phú Lộc" },
];
const DEADLINE = "2025-01-15";

const reports = new Map<number, ChildReport>([
  // 23:59:59 in Vietnam on the deadline: on time
  [1, { status: "approved", submittedAt: "2025-01-15T16:59:59Z" }],
  // 00:00 in Vietnam the day after: late
  [2, { status: "submitted", submittedAt: "2025-01-15T17:00:00Z" }],
  [3, { status: "returned", submittedAt: "2025-01-10T02:00:00Z" }],
  [4, { status: "draft", submittedAt: null }],
  [6, { status: "submitted", submittedAt: "2025-01-02T01:00:00.000Z" }],
]);

describe("completeness", () => {
  it("counts sent, approved, on time and late by the Vietnam date, and who is missing", () => {
    const c = completeness(children, reports, DEADLINE, "2025-01-20");
    expect(c).toMatchObject({
      expected: 6,
      submitted: 3,
      approved: 1,
      onTime: 2,
      late: 1,
      returned: 1,
      drafts: 1,
    });
    expect(c.missing).toEqual([
      { id: 3, name: "Xã An Hòa", overdueDays: 5 },
      { id: 4, name: "Xã Đông Sơn", overdueDays: 5 },
      { id: 5, name: "Xã Tân Lập", overdueDays: 5 },
    ]);
    expect(c.byUnit).toEqual([
      { id: 1, name: "Xã Thanh Định", status: "approved", submittedOn: "2025-01-15", onTime: true },
      { id: 2, name: "Xã Bình Yên", status: "submitted", submittedOn: "2025-01-16", onTime: false },
      { id: 3, name: "Xã An Hòa", status: "returned", submittedOn: null, onTime: null },
      { id: 4, name: "Xã Đông Sơn", status: "draft", submittedOn: null, onTime: null },
      { id: 5, name: "Xã Tân Lập", status: "missing", submittedOn: null, onTime: null },
      { id: 6, name: "Xã Phú Lộc", status: "submitted", submittedOn: "2025-01-02", onTime: true },
    ]);
    expect(completenessLabel(c)).toBe("3/6 đơn vị đã báo cáo");
  });

  it("is not overdue until the deadline has passed", () => {
    expect(completeness(children, reports, DEADLINE, "2025-01-15").missing.map((m) => m.overdueDays)).toEqual(
      [null, null, null],
    );
    expect(completeness(children, reports, DEADLINE, "2025-01-16").missing[0]?.overdueDays).toBe(1);
    // across a month and a year
    expect(completeness(children, new Map(), "2024-12-31", "2025-03-01").missing[0]?.overdueDays).toBe(60);
  });

  it("handles a request to nobody", () => {
    const c = completeness([], new Map(), DEADLINE, "2025-02-01");
    expect(c).toMatchObject({ expected: 0, submitted: 0, onTime: 0, late: 0, missing: [], byUnit: [] });
    expect(completenessLabel(c)).toBe("0/0 đơn vị đã báo cáo");
  });

  it("partitions the units (property)", () => {
    const day = fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000));
    const report = fc.record({
      status: fc.constantFrom(...REPORT_STATUSES),
      submittedAt: fc.option(
        fc
          .tuple(day, fc.integer({ min: 0, max: 86_399 }))
          .map(([d, s]) => new Date(d.getTime() + s * 1000).toISOString()),
      ),
    });
    const units = fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 30 });
    fc.assert(
      fc.property(
        units,
        fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), report)),
        day,
        day,
        (ids, rs, d1, d2) => {
          const kids = ids.map((id) => ({ id, name: `Đơn vị ${id}` }));
          const map = new Map(rs);
          const [deadline, today] = [d1.toISOString().slice(0, 10), d2.toISOString().slice(0, 10)];
          const c = completeness(kids, map, deadline, today);
          expect(c.expected).toBe(kids.length);
          expect(c.submitted + c.missing.length).toBe(c.expected);
          expect(c.onTime + c.late).toBe(c.submitted);
          expect(c.approved).toBeLessThanOrEqual(c.submitted);
          // the missing are exactly the drafts, the returned and those without a report
          const noReport = kids.filter((k) => !map.has(k.id)).length;
          expect(c.missing.length).toBe(c.drafts + c.returned + noReport);
          // every unit once, in order; the sent ones and the missing ones are disjoint and cover all
          expect(c.byUnit.map((u) => u.id)).toEqual(ids);
          const missing = new Set(c.missing.map((m) => m.id));
          const sent = c.byUnit.filter((u) => u.status === "submitted" || u.status === "approved");
          expect(sent.some((u) => missing.has(u.id))).toBe(false);
          expect(sent.length + missing.size).toBe(ids.length);
          for (const u of c.byUnit)
            if (u.onTime !== null) expect(u.onTime).toBe((u.submittedOn ?? "") <= deadline);
          for (const m of c.missing) expect(m.overdueDays === null).toBe(today <= deadline);
        },
      ),
    );
  });
});
