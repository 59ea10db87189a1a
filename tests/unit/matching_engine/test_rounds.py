"""The deferred acceptance in rounds (rounds.py) against the one-proposal-at-a-time reference (stable.py).

run() uses the rounds only on large inputs without binding caps, so they are called here directly: on
hypothesis instances (ties, unranked candidates, duplicate offers, seatless offers, balances, seeds), on
larger seeded instances, and through run() above the size threshold.
"""

from __future__ import annotations

import random
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.matching_engine import Applicant, MatchingInput, Offer, RegionState, run
from backend.matching_engine.engine import ROUNDS_FROM_PAIRS, stable_assignment
from backend.matching_engine.prepare import UNRANKED, prepare
from backend.matching_engine.rounds import deferred_acceptance_rounds
from backend.matching_engine.stable import deferred_acceptance
from tests.unit.matching_engine.support import instances


@settings(max_examples=300, deadline=None)
@given(instances(max_applicants=8, max_offers=5, ties=True), st.booleans())
def test_rounds_give_the_reference_result(data: MatchingInput, seeded: bool) -> None:
    if seeded:
        data = MatchingInput(data.offers, data.applicants, data.regions, tie_break_seed="round")
    p = prepare(data)
    assert deferred_acceptance_rounds(p) == deferred_acceptance(p)


def test_an_offer_listed_twice_counts_at_its_first_place() -> None:
    regions = {"R": RegionState()}
    offers = [Offer("o1", "R", 1), Offer("o2", "R", 1)]
    applicants = [
        Applicant("a", "R", ("o1", "o1", "o2"), {"o1": 1, "o2": 1}),
        Applicant("b", "R", ("o1",), {"o1": 0}),
    ]
    p = prepare(MatchingInput(offers, applicants, regions))
    assert deferred_acceptance_rounds(p) == deferred_acceptance(p) == ([1, 0], [2, 0], 4)


def test_keys_beyond_63_bits_are_left_to_the_reference() -> None:
    regions = {"R": RegionState()}
    applicants = [Applicant("a", "R", ("o",), {"o": 1 << 70})]
    p = prepare(MatchingInput([Offer("o", "R", 1)], applicants, regions))
    assert deferred_acceptance_rounds(p) is None
    assert stable_assignment(p) == ([0], [0], 1)


def test_rank_mappings_other_than_dicts_are_read_when_aligned_and_else_left_to_the_reference() -> None:
    regions = {"R": RegionState()}
    offers = [Offer("o", "R", 1), Offer("q", "R", 1)]
    aligned = [Applicant("a", "R", ("o",), MappingProxyType({"o": 1}))]
    p = prepare(MatchingInput(offers, aligned, regions))
    assert p.aligned
    assert deferred_acceptance_rounds(p) == deferred_acceptance(p) == ([0], [0], 1)
    # A rank for an offer the applicant did not list: the mapping is looked up pair by pair.
    other = [Applicant("a", "R", ("o",), MappingProxyType({"o": 1, "q": 0}))]
    p = prepare(MatchingInput(offers, other, regions))
    assert not p.aligned
    assert deferred_acceptance_rounds(p) is None
    assert stable_assignment(p) == ([0], [0], 1)


def test_a_rank_equal_to_the_sentinel_is_left_to_the_reference() -> None:
    regions = {"R": RegionState()}
    applicants = [
        Applicant("a", "R", ("o", "q"), {"q": 0, "o": UNRANKED}),  # not aligned: looked up pair by pair
        Applicant("b", "R", ("o",), {"o": 5}),
    ]
    p = prepare(MatchingInput([Offer("o", "R", 1), Offer("q", "R", 1)], applicants, regions))
    assert deferred_acceptance_rounds(p) is None
    assert stable_assignment(p) == ([0, -1], [0, -1], 2)


def _large(n: int, seed: int) -> MatchingInput:
    rng = random.Random(seed)
    regions = [f"R{i:02}" for i in range(12)]
    offers = [Offer(f"o{i:05}", rng.choice(regions), rng.randint(0, 3)) for i in range(n // 3)]
    ids = [o.id for o in offers]
    applicants = []
    for i in range(n):
        prefs = tuple(rng.sample(ids, rng.randint(1, 12)))
        ranks = {o: rng.randint(-5, 40) for o in prefs if rng.random() < 0.9}  # ties, unranked pairs
        applicants.append(Applicant(f"a{i:06}", rng.choice(regions), prefs, ranks))
    states = {r: RegionState(balance=rng.randint(-20, 20)) for r in regions}
    return MatchingInput(offers, applicants, states, tie_break_seed=str(seed))


def test_rounds_give_the_reference_result_on_larger_instances() -> None:
    for n, seed in ((500, 1), (3000, 2), (20_000, 3)):
        p = prepare(_large(n, seed))
        assert deferred_acceptance_rounds(p) == deferred_acceptance(p)


def test_run_uses_the_rounds_above_the_threshold_with_the_same_result() -> None:
    data = _large(20_000, 4)
    p = prepare(data)
    assert sum(map(len, p.prefs)) >= ROUNDS_FROM_PAIRS
    reference = deferred_acceptance(p)
    result = run(data)
    assert result.diagnostics.proposals == reference[2]
    assert dict(result.assignment) == {p.applicant_ids[a]: p.offer_ids[o] for a, o in enumerate(reference[0]) if o >= 0}
