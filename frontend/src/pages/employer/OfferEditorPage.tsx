import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { useAccount } from "../../auth/session";
import { Page } from "../../components/Page";
import { Alert } from "../../components/Alert";
import { OfferForm } from "./OfferForm";

export function NewOfferPage() {
  const { t } = useTranslation();
  const account = useAccount();
  const navigate = useNavigate();
  return (
    <Page title={t("employerOffers.formTitleNew")}>
      {!account.organisation_id && <Alert tone="warning">{t("employerOffers.needOrganisation")}</Alert>}
      <div className="narrow-wide">
        <OfferForm
          submitLabel={t("employerOffers.saveDraft")}
          onSubmit={async (values) => {
            const offer = await call(api.POST("/api/offers", { body: values }));
            navigate(`/employer/offers/${offer.id}`, { state: { notice: "saved" } });
          }}
        />
      </div>
    </Page>
  );
}
