"""A stale-while-revalidate cache of encoded answers (the public offer search uses it, lib/cached_route.py).

An answer is fresh for a random time between half and all of `seconds` (answers stored together, after a restart or
a burst, do not go stale together). After that a reader gets it at once, stale, and one background task recomputes
it: no request waits for a refresh. That is the point. Where the database shares CPU with the app, a 40 ms search
query took up to 4 s under load (bench/search.py), and the readers who waited for their refresh were the slowest
hundredth of all requests. At most `max_refreshes` run at once per process, the others queue: a burst of stale keys
does not flood the database, and under overload answers get older (each key has at most one refresh queued, so the
age stays bounded by keys / refresh rate) rather than slower. An answer is dropped `stale_seconds` after its
freshness ends; the next reader of a key with no answer computes it while the other readers wait for that answer (up
to `refresh_timeout`), so a cold popular key costs one query, not one per reader; if that fails, each waiter
computes for itself (and gets its own error). A reader of a key with no answer does not wait for a refresh still
queued: it computes the answer itself. A running refresh is cancelled after `refresh_timeout` (so a hung query
cannot hold its slot), and a reader may start another; a queued one is never given up on. A failed refresh is logged
and retried after `refresh_timeout`, not at once (a database that is down is not hammered), the stale answer being
served meanwhile. At most `max_entries` answers and `max_bytes` of them are kept, the least recently read evicted
first. Times are monotonic, not the app clock: they measure the age of an answer, not business time. No lock: one
event loop, and nothing changes the tables across an await.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

logger = logging.getLogger("backend.cache")

Compute = Callable[[], Awaitable[bytes]]


@dataclass(slots=True)
class _Entry:
    data: bytes
    stored_at: float
    fresh_until: float
    stale_until: float


@dataclass(slots=True)
class _Computing:
    since: float
    done: asyncio.Event = field(default_factory=asyncio.Event)


class RefreshingCache:
    def __init__(
        self,
        seconds: float,
        *,
        stale_seconds: float = 60.0,
        max_refreshes: int = 2,
        max_entries: int = 4096,
        max_bytes: int = 64 << 20,
        refresh_timeout: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
        random_fraction: Callable[[], float] = random.random,
    ) -> None:
        self.seconds = seconds
        self.stale_seconds = stale_seconds
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size_bytes = 0
        self.refresh_timeout = refresh_timeout
        self._now = monotonic
        self._random = random_fraction
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        # Keys being computed (no answer yet) or refreshed (a stale answer is served), since when.
        self._computing: dict[str, _Computing] = {}
        self._refreshes: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(max_refreshes)

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, key: str, compute: Compute) -> bytes:
        """The answer for `key`, computed by `compute` when there is none usable (seconds <= 0: every time)."""
        if self.seconds <= 0:
            return await compute()
        now = self._now()
        entry = self._entries.get(key)
        if entry is not None and now >= entry.stale_until:
            self._drop(key)
            entry = None
        if entry is None:
            return await self._first(key, compute, now)
        self._entries.move_to_end(key)
        if now >= entry.fresh_until and (mine := self._claim(key, now)) is not None:
            mine.since = math.inf  # queued: see _refresh
            task = asyncio.create_task(self._refresh(key, compute, mine))
            self._refreshes.add(task)  # a task only weakly referenced may be collected before it ends
            task.add_done_callback(self._refreshes.discard)
        return entry.data

    def age(self, key: str) -> float | None:
        """Seconds since the answer kept for `key` was computed (for an HTTP Age header)."""
        entry = self._entries.get(key)
        return None if entry is None else self._now() - entry.stored_at

    async def close(self) -> None:
        """Cancels the refreshes under way (before the database they use is closed)."""
        for task in list(self._refreshes):
            task.cancel()
        await asyncio.gather(*self._refreshes, return_exceptions=True)

    def _claim(self, key: str, now: float, *, over_queued: bool = False) -> _Computing | None:
        """The caller's claim to compute `key`, or None when another computation is under way. A queued refresh
        (its `since` is infinite until it starts) is never given up on, except by a reader with no answer to
        serve (`over_queued`): he does not wait for the queue."""
        computing = self._computing.get(key)
        if (
            computing is None
            or now - computing.since >= self.refresh_timeout
            or (over_queued and computing.since == math.inf)
        ):
            mine = self._computing[key] = _Computing(now)
            return mine
        return None

    async def _first(self, key: str, compute: Compute, now: float) -> bytes:
        mine = self._claim(key, now, over_queued=True)
        if mine is None:
            computing = self._computing[key]
            wait = min(self.refresh_timeout, self.refresh_timeout - (now - computing.since))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(computing.done.wait(), wait)
            entry = self._entries.get(key)
            if entry is not None:
                return entry.data
            return await compute()  # the first reader failed or is stuck: no answer to share
        try:
            data = await compute()
        except BaseException:
            self._finished(key, mine)
            raise
        self._store(key, data, mine)
        return data

    async def _refresh(self, key: str, compute: Compute, mine: _Computing) -> None:
        try:
            async with self._slots:
                if self._computing.get(key) is not mine:  # a reader with no answer computed it meanwhile
                    mine.done.set()
                    return
                mine.since = self._now()  # from now on it may be given up on after refresh_timeout
                async with asyncio.timeout(self.refresh_timeout):  # a hung query would keep its slot
                    data = await compute()
        except Exception as exc:
            # The type only: a message may quote the query, and the query string is the user's input.
            logger.warning("cached answer refresh failed", extra={"error": type(exc).__name__})
            self._finished(key, mine)
            entry = self._entries.get(key)
            if entry is not None:
                entry.fresh_until = min(entry.stale_until, self._now() + self.refresh_timeout)
            return
        except BaseException:  # cancelled (shutdown): nothing stored, the key free
            self._finished(key, mine)
            raise
        self._store(key, data, mine)

    def _store(self, key: str, data: bytes, mine: _Computing) -> None:
        now = self._now()
        self._finished(key, mine)
        fresh_for = self.seconds * (0.5 + 0.5 * self._random())
        self._drop(key)
        self._entries[key] = _Entry(data, now, now + fresh_for, now + fresh_for + self.stale_seconds)
        self.size_bytes += len(key) + len(data)  # keys count: a query string may be long
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries or self.size_bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.size_bytes -= len(key) + len(entry.data)

    def _finished(self, key: str, mine: _Computing) -> None:
        if self._computing.get(key) is mine:  # not a later claim made after this one timed out
            del self._computing[key]
        mine.done.set()
