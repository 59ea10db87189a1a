import { useState } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, saveFile, type Schemas } from "../../api/client";
import { useAccount } from "../../auth/session";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { BarChart } from "../../components/BarChart";
import { HeatMap } from "../../components/HeatMap";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";
import { isSector } from "../../lib/sectors";
import { useRegions } from "../../lib/regions";

type Category = Schemas["Category"];
type RegionStat = Schemas["RegionStat"];

async function loadYear(year: number) {
  const query = { year };
  const [regions, flows, distributions, time] = await Promise.all([
    call(api.GET("/api/statistics/regions", { params: { query } })),
    call(api.GET("/api/statistics/flows", { params: { query } })),
    call(api.GET("/api/statistics/distributions", { params: { query } })),
    call(api.GET("/api/statistics/time-to-placement", { params: { query } })),
  ]);
  return { regions, flows, distributions, time };
}

/** Statistics for the chair (whole programme) and coordinators (their regions beside the totals). */
export function StatisticsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const account = useAccount();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get("year")) || thisYear;
  const [notice, setNotice] = useState<string | null>(null);
  const trends = useAsync(() => call(api.GET("/api/statistics/trends")), []);
  const data = useAsync(() => loadYear(year), [year]);
  const refresh = useAction(async () => {
    await call(api.POST("/api/statistics/refresh"));
    setNotice(t("stats.refreshed"));
    data.reload();
    trends.reload();
  });
  const download = useAction((kind: "regions" | "flows" | "distributions" | "time" | "trends") => {
    const query = { year };
    const opts = { params: { query }, parseAs: "blob" as const };
    switch (kind) {
      case "regions":
        return saveFile(api.GET("/api/statistics/regions.csv", opts), `regions-${year}.csv`);
      case "flows":
        return saveFile(api.GET("/api/statistics/flows.csv", opts), `flows-${year}.csv`);
      case "distributions":
        return saveFile(api.GET("/api/statistics/distributions.csv", opts), `distributions-${year}.csv`);
      case "time":
        return saveFile(api.GET("/api/statistics/time-to-placement.csv", opts), `time-to-placement-${year}.csv`);
      case "trends":
        return saveFile(api.GET("/api/statistics/trends.csv", { parseAs: "blob" }), "trends.csv");
    }
  });

  const years = [
    ...new Set([thisYear - 1, thisYear, thisYear + 1, ...(trends.data?.programme_years ?? []).map((r) => r.programme_year)]),
  ].sort((a, b) => b - a);
  const staff = account.role === "chair" || account.role === "admin";
  const d = data.data;
  const asOf = d?.regions.scope.as_of;
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? t("common.notAvailable") : f.percent(v));
  const days = (v: number | null | undefined) => (v === null || v === undefined ? t("common.notAvailable") : f.number(Math.round(v)));

  return (
    <Page
      title={staff ? t("stats.title") : t("stats.titleRegion")}
      lead={t("stats.lead")}
      wide
      actions={
        staff && (
          <button type="button" className="button button-secondary" disabled={refresh.pending} onClick={() => void refresh.run()}>
            {t("stats.refresh")}
          </button>
        )
      }
    >
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor="stats-year">{t("stats.year")}</label>
          <select id="stats-year" value={year} onChange={(e) => setParams({ year: e.target.value }, { replace: true })}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <p className="muted small">{asOf ? t("stats.asOf", { date: f.dateTime(asOf) }) : d ? t("stats.notYet") : null}</p>
      </div>
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {(refresh.error ?? download.error) && <ProblemAlert error={(refresh.error ?? download.error)!} />}
      {data.loading && !d && <Loading />}
      {data.error && <ProblemAlert error={data.error} />}
      {d && (
        <>
          <section aria-labelledby="totals-title">
            <h2 id="totals-title" className="visually-hidden">
              {t("stats.totals")}
            </h2>
            <Totals total={d.regions.programme_totals} time={d.time.programme} pct={pct} days={days} />
          </section>

          <section aria-labelledby="regions-title">
            <h2 id="regions-title">{t("stats.regionsTitle")}</h2>
            <div className="stack chart-grid">
              <BarChart
                title={t("stats.regionsTitle")}
                description={t("stats.regionsChartDesc", { year })}
                series={[
                  { key: "sent", label: t("stats.sent"), className: "series-a" },
                  { key: "hosted", label: t("stats.hosted"), className: "series-b" },
                ]}
                rows={d.regions.regions.map((r) => ({ label: r.region_name, values: { sent: r.sent, hosted: r.hosted } }))}
                format={f.number}
              />
              <RegionTable regions={d.regions.regions} year={year} pct={pct} />
            </div>
          </section>

          <section aria-labelledby="flows-title">
            <h2 id="flows-title">{t("stats.flowsTitle")}</h2>
            <p className="muted">{t("stats.flowsLead")}</p>
            {d.flows.flows.length === 0 ? (
              <p>{t("stats.noFlows", { year })}</p>
            ) : (
              <Flows flows={d.flows.flows} year={year} />
            )}
          </section>

          <section aria-labelledby="dist-title">
            <h2 id="dist-title">{t("stats.distributionsTitle")}</h2>
            <div className="grid-3">
              <Distribution title={t("stats.bySector")} items={d.distributions.placements.sector} year={year} label={(c) => (isSector(c) ? t(`sectors.${c}`) : c)} />
              <Distribution
                title={t("stats.bySex")}
                items={d.distributions.placements.sex}
                year={year}
                label={(c) => (c === "female" || c === "male" || c === "other" || c === "undisclosed" ? t(`stats.sex.${c}`) : c)}
              />
              <Distribution title={t("stats.byAge")} items={d.distributions.placements.age_band} year={year} label={(c) => (c === "unknown" ? t("stats.unknown") : c)} />
              <Distribution title={t("stats.byDuration")} items={d.distributions.placements.duration_months} year={year} label={(c) => t("offers.months", { count: Number(c) })} />
              <Distribution title={t("stats.byEqf")} items={d.distributions.placements.eqf_level} year={year} label={(c) => (c === "0" ? t("stats.unknown") : `EQF ${c}`)} />
            </div>
            {d.distributions.supply_demand.length > 0 && (
              <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="supply-caption">
                <table className="numeric">
                  <caption id="supply-caption">{t("stats.supplyCaption", { year })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("offers.sector")}</th>
                      <th scope="col">{t("stats.offers")}</th>
                      <th scope="col">{t("offer.seats")}</th>
                      <th scope="col">{t("stats.applications")}</th>
                      <th scope="col">{t("stats.applicationsPerSeat")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.distributions.supply_demand.map((s) => (
                      <tr key={s.sector}>
                        <th scope="row">{isSector(s.sector) ? t(`sectors.${s.sector}`) : s.sector}</th>
                        <td>{f.number(s.offers)}</td>
                        <td>{f.number(s.seats)}</td>
                        <td>{f.number(s.applications)}</td>
                        <td>{s.applications_per_seat === null ? t("common.notAvailable") : f.number(Math.round(s.applications_per_seat * 10) / 10)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}

      <section aria-labelledby="trends-title">
        <h2 id="trends-title">{t("stats.trendsTitle")}</h2>
        {trends.error && <ProblemAlert error={trends.error} />}
        {trends.data && trends.data.years.length === 0 && <p>{t("stats.none")}</p>}
        {trends.data && trends.data.years.length > 0 && (
          <div className="grid-2 chart-grid">
            <BarChart
              title={t("stats.trendsTitle")}
              description={t("stats.trendsDesc")}
              series={[
                { key: "placements", label: t("stats.placements"), className: "series-a" },
                { key: "applications", label: t("stats.applications"), className: "series-b" },
              ]}
              rows={trends.data.years.map((r) => ({ label: String(r.programme_year), values: { placements: r.placements, applications: r.applications } }))}
              format={f.number}
            />
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="trends-caption">
              <table className="numeric">
                <caption id="trends-caption">{t("stats.trendsCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("common.year")}</th>
                    <th scope="col">{t("stats.placements")}</th>
                    <th scope="col">{t("stats.applications")}</th>
                    <th scope="col">{t("stats.offers")}</th>
                    <th scope="col">{t("stats.fillRate")}</th>
                  </tr>
                </thead>
                <tbody>
                  {trends.data.years.map((r) => (
                    <tr key={r.programme_year}>
                      <th scope="row">{r.programme_year}</th>
                      <td>{f.number(r.placements)}</td>
                      <td>{f.number(r.applications)}</td>
                      <td>{f.number(r.offers_published)}</td>
                      <td>{pct(r.fill_rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </section>

      <section aria-labelledby="downloads-title" className="card">
        <h2 id="downloads-title">{t("stats.downloads")}</h2>
        <div className="form-actions">
          {(
            [
              ["regions", t("stats.csvRegions")],
              ["flows", t("stats.csvFlows")],
              ["distributions", t("stats.csvDistributions")],
              ["time", t("stats.csvTime")],
              ["trends", t("stats.csvTrends")],
            ] as const
          ).map(([kind, name]) => (
            <button
              key={kind}
              type="button"
              className="button button-secondary button-small"
              aria-label={t("stats.downloadLabel", { name })}
              disabled={download.pending}
              onClick={() => void download.run(kind)}
            >
              {name} (CSV)
            </button>
          ))}
        </div>
      </section>
    </Page>
  );
}

function Totals({
  total,
  time,
  pct,
  days,
}: {
  total: RegionStat;
  time: Schemas["TimeToPlacement"];
  pct: (v: number | null | undefined) => string;
  days: (v: number | null | undefined) => string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="stats">
      <div className="stat">
        <span className="stat-label">{t("stats.placements")}</span>
        <span className="stat-value">{f.number(time.placements)}</span>
      </div>
      <div className="stat">
        <span className="stat-label">{t("stats.seats")}</span>
        <span className="stat-value">
          {f.number(total.seats_filled)} / {f.number(total.seats)}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">{t("stats.fillRate")}</span>
        <span className="stat-value">{pct(total.fill_rate)}</span>
      </div>
      <div className="stat">
        <span className="stat-label">{t("stats.quotaUse")}</span>
        <span className="stat-value">{pct(total.hosting_quota_use)}</span>
      </div>
      <div className="stat">
        <span className="stat-label">{t("stats.medianDays")}</span>
        <span className="stat-value">{days(time.median_days)}</span>
      </div>
      <div className="stat">
        <span className="stat-label">{t("stats.p90Days")}</span>
        <span className="stat-value">{days(time.p90_days)}</span>
      </div>
    </div>
  );
}

function RegionTable({ regions, year, pct }: { regions: RegionStat[]; year: number; pct: (v: number | null | undefined) => string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="regions-caption">
      <table className="numeric">
        <caption id="regions-caption">{t("stats.regionsCaption", { year })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("common.region")}</th>
            <th scope="col">{t("stats.sent")}</th>
            <th scope="col">{t("stats.hosted")}</th>
            <th scope="col">{t("stats.balance")}</th>
            <th scope="col">{t("stats.quotaUse")}</th>
            <th scope="col">{t("stats.fillRate")}</th>
            <th scope="col">{t("stats.applicationsReceived")}</th>
          </tr>
        </thead>
        <tbody>
          {regions.map((r) => (
            <tr key={r.region_code}>
              <th scope="row">
                {r.region_name} <span className="muted">({r.region_code})</span>
              </th>
              <td>{f.number(r.sent)}</td>
              <td>{f.number(r.hosted)}</td>
              <td className={r.balance > 0 ? "pos" : r.balance < 0 ? "neg" : undefined}>{f.signed(r.balance)}</td>
              <td>{pct(r.hosting_quota_use)}</td>
              <td>{pct(r.fill_rate)}</td>
              <td>{f.number(r.applications_received)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Flows({ flows, year }: { flows: Schemas["FlowsOut"]["flows"]; year: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const regions = useRegions();
  const name = (code: string) => {
    const region = regions.data?.find((r) => r.code === code);
    return region ? `${region.name} (${code})` : code;
  };
  const homes = [...new Set(flows.map((x) => x.home_region))].sort();
  const hosts = [...new Set(flows.map((x) => x.host_region))].sort();
  const count = new Map(flows.map((x) => [`${x.home_region}>${x.host_region}`, x.placements]));
  return (
    <HeatMap
      caption={t("stats.flowsCaption", { year })}
      rows={homes.map((code) => ({ key: code, label: name(code) }))}
      columns={hosts.map((code) => ({ key: code, label: code }))}
      value={(row, column) => count.get(`${row}>${column}`) ?? 0}
      format={f.number}
    />
  );
}

function Distribution({ title, items, year, label }: { title: string; items: Category[]; year: number; label: (c: string) => string }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (items.length === 0) {
    return (
      <div className="bar-chart">
        <p className="chart-title">{title}</p>
        <p className="muted">{t("stats.none")}</p>
      </div>
    );
  }
  return (
    <div>
      <BarChart
        title={title}
        description={t("stats.distributionDesc", { what: title.toLowerCase(), year })}
        series={[{ key: "n", label: t("stats.placements"), className: "series-a" }]}
        rows={items.map((c) => ({ label: label(c.category), values: { n: c.placements } }))}
        format={f.number}
      />
      <ul className="visually-hidden">
        {items.map((c) => (
          <li key={c.category}>
            {label(c.category)}: {f.number(c.placements)}
          </li>
        ))}
      </ul>
    </div>
  );
}
