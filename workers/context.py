"""What every job receives: settings, the database and a clock, opened once per worker process."""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from backend.lib.clock import Clock, system_clock
from backend.lib.db import Database
from backend.lib.logging import configure_logging
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
