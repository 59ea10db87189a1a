import { useTranslation } from "react-i18next";
import { useSession } from "../auth/session";
import { LANGUAGES, LANGUAGE_NAMES } from "../i18n";

/** English / Français: kept in this browser, and in the account when logged in. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { setLanguage } = useSession();
  return (
    <div className="lang-switch" role="group" aria-label={t("app.language")}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          className="lang-button"
          aria-pressed={i18n.language === lang}
          onClick={() => void setLanguage(lang).catch(() => undefined)}
        >
          <span aria-hidden="true">{lang.toUpperCase()}</span>
          <span className="visually-hidden">{LANGUAGE_NAMES[lang]}</span>
        </button>
      ))}
    </div>
  );
}
