"""axe-core on the main pages of every role: no serious or critical violation."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from playwright.async_api import Browser, BrowserContext, expect

from backend.db.models import Role
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import (
    World,
    api_session,
    api_token,
    assert_accessible,
    publish_offer,
    shot,
    today,
)


async def visit(context: BrowserContext, path: str, name: str, ready: str) -> None:
    page = await context.new_page()
    await page.goto(path)
    await expect(page.get_by_role("heading", name=ready).first).to_be_visible(timeout=15_000)
    await expect(page.locator(".loading")).to_have_count(0)  # every request of the page has answered
    await assert_accessible(page, name)
    await shot(page, name)
    await page.close()


async def as_user(browser: Browser, world: World, email: str | None) -> BrowserContext:
    context = await browser.new_context(base_url=world.base_url, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    if email:
        await api_session(context, world.base_url, email)
    return context


async def test_main_pages_have_no_serious_accessibility_violations(browser: Browser, world: World):
    host, home = world.regions["host"], world.regions["home"]
    org = await world.add_organisation(host, f"Axe Test Org {host.code}", verified=True)
    employer = await world.add_user(Role.EMPLOYER, name="Axel Employer", organisation=org)
    coordinator = await world.add_user(Role.COORDINATOR, name="Ada Coordinator", regions=[host, home])
    applicant = await world.add_user(Role.APPLICANT, name="Alba Applicant")
    offer_id = await publish_offer(world, employer, coordinator, f"Accessible offer {host.code}")
    headers = await api_token(world.base_url, applicant)
    async with httpx.AsyncClient(base_url=world.base_url, headers=headers) as http:
        profile = {
            "full_name": "Alba Applicant",
            "date_of_birth": (today() - timedelta(days=24 * 365)).isoformat(),
            "home_region_id": str(home.id),
            "resident_since": (today() - timedelta(days=900)).isoformat(),
            "languages": [{"language": "es", "level": "B2"}],
            "eqf_level": 6,
            "employment_status": "recent_graduate",
        }
        (await http.put("/api/me/profile", json=profile)).raise_for_status()
        application = {"offer_id": offer_id, "motivation": "I would love to guide visitors around the harbour."}
        (await http.post("/api/applications", json=application)).raise_for_status()

    pages: dict[str | None, list[tuple[str, str, str]]] = {
        None: [
            ("/", "home", "Work abroad in a European region"),
            ("/offers", "offers", "Traineeship offers"),
            (f"/offers/{offer_id}", "offer-public", f"Accessible offer {host.code}"),
            ("/login", "login", "Log in"),
            ("/register", "register", "Create an account"),
            ("/verify-email?token=not-a-valid-token-1", "verify-email-error", "Get a new link"),
        ],
        applicant: [
            ("/applicant", "applicant-applications-axe", "My applications"),
            ("/applicant/profile", "applicant-profile-axe", "Profile and CV"),
            (f"/offers/{offer_id}", "offer-applicant", f"Accessible offer {host.code}"),
            ("/notifications", "notifications-axe", "Notifications"),
            ("/account", "account", "My account"),
        ],
        employer: [
            ("/employer", "employer-home", "Axe Test Org"),
            ("/employer/offers/new", "employer-new-offer", "New offer"),
            (f"/employer/offers/{offer_id}", "employer-offer-axe", f"Accessible offer {host.code}"),
        ],
        coordinator: [
            ("/coordinator", "coordinator-dashboard-axe", "Regional dashboard"),
            (
                f"/coordinator/applications?state=all&region={home.id}",
                "coordinator-applications-axe",
                "Applications of",
            ),
            (f"/coordinator/offers?state=all&region={host.id}", "coordinator-offers", "Offers of the region"),
            (f"/coordinator/offers/{offer_id}", "coordinator-candidates-axe", "Candidates for"),
            (f"/coordinator/organisations?region={host.id}", "coordinator-organisations-axe", "Organisations of"),
            ("/rounds", "matching-rounds", "Matching rounds"),
            ("/chair", "statistics-coordinator", "Statistics of my regions"),
        ],
        world.accounts["chair"]: [
            ("/chair", "chair", "Programme statistics"),
            ("/rounds", "matching-rounds-chair", "Matching rounds"),
        ],
        world.accounts["admin"]: [("/admin", "admin", "Accounts")],
    }

    async def check(email: str | None, visits: list[tuple[str, str, str]]) -> None:
        context = await as_user(browser, world, email)
        try:
            for path, name, ready in visits:
                await visit(context, path, name, ready)
        finally:
            await context.close()

    # Browser contexts side by side (the pages are independent), three at a time on a small machine.
    slots = asyncio.Semaphore(3)

    async def limited(email: str | None, visits: list[tuple[str, str, str]]) -> None:
        async with slots:
            await check(email, visits)

    await asyncio.gather(*(limited(email, visits) for email, visits in pages.items()))
