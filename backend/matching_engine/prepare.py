"""Validation and integer indexing of a round's input, shared by both policies and the checks.

Everything is indexed in sorted id order, so that no result depends on the order of the input sequences or
mappings. Every entry of every preference list is translated once to an offer index, in one flat array
built by C loops (this is also the unknown-offer check). Host ranks stay in the caller's mappings: the
one-proposal-at-a-time loop looks a rank up only when it is proposed, and the paths that need them all
read them in bulk (entry_ranks). When each applicant's mapping holds exactly their offers in their order,
as a platform reading one row per application builds it ("aligned"), its values are the ranks, read
without a lookup; any other mapping is looked up entry by entry, with the same result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, islice, repeat
from operator import attrgetter, eq, methodcaller

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

    applicant_ids: list[str]
    home: list[int]
    prefs: list[tuple[str, ...]]
    lengths: Ints  # of each applicant's list
    entry_offer: Ints  # the offer index of every entry of every list, flat, applicant by applicant
    offer_ids: list[str]
    offer_index: dict[str, int]
    offer_region: list[int]
    seats: list[int]
    ranks: list[Mapping[str, int]]  # per applicant: offer id -> the host's rank of this applicant
    aligned: bool  # every applicant's rank mapping lists exactly their offers, in their order
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


def _lottery(seed: str, n: int) -> npt.NDArray[np.int64]:
    """The applicants' order in the round's lottery (indices in id order): 64-bit numbers drawn from
    SHAKE-256 of the seed, dealt in id order, smallest first (equal numbers by id). One hash call and one
    array sort: at 100,000 applicants a few milliseconds, against seconds for a hash per applicant."""
    stream = hashlib.shake_256(b"eurodyssey-matching-lottery\x00" + seed.encode()).digest(8 * n)
    return np.argsort(np.frombuffer(stream, dtype=">u8"), kind="stable")


def _tie_break(lottery: Ints, home_balance: Ints) -> tuple[Ints, Ints]:
    """The tie-break order (home balance descending, then the lottery) and each applicant's place in it."""
    n = len(home_balance)
    order = lottery[np.argsort(-home_balance[lottery], kind="stable")]
    place = np.empty(n, np.int64)
    place[order] = np.arange(n, dtype=np.int64)
    return order, place


def _check_quota(name: str, value: int | None) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{name} must be 0 or more, got {value}")


def _ranked_pairs(
    data_ranks: list[Mapping[str, int]], aligned: bool, entry_offer: Ints, lengths: Ints, offer_index: dict[str, int]
) -> tuple[Ints, Ints]:
    """Every pair the host side ranked: its offer index and its applicant, ranks for offers outside the round
    left out. Aligned mappings rank exactly the listed entries, which are already translated."""
    if aligned:
        return entry_offer, np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    counts = np.fromiter(map(len, data_ranks), np.int64, len(data_ranks))
    pairs = int(counts.sum())
    offer = np.fromiter(map(offer_index.get, chain.from_iterable(data_ranks), repeat(-1)), np.int64, pairs)
    applicant = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    known = offer >= 0
    return offer[known], applicant[known]


def _seat_order(capped_offers: list[int], n_offers: int, pair_offer: Ints, pair_balance: Ints) -> list[int]:
    """The offers of capped regions sorted for their seat sequence (stable.py, choice 2): by the mean home
    balance of the candidates their host ranked, most positive first (offers nobody was ranked for count
    as 0), then by offer id. Counted over all ranked pairs at once with arrays (sums exact in 64 bits:
    balances are bounded, see BALANCE_LIMIT)."""
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


def entry_ranks(p: Prepared) -> Ints | None:
    """The host's rank of every list entry, flat like `entry_offer`, UNRANKED where the host did not rank
    the applicant; None when a rank does not fit in 64 bits or a rank mapping is not a dict."""
    total = len(p.entry_offer)
    try:
        if p.aligned:
            return np.fromiter(chain.from_iterable(map(methodcaller("values"), p.ranks)), np.int64, total)
        rank_maps = chain.from_iterable(map(repeat, p.ranks, p.lengths.tolist()))
        ranks = np.fromiter(map(dict.get, rank_maps, chain.from_iterable(p.prefs), repeat(UNRANKED)), np.int64, total)  # type: ignore[arg-type]
    except (OverflowError, TypeError):
        return None
    flagged = np.flatnonzero(ranks == UNRANKED)
    if flagged.size:
        # A host may have given exactly the sentinel's value: such an input is left to the reference loop.
        starts = np.cumsum(p.lengths) - p.lengths
        owners = np.searchsorted(starts, flagged, side="right") - 1  # empty lists share the next one's start
        for a, e in zip(owners.tolist(), (flagged - starts[owners]).tolist(), strict=True):
            if p.prefs[a][e] in p.ranks[a]:
                return None
    return ranks


