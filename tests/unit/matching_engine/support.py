"""Random small instances (hypothesis) and brute-force references for the engine's tests."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Mapping

from hypothesis import strategies as st

from backend.matching_engine import Applicant, MatchingInput, Offer, RegionState

REGIONS = ("alsace", "azores", "bretagne", "lapland")
# Ids whose sorted order differs from their creation order, like UUIDs.
APPLICANT_IDS = ("kai", "bea", "zoe", "ana", "tom", "lea", "max", "eva")
OFFER_IDS = ("port", "farm", "mill", "dock", "yard")


@st.composite
def instances(
    draw: st.DrawFn,
    *,
    max_applicants: int = 6,
    max_offers: int = 4,
    hosting_caps: bool = False,
    sending_caps: bool = False,
    ties: bool = False,
    balances: bool = True,
    min_seats: int = 0,
    host_ranks_all: bool = False,
) -> MatchingInput:
    """A random instance. Without caps, quotas are None; `host_ranks_all` makes every host rank exactly the
    applicants who ranked its offer (as the peer package requires); otherwise hosts may leave some out."""
    regions = REGIONS[: draw(st.integers(2, len(REGIONS)))]
    n_offers = draw(st.integers(1, max_offers))
    offers = [
        Offer(OFFER_IDS[i], draw(st.sampled_from(regions)), draw(st.integers(min_seats, 3))) for i in range(n_offers)
    ]
    offer_ids = [o.id for o in offers]
    n_applicants = draw(st.integers(1, max_applicants))
    listed: list[tuple[str, str, tuple[str, ...]]] = []
    for i in range(n_applicants):
        order = draw(st.permutations(offer_ids))
        length = draw(st.integers(0, n_offers))
        listed.append((APPLICANT_IDS[i], draw(st.sampled_from(regions)), tuple(order[:length])))
    host_ranks: dict[str, dict[str, int]] = {}
    for oid in offer_ids:
        candidates = [aid for aid, _, prefs in listed if oid in prefs]
        if not host_ranks_all:
            candidates = [c for c in candidates if draw(st.integers(0, 5)) > 0]
            # Hosts may also rank someone who did not list the offer: it never places them there.
            outsiders = [aid for aid, _, _ in listed if aid not in candidates]
            add_outsider: bool = draw(st.booleans())
            if outsiders and add_outsider:
                candidates.append(draw(st.sampled_from(outsiders)))
        if ties:
            host_ranks[oid] = {c: draw(st.integers(0, 2)) for c in candidates}
        else:
            ranking = draw(st.permutations(candidates))
            host_ranks[oid] = {c: rank for rank, c in enumerate(ranking)}
    applicants = attach_host_ranks(listed, host_ranks)
    quota = st.one_of(st.none(), st.integers(0, 4))
    states = {
        r: RegionState(
            hosting_remaining=draw(quota) if hosting_caps else None,
            sending_remaining=draw(quota) if sending_caps else None,
            balance=draw(st.integers(-3, 3)) if balances else 0,
        )
        for r in regions
    }
    return MatchingInput(offers=offers, applicants=applicants, regions=states)


def attach_host_ranks(
    listed: list[tuple[str, str, tuple[str, ...]]], host_ranks: dict[str, dict[str, int]]
) -> list[Applicant]:
    """Applicants (id, home region, preferences) with the ranks each offer's host gave them."""
    return [
        Applicant(aid, home, prefs, {oid: r[aid] for oid, r in host_ranks.items() if aid in r})
        for aid, home, prefs in listed
    ]


def offer_ranks(data: MatchingInput) -> dict[str, dict[str, int]]:
    """Each offer's ranking of its candidates, from the ranks the applicants carry."""
    ranks: dict[str, dict[str, int]] = {o.id: {} for o in data.offers}
    for a in data.applicants:
        for oid, rank in a.host_ranks.items():
            ranks[oid][a.id] = rank
    return ranks


def acceptable(data: MatchingInput, applicant: Applicant) -> list[str]:
    return [o for o in applicant.preferences if o in applicant.host_ranks]


def feasible_assignments(data: MatchingInput, *, caps: bool = True) -> Iterator[dict[str, str]]:
    """Every assignment that respects seats and both sides' rankings (and, with `caps`, the quotas)."""
    seats = {o.id: o.seats for o in data.offers}
    region_of = {o.id: o.region for o in data.offers}
    options = [[None, *acceptable(data, a)] for a in data.applicants]
    for choice in itertools.product(*options):
        assignment = {a.id: o for a, o in zip(data.applicants, choice, strict=True) if o is not None}
        used = Counter(assignment.values())
        if any(used[o] > seats[o] for o in used):
            continue
        if caps:
            hosted = Counter(region_of[o] for o in assignment.values())
            sent = Counter(a.home_region for a in data.applicants if a.id in assignment)
            if any(
                (s.hosting_remaining is not None and hosted[r] > s.hosting_remaining)
                or (s.sending_remaining is not None and sent[r] > s.sending_remaining)
                for r, s in data.regions.items()
            ):
                continue
        yield assignment


def has_classic_blocking_pair(data: MatchingInput, assignment: Mapping[str, str]) -> bool:
    """Hospitals/residents stability, no caps: a pair blocks if the applicant prefers the offer and the offer
    has a free seat or holds someone it ranks strictly below the applicant."""
    seats = {o.id: o.seats for o in data.offers}
    holders: dict[str, list[str]] = {o.id: [] for o in data.offers}
    for a, o in assignment.items():
        holders[o].append(a)
    by_offer = offer_ranks(data)
    for applicant in data.applicants:
        current = assignment.get(applicant.id)
        for oid in applicant.preferences:
            if oid == current:
                break
            ranks = by_offer[oid]
            if applicant.id not in ranks:
                continue
            if len(holders[oid]) < seats[oid]:
                return True
            if any(ranks[applicant.id] < ranks[b] for b in holders[oid]):
                return True
    return False


def position(data: MatchingInput, applicant_id: str, offer_id: str | None) -> int:
    """The position of an offer in an applicant's list; unassigned counts as past the end."""
    prefs = next(a.preferences for a in data.applicants if a.id == applicant_id)
    return prefs.index(offer_id) if offer_id is not None else len(prefs)


def true_position(prefs: tuple[str, ...], offer_id: str | None) -> int:
    return prefs.index(offer_id) if offer_id in prefs else len(prefs)


def with_preferences(data: MatchingInput, applicant_id: str, prefs: tuple[str, ...]) -> MatchingInput:
    applicants = [
        Applicant(a.id, a.home_region, prefs, a.host_ranks, a.sending_rank) if a.id == applicant_id else a
        for a in data.applicants
    ]
    return MatchingInput(data.offers, applicants, data.regions, data.tie_break_seed)


def all_lists(offer_ids: list[str]) -> Iterator[tuple[str, ...]]:
    """Every ordered list of distinct offers, empty included."""
    for k in range(len(offer_ids) + 1):
        yield from itertools.permutations(offer_ids, k)
