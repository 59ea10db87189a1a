"""The admin deactivates an account from the accounts list, after a confirming click, and reactivates it."""

from __future__ import annotations

import re

from playwright.async_api import Browser, expect

from backend.db.models import Role
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import World, api_session


async def test_an_admin_deactivates_and_reactivates_an_account(browser: Browser, world: World):
    await world.add_user(Role.ADMIN, name="Dora Deactivated")
    context = await browser.new_context(base_url=world.base_url, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    await api_session(context, world.base_url, world.accounts["admin"])
    page = await context.new_page()
    await page.goto("/admin")
    await page.get_by_label("Filter by role").select_option("admin")
    row = page.get_by_role("row", name=re.compile("Dora Deactivated"))
    await row.get_by_role("button", name="Deactivate").click()
    await row.get_by_role("button", name="Deactivate Dora Deactivated now").click()
    await expect(row.get_by_role("button", name="Reactivate")).to_be_visible()
    await expect(row.get_by_role("cell").nth(1)).to_have_text("Deactivated")
    # Nobody can lock themselves out: the admin's own row has no such button.
    own = page.get_by_role("row", name=re.compile("Ada Admin"))
    await expect(own).to_contain_text("Your account")
    await expect(own.get_by_role("button")).to_have_count(0)
    await row.get_by_role("button", name="Reactivate").click()
    await expect(row.get_by_role("button", name="Deactivate")).to_be_visible()
    await context.close()
