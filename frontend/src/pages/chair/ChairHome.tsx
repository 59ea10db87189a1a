import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { BarChart } from "../../components/BarChart";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";
import { downloadCsv } from "../../lib/csv";
import { useRegions } from "../../lib/regions";

/** Programme-wide view from the quotas ledger: sent vs hosted, balance and hosting fill rate per region. */
export function ChairHome() {
  const { t } = useTranslation();
  const f = useFormat();
  const regions = useRegions();
  const all = useAsync(() => call(api.GET("/api/quotas")), []);
  const years = [...new Set((all.data ?? []).map((q) => q.programme_year))].sort((a, b) => b - a);
  const [chosen, setChosen] = useState<number | null>(null);
  const year = chosen ?? years[0] ?? new Date().getFullYear();
  const rows = (all.data ?? [])
    .filter((q) => q.programme_year === year)
    .map((q) => ({ ...q, name: regions.data?.find((r) => r.id === q.region_id)?.name ?? q.region_code }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const sum = (pick: (q: (typeof rows)[number]) => number) => rows.reduce((n, q) => n + pick(q), 0);
  const fill = (hosted: number, quota: number) => (quota > 0 ? f.percent(hosted / quota) : t("common.notAvailable"));

  const exportCsv = () =>
    downloadCsv(
      `exchange-quotas-${year}.csv`,
      ["region_code", "region", "year", "hosting_quota", "hosted", "hosting_remaining", "sending_quota", "sent", "sending_remaining", "balance"],
      rows.map((q) => [q.region_code, q.name, q.programme_year, q.hosting_quota, q.hosted, q.hosting_remaining, q.sending_quota, q.sent, q.sending_remaining, q.hosted - q.sent]),
    );

  return (
    <Page
      title={t("chair.title")}
      lead={t("chair.lead")}
      wide
      actions={
        rows.length > 0 && (
          <button type="button" className="button button-secondary" onClick={exportCsv}>
            {t("common.downloadCsv")}
          </button>
        )
      }
    >
      {(all.loading || regions.loading) && <Loading />}
      {all.error && <ProblemAlert error={all.error} />}
      {years.length > 1 && (
        <div className="field inline">
          <label htmlFor="chair-year">{t("common.year")}</label>
          <select id="chair-year" value={year} onChange={(e) => setChosen(Number(e.target.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
      )}
      {all.data && rows.length === 0 && <p>{t("chair.noData", { year })}</p>}
      {rows.length > 0 && (
        <>
          <div className="stats">
            <div className="stat">
              <span className="stat-label">{t("chair.hostingSeats")}</span>
              <span className="stat-value">{f.number(sum((q) => q.hosting_quota))}</span>
            </div>
            <div className="stat">
              <span className="stat-label">{t("coordinator.hosted")}</span>
              <span className="stat-value">{f.number(sum((q) => q.hosted))}</span>
            </div>
            <div className="stat">
              <span className="stat-label">{t("chair.sendingSeats")}</span>
              <span className="stat-value">{f.number(sum((q) => q.sending_quota))}</span>
            </div>
            <div className="stat">
              <span className="stat-label">{t("chair.fillRate")}</span>
              <span className="stat-value">{fill(sum((q) => q.hosted), sum((q) => q.hosting_quota))}</span>
            </div>
          </div>
          <div className="grid-2 chart-grid">
            <BarChart
              title={t("chair.chartTitle")}
              description={t("chair.chartDesc", { year })}
              series={[
                { key: "sent", label: t("coordinator.sent"), className: "series-a" },
                { key: "hosted", label: t("coordinator.hosted"), className: "series-b" },
              ]}
              rows={rows.map((q) => ({ label: q.name, values: { sent: q.sent, hosted: q.hosted } }))}
              format={f.number}
            />
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="chair-caption">
              <table className="numeric">
                <caption id="chair-caption">{t("chair.tableCaption", { year })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("common.region")}</th>
                    <th scope="col">{t("coordinator.sent")}</th>
                    <th scope="col">{t("coordinator.hosted")}</th>
                    <th scope="col">{t("coordinator.balance")}</th>
                    <th scope="col">{t("chair.fillRate")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((q) => {
                    const balance = q.hosted - q.sent;
                    return (
                      <tr key={q.region_id}>
                        <th scope="row">
                          {q.name} <span className="muted">({q.region_code})</span>
                        </th>
                        <td>
                          {f.number(q.sent)} / {f.number(q.sending_quota)}
                        </td>
                        <td>
                          {f.number(q.hosted)} / {f.number(q.hosting_quota)}
                        </td>
                        <td className={balance > 0 ? "pos" : balance < 0 ? "neg" : undefined}>{f.signed(balance)}</td>
                        <td>{fill(q.hosted, q.hosting_quota)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
      <Alert>{t("chair.moreSoon")}</Alert>
    </Page>
  );
}
