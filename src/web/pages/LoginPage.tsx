import { type FormEvent, useState } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { ErrorBox } from "../components/feedback.tsx";
import { TextField } from "../components/fields.tsx";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";

export function LoginPage() {
  const t = useT();
  const { user, login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const next = new URLSearchParams(location.search).get("next") ?? "/";
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (user) return <Navigate to={user.mustChangePassword ? "/account" : safeNext(next)} replace />;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await login(username, password);
      navigate(me.mustChangePassword ? "/account" : safeNext(next), { replace: true });
    } catch (e) {
      setError(e);
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={onSubmit} noValidate>
        <p className="brand-mark">{t("app.name")}</p>
        <h1>{t("login.title")}</h1>
        <p className="muted">{t("login.intro")}</p>
        <ErrorBox error={error} />
        <TextField
          label={t("login.username")}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <TextField
          label={t("login.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {t("login.submit")}
        </button>
        <p className="hint">{t("login.forgot")}</p>
        <p>
          <Link to="/cong-dan-hoc-tap/dang-ky">{t("citizens.public.loginLink")}</Link>
        </p>
      </form>
    </main>
  );
}

/** Only ever return to a path of this app (never an absolute URL from a crafted link). */
function safeNext(next: string): string {
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
