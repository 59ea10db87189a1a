import { useState } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, call, type Organisation } from "../../api/client";
import { useAccount } from "../../auth/session";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { regionLabel, useRegions } from "../../lib/regions";
import { useFormat } from "../../lib/format";
import { isSector } from "../../lib/sectors";

type Show = "all" | "unverified" | "verified";

/** The region's host organisations; the coordinator verifies new ones. */
export function RegionOrganisations() {
  const { t } = useTranslation();
  const f = useFormat();
  const account = useAccount();
  const regions = useRegions();
  const [params, setParams] = useSearchParams();
  const regionId = account.region_ids.includes(params.get("region") ?? "")
    ? (params.get("region") as string)
    : (account.region_ids[0] ?? "");
  const show = (["all", "unverified", "verified"] as const).find((s) => s === params.get("show")) ?? "all";
  const [notice, setNotice] = useState<string | null>(null);

  const list = useAsync(() => {
    const verified = show === "all" ? undefined : show === "verified";
    return call(
      api.GET("/api/regions/{region_id}/organisations", {
        params: { path: { region_id: regionId }, query: verified === undefined ? {} : { verified } },
      }),
    );
  }, [regionId, show]);

  const verify = useAction(async (org: Organisation) => {
    setNotice(null);
    await call(
      api.POST("/api/organisations/{organisation_id}/verify", { params: { path: { organisation_id: org.id } } }),
    );
    setNotice(t("organisations.verifiedDone", { name: org.name }));
    list.reload();
  });

  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  const region = regions.data?.find((r) => r.id === regionId);

  return (
    <Page title={t("organisations.title")} wide>
      <div className="toolbar">
        {account.region_ids.length > 1 && (
          <div className="field inline">
            <label htmlFor="org-region">{t("common.region")}</label>
            <select id="org-region" value={regionId} onChange={(e) => update("region", e.target.value)}>
              {account.region_ids.map((id) => (
                <option key={id} value={id}>
                  {regionLabel(regions.data?.find((r) => r.id === id), id)}
                </option>
              ))}
            </select>
          </div>
        )}
        <fieldset className="segmented">
          <legend>{t("organisations.filter")}</legend>
          {(["all", "unverified", "verified"] as Show[]).map((s) => (
            <label key={s}>
              <input type="radio" name="show" value={s} checked={show === s} onChange={() => update("show", s)} />
              <span>
                {s === "all" ? t("organisations.all") : s === "unverified" ? t("organisations.unverified") : t("organisations.verifiedOnly")}
              </span>
            </label>
          ))}
        </fieldset>
      </div>
      <div aria-live="polite">{notice && <Alert tone="success">{notice}</Alert>}</div>
      {verify.error && <ProblemAlert error={verify.error} />}
      {list.loading && <Loading />}
      {list.error && <ProblemAlert error={list.error} />}
      {list.data && list.data.length === 0 && <p>{t("organisations.empty")}</p>}
      {list.data && list.data.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="orgs-caption">
          <table>
            <caption id="orgs-caption">{t("organisations.caption", { region: regionLabel(region, "") })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("employer.name")}</th>
                <th scope="col">{t("employer.sector")}</th>
                <th scope="col">{t("employer.city")}</th>
                <th scope="col">{t("organisations.status")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("organisations.verifyShort")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    {o.name}
                    {o.website && (
                      <>
                        <br />
                        <a className="small" href={o.website} rel="noopener noreferrer" target="_blank">
                          {o.website}
                        </a>
                      </>
                    )}
                  </th>
                  <td>{isSector(o.sector) ? `${o.sector} · ${t(`sectors.${o.sector}`)}` : o.sector}</td>
                  <td>{o.city ?? t("common.notAvailable")}</td>
                  <td>
                    {o.verified && o.verified_at ? (
                      <span className="badge badge-ok">
                        {t("organisations.verified")} · {f.date(o.verified_at)}
                      </span>
                    ) : (
                      <span className="badge badge-wait">{t("organisations.pending")}</span>
                    )}
                  </td>
                  <td>
                    {!o.verified && (
                      <button
                        type="button"
                        className="button button-small"
                        disabled={verify.pending}
                        aria-label={t("organisations.verify", { name: o.name })}
                        onClick={() => void verify.run(o)}
                      >
                        {t("organisations.verifyShort")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
