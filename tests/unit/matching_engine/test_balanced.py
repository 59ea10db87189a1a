"""The balanced policy: optimal (most placed, then best for applicants) among feasible balanced assignments."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.matching_engine import (
    Applicant,
    MatchingInput,
    Offer,
    RegionState,
    blocking_pairs,
    compare,
    run,
)
from tests.unit.matching_engine.support import feasible_assignments, instances, position


def within_tolerance(data: MatchingInput, assignment: dict[str, str], tolerance: int) -> bool:
    region_of = {o.id: o.region for o in data.offers}
    home = {a.id: a.home_region for a in data.applicants}
    hosted = Counter(region_of[o] for o in assignment.values())
    sent = Counter(home[a] for a in assignment)
    return all(abs(s.balance + hosted[r] - sent[r]) <= max(tolerance, abs(s.balance)) for r, s in data.regions.items())


def score(data: MatchingInput, assignment: dict[str, str]) -> tuple[int, int]:
    return (-len(assignment), sum(position(data, a, o) for a, o in assignment.items()))


@settings(max_examples=200, deadline=None)
@given(
    instances(hosting_caps=True, sending_caps=True, ties=True, max_applicants=5, max_offers=3),
    st.integers(0, 2),
)
def test_balanced_is_optimal_among_feasible_balanced_assignments(data: MatchingInput, tolerance: int) -> None:
    result = run(data, policy="balanced", tolerance=tolerance)
    best = min(score(data, m) for m in feasible_assignments(data) if within_tolerance(data, m, tolerance))
    assert score(data, dict(result.assignment)) == best
    d = result.diagnostics
    assert d.placed == -best[0]
    assert d.preference_cost == best[1]


@settings(max_examples=150, deadline=None)
@given(instances(hosting_caps=True, sending_caps=True, ties=True, max_applicants=8, max_offers=5), st.integers(0, 2))
def test_blocking_pairs_are_reported_for_both_results(data: MatchingInput, tolerance: int) -> None:
    both = compare(data, tolerance)
    d = both.balanced.diagnostics
    assert d.blocking_pairs == len(blocking_pairs(data, both.balanced.assignment))
    assert d.stable_blocking_pairs == len(blocking_pairs(data, both.stable.assignment))
    assert d.stable_placed == both.stable.diagnostics.placed


@settings(max_examples=150, deadline=None)
@given(instances(max_applicants=8, max_offers=5))
def test_with_room_enough_it_places_at_least_as_many_as_the_stable_policy(data: MatchingInput) -> None:
    loose = len(data.applicants) + 10
    both = compare(data, tolerance=loose)
    assert both.balanced.diagnostics.placed >= both.stable.diagnostics.placed


def test_the_trade_off_on_a_small_round() -> None:
    # The Azores host more than they send (+2), Lapland the reverse (-2), tolerance 2. The stable result
    # sends ana from Lapland to the Azores' port and kai to Lapland's farm: the Azores end at +3. The
    # balanced one sends zoe from the Azores to the farm instead, which the farm ranks below kai.
    data = MatchingInput(
        offers=[Offer("port", "azores", 1), Offer("farm", "lapland", 1)],
        applicants=[
            Applicant("ana", "lapland", ("port",), {"port": 0}),
            Applicant("zoe", "azores", ("farm",), {"farm": 1}),
            Applicant("kai", "alsace", ("farm",), {"farm": 0}),
        ],
        regions={
            "azores": RegionState(balance=2),
            "lapland": RegionState(balance=-2),
            "alsace": RegionState(balance=0),
        },
    )
    both = compare(data, tolerance=2)
    assert both.stable.assignment == {"ana": "port", "kai": "farm"}
    assert [r.balance_after for r in both.stable.diagnostics.regions] == [-1, 3, -2]
    assert both.balanced.assignment == {"ana": "port", "zoe": "farm"}
    assert [r.balance_after for r in both.balanced.diagnostics.regions] == [0, 2, -2]
    assert blocking_pairs(data, both.balanced.assignment) == [("kai", "farm")]
    assert both.balanced.diagnostics.blocking_pairs == 1
    assert both.balanced.diagnostics.stable_blocking_pairs == 0
