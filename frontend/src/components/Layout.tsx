import { useEffect, useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/session";
import { LanguageSwitch } from "./LanguageSwitch";
import type { Role } from "../api/client";
import { useUnreadCount } from "../lib/unread";

type NavKey =
  | "nav.home"
  | "nav.login"
  | "nav.register"
  | "nav.employer"
  | "nav.coordinator"
  | "nav.organisations"
  | "nav.chair"
  | "nav.admin"
  | "nav2.offers"
  | "nav2.applications"
  | "nav2.profile"
  | "nav2.regionApplications"
  | "nav2.regionOffers"
  | "rounds.nav";

const NAV: Record<Role | "anonymous", [string, NavKey][]> = {
  anonymous: [
    ["/", "nav.home"],
    ["/offers", "nav2.offers"],
    ["/login", "nav.login"],
    ["/register", "nav.register"],
  ],
  applicant: [
    ["/applicant", "nav2.applications"],
    ["/offers", "nav2.offers"],
    ["/applicant/profile", "nav2.profile"],
  ],
  employer: [["/employer", "nav.employer"]],
  coordinator: [
    ["/coordinator", "nav.coordinator"],
    ["/coordinator/applications", "nav2.regionApplications"],
    ["/coordinator/offers", "nav2.regionOffers"],
    ["/coordinator/organisations", "nav.organisations"],
    ["/rounds", "rounds.nav"],
    ["/chair", "nav.chair"],
  ],
  chair: [
    ["/chair", "nav.chair"],
    ["/rounds", "rounds.nav"],
  ],
  admin: [
    ["/admin", "nav.admin"],
    ["/chair", "nav.chair"],
    ["/rounds", "rounds.nav"],
  ],
};

export function Layout() {
  const { t } = useTranslation();
  const { account, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a client-side navigation, move focus to the content (as a page load would) and close the menu.
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: false });
  }, [location.pathname]);

  const items = NAV[account?.role ?? "anonymous"];
  const unread = useUnreadCount(Boolean(account));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">
            <img src="/favicon.svg" alt="" width="32" height="32" />
            <span>{t("app.name")}</span>
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="site-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            {t("app.menu")}
          </button>
          <div id="site-nav" className={menuOpen ? "nav-area open" : "nav-area"}>
            <nav aria-label={t("app.mainNav")}>
              <ul className="nav-list">
                {items.map(([to, key]) => (
                  <li key={to}>
                    <NavLink to={to} end>
                      {t(key)}
                    </NavLink>
                  </li>
                ))}
                {account && (
                  <li>
                    <NavLink to="/notifications">
                      {t("nav2.notifications")}
                      {unread > 0 && (
                        <>
                          {" "}
                          <span className="count">{unread}</span>
                          <span className="visually-hidden">{t("nav2.unreadSuffix")}</span>
                        </>
                      )}
                    </NavLink>
                  </li>
                )}
                {account && (
                  <li>
                    <NavLink to="/account">{t("nav.account")}</NavLink>
                  </li>
                )}
              </ul>
            </nav>
            <div className="header-tools">
              <LanguageSwitch />
              {account && (
                <button
                  type="button"
                  className="button button-ghost"
                  onClick={() => void logout().then(() => navigate("/login"))}
                >
                  {t("nav.logout")}
                </button>
              )}
            </div>
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>{t("app.footer")}</p>
        <p>
          <a href="/schema">{t("app.apiDocs")}</a>
        </p>
      </footer>
    </div>
  );
}
