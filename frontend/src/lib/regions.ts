import { api, call, type Region } from "../api/client";
import { useAsync } from "./useAsync";

let cache: Promise<Region[]> | null = null;

/** Every member region (public, rarely changes): fetched once per page load. */
export function loadRegions(): Promise<Region[]> {
  cache ??= call(api.GET("/api/regions")).catch((e: unknown) => {
    cache = null;
    throw e;
  });
  return cache;
}

export function useRegions() {
  return useAsync(loadRegions, []);
}

export function regionLabel(region: Region | undefined, fallback = ""): string {
  return region ? `${region.name} (${region.code})` : fallback;
}

export function byName(a: Region, b: Region): number {
  return a.name.localeCompare(b.name);
}
