import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/session";
import type { Role } from "../api/client";
import { Loading } from "./Alert";
import { Page } from "./Page";

/** Only for logged-in accounts of these roles; others go to the login page (and come back after). */
export function RequireRole({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const { account, ready } = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (!ready) return <Loading />;
  if (!account) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (roles && !roles.includes(account.role)) {
    return (
      <Page title={t("forbidden.title")}>
        <p>{t("forbidden.text")}</p>
      </Page>
    );
  }
  return <>{children}</>;
}
