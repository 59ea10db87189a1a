import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type Organisation } from "../../api/client";
import { Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { OfferStateBadge } from "../../components/StateBadge";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";

/** The organisation's offers in every state, with the way to draft a new one. */
export function EmployerOffers({ organisation }: { organisation: Organisation }) {
  const { t } = useTranslation();
  const f = useFormat();
  const offers = useAsync(
    () => call(api.GET("/api/organisations/{organisation_id}/offers", { params: { path: { organisation_id: organisation.id } } })),
    [organisation.id],
  );
  return (
    <section>
      <div className="section-head">
        <h2 id="our-offers">{t("employerOffers.title")}</h2>
        <Link className="button" to="/employer/offers/new">
          {t("employerOffers.new")}
        </Link>
      </div>
      {!organisation.verified && <p className="muted">{t("employerOffers.needVerified")}</p>}
      {offers.loading && <Loading />}
      {offers.error && <ProblemAlert error={offers.error} />}
      {offers.data && offers.data.length === 0 && <p>{t("employerOffers.empty")}</p>}
      {offers.data && offers.data.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="our-offers">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("employerOffers.fieldTitle")}</th>
                <th scope="col">{t("coord.state")}</th>
                <th scope="col">{t("employerOffers.fieldStart")}</th>
                <th scope="col">{t("employerOffers.fieldDeadline")}</th>
                <th scope="col">{t("employerOffers.fieldSeats")}</th>
              </tr>
            </thead>
            <tbody>
              {offers.data.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    <Link to={`/employer/offers/${o.id}`}>{o.title}</Link>
                  </th>
                  <td>
                    <OfferStateBadge state={o.state} />
                  </td>
                  <td>{f.day(o.start_date)}</td>
                  <td>{f.dateTime(o.application_deadline)}</td>
                  <td>
                    {o.seats_available} / {o.seats}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
