import { type FormEvent, useId, useState } from "react";
import { todayInVietnam } from "../../domain/dates.ts";
import { ApiError, api } from "../api.ts";
import { useT } from "../i18n/index.tsx";
import type { BatchResult } from "../types.ts";
import { ErrorBox } from "./feedback.tsx";
import { TextField } from "./fields.tsx";

export type DecisionAction = "accept" | "return" | "recognise" | "reject" | "revoke";

/**
 * Review (accept/return) or decide (recognise/reject/revoke) one or many evaluations. Asks for
 * what the action needs — a comment, a reason, or the decision's number, date and issuer —
 * and keeps what was typed if the server refuses.
 */
export function DecisionPanel({
  ids,
  action,
  defaultIssuer,
  onDone,
  onCancel,
}: {
  ids: number[];
  action: DecisionAction;
  defaultIssuer: string;
  onDone: (result: BatchResult) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const headingId = useId();
  const [form, setForm] = useState({
    comment: "",
    reason: "",
    decisionNumber: "",
    decisionDate: todayInVietnam(),
    issuer: defaultIssuer,
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result =
        action === "accept" || action === "return"
          ? await api.post<BatchResult>("/api/v1/evaluations/review", {
              ids,
              decision: action,
              ...(form.comment.trim() ? { comment: form.comment } : {}),
            })
          : await api.post<BatchResult>("/api/v1/evaluations/decide", {
              ids,
              decision: action,
              ...(action === "recognise"
                ? {
                    decisionNumber: form.decisionNumber,
                    decisionDate: form.decisionDate,
                    issuer: form.issuer,
                  }
                : { reason: form.reason }),
            });
      onDone(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  return (
    <form className="card decision" onSubmit={onSubmit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t(`evaluations.${action}`)} · {t("evaluations.selected", { count: ids.length })}
      </h2>
      <ErrorBox error={error} />
      {action === "return" && (
        <TextField
          label={t("evaluations.comment")}
          value={form.comment}
          error={fieldErrors.comment}
          onChange={set("comment")}
        />
      )}
      {(action === "reject" || action === "revoke") && (
        <TextField
          label={t("evaluations.reason")}
          value={form.reason}
          error={fieldErrors.reason}
          onChange={set("reason")}
        />
      )}
      {action === "recognise" && (
        <>
          <TextField
            label={t("evaluations.decisionNumber")}
            value={form.decisionNumber}
            placeholder="125/QĐ-UBND"
            error={fieldErrors.decisionNumber}
            onChange={set("decisionNumber")}
          />
          <TextField
            label={t("evaluations.decisionDate")}
            type="date"
            value={form.decisionDate}
            error={fieldErrors.decisionDate}
            onChange={set("decisionDate")}
          />
          <TextField
            label={t("evaluations.issuer")}
            value={form.issuer}
            error={fieldErrors.issuer}
            onChange={set("issuer")}
          />
        </>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t("evaluations.confirm")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("evaluations.cancel")}
        </button>
      </div>
    </form>
  );
}
