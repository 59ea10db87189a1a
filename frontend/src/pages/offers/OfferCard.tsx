import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { OfferSummary } from "../../api/client";
import { useFormat } from "../../lib/format";
import { isSector } from "../../lib/sectors";

export function OfferCard({ offer }: { offer: OfferSummary }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <article className="offer-card">
      <h3>
        <Link to={`/offers/${offer.id}`}>{offer.title}</Link>
      </h3>
      <p className="offer-org">
        {offer.organisation_name} · {t("offers.in", { region: offer.region_name, country: f.country(offer.country) })}
      </p>
      <ul className="offer-facts">
        <li>{t("offers.starts", { date: f.day(offer.start_date) })}</li>
        <li>{t("offers.months", { count: offer.duration_months })}</li>
        <li>{t("offers.grant", { amount: f.money(offer.monthly_grant, offer.currency) })}</li>
        <li>{isSector(offer.sector) ? t(`sectors.${offer.sector}`) : offer.sector}</li>
        {offer.languages.length > 0 && (
          <li>{f.list(offer.languages.map((l) => `${f.language(l.language)} ${l.level}`))}</li>
        )}
      </ul>
      <p className="offer-meta">
        <span>{t("offers.deadline", { date: f.dateTime(offer.application_deadline) })}</span>
        <span className="badge badge-info">{t("offers.seats", { count: offer.seats_available })}</span>
      </p>
    </article>
  );
}
