"""Validation and integer indexing of a round's input, shared by both policies and the checks.

Applicants and offers are indexed in sorted id order, so that no result depends on the order of the input
sequences or mappings. Every entry of every preference list is translated once to an offer index, in one flat array
built by C loops (this is also the unknown-offer check). Host ranks stay in the caller's mappings: the
one-proposal-at-a-time loop looks a rank up only when it is proposed, and the paths that need them all
read them in bulk (entry_ranks). When each applicant's mapping holds exactly their offers in their order,
as a platform reading one row per application builds it ("aligned"), its values are the ranks, read
without a lookup; any other mapping is looked up entry by entry, with the same result.
"""

from __future__ import annotations

import hashlib
import struct
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice, pairwise, repeat
from operator import eq, itemgetter, methodcaller

import numpy as np
import numpy.typing as npt

from backend.matching_engine.model import MatchingInput

# A region's balance (hosted minus sent) is a count of trainees; bounding it keeps every sum of balances over
# a round's pairs exact in 64-bit arrays.
BALANCE_LIMIT = 1 << 40
# The rank read for an entry the host did not rank (entry_ranks).
UNRANKED = int(np.iinfo(np.int64).min)

Ints = npt.NDArray[np.int64]


@dataclass(slots=True)
class Prepared:
    """The input, indexed. Applicant and offer indices follow sorted ids."""

    ids_by_input: list[str]
    permutation: Ints  # the input's applicants in id order (their input positions)
    home_array: Ints  # each applicant's home region
    prefs_by_input: list[tuple[str, ...]]
    ranks_by_input: list[Mapping[str, int]]  # per applicant: offer id -> the host's rank of this applicant
    lengths: Ints  # of each applicant's list
    # Every entry of every list, flat: each applicant's entries are contiguous and in list order, the
    # applicants in the input's order (not id order: no need to move the entries).
    entry_offer: Ints  # the entry's offer index
    entry_owner: Ints  # the entry's applicant
    entry_start: Ints  # per applicant, where their entries start
    offer_ids: list[str]
    offer_index: dict[str, int]
    offer_region: list[int]
    seats: list[int]
    aligned: bool  # every applicant's rank mapping lists exactly their offers, in their order
    entry_rank: Ints | None  # when aligned, the host's rank at every entry (None if one exceeds 64 bits)
    region_ids: list[str]
    hosting: list[int | None]
    sending: list[int | None]
    balance: list[int]
    # Strict tie-break: position of each applicant in the order (home balance descending, lottery).
    tb_order: Ints  # the applicants in tie-break order
    tb_rank: Ints  # each applicant's place in it
    # Hosting caps that can bind (quota below the region's seats): region -> its offers in seat order.
    host_capped: list[bool]
    seat_order: list[list[int]]
    offer_order: list[int]
    # Sending caps that can bind: region -> its residents in sending priority order.
    send_capped: list[bool]
    send_queue: list[list[int]]
    # Ids, preference lists and rank mappings in id order, made when first read: the rounds read none.
    _by_id: list[int] | None = field(default=None, init=False, repr=False)
    _ids: list[str] | None = field(default=None, init=False, repr=False)
    _prefs: list[tuple[str, ...]] | None = field(default=None, init=False, repr=False)
    _ranks: list[Mapping[str, int]] | None = field(default=None, init=False, repr=False)
    _home: list[int] | None = field(default=None, init=False, repr=False)

    @property
    def n(self) -> int:
        return len(self.ids_by_input)

    @property
    def by_id(self) -> list[int]:
        if self._by_id is None:
            self._by_id = self.permutation.tolist()
        return self._by_id

    @property
    def applicant_ids(self) -> list[str]:
        if self._ids is None:
            self._ids = list(map(self.ids_by_input.__getitem__, self.by_id))
        return self._ids

    @property
    def home(self) -> list[int]:
        if self._home is None:
            self._home = self.home_array.tolist()
        return self._home

    @property
    def prefs(self) -> list[tuple[str, ...]]:
        if self._prefs is None:
            self._prefs = list(map(self.prefs_by_input.__getitem__, self.by_id))
        return self._prefs

    @property
    def ranks(self) -> list[Mapping[str, int]]:
        if self._ranks is None:
            self._ranks = list(map(self.ranks_by_input.__getitem__, self.by_id))
        return self._ranks


