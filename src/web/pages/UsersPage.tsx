import { type FormEvent, useState } from "react";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Loading, Notice, Pager } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { OrgUnitPicker, type PickedUnit } from "../components/OrgUnitPicker.tsx";
import { useDebounced, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import type { CurrentUser, Page, UserView, UserWithPassword } from "../types.ts";

const ROLES: CurrentUser["role"][] = ["admin", "officer", "data_entry", "viewer"];
const PAGE_SIZE = 25;

/** Accounts inside the administrator's scope: create, edit, reset a password, lock and unlock. */
export function UsersPage() {
  const t = useT();
  const { can } = useSession();
  const [text, setText] = useState("");
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null);
  const q = useDebounced(text.trim(), 250);
  const users = useLoad(
    () => api.get<Page<UserView>>(`/api/v1/users${query({ q, page, pageSize: PAGE_SIZE })}`),
    [q, page],
  );

  function showResult(message: string, result: UserWithPassword) {
    setNotice(message);
    setSecret(
      result.temporaryPassword
        ? { username: result.user.username, password: result.temporaryPassword }
        : null,
    );
    users.reload();
  }

  return (
    <div className="page">
      <h1>{t("users.title")}</h1>
      <Notice>{notice}</Notice>
      {secret && (
        <div className="secret">
          <p>
            {t("users.temporaryPassword")} <strong>{secret.username}</strong>
          </p>
          <code data-testid="temporary-password">{secret.password}</code>
        </div>
      )}
      {can("user.manage") &&
        (adding ? (
          <UserForm
            onCancel={() => setAdding(false)}
            onSaved={(result) => {
              setAdding(false);
              showResult(t("users.created", { username: result.user.username }), result);
            }}
          />
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setAdding(true);
              setNotice(null);
              setSecret(null);
            }}
          >
            {t("users.add")}
          </button>
        ))}
      <TextField
        label={t("users.search")}
        type="search"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setPage(1);
        }}
      />
      <ErrorBox error={users.error} />
      {!users.data && !users.error && <Loading />}
      {users.data && (
        <>
          <p className="muted">{t("users.total", { count: users.data.total })}</p>
          {users.data.items.length === 0 && <p className="muted">{t("users.none")}</p>}
          <ul className="rows">
            {users.data.items.map((user) => (
              <UserRow key={user.id} user={user} onChanged={showResult} />
            ))}
          </ul>
          <Pager page={page} pageSize={PAGE_SIZE} total={users.data.total} onPage={setPage} />
        </>
      )}
    </div>
  );
}

function UserRow({
  user,
  onChanged,
}: {
  user: UserView;
  onChanged: (message: string, result: UserWithPassword) => void;
}) {
  const t = useT();
  const { can, user: me } = useSession();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const manage = can("user.manage") && me?.id !== user.id;

  async function run(action: () => Promise<UserWithPassword>, message: string) {
    setError(null);
    try {
      onChanged(message, await action());
    } catch (e) {
      setError(e);
    }
  }

  const status = !user.isActive
    ? t("users.statusInactive")
    : user.mustChangePassword
      ? t("users.statusMustChange")
      : t("users.statusActive");

  return (
    <li className="user-row">
      <span className="row-main">
        <strong>{user.fullName}</strong> <code>{user.username}</code>{" "}
        <span className={user.isActive ? "badge badge-ok" : "badge"}>{status}</span>
      </span>
      <span className="muted">
        {t(`role.${user.role}`)} · {user.scopes.map((s) => s.name).join("; ")}
      </span>
      <ErrorBox error={error} />
      {manage && !editing && (
        <span className="actions">
          <button type="button" onClick={() => setEditing(true)}>
            {t("users.edit")}
          </button>
          <button
            type="button"
            onClick={() =>
              run(
                () => api.post<UserWithPassword>(`/api/v1/users/${user.id}/reset-password`),
                t("users.passwordReset", { username: user.username }),
              )
            }
          >
            {t("users.resetPassword")}
          </button>
          <button
            type="button"
            onClick={() =>
              run(
                async () => ({
                  user: await api.patch<UserView>(`/api/v1/users/${user.id}`, { isActive: !user.isActive }),
                  temporaryPassword: null,
                }),
                t(user.isActive ? "users.locked" : "users.unlocked", { username: user.username }),
              )
            }
          >
            {user.isActive ? t("users.lock") : t("users.unlock")}
          </button>
        </span>
      )}
      {editing && (
        <UserForm
          existing={user}
          onCancel={() => setEditing(false)}
          onSaved={(result) => {
            setEditing(false);
            onChanged(t("users.saved", { username: user.username }), result);
          }}
        />
      )}
    </li>
  );
}

/** Create a user, or edit an existing one's name, role and units. */
function UserForm({
  existing,
  onSaved,
  onCancel,
}: {
  existing?: UserView;
  onSaved: (result: UserWithPassword) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [form, setForm] = useState({
    username: existing?.username ?? "",
    fullName: existing?.fullName ?? "",
    role: existing?.role ?? ("officer" as CurrentUser["role"]),
    password: "",
  });
  const [scopes, setScopes] = useState<PickedUnit[]>(
    existing?.scopes.map((s) => ({ id: s.id, label: s.name })) ?? [],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const missing: Record<string, string> = {};
    if (!existing && !form.username.trim()) missing.username = t("error.required");
    if (!form.fullName.trim()) missing.fullName = t("error.required");
    if (scopes.length === 0) missing.scopeIds = t("users.scopesRequired");
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      const scopeIds = scopes.map((s) => s.id);
      const result = existing
        ? {
            user: await api.patch<UserView>(`/api/v1/users/${existing.id}`, {
              fullName: form.fullName,
              role: form.role,
              scopeIds,
            }),
            temporaryPassword: null,
          }
        : await api.post<UserWithPassword>("/api/v1/users", {
            username: form.username,
            fullName: form.fullName,
            role: form.role,
            scopeIds,
            ...(form.password ? { password: form.password } : {}),
          });
      onSaved(result);
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
      <h2>{existing ? existing.username : t("users.add")}</h2>
      <ErrorBox error={error} />
      {!existing && (
        <TextField
          label={t("users.username")}
          hint={t("users.usernameHint")}
          autoCapitalize="none"
          autoComplete="off"
          value={form.username}
          error={errors.username}
          onChange={set("username")}
        />
      )}
      <TextField
        label={t("users.fullName")}
        value={form.fullName}
        error={errors.fullName}
        onChange={set("fullName")}
      />
      <SelectField label={t("users.role")} value={form.role} error={errors.role} onChange={set("role")}>
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {t(`role.${role}`)}
          </option>
        ))}
      </SelectField>
      <OrgUnitPicker
        label={t("users.scopes")}
        hint={t("users.scopesHint")}
        error={errors.scopeIds}
        value={scopes}
        onChange={setScopes}
      />
      {!existing && (
        <TextField
          label={t("users.password")}
          type="password"
          autoComplete="new-password"
          value={form.password}
          error={errors.password}
          onChange={set("password")}
        />
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {existing ? t("users.save") : t("users.create")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("users.cancel")}
        </button>
      </div>
    </form>
  );
}
