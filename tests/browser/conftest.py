"""Browser tests: the built front end served by a real API server (uvicorn, in a subprocess) on the session's
services, driven by Debian's Chromium through Playwright (never a downloaded browser).

Data written here is committed (the server has its own connections): every test uses unique e-mails.
Screenshots of the last run are kept in tests/browser/artifacts/ (git-ignored).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from sqlalchemy.engine import make_url

from backend.db.migrate import upgrade
from backend.lib.settings import Settings, load_settings
from infra.services.ports import free_port
from infra.stack import StackEndpoints
from tests.browser.frontend_build import ROOT, build_frontend
from tests.browser.helpers import ARTIFACTS, World, make_world

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 860}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def frontend_dist() -> Path:
    return build_frontend()


@pytest.fixture(scope="session")
async def browser_database_url(settings: Settings, migrated: str) -> AsyncIterator[str]:
    """A database of the browser tests' own: their commits must not show up in other tests' counts."""
    name = f"browser_{uuid.uuid4().hex[:12]}"
    url = make_url(settings.database_url)

    async def admin(statement: str) -> None:
        # A fresh connection each time: the session's tests restart PostgreSQL (readiness checks).
        connection = await asyncpg.connect(
            host=url.host, port=url.port, user=url.username, password=url.password, database="postgres"
        )
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    await admin(f'CREATE DATABASE "{name}"')
    try:
        database_url = url.set(database=name).render_as_string(hide_password=False)
        await asyncio.to_thread(upgrade, database_url)  # Alembic's env runs its own event loop
        yield database_url
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def server_settings(endpoints: StackEndpoints, browser_database_url: str, frontend_dist: Path) -> Settings:
    port = free_port()
    env = endpoints.as_env() | {
        "DATABASE_URL": browser_database_url,
        "ENVIRONMENT": "test",
        "LOG_LEVEL": "WARNING",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "FRONTEND_DIST": str(frontend_dist),
    }
    return load_settings(env)


@pytest.fixture(scope="session")
def base_url(server_settings: Settings, endpoints: StackEndpoints) -> Iterator[str]:
    """The API server serving the built front end, as `make run` does (one URL for everything)."""
    url = server_settings.public_url
    port = url.rsplit(":", 1)[1]
    env = {
        **os.environ,
        **endpoints.as_env(),
        "DATABASE_URL": server_settings.database_url,
        "ENVIRONMENT": "test",
        "LOG_LEVEL": "WARNING",
        "PUBLIC_URL": url,
        "FRONTEND_DIST": str(server_settings.frontend_dist),
        "SEARCH_CACHE_SECONDS": "0",  # journeys search right after publishing
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "server.log").open("w")
    command = [sys.executable, "-m", "uvicorn", "backend.asgi:create", "--factory", "--host", "127.0.0.1"]
    process = subprocess.Popen([*command, "--port", port, "--no-access-log"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the API server exited: see {ARTIFACTS / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{url}/health/live", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the API server did not answer within 30 s") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian's chromium is missing: apt-get install -y chromium (.ci/run does it)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture(scope="session")
async def world(server_settings: Settings, base_url: str, endpoints: StackEndpoints) -> AsyncIterator[World]:
    """Regions with quotas and staff accounts, committed once for the browser tests."""
    async with make_world(server_settings, base_url, endpoints) as built:
        yield built


@pytest.fixture
async def context(browser: Browser, base_url: str) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        await ctx.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()
