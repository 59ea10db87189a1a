import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type ApplicationState } from "../../api/client";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ReasonAction } from "../../components/ReasonAction";
import { RuleList } from "../../components/RuleList";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { CandidateCard } from "../shared/CandidateCard";
import { RegionPicker } from "./RegionPicker";
import { useCoordinatorRegion } from "./useCoordinatorRegion";

const STATES: ApplicationState[] = ["submitted", "eligible", "ineligible", "shortlisted", "rejected", "proposed", "accepted", "confirmed", "declined", "withdrawn", "expired"];

/** Sending side: applications of the region's residents; the coordinator validates eligibility. */
export function RegionApplications() {
  const { t } = useTranslation();
  const [regionId, setRegion] = useCoordinatorRegion();
  const [params, setParams] = useSearchParams();
  const state = (params.get("state") ?? "submitted") as ApplicationState | "all";
  const [notice, setNotice] = useState<string | null>(null);
  const list = useAsync(
    () =>
      call(
        api.GET("/api/regions/{region_id}/applications", {
          params: { path: { region_id: regionId }, query: { side: "sending", ...(state === "all" ? {} : { state }) } },
        }),
      ),
    [regionId, state],
  );
  const validate = useAction(async (id: string, name: string) => {
    await call(api.POST("/api/applications/{application_id}/validate", { params: { path: { application_id: id } } }));
    setNotice(t("coord.validated", { name }));
    list.reload();
  });

  return (
    <Page title={t("coord.applicationsTitle")} lead={t("coord.applicationsLead")} wide>
      <div className="toolbar">
        <RegionPicker value={regionId} onChange={setRegion} />
        <div className="field inline">
          <label htmlFor="app-state">{t("coord.state")}</label>
          <select
            id="app-state"
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
                {t(`states.application.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {validate.error && <ProblemAlert error={validate.error} />}
      {list.loading && !list.data && <Loading />}
      {list.error && <ProblemAlert error={list.error} />}
      {list.data && list.data.length === 0 && <p>{t("coord.empty")}</p>}
      <ul className="plain-list">
        {list.data?.map((c) => {
          const a = c.application;
          const name = c.applicant?.full_name ?? "";
          return (
            <li key={a.id} className="card compact">
              <p className="small">
                <Link to={`/offers/${a.offer_id}`}>{t("coord.appliedTo", { offer: a.offer_title })}</Link>
              </p>
              <CandidateCard candidate={c}>
                {a.state === "submitted" && (
                  <>
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={t("coord.validateLabel", { name })}
                      disabled={validate.pending}
                      onClick={() => void validate.run(a.id, name)}
                    >
                      {t("coord.validate")}
                    </button>
                    <ReasonAction
                      label={t("coord.ineligible")}
                      accessibleLabel={`${t("coord.ineligible")}: ${name}`}
                      reasonLabel={t("coord.ineligibleReason")}
                      confirmLabel={t("coord.confirmIneligible")}
                      tone="danger"
                      onConfirm={async (reason) => {
                        await call(
                          api.POST("/api/applications/{application_id}/mark-ineligible", {
                            params: { path: { application_id: a.id } },
                            body: { reason: reason ?? "" },
                          }),
                        );
                        setNotice(t("coord.markedIneligible", { name }));
                        list.reload();
                      }}
                    />
                  </>
                )}
              </CandidateCard>
              {a.eligibility.length > 0 && (
                <details open={a.state === "submitted"}>
                  <summary>{t("coord.eligibility")}</summary>
                  <RuleList rules={a.eligibility} />
                </details>
              )}
            </li>
          );
        })}
      </ul>
    </Page>
  );
}
