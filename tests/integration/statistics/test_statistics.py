"""Every statistic against hand-computed values on a small known programme (see WORLD below)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from backend.db.models import Application, ApplicationState, Placement, Role, Sex
from tests.support.api import arrange
from tests.support.factories import (
    login_token,
    make_application,
    make_offer,
    make_organisation,
    make_profile,
    make_quota,
    make_region,
    make_user,
)

# Regions A (PT20), B (ES51), C (FR10). 2026 placements: B->A twice, C->A, A->B, A->C; 2025: B->A once.
SEPT, OCT = date(2026, 9, 1), date(2026, 10, 1)


async def build_world(s, clock):
    a, b, c = await make_region(s, "PT20"), await make_region(s, "ES51"), await make_region(s, "FR10")
    for region, hosting, sending in ((a, 10, 10), (b, 4, 6), (c, 5, 5)):
        await make_quota(s, region, 2026, hosting, sending)
        await make_quota(s, region, 2025, 5, 5)
    org_a, org_b, org_c = (
        await make_organisation(s, a, sector="J"),
        await make_organisation(s, b, sector="N"),
        await make_organisation(s, c, sector="M"),
    )
    oa = await make_offer(s, org_a, seats=3, duration_months=6, start_date=SEPT)
    ob = await make_offer(s, org_b, seats=2, duration_months=4, start_date=SEPT)
    oc = await make_offer(s, org_c, seats=2, duration_months=7, start_date=OCT)
    oa_2025 = await make_offer(s, org_a, seats=1, duration_months=6, start_date=date(2025, 9, 1))

    async def applicant(home, dob, sex, eqf):
        user = await make_user(s, Role.APPLICANT)
        profile = await make_profile(s, user, home, date_of_birth=dob, eqf_level=eqf)
        profile.sex = sex
        return user

    b1 = await applicant(b, date(2006, 1, 1), Sex.FEMALE, 4)
    b2 = await applicant(b, date(2003, 1, 1), Sex.MALE, 6)
    b3 = await applicant(b, date(2002, 1, 1), None, 5)
    c1 = await applicant(c, date(2000, 6, 1), None, 6)
    a1 = await applicant(a, date(1997, 1, 1), Sex.FEMALE, 7)
    a2 = await applicant(a, date(1994, 1, 1), Sex.OTHER, 7)
    d1 = await applicant(b, date(2001, 1, 1), Sex.MALE, 6)

    submitted = datetime(2026, 2, 1, tzinfo=UTC)
    placed = [(b1, oa, b, 10), (b2, oa, b, 20), (c1, oa, c, 30), (a1, ob, a, 40), (a2, oc, a, 50)]
    for user, offer, home, days in [*placed, (d1, oa_2025, b, 15)]:
        application = await make_application(s, user, offer, home, state=ApplicationState.CONFIRMED)
        await s.execute(update(Application).where(Application.id == application.id).values(submitted_at=submitted))
        s.add(
            Placement(
                application_id=application.id,
                offer_id=offer.id,
                applicant_id=user.id,
                host_region_id=offer.region_id,
                home_region_id=home.id,
                programme_year=offer.start_date.year,
                start_date=offer.start_date,
                end_date=offer.start_date + timedelta(days=30 * offer.duration_months),
                confirmed_at=submitted + timedelta(days=days),
            )
        )
    await make_application(s, b3, oa, b, state=ApplicationState.SUBMITTED)
    await make_application(s, b3, oc, b, state=ApplicationState.REJECTED, applicant_rank=2)
    await make_application(s, a2, ob, a, state=ApplicationState.WITHDRAWN, applicant_rank=2)
    await s.flush()
    users = {
        "chair": await make_user(s, Role.CHAIR),
        "admin": await make_user(s, Role.ADMIN),
        "coord_a": await make_user(s, Role.COORDINATOR, regions=[a]),
        "coord_b": await make_user(s, Role.COORDINATOR, regions=[b]),
        "applicant": b1,
        "employer": await make_user(s, Role.EMPLOYER, organisation=org_a),
    }
    return {name: await login_token(s, user, clock()) for name, user in users.items()}


@pytest.fixture
async def world(client, db, clock):
    headers = await arrange(db, lambda s: build_world(s, clock))
    refreshed = await client.post("/api/statistics/refresh", headers=headers["chair"])
    assert refreshed.status_code == 204, refreshed.text
    return headers


def by_code(rows):
    return {r["region_code"]: r for r in rows}


async def test_region_figures(client, world):
    response = await client.get("/api/statistics/regions", params={"year": 2026}, headers=world["chair"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scope"]["regions"] is None and body["scope"]["as_of"] is not None
    rows = by_code(body["regions"])
    expected = {
        # code: hosted, sent, balance, host use, send use, offers, seats, fill, received, sent apps, acceptance
        "PT20": (3, 2, 1, 0.3, 0.2, 1, 3, 1.0, 4, 3, 0.75),
        "ES51": (1, 2, -1, 0.25, 0.3333, 1, 2, 0.5, 2, 4, 0.5),
        "FR10": (1, 1, 0, 0.2, 0.2, 1, 2, 0.5, 2, 1, 0.5),
    }
    keys = (
        "hosted",
        "sent",
        "balance",
        "hosting_quota_use",
        "sending_quota_use",
        "offers_published",
        "seats",
        "fill_rate",
        "applications_received",
        "applications_sent",
        "acceptance_rate",
    )
    for code, values in expected.items():
        assert tuple(rows[code][k] for k in keys) == values, code
    totals = body["programme_totals"]
    assert (totals["hosted"], totals["sent"], totals["seats"], totals["applications_received"]) == (5, 5, 7, 8)
    assert totals["fill_rate"] == 0.7143 and totals["acceptance_rate"] == 0.625
    assert (totals["hosting_quota"], totals["sending_quota"]) == (19, 21)

    cohort = await client.get(
        "/api/statistics/regions", params={"year": 2026, "cohort": "2026-10-01"}, headers=world["chair"]
    )
    rows = by_code(cohort.json()["regions"])
    assert (rows["FR10"]["hosted"], rows["PT20"]["sent"], rows["PT20"]["hosted"]) == (1, 1, 0)


async def test_flows(client, world):
    body = (await client.get("/api/statistics/flows", params={"year": 2026}, headers=world["chair"])).json()
    flows = {(f["home_region"], f["host_region"]): f["placements"] for f in body["flows"]}
    assert flows == {("ES51", "PT20"): 2, ("FR10", "PT20"): 1, ("PT20", "ES51"): 1, ("PT20", "FR10"): 1}
    countries = {(f["home_country"], f["host_country"]): f["placements"] for f in body["country_flows"]}
    assert countries == {("ES", "PT"): 2, ("FR", "PT"): 1, ("PT", "ES"): 1, ("PT", "FR"): 1}
    assert body["placements"] == 5
    previous = (await client.get("/api/statistics/flows", params={"year": 2025}, headers=world["chair"])).json()
    assert [(f["home_region"], f["host_region"], f["placements"]) for f in previous["flows"]] == [("ES51", "PT20", 1)]


async def test_distributions_and_supply(client, world):
    body = (await client.get("/api/statistics/distributions", params={"year": 2026}, headers=world["chair"])).json()

    def counts(name):
        return {c["category"]: c["placements"] for c in body["placements"][name]}

    assert counts("sector") == {"J": 3, "N": 1, "M": 1}
    assert counts("sex") == {"female": 2, "male": 1, "other": 1, "undisclosed": 1}
    assert counts("age_band") == {"18-20": 1, "21-24": 1, "25-27": 1, "28-30": 1, "31+": 1}
    assert counts("duration_months") == {"6": 3, "4": 1, "7": 1}
    assert counts("eqf_level") == {"4": 1, "6": 2, "7": 2}
    supply = {r["sector"]: (r["offers"], r["seats"], r["applications"]) for r in body["supply_demand"]}
    assert supply == {"J": (1, 3, 4), "N": (1, 2, 2), "M": (1, 2, 2)}


async def test_time_to_placement_and_trends(client, world):
    ttp = (await client.get("/api/statistics/time-to-placement", params={"year": 2026}, headers=world["chair"])).json()
    assert ttp["selected"] == {"placements": 5, "median_days": 30.0, "p90_days": 46.0}
    trends = (await client.get("/api/statistics/trends", headers=world["chair"])).json()
    years = {r["programme_year"]: r for r in trends["years"]}
    assert (years[2025]["placements"], years[2025]["applications"], years[2025]["seats"]) == (1, 1, 1)
    assert years[2025]["fill_rate"] == 1.0
    assert (years[2026]["placements"], years[2026]["applications"], years[2026]["offers_published"]) == (5, 8, 3)
    assert years[2026]["fill_rate"] == 0.7143


async def test_coordinators_see_their_regions_and_programme_totals_only(client, world):
    body = (await client.get("/api/statistics/regions", params={"year": 2026}, headers=world["coord_b"])).json()
    assert [r["region_code"] for r in body["regions"]] == ["ES51"]
    assert body["scope"]["regions"] == ["ES51"]
    assert body["programme_totals"]["hosted"] == 5
    flows = (await client.get("/api/statistics/flows", params={"year": 2026}, headers=world["coord_b"])).json()
    assert {(f["home_region"], f["host_region"]) for f in flows["flows"]} == {("ES51", "PT20"), ("PT20", "ES51")}
    dist = (await client.get("/api/statistics/distributions", params={"year": 2026}, headers=world["coord_b"])).json()
    assert sum(c["placements"] for c in dist["placements"]["sector"]) == 3  # the placements that involve ES51
    assert sum(c["placements"] for c in dist["programme_placements"]["sector"]) == 5
    ttp = (
        await client.get("/api/statistics/time-to-placement", params={"year": 2026}, headers=world["coord_b"])
    ).json()
    assert ttp["selected"]["placements"] == 3 and ttp["programme"]["placements"] == 5

    for role in ("applicant", "employer"):
        refused = await client.get("/api/statistics/regions", params={"year": 2026}, headers=world[role])
        assert refused.status_code == 403
    assert (await client.get("/api/statistics/regions", params={"year": 2026})).status_code == 401
    missing_year = await client.get("/api/statistics/regions", headers=world["chair"])
    assert missing_year.status_code == 400 and missing_year.json()["errors"][0]["field"] == "year"
    refresh = await client.post("/api/statistics/refresh", headers=world["coord_a"])
    assert refresh.status_code == 403


async def test_csv_exports_with_small_count_suppression(client, world):
    admin = await client.get("/api/statistics/regions.csv", params={"year": 2026}, headers=world["admin"])
    assert admin.status_code == 200
    assert admin.headers["content-type"] == "text/csv; charset=utf-8"
    assert admin.headers["content-disposition"] == 'attachment; filename="eurodyssey-regions-2026.csv"'
    rows = {r["region_code"]: r for r in csv.DictReader(io.StringIO(admin.text))}
    assert rows["PT20"]["hosted"] == "3" and rows["PT20"]["fill_rate"] == "1"
    assert "suppressed" not in rows["PT20"]
    assert rows["ALL"]["hosted"] == "5"

    chair = await client.get("/api/statistics/regions.csv", params={"year": 2026}, headers=world["chair"])
    rows = {r["region_code"]: r for r in csv.DictReader(io.StringIO(chair.text))}
    assert rows["PT20"]["hosted"] == "<5" and rows["PT20"]["balance"] == "" and rows["PT20"]["fill_rate"] == ""
    assert "hosted" in rows["PT20"]["suppressed"].split(";")
    assert rows["ALL"]["hosted"] == "5" and rows["ALL"]["applications_received"] == "8"
    assert rows["ALL"]["suppressed"] == ""
    assert rows["PT20"]["seats"] == "3"  # seats are not about people: never suppressed

    coordinator = await client.get("/api/statistics/flows.csv", params={"year": 2026}, headers=world["coord_a"])
    lines = list(csv.DictReader(io.StringIO(coordinator.text)))
    assert {line["placements"] for line in lines} == {"<5"}
    assert all(line["suppressed"] == "placements" for line in lines)
    for name in ("distributions", "time-to-placement"):
        export = await client.get(f"/api/statistics/{name}.csv", params={"year": 2026}, headers=world["chair"])
        assert export.status_code == 200 and "suppressed" in export.text.splitlines()[0]
    trends = await client.get("/api/statistics/trends.csv", headers=world["chair"])
    assert trends.headers["content-disposition"] == 'attachment; filename="eurodyssey-trends.csv"'
