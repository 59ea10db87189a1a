"""What browser tests share: the committed world (regions, quotas, staff), logins, e-mailed links, axe-core
checks and screenshots."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import string
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from playwright.async_api import BrowserContext, Page, expect
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.models import Locale, Organisation, Region, RegionQuota, Role, User, coordinator_regions
from backend.domain.notifications.delivery import deliver_pending
from backend.lib.db import Database
from backend.lib.security import hash_password_sync
from backend.lib.settings import Settings
from infra.stack import StackEndpoints
from tests.browser.frontend_build import FRONTEND, ROOT
from tests.support.mail import messages_to, text_part

ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Browser-test-pass-1"
YEAR = datetime.now(UTC).year
_HASH = hash_password_sync(PASSWORD)


def today() -> date:
    """Today in this machine's time zone (the browser's, for date inputs)."""
    return datetime.now(UTC).astimezone().date()


def local_now() -> datetime:
    return datetime.now(UTC).astimezone()


def unique_email(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:10]}@browser.example.org"


def _code(prefix: str) -> str:
    return prefix + "".join(secrets.choice(string.ascii_uppercase) for _ in range(4))


@dataclass
class World:
    settings: Settings
    base_url: str
    mail_dir: Path
    sessionmaker: async_sessionmaker[AsyncSession]
    regions: dict[str, Region] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)  # role -> e-mail

    async def add_user(
        self,
        role: Role,
        *,
        name: str,
        regions: list[Region] | None = None,
        organisation: Organisation | None = None,
        locale: Locale = Locale.EN,
    ) -> str:
        email = unique_email(role.value)
        async with self.sessionmaker() as session:
            user = User(
                email=email,
                password_hash=_HASH,
                full_name=name,
                role=role,
                locale=locale,
                email_verified_at=datetime.now(UTC),
                organisation_id=organisation.id if organisation else None,
            )
            session.add(user)
            await session.flush()
            if regions:
                rows = [{"user_id": user.id, "region_id": r.id} for r in regions]
                await session.execute(insert(coordinator_regions), rows)
            await session.commit()
        return email

    async def add_region(
        self, name: str, country: str, languages: list[str], max_age: int, residence: int, quotas: tuple[int, int]
    ) -> Region:
        """A region with quotas this year and next (placements starting next year count in next year's)."""
        async with self.sessionmaker() as session:
            region = Region(
                code=_code(country),
                name=f"{name} {uuid.uuid4().hex[:4]}",
                country=country,
                languages=languages,
                min_age=18,
                max_age=max_age,
                min_residence_months=residence,
            )
            session.add(region)
            await session.flush()
            for year in (YEAR, YEAR + 1):
                session.add(
                    RegionQuota(
                        region_id=region.id, programme_year=year, hosting_quota=quotas[0], sending_quota=quotas[1]
                    )
                )
            await session.commit()
            return region

    async def add_organisation(self, region: Region, name: str, *, verified: bool) -> Organisation:
        async with self.sessionmaker() as session:
            org = Organisation(
                name=name, region_id=region.id, sector="J", verified_at=datetime.now(UTC) if verified else None
            )
            session.add(org)
            await session.commit()
            return org

    async def mailed_link(self, address: str, path: str, wait_seconds: float = 10.0) -> str:
        """Deliver the outbox (what the worker does) and return the newest link to `path` sent to `address`."""
        pattern = re.compile(re.escape(f"{self.base_url}{path}?token=") + r"[A-Za-z0-9_\-]+")
        deadline = asyncio.get_running_loop().time() + wait_seconds
        while True:
            await deliver_pending(self.sessionmaker, self.settings)
            links = [
                m.group(0) for msg in messages_to(self.mail_dir, address) for m in [pattern.search(text_part(msg))] if m
            ]
            if links:
                return links[-1]
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no e-mail to {address} with a link to {path}")
            await asyncio.sleep(0.2)


REGION_SPECS = {
    "home": ("Atlantic Isles", "PT", ["pt", "en"], 35, 6, (40, 30)),
    "host": ("Mediterranean Coast", "ES", ["es", "ca"], 30, 0, (25, 20)),
    "third": ("Alpine Valleys", "IT", ["it", "fr"], 30, 3, (10, 12)),
}


@asynccontextmanager
async def make_world(settings: Settings, base_url: str, endpoints: StackEndpoints) -> AsyncIterator[World]:
    database = Database.from_settings(settings)
    assert endpoints.mail_dir is not None, "the browser tests read the dev SMTP server's Maildir"
    world = World(settings, base_url, endpoints.mail_dir, database.sessionmaker)
    try:
        for key, spec in REGION_SPECS.items():
            world.regions[key] = await world.add_region(*spec)
        world.accounts["admin"] = await world.add_user(Role.ADMIN, name="Ada Admin")
        world.accounts["chair"] = await world.add_user(Role.CHAIR, name="Charles Chair")
        yield world
    finally:
        await database.dispose()


async def login(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form and wait for the role's own page."""
    await page.goto("/login")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password", exact=True).fill(password)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("button", name="Log out")).to_be_visible()


async def api_session(context: BrowserContext, base_url: str, email: str) -> None:
    """Start the context logged in (token in sessionStorage, as the app keeps it) without the form."""
    async with httpx.AsyncClient(base_url=base_url) as http:
        response = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        response.raise_for_status()
        body = response.json()
    stored = json.dumps({k: body[k] for k in ("access_token", "expires_at", "account")})
    await context.add_init_script(f"window.sessionStorage.setItem('exchange.session', {json.dumps(stored)});")


async def api_token(base_url: str, email: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base_url) as http:
        response = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def publish_offer(world: World, employer_email: str, coordinator_email: str, title: str) -> str:
    """A published offer made through the API (the UI path is covered by the journey)."""
    employer = await api_token(world.base_url, employer_email)
    coordinator = await api_token(world.base_url, coordinator_email)
    body = {
        "title": title,
        "description": "Field work on coastal monitoring stations.",
        "tasks": "Maintain sensors, log data.",
        "sector": "M",
        "duration_months": 4,
        "start_date": (datetime.now(UTC).date() + timedelta(days=150)).isoformat(),
        "seats": 1,
        "monthly_grant": "900",
        "application_deadline": (datetime.now(UTC) + timedelta(days=20)).isoformat(),
        "languages": [],
    }
    async with httpx.AsyncClient(base_url=world.base_url) as http:
        offer = (await http.post("/api/offers", json=body, headers=employer)).raise_for_status().json()
        (await http.post(f"/api/offers/{offer['id']}/submit", headers=employer)).raise_for_status()
        (await http.post(f"/api/offers/{offer['id']}/publish", headers=coordinator)).raise_for_status()
    return str(offer["id"])


async def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def assert_accessible(page: Page, name: str) -> None:
    """axe-core in the page: no serious or critical violation (the report is kept next to the screenshots)."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    violations = result["violations"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(violations, indent=2))
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    summary = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad]
    assert not bad, f"axe on {name}:\n" + "\n".join(summary)
