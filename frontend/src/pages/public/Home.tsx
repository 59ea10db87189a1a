import { useEffect } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { byName, useRegions } from "../../lib/regions";
import { useFormat } from "../../lib/format";
import { useSession, HOME_BY_ROLE } from "../../auth/session";

export function Home() {
  const { t } = useTranslation();
  const f = useFormat();
  const { account } = useSession();
  const regions = useRegions();
  const { forget } = useSession();
  const arrival = useLocation().state as { notice?: string; endSession?: boolean } | null;
  const notice = arrival?.notice;
  const navigate = useNavigate();
  useEffect(() => {
    if (!arrival?.endSession) return;
    forget();
    navigate("/", { replace: true, state: { notice: arrival.notice } }); // once only, not again on Back
  }, [arrival, forget, navigate]);
  const participating = (regions.data ?? []).filter((r) => r.participating).sort(byName);

  return (
    <Page title={t("home.title")} lead={t("home.lead")}>
      {notice && <Alert tone="success">{notice}</Alert>}
      <div className="cards">
        <section className="card">
          <h2>{t("home.applicantTitle")}</h2>
          <p>{t("home.applicantText")}</p>
          {!account && (
            <Link className="button" to="/register?role=applicant">
              {t("home.startApplicant")}
            </Link>
          )}
        </section>
        <section className="card">
          <h2>{t("home.employerTitle")}</h2>
          <p>{t("home.employerText")}</p>
          {!account && (
            <Link className="button button-secondary" to="/register?role=employer">
              {t("home.startEmployer")}
            </Link>
          )}
        </section>
        <section className="card">
          <h2>{t("home.staffTitle")}</h2>
          <p>{t("home.staffText")}</p>
          {account ? (
            <Link className="button button-secondary" to={HOME_BY_ROLE[account.role]}>
              {t(`nav.${account.role}`)}
            </Link>
          ) : (
            <Link className="button button-secondary" to="/login">
              {t("nav.login")}
            </Link>
          )}
        </section>
      </div>

      <section aria-labelledby="regions-title">
        <h2 id="regions-title">{t("home.regionsTitle")}</h2>
        {regions.loading && <Loading />}
        {regions.error && <ProblemAlert error={regions.error} />}
        {regions.data && (
          <>
            <p>{t("home.regionCount", { count: participating.length })}</p>
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="regions-caption">
              <table>
                <caption id="regions-caption">{t("home.regionsCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("common.region")}</th>
                    <th scope="col">{t("common.country")}</th>
                    <th scope="col">{t("home.ageRange")}</th>
                    <th scope="col">{t("home.residence")}</th>
                    <th scope="col">{t("home.eqf")}</th>
                    <th scope="col">{t("home.languages")}</th>
                  </tr>
                </thead>
                <tbody>
                  {participating.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        {r.name} <span className="muted">({r.code})</span>
                      </th>
                      <td>{f.country(r.country)}</td>
                      <td>{t("home.ageRangeValue", { min: r.min_age, max: r.max_age })}</td>
                      <td>
                        {r.min_residence_months > 0
                          ? t("home.residenceValue", { count: r.min_residence_months })
                          : t("home.residenceNone")}
                      </td>
                      <td>{t("home.eqfValue", { level: r.min_eqf_level })}</td>
                      <td>{f.list(r.languages.map(f.language))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </Page>
  );
}
