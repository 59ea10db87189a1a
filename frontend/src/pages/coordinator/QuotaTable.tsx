import { useTranslation } from "react-i18next";
import type { Quota } from "../../api/client";
import { useFormat } from "../../lib/format";

/** Quotas per programme year: hosting and sending seats, used, remaining, and the exchange balance. */
export function QuotaTable({ quotas, caption }: { quotas: Quota[]; caption: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="numeric">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("common.year")}</th>
            <th scope="col">
              {t("coordinator.hosted")} / {t("coordinator.quota")}
            </th>
            <th scope="col">{t("coordinator.remaining")}</th>
            <th scope="col">
              {t("coordinator.sent")} / {t("coordinator.quota")}
            </th>
            <th scope="col">{t("coordinator.remaining")}</th>
            <th scope="col">{t("coordinator.balance")}</th>
          </tr>
        </thead>
        <tbody>
          {[...quotas]
            .sort((a, b) => b.programme_year - a.programme_year)
            .map((q) => {
              const balance = q.hosted - q.sent;
              return (
                <tr key={q.programme_year}>
                  <th scope="row">{q.programme_year}</th>
                  <td>
                    {f.number(q.hosted)} / {f.number(q.hosting_quota)}
                  </td>
                  <td>{f.number(q.hosting_remaining)}</td>
                  <td>
                    {f.number(q.sent)} / {f.number(q.sending_quota)}
                  </td>
                  <td>{f.number(q.sending_remaining)}</td>
                  <td className={balance > 0 ? "pos" : balance < 0 ? "neg" : undefined}>{f.signed(balance)}</td>
                </tr>
              );
            })}
        </tbody>
      </table>
    </div>
  );
}
