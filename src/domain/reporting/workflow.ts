/**
 * The life of a report: a unit writes it (draft), sends it (submitted); the level above approves
 * it or returns it with a comment (returned, to be corrected and sent again). An approved report
 * is locked; a later correction goes through the level above reopening it with a reason
 * (approved → returned), so every change after approval leaves a trace. Pure: no I/O; who may act
 * (the unit or the level above, `actorOf`) is checked by the caller's authorisation.
 */

export const REPORT_STATUSES = ["draft", "submitted", "returned", "approved"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_ACTIONS = ["save", "submit", "approve", "return", "reopen"] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

export const STATUS_LABELS: Readonly<Record<ReportStatus, string>> = {
  draft: "Đang soạn",
  submitted: "Đã gửi",
  returned: "Bị trả lại",
  approved: "Đã duyệt",
};

/** A refusal names the `comment` field when only the comment is missing (a wrong state names none). */
export type Transition =
  | { ok: true; state: ReportStatus }
  | { ok: false; message: string; field?: "comment" };

/** Who takes an action: the unit that writes the report, or the level above it. */
export function actorOf(action: ReportAction): "unit" | "above" {
  return action === "save" || action === "submit" ? "unit" : "above";
}

const LOCKED_SUBMITTED = "Báo cáo đã gửi, đang chờ cấp trên duyệt: không sửa được nữa.";
const LOCKED_APPROVED =
  "Báo cáo đã được duyệt: không sửa được nữa. Muốn sửa, đề nghị cấp trên mở lại báo cáo.";

/** For each action: the states it applies to (and the state it leads to), else why not. */
const RULES: Record<
  ReportAction,
  { to: (s: ReportStatus) => ReportStatus; refusals: Partial<Record<ReportStatus, string>> }
> = {
  save: { to: (s) => s, refusals: { submitted: LOCKED_SUBMITTED, approved: LOCKED_APPROVED } },
  submit: {
    to: () => "submitted",
    refusals: {
      submitted: "Báo cáo đã gửi rồi, đang chờ cấp trên duyệt.",
      approved: "Báo cáo đã được duyệt, không gửi lại được.",
    },
  },
  approve: {
    to: () => "approved",
    refusals: {
      draft: "Báo cáo chưa được gửi: chỉ duyệt được báo cáo đơn vị đã gửi.",
      returned: "Báo cáo đã trả lại cho đơn vị, chưa được gửi lại: chưa duyệt được.",
      approved: "Báo cáo đã được duyệt rồi.",
    },
  },
  return: {
    to: () => "returned",
    refusals: {
      draft: "Báo cáo chưa được gửi: chỉ trả lại được báo cáo đơn vị đã gửi.",
      returned: "Báo cáo đã được trả lại rồi.",
      approved: "Báo cáo đã được duyệt: muốn đơn vị sửa thì mở lại báo cáo (ghi rõ lý do).",
    },
  },
  reopen: {
    to: () => "returned",
    refusals: {
      draft: "Chỉ mở lại được báo cáo đã được duyệt; báo cáo này đang soạn.",
      submitted: "Chỉ mở lại được báo cáo đã được duyệt; báo cáo này đang chờ duyệt.",
      returned: "Chỉ mở lại được báo cáo đã được duyệt; báo cáo này đã được trả lại cho đơn vị.",
    },
  },
};

const NEEDS_TEXT: Partial<Record<ReportAction, string>> = {
  return: "Cần ghi nhận xét khi trả lại báo cáo, để đơn vị biết cần sửa gì.",
  reopen: "Cần ghi lý do mở lại báo cáo đã duyệt.",
};

/**
 * The state after `action`, or the plain Vietnamese reason it is refused. Returning needs a
 * comment and reopening a reason (`opts.comment`, blank counts as none); the state is checked first.
 */
export function transition(
  state: ReportStatus,
  action: ReportAction,
  opts?: { comment?: string },
): Transition {
  const rule = RULES[action];
  const refusal = rule.refusals[state];
  if (refusal) return { ok: false, message: refusal };
  const needs = NEEDS_TEXT[action];
  if (needs && !opts?.comment?.trim()) return { ok: false, message: needs, field: "comment" };
  return { ok: true, state: rule.to(state) };
}

/** The actions possible from a state (a comment given where one is needed). */
export function availableActions(state: ReportStatus): ReportAction[] {
  return REPORT_ACTIONS.filter((a) => transition(state, a, { comment: "x" }).ok);
}
