"""The stale-while-revalidate cache: fresh, stale served while a background task refreshes, cold keys
computed once, failures (in the foreground and in the background), timeouts, eviction, shutdown."""

from __future__ import annotations

import asyncio
import logging

import pytest

from backend.lib.cache import RefreshingCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Source:
    """A computation that counts its calls; `gate`, when set, holds each call until released."""

    def __init__(self, prefix: str = "v", *, gate: asyncio.Event | None = None, fail: bool = False) -> None:
        self.prefix = prefix
        self.calls = 0
        self.gate = gate
        self.fail = fail

    async def __call__(self) -> bytes:
        self.calls += 1
        n = self.calls
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise RuntimeError("database down")
        return f"{self.prefix}{n}".encode()


def cache(clock: Clock, fraction: float = 1.0, **kwargs: float) -> RefreshingCache:
    kwargs.setdefault("stale_seconds", 10)
    return RefreshingCache(10, monotonic=clock, random_fraction=lambda: fraction, **kwargs)  # type: ignore[arg-type]


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_fresh_answer_is_reused() -> None:
    clock, source = Clock(), Source()
    c = cache(clock)
    assert await c.get("k", source) == b"v1"
    clock.now += 9.9
    assert await c.get("k", source) == b"v1"
    assert await c.get("other", source) == b"v2"
    assert source.calls == 2


async def test_a_stale_answer_is_served_at_once_while_one_background_task_refreshes_it() -> None:
    clock, gate = Clock(), asyncio.Event()
    c = cache(clock)
    assert await c.get("k", Source()) == b"v1"
    clock.now += 10.1
    slow = Source("new", gate=gate)
    # Nobody waits for the refresh, and only one is started however many readers come.
    assert await asyncio.wait_for(asyncio.gather(*(c.get("k", slow) for _ in range(5))), 1) == [b"v1"] * 5
    await settle()
    assert slow.calls == 1
    gate.set()
    await settle()
    assert await c.get("k", slow) == b"new1"
    assert slow.calls == 1
    clock.now += 9.9
    assert await c.get("k", slow) == b"new1"  # fresh again for the full time from the refresh
    assert slow.calls == 1


async def test_freshness_is_drawn_between_half_and_all_of_the_time() -> None:
    clock, source = Clock(), Source()
    c = cache(clock, fraction=0.0)
    await c.get("k", source)
    clock.now += 4.9
    await c.get("k", source)
    await settle()
    assert source.calls == 1
    clock.now += 0.2
    await c.get("k", source)
    await settle()
    assert source.calls == 2


async def test_past_its_stale_time_the_answer_is_gone_and_its_reader_waits_for_a_new_one() -> None:
    clock, source = Clock(), Source()
    c = cache(clock)
    await c.get("k", source)
    clock.now += 20
    assert await c.get("k", source) == b"v2"
    assert len(c) == 1


async def test_readers_of_a_cold_key_wait_for_the_first_ones_answer() -> None:
    gate = asyncio.Event()
    source = Source(gate=gate)
    c = RefreshingCache(10)
    readers = [asyncio.create_task(c.get("k", source)) for _ in range(4)]
    await settle()
    assert not any(r.done() for r in readers)
    gate.set()
    assert await asyncio.gather(*readers) == [b"v1"] * 4
    assert source.calls == 1


