import { describe, expect, it } from "vitest";
import { commendationMetrics, decisionProblems, proposalProblems } from "./rules.ts";

describe("commendation rules", () => {
  const p = {
    kind: "giay_khen",
    kindOther: null,
    recipientType: "individual",
    recipients: [{ name: "An", orgUnitId: null }],
  };
  it("checks a proposal: other kind named, no unit for an individual, no duplicate names", () => {
    expect(proposalProblems(p)).toEqual([]);
    expect(proposalProblems({ ...p, kind: "other" })[0]?.field).toBe("kindOther");
    expect(proposalProblems({ ...p, recipients: [{ name: "An", orgUnitId: 5 }] })[0]?.field).toBe(
      "recipients.0.orgUnitId",
    );
    expect(
      proposalProblems({
        ...p,
        recipients: [
          { name: "An", orgUnitId: null },
          { name: "an", orgUnitId: null },
        ],
      })[0]?.field,
    ).toBe("recipients.1.name");
  });
  it("an award needs its decision number and date, not before the proposal", () => {
    expect(
      decisionProblems("2025-10-01", {
        status: "awarded",
        decisionNumber: null,
        decidedOn: "2025-09-01",
      }).map((x) => x.field),
    ).toEqual(["decisionNumber", "decidedOn"]);
    expect(
      decisionProblems("2025-10-01", { status: "declined", decisionNumber: null, decidedOn: null }),
    ).toEqual([]);
    expect(
      decisionProblems("2025-10-01", { status: "proposed", decisionNumber: "1", decidedOn: null })[0]?.field,
    ).toBe("status");
  });
  it("counts every proposal as proposed, and the decided ones by outcome", () => {
    expect([
      ...commendationMetrics({ kind: "giay_khen", recipientType: "collective", status: "awarded" }),
    ]).toEqual([
      ["proposed:giay_khen:collective", 1],
      ["awarded:giay_khen:collective", 1],
    ]);
  });
});
