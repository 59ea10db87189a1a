import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call, type Role } from "../../api/client";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";
import { useAccount } from "../../auth/session";
import { useAsync } from "../../lib/useAsync";
import { byName, useRegions } from "../../lib/regions";
import { useFormat } from "../../lib/format";
import { LANGUAGES, LANGUAGE_NAMES, isLanguage, type Language } from "../../i18n";

const ROLES: Role[] = ["applicant", "employer", "coordinator", "chair", "admin"];
type StaffRole = "coordinator" | "chair" | "admin";
const PAGE = 50;

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const { t, i18n } = useTranslation();
  const regions = useRegions();
  const [email, setEmail] = useState("");
  const [fullName, setFullName] = useState("");
  const [role, setRole] = useState<StaffRole>("coordinator");
  const [regionIds, setRegionIds] = useState<string[]>([]);
  const [locale, setLocale] = useState<Language>(isLanguage(i18n.language) ? i18n.language : "en");
  const [invited, setInvited] = useState<string | null>(null);

  const action = useAction(async () => {
    setInvited(null);
    const account = await call(
      api.POST("/api/admin/accounts", {
        body: { email, full_name: fullName, role, region_ids: role === "coordinator" ? regionIds : [], locale },
      }),
    );
    setInvited(account.email);
    setEmail("");
    setFullName("");
    setRegionIds([]);
    onInvited();
  });

  return (
    <form className="form" onSubmit={action.onSubmit}>
      {invited && <Alert tone="success">{t("admin.invited", { email: invited })}</Alert>}
      {action.error && (
        <ProblemAlert error={action.error} shownFields={["email", "full_name", "role", "region_ids", "locale"]} />
      )}
      <Field name="full_name" label={t("common.fullName")} required error={action.fieldError("full_name")}>
        {(p) => <input {...p} value={fullName} maxLength={200} onChange={(e) => setFullName(e.target.value)} />}
      </Field>
      <Field name="email" label={t("common.email")} required error={action.fieldError("email")}>
        {(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <Field name="role" label={t("admin.role")} required error={action.fieldError("role")}>
        {(p) => (
          <select {...p} value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            {(["coordinator", "chair", "admin"] as const).map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {role === "coordinator" && (
        <fieldset className="choice-group" aria-describedby="regions-hint">
          <legend>{t("admin.regions")}</legend>
          <p className="field-hint" id="regions-hint">
            {t("admin.regionsHint")}
          </p>
          {action.fieldError("region_ids") && <p className="field-error">{action.fieldError("region_ids")}</p>}
          {regions.loading && <Loading />}
          <div className="checkbox-list">
            {(regions.data ?? []).slice().sort(byName).map((r) => (
              <label key={r.id} className="choice">
                <input
                  type="checkbox"
                  name="region_ids"
                  value={r.id}
                  checked={regionIds.includes(r.id)}
                  onChange={(e) =>
                    setRegionIds((ids) => (e.target.checked ? [...ids, r.id] : ids.filter((id) => id !== r.id)))
                  }
                />
                {r.name} ({r.code})
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <Field name="locale" label={t("app.language")} required error={action.fieldError("locale")}>
        {(p) => (
          <select {...p} value={locale} onChange={(e) => isLanguage(e.target.value) && setLocale(e.target.value)}>
            {LANGUAGES.map((lang) => (
              <option key={lang} value={lang} lang={lang}>
                {LANGUAGE_NAMES[lang]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-actions">
        <button className="button" type="submit" disabled={action.pending}>
          {t("admin.invite")}
        </button>
      </div>
    </form>
  );
}

export function AdminAccounts() {
  const { t } = useTranslation();
  const f = useFormat();
  const [role, setRole] = useState<Role | "">("");
  const [offset, setOffset] = useState(0);
  const me = useAccount();
  const [confirming, setConfirming] = useState<string | null>(null);
  const toggle = useAction(async (id: string, active: boolean) => {
    const path = { account_id: id };
    if (active) await call(api.POST("/api/admin/accounts/{account_id}/reactivate", { params: { path } }));
    else await call(api.DELETE("/api/admin/accounts/{account_id}", { params: { path } }));
    setConfirming(null);
    list.reload();
  });
  const list = useAsync(
    () =>
      call(
        api.GET("/api/admin/accounts", {
          params: { query: { limit: PAGE, offset, ...(role ? { role } : {}) } },
        }),
      ),
    [role, offset],
  );

  return (
    <Page title={t("admin.title")} wide>
      <div className="grid-2 grid-sidebar">
        <section className="card">
          <h2>{t("admin.listTitle")}</h2>
          <div className="field inline">
            <label htmlFor="role-filter">{t("admin.filterRole")}</label>
            <select
              id="role-filter"
              value={role}
              onChange={(e) => {
                setOffset(0);
                setRole(e.target.value as Role | "");
              }}
            >
              <option value="">{t("admin.allRoles")}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
          {list.loading && <Loading />}
          {list.error && <ProblemAlert error={list.error} />}
          {toggle.error && <ProblemAlert error={toggle.error} />}
          {list.data && list.data.length === 0 && <p>{t("admin.empty")}</p>}
          {list.data && list.data.length > 0 && (
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t("admin.listTitle")}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("common.fullName")}</th>
                    <th scope="col">{t("admin.role")}</th>
                    <th scope="col">{t("admin.status")}</th>
                    <th scope="col">{t("account.memberSince")}</th>
                    <th scope="col">{t("admin.access")}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((a) => (
                    <tr key={a.id}>
                      <th scope="row">
                        {a.full_name}
                        <br />
                        <span className="small muted">{a.email}</span>
                      </th>
                      <td>{t(`roles.${a.role}`)}</td>
                      <td>
                        {!a.active ? (
                          <span className="badge badge-bad">{t("admin.deactivated")}</span>
                        ) : a.email_verified ? (
                          <span className="badge badge-ok">{t("account.verified")}</span>
                        ) : (
                          <span className="badge badge-wait">{t("admin.unverified")}</span>
                        )}
                      </td>
                      <td>{f.date(a.created_at)}</td>
                      <td>
                        {a.id === me.id ? (
                          <span className="small muted">{t("admin.you")}</span>
                        ) : !a.active ? (
                          <button type="button" className="button button-secondary button-small" disabled={toggle.pending} onClick={() => void toggle.run(a.id, true)}>
                            {t("admin.reactivate")}
                          </button>
                        ) : confirming === a.id ? (
                          // Deactivating ends the person's sessions: one more click, next to their name, confirms it.
                          <span className="form-actions">
                            <button type="button" className="button button-danger button-small" disabled={toggle.pending} onClick={() => void toggle.run(a.id, false)}>
                              {t("admin.confirmDeactivate", { name: a.full_name })}
                            </button>
                            <button type="button" className="button button-ghost button-small" onClick={() => setConfirming(null)}>
                              {t("common.cancel")}
                            </button>
                          </span>
                        ) : (
                          <button type="button" className="button button-secondary button-small" onClick={() => setConfirming(a.id)}>
                            {t("admin.deactivate")}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="pager">
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              {t("admin.previous")}
            </button>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={(list.data?.length ?? 0) < PAGE}
              onClick={() => setOffset(offset + PAGE)}
            >
              {t("admin.next")}
            </button>
          </div>
        </section>
        <section className="card">
          <h2>{t("admin.inviteTitle")}</h2>
          <p>{t("admin.inviteLead")}</p>
          <InviteForm onInvited={list.reload} />
        </section>
      </div>
    </Page>
  );
}
