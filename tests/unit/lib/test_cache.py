"""The response cache's store: fresh, stale-while-revalidate, expiry, retry of a lost refresh, eviction.

Also through Litestar's response cache on a tiny app, so the store is tested the way the search uses it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated

from litestar import Litestar, get
from litestar.config.response_cache import ResponseCacheConfig
from litestar.params import QueryParameter
from litestar.testing import TestClient

from backend.lib.cache import RefreshingStore, raw_url_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def store(clock: Clock, fraction: float = 1.0, **kwargs: float) -> RefreshingStore:
    return RefreshingStore(monotonic=clock, random_fraction=lambda: fraction, **kwargs)  # type: ignore[arg-type]


async def test_fresh_then_one_reader_refreshes_while_the_others_get_the_stale_answer() -> None:
    clock = Clock()
    s = store(clock)
    await s.set("k", b"v1", expires_in=10)
    clock.now += 9.9
    assert await s.get("k") == b"v1"
    clock.now += 0.2  # stale now
    assert await s.get("k") is None  # this reader refreshes
    assert await s.get("k") == b"v1"  # the others are served the stale answer
    assert await s.get("k") == b"v1"
    await s.set("k", b"v2", expires_in=10)
    assert await s.get("k") == b"v2"


async def test_freshness_is_drawn_between_half_and_all_of_the_expiry() -> None:
    clock = Clock()
    s = store(clock, fraction=0.0, refresh_timeout=100)
    await s.set("k", b"v", expires_in=timedelta(seconds=10))
    clock.now += 4.9
    assert await s.get("k") == b"v"
    clock.now += 0.2
    assert await s.get("k") is None


async def test_past_twice_the_expiry_the_answer_is_gone_and_one_reader_recomputes_it() -> None:
    clock = Clock()
    s = store(clock)
    await s.set("k", b"v", expires_in=10)
    clock.now += 20
    assert await s.get("k") is None  # this reader recomputes
    assert not await s.exists("k")
    assert s.size == 0
    second = asyncio.create_task(s.get("k"))  # waits for the first one's answer
    await asyncio.sleep(0.01)
    assert not second.done()
    await s.set("k", b"v2", expires_in=10)
    assert await second == b"v2"


async def test_a_refresh_that_never_stores_is_retried_after_the_timeout() -> None:
    clock = Clock()
    s = store(clock, refresh_timeout=3)
    await s.set("k", b"v", expires_in=10)
    clock.now += 11
    assert await s.get("k") is None  # a refresh that will fail
    clock.now += 2
    assert await s.get("k") == b"v"
    clock.now += 1.5
    assert await s.get("k") is None  # given up on: another reader refreshes


async def test_the_least_recently_read_key_is_evicted() -> None:
    clock = Clock()
    s = store(clock, max_entries=2)
    await s.set("a", b"1", expires_in=10)
    await s.set("b", b"2", expires_in=10)
    assert await s.get("a") == b"1"
    await s.set("c", "3", expires_in=10)
    assert await s.get("b") is None
    assert await s.get("a") == b"1"
    assert await s.get("c") == b"3"
    assert await s.expires_in("c") == 20
    await s.delete("c")
    assert await s.expires_in("c") is None
    await s.delete_all()
    assert s.size == 0


def test_through_litestar_the_stale_page_is_served_while_one_request_recomputes() -> None:
    clock = Clock()
    calls: list[int] = []

    @get("/n", cache=10)
    async def counter() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    app = Litestar(
        [counter],
        stores={"response_cache": store(clock)},
        response_cache_config=ResponseCacheConfig(),
    )
    with TestClient(app) as client:
        assert client.get("/n").json() == {"n": 1}
        assert client.get("/n").json() == {"n": 1}
        clock.now += 11
        assert client.get("/n").json() == {"n": 2}  # the refreshing request
        assert client.get("/n").json() == {"n": 2}
        assert len(calls) == 2


def test_the_key_is_the_path_and_the_query_string_as_sent() -> None:
    calls: list[int] = []

    @get("/n", cache=10)
    async def counter(a: Annotated[int, QueryParameter()] = 0) -> dict[str, int]:
        calls.append(a)
        return {"n": len(calls)}

    app = Litestar(
        [counter],
        stores={"response_cache": RefreshingStore()},
        response_cache_config=ResponseCacheConfig(key_builder=raw_url_key),
    )
    with TestClient(app) as client:
        assert client.get("/n?a=1").json() == {"n": 1}
        assert client.get("/n?a=1").json() == {"n": 1}
        assert client.get("/n?a=2").json() == {"n": 2}
        assert client.get("/n").json() == {"n": 3}
        assert calls == [1, 2, 0]


async def test_readers_of_a_cold_key_wait_for_the_first_one() -> None:
    s = RefreshingStore()
    assert await s.get("k") is None  # the first reader computes
    waiters = [asyncio.create_task(s.get("k")) for _ in range(3)]
    await asyncio.sleep(0.01)
    assert not any(w.done() for w in waiters)
    await s.set("k", b"v", expires_in=10)
    assert await asyncio.gather(*waiters) == [b"v", b"v", b"v"]


async def test_an_abandoned_computation_releases_its_waiters_to_compute_for_themselves() -> None:
    s = RefreshingStore()
    assert await s.get("k") is None
    waiter = asyncio.create_task(s.get("k"))
    await asyncio.sleep(0.01)
    s.abandon("k")
    assert await waiter is None
    assert await s.get("k") is None  # the next reader computes again


async def test_waiting_for_a_cold_key_is_bounded() -> None:
    s = RefreshingStore(refresh_timeout=0.05)
    assert await s.get("k") is None
    assert await asyncio.wait_for(s.get("k"), 1) is None  # gave up waiting after 0.05 s


async def test_an_abandoned_refresh_is_handed_to_the_next_reader() -> None:
    clock = Clock()
    s = store(clock, refresh_timeout=100)
    await s.set("k", b"v", expires_in=10)
    clock.now += 11
    assert await s.get("k") is None  # refreshes, then fails
    assert await s.get("k") == b"v"
    s.abandon("k")
    assert await s.get("k") is None
