import { useEffect, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type Candidate, type InterviewOutcome } from "../../api/client";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ReasonAction } from "../../components/ReasonAction";
import { OfferStateBadge } from "../../components/StateBadge";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";
import { OfferDetails } from "../offers/OfferDetails";
import { CandidateCard } from "../shared/CandidateCard";
import { OfferForm } from "./OfferForm";

/** One of our offers: edit the draft, submit, withdraw; then the shortlisted candidates, interviews, confirmation. */
export function EmployerOfferPage() {
  const { t } = useTranslation();
  const { offerId = "" } = useParams();
  const location = useLocation();
  const path = { offer_id: offerId };
  const offer = useAsync(() => call(api.GET("/api/offers/{offer_id}", { params: { path } })), [offerId]);
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ? t("employerOffers.saved") : null);
  const [editing, setEditing] = useState(false);
  const navigate = useNavigate();
  // The "saved" notice comes once from the page that created the offer; drop it from history.
  useEffect(() => {
    if (location.state) navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  const submit = useAction(async () => {
    await call(api.POST("/api/offers/{offer_id}/submit", { params: { path } }));
    setNotice(t("employerOffers.submitted"));
    offer.reload();
  });

  const o = offer.data;
  return (
    <Page
      title={o?.title ?? t("employerOffers.title")}
      lead={o ? <OfferStateBadge state={o.state} /> : undefined}
      wide
      actions={<Link to="/employer">{t("employerOffers.title")}</Link>}
    >
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {offer.loading && !o && <Loading />}
      {offer.error && <ProblemAlert error={offer.error} />}
      {submit.error && <ProblemAlert error={submit.error} />}
      {o && (
        <>
          {o.state_reason && <Alert tone="warning">{t("employerOffers.sentBack", { reason: o.state_reason })}</Alert>}
          <div className="form-actions page-tools">
            {o.state === "draft" && (
              <>
                <button type="button" className="button" disabled={submit.pending} onClick={() => void submit.run()}>
                  {t("employerOffers.submit")}
                </button>
                <button type="button" className="button button-secondary" aria-expanded={editing} onClick={() => setEditing((e) => !e)}>
                  {t("employerOffers.edit")}
                </button>
              </>
            )}
            {["draft", "submitted", "published"].includes(o.state) && (
              <ReasonAction
                label={t("employerOffers.withdraw")}
                reasonLabel={t("employerOffers.withdrawReason")}
                confirmLabel={t("employerOffers.withdraw")}
                required={false}
                tone="danger"
                onConfirm={async (reason) => {
                  await call(api.POST("/api/offers/{offer_id}/withdraw", { params: { path }, body: { reason } }));
                  setNotice(t("employerOffers.withdrawn"));
                  offer.reload();
                }}
              />
            )}
          </div>
          {editing && o.state === "draft" ? (
            <section className="card">
              <h2>{t("employerOffers.formTitleEdit")}</h2>
              <OfferForm
                initial={o}
                submitLabel={t("common.save")}
                onSubmit={async (values) => {
                  await call(api.PATCH("/api/offers/{offer_id}", { params: { path }, body: values }));
                  setEditing(false);
                  setNotice(t("employerOffers.saved"));
                  offer.reload();
                }}
              />
            </section>
          ) : (
            <OfferDetails offer={o} />
          )}
          {["published", "closed"].includes(o.state) && <EmployerCandidates offerId={o.id} />}
        </>
      )}
    </Page>
  );
}

function EmployerCandidates({ offerId }: { offerId: string }) {
  const { t } = useTranslation();
  const list = useAsync(() => call(api.GET("/api/offers/{offer_id}/applications", { params: { path: { offer_id: offerId } } })), [offerId]);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string) => {
    setNotice(message);
    list.reload();
  };
  return (
    <section aria-labelledby="candidates-title">
      <h2 id="candidates-title">{t("employerOffers.candidates")}</h2>
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {list.loading && !list.data && <Loading />}
      {list.error && <ProblemAlert error={list.error} />}
      {list.data && list.data.length === 0 && <p>{t("employerOffers.noCandidates")}</p>}
      <ul className="plain-list">
        {list.data?.map((c) => (
          <li key={c.application.id} className="card compact">
            <CandidateCard candidate={c}>
              <EmployerActions candidate={c} onDone={done} />
            </CandidateCard>
          </li>
        ))}
      </ul>
    </section>
  );
}

