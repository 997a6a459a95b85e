/**
 * Inputs of the framework editor. Each is bound to a path in the definition: its id comes from
 * the path (so a problem can focus it), its error is the one reported for that path, and a
 * change is an `edit(path, value)`.
 */
import {
  createContext,
  type InputHTMLAttributes,
  type ReactNode,
  useContext,
  useEffect,
  useRef,
  useState,
} from "react";
import { describedBy, FieldNotes } from "./fields.tsx";
import { type Path, pathId, pathKey } from "./framework-text.tsx";

export interface EditorBinding {
  /** Field errors by path key ("groups.0.maxPoints"): the server's, then the live ones. */
  errors: Record<string, string>;
  edit: (path: Path, value: unknown) => void;
}

export const EditorContext = createContext<EditorBinding>({ errors: {}, edit: () => {} });

function useBinding(path: Path) {
  const { errors, edit } = useContext(EditorContext);
  const id = pathId(path);
  return { id, error: errors[pathKey(path)], edit: (value: unknown) => edit(path, value) };
}

interface FieldProps {
  path: Path;
  label: string;
  hint?: string | undefined;
  className?: string | undefined;
}

function Frame({
  id,
  label,
  hint,
  error,
  className,
  children,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  className?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={[error ? "field field-invalid" : "field", className].filter(Boolean).join(" ")}>
      <label htmlFor={id}>{label}</label>
      {children}
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A text input; `empty` is what an empty box means (null, undefined or ""). */
export function BoundText({
  path,
  label,
  hint,
  className,
  value,
  empty = "",
  multiline = false,
  maxLength,
  type = "text",
  toValue,
}: FieldProps & {
  value: string | null | undefined;
  empty?: "" | null | undefined;
  multiline?: boolean;
  maxLength?: number;
  type?: "text" | "date";
  /** Turn the text into the stored value (e.g. one source per line → a list). */
  toValue?: (text: string) => unknown;
}) {
  const { id, error, edit } = useBinding(path);
  const common = {
    id,
    value: value ?? "",
    maxLength,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(id, hint, error),
  };
  const onChange = (e: { target: { value: string } }) =>
    edit(toValue ? toValue(e.target.value) : e.target.value === "" ? empty : e.target.value);
  return (
    <Frame id={id} label={label} hint={hint} error={error} className={className}>
      {multiline ? (
        <textarea rows={textRows(value)} {...common} onChange={onChange} />
      ) : (
        <input type={type} {...common} onChange={onChange} />
      )}
    </Frame>
  );
}

/** Enough rows to show a criterion's text without scrolling inside the box, up to 8. */
function textRows(value: string | null | undefined): number {
  const length = value?.length ?? 0;
  const lines = value?.split("\n").length ?? 1;
  return Math.min(8, Math.max(2, lines, Math.ceil(length / 45)));
}

/** A number; an empty box is `empty` (NaN for a required number, so the check says so). */
export function BoundNumber({
  path,
  label,
  hint,
  className,
  value,
  empty,
  integer = true,
}: FieldProps & {
  value: number | null | undefined;
  empty: number | null | undefined;
  integer?: boolean;
}) {
  const { id, error, edit } = useBinding(path);
  return (
    <Frame id={id} label={label} hint={hint} error={error} className={className}>
      <NumberInput
        id={id}
        value={value}
        integer={integer}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onValue={(n) => edit(n === null ? empty : n)}
      />
    </Frame>
  );
}

export function BoundSelect({
  path,
  label,
  hint,
  className,
  value,
  onValue,
  children,
}: FieldProps & { value: string; onValue?: (value: string) => void; children: ReactNode }) {
  const { id, error, edit } = useBinding(path);
  return (
    <Frame id={id} label={label} hint={hint} error={error} className={className}>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => (onValue ? onValue(e.target.value) : edit(e.target.value))}
      >
        {children}
      </select>
    </Frame>
  );
}

export function BoundCheckbox({ path, label, hint, value }: FieldProps & { value: boolean }) {
  const { id, error, edit } = useBinding(path);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label className="check fw-check">
        <input
          id={id}
          type="checkbox"
          checked={value}
          aria-describedby={describedBy(id, hint, error)}
          onChange={(e) => edit(e.target.checked)}
        />
        {label}
      </label>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** An error reported for a whole part (a group's criteria, a list of steps) rather than one input. */
export function PartError({ path }: { path: Path }) {
  const { errors } = useContext(EditorContext);
  const error = errors[pathKey(path)];
  if (!error) return null;
  return <p className="error">{error}</p>;
}

function showNumber(value: number | null | undefined): string {
  return typeof value === "number" && Number.isFinite(value) ? String(value) : "";
}

/** "" → null; "12,5" or "12.5" → 12.5; anything else → NaN (reported as "Phải là số."). */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const n = Number(trimmed.replace(",", "."));
  return Number.isFinite(n) ? n : Number.NaN;
}

function sameNumber(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a === null || a === undefined || Number.isNaN(a))
    return b === null || b === undefined || Number.isNaN(b);
  return a === b;
}

/**
 * A number box that keeps what is being typed ("12," on the way to "12,5") and accepts a
 * comma as the decimal mark; it follows the value when it is changed from outside.
 */
export function NumberInput({
  value,
  onValue,
  integer = false,
  ...input
}: {
  value: number | null | undefined;
  onValue: (value: number | null) => void;
  integer?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "type">) {
  const [text, setText] = useState(() => showNumber(value));
  const reported = useRef(value);
  useEffect(() => {
    if (!sameNumber(value, reported.current)) {
      reported.current = value;
      setText(showNumber(value));
    }
  }, [value]);
  return (
    <input
      type="text"
      inputMode={integer ? "numeric" : "decimal"}
      autoComplete="off"
      {...input}
      value={text}
      onChange={(e) => {
        const n = parseNumber(e.target.value);
        setText(e.target.value);
        reported.current = n;
        onValue(n);
      }}
    />
  );
}
