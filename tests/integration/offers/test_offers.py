"""The offer's lifecycle: drafting, editing, submission, send-back with a reason, publication, withdrawal,
closing at the deadline; who may do what (table-driven); and bad input refused with the field named."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from backend.db.models import ApplicationEvent, Offer, OfferEvent, OfferState, Role
from backend.domain.ledger.services import audit
from backend.domain.offers.services import close_expired_offers
from tests.integration.applications.world import build_world
from tests.support.api import arrange
from tests.support.factories import login_token, make_application, make_offer, make_organisation, make_user

DRAFT = {
    "title": "Junior web developer",
    "description": "Build the public website of a regional tourism office.",
    "tasks": "Front-end work, accessibility checks.",
    "sector": "J",
    "duration_months": 5,
    "start_date": "2026-10-01",
    "seats": 2,
    "monthly_grant": "1100.50",
    "application_deadline": "2026-06-30T22:00:00Z",
    "languages": [{"language": "en", "level": "B1"}],
}


async def _world(db, clock):
    return await arrange(db, lambda s: build_world(s, clock()))


async def _offers_written(db):
    async with db() as session:
        return await session.scalar(select(func.count()).select_from(Offer))


async def test_draft_edit_submit_send_back_publish_withdraw(client, db, clock, settings):
    w = await _world(db, clock)
    h = w.headers
    created = await client.post("/api/offers", json=DRAFT, headers=h["employer"])
    assert created.status_code == 201, created.text
    offer = created.json()
    url = f"/api/offers/{offer['id']}"
    assert offer["languages"] == [{"language": "en", "level": "B1"}] and offer["country"] == "PT"

    edited = await client.patch(
        url,
        json={"seats": 3, "languages": [{"language": "pt", "level": "A2"}, {"language": "en", "level": "B2"}]},
        headers=h["employer"],
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["seats"] == 3
    assert edited.json()["languages"] == [{"language": "en", "level": "B2"}, {"language": "pt", "level": "A2"}]

    listed = await client.get(f"/api/organisations/{w.org.id}/offers", params={"state": "draft"}, headers=h["employer"])
    assert [o["id"] for o in listed.json()] == [offer["id"]]
    too_early = await client.post(f"{url}/publish", headers=h["hosting"])
    assert too_early.status_code == 409 and too_early.json()["state"] == "draft"

    assert (await client.post(f"{url}/submit", headers=h["employer"])).status_code == 200
    edit_submitted = await client.patch(url, json={"seats": 1}, headers=h["employer"])
    assert edit_submitted.status_code == 409 and edit_submitted.json()["state"] == "submitted"
    pending = await client.get(f"/api/regions/{w.host.id}/offers", params={"state": "submitted"}, headers=h["hosting"])
    assert [o["id"] for o in pending.json()] == [offer["id"]]

    no_reason = await client.post(f"{url}/send-back", json={}, headers=h["hosting"])
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    sent_back = await client.post(
        f"{url}/send-back", json={"reason": "Say which languages the team speaks."}, headers=h["hosting"]
    )
    assert sent_back.status_code == 200
    assert sent_back.json()["state"] == "draft" and sent_back.json()["state_reason"].startswith("Say which")

    assert (await client.post(f"{url}/submit", headers=h["employer"])).status_code == 200
    published = await client.post(f"{url}/publish", headers=h["hosting"])
    assert published.status_code == 200 and published.json()["state_reason"] is None
    assert (await client.get(url)).status_code == 200  # public now

    withdrawn = await client.post(f"{url}/withdraw", json={"reason": "Budget cut."}, headers=h["employer"])
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    again = await client.post(f"{url}/withdraw", json={}, headers=h["hosting"])
    assert again.status_code == 409 and again.json()["state"] == "withdrawn"

    events = (await client.get(f"{url}/events", headers=h["hosting"])).json()
    assert [(e["action"], e["from_state"], e["to_state"]) for e in events] == [
        ("create", None, "draft"),
        ("submit", "draft", "submitted"),
        ("send_back", "submitted", "draft"),
        ("submit", "draft", "submitted"),
        ("publish", "submitted", "published"),
        ("withdraw", "published", "withdrawn"),
    ]
    assert events[2]["reason"] == "Say which languages the team speaks."
    assert (await client.get(f"{url}/events", headers=h["other_employer"])).status_code == 403


async def test_submission_needs_a_verified_organisation(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        unverified = await make_organisation(s, w.host, verified=False, name="New Startup")
        w.headers["new_employer"] = await login_token(
            s, await make_user(s, Role.EMPLOYER, organisation=unverified), clock()
        )
        return w

    w = await arrange(db, world)
    offer = (await client.post("/api/offers", json=DRAFT, headers=w.headers["new_employer"])).json()
    refused = await client.post(f"/api/offers/{offer['id']}/submit", headers=w.headers["new_employer"])
    assert refused.status_code == 409 and "verified" in refused.json()["detail"]
    no_org = await client.post("/api/offers", json=DRAFT, headers=w.headers["applicant"])
    assert no_org.status_code == 403


async def test_withdrawing_a_published_offer_ends_its_applications_and_gives_units_back(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        w.offer = await make_offer(s, w.org, seats=2)
        w.accepted = await make_application(s, w.applicant, w.offer, w.home, state="accepted")
        w.submitted = await make_application(s, w.users["other_applicant"], w.offer, w.home, state="submitted")
        return w

    w = await arrange(db, world)
    withdrawn = await client.post(f"/api/offers/{w.offer.id}/withdraw", headers=w.headers["hosting"])  # no body
    assert withdrawn.status_code == 200, withdrawn.text
    for application in (w.accepted, w.submitted):
        shown = (await client.get(f"/api/applications/{application.id}", headers=w.headers["hosting"])).json()
        assert shown["state"] == "rejected" and shown["reason"].startswith("The offer was withdrawn")
    balance = (await client.get(f"/api/regions/{w.host.id}/balance?year=2026", headers=w.headers["hosting"])).json()
    assert balance["hosted"] == 0
    async with db() as session:
        assert await audit(session) == []


async def test_an_offer_with_a_confirmed_placement_cannot_be_withdrawn(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        w.offer = await make_offer(s, w.org, seats=2)
        await make_application(s, w.applicant, w.offer, w.home, state="confirmed")
        return w

    w = await arrange(db, world)
    refused = await client.post(f"/api/offers/{w.offer.id}/withdraw", json={}, headers=w.headers["employer"])
    assert refused.status_code == 409 and refused.json()["state"] == "published"


async def test_offers_close_at_their_deadline(client, db, clock, settings):
    async def world(s):
        w = await build_world(s, clock())
        w.due = await make_offer(s, w.org, deadline=clock() + timedelta(minutes=10))
        w.later = await make_offer(s, w.org)
        return w

    w = await arrange(db, world)
    assert (await client.get("/api/offers")).json()["total"] == 2
    clock.advance(minutes=20)
    assert (await client.get("/api/offers")).json()["total"] == 1  # hidden at once, before the job runs
    async with db() as session:
        assert await close_expired_offers(session, clock(), settings) == 1
        assert await close_expired_offers(session, clock(), settings) == 0  # idempotent
        await session.commit()
    shown = (await client.get(f"/api/offers/{w.due.id}")).json()
    assert shown["state"] == "closed"
    trail = (await client.get(f"/api/offers/{w.due.id}/events", headers=w.headers["employer"])).json()
    assert trail[-1] | {"id": None, "created_at": None} == {
        "id": None,
        "action": "close",
        "from_state": "published",
        "to_state": "closed",
        "actor_role": "system",
        "reason": "The application deadline has passed.",
        "created_at": None,
    }
    late = await client.post(
        "/api/applications",
        json={"offer_id": str(w.due.id), "motivation": "Please let me in, I am only slightly late."},
        headers=w.headers["applicant"],
    )
    assert late.status_code == 409 and late.json()["state"] == "closed"


async def test_unpublished_offers_are_private(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        w.draft = await make_offer(s, w.org, state=OfferState.DRAFT)
        return w

    w = await arrange(db, world)
    url = f"/api/offers/{w.draft.id}"
    assert (await client.get(url)).status_code == 404
    for role, status in [
        ("employer", 200),
        ("hosting", 200),
        ("chair", 200),
        ("admin", 200),
        ("other_employer", 403),
        ("foreign", 403),
        ("applicant", 403),
    ]:
        assert (await client.get(url, headers=w.headers[role])).status_code == status, role


async def test_audit_tables_are_append_only(db, clock):
    async def world(s):
        w = await build_world(s, clock())
        offer = await make_offer(s, w.org)
        application = await make_application(s, w.applicant, offer, w.home)
        s.add(OfferEvent(offer_id=offer.id, actor_role="system", action="close", to_state="closed", created_at=clock()))
        s.add(
            ApplicationEvent(
                application_id=application.id, actor_role="system", action="x", to_state="submitted", created_at=clock()
            )
        )
        return w

    await arrange(db, world)
    connection = db.kw["bind"]
    for statement in (
        "UPDATE application_events SET reason = 'changed'",
        "DELETE FROM application_events",
        "UPDATE offer_events SET reason = 'changed'",
        "DELETE FROM offer_events",
    ):
        savepoint = await connection.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(text(statement))
        await savepoint.rollback()


# -- who may move an offer, from which state ---------------------------------------------------------------

ROLES = ["anonymous", "applicant", "employer", "other_employer", "hosting", "foreign", "sending", "chair", "admin"]
ACTIONS = {
    # action -> (body, the states it starts from, who may take it)
    "submit": (None, {OfferState.DRAFT}, {"employer"}),
    "publish": (None, {OfferState.SUBMITTED}, {"hosting", "admin"}),
    "send-back": ({"reason": "Describe the tasks."}, {OfferState.SUBMITTED}, {"hosting", "admin"}),
    "withdraw": (
        {},
        {OfferState.DRAFT, OfferState.SUBMITTED, OfferState.PUBLISHED, OfferState.CLOSED},
        {"employer", "hosting", "admin"},
    ),
}


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_offer_transition_matrix(client, db, clock, action):
    body, sources, allowed = ACTIONS[action]
    w = await _world(db, clock)
    connection = db.kw["bind"]
    for state in OfferState:
        roles = ROLES if state is sorted(sources)[0] else [sorted(allowed)[0]]
        for role in roles:
            savepoint = await connection.begin_nested()
            offer = await arrange(db, lambda s, state=state: make_offer(s, w.org, state=state))
            response = await client.post(
                f"/api/offers/{offer.id}/{action}", json=copy.deepcopy(body), headers=w.headers.get(role, {})
            )
            await savepoint.rollback()
            if state not in sources:
                assert response.status_code == 409, (state, response.text)
                assert response.json()["state"] == state.value
            elif role in allowed:
                assert response.status_code == 200, (role, response.text)
            else:
                assert response.status_code == (401 if role == "anonymous" else 403), (role, response.text)


# -- bad input ---------------------------------------------------------------------------------------------

BAD = [
    ({"duration_months": 2}, 400, "duration_months"),
    ({"duration_months": 8}, 400, "duration_months"),
    ({"seats": 0}, 400, "seats"),
    ({"title": "x" * 201}, 400, "title"),
    ({"description": "x" * 8001}, 400, "description"),
    ({"tasks": ""}, 400, "tasks"),
    ({"sector": "Z"}, 400, "sector"),
    ({"languages": [{"language": "en", "level": "Z9"}]}, 400, "languages[0].level"),
    ({"languages": [{"language": "English", "level": "B1"}]}, 400, "languages[0].language"),
    ({"languages": [{"language": "en", "level": "B1"}, {"language": "en", "level": "C1"}]}, 422, "languages"),
    ({"start_date": "2026-13-01"}, 400, "start_date"),
    ({"start_date": "2026-06-01"}, 422, "start_date"),  # before the deadline
    ({"start_date": "2030-01-01"}, 422, "start_date"),  # out of range
    ({"application_deadline": "2026-03-01T00:00:00Z"}, 422, "application_deadline"),  # in the past
    ({"application_deadline": "2026-06-30T22:00:00"}, 400, "application_deadline"),  # no time zone
    ({"monthly_grant": "-1"}, 422, "monthly_grant"),
    ({"monthly_grant": "100.123"}, 422, "monthly_grant"),
    ({"monthly_grant": "lots"}, 400, "monthly_grant"),
    ({"colour": "blue"}, 400, "colour"),
]


async def test_bad_offers_are_refused_naming_the_field_and_nothing_is_written(client, db, clock):
    w = await _world(db, clock)
    for change, status, field in BAD:
        response = await client.post("/api/offers", json=DRAFT | change, headers=w.headers["employer"])
        assert response.status_code == status, (change, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == field, (change, response.json())
    past = {"application_deadline": "2026-03-01T00:00:00Z", "start_date": "2026-01-10", "monthly_grant": "-1"}
    response = await client.post("/api/offers", json=DRAFT | past, headers=w.headers["employer"])
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["application_deadline", "start_date", "monthly_grant"]
    assert response.json()["errors"][1]["message"] == "The start date must be in the future."
    missing = {k: v for k, v in DRAFT.items() if k != "start_date"}
    response = await client.post("/api/offers", json=missing, headers=w.headers["employer"])
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "start_date"
    assert await _offers_written(db) == 0