function EmployerActions({ candidate, onDone }: { candidate: Candidate; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const a = candidate.application;
  const name = candidate.applicant?.full_name ?? "";
  const path = { application_id: a.id };
  const [outcome, setOutcome] = useState<InterviewOutcome | "">(a.interview_outcome ?? "");
  const [preference, setPreference] = useState(a.employer_preference ? String(a.employer_preference) : "");
  const [note, setNote] = useState(a.employer_note ?? "");
  const review = useAction(async () => {
    await call(
      api.PUT("/api/applications/{application_id}/employer-review", {
        params: { path },
        body: { interview_outcome: outcome || null, employer_preference: preference ? Number(preference) : null, note: note || null },
      }),
    );
    onDone(t("employerOffers.reviewSaved"));
  });
  const confirm = useAction(async () => {
    await call(api.POST("/api/applications/{application_id}/confirm", { params: { path } }));
    onDone(t("employerOffers.confirmed"));
  });
  const id = `review-${a.id}`;

  return (
    <>
      {a.state === "accepted" && (
        <div className="decision">
          {a.confirm_deadline && <p>{t("employerOffers.confirmBy", { date: f.dateTime(a.confirm_deadline) })}</p>}
          {confirm.error && <ProblemAlert error={confirm.error} />}
          <div className="form-actions">
            <button type="button" className="button button-small" disabled={confirm.pending} onClick={() => void confirm.run()}>
              {t("employerOffers.confirm")}
            </button>
            <ReasonAction
              label={t("employerOffers.refuse")}
              accessibleLabel={`${t("employerOffers.refuse")}: ${name}`}
              reasonLabel={t("employerOffers.refuseReason")}
              confirmLabel={t("employerOffers.confirmRefuse")}
              tone="danger"
              onConfirm={async (reason) => {
                await call(api.POST("/api/applications/{application_id}/refuse", { params: { path }, body: { reason: reason ?? "" } }));
                onDone(t("employerOffers.refused"));
              }}
            />
          </div>
        </div>
      )}
      {["shortlisted", "proposed"].includes(a.state) && (
        <details className="review">
          <summary>{t("employerOffers.review")}</summary>
          <form className="form" onSubmit={review.onSubmit}>
            {review.error && <ProblemAlert error={review.error} shownFields={["interview_outcome", "employer_preference", "note"]} />}
            <div className="field-pair">
              <div className="field">
                <label htmlFor={`${id}-outcome`}>{t("employerOffers.outcome")}</label>
                <select id={`${id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.target.value as InterviewOutcome)}>
                  <option value="">{t("employerOffers.noOutcome")}</option>
                  {(["scheduled", "passed", "failed", "no_show"] as const).map((o) => (
                    <option key={o} value={o}>
                      {t(`states.interview.${o}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-pref`}>{t("employerOffers.preference")}</label>
                <input id={`${id}-pref`} type="number" min={1} max={100} value={preference} onChange={(e) => setPreference(e.target.value)} />
              </div>
            </div>
            <div className="field">
              <label htmlFor={`${id}-note`}>{t("employerOffers.note")}</label>
              <textarea id={`${id}-note`} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <div className="form-actions">
              <button type="submit" className="button button-small" disabled={review.pending}>
                {t("employerOffers.saveReview")}
              </button>
            </div>
          </form>
        </details>
      )}
    </>
  );
}
