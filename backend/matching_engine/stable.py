"""The "stable" policy: applicant-proposing deferred acceptance with seats and regional caps.

Without caps this is the hospitals/residents algorithm: the result is the applicant-optimal stable
matching, and no applicant gains by misreporting. Seats and caps are handled as follows, and where the
rules leave room it is used for balance (balance = hosted - sent). Each choice and the property it keeps:

1. Ties in a host's ranking. Every offer breaks ties by one order fixed before the round: first the
   candidate whose home region's balance is the most positive (sending its resident brings that region
   toward zero; a region that sends more than it hosts keeps its residents), then a lottery (applicant id,
   or a draw from a seed, see MatchingInput.tie_break_seed). The hosting region's balance does not depend on
   whom it hosts, so this is the only balance lever in a tie. Kept: the result has no pair in which the
   host strictly prefers the applicant (weak stability, the standard notion with ties); the order uses no
   applicant's report, so strategy-proofness is kept; one order for all offers avoids the efficiency loss
   of breaking ties offer by offer.

2. Hosting quotas (Kamada and Kojima's flexible deferred acceptance). A region whose quota is below its
   seats hands its quota out seat by seat along a sequence fixed before the round: every offer's first
   seat, then every offer's second seat, and so on (target capacities of zero, all seats flexible, so no
   employer's second trainee comes before another's first). Within each pass, offers go in the order of
   the mean home balance of the candidates their host ranked (an offer that ranked nobody counts as 0), most
   positive first, then by offer id: the seats most likely to take residents of regions that send too few
   are handed out first (a cheap proxy: one pass over the rankings, with arrays). The sequence depends only
   on the host side's rankings and the balances, never on applicants' lists. Given the applicants who
   propose to the region's offers, the region allots the first `quota` seats of the sequence whose offer has
   a candidate for it, and each offer keeps its best candidates for its allotted seats. This choice rule is
   substitutable and never chooses fewer when more apply, so the result is stable in Kamada and Kojima's
   sense (no applicant and offer would both rather be together with the region's rule accepting it),
   applicant-optimal among such matchings, and strategy-proof for applicants (Hatfield and Milgrom 2005;
   Kamada and Kojima 2015). A region's quota stays unused only if no further acceptable candidate wants any
   of its seats.

3. Sending quotas. A cap over a region's residents cuts across the hosting regions, so it cannot be folded
   into the host side's choice. The rule: a region whose quota is below its number of candidates admits
   its residents to the round in its sending priority (Applicant.sending_rank, then the order of choice 1),
   keeping admitted-and-placed residents at most at its quota; when a placed resident loses his seat for
   good, the next resident in priority is admitted. Kept: every quota holds; the result is the deferred
   acceptance (with choices 1 and 2) among the admitted applicants, so no admitted applicant has a
   blocking pair; the admitted residents of a region are its best in sending priority; a region that leaves
   a resident out sends exactly its quota. Whether an applicant is admitted never depends on his own list
   (it is settled before he proposes), and admitting more applicants never helps those already in; the
   published results on strategy-proofness do not cover crossing caps like these, so it is checked, not
   proven: the exhaustive unit tests find no profitable misreport on random small instances with binding
   sending and hosting quotas.

For large inputs engine.stable_assignment runs rounds.py instead (every free applicant proposing at once,
on arrays), which ends in the same matching; this loop is its reference in the tests. The loop below is
deliberately flat: integer offer and applicant indices, each offer's held candidates in a heap of negated
keys (key = host rank * n + tie-break position, so the worst held is at the top and no tuple is built per
proposal), a flat list of each full offer's worst key (most proposals are refused without touching a
heap), pairs looked up only when proposed, in the proposer's own small mapping. Its work grows linearly
with the number of proposals (a heap of at most `seats` entries per offer; capped regions keep a lazily
cleaned heap of their last allotted seats).
"""

from __future__ import annotations

from heapq import heappop, heappush, heapreplace
from itertools import compress
from operator import and_

from backend.matching_engine.prepare import Prepared

# Beyond any key (host ranks are below 2**200 in size, see model.Applicant); comparing with them costs no
# more than with a small int (CPython compares the sizes first).
_OPEN = 1 << 256  # larger than any key: the offer has a free seat
_SHUT = -(1 << 256)  # smaller than any key: the offer has no seat


