"""The response cache's store: serves a stale answer while one request refreshes it.

Litestar's response cache (used by the public offer search) asks its store for a key before running the
handler, and stores the encoded response after. With a plain store every key expires at once for all
readers, and each reader then waits for the database: under load, keys cached together (a restart, a
burst of traffic) expire together and the misses queue for the connection pool. This store keeps an answer
for twice its expiry: fresh for the first part (between half and all of `expires_in`, drawn at random so
that keys stored together do not go stale together), then stale for the rest. The first reader of a stale
key gets a miss and recomputes it; every other reader meanwhile gets the stale answer
(stale-while-revalidate). A refresh that ends without storing (an error) is retried by a later reader after
`refresh_timeout` seconds, or at once when the app calls `abandon` (its cache filter does, for every answer
it does not store). A key with no answer at all (cold, or expired) is computed by its first reader while the
others wait for it, up to `refresh_timeout`. At most `max_entries` keys are kept, the least recently read
evicted first. Times are monotonic, not the app clock: they measure the age of an answer, not business time.
No lock: the store awaits only to wait for a computation, so on one event loop every change is atomic.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from litestar import Request
from litestar.stores.base import Store
from litestar.types import Scope


def scope_key(scope: Scope) -> str:
    """The cache key: the path and the query string as sent. Litestar's default sorts and re-encodes the
    query parameters on every request (a tenth of a worker's time on cached searches); clients that
    order their parameters differently only get separate entries."""
    return str(scope["path"]) + "?" + bytes(scope["query_string"]).decode("latin-1")


def raw_url_key(request: Request[Any, Any, Any]) -> str:
    return scope_key(request.scope)


@dataclass(slots=True)
class _Entry:
    data: bytes
    fresh_until: float
    stale_until: float


@dataclass(slots=True)
class _Computing:
    since: float
    done: asyncio.Event


def _seconds(value: int | timedelta | None, default: float) -> float:
    if value is None:
        return default
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class RefreshingStore(Store):
    def __init__(
        self,
        *,
        max_entries: int = 4096,
        refresh_timeout: float = 5.0,
        default_seconds: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
        random_fraction: Callable[[], float] = random.random,
    ) -> None:
        self.max_entries = max_entries
        self.refresh_timeout = refresh_timeout
        self.default_seconds = default_seconds
        self._now = monotonic
        self._random = random_fraction
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        # Keys a reader is computing (no answer yet) or refreshing (a stale answer), since when.
        self._computing: dict[str, _Computing] = {}

    @property
    def size(self) -> int:  # not __len__: Litestar's store registry replaces a store that is falsy (empty)
        return len(self._entries)

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        seconds = _seconds(expires_in, self.default_seconds)
        now = self._now()
        self._finished(key)
        self._entries[key] = _Entry(data, now + seconds * (0.5 + 0.5 * self._random()), now + 2 * seconds)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        entry = self._entries.get(key)
        now = self._now()
        if entry is not None and now >= entry.stale_until:
            del self._entries[key]
            entry = None
        if entry is None:
            return await self._first(key, now)
        self._entries.move_to_end(key)
        if now >= entry.fresh_until and self._claim(key, now) is None:
            return None  # this reader refreshes; the others keep the stale answer meanwhile
        return entry.data

    def _claim(self, key: str, now: float) -> _Computing | None:
        """None when the caller is now the one computing `key`; else the computation under way."""
        computing = self._computing.get(key)
        if computing is None or now - computing.since >= self.refresh_timeout:
            self._computing[key] = _Computing(now, asyncio.Event())
            return None
        return computing

    async def _first(self, key: str, now: float) -> bytes | None:
        """A key with no answer: the first reader computes it, the others wait for that answer (a cold
        popular key, after a restart, costs one query, not one per reader)."""
        computing = self._claim(key, now)
        if computing is None:
            return None
        try:
            await asyncio.wait_for(computing.done.wait(), self.refresh_timeout - (now - computing.since))
        except TimeoutError:
            return None
        entry = self._entries.get(key)
        return entry.data if entry is not None else None  # nothing stored (an error): compute it yourself

    def abandon(self, key: str) -> None:
        """The reader computing or refreshing `key` ends without an answer to store (an error response):
        its waiters compute for themselves, and the next reader of a stale answer refreshes it."""
        self._finished(key)

    def _finished(self, key: str) -> None:
        computing = self._computing.pop(key, None)
        if computing is not None:
            computing.done.set()

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def delete_all(self) -> None:
        self._entries.clear()

    async def exists(self, key: str) -> bool:
        entry = self._entries.get(key)
        return entry is not None and self._now() < entry.stale_until

    async def expires_in(self, key: str) -> int | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        return max(0, int(entry.stale_until - self._now()))
