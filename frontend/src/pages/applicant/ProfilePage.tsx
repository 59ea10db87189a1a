import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  api,
  call,
  openDownload,
  uploadCv,
  type EmploymentStatus,
  type LanguageLevel,
  type Profile,
  type Schemas,
} from "../../api/client";

type Sex = Schemas["Sex"];
import { useAccount } from "../../auth/session";
import { Page } from "../../components/Page";
import { Alert, Loading } from "../../components/Alert";
import { Field } from "../../components/Field";
import { LanguageLevels } from "../../components/LanguageLevels";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RuleList } from "../../components/RuleList";
import { useAction } from "../../components/useAction";
import { useAsync } from "../../lib/useAsync";
import { useFormat } from "../../lib/format";
import { orNull } from "../../lib/optional";
import { byName, useRegions } from "../../lib/regions";

const STATUSES: EmploymentStatus[] = ["job_seeker", "recent_graduate", "student", "employed", "other"];
const PROFILE_FIELDS = ["full_name", "date_of_birth", "home_region_id", "resident_since", "languages", "eqf_level", "employment_status", "presentation", "sex"];

export function ProfilePage() {
  const { t } = useTranslation();
  const profile = useAsync(() => orNull(call(api.GET("/api/me/profile"))), []);
  const [saved, setSaved] = useState<Profile | null>(null);
  const current = saved ?? profile.data ?? null;

  return (
    <Page title={t("profile.title")} lead={t("profile.lead")} wide>
      {profile.loading && <Loading />}
      {profile.error && <ProblemAlert error={profile.error} />}
      {!profile.loading && !profile.error && (
        <div className="grid-2">
          <section className="card" aria-labelledby="profile-title">
            <h2 id="profile-title">{t("profile.formTitle")}</h2>
            <ProfileForm initial={current} onSaved={setSaved} />
          </section>
          <div className="stack">
            <EligibilityCard profile={current} />
            <CvCard />
          </div>
        </div>
      )}
    </Page>
  );
}

