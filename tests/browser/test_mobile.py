"""A phone-sized screen: the menu folds behind a button, pages fit the width, the main tasks still work."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from backend.db.models import Role
from tests.browser.helpers import World, api_session, publish_offer, shot

PHONE = {"width": 390, "height": 844}


async def assert_fits(page: Page, name: str) -> None:
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"
    await shot(page, f"mobile-{name}")


async def test_phone_navigation_and_pages(browser: Browser, world: World):
    host = world.regions["host"]
    org = await world.add_organisation(host, f"Phone Test Org {host.code}", verified=True)
    employer = await world.add_user(Role.EMPLOYER, name="Paula Phone", organisation=org)
    coordinator = await world.add_user(Role.COORDINATOR, name="Pedro Phone", regions=[host])
    offer_id = await publish_offer(world, employer, coordinator, f"Harbour guide {host.code}")

    context = await browser.new_context(
        base_url=world.base_url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = await context.new_page()
    await page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    await expect(menu).to_be_visible()
    await expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    await assert_fits(page, "home")
    await menu.click()
    await expect(menu).to_have_attribute("aria-expanded", "true")
    await shot(page, "mobile-menu")
    await page.get_by_role("link", name="Offers").click()
    await expect(page.get_by_role("navigation", name="Main")).to_be_hidden()  # closed after navigating
    await expect(page.get_by_role("heading", name="Traineeship offers", level=1)).to_be_visible()
    await assert_fits(page, "offers")
    await page.goto(f"/offers/{offer_id}")
    await expect(page.get_by_role("heading", name=f"Harbour guide {host.code}")).to_be_visible()
    await assert_fits(page, "offer")
    await page.goto("/register")
    await assert_fits(page, "register")

    await api_session(context, world.base_url, coordinator)
    await page.goto("/coordinator")
    await expect(page.get_by_role("heading", name="Regional dashboard")).to_be_visible()
    await assert_fits(page, "coordinator")
    await page.goto(f"/coordinator/offers?state=published&region={host.id}")
    await expect(page.get_by_role("link", name=f"Harbour guide {host.code}")).to_be_visible()
    await assert_fits(page, "coordinator-offers")
    await context.close()
