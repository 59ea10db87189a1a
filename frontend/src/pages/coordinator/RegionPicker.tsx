import { useTranslation } from "react-i18next";
import { useAccount } from "../../auth/session";
import { regionLabel, useRegions } from "../../lib/regions";

export function RegionPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const account = useAccount();
  const regions = useRegions();
  if (account.region_ids.length < 2) return null;
  return (
    <div className="field inline">
      <label htmlFor="coord-region">{t("common.region")}</label>
      <select id="coord-region" value={value} onChange={(e) => onChange(e.target.value)}>
        {account.region_ids.map((id) => (
          <option key={id} value={id}>
            {regionLabel(regions.data?.find((r) => r.id === id), id)}
          </option>
        ))}
      </select>
    </div>
  );
}
