import { useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type Application, type ApplicationState } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useAccount } from "../../auth/session";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RankList } from "../../components/RankList";
import { ReasonAction } from "../../components/ReasonAction";
import { ApplicationStateBadge } from "../../components/StateBadge";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";

const OPEN: ApplicationState[] = ["submitted", "eligible", "shortlisted", "proposed", "accepted"];

/** The applicant's space: open applications ranked (arrows or drag), proposals to answer, closed ones with reasons. */
export function ApplicationsPage() {
  const { t } = useTranslation();
  const account = useAccount();
  const list = useAsync(() => call(api.GET("/api/me/applications")), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [order, setOrder] = useState<Application[] | null>(null);
  const [rankError, setRankError] = useState<ApiError | null>(null);

  const all = list.data ?? [];
  const open = order ?? all.filter((a) => OPEN.includes(a.state));
  const closed = all.filter((a) => !OPEN.includes(a.state));
  const done = (message: string) => {
    setNotice(message);
    setOrder(null);
    list.reload();
  };

  return (
    <Page title={t("applications.title")} lead={t("applicant.welcome", { name: account.full_name })} wide>
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {list.loading && !list.data && <Loading />}
      {list.error && <ProblemAlert error={list.error} />}
      {rankError && <ProblemAlert error={rankError} />}
      {list.data && all.length === 0 && (
        <div className="card">
          <p>{t("applications.empty")}</p>
          <p>
            <Link className="button" to="/offers">
              {t("applications.browse")}
            </Link>{" "}
            <Link className="button button-secondary" to="/applicant/profile">
              {t("nav2.profile")}
            </Link>
          </p>
        </div>
      )}
      {open.length > 0 && (
        <section aria-labelledby="rank-title">
          <h2 id="rank-title">{t("applications.rankTitle")}</h2>
          <p className="muted">{t("applications.lead")} {t("applications.rankHelp")}</p>
          <RankList
            items={open}
            label={t("applications.rankTitle")}
            titleOf={(a) => a.offer_title}
            onReorder={async (ids) => {
              setRankError(null);
              const previous = open;
              setOrder(ids.map((id) => open.find((a) => a.id === id)).filter((a): a is Application => Boolean(a)));
              try {
                const saved = await call(api.PUT("/api/me/applications/ranking", { body: { application_ids: ids } }));
                setOrder(saved.filter((a) => OPEN.includes(a.state)));
                setNotice(t("applications.rankSaved"));
              } catch (e) {
                setOrder(previous);
                setRankError(e instanceof ApiError ? e : null);
              }
            }}
            render={(a) => <ApplicationItem application={a} onDone={done} />}
          />
        </section>
      )}
      {closed.length > 0 && (
        <section aria-labelledby="closed-title">
          <h2 id="closed-title">{t("applications.othersTitle")}</h2>
          <ul className="plain-list">
            {closed.map((a) => (
              <li key={a.id} className="card compact">
                <ApplicationItem application={a} onDone={done} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}

function ApplicationItem({ application: a, onDone }: { application: Application; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const path = { application_id: a.id };
  const accept = useAction(async () => {
    await call(api.POST("/api/applications/{application_id}/accept", { params: { path } }));
    onDone(t("applications.accepted"));
  });
  const [showHistory, setShowHistory] = useState(false);

  return (
    <div className="application">
      <div className="application-head">
        <h3 className="h-small">
          <Link to={`/offers/${a.offer_id}`}>{a.offer_title}</Link>
        </h3>
        <ApplicationStateBadge state={a.state} />
      </div>
      <p className="muted small">{t("applications.submitted", { date: f.date(a.submitted_at) })}</p>
      {a.reason && <p className="reason">{t("applications.reason", { reason: a.reason })}</p>}
      {a.state === "proposed" && (
        <div className="proposal" role="group" aria-label={t("applications.proposalTitle")}>
          <p>
            <strong>{t("applications.proposalTitle")}</strong>
            {a.answer_deadline && <> · {t("applications.answerBy", { date: f.dateTime(a.answer_deadline) })}</>}
          </p>
          {accept.error && <ProblemAlert error={accept.error} />}
          <div className="form-actions">
            <button type="button" className="button button-small" disabled={accept.pending} onClick={() => void accept.run()}>
              {t("applications.accept")}
            </button>
            <ReasonAction
              label={t("applications.decline")}
              reasonLabel={t("applications.declineReason")}
              confirmLabel={t("applications.confirmDecline")}
              required={false}
              onConfirm={async (reason) => {
                await call(api.POST("/api/applications/{application_id}/decline", { params: { path }, body: { reason } }));
                onDone(t("applications.declined"));
              }}
            />
          </div>
        </div>
      )}
      <div className="form-actions">
        {OPEN.includes(a.state) && a.state !== "proposed" && (
          <ReasonAction
            label={t("applications.withdraw")}
            reasonLabel={t("applications.declineReason")}
            confirmLabel={t("applications.confirmWithdraw")}
            required={false}
            tone="secondary"
            onConfirm={async (reason) => {
              await call(api.POST("/api/applications/{application_id}/withdraw", { params: { path }, body: { reason } }));
              onDone(t("applications.withdrawn"));
            }}
          />
        )}
        <button type="button" className="button button-ghost button-small" aria-expanded={showHistory} onClick={() => setShowHistory((s) => !s)}>
          {t("applications.history")}
        </button>
      </div>
      {showHistory && <History applicationId={a.id} />}
    </div>
  );
}

export function History({ applicationId }: { applicationId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const events = useAsync(
    () => call(api.GET("/api/applications/{application_id}/events", { params: { path: { application_id: applicationId } } })),
    [applicationId],
  );
  if (events.loading) return <Loading />;
  if (events.error) return <ProblemAlert error={events.error} />;
  return (
    <ol className="timeline">
      {(events.data ?? []).map((e) => (
        <li key={e.id}>
          <time dateTime={e.created_at}>{f.dateTime(e.created_at)}</time> ·{" "}
          {isState(e.to_state) ? t(`states.application.${e.to_state}`) : e.to_state}
          {e.reason && <> · {t("applications.reason", { reason: e.reason })}</>}
        </li>
      ))}
    </ol>
  );
}

function isState(value: string): value is ApplicationState {
  return ["submitted", "eligible", "ineligible", "shortlisted", "rejected", "proposed", "accepted", "declined", "confirmed", "withdrawn", "expired"].includes(value);
}