async def test_when_the_first_computation_fails_each_waiter_computes_for_itself() -> None:
    gate = asyncio.Event()
    failing = Source(gate=gate, fail=True)
    c = RefreshingCache(10)
    first = asyncio.create_task(c.get("k", failing))
    await settle()
    waiters = [asyncio.create_task(c.get("k", failing)) for _ in range(2)]
    await settle()
    assert failing.calls == 1
    gate.set()
    results = await asyncio.gather(first, *waiters, return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
    assert failing.calls == 3
    assert len(c) == 0  # nothing stored, and the key is free for the next reader
    assert await c.get("k", Source()) == b"v1"


async def test_waiting_for_a_cold_key_is_bounded_by_the_refresh_timeout() -> None:
    stuck = Source(gate=asyncio.Event())
    c = RefreshingCache(10, refresh_timeout=0.05)
    first = asyncio.create_task(c.get("k", stuck))
    await settle()
    assert await asyncio.wait_for(c.get("k", Source()), 1) == b"v1"  # gave up waiting, computed its own
    first.cancel()


async def test_a_failed_refresh_keeps_the_stale_answer_and_is_retried_after_the_timeout(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    c = cache(clock, refresh_timeout=3)
    await c.get("k?q=secret", Source())
    clock.now += 11
    failing = Source(fail=True)
    with caplog.at_level(logging.WARNING, logger="backend.cache"):
        assert await c.get("k?q=secret", failing) == b"v1"
        await settle()
    assert failing.calls == 1
    assert [r.getMessage() for r in caplog.records] == ["cached answer refresh failed"]
    assert "secret" not in caplog.text
    clock.now += 2.9
    assert await c.get("k?q=secret", failing) == b"v1"
    await settle()
    assert failing.calls == 1  # not hammered while the timeout runs
    clock.now += 0.2
    working = Source("new")
    assert await c.get("k?q=secret", working) == b"v1"
    await settle()
    assert working.calls == 1
    assert await c.get("k?q=secret", working) == b"new1"


async def test_a_stuck_refresh_is_given_up_after_the_timeout_and_cannot_release_the_next_one() -> None:
    clock, first_gate = Clock(), asyncio.Event()
    c = cache(clock, refresh_timeout=3)
    await c.get("k", Source())
    clock.now += 11
    stuck = Source(gate=first_gate, fail=True)
    await c.get("k", stuck)
    await settle()
    clock.now += 3  # the stuck refresh is given up on: the next reader starts another
    second_gate = asyncio.Event()
    second = Source("new", gate=second_gate)
    assert await c.get("k", second) == b"v1"
    await settle()
    assert second.calls == 1
    first_gate.set()  # the stuck one fails now; the second is still the one under way
    await settle()
    third = Source()
    assert await c.get("k", third) == b"v1"
    await settle()
    assert third.calls == 0
    second_gate.set()
    await settle()
    assert await c.get("k", third) == b"new1"
    assert third.calls == 0


async def test_the_least_recently_read_key_is_evicted() -> None:
    clock, source = Clock(), Source()
    c = cache(clock, max_entries=2)
    assert await c.get("a", source) == b"v1"
    assert await c.get("b", source) == b"v2"
    assert await c.get("a", source) == b"v1"
    assert await c.get("c", source) == b"v3"
    assert len(c) == 2
    assert await c.get("a", source) == b"v1"
    assert await c.get("b", source) == b"v4"  # evicted, computed again


async def test_the_answers_kept_are_bounded_in_bytes_too() -> None:
    clock = Clock()
    c = cache(clock, max_bytes=8)  # keys count with their answers
    assert await c.get("a", Source("aa")) == b"aa1"
    assert await c.get("b", Source("b")) == b"b1"
    assert (len(c), c.size_bytes) == (2, 4 + 3)
    assert await c.get("c", Source("c")) == b"c1"  # over 8 bytes: "a", the least recently read, goes
    assert (len(c), c.size_bytes) == (2, 3 + 3)
    assert await c.get("a", Source("new")) == b"new1"  # 5 bytes: "b" goes
    assert (len(c), c.size_bytes) == (2, 3 + 5)
    clock.now += 30  # past freshness and staleness: dropped when read, the size follows
    assert await c.get("a", Source("x")) == b"x1"
    assert (len(c), c.size_bytes) == (2, 3 + 3)
    assert await c.get("k" * 20, Source()) == b"v1"  # bigger than the bound on its own: not kept, nor the rest
    assert (len(c), c.size_bytes) == (0, 0)


async def test_with_no_time_every_read_computes() -> None:
    source = Source()
    c = RefreshingCache(0)
    assert [await c.get("k", source) for _ in range(3)] == [b"v1", b"v2", b"v3"]
    assert len(c) == 0


async def test_close_cancels_the_refreshes_under_way() -> None:
    clock = Clock()
    c = cache(clock)
    await c.get("k", Source())
    clock.now += 11
    stuck = Source(gate=asyncio.Event())
    await c.get("k", stuck)
    await settle()
    assert stuck.calls == 1
    await asyncio.wait_for(c.close(), 1)
    assert await c.get("k", Source()) == b"v1"  # still the stale answer; nothing half-stored


async def test_at_most_max_refreshes_run_at_once_and_a_queued_one_is_never_given_up_on() -> None:
    clock, gate = Clock(), asyncio.Event()
    c = cache(clock, max_refreshes=2, refresh_timeout=3, stale_seconds=100)
    for key in "abc":
        await c.get(key, Source())
    clock.now += 11
    running = {key: Source(f"{key}-", gate=gate) for key in "ab"}
    queued = Source("c-")
    for key in "ab":
        assert await c.get(key, running[key]) == b"v1"
    assert await c.get("c", queued) == b"v1"
    await settle()
    assert [running["a"].calls, running["b"].calls, queued.calls] == [1, 1, 0]  # "c" waits for a slot
    clock.now += 50  # past the timeout: the running refreshes are given up on, not the queued one
    again = {key: Source(f"{key}+") for key in "abc"}
    for key in "abc":
        assert await c.get(key, again[key]) == b"v1"
    gate.set()
    for _ in range(4):
        await settle()
    assert [queued.calls, again["c"].calls] == [1, 0]
    assert [again["a"].calls, again["b"].calls] == [1, 1]
    assert [await c.get(key, Source()) for key in "abc"] == [b"a+1", b"b+1", b"c-1"]


async def test_the_age_of_an_answer_counts_from_its_computation() -> None:
    clock = Clock()
    c = cache(clock)
    assert c.age("k") is None
    await c.get("k", Source())
    assert c.age("k") == 0
    clock.now += 12.5
    assert await c.get("k", Source("new", gate=asyncio.Event())) == b"v1"  # stale, its refresh pending
    assert c.age("k") == 12.5


async def test_a_hung_refresh_is_cancelled_after_the_timeout_and_frees_its_slot() -> None:
    clock = Clock()
    c = cache(clock, max_refreshes=1, refresh_timeout=0.05)  # real seconds for the refresh's own timeout
    for key in "ab":
        await c.get(key, Source())
    clock.now += 11
    hung = Source("a-", gate=asyncio.Event())  # never released
    queued = Source("b-")
    assert await c.get("a", hung) == b"v1"
    assert await c.get("b", queued) == b"v1"
    await settle()
    assert [hung.calls, queued.calls] == [1, 0]  # "b" waits for the only slot
    await asyncio.sleep(0.2)
    assert queued.calls == 1  # the hung one was cancelled: its slot went to "b"
    assert await c.get("b", Source()) == b"b-1"
    assert await c.get("a", Source()) == b"v1"  # still the stale answer, retried later


async def test_a_reader_with_no_answer_does_not_wait_for_a_queued_refresh() -> None:
    clock, gate = Clock(), asyncio.Event()
    c = cache(clock, max_refreshes=1, refresh_timeout=3, stale_seconds=5)
    for key in "ab":
        await c.get(key, Source())
    clock.now += 11
    assert await c.get("a", Source("a-", gate=gate)) == b"v1"  # takes the only slot
    queued = Source("b-")
    assert await c.get("b", queued) == b"v1"  # queued behind it
    clock.now += 10  # "b" is past its stale time: dropped when read
    reader = Source("now-")
    assert await asyncio.wait_for(c.get("b", reader), 1) == b"now-1"  # computed at once, not after the queue
    gate.set()
    await settle()
    assert queued.calls == 0  # the queued refresh found the key computed and stood down
    assert await c.get("b", Source()) == b"now-1"
