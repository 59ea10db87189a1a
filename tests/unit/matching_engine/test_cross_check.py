"""The stable policy against the PyPI package `matching` (HospitalResident, resident-optimal), no caps."""

from __future__ import annotations

import warnings

from hypothesis import given, settings
from matching.games import HospitalResident

from backend.matching_engine import MatchingInput, run
from tests.unit.matching_engine.support import instances, offer_ranks


def peer_assignment(data: MatchingInput) -> dict[str, str]:
    residents = {a.id: list(a.preferences) for a in data.applicants if a.preferences}
    hospitals = {o: sorted(r, key=r.__getitem__) for o, r in offer_ranks(data).items() if r}
    capacities = {o.id: o.seats for o in data.offers if o.id in hospitals}
    if not residents or not hospitals:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns about players nobody ranked; they are left unmatched
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        matching = game.solve(optimal="resident")
    return {r.name: h.name for h, rs in matching.items() for r in rs}


@settings(max_examples=150, deadline=None)
@given(instances(max_applicants=8, max_offers=5, min_seats=1, host_ranks_all=True))
def test_identical_to_the_peer_on_random_instances_without_caps(data: MatchingInput) -> None:
    assert dict(run(data).assignment) == peer_assignment(data)
