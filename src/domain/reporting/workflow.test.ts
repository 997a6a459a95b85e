import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  actorOf,
  availableActions,
  REPORT_ACTIONS,
  REPORT_STATUSES,
  type ReportStatus,
  STATUS_LABELS,
  transition,
} from "./workflow.ts";

const ok = (state: ReportStatus) => ({ ok: true, state });

describe("transition", () => {
  it("follows the life of a report: write, send, return, correct, send, approve, reopen", () => {
    expect(transition("draft", "save")).toEqual(ok("draft"));
    expect(transition("draft", "submit")).toEqual(ok("submitted"));
    expect(transition("submitted", "return", { comment: "Thiếu số liệu quý III." })).toEqual(ok("returned"));
    expect(transition("returned", "save")).toEqual(ok("returned"));
    expect(transition("returned", "submit")).toEqual(ok("submitted"));
    expect(transition("submitted", "approve")).toEqual(ok("approved"));
    expect(transition("approved", "reopen", { comment: "Sửa số hội viên theo kết quả rà soát." })).toEqual(
      ok("returned"),
    );
  });

  it("locks a sent or approved report against edits, in plain words", () => {
    expect(transition("submitted", "save")).toEqual({
      ok: false,
      message: "Báo cáo đã gửi, đang chờ cấp trên duyệt: không sửa được nữa.",
    });
    expect(transition("approved", "save")).toEqual({
      ok: false,
      message: "Báo cáo đã được duyệt: không sửa được nữa. Muốn sửa, đề nghị cấp trên mở lại báo cáo.",
    });
    expect(transition("approved", "submit")).toMatchObject({ ok: false });
    expect(transition("submitted", "submit")).toMatchObject({ ok: false });
  });

  it("only decides on a sent report", () => {
    for (const s of ["draft", "returned", "approved"] as const) {
      expect(transition(s, "approve").ok).toBe(false);
      expect(transition(s, "return", { comment: "x" }).ok).toBe(false);
    }
    for (const s of ["draft", "submitted", "returned"] as const) {
      expect(transition(s, "reopen", { comment: "x" }).ok).toBe(false);
    }
  });

  it("needs a comment to return and a reason to reopen; blank is none", () => {
    const ret = "Cần ghi nhận xét khi trả lại báo cáo, để đơn vị biết cần sửa gì.";
    const reopen = "Cần ghi lý do mở lại báo cáo đã duyệt.";
    expect(transition("submitted", "return")).toEqual({ ok: false, message: ret, field: "comment" });
    expect(transition("submitted", "return", { comment: "  \n " })).toEqual({
      ok: false,
      message: ret,
      field: "comment",
    });
    expect(transition("approved", "reopen", { comment: "" })).toEqual({
      ok: false,
      message: reopen,
      field: "comment",
    });
  });

  it("reports a wrong state before a missing comment", () => {
    expect(transition("draft", "return")).toEqual({
      ok: false,
      message: "Báo cáo chưa được gửi: chỉ trả lại được báo cáo đơn vị đã gửi.",
    });
  });

  it("always answers with a known state or a non-empty Vietnamese refusal (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REPORT_STATUSES),
        fc.constantFrom(...REPORT_ACTIONS),
        fc.option(fc.string()),
        (state, action, comment) => {
          const r = transition(state, action, comment === null ? undefined : { comment });
          if (r.ok) expect(REPORT_STATUSES).toContain(r.state);
          else expect(r.message.length).toBeGreaterThan(10);
          // nothing leaves an approved report except reopening it
          if (state === "approved" && r.ok) expect(action).toBe("reopen");
        },
      ),
    );
  });
});

describe("availableActions, actorOf, STATUS_LABELS", () => {
  it("lists what can be done from each state", () => {
    expect(availableActions("draft")).toEqual(["save", "submit"]);
    expect(availableActions("submitted")).toEqual(["approve", "return"]);
    expect(availableActions("returned")).toEqual(["save", "submit"]);
    expect(availableActions("approved")).toEqual(["reopen"]);
  });

  it("says who acts: the unit writes and sends, the level above decides", () => {
    expect(REPORT_ACTIONS.map((a) => [a, actorOf(a)])).toEqual([
      ["save", "unit"],
      ["submit", "unit"],
      ["approve", "above"],
      ["return", "above"],
      ["reopen", "above"],
    ]);
  });

  it("labels the states in Vietnamese", () => {
    expect(STATUS_LABELS).toEqual({
      draft: "Đang soạn",
      submitted: "Đã gửi",
      returned: "Bị trả lại",
      approved: "Đã duyệt",
    });
  });
});
