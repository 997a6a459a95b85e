/**
 * What every edit form of the capability pages does the same way: its fields as typed text, one
 * request at a time with the refusal kept (the inputs keep what was typed, the messages go beside
 * them), Save/Cancel, and the button that opens a form for a new record.
 */
import { type FormEvent, useState } from "react";
import { ApiError } from "../api.ts";
import { useT } from "../i18n/index.tsx";
import "./records.css";

/** A form's fields as typed; `set("title")` is the onChange of the title's input. */
export function useFields<T extends Record<string, string>>(initial: T | (() => T)) {
  const [fields, setFields] = useState<T>(initial);
  const set = (key: keyof T) => (e: { target: { value: string } }) =>
    setFields((s) => ({ ...s, [key]: e.target.value }));
  return [fields, set, setFields] as const;
}

/** The field errors of a failed request by their full path ("targets.1.schoolLevel"). */
export function errorsByPath(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) for (const e of error.problem.errors ?? []) out[e.field] ??= e.message;
  return out;
}

/**
 * One request at a time: `busy` while it runs, its refusal kept in `error` (shown by ErrorBox)
 * with the messages per field (`fieldErrors`, by the field's first name).
 */
export function useRequest() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  /** Runs `request`; true when it went through, false when it was refused (the error is kept). */
  async function run(request: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await request();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }
  /** The form's onSubmit: runs `request`, then `then` when it went through. */
  const submit = (request: () => Promise<unknown>, then: () => void) => async (e: FormEvent) => {
    e.preventDefault();
    if (await run(request)) then();
  };
  return { error, fieldErrors, busy, run, submit };
}

/** Save (or `saveLabel`) and Cancel under a form; Save says "Đang lưu…" while `busy`. */
export function FormActions({
  busy,
  saveLabel,
  primary,
  onCancel,
}: {
  busy?: boolean;
  saveLabel?: string;
  primary?: boolean;
  onCancel: () => void;
}) {
  const t = useT();
  return (
    <div className="actions">
      <button type="submit" className={primary ? "primary" : undefined} disabled={busy}>
        {busy ? t("common.saving") : (saveLabel ?? t("common.save"))}
      </button>
      <button type="button" onClick={onCancel}>
        {t("common.cancel")}
      </button>
    </div>
  );
}

/** The button that opens the form for a new record, and clears the notice of the last one. */
export function AddButton({
  label,
  primary,
  onClick,
}: {
  label: string;
  primary?: boolean;
  onClick: () => void;
}) {
  return (
    <p>
      <button type="button" className={primary ? "primary" : undefined} onClick={onClick}>
        {label}
      </button>
    </p>
  );
}
