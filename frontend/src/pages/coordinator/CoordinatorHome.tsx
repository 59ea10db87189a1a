import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type Balance, type Quota } from "../../api/client";
import { useAccount } from "../../auth/session";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAsync } from "../../lib/useAsync";
import { regionLabel, useRegions } from "../../lib/regions";
import { useFormat } from "../../lib/format";
import { QuotaTable } from "./QuotaTable";

interface RegionWork {
  regionId: string;
  quotas: Quota[];
  balance: Balance;
  unverifiedOrganisations: number;
  toValidate: number;
  toReview: number;
}

async function loadWork(regionIds: string[]): Promise<RegionWork[]> {
  return Promise.all(
    regionIds.map(async (regionId) => {
      const path = { region_id: regionId };
      const [quotas, balance, pending, toValidate, toReview] = await Promise.all([
        call(api.GET("/api/regions/{region_id}/quotas", { params: { path } })),
        call(api.GET("/api/regions/{region_id}/balance", { params: { path } })),
        call(api.GET("/api/regions/{region_id}/organisations", { params: { path, query: { verified: false } } })),
        call(api.GET("/api/regions/{region_id}/applications", { params: { path, query: { side: "sending", state: "submitted" } } })),
        call(api.GET("/api/regions/{region_id}/offers", { params: { path, query: { state: "submitted" } } })),
      ]);
      return {
        regionId,
        quotas,
        balance,
        unverifiedOrganisations: pending.length,
        toValidate: toValidate.length,
        toReview: toReview.length,
      };
    }),
  );
}

/** The region's dashboard: quotas, exchange balance and the work waiting for the coordinator. */
export function CoordinatorHome() {
  const { t } = useTranslation();
  const f = useFormat();
  const account = useAccount();
  const regions = useRegions();
  const work = useAsync(() => loadWork(account.region_ids), [account.region_ids.join()]);

  if (account.region_ids.length === 0) {
    return (
      <Page title={t("coordinator.title")}>
        <Alert tone="warning">{t("coordinator.noRegion")}</Alert>
      </Page>
    );
  }
  return (
    <Page title={t("coordinator.title")} wide>
      {(work.loading || regions.loading) && <Loading />}
      {work.error && <ProblemAlert error={work.error} />}
      {work.data?.map((w) => {
        const region = regions.data?.find((r) => r.id === w.regionId);
        const b = w.balance;
        const name = regionLabel(region, w.regionId);
        return (
          <section key={w.regionId} className="region-block" aria-labelledby={`r-${w.regionId}`}>
            <h2 id={`r-${w.regionId}`}>{name}</h2>
            <div className="stats">
              <div className="stat">
                <span className="stat-label">
                  {t("coordinator.hosting")} {b.programme_year}
                </span>
                <span className="stat-value">
                  {b.has_quota ? `${f.number(b.hosting_used)} / ${f.number(b.hosting_quota)}` : t("common.notAvailable")}
                </span>
              </div>
              <div className="stat">
                <span className="stat-label">
                  {t("coordinator.sending")} {b.programme_year}
                </span>
                <span className="stat-value">
                  {b.has_quota ? `${f.number(b.sending_used)} / ${f.number(b.sending_quota)}` : t("common.notAvailable")}
                </span>
              </div>
              <div className="stat">
                <span className="stat-label">{t("coordinator.balance")}</span>
                <span className={b.balance > 0 ? "stat-value pos" : b.balance < 0 ? "stat-value neg" : "stat-value"}>{f.signed(b.balance)}</span>
              </div>
              <div className="stat">
                <span className="stat-label">{t("coord.pendingPlacements")}</span>
                <span className="stat-value">{f.number(b.pending)}</span>
              </div>
            </div>
            <h3>{t("coordinator.pendingTitle")}</h3>
            {w.toValidate + w.toReview + w.unverifiedOrganisations === 0 ? (
              <p>{t("coordinator.nothingPending")}</p>
            ) : (
              <ul className="work-list">
                {w.toValidate > 0 && (
                  <li>
                    <Link to={`/coordinator/applications?region=${w.regionId}&state=submitted`}>
                      {t("coord.toValidate", { count: w.toValidate })}
                    </Link>
                  </li>
                )}
                {w.toReview > 0 && (
                  <li>
                    <Link to={`/coordinator/offers?region=${w.regionId}&state=submitted`}>{t("coord.toReview", { count: w.toReview })}</Link>
                  </li>
                )}
                {w.unverifiedOrganisations > 0 && (
                  <li>
                    <Link to={`/coordinator/organisations?region=${w.regionId}&show=unverified`}>
                      {t("coordinator.pendingOrganisations", { count: w.unverifiedOrganisations })}
                    </Link>
                  </li>
                )}
              </ul>
            )}
            {w.quotas.length > 0 ? (
              <>
                <h3>{t("coordinator.quotasTitle")}</h3>
                <QuotaTable quotas={w.quotas} caption={`${t("coordinator.quotasTitle")}: ${name}`} />
                <p className="muted">{t("coordinator.balanceHint")}</p>
              </>
            ) : (
              <p>{t("coordinator.noQuota")}</p>
            )}
          </section>
        );
      })}
    </Page>
  );
}