def _lottery(seed: str, n: int) -> npt.NDArray[np.int64]:
    """The applicants' order in the round's lottery (indices in id order): 64-bit numbers drawn from
    SHAKE-256 of the seed, dealt in id order, smallest first (equal numbers by id). One hash call and one
    array sort: at 100,000 applicants a few milliseconds, against seconds for a hash per applicant."""
    stream = hashlib.shake_256(b"eurodyssey-matching-lottery\x00" + seed.encode()).digest(8 * n)
    numbers = np.frombuffer(stream, dtype=">u8").astype(np.uint64)  # native byte order sorts faster
    order = np.argsort(numbers)
    drawn = numbers[order]
    if (drawn[1:] == drawn[:-1]).any():  # equal numbers (about 1 in 10**11 rounds): by id, a stable sort
        order = np.argsort(numbers, kind="stable")
    return order


def _flat(rows: Iterable[Iterable[str]]) -> list[str]:
    """The items of all rows in one list: one list.extend per row (consumed by a zero-length deque), twice
    as fast as a list or tuple of chain.from_iterable, which moves item by item."""
    flat: list[str] = []
    deque(map(flat.extend, rows), maxlen=0)
    return flat


def _translate(keys: Sequence[str], index: dict[str, int]) -> Ints:
    """The index of every key, as an array; KeyError for a key not in `index`."""
    # One itemgetter call looks every key up (a third faster than a map; it returns a bare value for one).
    looked_up = itemgetter(*keys)(index) if len(keys) > 1 else map(index.__getitem__, keys)
    return _int64s(looked_up, len(keys))


def _ascii_ids(ids: list[str]) -> npt.NDArray[np.bytes_] | None:
    """The ids as a fixed-width bytes array, None if one is not ASCII. Ids of one length (UUIDs) are joined
    and viewed, twice as fast as converting them one by one."""
    try:
        width = len(ids[0]) if ids else 0
        if width and bool((np.fromiter(map(len, ids), np.int64, len(ids)) == width).all()):
            return np.frombuffer("".join(ids).encode("ascii"), dtype=f"S{width}")
        return np.array(ids, dtype="S")
    except UnicodeEncodeError:
        return None


def _id_order(ids: list[str], what: str) -> Ints:
    """The positions of `ids` in sorted order; ValueError if an id is repeated. Fast path (UUIDs and most
    real ids): ASCII ids are sorted by their first 8 characters as 64-bit numbers (an array sort, twice as
    fast as Python's at 10,000 ids, eight times at 100,000), and the few that share those are put in order
    by Python; ids that are not ASCII, or many sharing their first characters, go to Python's sort."""
    raw = _ascii_ids(ids)
    if raw is not None and len(ids) > 1:
        if raw.dtype.itemsize < 8:
            raw = raw.astype("S8")
        # Big-endian 8-byte prefixes (zero-padded) compare as the ids' first 8 characters do.
        prefix = np.ndarray(len(ids), dtype=">u8", buffer=raw, strides=(raw.dtype.itemsize,)).astype(np.uint64)
        order = np.argsort(prefix)
        ordered = prefix[order]
        shared = np.flatnonzero(ordered[1:] == ordered[:-1])
        if not shared.size:
            return order
        if shared.size <= len(ids) // 64:
            result: list[int] = order.tolist()
            # Runs of equal prefixes: each put in order by the whole ids.
            starts = shared[np.concatenate(([True], np.diff(shared) > 1))].tolist()
            for first in starts:
                last = first + 1
                while last + 1 < len(ids) and ordered[last + 1] == ordered[first]:
                    last += 1
                run = sorted(result[first : last + 1], key=ids.__getitem__)
                if any(ids[a] == ids[b] for a, b in pairwise(run)):
                    raise ValueError(f"{what} ids must be unique")
                result[first : last + 1] = run
            return np.asarray(result, np.int64)
    order_list = sorted(range(len(ids)), key=ids.__getitem__)
    in_order = list(map(ids.__getitem__, order_list))
    if any(map(eq, in_order, islice(in_order, 1, None))):  # a repeated id is next to itself
        raise ValueError(f"{what} ids must be unique")
    return np.asarray(order_list, np.int64)


