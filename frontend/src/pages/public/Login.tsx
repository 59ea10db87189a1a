import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { Page } from "../../components/Page";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Alert } from "../../components/Alert";
import { useAction } from "../../components/useAction";
import { HOME_BY_ROLE, useSession } from "../../auth/session";

/** Only same-site paths are followed after login (no open redirect). */
function safeNext(next: string | null): string | null {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : null;
}

export function Login() {
  const { t } = useTranslation();
  const { login, expired } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");

  const action = useAction(async () => {
    const account = await login(email, password);
    navigate(safeNext(params.get("next")) ?? HOME_BY_ROLE[account.role], { replace: true });
  });

  return (
    <Page title={t("login.title")}>
      <form className="form narrow" onSubmit={action.onSubmit} noValidate={false}>
        {expired && !action.error && <Alert tone="warning">{t("login.expired")}</Alert>}
        {action.error && <ProblemAlert error={action.error} shownFields={["email", "password"]} />}
        <Field name="email" label={t("common.email")} required error={action.fieldError("email")}>
          {(p) => (
            <input {...p} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <Field name="password" label={t("common.password")} required error={action.fieldError("password")}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button className="button" type="submit" disabled={action.pending}>
            {t("login.submit")}
          </button>
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </div>
        {action.error?.status === 403 && (
          <p>
            {t("login.notVerified")}{" "}
            <Link to={`/verify-email?email=${encodeURIComponent(email)}`}>{t("login.resend")}</Link>
          </p>
        )}
        <p>
          {t("login.noAccount")} <Link to="/register">{t("login.register")}</Link>
        </p>
      </form>
    </Page>
  );
}
