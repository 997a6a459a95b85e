import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Notice } from "../components/feedback.tsx";
import { describedBy, FieldNotes, SelectField, TextField } from "../components/fields.tsx";
import { useDebounced, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import "./learning-models.css";

const DRAFT_KEY = "xhht.citizen-registration";
type Form = { fullName: string; birthYear: string; phone: string; citizenGroup: string; website: string };
const EMPTY: Form = { fullName: "", birthYear: "", phone: "", citizenGroup: "", website: "" };

/**
 * The public page where citizens register themselves for Công dân học tập, on their phone, with
 * no account. What they type is kept on the device until it has been sent.
 */
export function CitizenRegistrationPage() {
  const t = useT();
  const [form, setForm] = useState<Form>(() => {
    try {
      return { ...EMPTY, ...(JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? "{}") as Partial<Form>) };
    } catch {
      return EMPTY;
    }
  });
  const [unit, setUnit] = useState<{ id: number; label: string } | null>(null);
  const [unitText, setUnitText] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ reference: string; unitName: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const groups = useLoad(() => api.get<string[]>("/api/v1/public/citizen-groups"), []);
  const q = useDebounced(unitText.trim(), 300);
  const units = useLoad(
    () =>
      q.length >= 2 && !unit
        ? api.get<{ id: number; label: string }[]>(`/api/v1/public/units${query({ q })}`)
        : Promise.resolve(undefined),
    [q, unit],
  );
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  const unitId = useId();
  const unitError = fieldErrors.orgUnitId;

  function set(field: keyof Form) {
    return (e: { target: { value: string } }) =>
      setForm((f) => {
        const next = { ...f, [field]: e.target.value };
        sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ ...next, website: "" }));
        return next;
      });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<{ reference: string; unitName: string }>("/api/v1/public/citizens", {
        fullName: form.fullName,
        citizenGroup: Number(form.citizenGroup) || 0,
        orgUnitId: unit?.id ?? 0,
        phone: form.phone,
        ...(form.birthYear.trim() ? { birthYear: Number(form.birthYear) } : {}),
        ...(form.website ? { website: form.website } : {}),
      });
      sessionStorage.removeItem(DRAFT_KEY);
      setDone(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <main className="login" id="main">
        <div className="card login-card">
          <h1>{t("citizens.public.title")}</h1>
          <Notice>{t("citizens.public.done", { unit: done.unitName, reference: done.reference })}</Notice>
          <button
            type="button"
            onClick={() => {
              setDone(null);
              setForm(EMPTY);
              setUnit(null);
              setUnitText("");
            }}
          >
            {t("citizens.public.another")}
          </button>
        </div>
      </main>
    );
  }

  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={onSubmit} noValidate>
        <p className="brand-mark">{t("app.name")}</p>
        <h1>{t("citizens.public.title")}</h1>
        <p className="muted">{t("citizens.public.intro")}</p>
        <ErrorBox error={error} />
        <TextField
          label={t("citizens.public.fullName")}
          autoComplete="name"
          value={form.fullName}
          error={fieldErrors.fullName}
          onChange={set("fullName")}
        />
        <TextField
          label={t("citizens.public.phone")}
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          hint={t("citizens.public.phoneHint")}
          value={form.phone}
          error={fieldErrors.phone}
          onChange={set("phone")}
        />
        <TextField
          label={t("citizens.public.birthYear")}
          inputMode="numeric"
          value={form.birthYear}
          error={fieldErrors.birthYear}
          onChange={set("birthYear")}
        />
        <SelectField
          label={t("citizens.public.group")}
          value={form.citizenGroup}
          error={fieldErrors.citizenGroup}
          onChange={set("citizenGroup")}
        >
          <option value="">{t("citizens.public.chooseGroup")}</option>
          {groups.data?.map((name, i) => (
            <option key={name} value={i + 1}>
              {name}
            </option>
          ))}
        </SelectField>
        <div className={unitError ? "field field-invalid" : "field"}>
          <label htmlFor={unitId}>{t("citizens.public.unit")}</label>
          {unit ? (
            <p className="chosen">
              {t("citizens.public.unitChosen", { name: unit.label })}{" "}
              <button type="button" className="link-button" onClick={() => setUnit(null)}>
                {t("citizens.public.changeUnit")}
              </button>
            </p>
          ) : (
            <input
              id={unitId}
              type="search"
              autoComplete="off"
              value={unitText}
              aria-invalid={unitError ? true : undefined}
              aria-describedby={describedBy(unitId, t("citizens.public.unitHint"), unitError)}
              onChange={(e) => setUnitText(e.target.value)}
            />
          )}
          <FieldNotes id={unitId} hint={unit ? undefined : t("citizens.public.unitHint")} error={unitError} />
          {!unit && q.length >= 2 && units.data && (
            <ul className="picker-results">
              {units.data.map((u) => (
                <li key={u.id}>
                  <button type="button" onClick={() => setUnit(u)}>
                    {u.label}
                  </button>
                </li>
              ))}
              {units.data.length === 0 && <li className="muted">{t("citizens.public.noUnit", { q })}</li>}
            </ul>
          )}
        </div>
        {/* A trap for bots: hidden from people and from screen readers. */}
        <div className="trap" aria-hidden="true">
          <label>
            {t("citizens.public.trap")}
            <input tabIndex={-1} autoComplete="off" value={form.website} onChange={set("website")} />
          </label>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {t("citizens.public.submit")}
        </button>
        <p className="hint">
          <Link to="/login">{t("login.title")}</Link>
        </p>
      </form>
    </main>
  );
}
