import { useTranslation } from "react-i18next";
import type { Rule } from "../api/client";
import { useFormat } from "../lib/format";

type RuleKey = "home_region" | "age" | "residence" | "education" | "status" | "foreign_language" | "abroad";
const KNOWN: RuleKey[] = ["home_region", "age", "residence", "education", "status", "foreign_language", "abroad"];

/** Eligibility, rule by rule: a title in the user's language, met or not, and the server's explanation. */
export function RuleList({ rules }: { rules: Rule[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const title = (rule: string) => {
    if (rule.startsWith("offer_language:")) {
      return t("states.rules.offer_language", { language: f.language(rule.slice("offer_language:".length)) });
    }
    return (KNOWN as string[]).includes(rule) ? t(`states.rules.${rule as RuleKey}`) : rule;
  };
  return (
    <ul className="rules">
      {rules.map((r) => (
        <li key={r.rule} className={r.ok ? "rule rule-ok" : "rule rule-ko"}>
          <span className="rule-icon" aria-hidden="true">
            {r.ok ? "✓" : "✗"}
          </span>
          <span>
            <strong>{title(r.rule)}</strong>
            <span className="visually-hidden">: {r.ok ? t("common.yes") : t("common.no")}.</span>{" "}
            <span className="rule-message">{r.message}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