def _tie_break(lottery: Ints, home_balance: Ints) -> tuple[Ints, Ints]:
    """The tie-break order (home balance descending, then the lottery) and each applicant's place in it."""
    n = len(home_balance)
    first = -home_balance[lottery]
    if first.size and int(first.min()) >= -(1 << 15) and int(first.max()) < 1 << 15:
        first = first.astype(np.int16)  # a stable sort of 16-bit numbers is a radix sort, several times faster
    order = lottery[np.argsort(first, kind="stable")]
    place = np.empty(n, np.int64)
    place[order] = np.arange(n, dtype=np.int64)
    return order, place


def _check_quota(name: str, value: int | None) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{name} must be 0 or more, got {value}")


def _ranked_pairs(
    ranks_in: list[Mapping[str, int]],
    aligned: bool,
    entry_offer: Ints,
    entry_owner: Ints,
    offer_index: dict[str, int],
    id_place: Ints,
) -> tuple[Ints, Ints]:
    """Every pair the host side ranked: its offer index and its applicant (id order), ranks for offers
    outside the round left out. Aligned mappings rank exactly the listed entries, which are already
    translated; others (`ranks_in`, in input order) are read key by key."""
    if aligned:
        return entry_offer, entry_owner
    counts = np.fromiter(map(len, ranks_in), np.int64, len(ranks_in))
    pairs = int(counts.sum())
    offer = np.fromiter(map(offer_index.get, chain.from_iterable(ranks_in), repeat(-1)), np.int64, pairs)
    applicant = np.repeat(id_place, counts)
    known = offer >= 0
    return offer[known], applicant[known]


def _seat_order(capped_offers: list[int], n_offers: int, pair_offer: Ints, pair_balance: Ints) -> list[int]:
    """The offers of capped regions sorted for their seat sequence (stable.py, choice 2): by the mean home
    balance of the candidates their host ranked, most positive first (offers nobody was ranked for count
    as 0), then by offer id. Counted over all ranked pairs at once with arrays; the sums are exact (in
    floating point while they stay below 2**53, else in 64-bit integers: balances are bounded, see
    BALANCE_LIMIT)."""
    count = np.bincount(pair_offer, minlength=n_offers)
    if len(pair_balance) and int(np.abs(pair_balance).max()) * len(pair_balance) >= 1 << 53:
        weighted = np.zeros(n_offers, np.int64)  # float sums could round: exact integer sums
        np.add.at(weighted, pair_offer, pair_balance)
    else:
        weighted = np.bincount(pair_offer, weights=pair_balance, minlength=n_offers)
    capped = np.asarray(capped_offers, np.int64)
    mean = np.zeros(len(capped), np.float64)
    ranked = count[capped] > 0
    mean[ranked] = weighted[capped][ranked] / count[capped][ranked]
    # Offer indices follow sorted ids, so the index breaks ties as the id would.
    return capped[np.lexsort((capped, -mean))].tolist()  # type: ignore[no-any-return]


def _int64s(values: Iterable[int], count: int) -> Ints:
    """`count` ints as an int64 array; struct.error if one is not an int or does not fit in 64 bits. Packed
    by struct from one argument tuple: twice as fast as np.fromiter, which converts item by item."""
    return np.frombuffer(struct.pack(f"{count}q", *values), np.int64) if count else np.empty(0, np.int64)


def _aligned_ranks(ranks: list[Mapping[str, int]], total: int) -> Ints | None:
    """The values of aligned rank mappings, flat (None if one is not an int of 64 bits)."""
    # dict.values is the fast path; a mapping of another type makes it raise, and is asked for its values.
    for read in (dict.values, methodcaller("values")):
        try:
            return _int64s(chain.from_iterable(map(read, ranks)), total)  # type: ignore[arg-type]
        except TypeError:
            continue
        except struct.error:
            return None
    return None


def ranges(starts: Ints, ends: Ints) -> Ints:
    """The integers of the ranges [starts[i], ends[i]), one after the other."""
    lengths = ends - starts
    return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)


