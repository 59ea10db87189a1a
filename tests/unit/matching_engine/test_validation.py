"""Malformed input is refused with a ValueError naming the problem."""

from __future__ import annotations

import pytest

from backend.matching_engine import Applicant, MatchingInput, Offer, RegionState, run

REGIONS = {"north": RegionState(), "south": RegionState()}


def make(
    offers: list[Offer] | None = None,
    applicants: list[Applicant] | None = None,
    regions: dict[str, RegionState] | None = None,
) -> MatchingInput:
    return MatchingInput(
        offers=offers if offers is not None else [Offer("o1", "north", 1)],
        applicants=applicants if applicants is not None else [Applicant("a1", "south", ("o1",), {"o1": 0})],
        regions=regions if regions is not None else REGIONS,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (make(offers=[Offer("o1", "north", 1), Offer("o1", "south", 1)]), "offer ids must be unique"),
        (make(applicants=[Applicant("a1", "south", (), {}), Applicant("a1", "north", (), {})]), "applicant ids"),
        (make(offers=[Offer("o1", "west", 1)]), "no RegionState"),
        (make(applicants=[Applicant("a1", "west", ("o1",), {})]), "no RegionState"),
        (make(applicants=[Applicant("a1", "south", ("o9",), {"o9": 0})]), "unknown offers"),
        (make(offers=[Offer("o1", "north", -1)]), "seats"),
        (make(regions={"north": RegionState(hosting_remaining=-1), "south": RegionState()}), "0 or more"),
        (make(regions={"north": RegionState(balance=1 << 40), "south": RegionState()}), "balance of 'north'"),
        (make(regions={"north": RegionState(), "south": RegionState(balance=-(1 << 40))}), "balance of 'south'"),
    ],
)
def test_malformed_input_is_refused(data: MatchingInput, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run(data)


def test_negative_tolerance_is_refused() -> None:
    with pytest.raises(ValueError, match="tolerance"):
        run(make(), policy="balanced", tolerance=-1)


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="policy"):
        run(make(), policy="fair")  # type: ignore[arg-type]


def test_empty_round() -> None:
    result = run(MatchingInput(offers=[], applicants=[], regions={}))
    assert result.assignment == {}
    assert result.unassigned == ()
    assert run(MatchingInput([], [], {}), policy="balanced").assignment == {}


def test_ranks_for_offers_not_listed_or_unknown_change_nothing() -> None:
    plain = make()
    noisy = make(applicants=[Applicant("a1", "south", ("o1",), {"o1": 0, "o9": 3})])
    assert run(noisy).assignment == run(plain).assignment == {"a1": "o1"}


def test_large_and_negative_rank_numbers_keep_their_order() -> None:
    data = MatchingInput(
        offers=[Offer("o1", "north", 1)],
        applicants=[
            Applicant("a1", "south", ("o1",), {"o1": 10**30}),
            Applicant("a2", "south", ("o1",), {"o1": -(10**30)}),
            Applicant("a3", "south", ("o1",), {"o1": 10**29}),
        ],
        regions=REGIONS,
    )
    assert run(data).assignment == {"a2": "o1"}
