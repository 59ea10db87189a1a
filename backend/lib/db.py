"""The database handle: one engine and session factory per process, and the per-request session dependency.

Services never commit; a write handler commits once, explicitly, before it builds its response, so a failed
commit becomes an error response. Whatever is left uncommitted is rolled back when the request ends.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass

from litestar.datastructures import State
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from backend.lib.settings import Settings

# plan_cache_mode: asyncpg prepares every statement, and after five runs PostgreSQL may switch a statement to
# a generic plan made without its parameter values. For the offer search that plan was 4x slower (a free-text
# query's selectivity is unknown without its text, so it ANDed the text index with the deadline index over
# nearly every row: 160 ms against 40 ms, measured on 100,000 offers). Planning the app's other statements
# each time cost nothing measurable (bench/search.py, /api/regions, side by side).
SERVER_SETTINGS = {"application_name": "exchange-api", "timezone": "UTC", "plan_cache_mode": "force_custom_plan"}


@dataclass
class Database:
    engine: AsyncEngine | None
    sessionmaker: async_sessionmaker[AsyncSession]

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        engine = create_async_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            pool_pre_ping=True,
            echo=settings.database_echo,
            connect_args={"server_settings": SERVER_SETTINGS},
        )
        return cls(engine=engine, sessionmaker=async_sessionmaker(engine, expire_on_commit=False))

    @classmethod
    def bound_to(cls, connection: AsyncConnection) -> Database:
        """For tests: every session joins the connection's open transaction through savepoints."""
        maker = async_sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
        return cls(engine=None, sessionmaker=maker)

    async def dispose(self) -> None:
        if self.engine is not None:
            await self.engine.dispose()


async def provide_db_session(state: State) -> AsyncGenerator[AsyncSession, None]:
    database: Database = state.database
    session = database.sessionmaker()
    try:
        yield session
    finally:
        # Close rolls back whatever the handler did not commit (a 4xx, an exception).
        await session.close()
