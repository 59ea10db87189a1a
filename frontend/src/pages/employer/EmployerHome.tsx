import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { useAccount, useSession } from "../../auth/session";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAsync } from "../../lib/useAsync";
import { regionLabel, useRegions } from "../../lib/regions";
import { useFormat } from "../../lib/format";
import { isSector } from "../../lib/sectors";
import { OrganisationForm } from "./OrganisationForm";
import { EmployerOffers } from "./EmployerOffers";

export function EmployerHome() {
  const { t } = useTranslation();
  const f = useFormat();
  const account = useAccount();
  const { setAccount } = useSession();
  const regions = useRegions();
  const [notice, setNotice] = useState<string | null>(null);
  const orgId = account.organisation_id;
  const org = useAsync(
    () =>
      orgId
        ? call(api.GET("/api/organisations/{organisation_id}", { params: { path: { organisation_id: orgId } } }))
        : Promise.resolve(null),
    [orgId],
  );

  const failure = regions.error ?? org.error;
  if (failure) return <Page title={t("employer.title")}><ProblemAlert error={failure} /></Page>;
  if (regions.loading || org.loading || !regions.data || org.data === undefined) {
    return <Page title={t("employer.title")}><Loading /></Page>;
  }

  if (!org.data) {
    return (
      <Page title={t("employer.registerTitle")} lead={t("employer.registerLead")}>
        <div className="narrow">
          <OrganisationForm
            regions={regions.data}
            submitLabel={t("employer.register")}
            onSubmit={async (values) => {
              await call(
                api.POST("/api/organisations", {
                  body: {
                    name: values.name,
                    region_id: values.region_id,
                    sector: values.sector,
                    city: values.city,
                    website: values.website,
                    description: values.description,
                  },
                }),
              );
              setAccount(await call(api.GET("/api/me")));
              setNotice(t("employer.registered"));
            }}
          />
        </div>
      </Page>
    );
  }

  const o = org.data;
  const region = regions.data.find((r) => r.id === o.region_id);
  return (
    <Page title={o.name} lead={t("employer.title")}>
      {notice && <Alert tone="success">{notice}</Alert>}
      <div className="grid-2">
        <section className="card">
          <p>
            {o.verified && o.verified_at ? (
              <span className="badge badge-ok">{t("employer.verified", { date: f.date(o.verified_at) })}</span>
            ) : (
              <span className="badge badge-wait">{t("employer.pending")}</span>
            )}
          </p>
          <dl className="facts">
            <dt>{t("employer.region")}</dt>
            <dd>{regionLabel(region, o.region_id)}</dd>
            <dt>{t("employer.sector")}</dt>
            <dd>
              {o.sector} · {isSector(o.sector) ? t(`sectors.${o.sector}`) : ""}
            </dd>
            {o.city && (
              <>
                <dt>{t("employer.city")}</dt>
                <dd>{o.city}</dd>
              </>
            )}
            {o.website && (
              <>
                <dt>{t("employer.website")}</dt>
                <dd>
                  <a href={o.website} rel="noopener noreferrer" target="_blank">
                    {o.website}
                  </a>
                </dd>
              </>
            )}
          </dl>
          {o.description && <p className="prose">{o.description}</p>}
        </section>
        <section className="card">
          <h2>{t("employer.editTitle")}</h2>
          <OrganisationForm
            key={o.id + o.name}
            initial={o}
            regions={regions.data}
            submitLabel={t("common.save")}
            onSubmit={async (values) => {
              setNotice(null); // an earlier "Saved." must not stand next to this attempt's error
              await call(
                api.PATCH("/api/organisations/{organisation_id}", {
                  params: { path: { organisation_id: o.id } },
                  body: {
                    name: values.name,
                    sector: values.sector,
                    city: values.city,
                    website: values.website,
                    description: values.description,
                  },
                }),
              );
              setNotice(t("common.saved"));
              org.reload();
            }}
          />
        </section>
      </div>
      <EmployerOffers organisation={o} />
    </Page>
  );
}
