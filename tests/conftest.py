"""Session-wide real services (started by the stack launcher unless given by environment variables), the
migrated database, and per-test isolation by a rolled-back transaction.

Integration tests use `client` (an httpx client on the app, on the same event loop as the database) and
`db` (the test's connection-bound session maker). Everything a test writes is rolled back after it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from backend.app import create_app
from backend.db.migrate import upgrade
from backend.lib.clock import system_clock
from backend.lib.db import Database
from backend.lib.settings import Settings, load_settings
from infra.stack import LocalStack, StackEndpoints
from tests.support.clock import FrozenClock
from tests.support.lifespan import running


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    """The real services for the whole session, in a throwaway folder; env vars replace any of them."""
    data_dir = Path(tempfile.mkdtemp(prefix="exchange-test-"))
    local = LocalStack(data_dir, persistent=False, env=os.environ)
    try:
        local.start()
        yield local
    finally:
        local.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def endpoints(stack: LocalStack) -> StackEndpoints:
    return stack.start()


@pytest.fixture(scope="session")
def settings(endpoints: StackEndpoints) -> Settings:
    # SEARCH_CACHE_SECONDS=0: one app serves the whole session; cached search pages would leak between tests.
    env = endpoints.as_env() | {
        "SEARCH_CACHE_SECONDS": "0",
        "ENVIRONMENT": "test",
        "LOG_LEVEL": "WARNING",
        "PUBLIC_URL": "http://testserver.local",
    }
    return load_settings(env)


@pytest.fixture(scope="session")
def migrated(settings: Settings) -> str:
    """Alembic migrations applied once: the schema tests run on is the one production gets."""
    upgrade(settings.database_url)
    return settings.database_url


@pytest.fixture(scope="session")
async def engine(migrated: str) -> AsyncIterator[AsyncEngine]:
    eng = create_async_engine(migrated, poolclass=NullPool)
    yield eng
    await eng.dispose()


@pytest.fixture(scope="session")
async def app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[Litestar]:
    application = create_app(settings, configure_logs=False)
    async with running(application):
        yield application


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
async def db(engine: AsyncEngine, app: Litestar, clock: FrozenClock) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """One connection and transaction per test; the app's sessions join it through savepoints."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        bound = Database.bound_to(connection)
        real_database, app.state.database = app.state.database, bound
        app.state.clock = clock
        try:
            yield bound.sessionmaker
        finally:
            app.state.database, app.state.clock = real_database, system_clock
            await transaction.rollback()


@pytest.fixture
async def client(app: Litestar, db: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
        yield http
