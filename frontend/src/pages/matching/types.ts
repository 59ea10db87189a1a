/** The engine's diagnostics as the API stores them (the schema types them as a free-form object). */
export interface RegionDiagnostics {
  region: string;
  seats_offered: number;
  seats_used: number;
  hosting_remaining: number | null;
  hosting_quota_used: number;
  sending_remaining: number | null;
  sending_quota_used: number;
  balance_before: number;
  balance_after: number;
}

export interface Diagnostics {
  policy: string;
  regions: RegionDiagnostics[];
  placed: number;
  unplaced: number;
  proposals: number;
  preference_cost: number;
  total_abs_balance_before: number;
  total_abs_balance_after: number;
  blocking_pairs: number | null;
  tolerance?: number | null; // the balance-aware policy's (null for the stable one)
}

export interface PublishReport {
  proposed: number;
  dropped: { application_id: string; reason: string }[];
}

export function diagnosticsOf(raw: Record<string, unknown>, policy: string): Diagnostics | null {
  const value = raw[policy];
  return value && typeof value === "object" && "placed" in value ? (value as Diagnostics) : null;
}

export type RoundState = "draft" | "published" | "discarded";
export function isRoundState(value: string): value is RoundState {
  return value === "draft" || value === "published" || value === "discarded";
}
