from __future__ import annotations

from typing import Any

from sqlalchemy import text

from backend.lib.db import Database


async def health_check(ctx: dict[str, Any]) -> str:
    """A job that proves the worker reaches the queue and the database."""
    database: Database = ctx["database"]
    async with database.sessionmaker() as session:
        await session.execute(text("SELECT 1"))
    return "ok"
