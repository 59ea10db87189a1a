import { useState } from "react";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useSession } from "../../auth/session";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RuleList } from "../../components/RuleList";
import { OfferStateBadge } from "../../components/StateBadge";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { OfferDetails } from "./OfferDetails";

/** One offer; an applicant sees their eligibility for it and applies with a motivation text. */
export function OfferPage() {
  const { t } = useTranslation();
  const { offerId = "" } = useParams();
  const { account } = useSession();
  const offer = useAsync(() => call(api.GET("/api/offers/{offer_id}", { params: { path: { offer_id: offerId } } })), [offerId]);

  return (
    <Page
      title={offer.data?.title ?? t("offers.title")}
      lead={offer.data ? `${offer.data.organisation_name} · ${offer.data.region_name}` : undefined}
      wide
      actions={<Link to="/offers">{t("offer.back")}</Link>}
    >
      {offer.loading && <Loading />}
      {offer.error && <ProblemAlert error={offer.error} />}
      {offer.data && (
        <>
          {offer.data.state !== "published" && (
            <p>
              <OfferStateBadge state={offer.data.state} />
            </p>
          )}
          <OfferDetails offer={offer.data} />
          {account?.role === "applicant" ? (
            <ApplyPanel offerId={offer.data.id} open={offer.data.state === "published"} />
          ) : !account ? (
            <Alert>
              <Link to={`/login?next=${encodeURIComponent(`/offers/${offerId}`)}`}>{t("offer.loginToApply")}</Link>
            </Alert>
          ) : null}
        </>
      )}
    </Page>
  );
}

function ApplyPanel({ offerId, open }: { offerId: string; open: boolean }) {
  const { t } = useTranslation();
  const [motivation, setMotivation] = useState("");
  const [sent, setSent] = useState(false);
  const state = useAsync(async () => {
    const mine = await call(api.GET("/api/me/applications"));
    const applied = mine.some((a) => a.offer_id === offerId);
    try {
      const eligibility = await call(
        api.GET("/api/offers/{offer_id}/eligibility", { params: { path: { offer_id: offerId } } }),
      );
      return { applied, eligibility };
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return { applied, eligibility: null };
      throw e;
    }
  }, [offerId, sent]);

  const action = useAction(async () => {
    await call(api.POST("/api/applications", { body: { offer_id: offerId, motivation } }));
    setSent(true);
  });

  if (state.loading && !state.data) return <Loading />;
  if (state.error) return <ProblemAlert error={state.error} />;
  const data = state.data;
  if (!data) return null;

  return (
    <section className="card apply-panel" aria-labelledby="apply-title">
      <h2 id="apply-title">{t("offer.applyTitle")}</h2>
      {data.eligibility ? (
        <>
          <h3>{t("offer.yourEligibility")}</h3>
          <p>{data.eligibility.eligible ? t("offer.eligible") : t("offer.notEligible")}</p>
          <RuleList rules={data.eligibility.rules} />
        </>
      ) : (
        <Alert tone="warning">
          <p>{t("offer.needProfile")}</p>
          <Link className="button button-small" to="/applicant/profile">
            {t("offer.goProfile")}
          </Link>
        </Alert>
      )}
      {sent || data.applied ? (
        <div className="alert alert-success" role="status">
          <p>{sent ? t("offer.applied") : t("offer.alreadyApplied")}</p>
          <Link to="/applicant">{t("offer.seeApplications")}</Link>
        </div>
      ) : !open ? (
        <p>{t("offer.notOpen")}</p>
      ) : data.eligibility ? (
        <form className="form" onSubmit={action.onSubmit}>
          {action.error && <ProblemAlert error={action.error} shownFields={["motivation"]} />}
          <Field name="motivation" label={t("offer.motivation")} hint={t("offer.motivationHint")} required error={action.fieldError("motivation")}>
            {(p) => (
              <textarea {...p} rows={6} minLength={20} maxLength={4000} value={motivation} onChange={(e) => setMotivation(e.target.value)} />
            )}
          </Field>
          <div className="form-actions">
            <button className="button" type="submit" disabled={action.pending}>
              {t("offer.submit")}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
