"""Worker tests commit for real (workers open their own connections) on a private database per module, so
nothing they leave behind (leased rows, unsent messages) reaches the rolled-back tests of the main database;
every test starts from empty tables."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import msgspec
import pytest
from arq.connections import ArqRedis, create_pool
from sqlalchemy import text
from sqlalchemy.engine import make_url

from backend.db.base import Base
from backend.db.migrate import upgrade
from backend.lib.db import Database
from backend.lib.queue import deserialize, redis_settings, serialize
from backend.lib.settings import Settings


@pytest.fixture(scope="module")
async def private_settings(settings: Settings, migrated: str) -> AsyncIterator[Settings]:
    name = f"workers_{uuid.uuid4().hex[:12]}"
    url = make_url(settings.database_url)
    admin = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, database="postgres"
    )
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        database_url = url.set(database=name).render_as_string(hide_password=False)
        await asyncio.to_thread(upgrade, database_url)  # Alembic's env runs its own event loop
        yield msgspec.structs.replace(settings, database_url=database_url)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def database(private_settings: Settings) -> AsyncIterator[Database]:
    database = Database.from_settings(private_settings)
    try:
        yield database
    finally:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        async with database.engine.begin() as connection:  # type: ignore[union-attr]
            await connection.execute(text("SET lock_timeout = '5s'"))
            await connection.execute(text(f"TRUNCATE {tables} CASCADE"))
        await database.dispose()


@pytest.fixture
async def arq_pool(private_settings: Settings) -> AsyncIterator[ArqRedis]:
    """A client of the test Redis for enqueuing; each test names its own queue."""
    pool = await create_pool(
        redis_settings(private_settings.redis_url), job_serializer=serialize, job_deserializer=deserialize
    )
    yield pool
    await pool.aclose()
