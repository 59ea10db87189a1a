import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type Account } from "../../api/client";
import { ApiError, networkProblem } from "../../api/problem";
import { Page } from "../../components/Page";
import { Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ResendVerification } from "./ResendVerification";

/** The page the confirmation e-mail links to: {PUBLIC_URL}/verify-email?token=... */
export function VerifyEmail() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get("token");
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // Once only: the token is single-use (React's development double effects would spend it twice).
    if (!token || started.current) return;
    started.current = true;
    call(api.POST("/api/auth/verify-email", { body: { token } }))
      .then(setAccount)
      .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError(networkProblem(), e)));
  }, [token]);

  return (
    <Page title={t("verify.title")}>
      <div className="narrow">
        {!token && <p>{t("verify.missing")}</p>}
        {token && !account && !error && <Loading />}
        {account && (
          <>
            <div className="alert alert-success" role="status">
              <p>{t("verify.done", { email: account.email })}</p>
            </div>
            <p>
              <Link className="button" to={`/login?email=${encodeURIComponent(account.email)}`}>
                {t("verify.login")}
              </Link>
            </p>
          </>
        )}
        {error && <ProblemAlert error={error} shownFields={[]} />}
        {(error || !token) && (
          <section>
            <h2>{t("verify.resendTitle")}</h2>
            <ResendVerification initialEmail={params.get("email") ?? ""} label={t("verify.resend")} />
          </section>
        )}
      </div>
    </Page>
  );
}
