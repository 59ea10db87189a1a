import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { LanguageLevel, Offer, Schemas } from "../../api/client";
import { Field } from "../../components/Field";
import { LanguageLevels } from "../../components/LanguageLevels";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useAction";
import { fromLocalInput, toLocalInput } from "../../lib/dates";
import { SECTORS } from "../../lib/sectors";

export type OfferValues = Schemas["OfferIn"];
const FIELDS = ["title", "description", "tasks", "sector", "duration_months", "start_date", "seats", "monthly_grant", "application_deadline", "languages", "language_course", "housing_help"];

/** Draft or edit an offer (the employer). */
export function OfferForm({ initial, submitLabel, onSubmit }: { initial?: Offer; submitLabel: string; onSubmit: (v: OfferValues) => Promise<void> }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(initial?.title ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [tasks, setTasks] = useState(initial?.tasks ?? "");
  const [sector, setSector] = useState(initial?.sector ?? "");
  const [duration, setDuration] = useState(String(initial?.duration_months ?? 6));
  const [start, setStart] = useState(initial?.start_date ?? "");
  const [seats, setSeats] = useState(String(initial?.seats ?? 1));
  const [grant, setGrant] = useState(initial?.monthly_grant ?? "");
  const [deadline, setDeadline] = useState(toLocalInput(initial?.application_deadline));
  const [languages, setLanguages] = useState<LanguageLevel[]>(initial?.languages ?? []);
  const [course, setCourse] = useState(initial?.language_course ?? true);
  const [housing, setHousing] = useState(initial?.housing_help ?? false);

  const action = useAction(() =>
    onSubmit({
      title,
      description,
      tasks,
      sector,
      duration_months: Number(duration),
      start_date: start,
      seats: Number(seats),
      monthly_grant: grant.replace(",", "."),
      application_deadline: fromLocalInput(deadline),
      languages,
      language_course: course,
      housing_help: housing,
    }),
  );
  const err = action.fieldError;

  return (
    <form className="form" onSubmit={action.onSubmit}>
      {action.error && <ProblemAlert error={action.error} shownFields={FIELDS} />}
      <Field name="title" label={t("employerOffers.fieldTitle")} required error={err("title")}>
        {(p) => <input {...p} minLength={3} maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field name="description" label={t("employerOffers.fieldDescription")} required error={err("description")}>
        {(p) => <textarea {...p} rows={5} maxLength={8000} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <Field name="tasks" label={t("employerOffers.fieldTasks")} required error={err("tasks")}>
        {(p) => <textarea {...p} rows={4} maxLength={4000} value={tasks} onChange={(e) => setTasks(e.target.value)} />}
      </Field>
      <Field name="sector" label={t("employerOffers.fieldSector")} required error={err("sector")}>
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
      <div className="field-pair">
        <Field name="duration_months" label={t("employerOffers.fieldDuration")} required error={err("duration_months")}>
          {(p) => (
            <select {...p} value={duration} onChange={(e) => setDuration(e.target.value)}>
              {[3, 4, 5, 6, 7].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="seats" label={t("employerOffers.fieldSeats")} required error={err("seats")}>
          {(p) => <input {...p} type="number" min={1} max={100} value={seats} onChange={(e) => setSeats(e.target.value)} />}
        </Field>
      </div>
      <div className="field-pair">
        <Field name="start_date" label={t("employerOffers.fieldStart")} required error={err("start_date")}>
          {(p) => <input {...p} type="date" value={start} onChange={(e) => setStart(e.target.value)} />}
        </Field>
        <Field name="application_deadline" label={t("employerOffers.fieldDeadline")} required error={err("application_deadline")}>
          {(p) => <input {...p} type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} />}
        </Field>
      </div>
      <Field name="monthly_grant" label={t("employerOffers.fieldGrant")} required error={err("monthly_grant")}>
        {(p) => <input {...p} inputMode="decimal" value={grant} onChange={(e) => setGrant(e.target.value)} />}
      </Field>
      <div className="field">
        <span className="label" id="offer-languages-label">
          {t("employerOffers.fieldLanguages")}
        </span>
        <p className="field-hint" id="offer-languages-hint">
          {t("employerOffers.fieldLanguagesHint")}
        </p>
        <LanguageLevels value={languages} onChange={setLanguages} idPrefix="offer" labelledBy="offer-languages-label" describedBy="offer-languages-hint" />
        {err("languages") && <p className="field-error">{err("languages")}</p>}
      </div>
      <label className="choice">
        <input type="checkbox" checked={course} onChange={(e) => setCourse(e.target.checked)} />
        {t("employerOffers.fieldLanguageCourse")}
      </label>
      <label className="choice">
        <input type="checkbox" checked={housing} onChange={(e) => setHousing(e.target.checked)} />
        {t("employerOffers.fieldHousing")}
      </label>
      <div className="form-actions">
        <button type="submit" className="button" disabled={action.pending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
