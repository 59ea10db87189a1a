import { useEffect, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, CEFR_LEVELS, type CefrLevel } from "../../api/client";
import { Page } from "../../components/Page";
import { Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { LANGUAGE_CODES } from "../../components/LanguageLevels";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";
import { byName, useRegions } from "../../lib/regions";
import { SECTORS } from "../../lib/sectors";
import { OfferCard } from "./OfferCard";

const FILTERS = ["q", "region_id", "country", "sector", "language", "level", "min_duration", "max_duration", "start_from", "start_to", "sort"] as const;
type Filter = (typeof FILTERS)[number];
type Sort = "start_date" | "deadline" | "-published_at" | "-monthly_grant" | "relevance";
const SORTS: [Sort, string][] = [
  ["start_date", "offers.sortStart"],
  ["deadline", "offers.sortDeadline"],
  ["-published_at", "offers.sortNewest"],
  ["-monthly_grant", "offers.sortGrant"],
  ["relevance", "offers.sortRelevance"],
];
const PAGE_SIZE = 20;
/** On a phone the filters start folded, so the results are the first thing seen. */
const wideScreen = typeof window !== "undefined" && window.matchMedia("(min-width: 56rem)").matches;

/** Search published offers; every filter lives in the URL (shareable, and the Back button keeps it). */
export function OfferSearch() {
  const { t } = useTranslation();
  const f = useFormat();
  const regions = useRegions();
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState<Record<Filter, string>>(() => readFilters(params));
  useEffect(() => setDraft(readFilters(params)), [params]);
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);

  const results = useAsync(() => {
    const get = (k: Filter) => params.get(k) || undefined;
    const num = (k: Filter) => (get(k) ? Number(get(k)) : undefined);
    const sort = (get("sort") as Sort | undefined) ?? (get("q") ? "relevance" : "start_date");
    return call(
      api.GET("/api/offers", {
        params: {
          query: {
            q: get("q"),
            region_id: get("region_id"),
            country: get("country"),
            sector: get("sector"),
            language: get("language"),
            level: get("level") as CefrLevel | undefined,
            min_duration: num("min_duration"),
            max_duration: num("max_duration"),
            start_from: get("start_from"),
            start_to: get("start_to"),
            sort: sort === "relevance" && !get("q") ? "start_date" : sort,
            page,
            page_size: PAGE_SIZE,
          },
        },
      }),
    );
  }, [params.toString()]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of FILTERS) if (draft[key]) next.set(key, draft[key]);
    setParams(next);
  };
  const set = (key: Filter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const countries = [...new Set((regions.data ?? []).map((r) => r.country))].sort((a, b) =>
    f.country(a).localeCompare(f.country(b), f.lang),
  );
  // After a refused search, the previous search's offers would read as this one's results.
  const found = results.error ? null : results.data;
  const total = found?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const goto = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    setParams(next);
  };

  return (
    <Page title={t("offers.title")} lead={t("offers.lead")} wide>
      <div className="search-layout">
        <details className="card filters-box" open={wideScreen}>
          <summary>
            <h2 className="h-small filters-title">{t("offers.filters")}</h2>
          </summary>
        <form className="filters" onSubmit={submit} role="search" aria-label={t("offers.filters")}>
          <div className="field">
            <label htmlFor="f-q">{t("offers.keywords")}</label>
            <input id="f-q" type="search" value={draft.q} maxLength={200} onChange={set("q")} />
          </div>
          <div className="field">
            <label htmlFor="f-region">{t("offers.hostRegion")}</label>
            <select id="f-region" value={draft.region_id} onChange={set("region_id")}>
              <option value="">{t("offers.anyRegion")}</option>
              {(regions.data ?? []).filter((r) => r.participating).sort(byName).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-country">{t("offers.country")}</label>
            <select id="f-country" value={draft.country} onChange={set("country")}>
              <option value="">{t("offers.anyCountry")}</option>
              {countries.map((c) => (
                <option key={c} value={c}>
                  {f.country(c)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-sector">{t("offers.sector")}</label>
            <select id="f-sector" value={draft.sector} onChange={set("sector")}>
              <option value="">{t("offers.anySector")}</option>
              {SECTORS.map((s) => (
                <option key={s} value={s}>
                  {t(`sectors.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field-pair">
            <div className="field">
              <label htmlFor="f-language">{t("offers.language")}</label>
              <select id="f-language" value={draft.language} onChange={set("language")}>
                <option value="">{t("offers.anyLanguage")}</option>
                {[...LANGUAGE_CODES].sort((a, b) => f.language(a).localeCompare(f.language(b), f.lang)).map((c) => (
                  <option key={c} value={c}>
                    {f.language(c)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-level">{t("offers.myLevel")}</label>
              <select id="f-level" value={draft.level} onChange={set("level")} disabled={!draft.language}>
                <option value="">{t("offers.anyLevel")}</option>
                {CEFR_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <fieldset className="field-pair">
            <legend>{t("offers.duration")}</legend>
            {(["min_duration", "max_duration"] as const).map((key) => (
              <div className="field" key={key}>
                <label htmlFor={`f-${key}`}>{key === "min_duration" ? t("offers.minDuration") : t("offers.maxDuration")}</label>
                <select id={`f-${key}`} value={draft[key]} onChange={set(key)}>
                  <option value="">—</option>
                  {[3, 4, 5, 6, 7].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </fieldset>
          <div className="field-pair">
            <div className="field">
              <label htmlFor="f-from">{t("offers.startFrom")}</label>
              <input id="f-from" type="date" value={draft.start_from} onChange={set("start_from")} />
            </div>
            <div className="field">
              <label htmlFor="f-to">{t("offers.startTo")}</label>
              <input id="f-to" type="date" value={draft.start_to} onChange={set("start_to")} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="f-sort">{t("offers.sort")}</label>
            <select id="f-sort" value={draft.sort} onChange={set("sort")}>
              <option value="">—</option>
              {SORTS.map(([value, key]) => (
                <option key={value} value={value}>
                  {t(key as "offers.sortStart")}
                </option>
              ))}
            </select>
          </div>
          <div className="form-actions">
            <button type="submit" className="button">
              {t("offers.search")}
            </button>
            <button type="button" className="button button-ghost" onClick={() => setParams(new URLSearchParams())}>
              {t("offers.reset")}
            </button>
          </div>
        </form>
        </details>
        <section aria-labelledby="results-title" className="results">
          <h2 id="results-title" aria-live="polite">
            {found ? t("offers.results", { count: total }) : t("offers.title")}
          </h2>
          {results.loading && <Loading />}
          {results.error && <ProblemAlert error={results.error} shownFields={[]} />}
          {found && found.items.length === 0 && <p>{t("offers.none")}</p>}
          <div className="offer-list">
            {found?.items.map((o) => <OfferCard key={o.id} offer={o} />)}
          </div>
          {pages > 1 && (
            <nav className="pager" aria-label={t("offers.title")}>
              <button type="button" className="button button-secondary button-small" disabled={page <= 1} onClick={() => goto(page - 1)}>
                {t("admin.previous")}
              </button>
              <span>
                {page} / {pages}
              </span>
              <button type="button" className="button button-secondary button-small" disabled={page >= pages} onClick={() => goto(page + 1)}>
                {t("admin.next")}
              </button>
            </nav>
          )}
        </section>
      </div>
    </Page>
  );
}

function readFilters(params: URLSearchParams): Record<Filter, string> {
  return Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ""])) as Record<Filter, string>;
}
