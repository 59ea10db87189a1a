"""The matching engine of a round: a pure library (no web, database or I/O), deterministic.

Two policies over the same input:
- "stable" (default): applicant-proposing deferred acceptance with seats, hosting quotas (Kamada and
  Kojima's flexible deferred acceptance) and sending quotas, using the room the rules leave for exchange
  balance (stable.py documents each choice and the property it keeps);
- "balanced": the most placements, then the best for applicants, keeping every region's balance within a
  tolerance, as an exact min-cost circulation (balanced.py).

    data = MatchingInput(
        offers=[Offer("offer-1", "azores", seats=2)],
        applicants=[Applicant("app-1", "lapland", preferences=("offer-1",), host_ranks={"offer-1": 0})],
        regions={"azores": RegionState(hosting_remaining=5, balance=2), "lapland": RegionState()},
    )
    result = run(data)                     # policy="stable"
    both = compare(data, tolerance=2)      # both.stable, both.balanced

Same input, same output (whatever the order of its sequences and mappings), except the elapsed time.
"""

from backend.matching_engine.checks import blocking_pairs, flexible_blocking_pairs, violations
from backend.matching_engine.engine import compare, run
from backend.matching_engine.model import (
    Applicant,
    Comparison,
    Diagnostics,
    MatchingInput,
    MatchingResult,
    Offer,
    Policy,
    RegionDiagnostics,
    RegionState,
)

__all__ = [
    "Applicant",
    "Comparison",
    "Diagnostics",
    "MatchingInput",
    "MatchingResult",
    "Offer",
    "Policy",
    "RegionDiagnostics",
    "RegionState",
    "blocking_pairs",
    "compare",
    "flexible_blocking_pairs",
    "run",
    "violations",
]
