"""Deferred acceptance in rounds, on arrays: the stable policy's result when no regional cap can bind.

The applicant-proposing deferred acceptance ends in the same matching whatever the order in which free
applicants propose (McVitie and Wilson 1970), so instead of one proposal at a time every free applicant
proposes at once: each round, each offer keeps its best candidates among those it holds and those who just
proposed, and the others move down their lists. A round is a handful of numpy operations over the
proposals and the seats of the offers they reach, so the work grows with the number of proposals, not with
Python bytecodes per proposal. stable.py stays the reference (and the path with binding caps, whose seat
sequence and admission queue are inherently sequential); the unit tests check that both give the same
result on random instances.

Keys are the same as in stable.py (host rank * n + tie-break position); they must fit in 63 bits, else
`deferred_acceptance_rounds` returns None and the caller uses stable.py (as it does for host rankings
given as mappings other than dicts).
"""

from __future__ import annotations

import numpy as np

from backend.matching_engine.prepare import UNRANKED, Ints, Prepared, entry_ranks

_FREE = np.iinfo(np.int64).max  # the key of an empty seat: worse than any candidate
_SHUT = np.iinfo(np.int64).min  # the threshold of an offer without seats: no key is below it
_LIMIT = 1 << 62  # |key| must stay below this


def _pairs(p: Prepared) -> tuple[Ints, Ints, Ints, Ints, Ints] | None:
    """The ranked pairs of every list, flat and in list order: offer index, key, position in the list, and
    each applicant's first and last-plus-one pair; None if a key does not fit in 63 bits."""
    n = len(p.applicant_ids)
    rank = entry_ranks(p)
    if rank is None:  # ranks beyond 64 bits, or rank mappings that are not dicts
        return None
    ranked = rank != UNRANKED  # an offer that did not rank the applicant refuses him: the pair is dropped
    all_ranked = bool(ranked.all())
    kept = rank if all_ranked else rank[ranked]
    if kept.size and max(abs(int(kept.min())), abs(int(kept.max())) + 1) * max(n, 1) >= _LIMIT:
        return None
    lengths = p.lengths
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    starts = np.cumsum(lengths) - lengths
    position = np.arange(len(rank), dtype=np.int64) - starts[owner]
    key = kept * n + p.tb_rank[owner if all_ranked else owner[ranked]]
    if all_ranked:
        return p.entry_offer, key, position, starts, starts + lengths
    first = np.searchsorted(owner[ranked], np.arange(n + 1, dtype=np.int64))
    return p.entry_offer[ranked], key, position[ranked], first[:-1], first[1:]


def _compete(
    applicants: Ints, o: Ints, k: Ints, seats: Ints, slot_start: Ints, slot_key: Ints, slot_app: Ints, worst: Ints
) -> Ints:
    """One round at the offers proposed to: each keeps its best among its holders and its proposers (the
    seats, keys and thresholds are updated in place); returns the applicants it let go."""
    # The seats of the offers proposed to: their holders compete with the proposers.
    reached = np.unique(o)
    width = seats[reached]
    base = np.repeat(slot_start[reached] - np.cumsum(width) + width, width)
    slots = base + np.arange(int(width.sum()), dtype=np.int64)
    held = slot_app[slots] >= 0
    slots = slots[held]
    cand_app = np.concatenate((slot_app[slots], applicants))
    cand_key = np.concatenate((slot_key[slots], k))
    cand_offer = np.concatenate((np.repeat(reached, width)[held], o))
    order = np.lexsort((cand_key, cand_offer))
    cand_app, cand_key, cand_offer = cand_app[order], cand_key[order], cand_offer[order]
    group_first = np.searchsorted(cand_offer, reached)
    place = np.arange(cand_offer.size, dtype=np.int64) - np.repeat(
        group_first, np.diff(np.append(group_first, cand_offer.size))
    )
    keep = place < seats[cand_offer]
    # Write the kept back in order; the seats they do not fill are emptied.
    slot_key[slots] = _FREE
    slot_app[slots] = -1
    target = slot_start[cand_offer[keep]] + place[keep]
    slot_key[target] = cand_key[keep]
    slot_app[target] = cand_app[keep]
    full = np.bincount(cand_offer[keep], minlength=len(seats))[reached] == seats[reached]
    last = slot_start[reached] + seats[reached] - 1
    worst[reached] = np.where(full, slot_key[last], _FREE)
    return cand_app[~keep]


def deferred_acceptance_rounds(p: Prepared) -> tuple[list[int], list[int], int] | None:
    """Same contract as stable.deferred_acceptance; only for inputs where no cap can bind (the caller
    checks), and None when the keys do not fit in 63 bits."""
    pairs = _pairs(p)
    if pairs is None:
        return None
    offer, key, position, first, end = pairs
    lengths = p.lengths
    n = len(p.applicant_ids)
    seats = np.asarray(p.seats, np.int64)
    slot_start = np.zeros(len(seats) + 1, np.int64)
    np.cumsum(seats, out=slot_start[1:])
    slot_key = np.full(int(slot_start[-1]), _FREE, np.int64)  # each offer's held candidates, best first
    slot_app = np.full(int(slot_start[-1]), -1, np.int64)
    # A proposal needs a key below this: the worst held if the offer is full, no key at all without seats.
    worst = np.where(seats > 0, _FREE, _SHUT)
    ptr = first.copy()

    free = np.flatnonzero(first < end)
    while free.size:
        at = ptr[free]
        o, k = offer[at], key[at]
        taken = k < worst[o]
        ptr[free[~taken]] += 1  # refused outright by a full offer (or one without seats)
        applicants, o, k = free[taken], o[taken], k[taken]
        if applicants.size == 0:
            free = free[ptr[free] < end[free]]
            continue
        refused = _compete(applicants, o, k, seats, slot_start, slot_key, slot_app, worst)
        ptr[refused] += 1
        free = np.concatenate((free[~taken], refused))
        free = free[ptr[free] < end[free]]

    filled = np.flatnonzero(slot_app >= 0)
    holders = slot_app[filled]
    match = np.full(n, -1, np.int64)
    match[holders] = np.searchsorted(slot_start, filled, side="right") - 1
    pos = np.full(n, -1, np.int64)
    pos[holders] = position[ptr[holders]]
    # Entries gone through: up to the held offer for the placed, the whole list for the others.
    total = int(pos[holders].sum()) + holders.size + int(lengths[match < 0].sum())
    return match.tolist(), pos.tolist(), total
