"""Deferred acceptance in rounds, on arrays: the stable policy's result, with or without regional caps.

The applicant-proposing deferred acceptance ends in the same matching whatever the order in which free
applicants propose: McVitie and Wilson (1970) for seats; with hosting quotas each capped region is one
chooser whose rule (stable.py, choice 2) is substitutable and satisfies the law of aggregate demand, for
which the cumulative offer process is order-independent (Hatfield and Milgrom 2005; Hirata and Kasuya
2014). Sending quotas (choice 3) are outside those results: that the order of admissions does not matter
is checked, not proven (the unit tests compare both implementations on random instances with both kinds of
quota, and the bench on its large ones). So instead of one proposal at a time, every free applicant
proposes at once. Each round:

1. each free applicant moves past the offers that would refuse him outright (a key no better than their
   threshold), to his next proposal;
2. each offer proposed to keeps its best candidates, holders and proposers together, for its seats (one
   sort of (offer, key) codes);
3. each capped region reached applies its rule: along its seat sequence, the seats held beyond its quota
   are given up (always the last held seats of their offers) and their holders let go, then its offers'
   thresholds are renewed (a cumulative count over the region's seats);
4. residents of a region with a binding sending quota who ran out of offers hand their places to the next
   residents in line.

A round is a few dozen numpy operations over the proposals, the seats they reach and the seats of the
capped regions they reach, so the work grows with the number of proposals, not with Python bytecodes per
proposal; each round has a fixed cost, so small inputs go to the loop (engine.stable_assignment). stable.py
stays the reference. Keys are the same as in stable.py (host rank * n + tie-break position) and must fit in
63 bits, as must (offer, key) codes, else `deferred_acceptance_rounds` returns None and the caller uses
stable.py (as it does for host rankings it cannot read in bulk, see prepare.entry_ranks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from backend.matching_engine.prepare import UNRANKED, Ints, Prepared, entry_ranks, ranges

_FREE = np.iinfo(np.int64).max  # the key of an empty seat, and the threshold of an offer with room
_SHUT = np.iinfo(np.int64).min  # the threshold of an offer that can take nobody: no key is below it
_LIMIT = 1 << 62  # |key| must stay below this
_NONE = np.empty(0, np.int64)


def _pairs(p: Prepared) -> tuple[Ints, Ints, Ints | None, Ints, Ints] | None:
    """The ranked pairs of every list, flat and in list order: offer index, key, position in the list (None
    when every pair is ranked: then it is the distance from the list's first pair), and each applicant's
    first and last-plus-one pair; None if a key does not fit in 63 bits."""
    n = p.n
    rank = entry_ranks(p)
    if rank is None:  # ranks beyond 64 bits, or rank mappings that are not dicts
        return None
    ranked = rank != UNRANKED  # an offer that did not rank the applicant refuses him: the pair is dropped
    all_ranked = bool(ranked.all())
    kept = rank if all_ranked else rank[ranked]
    if kept.size and max(abs(int(kept.min())), abs(int(kept.max())) + 1) * max(n, 1) >= _LIMIT:
        return None
    owner = p.entry_owner
    first = p.entry_start
    end = first + p.lengths
    if all_ranked:  # a pair's position in its list is its distance from the list's first pair
        return p.entry_offer, kept * n + p.tb_rank[owner], None, first, end
    position = np.arange(len(rank), dtype=np.int64) - first[owner]
    before = np.concatenate(([0], np.cumsum(ranked)))  # ranked entries before each flat position
    return p.entry_offer[ranked], kept * n + p.tb_rank[owner[ranked]], position[ranked], before[first], before[end]


@dataclass(slots=True)
class _Seats:
    """Every offer's seats as slots of flat arrays; an offer's held candidates fill a prefix of its slots,
    best first. A slot holds the candidate's key, which names him: the applicant at place `key mod n` of
    the tie-break order."""

    seats: Ints
    start: Ints  # each offer's first slot, and one past the last slot
    key: Ints  # the held candidate's key, _FREE when empty
    slot_offer: Ints
    held: Ints  # candidates held, per offer
    worst: Ints  # a proposal needs a key below this
    reach: npt.NDArray[np.bool_]  # scratch: the offers reached in a round
    low: int  # keys lie in [low, low + span): (offer, key) pairs sort as one int64 code
    span: int

    @classmethod
    def empty(cls, seats: Ints, low: int, span: int) -> _Seats:
        start = np.zeros(len(seats) + 1, np.int64)
        np.cumsum(seats, out=start[1:])
        return cls(
            seats=seats,
            start=start,
            key=np.full(int(start[-1]), _FREE, np.int64),
            slot_offer=np.repeat(np.arange(len(seats), dtype=np.int64), seats),
            held=np.zeros(len(seats), np.int64),
            worst=np.where(seats > 0, _FREE, _SHUT),
            reach=np.zeros(len(seats), np.bool_),
            low=low,
            span=span,
        )

    def compete(self, o: Ints, k: Ints) -> tuple[Ints, Ints]:
        """Each offer proposed to keeps its best among its holders and its proposers (keys `k` at offers
        `o`); returns the offers reached and the keys let go. Thresholds are the caller's to renew."""
        self.reach[o] = True
        reached = np.flatnonzero(self.reach)
        self.reach[reached] = False
        held = self.held[reached]
        # The holders of the offers reached compete with the proposers: one sort of (offer, key) codes.
        owner = np.repeat(reached, held)
        slots = ranges(self.start[reached], self.start[reached] + held)
        codes = np.concatenate((owner * self.span + (self.key[slots] - self.low), o * self.span + (k - self.low)))
        codes.sort()
        cand_offer = codes // self.span
        cand_key = codes - cand_offer * self.span + self.low
        group_first = np.searchsorted(cand_offer, reached)
        group_size = np.diff(np.append(group_first, codes.size))
        place = np.arange(codes.size, dtype=np.int64) - np.repeat(group_first, group_size)
        keep = place < self.seats[cand_offer]
        # Kept candidates are written back best first (an offer keeps at least as many as it held).
        self.key[self.start[cand_offer[keep]] + place[keep]] = cand_key[keep]
        self.held[reached] = np.minimum(group_size, self.seats[reached])
        return reached, cand_key[~keep]

    def renew(self, offers: Ints) -> None:
        """Thresholds of offers outside binding caps: the worst key held once full."""
        full = self.held[offers] == self.seats[offers]
        last = self.start[offers] + self.seats[offers] - 1
        self.worst[offers] = np.where(full, self.key[np.maximum(last, 0)], _FREE)


@dataclass(slots=True)
class _HostingCaps:
    """The capped regions' seats in their sequence order (stable.py, choice 2), region after region in one
    flat array, and their offers, region after region. A round settles only the regions it reached."""

    offers: Ints  # offers with seats in capped regions, region after region
    offer_first: Ints  # each capped region's first place in `offers`, and one past the last
    region_of: Ints  # per offer of the round: its capped region, -1 if none (or no seats)
    seq_slot: Ints  # the slot of each seat in sequence order, region after region
    seq_first: Ints  # each capped region's first place in the sequence, and one past the last
    slot_seq: Ints  # each slot's place in the sequence (-1 for slots outside capped regions)
    quota: Ints  # per capped region

    @classmethod
    def build(cls, p: Prepared, seats: _Seats) -> _HostingCaps:
        capped_regions = [r for r, c in enumerate(p.host_capped) if c]
        offers = np.asarray([o for r in capped_regions for o in p.seat_order[r]], np.int64)
        region = np.repeat(
            np.arange(len(capped_regions), dtype=np.int64), [len(p.seat_order[r]) for r in capped_regions]
        )
        width = np.asarray([max(1, len(p.seat_order[r])) for r in capped_regions], np.int64)
        order_in_region = np.asarray(p.offer_order, np.int64)[offers]
        counts = seats.seats[offers]
        slot_owner = np.repeat(np.arange(offers.size, dtype=np.int64), counts)
        slot = ranges(seats.start[offers], seats.start[offers] + counts)
        j = slot - seats.start[offers][slot_owner]  # the seat's number within its offer
        seat_region = region[slot_owner]
        position = j * width[seat_region] + order_in_region[slot_owner]  # the seat's place in its region
        sequence = np.lexsort((position, seat_region))
        seq_slot = slot[sequence]
        slot_seq = np.full(seats.key.size, -1, np.int64)
        slot_seq[seq_slot] = np.arange(seq_slot.size, dtype=np.int64)
        every_region = np.arange(len(capped_regions) + 1, dtype=np.int64)
        seated = counts > 0  # an offer without seats keeps its threshold: nobody
        region_of = np.full(len(p.offer_ids), -1, np.int64)
        region_of[offers[seated]] = region[seated]
        return cls(
            offers=offers[seated],
            offer_first=np.searchsorted(region[seated], every_region),
            region_of=region_of,
            seq_slot=seq_slot,
            seq_first=np.searchsorted(seat_region[sequence], every_region),
            slot_seq=slot_seq,
            quota=np.asarray([p.hosting[r] or 0 for r in capped_regions], np.int64),
        )

    def settle(self, seats: _Seats, reached: Ints | None = None) -> Ints:
        """Each region reached (every region when None) keeps the first `quota` held seats of its sequence,
        and its offers' thresholds are renewed; returns the keys let go."""
        if reached is None:
            regions = np.arange(self.quota.size, dtype=np.int64)
        else:
            regions = np.unique(self.region_of[reached])
            regions = regions[regions >= 0]
            if not regions.size:
                return _NONE
        seq = ranges(self.seq_first[regions], self.seq_first[regions + 1])
        sizes = self.seq_first[regions + 1] - self.seq_first[regions]
        occupied = seats.key[self.seq_slot[seq]] != _FREE
        running = np.cumsum(occupied)
        first = np.cumsum(sizes) - sizes  # each region's first place in `seq`
        count = running - np.repeat(running[first] - occupied[first], sizes)  # held seats so far, per region
        cut = occupied & (count > np.repeat(self.quota[regions], sizes))
        let_go = _NONE
        if cut.any():
            slots = self.seq_slot[seq[cut]]
            let_go = seats.key[slots]
            seats.key[slots] = _FREE
            # The seats given up are the last held of their offers (an offer's later seats come later in
            # the sequence), so each offer's holders stay a prefix of its slots.
            np.subtract.at(seats.held, seats.slot_offer[slots], 1)
            occupied &= ~cut
        # Per region: seats held, and the sequence place of the last one (-1 if none).
        held = np.add.reduceat(occupied, first) if first.size else first
        kept = np.flatnonzero(occupied)
        last_at = np.searchsorted(kept, first + sizes) - 1
        last = np.where(held > 0, seq[kept[np.maximum(last_at, 0)]] if kept.size else -1, -1)
        self._renew(seats, regions, held, last)
        return let_go

    def _renew(self, seats: _Seats, regions: Ints, held: Ints, last: Ints) -> None:
        """Thresholds of the regions' offers: room while the offer has a free seat and its region has quota
        left, or that seat comes before the region's last allotted one (it would take its place); else the
        worst key held (nobody, for an offer holding none)."""
        sizes = self.offer_first[regions + 1] - self.offer_first[regions]
        o = self.offers[ranges(self.offer_first[regions], self.offer_first[regions + 1])]
        local = np.repeat(np.arange(regions.size, dtype=np.int64), sizes)
        count = seats.held[o]
        width = seats.seats[o]
        next_seq = self.slot_seq[seats.start[o] + np.minimum(count, width - 1)]
        room = (count < width) & ((held[local] < self.quota[regions][local]) | (next_seq < last[local]))
        worst_held = seats.key[seats.start[o] + np.maximum(count - 1, 0)]
        seats.worst[o] = np.where(room, _FREE, np.where(count > 0, worst_held, _SHUT))


@dataclass(slots=True)
class _Admission:
    """Regions whose sending quota binds admit their residents in priority order (stable.py, choice 3)."""

    queue: list[Ints]  # per region, residents with a list in sending priority (empty if the cap cannot bind)
    next_in_line: list[int]
    capped: npt.NDArray[np.bool_]  # per region
    home: Ints

    @classmethod
    def start(cls, p: Prepared) -> tuple[_Admission | None, npt.NDArray[np.bool_]]:
        """The admission, if a sending quota binds, and who proposes first: everyone with a list, except
        the residents such a quota leaves in line."""
        entered = p.lengths > 0
        if not any(p.send_capped):
            return None, entered
        capped = np.asarray(p.send_capped)
        entered &= ~capped[p.home_array]
        queue = [np.asarray(q, np.int64) for q in p.send_queue]
        take = [min(p.sending[r] or 0, len(q)) if p.send_capped[r] else 0 for r, q in enumerate(p.send_queue)]
        for r, t in enumerate(take):
            entered[queue[r][:t]] = True
        return cls(queue=queue, next_in_line=take, capped=capped, home=p.home_array), entered

    def admit(self, exhausted: Ints, first: Ints, end: Ints) -> Ints:
        """The residents who take the places of `exhausted` (those ran out of offers); a newcomer without a
        ranked offer runs out at once and hands his place on too."""
        admitted: list[Ints] = []
        while exhausted.size:
            homes = self.home[exhausted]
            homes = homes[self.capped[homes]]
            if not homes.size:
                break
            batch: list[Ints] = []
            for r, count in zip(*np.unique(homes, return_counts=True), strict=True):
                at = self.next_in_line[r]
                batch.append(self.queue[r][at : at + count])
                self.next_in_line[r] = min(at + int(count), len(self.queue[r]))
            new = np.concatenate(batch)
            admitted.append(new)
            exhausted = new[first[new] >= end[new]]
        return np.concatenate(admitted) if admitted else _NONE


def _next_proposals(free: Ints, ptr: Ints, end: Ints, offer: Ints, key: Ints, worst: Ints) -> tuple[Ints, Ints]:
    """Each free applicant moves past the offers that would refuse him outright (thresholds only get
    stricter, so they would refuse him later too), up to his next proposal: cheap steps, so that a round's
    dearer part runs less often. Returns the pairs proposed and the applicants who ran out of offers."""
    proposed: list[Ints] = []
    exhausted: list[Ints] = []
    while free.size:
        live = ptr[free] < end[free]
        if not live.all():
            exhausted.append(free[~live])
            free = free[live]
        at = ptr[free]
        taken = key[at] < worst[offer[at]]
        proposed.append(at[taken])
        free = free[~taken]
        ptr[free] += 1
    return (
        np.concatenate(proposed) if proposed else _NONE,
        np.concatenate(exhausted) if exhausted else _NONE,
    )


def deferred_acceptance_rounds(p: Prepared) -> tuple[Ints, Ints, int] | None:
    """Same contract as stable.deferred_acceptance, as arrays; None when a key, or an (offer, key) code, does not fit
    in 63 bits, or the host ranks cannot be read in bulk."""
    pairs = _pairs(p)
    if pairs is None:
        return None
    offer, key, position, first, end = pairs
    n = p.n
    low = int(key.min()) if key.size else 0
    span = int(key.max()) - low + 1 if key.size else 1
    if len(p.seats) * span >= _LIMIT:
        return None
    seats = _Seats.empty(np.asarray(p.seats, np.int64), low, span)
    caps = _HostingCaps.build(p, seats) if any(p.host_capped) else None
    if caps is not None:
        caps.settle(seats)
    admission, entered = _Admission.start(p)
    name = p.tb_order  # the applicant a key names: name[key mod n]
    ptr = first.copy()
    free = np.flatnonzero(entered)
    while free.size:
        at, exhausted = _next_proposals(free, ptr, end, offer, key, seats.worst)
        newcomers = _NONE
        if admission is not None and exhausted.size:
            newcomers = admission.admit(exhausted, first, end)
            entered[newcomers] = True
            newcomers = newcomers[first[newcomers] < end[newcomers]]  # the others ran out in admit()
        if not at.size:
            free = newcomers
            continue
        reached, let_go = seats.compete(offer[at], key[at])
        if caps is None:
            seats.renew(reached)
        else:
            seats.renew(reached[caps.region_of[reached] < 0])
            let_go = np.concatenate((let_go, caps.settle(seats, reached)))
        let_go = name[let_go % n]
        ptr[let_go] += 1
        free = np.concatenate((let_go, newcomers))

    filled = np.flatnonzero(seats.key != _FREE)
    holders = name[seats.key[filled] % max(n, 1)]
    match = np.full(n, -1, np.int64)
    match[holders] = seats.slot_offer[filled]
    pos = np.full(n, -1, np.int64)
    pos[holders] = ptr[holders] - first[holders] if position is None else position[ptr[holders]]
    # Entries gone through: up to the held offer for the placed, the whole list for the others who entered.
    total = int(pos[holders].sum()) + holders.size + int(p.lengths[(match < 0) & entered].sum())
    return match, pos, total
