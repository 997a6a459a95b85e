/**
 * The yearly cycle of an evaluation: register → self-assess → review → recognise. Pure: no I/O.
 *
 *   registered ─save→ draft ─submit→ submitted ─accept→ accepted ─recognise→ recognised
 *        └────────────submit─────────────┘  │  └─return→ returned ─save/submit→ …
 *                                            └──reject→ rejected        recognised ─revoke→ accepted
 *
 * Each transition says which states it leaves from and which it reaches. A request that asks
 * for the state the evaluation is already in is a no-op (idempotent), not an error.
 */

export const EVALUATION_STATUSES = [
  "registered",
  "draft",
  "submitted",
  "returned",
  "accepted",
  "recognised",
  "rejected",
] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

export const STATUS_LABELS_VI: Record<EvaluationStatus, string> = {
  registered: "Đã đăng ký",
  draft: "Đang tự đánh giá",
  submitted: "Chờ bình xét",
  returned: "Trả lại để bổ sung",
  accepted: "Đã bình xét, chờ công nhận",
  recognised: "Đã công nhận",
  rejected: "Không công nhận",
};

export const TRANSITIONS = {
  /** Save self-assessment answers without submitting. */
  save: { from: ["registered", "draft", "returned"], to: "draft" },
  /** Submit the self-assessment for review (answers must be complete and valid). */
  submit: { from: ["registered", "draft", "returned"], to: "submitted" },
  /** The level above agrees with the self-assessment. */
  accept: { from: ["submitted"], to: "accepted" },
  /** The level above sends it back with a comment. */
  return: { from: ["submitted", "accepted"], to: "returned" },
  /** Recognised by decision (number, date, issuing body); the rating must be passing. */
  recognise: { from: ["submitted", "accepted"], to: "recognised" },
  /** Not recognised, with a reason. */
  reject: { from: ["submitted", "accepted"], to: "rejected" },
  /** Cancel a recognition or a rejection made in error; the evaluation goes back to review. */
  revoke: { from: ["recognised", "rejected"], to: "accepted" },
} as const satisfies Record<string, { from: readonly EvaluationStatus[]; to: EvaluationStatus }>;
export type Transition = keyof typeof TRANSITIONS;

export type TransitionCheck = { ok: true; noop: boolean } | { ok: false; message: string };

/** May `transition` be applied to an evaluation in `status`? A repeat of the last step is a no-op. */
export function checkTransition(status: EvaluationStatus, transition: Transition): TransitionCheck {
  const rule = TRANSITIONS[transition];
  if ((rule.from as readonly EvaluationStatus[]).includes(status)) return { ok: true, noop: false };
  if (status === rule.to && transition !== "save") return { ok: true, noop: true };
  return {
    ok: false,
    message: `Không thể ${TRANSITION_LABELS_VI[transition].toLowerCase()} khi đánh giá đang ở trạng thái “${STATUS_LABELS_VI[status]}”.`,
  };
}

export const TRANSITION_LABELS_VI: Record<Transition, string> = {
  save: "Lưu nháp",
  submit: "Gửi bình xét",
  accept: "Bình xét đạt",
  return: "Trả lại",
  recognise: "Công nhận",
  reject: "Không công nhận",
  revoke: "Hủy quyết định",
};

/** Statuses whose self-assessment has been handed in (counted as "đã tự đánh giá"). */
export const SELF_ASSESSED: ReadonlySet<EvaluationStatus> = new Set([
  "submitted",
  "accepted",
  "recognised",
  "rejected",
]);
