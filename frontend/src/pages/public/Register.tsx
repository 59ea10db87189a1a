import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { Page } from "../../components/Page";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";
import { isLanguage } from "../../i18n";
import { ResendVerification } from "./ResendVerification";

type SelfRole = "applicant" | "employer";

export function Register() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const [role, setRole] = useState<SelfRole>(params.get("role") === "employer" ? "employer" : "applicant");
  const [fullName, setFullName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [done, setDone] = useState<string | null>(null);

  const action = useAction(async () => {
    const locale = isLanguage(i18n.language) ? i18n.language : "en";
    const account = await call(
      api.POST("/api/auth/register", { body: { email, password, full_name: fullName, role, locale } }),
    );
    setDone(account.email);
  });

  if (done) {
    return (
      <Page title={t("register.doneTitle")}>
        <div className="narrow">
          <div className="alert alert-success" role="status">
            <p>{t("register.doneText", { email: done })}</p>
          </div>
          <ResendVerification initialEmail={done} label={t("register.resend")} />
          <p>
            <Link to={`/login?email=${encodeURIComponent(done)}`}>{t("nav.login")}</Link>
          </p>
        </div>
      </Page>
    );
  }

  return (
    <Page title={t("register.title")}>
      <form className="form narrow" onSubmit={action.onSubmit}>
        {action.error && (
          <ProblemAlert error={action.error} shownFields={["email", "password", "full_name", "role"]} />
        )}
        <fieldset className="choice-group">
          <legend>{t("register.role")}</legend>
          {(["applicant", "employer"] as const).map((value) => (
            <label key={value} className="choice">
              <input
                type="radio"
                name="role"
                value={value}
                checked={role === value}
                onChange={() => setRole(value)}
              />
              {value === "applicant" ? t("register.roleApplicant") : t("register.roleEmployer")}
            </label>
          ))}
        </fieldset>
        <Field name="full_name" label={t("common.fullName")} required error={action.fieldError("full_name")}>
          {(p) => (
            <input {...p} autoComplete="name" maxLength={200} value={fullName} onChange={(e) => setFullName(e.target.value)} />
          )}
        </Field>
        <Field name="email" label={t("common.email")} required error={action.fieldError("email")}>
          {(p) => <input {...p} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field
          name="password"
          label={t("common.password")}
          hint={t("register.passwordHint")}
          required
          error={action.fieldError("password")}
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button className="button" type="submit" disabled={action.pending}>
            {t("register.submit")}
          </button>
        </div>
        <p>
          {t("register.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
        </p>
      </form>
    </Page>
  );
}
