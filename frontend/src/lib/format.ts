import { useTranslation } from "react-i18next";
import { useMemo } from "react";

/** Dates, numbers and names formatted for the chosen language (Intl, no extra library). */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  // British English conventions (day before month, 24-hour clock) suit a European programme.
  const locale = lang === "en" ? "en-GB" : lang;
  return useMemo(() => {
    const date = new Intl.DateTimeFormat(locale, { dateStyle: "long" });
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    const number = new Intl.NumberFormat(locale);
    const signed = new Intl.NumberFormat(locale, { signDisplay: "exceptZero" });
    const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
    const countries = new Intl.DisplayNames([lang], { type: "region" });
    const languages = new Intl.DisplayNames([lang], { type: "language" });
    const list = new Intl.ListFormat(locale, { style: "short", type: "conjunction" });
    const money = (currency: string) =>
      new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0 });
    return {
      lang,
      date: (value: string | Date) => date.format(new Date(value)),
      dateTime: (value: string | Date) => dateTime.format(new Date(value)),
      number: (value: number) => number.format(value),
      signed: (value: number) => signed.format(value),
      percent: (value: number) => percent.format(value),
      country: (code: string) => countries.of(code) ?? code,
      language: (code: string) => languages.of(code) ?? code,
      list: (items: string[]) => list.format(items),
      money: (amount: string | number, currency = "EUR") => money(currency).format(Number(amount)),
      /** A calendar date from the API (YYYY-MM-DD), shown without a time-zone shift. */
      day: (value: string) => date.format(new Date(`${value}T12:00:00`)),
    };
  }, [lang, locale]);
}
