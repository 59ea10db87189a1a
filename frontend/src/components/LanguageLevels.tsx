import { useTranslation } from "react-i18next";
import { CEFR_LEVELS, type CefrLevel, type LanguageLevel } from "../api/client";
import { useFormat } from "../lib/format";

/** The languages the programme's regions use most; any ISO 639-1 code the API accepts could be added. */
export const LANGUAGE_CODES = [
  "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fi", "fr", "ga", "gl", "hr", "hu", "it",
  "ka", "lt", "lv", "mt", "nl", "no", "pl", "pt", "ro", "sk", "sl", "sq", "sr", "sv", "tr", "uk",
];

/** Edit a list of (language, CEFR level) pairs. */
export function LanguageLevels({
  value,
  onChange,
  idPrefix,
  labelledBy,
  describedBy,
}: {
  value: LanguageLevel[];
  onChange: (value: LanguageLevel[]) => void;
  idPrefix: string;
  labelledBy: string;
  describedBy?: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const codes = [...LANGUAGE_CODES].sort((a, b) => f.language(a).localeCompare(f.language(b), f.lang));
  const set = (index: number, patch: Partial<LanguageLevel>) =>
    onChange(value.map((item, i) => (i === index ? { ...item, ...patch } : item)));

  return (
    <div className="language-levels" role="group" aria-labelledby={labelledBy} aria-describedby={describedBy}>
      {value.map((item, index) => (
        <div className="language-row" key={index}>
          <select
            id={`${idPrefix}-lang-${index}`}
            aria-label={t("profile.languageN", { n: index + 1 })}
            value={item.language}
            onChange={(e) => set(index, { language: e.target.value })}
          >
            {codes.map((code) => (
              <option key={code} value={code}>
                {f.language(code)}
              </option>
            ))}
          </select>
          <select
            aria-label={t("profile.levelN", { n: index + 1 })}
            value={item.level}
            onChange={(e) => set(index, { level: e.target.value as CefrLevel })}
          >
            {CEFR_LEVELS.map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-ghost button-small"
            aria-label={t("profile.removeLanguage", { language: f.language(item.language) })}
            onClick={() => onChange(value.filter((_, i) => i !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => onChange([...value, { language: codes.find((c) => !value.some((v) => v.language === c)) ?? "en", level: "B1" }])}
      >
        {t("profile.addLanguage")}
      </button>
    </div>
  );
}
