import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type OfferState } from "../../api/client";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ReasonAction } from "../../components/ReasonAction";
import { OfferStateBadge } from "../../components/StateBadge";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";
import { isSector } from "../../lib/sectors";
import { RegionPicker } from "./RegionPicker";
import { useCoordinatorRegion } from "./useCoordinatorRegion";

const STATES: OfferState[] = ["submitted", "published", "draft", "closed", "withdrawn"];

/** Hosting side: the region's offers; submitted ones are reviewed, then published or sent back. */
export function RegionOffers() {
  const { t } = useTranslation();
  const f = useFormat();
  const [regionId, setRegion] = useCoordinatorRegion();
  const [params, setParams] = useSearchParams();
  const state = (params.get("state") ?? "submitted") as OfferState | "all";
  const [notice, setNotice] = useState<string | null>(null);
  const list = useAsync(
    () =>
      call(
        api.GET("/api/regions/{region_id}/offers", {
          params: { path: { region_id: regionId }, query: state === "all" ? {} : { state } },
        }),
      ),
    [regionId, state],
  );
  const publish = useAction(async (id: string, title: string) => {
    await call(api.POST("/api/offers/{offer_id}/publish", { params: { path: { offer_id: id } } }));
    setNotice(t("coord.published", { title }));
    list.reload();
  });

  return (
    <Page title={t("coord.offersTitle")} lead={t("coord.offersLead")} wide>
      <div className="toolbar">
        <RegionPicker value={regionId} onChange={setRegion} />
        <div className="field inline">
          <label htmlFor="offer-state">{t("coord.state")}</label>
          <select
            id="offer-state"
            value={state}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              next.set("state", e.target.value);
              setParams(next, { replace: true });
            }}
          >
            <option value="all">{t("coord.allStates")}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`states.offer.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {publish.error && <ProblemAlert error={publish.error} />}
      {list.loading && !list.data && <Loading />}
      {list.error && <ProblemAlert error={list.error} />}
      {list.data && list.data.length === 0 && <p>{t("coord.empty")}</p>}
      <ul className="plain-list">
        {list.data?.map((o) => (
          <li key={o.id} className="card compact">
            <div className="application-head">
              <h2 className="h-small">
                <Link to={`/coordinator/offers/${o.id}`}>{o.title}</Link>
              </h2>
              <OfferStateBadge state={o.state} />
            </div>
            <p className="muted small">
              {o.organisation_name} · {isSector(o.sector) ? t(`sectors.${o.sector}`) : o.sector} · {t("offers.starts", { date: f.day(o.start_date) })} ·{" "}
              {t("offers.months", { count: o.duration_months })} · {t("offers.grant", { amount: f.money(o.monthly_grant, o.currency) })} ·{" "}
              {t("offers.deadline", { date: f.dateTime(o.application_deadline) })}
            </p>
            {o.state === "submitted" && (
              <details>
                <summary>{t("offer.description")}</summary>
                <p className="prose">{o.description}</p>
                <h3 className="h-small">{t("offer.tasks")}</h3>
                <p className="prose">{o.tasks}</p>
              </details>
            )}
            {o.state_reason && <p className="reason">{t("applications.reason", { reason: o.state_reason })}</p>}
            <div className="form-actions">
              {o.state === "submitted" && (
                <>
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`${t("coord.publish")}: ${o.title}`}
                    disabled={publish.pending}
                    onClick={() => void publish.run(o.id, o.title)}
                  >
                    {t("coord.publish")}
                  </button>
                  <ReasonAction
                    label={t("coord.sendBack")}
                    accessibleLabel={`${t("coord.sendBack")}: ${o.title}`}
                    reasonLabel={t("coord.sendBackReason")}
                    confirmLabel={t("coord.confirmSendBack")}
                    onConfirm={async (reason) => {
                      await call(api.POST("/api/offers/{offer_id}/send-back", { params: { path: { offer_id: o.id } }, body: { reason: reason ?? "" } }));
                      setNotice(t("coord.sentBack", { title: o.title }));
                      list.reload();
                    }}
                  />
                </>
              )}
              {["published", "closed"].includes(o.state) && (
                <Link className="button button-secondary button-small" to={`/coordinator/offers/${o.id}`}>
                  {t("coord.candidates")}
                </Link>
              )}
            </div>
          </li>
        ))}
      </ul>
    </Page>
  );
}
