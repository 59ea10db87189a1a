"""A coordinator's "remind now": who may, what it sends, the cap, and the status that shows the last one."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from backend.db.models import ApplicationState, Notification, Role
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


async def world(db, clock):
    async def build(s):
        host = await make_region(s, "PT20", name="Azores", country="PT", languages=["pt"])
        home = await make_region(s, "FR10", name="Ile-de-France", country="FR", languages=["fr"])
        other = await make_region(s, "ES51", name="Catalonia", country="ES", languages=["es"])
        for region in (host, home):
            await make_quota(s, region, 2026, hosting=5, sending=5)
        org = await make_organisation(s, host, name="Atlantic Lab")
        employer = await make_user(s, Role.EMPLOYER, organisation=org)
        applicant = await make_user(s, Role.APPLICANT)
        await make_profile(s, applicant, home)
        accepted = await make_application(
            s,
            applicant,
            await make_offer(s, org, title="Guide"),
            home,
            state=ApplicationState.ACCEPTED,
            confirm_deadline=clock() + timedelta(days=5),
        )
        submitted = await make_application(s, applicant, await make_offer(s, org, title="Cook"), home)
        headers = {
            name: await login_token(s, await make_user(s, Role.COORDINATOR, regions=[region]), clock())
            for name, region in (("host", host), ("home", home), ("foreign", other))
        }
        headers["applicant"] = await login_token(s, applicant, clock())
        return {"accepted": accepted.id, "submitted": submitted.id, "employer": employer.id, "h": headers}

    return await arrange(db, build)


async def test_remind_now_is_capped_and_shows_when_the_last_reminder_went_out(client, db, clock):
    w = await world(db, clock)
    h, url = w["h"], f"/api/applications/{w['accepted']}/reminders"

    before = await client.get(url, headers=h["host"])
    assert before.status_code == 200, before.text
    assert before.json() | {"history": []} == {
        "subject_id": str(w["accepted"]),
        "kind": "employer.confirm_reminder",
        "sent": 0,
        "limit": 2,
        "last_sent_at": None,
        "can_remind_now": True,
        "history": [],
    }

    first = await client.post(url, headers=h["host"])
    assert first.status_code == 201, first.text
    assert first.json()["sent"] == 1 and first.json()["last_sent_at"] == clock().isoformat().replace("+00:00", "Z")
    clock.advance(minutes=30)
    second = await client.post(url, headers=h["home"])  # the sending side may remind too
    assert second.status_code == 201
    status = second.json()
    assert status["sent"] == 2 and status["can_remind_now"] is False
    assert [(r["number"], r["automatic"], r["recipients"]) for r in status["history"]] == [(1, False, 1), (2, False, 1)]

    third = await client.post(url, headers=h["host"])
    assert third.status_code == 409
    assert "2 reminders were sent already (the last at" in third.json()["detail"]

    async with db() as session:
        notes = list(
            await session.scalars(select(Notification).where(Notification.kind == "employer.confirm_reminder"))
        )
    assert [n.user_id for n in notes] == [w["employer"], w["employer"]]
    assert {n.dedup_key.rsplit(":", 2)[1] for n in notes} == {"1", "2"}


async def test_remind_now_refuses_the_wrong_people_and_items_nobody_waits_on(client, db, clock):
    w = await world(db, clock)
    h = w["h"]
    accepted = f"/api/applications/{w['accepted']}/reminders"
    assert (await client.post(accepted, headers=h["foreign"])).status_code == 403
    assert (await client.post(accepted, headers=h["applicant"])).status_code == 403
    assert (await client.post(f"/api/applications/{uuid.uuid4()}/reminders", headers=h["host"])).status_code == 404
    assert (await client.get(f"/api/placements/{uuid.uuid4()}/reminders", headers=h["host"])).status_code == 404

    nothing = await client.post(f"/api/applications/{w['submitted']}/reminders", headers=h["host"])
    assert nothing.status_code == 409 and nothing.json()["state"] == "submitted"
    status = await client.get(f"/api/applications/{w['submitted']}/reminders", headers=h["host"])
    assert status.json()["kind"] is None and status.json()["can_remind_now"] is False

    clock.advance(days=6)  # past the confirmation deadline
    async with db() as session:
        fresh = await login_token(session, await make_user(session, Role.ADMIN), clock())
        await session.commit()
    late = await client.post(accepted, headers=fresh)
    assert late.status_code == 409 and "deadline has passed" in late.json()["detail"]