function ProfileForm({ initial, onSaved }: { initial: Profile | null; onSaved: (p: Profile) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const account = useAccount();
  const regions = useRegions();
  const [fullName, setFullName] = useState(initial?.full_name ?? account.full_name);
  const [dateOfBirth, setDateOfBirth] = useState(initial?.date_of_birth ?? "");
  const [homeRegionId, setHomeRegionId] = useState(initial?.home_region_id ?? "");
  const [residentSince, setResidentSince] = useState(initial?.resident_since ?? "");
  const [eqf, setEqf] = useState(String(initial?.eqf_level ?? ""));
  const [status, setStatus] = useState<EmploymentStatus | "">(initial?.employment_status ?? "");
  const [languages, setLanguages] = useState<LanguageLevel[]>(initial?.languages ?? []);
  const [presentation, setPresentation] = useState(initial?.presentation ?? "");
  const [sex, setSex] = useState<Sex | "">(initial?.sex ?? "");
  const [done, setDone] = useState(false);

  const action = useAction(async () => {
    setDone(false);
    const out = await call(
      api.PUT("/api/me/profile", {
        body: {
          full_name: fullName,
          date_of_birth: dateOfBirth,
          home_region_id: homeRegionId,
          resident_since: residentSince,
          eqf_level: Number(eqf),
          employment_status: status as EmploymentStatus,
          languages,
          presentation,
          sex: sex || null,
        },
      }),
    );
    onSaved(out);
    setDone(true);
  });

  return (
    <form className="form" onSubmit={action.onSubmit}>
      {done && <Alert tone="success">{t("profile.saved")}</Alert>}
      {action.error && <ProblemAlert error={action.error} shownFields={PROFILE_FIELDS} />}
      <Field name="full_name" label={t("common.fullName")} required error={action.fieldError("full_name")}>
        {(p) => <input {...p} autoComplete="name" value={fullName} onChange={(e) => setFullName(e.target.value)} />}
      </Field>
      <Field name="date_of_birth" label={t("profile.dateOfBirth")} required error={action.fieldError("date_of_birth")}>
        {(p) => <input {...p} type="date" autoComplete="bday" value={dateOfBirth} onChange={(e) => setDateOfBirth(e.target.value)} />}
      </Field>
      <Field name="home_region_id" label={t("profile.homeRegion")} required error={action.fieldError("home_region_id")}>
        {(p) => (
          <select {...p} value={homeRegionId} onChange={(e) => setHomeRegionId(e.target.value)}>
            <option value="">{t("applicant.chooseRegion")}</option>
            {(regions.data ?? []).filter((r) => r.participating).sort(byName).map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} · {f.country(r.country)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="resident_since" label={t("profile.residentSince")} required error={action.fieldError("resident_since")}>
        {(p) => <input {...p} type="date" value={residentSince} onChange={(e) => setResidentSince(e.target.value)} />}
      </Field>
      <Field name="eqf_level" label={t("profile.eqfLevel")} hint={t("profile.eqfHint")} required error={action.fieldError("eqf_level")}>
        {(p) => (
          <select {...p} value={eqf} onChange={(e) => setEqf(e.target.value)}>
            <option value="">—</option>
            {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
              <option key={n} value={n}>
                {t("profile.eqfOption", { level: n })}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="employment_status" label={t("profile.employmentStatus")} required error={action.fieldError("employment_status")}>
        {(p) => (
          <select {...p} value={status} onChange={(e) => setStatus(e.target.value as EmploymentStatus)}>
            <option value="">—</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`states.employment.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field">
        <span className="label" id="languages-label">
          {t("profile.languages")}
        </span>
        <p className="field-hint" id="languages-hint">
          {t("profile.languagesHint")}
        </p>
        <LanguageLevels value={languages} onChange={setLanguages} idPrefix="profile" labelledBy="languages-label" describedBy="languages-hint" />
        {action.fieldError("languages") && <p className="field-error">{action.fieldError("languages")}</p>}
      </div>
      <Field name="sex" label={t("profile.sex")} hint={t("profile.sexHint")} error={action.fieldError("sex")}>
        {(p) => (
          <select {...p} value={sex} onChange={(e) => setSex(e.target.value as Sex | "")}>
            <option value="">{t("profile.sexNone")}</option>
            {(["female", "male", "other"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`stats.sex.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="presentation" label={t("profile.presentation")} error={action.fieldError("presentation")}>
        {(p) => <textarea {...p} rows={4} maxLength={2000} value={presentation} onChange={(e) => setPresentation(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="button" disabled={action.pending}>
          {t("profile.save")}
        </button>
      </div>
    </form>
  );
}

function EligibilityCard({ profile }: { profile: Profile | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="card" aria-labelledby="eligibility-title" aria-live="polite">
      <h2 id="eligibility-title">{t("profile.eligibilityTitle")}</h2>
      {!profile ? (
        <p>{t("profile.noProfile")}</p>
      ) : (
        <>
          <p className={profile.eligibility.eligible ? "verdict verdict-ok" : "verdict verdict-ko"}>
            {profile.eligibility.eligible ? t("profile.eligible") : t("profile.notEligible")}
          </p>
          <RuleList rules={profile.eligibility.rules} />
          <p className="muted small">{t("profile.eligibilityOn", { date: f.day(profile.eligibility.on) })}</p>
        </>
      )}
    </section>
  );
}

function CvCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const versions = useAsync(() => call(api.GET("/api/me/cv/versions")), []);
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState(false);
  const upload = useAction(async () => {
    setDone(false);
    if (!file) {
      input.current?.focus();
      return;
    }
    await uploadCv(file);
    setFile(null);
    if (input.current) input.current.value = "";
    setDone(true);
    versions.reload();
  });
  const open = useAction((id: string) =>
    openDownload(() => call(api.GET("/api/documents/{document_id}/download", { params: { path: { document_id: id } } }))),
  );
  const list = [...(versions.data ?? [])].sort((a, b) => b.version - a.version);
  const [current, ...older] = list;

  return (
    <section className="card" aria-labelledby="cv-title">
      <h2 id="cv-title">{t("profile.cvTitle")}</h2>
      <p className="muted">{t("profile.cvLead")}</p>
      {done && <Alert tone="success">{t("profile.uploaded")}</Alert>}
      {upload.error && <ProblemAlert error={upload.error} shownFields={["file"]} />}
      {open.error && <ProblemAlert error={open.error} />}
      {versions.loading && <Loading />}
      {current ? (
        <div className="cv-current">
          <p>
            <strong>{t("profile.current")}:</strong> {current.filename} · {t("profile.version", { version: current.version })} ·{" "}
            {t("profile.size", { size: f.number(Math.ceil(current.size_bytes / 1024)) })} · {f.dateTime(current.created_at)}
          </p>
          <button type="button" className="button button-secondary button-small" onClick={() => void open.run(current.id)}>
            {t("profile.open")}
          </button>
        </div>
      ) : (
        !versions.loading && <p>{t("profile.noCv")}</p>
      )}
      <form className="form" onSubmit={upload.onSubmit}>
        <Field name="file" label={t("profile.cvFile")} required error={upload.fieldError("file")}>
          {(p) => (
            <input
              {...p}
              ref={input}
              type="file"
              accept="application/pdf,.pdf"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button" disabled={upload.pending || !file}>
            {current ? t("profile.replace") : t("profile.upload")}
          </button>
        </div>
      </form>
      {older.length > 0 && (
        <details>
          <summary>{t("profile.versions")}</summary>
          <ul>
            {older.map((d) => (
              <li key={d.id}>
                {d.filename} · {t("profile.version", { version: d.version })} · {f.dateTime(d.created_at)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
