"""The balance endpoint: quotas, use, remaining, hosted, sent, balance and pending per region and year."""

from __future__ import annotations

import pytest

from backend.db.models import ApplicationState, Role
from tests.integration.applications.world import build_world
from tests.support.api import arrange
from tests.support.factories import (
    login_token,
    make_application,
    make_offer,
    make_organisation,
    make_profile,
    make_user,
)

S = ApplicationState


async def _world(s, now):
    w = await build_world(s, now)
    offer = await make_offer(s, w.org, seats=5)
    for state in (S.PROPOSED, S.ACCEPTED, S.CONFIRMED, S.SUBMITTED, S.WITHDRAWN):
        await make_application(s, await make_user(s, Role.APPLICANT), offer, w.home, state=state)
    # A resident of the host region placed abroad: the host region sends one.
    resident = await make_user(s, Role.APPLICANT)
    await make_profile(s, resident, w.host)
    abroad = await make_offer(s, await make_organisation(s, w.other, name="Abroad"))
    await make_application(s, resident, abroad, w.host, state=S.CONFIRMED)
    return w


async def test_balance_figures(client, db, clock):
    w = await arrange(db, lambda s: _world(s, clock()))
    host = await client.get(f"/api/regions/{w.host.id}/balance", headers=w.headers["hosting"])  # year from the clock
    assert host.status_code == 200, host.text
    assert host.json() | {"region_id": None} == {
        "region_id": None,
        "region_code": "PT20",
        "programme_year": 2026,
        "has_quota": True,
        "hosting_quota": 5,
        "sending_quota": 5,
        "hosting_used": 2,
        "sending_used": 1,
        "hosting_remaining": 3,
        "sending_remaining": 4,
        "hosted": 2,
        "sent": 1,
        "balance": 1,
        "pending": 2,
        "hosting": {"quota": 5, "used": 2, "remaining": 3, "confirmed": 1, "accepted": 1, "proposed": 1, "pending": 2},
        "sending": {"quota": 5, "used": 1, "remaining": 4, "confirmed": 1, "accepted": 0, "proposed": 0, "pending": 0},
    }
    home = (await client.get(f"/api/regions/{w.home.id}/balance?year=2026", headers=w.headers["sending"])).json()
    assert (home["hosted"], home["sent"], home["balance"], home["pending"]) == (0, 2, -2, 2)
    next_year = (await client.get(f"/api/regions/{w.host.id}/balance?year=2027", headers=w.headers["chair"])).json()
    assert next_year["has_quota"] is False and next_year["hosting_remaining"] == 0 and next_year["balance"] == 0
    # From September on, the default year is next year's programme, the one being recruited for.
    clock.now = clock.now.replace(month=9, day=1)
    chair = await arrange(db, lambda s: _fresh_login(s, clock()))  # the earlier sessions have expired by then
    autumn = (await client.get(f"/api/regions/{w.host.id}/balance", headers=chair)).json()
    assert autumn["programme_year"] == 2027


async def _fresh_login(s, now):
    return await login_token(s, await make_user(s, Role.CHAIR), now)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("applicant", 403),
        ("employer", 403),
        ("hosting", 200),
        ("foreign", 403),
        ("chair", 200),
        ("admin", 200),
    ],
)
async def test_who_sees_a_balance(client, db, clock, role, status):
    w = await arrange(db, lambda s: build_world(s, clock()))
    response = await client.get(f"/api/regions/{w.host.id}/balance", headers=w.headers.get(role, {}))
    assert response.status_code == status, response.text


async def test_balance_input(client, db, clock):
    w = await arrange(db, lambda s: build_world(s, clock()))
    bad = await client.get(f"/api/regions/{w.host.id}/balance?year=1999", headers=w.headers["admin"])
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "year"
    unknown = await client.get("/api/regions/018f0000-0000-7000-8000-000000000000/balance", headers=w.headers["admin"])
    assert unknown.status_code == 404
