"""Both policies respect every seat, quota and ranking; the balanced policy also its balance rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.matching_engine import MatchingInput, compare, run, violations
from tests.unit.matching_engine.support import instances

SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(instances(hosting_caps=True, sending_caps=True, ties=True, max_applicants=8, max_offers=5))
def test_stable_respects_seats_quotas_and_rankings(data: MatchingInput) -> None:
    result = run(data)
    assert violations(data, result.assignment) == []
    assert set(result.assignment) | set(result.unassigned) == {a.id for a in data.applicants}
    assert not set(result.assignment) & set(result.unassigned)


@SETTINGS
@given(
    instances(hosting_caps=True, sending_caps=True, ties=True, max_applicants=8, max_offers=5),
    st.integers(0, 3),
)
def test_balanced_respects_seats_quotas_rankings_and_tolerance(data: MatchingInput, tolerance: int) -> None:
    result = run(data, policy="balanced", tolerance=tolerance)
    assert violations(data, result.assignment, tolerance=tolerance) == []
    for region in result.diagnostics.regions:
        assert abs(region.balance_after) <= max(tolerance, abs(region.balance_before))


@settings(max_examples=150, deadline=None)
@given(instances(hosting_caps=True, sending_caps=True, ties=True), st.integers(0, 2))
def test_diagnostics_add_up(data: MatchingInput, tolerance: int) -> None:
    both = compare(data, tolerance)
    for result in (both.stable, both.balanced):
        d = result.diagnostics
        assert d.placed == len(result.assignment)
        assert d.unplaced == len(result.unassigned)
        hosted = sum(r.hosting_quota_used for r in d.regions)
        sent = sum(r.sending_quota_used for r in d.regions)
        assert hosted == sent == d.placed
        for r in d.regions:
            assert r.balance_after == r.balance_before + r.hosting_quota_used - r.sending_quota_used
            assert r.seats_used <= r.seats_offered
    assert both.balanced.diagnostics.stable_placed == both.stable.diagnostics.placed
