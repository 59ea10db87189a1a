"""Per-region figures and the result value built from an assignment (offer index per applicant, -1 if none)."""

from __future__ import annotations

import numpy as np

from backend.matching_engine.model import (
    Diagnostics,
    MatchingResult,
    Policy,
    RegionDiagnostics,
)
from backend.matching_engine.prepare import Ints, Prepared


def positions(p: Prepared, match: list[int]) -> list[int]:
    """The position (0 = first choice) of each applicant's offer in their own list, -1 if unassigned."""
    offer_ids = p.offer_ids
    return [p.prefs[a].index(offer_ids[o]) if o >= 0 else -1 for a, o in enumerate(match)]


def build_result(
    p: Prepared,
    match: Ints,
    position: Ints,
    *,
    policy: Policy,
    proposals: int,
    elapsed: float,
    tolerance: int | None = None,
    blocking_pairs: int | None = None,
    stable_blocking_pairs: int | None = None,
    stable_placed: int | None = None,
) -> MatchingResult:
    n_regions = len(p.region_ids)
    # Ids picked by array indexing (object arrays), the applicants in id order: both lists come out sorted.
    placed = match >= 0
    offers = match[placed]
    ids_in = np.array(p.ids_by_input, dtype=object)
    offer_ids = np.array(p.offer_ids, dtype=object)
    assignment = dict(zip(ids_in[p.permutation[placed]].tolist(), offer_ids[offers].tolist(), strict=True))
    unassigned = ids_in[p.permutation[~placed]].tolist()
    offer_region = np.asarray(p.offer_region, np.int64)
    hosted = np.bincount(offer_region[offers], minlength=n_regions).tolist()
    sent = np.bincount(p.home_array[placed], minlength=n_regions).tolist()
    offered = np.bincount(offer_region, weights=p.seats, minlength=n_regions).astype(np.int64).tolist()
    regions = tuple(
        RegionDiagnostics(
            region=p.region_ids[r],
            seats_offered=offered[r],
            seats_used=hosted[r],
            hosting_remaining=p.hosting[r],
            hosting_quota_used=hosted[r],
            sending_remaining=p.sending[r],
            sending_quota_used=sent[r],
            balance_before=p.balance[r],
            balance_after=p.balance[r] + hosted[r] - sent[r],
        )
        for r in range(n_regions)
    )
    diagnostics = Diagnostics(
        policy=policy,
        regions=regions,
        placed=len(assignment),
        unplaced=len(unassigned),
        proposals=proposals,
        preference_cost=int(position.sum()) + len(unassigned),  # the unassigned count -1 each in `position`
        total_abs_balance_before=sum(abs(r.balance_before) for r in regions),
        total_abs_balance_after=sum(abs(r.balance_after) for r in regions),
        elapsed_seconds=elapsed,
        tolerance=tolerance,
        blocking_pairs=blocking_pairs,
        stable_blocking_pairs=stable_blocking_pairs,
        stable_placed=stable_placed,
    )
    return MatchingResult(assignment=assignment, unassigned=tuple(unassigned), diagnostics=diagnostics)
