"""Every error the API returns is shown: the problem's detail next to the field it names, or in the summary."""

from __future__ import annotations

from playwright.async_api import Page, expect

from backend.db.models import Role
from tests.browser.helpers import PASSWORD, World, unique_email


async def test_field_errors_from_the_api_are_shown_next_to_their_field(page: Page, world: World):
    taken = await world.add_user(Role.CHAIR, name="Taken Address")
    await page.goto("/register")
    await page.get_by_label("Full name").fill("Someone Else")
    email = page.get_by_label("E-mail address")
    password = page.get_by_label("Password")
    await email.fill(taken)
    await password.fill("short")
    await page.get_by_role("button", name="Create my account").click()
    # 422 from the password policy, mapped to the password field.
    await expect(page.get_by_role("alert")).to_contain_text("Some information needs correcting")
    await expect(password).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_text("Use at least 10 characters.")).to_be_visible()
    await expect(page.get_by_role("alert")).to_be_focused()

    # 409 for the e-mail address, mapped to the e-mail field.
    await password.fill(PASSWORD)
    await page.get_by_role("button", name="Create my account").click()
    await expect(page.get_by_text("An account with this e-mail address exists already.")).to_be_visible()
    await expect(email).to_have_attribute("aria-invalid", "true")
    await expect(password).not_to_have_attribute("aria-invalid", "true")


async def test_errors_without_a_field_are_shown_in_the_summary(page: Page, world: World):
    await page.goto("/login")
    await page.get_by_label("E-mail address").fill(unique_email("nobody"))
    await page.get_by_label("Password", exact=True).fill("wrong password here")
    await page.get_by_role("button", name="Log in").click()
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("Please log in")
    await expect(alert).to_contain_text("The e-mail address or the password is wrong.")

    # A link that is not valid: a direct load of a client-side route, then the API's 400/410 in words.
    response = await page.goto("/verify-email?token=not-a-real-token-at-all")
    assert response is not None and response.status == 200
    await expect(page.get_by_role("alert")).to_contain_text("This link is not valid.")
    await expect(page.get_by_role("heading", name="Get a new link")).to_be_visible()

    # The same in French: the title is translated, the server's detail is shown as sent.
    await page.get_by_role("button", name="Français").click()
    await page.goto("/login")
    await page.get_by_label("Adresse e-mail").fill(unique_email("nobody"))
    await page.get_by_label("Mot de passe", exact=True).fill("wrong password here")
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("alert")).to_contain_text("Veuillez vous connecter")
