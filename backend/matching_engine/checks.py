"""Checks of a result against its input: feasibility, blocking pairs. Used by the engine's diagnostics and
by the tests.

A blocking pair is an applicant and an offer the applicant ranks above their assignment (or any ranked
offer if unassigned) such that the offer ranks the applicant, and the move breaks no seat or cap: either
the offer has a free seat and its region has hosting quota left (or the applicant already holds an offer of
that region), or the offer holds someone it ranks strictly below the applicant. An unassigned resident of
a region that has used its sending quota forms no blocking pair: whom a region sends within its quota is
its own choice (its sending priority). With ties, "strictly" makes this the usual weak stability.

`flexible_blocking_pairs` is the stricter notion the stable policy guarantees under hosting quotas
(Kamada and Kojima): a pair blocks when the region's seat-by-seat choice rule (see stable.py, choice 2)
would accept the applicant at that offer. The stable policy's result has none; it can have ordinary
blocking pairs only of one kind: an applicant who would move to a free seat of a preferred offer in the
same capped region, a seat that comes later in the region's sequence than the one the applicant holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from backend.matching_engine.model import MatchingInput
from backend.matching_engine.prepare import Prepared, prepare


def violations(data: MatchingInput, assignment: Mapping[str, str], tolerance: int | None = None) -> list[str]:
    """Every seat, cap and ranking the assignment breaks (and, given a tolerance, every balance rule:
    |balance after| <= max(tolerance, |balance before|)); empty when it breaks none. Reads the raw input."""
    problems: list[str] = []
    offers = {o.id: o for o in data.offers}
    applicants = {a.id: a for a in data.applicants}
    per_offer: Counter[str] = Counter()
    hosted: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    for aid, oid in assignment.items():
        applicant = applicants.get(aid)
        offer = offers.get(oid)
        if applicant is None or offer is None:
            problems.append(f"unknown applicant or offer in {aid!r} -> {oid!r}")
            continue
        if oid not in applicant.preferences:
            problems.append(f"{aid!r} did not rank {oid!r}")
        if oid not in applicant.host_ranks:
            problems.append(f"{oid!r} did not rank {aid!r}")
        per_offer[oid] += 1
        hosted[offer.region] += 1
        sent[applicant.home_region] += 1
    for oid, used in per_offer.items():
        if used > offers[oid].seats:
            problems.append(f"{oid!r} holds {used} for {offers[oid].seats} seats")
    for region, state in data.regions.items():
        if state.hosting_remaining is not None and hosted[region] > state.hosting_remaining:
            problems.append(f"{region!r} hosts {hosted[region]} over quota {state.hosting_remaining}")
        if state.sending_remaining is not None and sent[region] > state.sending_remaining:
            problems.append(f"{region!r} sends {sent[region]} over quota {state.sending_remaining}")
        if tolerance is not None:
            after = state.balance + hosted[region] - sent[region]
            if abs(after) > max(tolerance, abs(state.balance)):
                problems.append(f"{region!r} balance {state.balance} -> {after} out of tolerance {tolerance}")
    return problems


def _as_match(p: Prepared, assignment: Mapping[str, str]) -> list[int]:
    return [p.offer_index[assignment[aid]] if aid in assignment else -1 for aid in p.applicant_ids]


def _occupancy(p: Prepared, match: list[int]) -> tuple[list[list[int]], list[int], list[int]]:
    holders: list[list[int]] = [[] for _ in p.offer_ids]
    hosted = [0] * len(p.region_ids)
    sent = [0] * len(p.region_ids)
    for a, o in enumerate(match):
        if o >= 0:
            holders[o].append(a)
            hosted[p.offer_region[o]] += 1
            sent[p.home[a]] += 1
    return holders, hosted, sent


def blocking_pairs_indexed(p: Prepared, match: list[int]) -> list[tuple[int, int]]:
    holders, hosted, sent = _occupancy(p, match)
    # Each offer's worst held rank (None when it holds nobody).
    offer_ids = p.offer_ids
    worst: list[int | None] = [
        max(p.ranks[b][offer_ids[o]] for b in held) if held else None for o, held in enumerate(holders)
    ]
    pairs: list[tuple[int, int]] = []
    for a, current in enumerate(match):
        hr = p.home[a]
        cap = p.sending[hr]
        if current < 0 and cap is not None and sent[hr] >= cap:
            continue
        current_id = offer_ids[current] if current >= 0 else None
        current_region = p.offer_region[current] if current >= 0 else -1
        ranked = p.ranks[a]
        for oid in p.prefs[a]:
            if oid == current_id:
                break
            rank = ranked.get(oid)
            if rank is None:
                continue
            o = p.offer_index[oid]
            r = p.offer_region[o]
            quota = p.hosting[r]
            free = len(holders[o]) < p.seats[o] and (quota is None or hosted[r] < quota or current_region == r)
            w = worst[o]
            if free or (w is not None and rank < w):
                pairs.append((a, o))
    return pairs


def blocking_pairs(data: MatchingInput, assignment: Mapping[str, str]) -> list[tuple[str, str]]:
    """The (applicant id, offer id) blocking pairs of an assignment, in the sense of the module docstring."""
    p = prepare(data)
    return [(p.applicant_ids[a], p.offer_ids[o]) for a, o in blocking_pairs_indexed(p, _as_match(p, assignment))]


def _last_allotted_seats(p: Prepared, holders: list[list[int]]) -> list[int]:
    """Per capped region, the sequence position of its last allotted seat (-1 if none)."""
    last = [-1] * len(p.region_ids)
    for r, ordered in enumerate(p.seat_order):
        width = max(1, len(ordered))
        for o in ordered:
            if holders[o]:
                last[r] = max(last[r], (len(holders[o]) - 1) * width + p.offer_order[o])
    return last


def flexible_blocking_pairs(data: MatchingInput, assignment: Mapping[str, str]) -> list[tuple[str, str]]:
    """The blocking pairs under the region's seat-by-seat choice rule and the engine's strict tie-break."""
    p = prepare(data)
    match = _as_match(p, assignment)
    holders, hosted, sent = _occupancy(p, match)
    n = p.n
    ids = p.applicant_ids

    def key(a: int, o: int) -> int:
        return p.ranks[a][p.offer_ids[o]] * n + int(p.tb_rank[a])

    worst = [max(key(b, o) for b in held) if held else None for o, held in enumerate(holders)]
    last_seat = _last_allotted_seats(p, holders)

    def region_accepts(a: int, o: int) -> bool:
        r = p.offer_region[o]
        held = len(holders[o])
        w = worst[o]
        if w is not None and key(a, o) < w:
            return True  # the offer keeps at least its seats and prefers a to someone it holds
        if held >= p.seats[o]:
            return False
        if not p.host_capped[r] or hosted[r] < (p.hosting[r] or 0):
            return True
        width = max(1, len(p.seat_order[r]))
        return held * width + p.offer_order[o] < last_seat[r]  # its next seat comes before the last allotted

    pairs: list[tuple[str, str]] = []
    for a, current in enumerate(match):
        cap = p.sending[p.home[a]]
        if current < 0 and cap is not None and sent[p.home[a]] >= cap:
            continue
        current_id = p.offer_ids[current] if current >= 0 else None
        for oid in p.prefs[a]:
            if oid == current_id:
                break
            o = p.offer_index[oid]
            if oid in p.ranks[a] and region_accepts(a, o):
                pairs.append((ids[a], oid))
    return pairs
