import { useState } from "react";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type Candidate } from "../../api/client";
import { ApiError } from "../../api/problem";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RankList } from "../../components/RankList";
import { ReasonAction } from "../../components/ReasonAction";
import { OfferStateBadge } from "../../components/StateBadge";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { fromLocalInput, toLocalInput } from "../../lib/dates";
import { CandidateCard } from "../shared/CandidateCard";

/** Hosting side of one offer: shortlist or reject candidates, rank the shortlist, propose the placement. */
export function OfferCandidates() {
  const { t } = useTranslation();
  const { offerId = "" } = useParams();
  const path = { offer_id: offerId };
  const offer = useAsync(() => call(api.GET("/api/offers/{offer_id}", { params: { path } })), [offerId]);
  const list = useAsync(() => call(api.GET("/api/offers/{offer_id}/applications", { params: { path } })), [offerId]);
  const [notice, setNotice] = useState<string | null>(null);
  const [order, setOrder] = useState<Candidate[] | null>(null);
  const [rankError, setRankError] = useState<ApiError | null>(null);
  const done = (message: string) => {
    setNotice(message);
    setOrder(null);
    list.reload();
    offer.reload();
  };
  const shortlist = useAction(async (id: string, name: string) => {
    await call(api.POST("/api/applications/{application_id}/shortlist", { params: { path: { application_id: id } } }));
    done(t("coord.shortlisted", { name }));
  });

  const all = list.data ?? [];
  const ranked = order ?? all.filter((c) => c.application.state === "shortlisted");
  const others = all.filter((c) => c.application.state !== "shortlisted");
  const nameOf = (c: Candidate) => c.applicant?.full_name ?? "";

  return (
    <Page
      title={offer.data ? t("coord.candidatesTitle", { title: offer.data.title }) : t("coord.candidates")}
      lead={offer.data ? <><OfferStateBadge state={offer.data.state} /> · {offer.data.organisation_name}</> : undefined}
      wide
      actions={<Link to="/coordinator/offers">{t("coord.offersTitle")}</Link>}
    >
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {(offer.error ?? list.error) && <ProblemAlert error={(offer.error ?? list.error)!} />}
      {shortlist.error && <ProblemAlert error={shortlist.error} />}
      {rankError && <ProblemAlert error={rankError} />}
      {list.loading && !list.data && <Loading />}
      {ranked.length > 0 && (
        <section aria-labelledby="ranking-title">
          <h2 id="ranking-title">{t("coord.rankTitle")}</h2>
          <p className="muted">{t("coord.rankHelp")}</p>
          {ranked.some((c) => c.application.host_rank === null) && (
            <div className="alert alert-warning">
              <p>{t("coord.unranked")}</p>
              <button
                type="button"
                className="button button-small"
                onClick={() =>
                  void call(api.PUT("/api/offers/{offer_id}/ranking", { params: { path }, body: { application_ids: ranked.map((c) => c.application.id) } }))
                    .then((saved) => {
                      setOrder(saved.filter((c) => c.application.state === "shortlisted"));
                      setNotice(t("coord.rankSaved"));
                    })
                    .catch((e: unknown) => setRankError(e instanceof ApiError ? e : null))
                }
              >
                {t("coord.saveRanking")}
              </button>
            </div>
          )}
          <RankList
            items={ranked.map((c) => ({ ...c, id: c.application.id }))}
            label={t("coord.rankTitle")}
            titleOf={nameOf}
            onReorder={async (ids) => {
              setRankError(null);
              const previous = ranked;
              setOrder(ids.map((id) => ranked.find((c) => c.application.id === id)).filter((c): c is Candidate => Boolean(c)));
              try {
                const saved = await call(api.PUT("/api/offers/{offer_id}/ranking", { params: { path }, body: { application_ids: ids } }));
                setOrder(saved.filter((c) => c.application.state === "shortlisted"));
                setNotice(t("coord.rankSaved"));
              } catch (e) {
                setOrder(previous);
                setRankError(e instanceof ApiError ? e : null);
              }
            }}
            render={(c) => (
              <CandidateCard candidate={c}>
                <ProposeAction candidate={c} onDone={done} />
                <RejectAction candidate={c} onDone={done} />
              </CandidateCard>
            )}
          />
        </section>
      )}
      {others.length > 0 && (
        <section aria-labelledby="others-title">
          <h2 id="others-title">{ranked.length > 0 ? t("coord.otherCandidates") : t("coord.candidates")}</h2>
          <ul className="plain-list">
            {others.map((c) => (
              <li key={c.application.id} className="card compact">
                <CandidateCard candidate={c}>
                  {c.application.state === "eligible" && (
                    <>
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={t("coord.shortlistLabel", { name: nameOf(c) })}
                        disabled={shortlist.pending}
                        onClick={() => void shortlist.run(c.application.id, nameOf(c))}
                      >
                        {t("coord.shortlist")}
                      </button>
                      <RejectAction candidate={c} onDone={done} />
                    </>
                  )}
                </CandidateCard>
              </li>
            ))}
          </ul>
        </section>
      )}
      {list.data && all.length === 0 && <p>{t("coord.empty")}</p>}
    </Page>
  );
}

function RejectAction({ candidate, onDone }: { candidate: Candidate; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const name = candidate.applicant?.full_name ?? "";
  return (
    <ReasonAction
      label={t("coord.reject")}
      accessibleLabel={`${t("coord.reject")}: ${name}`}
      reasonLabel={t("coord.rejectReason")}
      confirmLabel={t("coord.confirmReject")}
      tone="danger"
      onConfirm={async (reason) => {
        await call(
          api.POST("/api/applications/{application_id}/reject", {
            params: { path: { application_id: candidate.application.id } },
            body: { reason: reason ?? "" },
          }),
        );
        onDone(t("coord.rejected", { name }));
      }}
    />
  );
}

function ProposeAction({ candidate, onDone }: { candidate: Candidate; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const name = candidate.applicant?.full_name ?? "";
  const [open, setOpen] = useState(false);
  const [deadline, setDeadline] = useState(toLocalInput(new Date(Date.now() + 7 * 86_400_000).toISOString()));
  const id = `propose-${candidate.application.id}`;
  const action = useAction(async () => {
    await call(
      api.POST("/api/applications/{application_id}/propose", {
        params: { path: { application_id: candidate.application.id } },
        body: { answer_deadline: fromLocalInput(deadline) },
      }),
    );
    setOpen(false);
    onDone(t("coord.proposed", { name }));
  });
  if (!open) {
    return (
      <button type="button" className="button button-small" aria-label={`${t("coord.propose")}: ${name}`} onClick={() => setOpen(true)}>
        {t("coord.propose")}
      </button>
    );
  }
  return (
    <form className="reason-form" onSubmit={action.onSubmit}>
      {action.error && <ProblemAlert error={action.error} shownFields={["answer_deadline"]} />}
      <label htmlFor={id}>{t("coord.proposeDeadline")}</label>
      <input
        id={id}
        type="datetime-local"
        required
        value={deadline}
        aria-invalid={action.fieldError("answer_deadline") ? true : undefined}
        aria-describedby={action.fieldError("answer_deadline") ? `${id}-err` : undefined}
        onChange={(e) => setDeadline(e.target.value)}
      />
      {action.fieldError("answer_deadline") && (
        <p className="field-error" id={`${id}-err`}>
          {action.fieldError("answer_deadline")}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-small" disabled={action.pending}>
          {t("coord.confirmPropose")}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={() => setOpen(false)}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
