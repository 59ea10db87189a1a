import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { Page } from "../../components/Page";
import { Field } from "../../components/Field";
import { Alert } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";

export function ForgotPassword() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const action = useAction(async () => {
    await call(api.POST("/api/auth/password-reset", { body: { email } }));
    setSent(true);
  });
  return (
    <Page title={t("forgot.title")} lead={t("forgot.lead")}>
      <form className="form narrow" onSubmit={action.onSubmit}>
        {sent && <Alert tone="success">{t("register.resent")}</Alert>}
        {action.error && <ProblemAlert error={action.error} shownFields={["email"]} />}
        <Field name="email" label={t("common.email")} required error={action.fieldError("email")}>
          {(p) => <input {...p} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <button className="button" type="submit" disabled={action.pending}>
            {t("forgot.submit")}
          </button>
        </div>
      </form>
    </Page>
  );
}
