import { useTranslation } from "react-i18next";
import type { Offer } from "../../api/client";
import { useFormat } from "../../lib/format";
import { isSector } from "../../lib/sectors";

/** What an offer says, for every reader (applicant, employer, coordinator). */
export function OfferDetails({ offer }: { offer: Offer }) {
  const { t } = useTranslation();
  const f = useFormat();
  const extras = [offer.language_course && t("offers.languageCourse"), offer.housing_help && t("offers.housingHelp")].filter(
    (x): x is string => Boolean(x),
  );
  return (
    <div className="grid-2 grid-sidebar">
      <div>
        <section>
          <h2>{t("offer.description")}</h2>
          <p className="prose">{offer.description}</p>
        </section>
        <section>
          <h2>{t("offer.tasks")}</h2>
          <p className="prose">{offer.tasks}</p>
        </section>
      </div>
      <section className="card">
        <h2>{t("offer.facts")}</h2>
        <dl className="facts facts-stacked">
          <dt>{t("offer.organisation")}</dt>
          <dd>{offer.organisation_name}</dd>
          <dt>{t("offer.region")}</dt>
          <dd>
            {offer.region_name} ({offer.region_code}), {f.country(offer.country)}
          </dd>
          <dt>{t("offers.sector")}</dt>
          <dd>{isSector(offer.sector) ? t(`sectors.${offer.sector}`) : offer.sector}</dd>
          <dt>{t("offer.start")}</dt>
          <dd>{f.day(offer.start_date)}</dd>
          <dt>{t("offer.duration")}</dt>
          <dd>{t("offers.months", { count: offer.duration_months })}</dd>
          <dt>{t("offer.grantLabel")}</dt>
          <dd>{f.money(offer.monthly_grant, offer.currency)}</dd>
          <dt>{t("offer.deadlineLabel")}</dt>
          <dd>{f.dateTime(offer.application_deadline)}</dd>
          <dt>{t("offer.seats")}</dt>
          <dd>{t("offer.seatsValue", { available: offer.seats_available, total: offer.seats })}</dd>
          <dt>{t("offer.languagesNeeded")}</dt>
          <dd>
            {offer.languages.length
              ? f.list(offer.languages.map((l) => `${f.language(l.language)} ${l.level}`))
              : t("offer.none")}
          </dd>
          <dt>{t("offer.extras")}</dt>
          <dd>{extras.length ? f.list(extras) : t("offer.none")}</dd>
        </dl>
      </section>
    </div>
  );
}
