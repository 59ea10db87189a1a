import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, call, openDownload, type Candidate } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ApplicationStateBadge } from "../../components/StateBadge";
import { useAction } from "../../components/useAction";
import { useFormat } from "../../lib/format";

/** A candidate as the selection sides see them: who, the application's state, the CV, then role-specific actions. */
export function CandidateCard({ candidate, children, showMotivation = true }: { candidate: Candidate; children?: ReactNode; showMotivation?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const a = candidate.application;
  const p = candidate.applicant;
  const name = p?.full_name ?? t("common.notAvailable");
  const cv = useAction(() =>
    openDownload(() => call(api.GET("/api/applicants/{applicant_id}/cv", { params: { path: { applicant_id: a.applicant_id } } }))),
  );
  return (
    <div className="candidate">
      <div className="application-head">
        <h3 className="h-small">{name}</h3>
        <ApplicationStateBadge state={a.state} />
      </div>
      {p && (
        <p className="muted small">
          {t("employerOffers.age", { age: p.age })} · EQF {p.eqf_level} · {t(`states.employment.${p.employment_status}`)}
          {p.languages.length > 0 && <> · {f.list(p.languages.map((l) => `${f.language(l.language)} ${l.level}`))}</>}
        </p>
      )}
      {p?.presentation && <p className="prose">{p.presentation}</p>}
      {showMotivation && (
        <details>
          <summary>{t("coord.motivation")}</summary>
          <p className="prose">{a.motivation}</p>
        </details>
      )}
      {a.reason && <p className="reason">{t("applications.reason", { reason: a.reason })}</p>}
      {a.interview_outcome && (
        <p className="small">
          {t("coord.interview")}: {t(`states.interview.${a.interview_outcome}`)}
          {a.employer_preference ? <> · {t("coord.employerPreference", { n: a.employer_preference })}</> : null}
        </p>
      )}
      {cv.error && <ProblemAlert error={cv.error} />}
      <div className="form-actions">
        {p?.has_cv ? (
          <button type="button" className="button button-secondary button-small" aria-label={t("coord.cvOf", { name })} disabled={cv.pending} onClick={() => void cv.run()}>
            {t("coord.cv")}
          </button>
        ) : (
          <span className="small muted">{t("coord.noCv")}</span>
        )}
        {children}
      </div>
    </div>
  );
}
