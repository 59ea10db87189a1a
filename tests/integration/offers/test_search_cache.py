"""The public search through the app's cache (SEARCH_CACHE_SECONDS > 0; the other tests run with it off):
answers are reused per query string, error answers are not cached and do not hold readers back, and a stale
answer is served while a background task (with its own database session) refreshes it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import msgspec

from backend.app import create_app
from backend.lib.db import Database
from tests.support.api import arrange
from tests.support.factories import make_offer, make_organisation, make_region
from tests.support.lifespan import running


@asynccontextmanager
async def cached_app(engine, settings, clock, seconds: int) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    """The app with its search cache on, over one connection whose transaction is rolled back at the end."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        database = Database.bound_to(connection)
        app = create_app(
            msgspec.structs.replace(settings, search_cache_seconds=seconds), database=database, clock=clock
        )
        try:
            async with running(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
                    yield client, database
        finally:
            await transaction.rollback()


async def _marine_offer(s):
    region = await make_region(s, "PT20", country="PT")
    organisation = await make_organisation(s, region)
    await make_offer(s, organisation, title="Marine biology assistant")
    return organisation


async def _titles(client: httpx.AsyncClient, query: str) -> set[str]:
    response = await client.get(f"/api/offers?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return {item["title"] for item in response.json()["items"]}


async def test_answers_are_reused_per_query_string_and_errors_are_not_cached(engine, settings, clock):
    async with cached_app(engine, settings, clock, 60) as (client, database):
        organisation = await arrange(database.sessionmaker, _marine_offer)
        assert await _titles(client, "country=PT") == {"Marine biology assistant"}

        async def another(s):
            await make_offer(s, organisation, title="Hotel receptionist")

        await arrange(database.sessionmaker, another)
        # The same query string: the stored answer; another one: a fresh search.
        assert await _titles(client, "country=PT") == {"Marine biology assistant"}
        assert await _titles(client, "country=PT&page=1") == {"Marine biology assistant", "Hotel receptionist"}

        # A bad search is answered (422 naming the field) every time, concurrent readers included, without
        # waiting for an answer that will never be stored.
        responses = await asyncio.wait_for(
            asyncio.gather(*(client.get("/api/offers?sort=relevance") for _ in range(5))), timeout=3
        )
        assert {r.status_code for r in responses} == {422}
        assert all("sort" in r.text for r in responses)


async def test_a_stale_answer_is_served_while_the_background_refresh_reads_the_database(engine, settings, clock):
    async with cached_app(engine, settings, clock, 1) as (client, database):
        organisation = await arrange(database.sessionmaker, _marine_offer)
        assert await _titles(client, "country=PT") == {"Marine biology assistant"}

        async def another(s):
            await make_offer(s, organisation, title="Hotel receptionist")

        await arrange(database.sessionmaker, another)
        await asyncio.sleep(1.05)  # stale now (fresh for 0.5 to 1 s)
        stale = await client.get("/api/offers?country=PT")  # served at once, refreshed behind
        assert {item["title"] for item in stale.json()["items"]} == {"Marine biology assistant"}
        assert int(stale.headers["age"]) >= 1
        for _ in range(50):
            await asyncio.sleep(0.02)
            if len(await _titles(client, "country=PT")) == 2:
                break
        assert await _titles(client, "country=PT") == {"Marine biology assistant", "Hotel receptionist"}
