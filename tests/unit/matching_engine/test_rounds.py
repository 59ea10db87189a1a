"""The deferred acceptance in rounds (rounds.py) against the one-proposal-at-a-time reference (stable.py).

run() uses the rounds only on large inputs, so they are called here directly: on hypothesis instances (ties,
unranked candidates, duplicate offers, seatless offers, balances, seeds, hosting and sending quotas, rank
mappings in the applicants' order or not), on larger seeded instances, and through run() above the size
thresholds.
"""

from __future__ import annotations

import random
from dataclasses import replace
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.matching_engine import Applicant, MatchingInput, Offer, RegionState, run
from backend.matching_engine.engine import ROUNDS_FROM_ENTRIES, ROUNDS_FROM_ENTRIES_CAPPED, stable_assignment
from backend.matching_engine.prepare import UNRANKED, Ints, prepare
from backend.matching_engine.rounds import deferred_acceptance_rounds
from backend.matching_engine.stable import deferred_acceptance
from tests.unit.matching_engine.support import instances


def as_lists(result: tuple[Ints, Ints, int] | None) -> tuple[list[int], list[int], int] | None:
    return None if result is None else (result[0].tolist(), result[1].tolist(), result[2])


def in_list_order(data: MatchingInput) -> MatchingInput:
    """The same instance with each applicant's ranks listed in the order of their list, then the others."""

    def ordered(a: Applicant) -> Applicant:
        listed = {o: a.host_ranks[o] for o in a.preferences if o in a.host_ranks}
        return replace(a, host_ranks={**listed, **a.host_ranks})

    return replace(data, applicants=[ordered(a) for a in data.applicants])


@settings(max_examples=300, deadline=None)
@given(instances(max_applicants=8, max_offers=5, ties=True), st.booleans(), st.booleans())
def test_rounds_give_the_reference_result(data: MatchingInput, seeded: bool, aligned: bool) -> None:
    if seeded:
        data = replace(data, tie_break_seed="round")
    if aligned:
        data = in_list_order(data)
    p = prepare(data)
    assert as_lists(deferred_acceptance_rounds(p)) == deferred_acceptance(p)


@settings(max_examples=600, deadline=None)
@given(
    instances(max_applicants=8, max_offers=5, ties=True, hosting_caps=True, sending_caps=True, host_ranks_all=True),
    st.booleans(),
    st.booleans(),
)
def test_rounds_give_the_reference_result_with_quotas(data: MatchingInput, seeded: bool, aligned: bool) -> None:
    if seeded:
        data = replace(data, tie_break_seed="round")
    if aligned:
        data = in_list_order(data)
    p = prepare(data)
    assert p.aligned or not aligned  # every host ranks exactly its candidates: in list order, the read is aligned
    assert as_lists(deferred_acceptance_rounds(p)) == deferred_acceptance(p)


@settings(max_examples=300, deadline=None)
@given(instances(max_applicants=8, max_offers=5, ties=True, hosting_caps=True, sending_caps=True))
def test_rounds_give_the_reference_result_with_quotas_and_partial_rankings(data: MatchingInput) -> None:
    p = prepare(data)
    assert as_lists(deferred_acceptance_rounds(p)) == deferred_acceptance(p)


@settings(max_examples=300, deadline=None)
@given(
    instances(max_applicants=7, max_offers=4, ties=True, hosting_caps=True, sending_caps=True),
    st.randoms(use_true_random=False),
)
def test_rounds_give_the_reference_result_with_offers_listed_twice(data: MatchingInput, rng: random.Random) -> None:
    def repeat_some(a: Applicant) -> Applicant:
        extra = tuple(o for o in a.preferences if rng.random() < 0.5)
        return replace(a, preferences=a.preferences + extra)

    p = prepare(replace(data, applicants=[repeat_some(a) for a in data.applicants]))
    assert as_lists(deferred_acceptance_rounds(p)) == deferred_acceptance(p)


def test_an_offer_listed_twice_counts_at_its_first_place() -> None:
    regions = {"R": RegionState()}
    offers = [Offer("o1", "R", 1), Offer("o2", "R", 1)]
    applicants = [
        Applicant("a", "R", ("o1", "o1", "o2"), {"o1": 1, "o2": 1}),
        Applicant("b", "R", ("o1",), {"o1": 0}),
    ]
    p = prepare(MatchingInput(offers, applicants, regions))
    assert as_lists(deferred_acceptance_rounds(p)) == deferred_acceptance(p) == ([1, 0], [2, 0], 4)


def test_keys_beyond_63_bits_are_left_to_the_reference() -> None:
    regions = {"R": RegionState()}
    applicants = [Applicant("a", "R", ("o",), {"o": 1 << 70})]
    p = prepare(MatchingInput([Offer("o", "R", 1)], applicants, regions))
    assert deferred_acceptance_rounds(p) is None
    assert as_lists(stable_assignment(p)) == ([0], [0], 1)


