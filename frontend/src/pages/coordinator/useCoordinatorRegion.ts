import { useSearchParams } from "react-router";
import { useAccount } from "../../auth/session";

/** The region a coordinator works on: ?region=... when they coordinate it, else their first region. */
export function useCoordinatorRegion(): [string, (id: string) => void] {
  const account = useAccount();
  const [params, setParams] = useSearchParams();
  const asked = params.get("region") ?? "";
  const regionId = account.region_ids.includes(asked) ? asked : (account.region_ids[0] ?? "");
  const set = (id: string) => {
    const next = new URLSearchParams(params);
    next.set("region", id);
    setParams(next, { replace: true });
  };
  return [regionId, set];
}
