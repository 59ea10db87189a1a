"""What every job receives: settings, the database and a clock, opened once per worker process."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy.ext.asyncio import AsyncSession

from backend.lib.clock import Clock, system_clock
from backend.lib.db import Database
from backend.lib.logging import configure_logging
from backend.lib.queue import OUTBOX_JOB, Queue
from backend.lib.settings import Settings, get_settings

logger = logging.getLogger("workers")


class JobContext(TypedDict, total=False):
    settings: Settings
    database: Database
    clock: Clock
    job_id: str
    job_try: int


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.get("settings") or get_settings()
    if "database" not in ctx:
        configure_logging(level=settings.log_level, json_lines=settings.json_logs)
    ctx["settings"] = settings
    ctx.setdefault("database", Database.from_settings(settings))
    ctx.setdefault("clock", system_clock)
    logger.info("worker started")


async def shutdown(ctx: dict[str, Any]) -> None:
    database: Database = ctx["database"]
    await database.dispose()


@asynccontextmanager
async def job_session(ctx: dict[str, Any]) -> AsyncIterator[tuple[AsyncSession, datetime]]:
    """One session per job and the job's `now` (the injected clock, read once). The job commits."""
    database: Database = ctx["database"]
    clock: Clock = ctx["clock"]
    async with database.sessionmaker() as session:
        yield session, clock()


async def nudge_delivery(ctx: dict[str, Any]) -> None:
    """After a job committed notifications: drain the outbox now rather than at the next cron minute."""
    pool = ctx.get("redis")
    if pool is None:
        return
    try:
        await Queue(pool).enqueue(OUTBOX_JOB)
    except Exception as exc:  # Redis down: the cron drain picks the rows up anyway
        logger.warning("enqueue failed", extra={"job": OUTBOX_JOB, "error": type(exc).__name__})
