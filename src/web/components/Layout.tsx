import { useState } from "react";
import { NavLink, Outlet, useNavigate } from "react-router";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";

/** Header with the main navigation (behind a menu button on a phone) and the page below it. */
export function Layout() {
  const t = useT();
  const { user, can, logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const navigate = useNavigate();

  const closeMenu = () => setMenuOpen(false);

  async function onLogout() {
    closeMenu();
    await logout().catch(() => {});
    navigate("/login", { replace: true });
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="topbar">
        <NavLink onClick={closeMenu} to="/" className="brand">
          <span className="brand-mark">{t("app.name")}</span>
          <span className="brand-title">{t("app.title")}</span>
        </NavLink>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          aria-label={menuOpen ? t("nav.closeMenu") : t("nav.openMenu")}
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span aria-hidden="true">{menuOpen ? "✕" : "☰"}</span>
        </button>
        {/* The phone menu closes when the user picks something in it, not on redirects (which
            would close it under the user's finger right after logging in). */}
        <nav id="main-nav" className={menuOpen ? "nav nav-open" : "nav"} aria-label={t("nav.main")}>
          <NavLink onClick={closeMenu} to="/org-units">
            {t("nav.orgUnits")}
          </NavLink>
          {can("framework.read") && (
            <NavLink onClick={closeMenu} to="/frameworks">
              {t("frameworks.nav")}
            </NavLink>
          )}
          {can("fund.read") && (
            <NavLink onClick={closeMenu} to="/funds">
              {t("fund.nav")}
            </NavLink>
          )}
          {can("user.read") && (
            <NavLink onClick={closeMenu} to="/users">
              {t("nav.users")}
            </NavLink>
          )}
          {can("audit.read") && (
            <NavLink onClick={closeMenu} to="/audit">
              {t("nav.audit")}
            </NavLink>
          )}
          <NavLink onClick={closeMenu} to="/account">
            {t("nav.account")}
          </NavLink>
          <span className="nav-user" title={user?.fullName}>
            {user?.username}
          </span>
          <button type="button" className="link-button" onClick={onLogout}>
            {t("nav.logout")}
          </button>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
