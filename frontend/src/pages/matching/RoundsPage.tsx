import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { useAccount } from "../../auth/session";
import { Page } from "../../components/Page";
import { Loading } from "../../components/Alert";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { recruitingYear } from "../../lib/dates";
import { useFormat } from "../../lib/format";
import { regionLabel, useRegions } from "../../lib/regions";
import { diagnosticsOf, isRoundState } from "./types";

/** Matching rounds of a year: run a new one (both policies are computed), open one to review it. */
export function RoundsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const account = useAccount();
  const regions = useRegions();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get("year")) || recruitingYear();
  const programmeWide = account.role === "chair" || account.role === "admin";
  const [scope, setScope] = useState(programmeWide ? "" : (account.region_ids[0] ?? ""));
  const [policy, setPolicy] = useState<"stable" | "balanced">("stable");
  const [tolerance, setTolerance] = useState("0");
  const rounds = useAsync(() => call(api.GET("/api/matching/rounds", { params: { query: { year } } })), [year]);
  const run = useAction(async () => {
    const round = await call(
      api.POST("/api/matching/rounds", {
        body: { programme_year: year, region_id: scope || null, policy, tolerance: Number(tolerance) || 0 },
      }),
    );
    navigate(`/rounds/${round.id}`);
  });
  const scopes = programmeWide ? (regions.data ?? []).map((r) => r.id) : account.region_ids;

  return (
    <Page title={t("rounds.title")} lead={t("rounds.lead")} wide>
      <div className="grid-2 grid-sidebar">
        <section className="card" aria-labelledby="rounds-list">
          <div className="section-head">
            <h2 id="rounds-list">{t("rounds.listTitle")}</h2>
            <div className="field inline">
              <label htmlFor="rounds-year">{t("rounds.year")}</label>
              <select id="rounds-year" value={year} onChange={(e) => setParams({ year: e.target.value }, { replace: true })}>
                {[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {rounds.loading && <Loading />}
          {rounds.error && <ProblemAlert error={rounds.error} />}
          {rounds.data && rounds.data.length === 0 && <p>{t("rounds.none")}</p>}
          <ul className="plain-list">
            {rounds.data?.map((r) => {
              const d = diagnosticsOf(r.diagnostics, r.policy);
              return (
                <li key={r.id} className="card compact">
                  <div className="application-head">
                    <h3 className="h-small">
                      <Link to={`/rounds/${r.id}`}>{t("rounds.roundTitle", { date: f.dateTime(r.created_at) })}</Link>
                    </h3>
                    <span className={r.state === "published" ? "badge badge-ok" : r.state === "draft" ? "badge badge-wait" : "badge badge-neutral"}>
                      {isRoundState(r.state) ? t(`rounds.state.${r.state}`) : r.state}
                    </span>
                  </div>
                  <p className="muted small">
                    {r.region_id ? regionLabel(regions.data?.find((x) => x.id === r.region_id), r.region_id) : t("rounds.wholeProgramme")} ·{" "}
                    {r.policy === "balanced" ? t("rounds.balanced") : t("rounds.stable")}
                    {d && <> · {t("rounds.summary", { placed: d.placed, unplaced: d.unplaced })}</>}
                  </p>
                </li>
              );
            })}
          </ul>
        </section>
        <section className="card" aria-labelledby="rounds-open">
          <h2 id="rounds-open">{t("rounds.openTitle")}</h2>
          <form className="form" onSubmit={run.onSubmit}>
            {run.error && <ProblemAlert error={run.error} shownFields={["region_id", "policy", "tolerance", "programme_year"]} />}
            <p>
              {t("rounds.year")}: <strong>{year}</strong>
            </p>
            <Field name="region_id" label={t("rounds.scope")} required error={run.fieldError("region_id")}>
              {(p) => (
                // "" is the whole programme, a real choice: a required select would refuse it as no choice at all.
                <select {...p} required={!programmeWide} value={scope} onChange={(e) => setScope(e.target.value)}>
                  {programmeWide && <option value="">{t("rounds.wholeProgramme")}</option>}
                  {scopes.map((id) => (
                    <option key={id} value={id}>
                      {regionLabel(regions.data?.find((r) => r.id === id), id)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <fieldset className="choice-group">
              <legend>{t("rounds.policy")}</legend>
              {(["stable", "balanced"] as const).map((p) => (
                <label key={p} className="choice">
                  <input type="radio" name="policy" value={p} checked={policy === p} onChange={() => setPolicy(p)} />
                  {p === "stable" ? t("rounds.stable") : t("rounds.balanced")}
                </label>
              ))}
            </fieldset>
            {policy === "balanced" && (
              <Field name="tolerance" label={t("rounds.tolerance")} hint={t("rounds.toleranceHint")} required error={run.fieldError("tolerance")}>
                {(p) => <input {...p} type="number" min={0} max={1000} value={tolerance} onChange={(e) => setTolerance(e.target.value)} />}
              </Field>
            )}
            <div className="form-actions">
              <button type="submit" className="button" disabled={run.pending}>
                {t("rounds.run")}
              </button>
            </div>
          </form>
        </section>
      </div>
    </Page>
  );
}