def test_ranks_that_are_not_ints_are_not_truncated() -> None:
    # Read in bulk as 64-bit ints, 0.5 would silently become 0 and tie with b's rank.
    regions = {"R": RegionState()}
    applicants = [Applicant("a", "R", ("o",), {"o": 0.5}), Applicant("b", "R", ("o",), {"o": 0})]  # type: ignore[dict-item]
    p = prepare(MatchingInput([Offer("o", "R", 1)], applicants, regions))
    assert p.aligned
    assert p.entry_rank is None
    assert deferred_acceptance_rounds(p) is None
    with pytest.raises(TypeError):
        stable_assignment(p)
    not_aligned = [replace(applicants[0], host_ranks={"q": 0, "o": 0.5}), applicants[1]]
    p = prepare(MatchingInput([Offer("o", "R", 1), Offer("q", "R", 1)], not_aligned, regions))
    assert not p.aligned
    assert deferred_acceptance_rounds(p) is None


def test_rank_mappings_other_than_dicts_are_read_when_aligned_and_else_left_to_the_reference() -> None:
    regions = {"R": RegionState()}
    offers = [Offer("o", "R", 1), Offer("q", "R", 1)]
    aligned = [Applicant("a", "R", ("o",), MappingProxyType({"o": 1}))]
    p = prepare(MatchingInput(offers, aligned, regions))
    assert p.aligned
    assert as_lists(deferred_acceptance_rounds(p)) == deferred_acceptance(p) == ([0], [0], 1)
    # A rank for an offer the applicant did not list: the mapping is looked up pair by pair.
    other = [Applicant("a", "R", ("o",), MappingProxyType({"o": 1, "q": 0}))]
    p = prepare(MatchingInput(offers, other, regions))
    assert not p.aligned
    assert deferred_acceptance_rounds(p) is None
    assert as_lists(stable_assignment(p)) == ([0], [0], 1)


def test_a_rank_equal_to_the_sentinel_is_left_to_the_reference() -> None:
    regions = {"R": RegionState()}
    applicants = [
        Applicant("a", "R", ("o", "q"), {"q": 0, "o": UNRANKED}),  # not aligned: looked up pair by pair
        Applicant("b", "R", ("o",), {"o": 5}),
    ]
    p = prepare(MatchingInput([Offer("o", "R", 1), Offer("q", "R", 1)], applicants, regions))
    assert deferred_acceptance_rounds(p) is None
    assert as_lists(stable_assignment(p)) == ([0, -1], [0, -1], 2)


def _large(n: int, seed: int, *, caps: bool = False) -> MatchingInput:
    rng = random.Random(seed)
    regions = [f"R{i:02}" for i in range(12)]
    offers = [Offer(f"o{i:05}", rng.choice(regions), rng.randint(0, 3)) for i in range(n // 3)]
    ids = [o.id for o in offers]
    applicants = []
    for i in range(n):
        prefs = tuple(rng.sample(ids, rng.randint(1, 12)))
        ranks = {o: rng.randint(-5, 40) for o in prefs if rng.random() < 0.9}  # ties, unranked pairs
        sending_rank = rng.choice([None, rng.randint(0, 50)])
        applicants.append(Applicant(f"a{i:06}", rng.choice(regions), prefs, ranks, sending_rank))
    seats = {r: sum(o.seats for o in offers if o.region == r) for r in regions}
    residents = {r: sum(a.home_region == r for a in applicants) for r in regions}
    states = {
        r: RegionState(
            hosting_remaining=int(seats[r] * rng.uniform(0.4, 1.1)) if caps else None,
            sending_remaining=int(residents[r] * rng.uniform(0.2, 1.1)) if caps else None,
            balance=rng.randint(-20, 20),
        )
        for r in regions
    }
    return MatchingInput(offers, applicants, states, tie_break_seed=str(seed))


def test_rounds_give_the_reference_result_on_larger_instances() -> None:
    for n, seed, caps in ((500, 1, False), (3000, 2, False), (20_000, 3, False), (3000, 5, True), (20_000, 6, True)):
        data = _large(n, seed, caps=caps)
        for variant in (data, in_list_order(data)):
            p = prepare(variant)
            assert as_lists(deferred_acceptance_rounds(p)) == deferred_acceptance(p)


def test_run_uses_the_rounds_above_the_thresholds_with_the_same_result() -> None:
    for data, threshold in (
        (_large(3000, 4), ROUNDS_FROM_ENTRIES),
        (_large(15_000, 7, caps=True), ROUNDS_FROM_ENTRIES_CAPPED),
    ):
        p = prepare(data)
        assert len(p.entry_offer) >= threshold
        reference = deferred_acceptance(p)
        result = run(data)
        assert result.diagnostics.proposals == reference[2]
        assert dict(result.assignment) == {
            p.applicant_ids[a]: p.offer_ids[o] for a, o in enumerate(reference[0]) if o >= 0
        }
