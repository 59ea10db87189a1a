"""The engine's entry points: one policy, or both side by side."""

from __future__ import annotations

from time import perf_counter

import numpy as np

from backend.matching_engine.balanced import balanced_assignment
from backend.matching_engine.checks import blocking_pairs_indexed
from backend.matching_engine.diagnostics import build_result, positions
from backend.matching_engine.model import Comparison, MatchingInput, MatchingResult, Policy
from backend.matching_engine.prepare import Ints, Prepared, prepare
from backend.matching_engine.rounds import deferred_acceptance_rounds
from backend.matching_engine.stable import deferred_acceptance

# The deferred acceptance in rounds on arrays (rounds.py) pays a fixed cost per round, the loop (stable.py)
# a cost per proposal: from this many list entries on the rounds are faster (measured on the bench's
# instances: without caps from about 1,000 applicants, 6,500 entries; with binding caps, whose rounds are
# more and each dearer, from about 12,000 applicants, 80,000 entries).
ROUNDS_FROM_ENTRIES = 5_000
ROUNDS_FROM_ENTRIES_CAPPED = 80_000


def stable_assignment(p: Prepared) -> tuple[Ints, Ints, int]:
    """The stable policy's assignment (each applicant's offer index or -1, the position of that offer in
    their list or -1, the proposals made): the same result by either implementation, the faster one chosen."""
    capped = any(p.host_capped) or any(p.send_capped)
    if len(p.entry_offer) >= (ROUNDS_FROM_ENTRIES_CAPPED if capped else ROUNDS_FROM_ENTRIES):
        result = deferred_acceptance_rounds(p)
        if result is not None:
            return result
    match, position, proposals = deferred_acceptance(p)
    return np.asarray(match, np.int64), np.asarray(position, np.int64), proposals


def _stable(p: Prepared, started: float) -> tuple[MatchingResult, Ints]:
    match, position, proposals = stable_assignment(p)
    result = build_result(p, match, position, policy="stable", proposals=proposals, elapsed=perf_counter() - started)
    return result, match


def _balanced(p: Prepared, tolerance: int, stable_match: Ints, started: float) -> MatchingResult:
    match = balanced_assignment(p, tolerance)
    return build_result(
        p,
        np.asarray(match, np.int64),
        np.asarray(positions(p, match), np.int64),
        policy="balanced",
        proposals=0,
        elapsed=perf_counter() - started,
        tolerance=tolerance,
        blocking_pairs=len(blocking_pairs_indexed(p, match)),
        stable_blocking_pairs=len(blocking_pairs_indexed(p, stable_match.tolist())),
        stable_placed=int((stable_match >= 0).sum()),
    )


def run(data: MatchingInput, policy: Policy = "stable", tolerance: int = 0) -> MatchingResult:
    """Compute one round's assignment under one policy (`tolerance` is used by "balanced" only).

    The balanced policy also runs the stable one, to report its blocking pairs against it; its elapsed
    time covers both.
    """
    if policy not in ("stable", "balanced"):
        raise ValueError(f"unknown policy {policy!r}")
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 or more, got {tolerance}")
    started = perf_counter()
    p = prepare(data)
    if policy == "stable":
        return _stable(p, started)[0]
    stable_match = stable_assignment(p)[0]
    return _balanced(p, tolerance, stable_match, started)


def compare(data: MatchingInput, tolerance: int = 0) -> Comparison:
    """Both policies on the same input, for coordinators to weigh stability against balance. Each result's
    elapsed time is its own (the input is prepared once, counted with the stable one)."""
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 or more, got {tolerance}")
    started = perf_counter()
    p = prepare(data)
    stable, stable_match = _stable(p, started)
    balanced = _balanced(p, tolerance, stable_match, perf_counter())
    return Comparison(stable=stable, balanced=balanced)
