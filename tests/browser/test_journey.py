"""The workflow through the UI by every kind of user, each in a browser of their own.

An admin invites the host region's coordinator (who sets a password from the e-mail); an employer and an
applicant register and confirm their address from the e-mail. The employer registers the organisation, the
coordinator verifies it; the employer drafts and submits an offer, the coordinator publishes it. The applicant
completes the profile (eligibility explained), uploads a CV, finds the offer, applies, ranks the applications.
The home region validates; the host region shortlists, opens the CV, the employer records the interview, the
host region proposes; the applicant accepts; the employer confirms; the chair reads the statistics.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect

from backend.db.models import Role
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import (
    PASSWORD,
    REGION_SPECS,
    World,
    local_now,
    login,
    publish_offer,
    shot,
    today,
    unique_email,
)
from tests.support.pdf import make_pdf


async def new_page(browser: Browser, world: World) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(base_url=world.base_url, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    return context, await context.new_page()


async def register_and_confirm(page: Page, world: World, *, role: str, name: str) -> str:
    email = unique_email(role)
    await page.goto(f"/register?role={role}")
    await page.get_by_label("Full name").fill(name)
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create my account").click()
    await expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    # The e-mailed link is a client-side route opened directly: the server must answer it with the app.
    await page.goto(await world.mailed_link(email, "/verify-email"))
    await expect(page.get_by_text(f"Your e-mail address {email} is confirmed.")).to_be_visible()
    return email


async def test_the_workflow_by_four_users(browser: Browser, world: World):
    # Regions of this test alone: the counts on the dashboards are then exact.
    host = await world.add_region(*REGION_SPECS["host"])
    home = await world.add_region(*REGION_SPECS["home"])
    home_coordinator = await world.add_user(Role.COORDINATOR, name="Hugo Home", regions=[home])
    tag = unique_email("x")[2:8]

    # -- admin: invites the host region's coordinator ------------------------------------------------------
    admin_ctx, admin = await new_page(browser, world)
    await login(admin, world.accounts["admin"])
    coordinator_email = unique_email("coordinator")
    await admin.get_by_label("Full name").fill("Cora Coordinator")
    await admin.get_by_label("E-mail address").fill(coordinator_email)
    await admin.get_by_label("Role", exact=True).select_option("coordinator")
    await admin.get_by_role("checkbox", name=f"{host.name} ({host.code})").check()
    await admin.get_by_role("button", name="Send the invitation").click()
    await expect(admin.get_by_text(f"Invitation sent to {coordinator_email}.")).to_be_visible()
    await shot(admin, "admin-accounts")
    await admin_ctx.close()

    coord_ctx, coordinator = await new_page(browser, world)
    await coordinator.goto(await world.mailed_link(coordinator_email, "/reset-password"))
    await coordinator.get_by_label("New password", exact=True).fill(PASSWORD)
    await coordinator.get_by_label("Repeat the new password").fill(PASSWORD)
    await coordinator.get_by_role("button", name="Save the password").click()
    await expect(coordinator.get_by_text("Your password is saved.")).to_be_visible()

    # -- employer: registers, the organisation, drafts an offer ------------------------------------------
    emp_ctx, employer = await new_page(browser, world)
    employer_email = await register_and_confirm(employer, world, role="employer", name="Eva Employer")
    await login(employer, employer_email)
    await expect(employer.get_by_role("heading", name="Register your organisation")).to_be_visible()
    org_name = f"Blue Harbour Lab {tag}"
    await employer.get_by_label("Name of the organisation").fill(org_name)
    await employer.get_by_label("Region").select_option(str(host.id))
    await employer.get_by_label("Sector (NACE)").select_option("M")
    await employer.get_by_label("City").fill("València")
    await employer.get_by_label("Website").fill("https://blue-harbour.example.org")
    await employer.get_by_role("button", name="Register the organisation").click()
    await expect(employer.get_by_role("heading", name=org_name, level=1)).to_be_visible()
    await expect(employer.get_by_text("Waiting for verification")).to_be_visible()

    # -- coordinator: verifies the organisation from the dashboard's pending work ------------------------
    await login(coordinator, coordinator_email)
    await expect(coordinator.get_by_role("heading", name="Regional dashboard")).to_be_visible()
    await coordinator.get_by_role("link", name="1 organisation to verify").click()
    await coordinator.get_by_role("button", name=f"Verify {org_name}").click()
    await expect(coordinator.get_by_text(f"{org_name} is verified.")).to_be_visible()
    await shot(coordinator, "coordinator-organisations")

    # -- employer: drafts and submits the offer ----------------------------------------------------------
    offer_title = f"Marine data trainee {tag}"
    await employer.get_by_role("link", name="Draft a new offer").click()
    await employer.get_by_label("Title").fill(offer_title)
    await employer.get_by_label("Description").fill("Join our ocean observatory team in València.")
    await employer.get_by_label("Tasks").fill("Clean and chart sensor data; write short reports.")
    await employer.get_by_label("Sector (NACE)").select_option("M")
    await employer.get_by_label("Duration (months, language course included)").select_option("6")
    await employer.get_by_label("Seats").fill("2")
    start_date = today() + timedelta(days=120)
    await employer.get_by_label("Start date").fill(start_date.isoformat())
    deadline = (local_now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    await employer.get_by_label("Application deadline").fill(deadline)
    await employer.get_by_label("Monthly grant (EUR)").fill("1100")
    await employer.get_by_role("button", name="Add a language").click()
    await employer.get_by_label("Language 1", exact=True).select_option("es")
    await employer.get_by_label("Level of language 1").select_option("B1")
    await employer.get_by_role("button", name="Save the draft").click()
    await expect(employer.get_by_role("heading", name=offer_title)).to_be_visible()
    await expect(employer.get_by_text("Draft", exact=True)).to_be_visible()
    await employer.get_by_role("button", name="Submit to the region").click()
    await expect(employer.get_by_text("The offer is submitted")).to_be_visible()
    await shot(employer, "employer-offer")

    # -- coordinator: publishes it ------------------------------------------------------------------------
    await coordinator.get_by_role("link", name="Offers").click()
    await coordinator.get_by_role("button", name=f"Publish: {offer_title}").click()
    await expect(coordinator.get_by_text(f"{offer_title} is published.")).to_be_visible()
    second_title = f"Coastal monitoring {tag}"
    await publish_offer(world, employer_email, coordinator_email, second_title)

    # -- applicant: profile, eligibility, CV, search, apply twice, rank ---------------------------------
    app_ctx, applicant = await new_page(browser, world)
    applicant_email = await register_and_confirm(applicant, world, role="applicant", name="Inês Costa")
    await login(applicant, applicant_email)
    await expect(applicant.get_by_role("heading", name="My applications")).to_be_visible()
    await applicant.get_by_role("link", name="Profile and CV").first.click()
    await applicant.get_by_label("Date of birth").fill(date(today().year - 25, 3, 14).isoformat())
    await applicant.get_by_label("Region where you live").select_option(str(home.id))
    await applicant.get_by_label("Living there since").fill((today() - timedelta(days=800)).isoformat())
    await applicant.get_by_label("Highest qualification (EQF level)").select_option("6")
    await applicant.get_by_label("Current situation").select_option("job_seeker")
    await applicant.get_by_role("button", name="Add a language").click()
    await applicant.get_by_label("Language 1", exact=True).select_option("es")
    await applicant.get_by_label("Level of language 1").select_option("B2")
    await applicant.get_by_role("button", name="Save my profile").click()
    await expect(applicant.get_by_text("Your profile is saved.")).to_be_visible()
    await expect(applicant.get_by_text("You are eligible for the programme.")).to_be_visible()
    cv = applicant.get_by_label("CV (PDF)")
    # A refused file: the reason is shown under the field.
    await cv.set_input_files(files=[{"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"not a PDF"}])
    await applicant.get_by_role("button", name="Upload").click()
    await expect(cv).to_have_accessible_description(
        re.compile(r"The file is not a PDF \(it does not start with %PDF-\)\.$")
    )
    await cv.set_input_files(
        files=[{"name": "ines-costa-cv.pdf", "mimeType": "application/pdf", "buffer": make_pdf("Ines Costa")}]
    )
    await applicant.get_by_role("button", name="Upload").click()
    await expect(applicant.get_by_text("Your CV is uploaded.")).to_be_visible()
    await expect(applicant.get_by_text("ines-costa-cv.pdf")).to_be_visible()
    await shot(applicant, "applicant-profile")

    await applicant.get_by_role("link", name="Offers", exact=True).click()
    await applicant.get_by_label("Host region").select_option(str(host.id))
    await applicant.get_by_label("Keywords").fill("marine")
    await applicant.get_by_role("button", name="Search").click()
    await expect(applicant.get_by_role("heading", name="1 offer")).to_be_visible()
    await shot(applicant, "offers-search")
    await applicant.get_by_role("link", name=offer_title).click()
    await expect(applicant.get_by_text("You meet every rule for this offer.")).to_be_visible()
    await applicant.get_by_label("Motivation").fill("I studied marine biology and speak Spanish every day at work.")
    await applicant.get_by_role("button", name="Send my application").click()
    await expect(applicant.get_by_text("Your application is sent.")).to_be_visible()
    await shot(applicant, "offer-detail")

    await applicant.go_back()
    await applicant.get_by_label("Keywords").fill("")
    await applicant.get_by_role("button", name="Search").click()
    await applicant.get_by_role("link", name=second_title).click()
    await applicant.get_by_label("Motivation").fill("Field work by the sea is what I want to learn next.")
    await applicant.get_by_role("button", name="Send my application").click()
    await expect(applicant.get_by_text("Your application is sent.")).to_be_visible()

    await applicant.get_by_role("link", name="My applications", exact=True).click()
    ranking = applicant.get_by_role("list", name="My ranking")
    await expect(ranking.get_by_role("listitem")).to_have_count(2)
    await expect(ranking.get_by_role("listitem").first).to_contain_text(offer_title)
    await applicant.get_by_role("button", name=f"Move {second_title} up").click()
    await expect(applicant.get_by_text("Your ranking is saved.")).to_be_visible()
    await applicant.reload()
    await expect(ranking.get_by_role("listitem").first).to_contain_text(second_title)
    await applicant.get_by_role("button", name=f"Move {offer_title} up").click()  # back: the marine offer first
    await expect(ranking.get_by_role("listitem").first).to_contain_text(offer_title)
    await shot(applicant, "applicant-applications")

    # -- home region: validates eligibility --------------------------------------------------------------
    home_ctx, home_coord = await new_page(browser, world)
    await login(home_coord, home_coordinator)
    await expect(home_coord.get_by_role("link", name="2 applications to validate")).to_be_visible()
    await shot(home_coord, "coordinator-dashboard")
    await home_coord.get_by_role("link", name="2 applications to validate").click()
    await expect(home_coord.get_by_role("button", name="Declare Inês Costa eligible")).to_have_count(2)
    await shot(home_coord, "coordinator-applications")
    validate = home_coord.get_by_role("button", name="Declare Inês Costa eligible")
    await validate.first.click()
    await expect(home_coord.get_by_text("Inês Costa is declared eligible.")).to_be_visible()
    await expect(validate).to_have_count(1)
    await home_coord.get_by_role("button", name="Ineligible: Inês Costa").click()
    await home_coord.get_by_label("Reason (the applicant sees it)").fill("One application per applicant in this round.")
    await home_coord.get_by_role("button", name="Declare ineligible").click()
    await expect(home_coord.get_by_text("Inês Costa is declared ineligible.")).to_be_visible()
    await home_ctx.close()

    # -- host region: shortlists, opens the CV ---------------------------------------------------------------
    await coordinator.get_by_role("link", name="Offers").click()
    await coordinator.get_by_label("State").select_option("published")
    await coordinator.get_by_role("link", name=offer_title).click()
    await coordinator.get_by_role("button", name="Shortlist Inês Costa").click()
    await expect(coordinator.get_by_text("Inês Costa is shortlisted.")).to_be_visible()
    async with coordinator.expect_response(re.compile(r"/api/applicants/[^/]+/cv$")) as cv_response:
        await coordinator.get_by_role("button", name="Open the CV of Inês Costa").click()
    link = await (await cv_response.value).json()
    async with httpx.AsyncClient() as http:
        pdf = await http.get(link["url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for extra in coord_ctx.pages[1:]:
        await extra.close()

    # -- employer: sees the shortlisted candidate, records the interview ---------------------------------
    await employer.reload()
    await expect(employer.get_by_role("heading", name="Candidates")).to_be_visible()
    await employer.get_by_text("Interview", exact=True).click()
    await employer.get_by_label("Interview outcome").select_option("passed")
    await employer.get_by_label("Our preference (1 is best)").fill("1")
    await employer.get_by_role("button", name="Save the interview").click()
    await expect(employer.get_by_text("The interview is recorded.")).to_be_visible()

    # -- host region: proposes the placement ---------------------------------------------------------------
    await coordinator.reload()
    await expect(coordinator.get_by_text("Interview passed")).to_be_visible()
    await coordinator.get_by_role("button", name="Propose the placement: Inês Costa").click()
    await coordinator.get_by_role("button", name="Send the proposal").click()
    await expect(coordinator.get_by_text("The placement is proposed to Inês Costa.")).to_be_visible()
    await expect(coordinator.get_by_text("Placement proposed")).to_be_visible()
    await shot(coordinator, "coordinator-candidates")
    await coord_ctx.close()

    # -- applicant: reads the reason of the refusal, accepts the proposal ---------------------------------
    await applicant.reload()
    await expect(applicant.get_by_text("Reason: One application per applicant in this round.")).to_be_visible()
    await expect(applicant.get_by_text("A traineeship is proposed to you")).to_be_visible()
    await applicant.get_by_role("button", name="Accept").click()
    await expect(applicant.get_by_text("You accepted. The employer confirms next.")).to_be_visible()

    # -- employer: confirms the trainee ----------------------------------------------------------------------
    await employer.reload()
    await employer.get_by_role("button", name="Confirm the trainee").click()
    await expect(employer.get_by_text("The trainee is confirmed")).to_be_visible()
    await shot(employer, "employer-candidates")
    await emp_ctx.close()

    await applicant.reload()
    await expect(applicant.get_by_text("Confirmed by the employer")).to_be_visible()
    await applicant.get_by_role("link", name=re.compile(r"^Notifications")).click()
    await expect(applicant.locator(".notifications li").first).to_be_visible()
    await shot(applicant, "notifications")
    await app_ctx.close()

    # -- chair: statistics (after a refresh of the figures), the flows heat map and a CSV ------------------
    chair_ctx, chair = await new_page(browser, world)
    await login(chair, world.accounts["chair"])
    await expect(chair.get_by_role("heading", name="Programme statistics")).to_be_visible()
    await chair.get_by_label("Programme year", exact=True).select_option(str(start_date.year))
    await chair.get_by_role("button", name="Refresh the figures now").click()
    await expect(chair.get_by_text("The figures are up to date.")).to_be_visible()
    regions_table = chair.get_by_role("table", name=re.compile("Exchange, quotas and offers per region"))
    host_row = regions_table.get_by_role("row", name=re.compile(host.name))
    await expect(host_row.get_by_role("cell").nth(1)).to_have_text("1")  # hosted
    flows = chair.get_by_role("table", name=re.compile("Placements from home region"))
    await expect(flows.get_by_role("row", name=re.compile(home.code))).to_contain_text("1")
    async with chair.expect_download() as download_info:
        await chair.get_by_role("button", name="Download Regions as CSV").click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = (await download.path()).read_text(encoding="utf-8-sig")
    assert host.code in content
    await shot(chair, "chair-statistics")
    await chair_ctx.close()
