"""No applicant gains by misreporting: every alternative list of one applicant, on small instances.

Deferred acceptance is strategy-proof for applicants without caps and with hosting quotas (Kamada and
Kojima); with binding sending quotas no theorem covers the engine's rule, so these exhaustive checks are the
evidence (see stable.py, choice 3).
"""

from __future__ import annotations

from hypothesis import given, settings

from backend.matching_engine import Applicant, MatchingInput, Offer, RegionState, run
from tests.unit.matching_engine.support import all_lists, instances, true_position, with_preferences


def assert_no_profitable_misreport(data: MatchingInput) -> None:
    truthful = run(data).assignment
    offer_ids = [o.id for o in data.offers]
    for applicant in data.applicants:
        truth = applicant.preferences
        got = true_position(truth, truthful.get(applicant.id))
        for alternative in all_lists(offer_ids):
            outcome = run(with_preferences(data, applicant.id, alternative)).assignment.get(applicant.id)
            assert true_position(truth, outcome) >= got, (applicant.id, alternative)


@settings(max_examples=60, deadline=None)
@given(instances(max_applicants=4, max_offers=3, ties=True))
def test_without_caps(data: MatchingInput) -> None:
    assert_no_profitable_misreport(data)


@settings(max_examples=60, deadline=None)
@given(instances(max_applicants=4, max_offers=3, ties=True, hosting_caps=True))
def test_with_hosting_quotas(data: MatchingInput) -> None:
    assert_no_profitable_misreport(data)


@settings(max_examples=60, deadline=None)
@given(instances(max_applicants=4, max_offers=3, ties=True, hosting_caps=True, sending_caps=True))
def test_with_hosting_and_sending_quotas(data: MatchingInput) -> None:
    assert_no_profitable_misreport(data)


def test_leaving_an_offer_out_does_not_reorder_a_capped_regions_seats() -> None:
    # Found when the seat order counted only candidates who had listed the offer: bea, from azores (balance +1),
    # dropped mill to lower mill's mean home balance, so azores' one hosting unit went to port, her first choice.
    # The seat order reads the host side's rankings only, so her list cannot move it.
    regions = {"alsace": RegionState(), "azores": RegionState(hosting_remaining=1, balance=1)}
    offers = [Offer("port", "azores", 1), Offer("farm", "alsace", 0), Offer("mill", "azores", 1)]
    applicants = [
        Applicant("kai", "alsace", ("port", "mill"), {"port": 0, "mill": 0}),
        Applicant("bea", "azores", ("port", "farm", "mill"), {"port": 0, "mill": 0}),
        Applicant("zoe", "alsace", (), {}),
    ]
    assert_no_profitable_misreport(MatchingInput(offers, applicants, regions))
