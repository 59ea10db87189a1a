import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/problem";
import { Page } from "../../components/Page";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";

/** The page the reset and invitation e-mails link to: {PUBLIC_URL}/reset-password?token=... */
export function ResetPassword() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get("token");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [done, setDone] = useState(false);

  const action = useAction(async () => {
    if (password !== confirm) {
      throw new ApiError({
        type: "local/validation-error",
        title: "",
        status: 400,
        detail: t("reset.mismatch"),
        errors: [{ field: "confirm", message: t("reset.mismatch") }],
      });
    }
    await call(api.POST("/api/auth/password-reset/confirm", { body: { token: token ?? "", new_password: password } }));
    setDone(true);
  });

  return (
    <Page title={t("reset.title")} lead={token && !done ? t("reset.lead") : undefined}>
      <div className="narrow">
        {!token && <p>{t("reset.missing")}</p>}
        {done && (
          <>
            <div className="alert alert-success" role="status">
              <p>{t("reset.done")}</p>
            </div>
            <p>
              <Link className="button" to="/login">
                {t("nav.login")}
              </Link>
            </p>
          </>
        )}
        {token && !done && (
          <form className="form" onSubmit={action.onSubmit}>
            {action.error && <ProblemAlert error={action.error} shownFields={["new_password", "confirm"]} />}
            <Field
              name="new_password"
              label={t("reset.newPassword")}
              hint={t("register.passwordHint")}
              required
              error={action.fieldError("new_password")}
            >
              {(p) => (
                <input
                  {...p}
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
            <Field name="confirm" label={t("reset.confirm")} required error={action.fieldError("confirm")}>
              {(p) => (
                <input
                  {...p}
                  type="password"
                  autoComplete="new-password"
                  value={confirm}
                  onChange={(e) => setConfirm(e.target.value)}
                />
              )}
            </Field>
            <div className="form-actions">
              <button className="button" type="submit" disabled={action.pending}>
                {t("reset.submit")}
              </button>
            </div>
          </form>
        )}
      </div>
    </Page>
  );
}
