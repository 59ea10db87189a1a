import { useTranslation } from "react-i18next";
import type { ApplicationState, OfferState } from "../api/client";

const TONE: Record<string, string> = {
  draft: "badge-neutral",
  submitted: "badge-wait",
  published: "badge-ok",
  closed: "badge-neutral",
  withdrawn: "badge-neutral",
  eligible: "badge-info",
  ineligible: "badge-bad",
  shortlisted: "badge-info",
  rejected: "badge-bad",
  proposed: "badge-wait",
  accepted: "badge-ok",
  declined: "badge-neutral",
  confirmed: "badge-ok",
  expired: "badge-neutral",
};

export function OfferStateBadge({ state }: { state: OfferState }) {
  const { t } = useTranslation();
  return <span className={`badge ${TONE[state] ?? ""}`}>{t(`states.offer.${state}`)}</span>;
}

export function ApplicationStateBadge({ state }: { state: ApplicationState }) {
  const { t } = useTranslation();
  return <span className={`badge ${TONE[state] ?? ""}`}>{t(`states.application.${state}`)}</span>;
}
