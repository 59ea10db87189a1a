import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../api/problem";

const KNOWN = new Set([
  "validation-error",
  "bad-request",
  "unauthenticated",
  "forbidden",
  "not-found",
  "conflict",
  "invalid-transition",
  "quota-exceeded",
  "gone",
  "payload-too-large",
  "unsupported-media-type",
  "too-many-requests",
  "service-unavailable",
  "internal-error",
]);

type TitleKey = `errors.title.${"validation-error" | "network" | "default"}`;

/**
 * The message for an API error: a title in the user's language for the problem's kind, the server's
 * detail, and the field errors the form does not show next to a field. Focused when it appears.
 */
export function ProblemAlert({ error, shownFields = [] }: { error: ApiError; shownFields?: string[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [error]);

  const kind = error.status === 0 ? "network" : KNOWN.has(error.kind) ? error.kind : "default";
  const fields = error.fields;
  const inline = Object.keys(fields).filter((f) => shownFields.includes(f));
  const elsewhere = Object.entries(fields).filter(([f]) => !shownFields.includes(f));
  // A 400 is about the request's shape, its messages short ("Enter a valid date."): the field name tells which.
  // The domain's refusals (409, 422) are sentences for people, which read badly after "offer_id:".
  const named = error.status === 400;
  const detail =
    error.status === 0 ? t("errors.networkDetail") : inline.length > 0 ? t("errors.fieldsBelow") : error.problem.detail;

  return (
    <div className="alert alert-error" role="alert" tabIndex={-1} ref={ref}>
      <p className="alert-title">{t(`errors.title.${kind}` as TitleKey)}</p>
      {detail && elsewhere.length === 0 && <p>{detail}</p>}
      {inline.length > 0 && elsewhere.length > 0 && <p>{t("errors.fieldsBelow")}</p>}
      {elsewhere.length > 0 && (
        <ul>
          {elsewhere.map(([field, message]) => (
            <li key={field}>{field === "body" || !named ? message : t("errors.field", { field, message })}</li>
          ))}
        </ul>
      )}
      {error.problem.retry_after ? <p>{t("errors.retryAfter", { seconds: error.problem.retry_after })}</p> : null}
    </div>
  );
}
