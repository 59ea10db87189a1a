"""A coordinator runs a matching round, reviews its effect on each region and publishes it; an applicant
exports and erases their data."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect

from backend.db.models import Role
from backend.domain.ledger.ledger import recruiting_year
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import (
    PASSWORD,
    REGION_SPECS,
    World,
    api_session,
    api_token,
    assert_accessible,
    login,
    publish_offer,
    shot,
    today,
)


async def page_for(browser: Browser, world: World, email: str | None = None) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(base_url=world.base_url, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    if email:
        await api_session(context, world.base_url, email)
    return context, await context.new_page()


async def shortlisted_applicant(world: World, name: str, home_id: str, offer_id: str, validator: str, host: str) -> str:
    """An applicant of `home_id` who applied to the offer, validated and shortlisted (through the API)."""
    email = await world.add_user(Role.APPLICANT, name=name)
    headers = await api_token(world.base_url, email)
    profile = {
        "full_name": name,
        "date_of_birth": (today() - timedelta(days=23 * 365)).isoformat(),
        "home_region_id": home_id,
        "resident_since": (today() - timedelta(days=700)).isoformat(),
        "languages": [{"language": "es", "level": "B2"}],
        "eqf_level": 6,
        "employment_status": "job_seeker",
    }
    async with httpx.AsyncClient(base_url=world.base_url) as http:
        (await http.put("/api/me/profile", json=profile, headers=headers)).raise_for_status()
        body = {"offer_id": offer_id, "motivation": "Motivated to learn and to contribute from day one."}
        application = (await http.post("/api/applications", json=body, headers=headers)).raise_for_status().json()
        path = f"/api/applications/{application['id']}"
        (await http.post(f"{path}/validate", headers=await api_token(world.base_url, validator))).raise_for_status()
        (await http.post(f"{path}/shortlist", headers=await api_token(world.base_url, host))).raise_for_status()
    return email


async def test_a_matching_round_is_run_reviewed_and_published(browser: Browser, world: World):
    host = await world.add_region(*REGION_SPECS["host"])
    home = await world.add_region(*REGION_SPECS["home"])
    host_coordinator = await world.add_user(Role.COORDINATOR, name="Rita Rounds", regions=[host])
    home_coordinator = await world.add_user(Role.COORDINATOR, name="Hector Home", regions=[home])
    org = await world.add_organisation(host, f"Round Org {host.code}", verified=True)
    employer = await world.add_user(Role.EMPLOYER, name="Emil Round", organisation=org)
    offer_id = await publish_offer(world, employer, host_coordinator, f"Round offer {host.code}")
    await shortlisted_applicant(world, "Rosa Round", str(home.id), offer_id, home_coordinator, host_coordinator)
    year = (today() + timedelta(days=150)).year  # publish_offer starts placements 150 days from today

    context, page = await page_for(browser, world, host_coordinator)
    # The host side ranks the shortlist (one candidate: the order is saved with one click).
    await page.goto(f"/coordinator/offers/{offer_id}")
    await page.get_by_role("button", name="Save this ranking").click()
    await expect(page.get_by_text("The ranking is saved.")).to_be_visible()
    # Without a year in the address, the page opens on the year recruited for (the server's rule).
    await page.goto("/rounds")
    await expect(page.get_by_label("Programme year")).to_have_value(str(recruiting_year(today())))
    await page.goto(f"/rounds?year={year}")
    await expect(page.get_by_role("heading", name="Matching rounds")).to_be_visible()
    await page.get_by_role("radio", name="Stable (applicant-optimal)").check()
    await page.get_by_role("button", name="Run the round").click()
    await expect(page.get_by_role("heading", name="Both policies on the same input")).to_be_visible()
    effect = page.get_by_role("table", name=re.compile("before and after the round"))
    await expect(effect.get_by_role("row", name=re.compile(host.code))).to_contain_text("0 → +1")
    await expect(effect.get_by_role("row", name=re.compile(home.code))).to_contain_text("0 → -1")
    proposals = page.get_by_role("region", name="Proposals")
    await expect(proposals.get_by_role("row", name=re.compile("Rosa Round"))).to_contain_text(
        f"Round offer {host.code}"
    )
    await assert_accessible(page, "matching-round")
    await shot(page, "matching-round")
    # On a phone the tables scroll within their frames; the page itself keeps the screen's width.
    await page.set_viewport_size({"width": 390, "height": 844})
    assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    await shot(page, "matching-round-phone")
    await page.set_viewport_size(DESKTOP)
    await page.get_by_role("button", name="Publish the proposals").click()
    await expect(page.get_by_text("The round is published: 1 proposal sent.")).to_be_visible()
    await expect(page.get_by_text("Published", exact=True).first).to_be_visible()
    await expect(page.get_by_text(re.compile(r"^Published on .* · answers due by "))).to_be_visible()
    await context.close()


async def test_an_applicant_exports_and_erases_their_data(browser: Browser, world: World):
    email = await world.add_user(Role.APPLICANT, name="Erin Erase")
    context, page = await page_for(browser, world)
    await login(page, email)
    await page.get_by_role("link", name="My account").click()
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Download my data (JSON)").click()
    data = json.loads((await (await download_info.value).path()).read_text())
    assert data["account"]["email"] == email
    await expect(page.get_by_text("Your data is downloaded.")).to_be_visible()

    await page.get_by_text("Erase my account", exact=True).click()
    password = page.get_by_label("Your password, to confirm")
    await password.fill("not my password")
    await page.get_by_role("button", name="Erase my account now").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await shot(page, "account-erase-error")
    await password.fill(PASSWORD)
    await page.get_by_role("button", name="Erase my account now").click()
    await expect(page.get_by_text("Your account is erased.")).to_be_visible()
    await expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    async with httpx.AsyncClient(base_url=world.base_url) as http:
        refused = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 401
    await context.close()


async def test_the_chair_runs_a_round_over_the_whole_programme(browser: Browser, world: World):
    context, page = await page_for(browser, world, world.accounts["chair"])
    await page.goto(f"/rounds?year={recruiting_year(today())}")
    await expect(page.get_by_label("Offers of")).to_have_value("")  # the whole programme, chosen by default
    await page.get_by_role("button", name="Run the round").click()
    await expect(page.get_by_role("heading", name="Both policies on the same input")).to_be_visible()
    await expect(page.get_by_text(re.compile(r"· The whole programme · \d{4} ·"))).to_be_visible()
    # The balance-aware column says with which tolerance it was computed (the stable one has none).
    tolerance = page.get_by_role("row", name=re.compile("Balance tolerance per region"))
    await expect(tolerance.get_by_role("cell")).to_have_text(["—", "0"])
    await context.close()
