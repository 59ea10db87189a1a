import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "./ProblemAlert";
import { useAction } from "./useAction";

/**
 * A button that opens a small inline form asking for a reason (required or optional), then runs the action.
 * Used for every refusal: the reason is recorded and shown to the person concerned.
 */
export function ReasonAction({
  label,
  accessibleLabel,
  reasonLabel,
  confirmLabel,
  required = true,
  tone = "secondary",
  extra,
  onConfirm,
}: {
  label: string;
  accessibleLabel?: string;
  reasonLabel: string;
  confirmLabel: string;
  required?: boolean;
  tone?: "secondary" | "danger" | "primary";
  extra?: ReactNode;
  onConfirm: (reason: string | null) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const action = useAction(async () => {
    await onConfirm(reason.trim() || null);
    setOpen(false);
    setReason("");
  });
  const buttonClass = tone === "danger" ? "button button-danger button-small" : tone === "primary" ? "button button-small" : "button button-secondary button-small";

  if (!open) {
    return (
      <button type="button" className={buttonClass} aria-label={accessibleLabel} onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  return (
    <form className="reason-form" onSubmit={action.onSubmit}>
      {action.error && <ProblemAlert error={action.error} shownFields={["reason"]} />}
      {extra}
      <label htmlFor={`${id}-reason`}>
        {reasonLabel}
        {!required && <span className="field-optional"> ({t("common.optional")})</span>}
      </label>
      <textarea
        id={`${id}-reason`}
        name="reason"
        rows={2}
        required={required}
        minLength={required ? 3 : undefined}
        maxLength={2000}
        value={reason}
        aria-invalid={action.fieldError("reason") ? true : undefined}
        aria-describedby={action.fieldError("reason") ? `${id}-err` : undefined}
        autoFocus
        onChange={(e) => setReason(e.target.value)}
      />
      {action.fieldError("reason") && (
        <p className="field-error" id={`${id}-err`}>
          {action.fieldError("reason")}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className={tone === "danger" ? "button button-danger button-small" : "button button-small"} disabled={action.pending}>
          {confirmLabel}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={() => setOpen(false)}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
