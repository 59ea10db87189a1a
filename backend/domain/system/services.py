"""Readiness: each backing service answers within a short timeout, checked concurrently."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text

from backend.domain.system.schemas import ServiceCheck
from backend.lib.db import Database
from backend.lib.queue import Queue
from backend.lib.storage import Storage

CHECK_TIMEOUT_SECONDS = 2.0


async def _timed(check: Callable[[], Awaitable[object]]) -> ServiceCheck:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await check()
    except Exception as exc:
        return ServiceCheck(ok=False, ms=round((time.perf_counter() - started) * 1000, 1), error=type(exc).__name__)
    return ServiceCheck(ok=True, ms=round((time.perf_counter() - started) * 1000, 1))


async def check_services(database: Database, queue: Queue | None, storage: Storage) -> dict[str, ServiceCheck]:
    async def postgres() -> None:
        async with database.sessionmaker() as session:
            await session.execute(text("SELECT 1"))

    async def redis() -> None:
        if queue is None:
            raise ConnectionError("queue not connected")
        await queue.ping()

    names = ("postgres", "redis", "s3")
    results = await asyncio.gather(_timed(postgres), _timed(redis), _timed(storage.ping))
    return dict(zip(names, results, strict=True))
