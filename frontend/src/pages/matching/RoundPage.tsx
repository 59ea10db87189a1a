import { useState } from "react";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type Candidate } from "../../api/client";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ReasonAction } from "../../components/ReasonAction";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";
import { fromLocalInput, toLocalInput } from "../../lib/dates";
import { regionLabel, useRegions } from "../../lib/regions";
import { diagnosticsOf, isRoundState, type Diagnostics, type PublishReport } from "./types";

/** The candidates of every offer a round touches, by application id (names and titles for the review). */
async function loadCandidates(offerIds: string[]): Promise<Map<string, Candidate>> {
  const lists = await Promise.all(
    offerIds.map((id) => call(api.GET("/api/offers/{offer_id}/applications", { params: { path: { offer_id: id } } }))),
  );
  return new Map(lists.flat().map((c) => [c.application.id, c]));
}

/** Review a round: both policies compared, the effect on each region, the proposals; edit, publish or discard. */
export function RoundPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { roundId = "" } = useParams();
  const regions = useRegions();
  const path = { round_id: roundId };
  const round = useAsync(() => call(api.GET("/api/matching/rounds/{round_id}", { params: { path } })), [roundId]);
  const offerIds = [...new Set(round.data?.assignments.map((a) => a.offer_id) ?? [])].sort();
  const candidates = useAsync(() => loadCandidates(offerIds), [offerIds.join()]);
  const [notice, setNotice] = useState<string | null>(null);
  const [deadline, setDeadline] = useState(toLocalInput(new Date(Date.now() + 10 * 86_400_000).toISOString()));
  const [addId, setAddId] = useState("");
  const [addReason, setAddReason] = useState("");
  const done = (message: string) => {
    setNotice(message);
    round.reload();
  };
  const publish = useAction(async () => {
    const out = await call(api.POST("/api/matching/rounds/{round_id}/publish", { params: { path }, body: { answer_deadline: fromLocalInput(deadline) } }));
    const report = out.publish_report as PublishReport | null;
    done(t("rounds.published", { count: report?.proposed ?? 0 }));
  });
  const discard = useAction(async () => {
    await call(api.POST("/api/matching/rounds/{round_id}/discard", { params: { path } }));
    done(t("rounds.discarded"));
  });
  const replay = useAction(async () => {
    const out = await call(api.GET("/api/matching/rounds/{round_id}/replay", { params: { path } }));
    setNotice(out.identical && out.hash_matches ? t("rounds.replayOk") : t("rounds.replayDiffers"));
  });
  const add = useAction(async () => {
    await call(api.POST("/api/matching/rounds/{round_id}/edits", { params: { path }, body: { action: "add", application_id: addId, reason: addReason } }));
    setAddId("");
    setAddReason("");
    done(t("rounds.edited"));
  });

  const r = round.data;
  const name = (applicationId: string) => candidates.data?.get(applicationId)?.applicant?.full_name ?? applicationId.slice(0, 8);
  const title = (applicationId: string) => candidates.data?.get(applicationId)?.application.offer_title ?? "";
  const region = (id: string) => regionLabel(regions.data?.find((x) => x.id === id), id.slice(0, 8));
  const stable = r ? diagnosticsOf(r.diagnostics, "stable") : null;
  const balanced = r ? diagnosticsOf(r.diagnostics, "balanced") : null;
  const chosen = r?.policy === "balanced" ? balanced : stable;
  const assigned = new Set(r?.assignments.filter((a) => !a.removed).map((a) => a.application_id));
  const addable = [...(candidates.data?.values() ?? [])].filter((c) => c.application.state === "shortlisted" && !assigned.has(c.application.id));
  const report = (r?.publish_report ?? null) as PublishReport | null;

  return (
    <Page
      title={r ? t("rounds.roundTitle", { date: f.dateTime(r.created_at) }) : t("rounds.title")}
      lead={
        r ? (
          <>
            <span className="badge badge-info">{isRoundState(r.state) ? t(`rounds.state.${r.state}`) : r.state}</span> ·{" "}
            {r.region_id ? region(r.region_id) : t("rounds.wholeProgramme")} · {r.programme_year} ·{" "}
            {r.policy === "balanced" ? t("rounds.balanced") : t("rounds.stable")}
          </>
        ) : undefined
      }
      wide
      actions={<Link to={`/rounds?year=${r?.programme_year ?? ""}`}>{t("rounds.back")}</Link>}
    >
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {round.loading && !r && <Loading />}
      {round.error && <ProblemAlert error={round.error} />}
      {(publish.error ?? discard.error ?? replay.error) && <ProblemAlert error={(publish.error ?? discard.error ?? replay.error)!} />}
      {r && (
        <>
          {stable && balanced && (
            <section aria-labelledby="compare-title">
              <h2 id="compare-title">{t("rounds.compareTitle")}</h2>
              {r.edits.length > 0 && <p className="muted">{t("rounds.beforeEdits", { count: r.edits.length })}</p>}
              <Compare stable={stable} balanced={balanced} policy={r.policy} />
            </section>
          )}
          {chosen && (
            <section aria-labelledby="effect-title">
              <h2 id="effect-title">{t("rounds.regionsTitle")}</h2>
              <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="effect-caption">
                <table className="numeric">
                  <caption id="effect-caption">{t("rounds.regionsCaption")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("common.region")}</th>
                      <th scope="col">{t("rounds.seatsUsed")}</th>
                      <th scope="col">{t("rounds.hostingUsed")}</th>
                      <th scope="col">{t("rounds.sendingUsed")}</th>
                      <th scope="col">{t("rounds.balance")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {chosen.regions.map((g) => (
                      <tr key={g.region}>
                        <th scope="row">{region(g.region)}</th>
                        <td>
                          {f.number(g.seats_used)} / {f.number(g.seats_offered)}
                        </td>
                        <td>{f.number(g.hosting_quota_used)}</td>
                        <td>{f.number(g.sending_quota_used)}</td>
                        <td className={g.balance_after > g.balance_before ? "pos" : g.balance_after < g.balance_before ? "neg" : undefined}>
                          {f.signed(g.balance_before)} → {f.signed(g.balance_after)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}

          <section aria-labelledby="assignments-title">
            <h2 id="assignments-title">{t("rounds.assignmentsTitle")}</h2>
            {candidates.error && <ProblemAlert error={candidates.error} />}
            {r.assignments.length === 0 ? (
              <p>{t("stats.none")}</p>
            ) : (
              <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="assignments-title">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("rounds.applicant")}</th>
                      <th scope="col">{t("rounds.offer")}</th>
                      <th scope="col">{t("rounds.source")}</th>
                      <th scope="col">{t("rounds.outcome")}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t("rounds.remove")}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.assignments.map((a) => (
                      <tr key={a.application_id} className={a.removed ? "removed" : undefined}>
                        <th scope="row">{name(a.application_id)}</th>
                        <td>{title(a.application_id)}</td>
                        <td>{a.source === "engine" ? t("rounds.sourceEngine") : t("rounds.sourceHand")}</td>
                        <td>{a.removed ? t("rounds.removed") : (a.outcome ?? "")}</td>
                        <td>
                          {r.state === "draft" && !a.removed && (
                            <ReasonAction
                              label={t("rounds.remove")}
                              accessibleLabel={t("rounds.removeLabel", { name: name(a.application_id) })}
                              reasonLabel={t("rounds.reason")}
                              confirmLabel={t("rounds.confirmRemove")}
                              tone="danger"
                              onConfirm={async (reason) => {
                                await call(
                                  api.POST("/api/matching/rounds/{round_id}/edits", {
                                    params: { path },
                                    body: { action: "remove", application_id: a.application_id, reason: reason ?? "" },
                                  }),
                                );
                                done(t("rounds.edited"));
                              }}
                            />
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          {r.state === "draft" && addable.length > 0 && (
            <section className="card" aria-labelledby="add-title">
              <h2 id="add-title">{t("rounds.addTitle")}</h2>
              <form className="form" onSubmit={add.onSubmit}>
                {add.error && <ProblemAlert error={add.error} shownFields={["application_id", "reason"]} />}
                <div className="field">
                  <label htmlFor="add-candidate">{t("rounds.candidate")}</label>
                  <select id="add-candidate" required value={addId} onChange={(e) => setAddId(e.target.value)}>
                    <option value="">{t("rounds.chooseCandidate")}</option>
                    {addable.map((c) => (
                      <option key={c.application.id} value={c.application.id}>
                        {c.applicant?.full_name ?? c.application.applicant_id} · {c.application.offer_title}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="add-reason">{t("rounds.reason")}</label>
                  <textarea id="add-reason" required minLength={3} maxLength={2000} rows={2} value={addReason} onChange={(e) => setAddReason(e.target.value)} />
                </div>
                <div className="form-actions">
                  <button type="submit" className="button button-secondary" disabled={add.pending}>
                    {t("rounds.add")}
                  </button>
                </div>
              </form>
            </section>
          )}

          {r.edits.length > 0 && (
            <section aria-labelledby="edits-title">
              <h2 id="edits-title">{t("rounds.editsTitle")}</h2>
              <ul className="timeline">
                {r.edits.map((e) => (
                  <li key={`${e.application_id}-${e.created_at}`}>
                    <time dateTime={e.created_at}>{f.dateTime(e.created_at)}</time> · {e.action === "add" ? t("rounds.add") : t("rounds.remove")} ·{" "}
                    {name(e.application_id)} · {e.reason}
                  </li>
                ))}
              </ul>
            </section>
          )}

          {report && report.dropped.length > 0 && (
            <ul className="plain-list">
              {report.dropped.map((d) => (
                <li key={d.application_id} className="reason">
                  {name(d.application_id)}: {t("rounds.dropped", { reason: d.reason })}
                </li>
              ))}
            </ul>
          )}

          <section className="card" aria-labelledby="publish-title">
            <h2 id="publish-title">{t("rounds.publishTitle")}</h2>
            {r.state === "draft" ? (
              <form className="form" onSubmit={publish.onSubmit}>
                <div className="field">
                  <label htmlFor="round-deadline">{t("rounds.deadline")}</label>
                  <input
                    id="round-deadline"
                    type="datetime-local"
                    required
                    value={deadline}
                    aria-invalid={publish.fieldError("answer_deadline") ? true : undefined}
                    onChange={(e) => setDeadline(e.target.value)}
                  />
                  {publish.fieldError("answer_deadline") && <p className="field-error">{publish.fieldError("answer_deadline")}</p>}
                </div>
                <div className="form-actions">
                  <button type="submit" className="button" disabled={publish.pending}>
                    {t("rounds.publish")}
                  </button>
                  <button type="button" className="button button-ghost" disabled={discard.pending} onClick={() => void discard.run()}>
                    {t("rounds.discard")}
                  </button>
                  <button type="button" className="button button-ghost" disabled={replay.pending} onClick={() => void replay.run()}>
                    {t("rounds.replay")}
                  </button>
                </div>
              </form>
            ) : (
              <div className="form-actions">
                {r.published_at && (
                  <p>
                    {t("rounds.publishedOn", { date: f.dateTime(r.published_at) })}
                    {r.answer_deadline && <> · {t("rounds.answerBy", { date: f.dateTime(r.answer_deadline) })}</>}
                  </p>
                )}
                <button type="button" className="button button-ghost" disabled={replay.pending} onClick={() => void replay.run()}>
                  {t("rounds.replay")}
                </button>
              </div>
            )}
          </section>
        </>
      )}
    </Page>
  );
}

function Compare({ stable, balanced, policy }: { stable: Diagnostics; balanced: Diagnostics; policy: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const rows: [string, (d: Diagnostics) => number | null][] = [
    [t("rounds.placed"), (d) => d.placed],
    [t("rounds.unplaced"), (d) => d.unplaced],
    [t("rounds.blocking"), (d) => d.blocking_pairs],
    [t("rounds.balanceBefore"), (d) => d.total_abs_balance_before],
    [t("rounds.balanceAfter"), (d) => d.total_abs_balance_after],
    [t("rounds.preferenceCost"), (d) => d.preference_cost],
    // The balance-aware result depends on it: at 0 only exact exchanges can be made.
    [t("rounds.tolerance"), (d) => d.tolerance ?? null],
  ];
  const head = (p: string, label: string) => (policy === p ? `${label} (${t("rounds.chosen")})` : label);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t("rounds.compareTitle")}>
      <table className="numeric">
        <thead>
          <tr>
            <th scope="col">{t("rounds.measure")}</th>
            <th scope="col">{head("stable", t("rounds.stable"))}</th>
            <th scope="col">{head("balanced", t("rounds.balanced"))}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, pick]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{pick(stable) === null ? t("common.notAvailable") : f.number(pick(stable) ?? 0)}</td>
              <td>{pick(balanced) === null ? t("common.notAvailable") : f.number(pick(balanced) ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
