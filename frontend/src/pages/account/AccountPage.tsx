import { useState } from "react";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { useAccount, useSession } from "../../auth/session";
import { Page } from "../../components/Page";
import { Field } from "../../components/Field";
import { Alert } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from "../../i18n";
import { useFormat } from "../../lib/format";

/** Data-protection self-service: export everything as JSON, or erase the account (password to confirm). */
function PrivacyCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [done, setDone] = useState(false);
  const [password, setPassword] = useState("");
  const exportData = useAction(async () => {
    setDone(false);
    const data = await call(api.GET("/api/me/export"));
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `eurodyssey-my-data-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setDone(true);
  });
  const erase = useAction(async () => {
    await call(api.DELETE("/api/me", { body: { password } }));
    // The home page drops the session on arrival: dropping it here would make this page send the visitor
    // to the login form before the navigation (a transition) completes.
    navigate("/", { state: { notice: t("privacy.erased"), endSession: true } });
  });
  return (
    <section className="card" aria-labelledby="privacy-title">
      <h2 id="privacy-title">{t("privacy.title")}</h2>
      <p>{t("privacy.lead")}</p>
      {done && <Alert tone="success">{t("privacy.exported")}</Alert>}
      {exportData.error && <ProblemAlert error={exportData.error} />}
      <p>
        <button type="button" className="button button-secondary" disabled={exportData.pending} onClick={() => void exportData.run()}>
          {t("privacy.export")}
        </button>
      </p>
      <details>
        <summary>{t("privacy.eraseTitle")}</summary>
        <form className="form" onSubmit={erase.onSubmit}>
          <p>{t("privacy.eraseText")}</p>
          {erase.error && <ProblemAlert error={erase.error} shownFields={["password"]} />}
          <Field name="password" label={t("privacy.password")} required error={erase.fieldError("password")}>
            {(p) => (
              <input {...p} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="button button-danger" disabled={erase.pending}>
              {t("privacy.erase")}
            </button>
          </div>
        </form>
      </details>
    </section>
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const account = useAccount();
  const { setAccount, setLanguage } = useSession();
  const [fullName, setFullName] = useState(account.full_name);
  const [locale, setLocale] = useState(account.locale);
  const [saved, setSaved] = useState(false);

  const action = useAction(async () => {
    setSaved(false);
    const updated = await call(api.PATCH("/api/me", { body: { full_name: fullName, locale } }));
    setAccount(updated);
    if (isLanguage(updated.locale)) await setLanguage(updated.locale);
    setSaved(true);
  });

  return (
    <Page title={t("account.title")}>
      <div className="grid-2">
        <section className="card">
          <h2>{t("account.details")}</h2>
          <dl className="facts">
            <dt>{t("common.email")}</dt>
            <dd>
              {account.email} {account.email_verified && <span className="badge badge-ok">{t("account.verified")}</span>}
            </dd>
            <dt>{t("account.role")}</dt>
            <dd>{t(`roles.${account.role}`)}</dd>
            <dt>{t("account.memberSince")}</dt>
            <dd>{f.date(account.created_at)}</dd>
          </dl>
        </section>
        <section className="card">
          <h2>{t("account.preferences")}</h2>
          <form className="form" onSubmit={action.onSubmit}>
            {saved && <Alert tone="success">{t("common.saved")}</Alert>}
            {action.error && <ProblemAlert error={action.error} shownFields={["full_name", "locale"]} />}
            <Field name="full_name" label={t("common.fullName")} required error={action.fieldError("full_name")}>
              {(p) => (
                <input {...p} autoComplete="name" maxLength={200} value={fullName} onChange={(e) => setFullName(e.target.value)} />
              )}
            </Field>
            <Field
              name="locale"
              label={t("app.language")}
              hint={t("account.languageHint")}
              required
              error={action.fieldError("locale")}
            >
              {(p) => (
                <select {...p} value={locale} onChange={(e) => isLanguage(e.target.value) && setLocale(e.target.value)}>
                  {LANGUAGES.map((lang) => (
                    <option key={lang} value={lang} lang={lang}>
                      {LANGUAGE_NAMES[lang]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <div className="form-actions">
              <button className="button" type="submit" disabled={action.pending}>
                {t("common.save")}
              </button>
            </div>
          </form>
        </section>
        {account.role === "applicant" && <PrivacyCard />}
      </div>
    </Page>
  );
}
