"""Benchmark of the matching engine, against the PyPI package `matching` (HospitalResident) as a peer.

    python -m bench.matching                          # the default run, 2 to 5 minutes (the peer's
                                                      # construction at 20,000 takes most of it)
    python -m bench.matching --sizes 2000,10000 --skip-peer-above 10000
    python -m bench.matching --quick                  # small sizes, a smoke run of a few seconds

For each size, a seeded instance (about 30 regions, offers of 1-3 seats, applicants ranking 3-10 offers
outside their home region, hosts ranking every applicant of their offers, regional quotas) is solved by
the engine with its quotas, and, without quotas, by the engine and by the peer; the peer's instance
construction and its solve step are timed apart (its construction checks every pair of players and
deep-copies them: minutes at 20,000 applicants; it needs a raised recursion limit and a large thread
stack, so it runs in a thread with one; its solve step consumes its instance, so it is timed on deep
copies). The peer's solve step and the engine (its run(), input to result, and its solve step alone on the
prepared input) are timed side by side, five engine runs after each of the peer's (each side's timed runs
start warm: the peer's after its deep copy, the engine's after one untimed run), and compared by best and
by median. Then the engine alone: 100,000
applicants with 10 choices each, end to end from plain rows to result, and a scan of proposals against
time; and the balanced policy at 50,000 applicants next to the stable one. Prints progress as it runs and
a summary at the end.
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import random
import resource
import statistics
import sys
import threading
import time
import tracemalloc
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from matching.games import HospitalResident

from backend.matching_engine import Applicant, MatchingInput, Offer, RegionState, compare, run
from backend.matching_engine.engine import stable_assignment
from backend.matching_engine.prepare import prepare

T = TypeVar("T")

OfferRow = tuple[str, str, int]
# id, home region, offers in the applicant's order, the hosts' ranks of the applicant by offer
ApplicantRow = tuple[str, str, list[str], dict[str, int]]


@dataclass
class Instance:
    """Plain rows, as a platform would read them: offers, applicants (with the hosts' ranks), regions."""

    offers: list[OfferRow]
    applicants: list[ApplicantRow]
    regions: dict[str, tuple[int | None, int | None, int]]

    @property
    def pairs(self) -> int:
        return sum(len(row[2]) for row in self.applicants)


def _distinct_choices(rng: random.Random, population: list[int], cum: list[float], k: int) -> list[int]:
    """k distinct weighted picks, in the order drawn (the applicant's ranking)."""
    chosen: list[int] = []
    seen: set[int] = set()
    while len(chosen) < k:
        for pick in rng.choices(population, cum_weights=cum, k=2 * k):
            if pick not in seen:
                seen.add(pick)
                chosen.append(pick)
                if len(chosen) == k:
                    break
    return chosen


def generate(
    n_applicants: int,
    seed: int = 1,
    *,
    n_regions: int = 30,
    min_choices: int = 3,
    max_choices: int = 10,
    offers_per_applicant: float = 0.25,
) -> Instance:
    """A seeded instance. Regions differ in size and offers in popularity (a heavy-tailed weight), so
    that some offers are heavily oversubscribed (lognormal popularity: the most wanted of 25,000 offers gets
    about 20 times the median number of candidates); host ranks follow a candidate's quality plus an
    offer-specific noise (strict, so that the peer can take them). Quotas bind for most regions."""
    rng = random.Random(seed)

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    regions = [f"region-{i:02d}" for i in range(n_regions)]
    region_weight = [rng.lognormvariate(0, 0.6) for _ in regions]
    n_offers = max(n_regions, int(n_applicants * offers_per_applicant))
    offer_region = rng.choices(range(n_regions), weights=region_weight, k=n_offers)
    offers: list[OfferRow] = [(new_id(), regions[r], rng.randint(1, 3)) for r in offer_region]
    popularity = [rng.lognormvariate(0, 0.8) for _ in offers]
    by_region: list[list[int]] = [[] for _ in regions]
    for o, r in enumerate(offer_region):
        by_region[r].append(o)
    # Cumulative weights of the offers outside each region, for sampling choices.
    outside: list[tuple[list[int], list[float]]] = []
    for r in range(n_regions):
        idx = [o for o in range(n_offers) if offer_region[o] != r]
        cum: list[float] = []
        total = 0.0
        for o in idx:
            total += popularity[o]
            cum.append(total)
        outside.append((idx, cum))

    homes = rng.choices(range(n_regions), weights=region_weight, k=n_applicants)
    quality = [rng.random() for _ in range(n_applicants)]
    ids = [new_id() for _ in range(n_applicants)]
    choices: list[list[int]] = []
    candidates: list[list[int]] = [[] for _ in offers]
    for a in range(n_applicants):
        idx, cum = outside[homes[a]]
        k = min(rng.randint(min_choices, max_choices), len(idx))
        chosen = _distinct_choices(rng, idx, cum, k)
        choices.append(chosen)
        for o in chosen:
            candidates[o].append(a)
    host_rank: dict[tuple[int, int], int] = {}
    for o, cands in enumerate(candidates):
        scored = sorted(cands, key=lambda a: -(quality[a] + 0.5 * rng.random()))
        for rank, a in enumerate(scored):
            host_rank[a, o] = rank
    # One row per application, in the applicant's order, as the platform reads them (snapshot.py).
    applicants: list[ApplicantRow] = [
        (
            ids[a],
            regions[homes[a]],
            [offers[o][0] for o in choices[a]],
            {offers[o][0]: host_rank[a, o] for o in choices[a]},
        )
        for a in range(n_applicants)
    ]

    seats_in = [0] * n_regions
    for _, region, seats in offers:
        seats_in[regions.index(region)] += seats
    residents = [0] * n_regions
    for h in homes:
        residents[h] += 1
    spread = max(5, n_applicants // 1000)
    states: dict[str, tuple[int | None, int | None, int]] = {}
    for r, name in enumerate(regions):
        hosting = round(seats_in[r] * rng.uniform(0.6, 0.95))
        sending = round(residents[r] * rng.uniform(0.3, 0.6))
        states[name] = (hosting, sending, rng.randint(-spread, spread))
    return Instance(offers, applicants, states)


def to_input(inst: Instance, *, caps: bool = True, ranks_in_list_order: bool = True) -> MatchingInput:
    """The engine's input from plain rows (timed as part of "end to end"). The rows hold each applicant's
    host ranks in the order of their list, as the platform reads them; `ranks_in_list_order=False` reverses
    that order, which the engine reads with a lookup per pair (same result, slower)."""
    if caps:
        regions = {r: RegionState(h, s, b) for r, (h, s, b) in inst.regions.items()}
    else:
        regions = {r: RegionState(None, None, b) for r, (_, _, b) in inst.regions.items()}
    return MatchingInput(
        offers=[Offer(i, r, s) for i, r, s in inst.offers],
        applicants=[
            Applicant(i, h, tuple(p), r if ranks_in_list_order else dict(reversed(r.items())))
            for i, h, p, r in inst.applicants
        ],
        regions=regions,
        tie_break_seed="bench-round",  # as the platform does (a lottery for ties; the ranks here are strict)
    )


def measure(fn: Callable[[], T], *, repeat: int = 3, memory: bool = True) -> tuple[T, float, float, list[float]]:
    """Run fn `repeat` times; return (the last value, best seconds, peak MiB traced during one more run, every
    time). The peak is taken in a separate run under tracemalloc (which slows Python down), so the times and
    the value come from clean runs."""
    times: list[float] = []
    value: T | None = None
    for _ in range(repeat):
        value = None
        gc.collect()
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    peak = float("nan")
    if memory:
        gc.collect()
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert value is not None
    return value, min(times), peak, times


def in_big_thread(fn: Callable[[], T], stack_mib: int = 512) -> T:
    """Run fn in a thread with a large stack and a raised recursion limit (the peer deep-copies its players
    recursively: a known open issue of that package)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size()
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(stack_mib * 2**20)
    try:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def peer_build(inst: Instance) -> Any:
    """The peer's instance from the same rows (assembling its hospitals' lists from the rows is included in
    the construction time; it is a fraction of a second even at 20,000 applicants)."""
    resident_prefs = {aid: prefs for aid, _, prefs, _ in inst.applicants if prefs}
    by_offer: dict[str, dict[str, int]] = {}
    for aid, _, _, ranks in inst.applicants:
        for oid, rank in ranks.items():
            by_offer.setdefault(oid, {})[aid] = rank
    hospital_prefs = {oid: sorted(ranks, key=ranks.__getitem__) for oid, ranks in by_offer.items()}
    capacities = {oid: seats for oid, _, seats in inst.offers if oid in hospital_prefs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)


def peer_solve(game: Any) -> dict[str, str]:
    matching = game.solve(optimal="resident")
    return {resident.name: hospital.name for hospital, residents in matching.items() for resident in residents}


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def say(line: str = "") -> None:
    print(line, flush=True)


def calibration() -> float:
    """Seconds for ten million iterations of a trivial loop: a yardstick of this machine's Python speed."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def against_peer(n: int, seed: int, run_peer: bool, peer_repeat: int) -> list[str]:
    say(f"\n== {n} applicants: generating")
    inst = generate(n, seed)
    say(f"   {len(inst.offers)} offers, {inst.pairs} ranked pairs")
    capped_input = to_input(inst)
    capped, t_capped, m_capped, _ = measure(lambda: run(capped_input))
    say(
        f"   engine, with quotas:    {t_capped:8.4f}s  peak {m_capped:7.1f} MiB  placed {capped.diagnostics.placed}, "
        f"proposals {capped.diagnostics.proposals}"
    )
    free_input = to_input(inst, caps=False)
    free, t_free, m_free, _ = measure(lambda: run(free_input), repeat=5)
    say(
        f"   engine, without quotas: {t_free:8.4f}s  peak {m_free:7.1f} MiB  placed {free.diagnostics.placed}, "
        f"proposals {free.diagnostics.proposals}   (run(): input to result)"
    )
    prepared = prepare(free_input)
    _, t_solve_engine, _, _ = measure(lambda: stable_assignment(prepared), repeat=5, memory=False)
    say(f"   engine solve step alone: {t_solve_engine:8.4f}s  (stable_assignment on the prepared input)")
    shuffled_input = to_input(inst, caps=False, ranks_in_list_order=False)
    shuffled, t_shuffled, _, _ = measure(lambda: run(shuffled_input), repeat=5, memory=False)
    say(
        f"   engine, host ranks not in list order: {t_shuffled:8.4f}s  (looked up pair by pair), "
        f"same result: {shuffled == free}"
    )
    row = f"{n:>6} | {t_capped:8.4f}s {m_capped:6.1f}MiB | {t_free:8.4f}s {m_free:6.1f}MiB {t_solve_engine:7.4f}s"
    if not run_peer:
        say("   peer skipped (--skip-peer-above)")
        return [row + " | peer skipped"]
    say("   peer: building its instance (slow) ...")
    rss_before = max_rss_mib()
    start = time.perf_counter()
    game = in_big_thread(lambda: peer_build(inst))
    t_build = time.perf_counter() - start
    say(f"   peer build:             {t_build:8.2f}s")
    # Side by side: each timed run of the peer's solve step is followed by five of the engine's run() and
    # five of its solve step, so that the machine's noise falls on both. The peer's solve consumes its game
    # (it deletes players' preferences), so each of its runs gets a deep copy (copying is not timed), which
    # also leaves its data warm in the caches; the engine's runs get the same: one untimed run first.
    peer_times: list[float] = []
    run_times: list[float] = []
    step_times: list[float] = []
    peer: dict[str, str] = {}
    for _ in range(peer_repeat):
        fresh = in_big_thread(lambda: copy.deepcopy(game))
        gc.collect()
        start = time.perf_counter()
        peer = in_big_thread(lambda fresh=fresh: peer_solve(fresh))  # type: ignore[misc]
        peer_times.append(time.perf_counter() - start)
        del fresh
        run(free_input)
        run_times += measure(lambda: run(free_input), repeat=5, memory=False)[3]
        stable_assignment(prepared)
        step_times += measure(lambda: stable_assignment(prepared), repeat=5, memory=False)[3]
    rss_growth = max_rss_mib() - rss_before
    identical = peer == dict(free.assignment)
    say(f"   peer solve:             {min(peer_times):8.4f}s  identical to the engine: {identical}")
    say(f"   peer peak RSS growth (build + solve): {rss_growth:.1f} MiB")
    best = (min(peer_times), min(run_times), min(step_times))
    median = (statistics.median(peer_times), statistics.median(run_times), statistics.median(step_times))
    say(
        f"   side by side, best / median of {len(peer_times)} peer and {len(run_times)} engine runs: "
        f"peer solve {best[0]:.4f}s / {median[0]:.4f}s, engine run() {best[1]:.4f}s / {median[1]:.4f}s, "
        f"engine solve step {best[2]:.4f}s / {median[2]:.4f}s"
    )
    ratio_run = (best[0] / best[1], median[0] / median[1])
    ratio_step = (best[0] / best[2], median[0] / median[2])
    ratio_total = (t_build + best[0]) / best[1]
    say(
        f"   peer solve / engine run(): {ratio_run[0]:6.1f}x (medians {ratio_run[1]:.1f}x)   "
        f"peer solve / engine solve step: {ratio_step[0]:6.1f}x (medians {ratio_step[1]:.1f}x)   "
        f"peer build + solve / engine run(): {ratio_total:8.1f}x"
    )
    return [
        row + f" | {t_build:8.2f}s {best[0]:7.3f}s {rss_growth:7.1f}MiB | {ratio_run[0]:5.1f}x ({ratio_run[1]:4.1f}x) "
        f"{ratio_step[0]:6.1f}x ({ratio_step[1]:5.1f}x) {ratio_total:8.1f}x | {identical}"
    ]


def big_and_scan(n: int, seed: int) -> list[str]:
    lines: list[str] = []
    say(f"\n== {n} applicants x 10 choices, end to end (plain rows -> MatchingInput -> result)")
    instances: dict[int, Instance] = {n: generate(n, seed, min_choices=10, max_choices=10)}
    inst = instances[n]
    say(f"   {len(inst.offers)} offers, {inst.pairs} ranked pairs")
    for caps in (True, False):
        result, t_all, m_all, _ = measure(lambda caps=caps: run(to_input(inst, caps=caps)))  # type: ignore[misc]
        built = to_input(inst, caps=caps)
        _, t_run, _, _ = measure(lambda built=built: run(built), memory=False)  # type: ignore[misc]
        label = "with quotas" if caps else "without quotas"
        d = result.diagnostics
        say(
            f"   {label:15} end to end {t_all:6.3f}s (run() alone {t_run:6.3f}s)  peak {m_all:6.1f} MiB  "
            f"proposals {d.proposals}  placed {d.placed}"
        )
        lines.append(
            f"{n} x 10, {label:15}: end to end {t_all:6.3f}s, run() {t_run:6.3f}s, peak {m_all:6.1f} MiB, "
            f"{d.proposals} proposals"
        )
    say("   time against proposals (without quotas; run() from input to result, and its solve step; best of 3):")
    for m in (n // 8, n // 4, n // 2, n):
        if m not in instances:
            instances[m] = generate(m, seed, min_choices=10, max_choices=10)
        data = to_input(instances[m], caps=False)
        res, t, _, _ = measure(lambda data=data: run(data), memory=False)  # type: ignore[misc]
        prepared = prepare(data)
        _, t_step, _, _ = measure(lambda prepared=prepared: stable_assignment(prepared), memory=False)  # type: ignore[misc]
        props = max(res.diagnostics.proposals, 1)
        line = (
            f"{m:>7} applicants: {props:>8} proposals run() {t:7.3f}s {1e9 * t / props:5.0f} ns/proposal, "
            f"solve step {t_step:7.3f}s {1e9 * t_step / props:4.0f} ns/proposal"
        )
        say("     " + line)
        lines.append("scan " + line)
    return lines


def balanced_run(n: int, seed: int, tolerance: int) -> list[str]:
    say(f"\n== both policies, {n} applicants, tolerance {tolerance}")
    data = to_input(generate(n, seed))
    both, t_both, m_both, _ = measure(lambda: compare(data, tolerance), repeat=1)
    s, b = both.stable.diagnostics, both.balanced.diagnostics
    say(
        f"   compare(): {t_both:.3f}s (stable {s.elapsed_seconds:.3f}s, balanced {b.elapsed_seconds:.3f}s), "
        f"peak {m_both:.1f} MiB"
    )
    _, t_alone, _, _ = measure(lambda: run(data, policy="balanced", tolerance=tolerance), repeat=1, memory=False)
    say(f"   run(policy='balanced') alone, end to end (includes its stable run): {t_alone:.3f}s")
    say(f"   total |balance| before: {s.total_abs_balance_before}")
    for label, d, blocking in (("stable", s, b.stable_blocking_pairs), ("balanced", b, b.blocking_pairs)):
        say(
            f"   {label:8}: placed {d.placed:>6}, total |balance| after {d.total_abs_balance_after:>6}, "
            f"preference cost {d.preference_cost:>7}, blocking pairs {blocking}"
        )
    return [
        f"balanced {n}: run() {t_alone:.3f}s; placed {b.placed} (stable {s.placed}); total |balance| "
        f"{s.total_abs_balance_before} before -> {b.total_abs_balance_after} (stable {s.total_abs_balance_after}); "
        f"blocking pairs {b.blocking_pairs} (stable {b.stable_blocking_pairs})"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,10000,20000", help="comma-separated applicant counts")
    parser.add_argument("--skip-peer-above", type=int, default=None, help="no peer above this size")
    parser.add_argument("--big", type=int, default=100_000, help="applicants of the end-to-end run (0: skip)")
    parser.add_argument("--balanced", type=int, default=50_000, help="applicants of the balanced run (0: skip)")
    parser.add_argument("--tolerance", type=int, default=2, help="balance tolerance of the balanced run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--peer-repeat", type=int, default=5, help="timed runs of the peer's solve step")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of a few seconds")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.big, args.balanced = "300,1000", 4000, 2000
    sizes = [int(s) for s in args.sizes.split(",") if s]

    started = time.perf_counter()
    say(f"python {sys.version.split()[0]}, seed {args.seed}, load average {os.getloadavg()[0]:.2f}")
    say(f"calibration: 10M-iteration Python loop {calibration():.2f}s")
    peer_rows: list[str] = []
    for n in sizes:
        run_peer = args.skip_peer_above is None or n <= args.skip_peer_above
        peer_rows += against_peer(n, args.seed, run_peer, args.peer_repeat)
    other_rows: list[str] = []
    if args.big:
        other_rows += big_and_scan(args.big, args.seed)
    if args.balanced:
        other_rows += balanced_run(args.balanced, args.seed, args.tolerance)

    say(f"\n== summary (load average {os.getloadavg()[0]:.2f}, {time.perf_counter() - started:.0f}s in all)")
    say(
        " sizes | engine with quotas  | engine no quotas: run(), solve step | peer build  solve   RSS growth | "
        "solve/run() (medians) solve/solve (medians) total/run() | identical"
    )
    for row in peer_rows:
        say(row)
    for row in other_rows:
        say(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
