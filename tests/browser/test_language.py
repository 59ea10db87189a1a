"""English and French: the switch, kept in the browser for visitors and in the account for users; dates and
numbers follow the chosen language."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from backend.db.models import Role
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import PASSWORD, World, shot


async def test_a_visitor_switches_to_french_and_keeps_it(page: Page, world: World):
    await page.goto("/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Work abroad in a European region")
    await page.get_by_role("button", name="Français").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Travailler dans une autre région d'Europe")
    assert await page.evaluate("document.documentElement.lang") == "fr"
    assert await page.title() == "Travailler dans une autre région d'Europe · Eurodyssée Échange"
    await page.reload()
    await expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-pressed", "true")
    await expect(page.get_by_role("navigation").get_by_role("link", name="Se connecter")).to_be_visible()
    # Regions' rules, in French wording.
    await expect(page.get_by_role("cell", name="de 18 à 35 ans").first).to_be_visible()
    await shot(page, "home-fr")


async def test_the_language_is_kept_in_the_account(browser: Browser, world: World):
    email = await world.add_user(Role.CHAIR, name="Chloé Chair")

    first = await browser.new_context(base_url=world.base_url, viewport=DESKTOP, locale="en-GB")
    page = await first.new_page()
    await page.goto("/login")
    await page.get_by_role("button", name="Français").click()
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    # The account says English: after login the account's language wins.
    await expect(page.get_by_role("heading", name="Programme statistics")).to_be_visible()
    async with page.expect_response(lambda r: r.url.endswith("/api/me") and r.request.method == "PATCH") as saved:
        await page.get_by_role("button", name="Français").click()
    assert (await saved.value).ok
    await expect(page.get_by_role("heading", name="Statistiques du programme")).to_be_visible()
    await first.close()

    # Another browser, English by default: logging in brings the account's French back.
    second = await browser.new_context(base_url=world.base_url, viewport=DESKTOP, locale="en-GB")
    page = await second.new_page()
    await page.goto("/login")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", name="Statistiques du programme")).to_be_visible()
    await page.get_by_role("link", name="Mon compte").click()
    # Dates follow the language: a French long date ("25 novembre 2026").
    await expect(page.locator("dl.facts > dt").nth(2)).to_have_text("Inscrit·e depuis le")
    since = page.locator("dl.facts > dd").nth(2)
    await expect(since).to_have_text(
        await page.evaluate("new Intl.DateTimeFormat('fr', {dateStyle: 'long'}).format(new Date())")
    )
    await shot(page, "account-fr")
    await page.get_by_role("button", name="English").click()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()
    await expect(since).to_have_text(
        await page.evaluate("new Intl.DateTimeFormat('en-GB', {dateStyle: 'long'}).format(new Date())")
    )
    await second.close()
