import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Alert } from "../../components/Alert";
import { useAction } from "../../components/useAction";

/** Ask for a new confirmation link (the answer never reveals whether the address has an account). */
export function ResendVerification({ initialEmail = "", label }: { initialEmail?: string; label: string }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState(initialEmail);
  const [sent, setSent] = useState(false);
  const action = useAction(async () => {
    await call(api.POST("/api/auth/verify-email/resend", { body: { email } }));
    setSent(true);
  });
  return (
    <form className="form" onSubmit={action.onSubmit}>
      {sent && <Alert tone="success">{t("register.resent")}</Alert>}
      {action.error && <ProblemAlert error={action.error} shownFields={["email"]} />}
      <Field name="email" label={t("common.email")} required error={action.fieldError("email")}>
        {(p) => <input {...p} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <button className="button button-secondary" type="submit" disabled={action.pending}>
          {label}
        </button>
      </div>
    </form>
  );
}
