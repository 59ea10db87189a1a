/** <input type="datetime-local"> speaks local wall time; the API wants an instant with its offset. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string {
  return value ? new Date(value).toISOString() : "";
}

/** A date `days` from today as YYYY-MM-DD (for sensible defaults). */
export function dayFromNow(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** The programme year recruited for today: from September on, next year's (placements start from the
 * spring). The same rule as the server's `recruiting_year` (backend/domain/ledger/ledger.py). */
export function recruitingYear(today: Date = new Date()): number {
  return today.getMonth() >= 8 ? today.getFullYear() + 1 : today.getFullYear();
}