def entry_ranks(p: Prepared) -> Ints | None:
    """The host's rank at every entry, flat like `entry_offer`, UNRANKED where the host did not rank the
    applicant; None when a rank is not an int of 64 bits, or (mappings not aligned) one is not a dict."""
    if p.aligned:
        return p.entry_rank
    total = len(p.entry_offer)
    try:
        rank_maps = chain.from_iterable(map(repeat, p.ranks, p.lengths.tolist()))
        looked_up: Iterable[int] = map(dict.get, rank_maps, chain.from_iterable(p.prefs), repeat(UNRANKED))  # type: ignore[arg-type]
        in_id_order = _int64s(looked_up, total)
    except (struct.error, TypeError):
        return None
    flagged = np.flatnonzero(in_id_order == UNRANKED)
    if flagged.size:
        # A host may have given exactly the sentinel's value: such an input is left to the reference loop.
        starts = np.cumsum(p.lengths) - p.lengths
        owners = np.searchsorted(starts, flagged, side="right") - 1  # empty lists share the next one's start
        for a, e in zip(owners.tolist(), (flagged - starts[owners]).tolist(), strict=True):
            if p.prefs[a][e] in p.ranks[a]:
                return None
    ranks = np.empty(total, np.int64)
    ranks[ranges(p.entry_start, p.entry_start + p.lengths)] = in_id_order  # back to the flat layout
    return ranks


