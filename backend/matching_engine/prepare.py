"""Validation and integer indexing of a round's input, shared by both policies and the checks.

Everything is indexed in sorted id order, so that no result depends on the order of the input sequences or
mappings. Preference lists are kept as the caller's tuples of offer ids and host ranks as the caller's
mappings: the deferred acceptance looks a pair up only when it is proposed, which at 100,000 applicants is
cheaper than translating every pair up front.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from backend.matching_engine.model import MatchingInput

# A region's balance (hosted minus sent) is a count of trainees; bounding it keeps every sum of balances over
# a round's pairs exact in 64-bit arrays.
BALANCE_LIMIT = 1 << 40


@dataclass(slots=True)
class Prepared:
    """The input, indexed. Applicant and offer indices follow sorted ids."""

    applicant_ids: list[str]
    home: list[int]
    prefs: list[tuple[str, ...]]
    offer_ids: list[str]
    offer_index: dict[str, int]
    offer_region: list[int]
    seats: list[int]
    ranks: list[Mapping[str, int]]  # per applicant: offer id -> the host's rank of this applicant
    region_ids: list[str]
    hosting: list[int | None]
    sending: list[int | None]
    balance: list[int]
    # Strict tie-break: position of each applicant in the order (home balance descending, lottery).
    tb_pos: list[int]
    tb_inv: list[int]
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


def _tie_break(lottery: npt.NDArray[np.int64], home_balance: npt.NDArray[np.int64]) -> tuple[list[int], list[int]]:
    """The tie-break order (home balance descending, then the lottery) and each applicant's place in it."""
    n = len(home_balance)
    order = lottery[np.argsort(-home_balance[lottery], kind="stable")]
    place = np.empty(n, np.int64)
    place[order] = np.arange(n, dtype=np.int64)
    return order.tolist(), place.tolist()


def _check_quota(name: str, value: int | None) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{name} must be 0 or more, got {value}")


def _seat_order(
    capped_offers: list[int],
    offer_index: dict[str, int],
    ranks: list[Mapping[str, int]],
    home_balance: npt.NDArray[np.int64],
) -> list[int]:
    """The offers of capped regions sorted for their seat sequence (stable.py, choice 2): by the mean home
    balance of the candidates their host ranked, most positive first (offers nobody was ranked for count
    as 0), then by offer id. Counted over all ranked pairs at once with arrays (sums exact in 64 bits:
    balances are bounded, see prepare)."""
    lengths = list(map(len, ranks))
    pairs = sum(lengths)
    offer = np.fromiter(map(offer_index.get, chain.from_iterable(ranks), repeat(-1)), np.int64, pairs)
    pair_balance = np.repeat(home_balance, lengths)
    known = offer >= 0  # ranks for offers outside the round are ignored
    count = np.bincount(offer[known], minlength=len(offer_index))
    weighted = np.zeros(len(offer_index), np.int64)
    np.add.at(weighted, offer[known], pair_balance[known])
    capped = np.asarray(capped_offers, np.int64)
    mean = np.zeros(len(capped), np.float64)
    ranked = count[capped] > 0
    mean[ranked] = weighted[capped][ranked] / count[capped][ranked]
    # Offer indices follow sorted ids, so the index breaks ties as the id would.
    return capped[np.lexsort((capped, -mean))].tolist()  # type: ignore[no-any-return]


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
    if len(set(applicant_ids)) != n:
        raise ValueError("applicant ids must be unique")
    try:
        home = list(map(region_index.__getitem__, map(attrgetter("home_region"), applicants)))
    except KeyError as exc:
        raise ValueError(f"an applicant lives in {exc.args[0]!r}, which has no RegionState") from None
    prefs: list[tuple[str, ...]] = list(map(attrgetter("preferences"), applicants))
    ranks: list[Mapping[str, int]] = list(map(attrgetter("host_ranks"), applicants))
    # One bulk check (C loops): every listed offer is in the round. An offer listed twice is not checked
    # for: it counts at its first place (a second proposal to it is always refused, see stable.py).
    unknown_offers = set().union(*prefs) - offer_index.keys()
    if unknown_offers:
        raise ValueError(f"applicants rank unknown offers: {sorted(unknown_offers)[:5]}")

    # Tie-break order (stable.py, choice 1): home balance descending, then the lottery (by id, or drawn
    # from the seed). Stable array sorts.
    lottery = np.arange(n, dtype=np.int64) if data.tie_break_seed is None else _lottery(data.tie_break_seed, n)
    home_balance = np.asarray(balance, np.int64)[np.asarray(home, np.int64)]  # each applicant's
    tb_inv, tb_pos = _tie_break(lottery, home_balance)

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
        ordered = _seat_order(in_capped, offer_index, ranks, home_balance)
        for o in ordered:
            r = offer_region[o]
            offer_order[o] = len(seat_order[r])
            seat_order[r].append(o)

    residents: list[list[int]] = [[] for _ in region_ids]
    if any(q is not None for q in sending):
        # Each region's residents with a list, in tie-break order (a stable sort by home keeps that order).
        order = np.asarray(tb_inv, np.int64)
        order = order[np.fromiter(map(len, prefs), np.int64, n)[order] > 0]
        homes = np.asarray(home, np.int64)[order]
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
                        tb_pos[i],
                    ),
                )
            send_queue[r] = queue

    return Prepared(
        applicant_ids=applicant_ids,
        home=home,
        prefs=prefs,
        offer_ids=offer_ids,
        offer_index=offer_index,
        offer_region=offer_region,
        seats=seats,
        ranks=ranks,
        region_ids=region_ids,
        hosting=hosting,
        sending=sending,
        balance=balance,
        tb_pos=tb_pos,
        tb_inv=tb_inv,
        host_capped=host_capped,
        seat_order=seat_order,
        offer_order=offer_order,
        send_capped=send_capped,
        send_queue=send_queue,
    )
