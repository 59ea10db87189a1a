"""Arrange-helpers shared by integration tests: committed factory data and logged-in actors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

T = TypeVar("T")


async def arrange(db: async_sessionmaker[AsyncSession], build: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run factory code in its own session and commit it (a savepoint release inside the test transaction)."""
    async with db() as session:
        result = await build(session)
        await session.commit()
        return result
