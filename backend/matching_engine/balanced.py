"""The "balanced" policy: most placements, then best for applicants, within a balance tolerance.

The assignment respects every seat, hosting and sending quota and both sides' rankings (only pairs where
the applicant ranked the offer and the host ranked the applicant), and keeps every region's balance
within the round's tolerance: |balance after| <= max(tolerance, |balance before|). A region already out of
tolerance may stay where it is or come back, never move further out; so the empty assignment is always
feasible and the problem always has a solution. Among feasible assignments it maximises the number
placed, then minimises the sum of the positions of the applicants' offers in their own lists (0 = first
choice). Stability is not sought: the diagnostics count its blocking pairs next to the stable result's
(Dur and Unver, "Two-sided matching via balanced exchange", study this trade-off).

Formulation: an exact min-cost circulation (OR-Tools SimpleMinCostFlow), integral by network structure.
Each placement is a unit of flow  region(home) -> sending(home) -> applicant -> offer -> hosting(host) ->
region(host).  A region's node thus receives `hosted` and passes on `sent`; the difference is carried by
an arc to a hub node (capacity max(T, |B|) - B) and one back (capacity max(T, |B|) + B), which bounds the
balance after, B + hosted - sent, to [-max(T, |B|), max(T, |B|)]. Sending and hosting quotas cap the
region -> sending and hosting -> region arcs, seats the offer -> hosting arcs, and 1 each applicant.
An applicant -> offer arc costs (position - M) with M larger than any total of positions, so one more
placement always outweighs any preference cost. The solver is deterministic for a given arc order, and
arcs are added in sorted id order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow

from backend.matching_engine.prepare import Prepared


class SolverError(RuntimeError):
    """The flow solver did not report an optimal circulation (not expected: zero flow is feasible)."""


@dataclass(slots=True)
class _Network:
    tails: list[int] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    capacities: list[int] = field(default_factory=list)
    costs: list[int] = field(default_factory=list)

    def arc(self, tail: int, head: int, capacity: int, cost: int = 0) -> None:
        self.tails.append(tail)
        self.heads.append(head)
        self.capacities.append(capacity)
        self.costs.append(cost)


def _build(p: Prepared, tolerance: int) -> tuple[_Network, int, list[int], list[int]]:
    """The circulation network, the index of its first applicant -> offer arc, and those arcs' ends."""
    n = p.n
    n_regions = len(p.region_ids)
    longest = max((len(prefs) for prefs in p.prefs), default=0)
    total_seats = sum(p.seats)
    # More than any total of positions: at most min(n, seats) placements, each at most longest - 1.
    big_m = min(n, total_seats) * max(longest - 1, 0) + 1
    hub = 0
    applicant_base = 1 + 3 * n_regions
    offer_base = applicant_base + n
    net = _Network()
    for r in range(n_regions):
        region, sending, hosting = 1 + 3 * r, 2 + 3 * r, 3 + 3 * r
        send_cap = p.sending[r]
        host_cap = p.hosting[r]
        net.arc(region, sending, n if send_cap is None else min(send_cap, n))
        net.arc(hosting, region, total_seats if host_cap is None else min(host_cap, total_seats))
        before = p.balance[r]
        bound = max(tolerance, abs(before))
        net.arc(region, hub, bound - before)
        net.arc(hub, region, bound + before)
    for a in range(n):
        net.arc(2 + 3 * p.home[a], applicant_base + a, 1)
    for o, r in enumerate(p.offer_region):
        net.arc(offer_base + o, 3 + 3 * r, p.seats[o])
    first_pair = len(net.tails)
    pair_applicant: list[int] = []
    pair_offer: list[int] = []
    oindex = p.offer_index
    ranks = p.ranks
    seats = p.seats
    for a, ranked in enumerate(ranks):
        node = applicant_base + a
        for position, oid in enumerate(p.prefs[a]):
            o = oindex[oid]
            if seats[o] and oid in ranked:
                net.arc(node, offer_base + o, 1, position - big_m)
                pair_applicant.append(a)
                pair_offer.append(o)
    return net, first_pair, pair_applicant, pair_offer


def balanced_assignment(p: Prepared, tolerance: int) -> list[int]:
    """Return each applicant's offer index (-1 if unassigned)."""
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 or more, got {tolerance}")
    net, first_pair, pair_applicant, pair_offer = _build(p, tolerance)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.capacities, net.costs)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolverError(f"min cost flow status {status}")
    used = flow.flows(list(range(first_pair, len(net.tails)))).tolist()
    match = [-1] * p.n
    for a, o, f in zip(pair_applicant, pair_offer, used, strict=True):
        if f:
            match[a] = o
    return match