def deferred_acceptance(p: Prepared) -> tuple[list[int], list[int], int]:  # noqa: PLR0912, PLR0915 - the hot loop
    """Return each applicant's offer index (-1 if unassigned), the position of that offer in the applicant's
    list (-1 if unassigned), and the number of proposals made (entries of the lists gone through, those to
    offers that did not rank the applicant included)."""
    n = p.n
    prefs = p.prefs
    oindex = p.offer_index
    ranks = p.ranks
    seats = p.seats
    tb_pos: list[int] = p.tb_rank.tolist()
    tb_inv: list[int] = p.tb_order.tolist()
    home = p.home
    n_offers = len(p.offer_ids)
    n_regions = len(p.region_ids)
    # Each offer's held candidates as a min-heap of negated keys (key = host rank * n + tie-break position):
    # the worst held is at the top.
    held: list[list[int]] = [[] for _ in range(n_offers)]
    lengths: list[int] = p.lengths.tolist()
    ptr = [0] * n

    # Hosting caps that can bind: the region of each offer under one, the quota, the seats allotted so
    # far, a max-heap (negated, lazily cleaned) of the sequence positions of each offer's last allotted
    # seat, and the region's last allotted seat (its top once cleaned; -1 before any).
    cap_region = [-1] * n_offers
    quota = [0] * n_regions
    allotted = [0] * n_regions
    last_seats: list[list[int]] = [[] for _ in range(n_regions)]
    marginal = [-1] * n_regions
    width = [1] * n_regions
    seat_order = p.seat_order
    offer_order = p.offer_order
    for r in range(n_regions):
        if p.host_capped[r]:
            quota[r] = p.hosting[r] or 0
            width[r] = max(1, len(seat_order[r]))
            for o in seat_order[r]:
                cap_region[o] = r
    # worst[o]: the key of the worst candidate a full offer holds (a proposal with a key as large is refused
    # without touching the heap), _OPEN while it has a free seat it may fill, _SHUT for an offer that can
    # take nobody (no seats, or none allotted in a full region).
    worst = [_OPEN if s else _SHUT for s in seats]
    capped = [cr >= 0 for cr in cap_region]

    # Sending caps that can bind: residents wait in priority order; the first `quota` are admitted, and
    # each admitted resident who runs out of offers hands his place to the next in line.
    send_capped = p.send_capped
    queue = p.send_queue
    next_in_queue = [0] * n_regions
    admitted: list[int] = []
    for r in range(n_regions):
        if send_capped[r]:
            take = min(p.sending[r] or 0, len(queue[r]))
            admitted.extend(queue[r][:take])
            next_in_queue[r] = take
    # Everyone else with a list (C loops: compress keeps the indices whose selector is true).
    if any(send_capped):
        free_home = [not c for c in send_capped]
        admitted.extend(compress(range(n), map(and_, map(bool, prefs), map(free_home.__getitem__, home))))
    else:
        admitted.extend(compress(range(n), prefs))
    stack = admitted[::-1]

    nxt = -1
    while stack:
        a = stack.pop()
        while True:  # a proposes down its list; a displaced candidate carries the chain on
            pa = prefs[a]
            end = lengths[a]
            rank_a = ranks[a]
            t = tb_pos[a]
            for i in range(ptr[a], end):
                oid = pa[i]
                o = oindex[oid]
                try:  # zero cost unless raised
                    k = rank_a[oid] * n + t
                except KeyError:
                    continue  # an offer that did not rank a refuses it here
                if k >= worst[o]:
                    continue
                h = held[o]
                nh = len(h)
                if nh == seats[o]:
                    nxt = tb_inv[-heapreplace(h, -k) % n]
                    worst[o] = -h[0]
                    break
                if not capped[o]:
                    heappush(h, -k)
                    if nh + 1 == seats[o]:
                        worst[o] = -h[0]
                    nxt = -1
                    break
                # A free seat in a capped region.
                cr = cap_region[o]
                m = width[cr]
                if allotted[cr] < quota[cr]:
                    heappush(h, -k)
                    if nh + 1 == seats[o]:
                        worst[o] = -h[0]
                    allotted[cr] += 1
                    pos = nh * m + offer_order[o]
                    heappush(last_seats[cr], -pos)
                    marginal[cr] = max(marginal[cr], pos)
                    nxt = -1
                    break
                new_pos = nh * m + offer_order[o]
                if new_pos < marginal[cr]:
                    # This seat comes before the region's last allotted one: the region moves it here.
                    heappush(h, -k)
                    if nh + 1 == seats[o]:
                        worst[o] = -h[0]
                    mh = last_seats[cr]
                    heappush(mh, -new_pos)
                    order = seat_order[cr]
                    o2 = order[marginal[cr] % m]
                    h2 = held[o2]
                    nxt = tb_inv[-heappop(h2) % n]
                    worst[o2] = _OPEN
                    if h2:
                        heappush(mh, -((len(h2) - 1) * m + offer_order[o2]))
                    while True:  # the new last allotted seat: drop entries of seats since lost
                        top = -mh[0]
                        q, rem = divmod(top, m)
                        if len(held[order[rem]]) == q + 1:
                            break
                        heappop(mh)
                    marginal[cr] = top
                    break
                # The region is full and this seat comes later: the offer keeps the seats it has, and stays
                # so (the last allotted seat only moves earlier) until it loses one. Its worst key becomes
                # its threshold, as for a full offer.
                if h and k < -h[0]:
                    nxt = tb_inv[-heapreplace(h, -k) % n]
                    worst[o] = -h[0]
                    break
                worst[o] = -h[0] if h else _SHUT
            else:
                # a has run out of offers: a sending region's place goes to its next resident in line.
                ptr[a] = end
                hr = home[a]
                if send_capped[hr]:
                    qi = next_in_queue[hr]
                    if qi < len(queue[hr]):
                        next_in_queue[hr] = qi + 1
                        stack.append(queue[hr][qi])
                break
            ptr[a] = i + 1
            if nxt < 0:
                break
            a = nxt

    match = [-1] * n
    position = [-1] * n
    for o, h in enumerate(held):
        for nk in h:
            a = tb_inv[-nk % n]
            match[a] = o
            position[a] = ptr[a] - 1
    return match, position, sum(ptr)
