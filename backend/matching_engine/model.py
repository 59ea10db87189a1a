"""The engine's input and output values: plain frozen dataclasses, ids are opaque strings.

Host rankings are rank numbers carried by each applicant (Applicant.host_ranks): lower is better, equal
numbers at one offer are a tie, and an offer whose host did not rank an applicant will not take them. They
sit with the applicant, not with the offer, because the deferred acceptance reads them applicant by
applicant: at 100,000 applicants this halves its time (one small hot mapping instead of a lookup in a
different offer's mapping for every proposal). A region's quota of None means "no cap".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Policy = Literal["stable", "balanced"]


@dataclass(frozen=True, slots=True)
class Offer:
    id: str
    region: str
    seats: int


@dataclass(frozen=True, slots=True)
class Applicant:
    """An applicant, the offers they rank (most wanted first), and how the hosts ranked them.

    Every offer in `preferences` must be in the round; one listed twice counts at its first place.

    `host_ranks[offer_id]` is the rank the offer's host gave this applicant among its candidates (an int,
    lower is better, of size below 2**200; the same number for two applicants of one offer is a tie); an
    offer missing here does not accept them. A rank for an offer they did not list never places them there;
    it still counts as part of the host's ranking in a capped region's seat order (stable.py, choice 2), which
    must not depend on applicants' lists: otherwise an applicant could gain by leaving an offer out.
    A mapping that holds exactly the listed offers, in the order of `preferences` (one row per application,
    as the platform reads them), is read in bulk without a lookup per pair; any other is looked up pair by
    pair, with the same result.
    `sending_rank` is the home region's priority among its own residents (lower is better), used only when
    the region's sending quota cannot send everyone; residents without one come after ranked residents.
    """

    id: str
    home_region: str
    preferences: tuple[str, ...]
    host_ranks: Mapping[str, int]
    sending_rank: int | None = None


@dataclass(frozen=True, slots=True)
class RegionState:
    hosting_remaining: int | None = None
    sending_remaining: int | None = None
    balance: int = 0


@dataclass(frozen=True, slots=True)
class MatchingInput:
    """One round's data.

    `regions` must name every region used by an offer or an applicant. `tie_break_seed`: when None,
    candidates tied in a host ranking (and residents without a sending rank) are ordered by applicant id;
    with a seed, by a lottery drawn from the seed (SHAKE-256), which the seed makes reproducible.
    """

    offers: Sequence[Offer]
    applicants: Sequence[Applicant]
    regions: Mapping[str, RegionState]
    tie_break_seed: str | None = None


@dataclass(frozen=True, slots=True)
class RegionDiagnostics:
    region: str
    seats_offered: int
    seats_used: int
    hosting_remaining: int | None
    hosting_quota_used: int
    sending_remaining: int | None
    sending_quota_used: int
    balance_before: int
    balance_after: int


@dataclass(frozen=True, slots=True)
class Diagnostics:
    """What a coordinator reviews next to the assignment.

    Everything here is deterministic except `elapsed_seconds`. `proposals` is the number of proposals the
    deferred acceptance made, counting those to offers that did not rank the applicant (0 for the balanced
    policy, which does not propose). `blocking_pairs` counts the
    pairs (applicant, offer) that would both rather be together and could be without breaking a seat or a
    cap (see checks.blocking_pairs); `stable_blocking_pairs` is the same count for the stable result of the
    same input, filled in for the balanced policy so the two can be compared.
    """

    policy: Policy
    regions: tuple[RegionDiagnostics, ...]
    placed: int
    unplaced: int
    proposals: int
    preference_cost: int
    total_abs_balance_before: int
    total_abs_balance_after: int
    elapsed_seconds: float
    tolerance: int | None = None
    blocking_pairs: int | None = None
    stable_blocking_pairs: int | None = None
    stable_placed: int | None = None


@dataclass(frozen=True, slots=True)
class MatchingResult:
    """`assignment` maps applicant id to offer id; `unassigned` lists the others, sorted.

    Two results are equal when their assignments and unassigned lists are: diagnostics, which carry a
    timing, are left out of equality.
    """

    assignment: Mapping[str, str]
    unassigned: tuple[str, ...]
    diagnostics: Diagnostics = field(compare=False)


@dataclass(frozen=True, slots=True)
class Comparison:
    stable: MatchingResult
    balanced: MatchingResult
