import { type FormEvent, useState } from "react";
import { formatDateTime } from "../../domain/format.ts";
import { ApiError, api } from "../api.ts";
import { ErrorBox, Notice } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { useLoad } from "../hooks.ts";
import { LANGUAGES, type Language, useI18n, useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { ApiTokenInfo, CreatedToken } from "../types.ts";

export function AccountPage() {
  const { t, language, setLanguage } = useI18n();
  const { user } = useSession();
  if (!user) return null;
  return (
    <div className="page">
      <h1>{t("account.title")}</h1>
      {user.mustChangePassword && (
        <p className="warning" role="alert">
          {t("account.mustChange")}
        </p>
      )}
      <ChangePasswordForm />
      {!user.mustChangePassword && (
        <>
          <section className="card">
            <h2>{t("account.profile")}</h2>
            <dl className="facts">
              <dt>{t("users.fullName")}</dt>
              <dd>{user.fullName}</dd>
              <dt>{t("account.role")}</dt>
              <dd>{t(`role.${user.role}`)}</dd>
              <dt>{t("account.scopes")}</dt>
              <dd>{user.scopes.map((s) => s.name).join("; ")}</dd>
            </dl>
            <SelectField
              label={t("account.language")}
              value={language}
              onChange={(e) => setLanguage(e.target.value as Language)}
            >
              {Object.entries(LANGUAGES).map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </SelectField>
          </section>
          <ApiTokens />
        </>
      )}
    </div>
  );
}

function ChangePasswordForm() {
  const t = useT();
  const { refresh } = useSession();
  const [form, setForm] = useState({ currentPassword: "", newPassword: "", confirm: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    setError(null);
    if (form.newPassword !== form.confirm) {
      setErrors({ confirm: t("account.passwordMismatch") });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.post("/api/v1/auth/password", {
        currentPassword: form.currentPassword,
        newPassword: form.newPassword,
      });
      setForm({ currentPassword: "", newPassword: "", confirm: "" });
      setDone(t("account.passwordChanged"));
      await refresh();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setErrors(e.fieldErrors);
    } finally {
      setBusy(false);
    }
  }

  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  return (
    <form className="card" onSubmit={onSubmit} noValidate>
      <h2>{t("account.changePassword")}</h2>
      <Notice>{done}</Notice>
      <ErrorBox error={error} />
      <TextField
        label={t("account.currentPassword")}
        type="password"
        autoComplete="current-password"
        value={form.currentPassword}
        error={errors.currentPassword}
        onChange={set("currentPassword")}
      />
      <TextField
        label={t("account.newPassword")}
        type="password"
        autoComplete="new-password"
        hint={t("account.passwordHint")}
        value={form.newPassword}
        error={errors.newPassword}
        onChange={set("newPassword")}
      />
      <TextField
        label={t("account.confirmPassword")}
        type="password"
        autoComplete="new-password"
        value={form.confirm}
        error={errors.confirm}
        onChange={set("confirm")}
      />
      <button type="submit" className="primary" disabled={busy}>
        {t("account.changePassword")}
      </button>
    </form>
  );
}

function ApiTokens() {
  const t = useT();
  const tokens = useLoad(() => api.get<ApiTokenInfo[]>("/api/v1/auth/tokens"), []);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    try {
      const token = await api.post<CreatedToken>("/api/v1/auth/tokens", { name });
      setCreated(token);
      setName("");
      tokens.reload();
    } catch (e) {
      setError(e);
    }
  }

  async function onRevoke(token: ApiTokenInfo) {
    setError(null);
    try {
      await api.delete(`/api/v1/auth/tokens/${token.id}`);
      setNotice(t("account.tokenRevoked", { name: token.name }));
      if (created?.id === token.id) setCreated(null);
      tokens.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card">
      <h2>{t("account.tokens")}</h2>
      <p className="muted">{t("account.tokensIntro")}</p>
      <Notice>{notice}</Notice>
      <ErrorBox error={error ?? tokens.error} />
      {created && (
        <div className="secret" role="status">
          <p>{t("account.tokenCreated", { name: created.name })}</p>
          <code>{created.token}</code>
        </div>
      )}
      <form className="inline-form" onSubmit={onCreate} noValidate>
        <TextField
          label={t("account.tokenName")}
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit">{t("account.createToken")}</button>
      </form>
      {tokens.data?.length === 0 && <p className="muted">{t("account.noTokens")}</p>}
      <ul className="rows">
        {tokens.data?.map((token) => (
          <li key={token.id}>
            <span>
              <strong>{token.name}</strong> <code>…{token.hint}</code>
              <br />
              <small className="muted">
                {t("account.tokenLastUsed")}:{" "}
                {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t("account.tokenNeverUsed")}
              </small>
            </span>
            <button type="button" onClick={() => onRevoke(token)}>
              {t("account.tokenRevoke")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