def prepare(data: MatchingInput) -> Prepared:  # noqa: PLR0915 - one linear pass, kept together
    region_ids = sorted(data.regions)
    region_index = {r: i for i, r in enumerate(region_ids)}
    hosting: list[int | None] = []
    sending: list[int | None] = []
    balance: list[int] = []
    for name in region_ids:
        state = data.regions[name]
        _check_quota(f"hosting_remaining of {name!r}", state.hosting_remaining)
        _check_quota(f"sending_remaining of {name!r}", state.sending_remaining)
        if not -BALANCE_LIMIT < state.balance < BALANCE_LIMIT:
            raise ValueError(f"balance of {name!r} must be within +-2**40, got {state.balance}")
        hosting.append(state.hosting_remaining)
        sending.append(state.sending_remaining)
        balance.append(state.balance)

    offers_in = list(data.offers)
    offer_ids_in = [o.id for o in offers_in]
    offers = list(map(offers_in.__getitem__, _id_order(offer_ids_in, "offer").tolist()))
    offer_ids = [o.id for o in offers]
    offer_index = dict(zip(offer_ids, range(len(offer_ids)), strict=True))
    seats = [o.seats for o in offers]
    try:
        offer_region = [region_index[o.region] for o in offers]
    except KeyError as exc:
        raise ValueError(f"an offer is in region {exc.args[0]!r}, which has no RegionState") from None
    if seats and min(seats) < 0:
        raise ValueError(f"offer {offer_ids[seats.index(min(seats))]!r} has {min(seats)} seats")

    # Every column is read in the input's order (sequential in memory: at 100,000 applicants a third faster
    # than in id order), then put in id order by one permutation. Attributes are read by comprehensions,
    # twice as fast as map(attrgetter) on slotted classes (Python 3.11 specialises the attribute load).
    applicants = list(data.applicants)
    n = len(applicants)
    ids_in = [a.id for a in applicants]
    permutation = _id_order(ids_in, "applicant")
    try:
        home_in = _translate(tuple([a.home_region for a in applicants]), region_index)
    except KeyError as exc:
        raise ValueError(f"an applicant lives in {exc.args[0]!r}, which has no RegionState") from None
    prefs_in: list[tuple[str, ...]] = [a.preferences for a in applicants]
    ranks_in: list[Mapping[str, int]] = [a.host_ranks for a in applicants]
    lengths_in = list(map(len, prefs_in))
    entries = _flat(prefs_in)
    # The translation is the check that every listed offer is in the round. An offer listed twice counts
    # at its first place (a second proposal to it is always refused, see stable.py).
    try:
        entry_offer = _translate(entries, offer_index)
    except KeyError:
        unknown = sorted(set(entries) - offer_index.keys())
        raise ValueError(f"applicants rank unknown offers: {unknown[:5]}") from None
    aligned = list(map(len, ranks_in)) == lengths_in and _flat(ranks_in) == entries
    entry_rank = _aligned_ranks(ranks_in, len(entries)) if aligned else None

    lengths_by_input = _int64s(lengths_in, n)
    lengths = lengths_by_input[permutation]
    entry_start = (np.cumsum(lengths_by_input) - lengths_by_input)[permutation]
    id_place = np.empty(n, np.int64)
    id_place[permutation] = np.arange(n, dtype=np.int64)
    entry_owner = np.repeat(id_place, lengths_by_input)

    # Tie-break order (stable.py, choice 1): home balance descending, then the lottery (by id, or drawn
    # from the seed). Stable array sorts.
    lottery = np.arange(n, dtype=np.int64) if data.tie_break_seed is None else _lottery(data.tie_break_seed, n)
    home_array: Ints = home_in[permutation]
    home_balance = np.asarray(balance, np.int64)[home_array]  # each applicant's
    tb_order, tb_rank = _tie_break(lottery, home_balance)

    offer_region_array = np.asarray(offer_region, np.int64)
    region_seats = np.bincount(offer_region_array, weights=seats, minlength=len(region_ids)).astype(np.int64).tolist()
    host_capped = [q is not None and q < region_seats[r] for r, q in enumerate(hosting)]
    seat_order: list[list[int]] = [[] for _ in region_ids]
    offer_order = [0] * len(offer_ids)
    if any(host_capped):
        in_capped = np.flatnonzero(np.asarray(host_capped)[offer_region_array]).tolist()
        pair_offer, pair_applicant = _ranked_pairs(ranks_in, aligned, entry_offer, entry_owner, offer_index, id_place)
        ordered = _seat_order(in_capped, len(offer_ids), pair_offer, home_balance[pair_applicant])
        for o in ordered:
            r = offer_region[o]
            offer_order[o] = len(seat_order[r])
            seat_order[r].append(o)

    residents: list[list[int]] = [[] for _ in region_ids]
    if any(q is not None for q in sending):
        # Each region's residents with a list, in tie-break order (a stable sort by home keeps that order).
        order = tb_order[lengths[tb_order] > 0]
        homes = home_array[order]
        by_home = order[np.argsort(homes, kind="stable")]
        cuts = np.searchsorted(np.sort(homes), np.arange(1, len(region_ids)))
        residents = [part.tolist() for part in np.split(by_home, cuts)]
    send_capped = [q is not None and q < len(residents[r]) for r, q in enumerate(sending)]
    send_queue: list[list[int]] = [[] for _ in region_ids]
    sending_rank_in = [a.sending_rank for a in applicants] if any(send_capped) else []
    sending_rank = list(map(sending_rank_in.__getitem__, permutation.tolist())) if set(sending_rank_in) - {None} else []
    place = tb_rank.tolist() if sending_rank else []
    for r in range(len(region_ids)):
        if send_capped[r]:
            # Sending priority: the home region's rank, then the tie-break order (one region, one balance).
            queue = residents[r]
            if sending_rank:
                queue = sorted(
                    queue,
                    key=lambda i: (
                        sending_rank[i] is None,
                        sending_rank[i] or 0,
                        place[i],
                    ),
                )
            send_queue[r] = queue

    return Prepared(
        ids_by_input=ids_in,
        permutation=permutation,
        home_array=home_array,
        prefs_by_input=prefs_in,
        ranks_by_input=ranks_in,
        lengths=lengths,
        entry_offer=entry_offer,
        entry_owner=entry_owner,
        entry_start=entry_start,
        offer_ids=offer_ids,
        offer_index=offer_index,
        offer_region=offer_region,
        seats=seats,
        aligned=aligned,
        entry_rank=entry_rank,
        region_ids=region_ids,
        hosting=hosting,
        sending=sending,
        balance=balance,
        tb_order=tb_order,
        tb_rank=tb_rank,
        host_capped=host_capped,
        seat_order=seat_order,
        offer_order=offer_order,
        send_capped=send_capped,
        send_queue=send_queue,
    )
