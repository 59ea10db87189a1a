import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Organisation, Region } from "../../api/client";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";
import { SECTORS } from "../../lib/sectors";
import { byName } from "../../lib/regions";
import { useFormat } from "../../lib/format";

export interface OrganisationValues {
  name: string;
  region_id: string;
  sector: string;
  city: string | null;
  website: string | null;
  description: string | null;
}

const FIELDS = ["name", "region_id", "sector", "city", "website", "description"];

/** Register (region editable) or edit (region fixed) an organisation. */
export function OrganisationForm({
  initial,
  regions,
  submitLabel,
  onSubmit,
}: {
  initial?: Organisation;
  regions: Region[];
  submitLabel: string;
  onSubmit: (values: OrganisationValues) => Promise<void>;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [name, setName] = useState(initial?.name ?? "");
  const [regionId, setRegionId] = useState(initial?.region_id ?? "");
  const [sector, setSector] = useState(initial?.sector ?? "");
  const [city, setCity] = useState(initial?.city ?? "");
  const [website, setWebsite] = useState(initial?.website ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");

  const action = useAction(() =>
    onSubmit({
      name: name.trim(),
      region_id: regionId,
      sector,
      city: city.trim() || null,
      website: website.trim() || null,
      description: description.trim() || null,
    }),
  );
  const participating = regions.filter((r) => r.participating).sort(byName);

  return (
    <form className="form" onSubmit={action.onSubmit}>
      {action.error && <ProblemAlert error={action.error} shownFields={FIELDS} />}
      <Field name="name" label={t("employer.name")} required error={action.fieldError("name")}>
        {(p) => <input {...p} autoComplete="organization" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field name="region_id" label={t("employer.region")} required error={action.fieldError("region_id")}>
        {(p) => (
          <select {...p} value={regionId} disabled={Boolean(initial)} onChange={(e) => setRegionId(e.target.value)}>
            <option value="">{t("applicant.chooseRegion")}</option>
            {participating.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} · {f.country(r.country)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="sector" label={t("employer.sector")} required error={action.fieldError("sector")}>
        {(p) => (
          <select {...p} value={sector} onChange={(e) => setSector(e.target.value)}>
            <option value="">—</option>
            {SECTORS.map((s) => (
              <option key={s} value={s}>
                {s} · {t(`sectors.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="city" label={t("employer.city")} error={action.fieldError("city")}>
        {(p) => <input {...p} autoComplete="address-level2" maxLength={120} value={city} onChange={(e) => setCity(e.target.value)} />}
      </Field>
      <Field name="website" label={t("employer.website")} hint={t("employer.websiteHint")} error={action.fieldError("website")}>
        {(p) => <input {...p} type="url" autoComplete="url" maxLength={300} value={website} onChange={(e) => setWebsite(e.target.value)} />}
      </Field>
      <Field name="description" label={t("employer.description")} error={action.fieldError("description")}>
        {(p) => <textarea {...p} rows={4} maxLength={4000} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <button className="button" type="submit" disabled={action.pending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