def prepare(data: MatchingInput) -> Prepared:  # noqa: PLR0912, PLR0915 - one linear pass, kept together
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

    offers = sorted(data.offers, key=attrgetter("id"))
    offer_ids = list(map(attrgetter("id"), offers))
    offer_index = dict(zip(offer_ids, range(len(offer_ids)), strict=True))
    if len(offer_index) != len(offer_ids):
        raise ValueError("offer ids must be unique")
    seats = list(map(attrgetter("seats"), offers))
    try:
        offer_region = list(map(region_index.__getitem__, map(attrgetter("region"), offers)))
    except KeyError as exc:
        raise ValueError(f"an offer is in region {exc.args[0]!r}, which has no RegionState") from None
    if seats and min(seats) < 0:
        raise ValueError(f"offer {offer_ids[seats.index(min(seats))]!r} has {min(seats)} seats")

    # attrgetter maps: the applicants, sorted, are visited at C speed.
    applicants = sorted(data.applicants, key=attrgetter("id"))
    n = len(applicants)
    applicant_ids = list(map(attrgetter("id"), applicants))
    if any(map(eq, applicant_ids, islice(applicant_ids, 1, None))):  # sorted: a repeated id is adjacent
        raise ValueError("applicant ids must be unique")
    try:
        home = list(map(region_index.__getitem__, map(attrgetter("home_region"), applicants)))
    except KeyError as exc:
        raise ValueError(f"an applicant lives in {exc.args[0]!r}, which has no RegionState") from None
    prefs: list[tuple[str, ...]] = list(map(attrgetter("preferences"), applicants))
    ranks: list[Mapping[str, int]] = list(map(attrgetter("host_ranks"), applicants))
    lengths = np.fromiter(map(len, prefs), np.int64, n)
    entries = list(chain.from_iterable(prefs))
    # The translation is the check that every listed offer is in the round. An offer listed twice counts
    # at its first place (a second proposal to it is always refused, see stable.py).
    try:
        entry_offer = np.fromiter(map(offer_index.__getitem__, entries), np.int64, len(entries))
    except KeyError:
        unknown = sorted(set(entries) - offer_index.keys())
        raise ValueError(f"applicants rank unknown offers: {unknown[:5]}") from None
    # Stops at the first applicant whose mapping is not aligned.
    aligned = all(map(eq, map(tuple, ranks), prefs))

    # Tie-break order (stable.py, choice 1): home balance descending, then the lottery (by id, or drawn
    # from the seed). Stable array sorts.
    lottery = np.arange(n, dtype=np.int64) if data.tie_break_seed is None else _lottery(data.tie_break_seed, n)
    home_array = np.asarray(home, np.int64)
    home_balance = np.asarray(balance, np.int64)[home_array]  # each applicant's
    tb_order, tb_rank = _tie_break(lottery, home_balance)

    region_seats = [0] * len(region_ids)
    region_offers: list[list[int]] = [[] for _ in region_ids]
    for o, ri in enumerate(offer_region):
        region_seats[ri] += seats[o]
        region_offers[ri].append(o)
    host_capped = [q is not None and q < region_seats[r] for r, q in enumerate(hosting)]
    seat_order: list[list[int]] = [[] for _ in region_ids]
    offer_order = [0] * len(offer_ids)
    if any(host_capped):
        in_capped = [o for r, offers_of_r in enumerate(region_offers) if host_capped[r] for o in offers_of_r]
        pair_offer, pair_applicant = _ranked_pairs(ranks, aligned, entry_offer, lengths, offer_index)
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
    any_sending_rank = any(send_capped) and set(map(attrgetter("sending_rank"), applicants)) != {None}
    for r in range(len(region_ids)):
        if send_capped[r]:
            # Sending priority: the home region's rank, then the tie-break order (one region, one balance).
            queue = residents[r]
            if any_sending_rank:
                queue = sorted(
                    queue,
                    key=lambda i: (
                        applicants[i].sending_rank is None,
                        applicants[i].sending_rank or 0,
                        int(tb_rank[i]),
                    ),
                )
            send_queue[r] = queue

    return Prepared(
        applicant_ids=applicant_ids,
        home=home,
        prefs=prefs,
        lengths=lengths,
        entry_offer=entry_offer,
        offer_ids=offer_ids,
        offer_index=offer_index,
        offer_region=offer_region,
        seats=seats,
        ranks=ranks,
        aligned=aligned,
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
