"""Every application transition against every role, foreign scope and wrong state (table-driven).

Each call runs inside a savepoint rolled back afterwards, so one role's success does not change the next
role's answer.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.db.models import ApplicationEvent, ApplicationState
from tests.integration.applications.world import build_world
from tests.support.api import arrange
from tests.support.factories import make_application, make_offer

ANON = "anonymous"
ROLES = [
    ANON,
    "applicant",  # the owner
    "other_applicant",
    "employer",  # of the offer's organisation
    "other_employer",
    "sending",  # coordinator of the applicant's home region
    "hosting",  # coordinator of the offer's region
    "foreign",  # coordinator of a third region
    "chair",
    "admin",
]
S = ApplicationState
OPEN = {S.SUBMITTED, S.ELIGIBLE, S.SHORTLISTED, S.PROPOSED, S.ACCEPTED}
REASON = {"reason": "Recorded for the applicant to read."}

# action -> (method, body, the states it starts from, who may take it, the state it leads to)
ACTIONS = {
    "validate": ("POST", None, {S.SUBMITTED}, {"sending", "admin"}, "eligible"),
    "mark-ineligible": ("POST", REASON, {S.SUBMITTED}, {"sending", "admin"}, "ineligible"),
    "shortlist": ("POST", None, {S.ELIGIBLE}, {"hosting", "admin"}, "shortlisted"),
    "reject": ("POST", REASON, {S.ELIGIBLE, S.SHORTLISTED}, {"hosting", "admin"}, "rejected"),
    "propose": ("POST", {"answer_deadline": "2026-03-20T12:00:00Z"}, {S.SHORTLISTED}, {"hosting", "admin"}, "proposed"),
    "accept": ("POST", None, {S.PROPOSED}, {"applicant"}, "accepted"),
    "decline": ("POST", {}, {S.PROPOSED}, {"applicant"}, "declined"),
    "withdraw": ("POST", {}, OPEN, {"applicant"}, "withdrawn"),
    "confirm": ("POST", None, {S.ACCEPTED}, {"employer"}, "confirmed"),
    "refuse": ("POST", REASON, {S.ACCEPTED}, {"employer"}, "rejected"),
    "employer-review": ("PUT", {"interview_outcome": "passed"}, {S.SHORTLISTED, S.PROPOSED}, {"employer"}, None),
}


async def _world(db, clock):
    async def build(s):
        w = await build_world(s, clock())
        w.offer = await make_offer(s, w.org, seats=2)
        return w

    return await arrange(db, build)


async def _events(db, application_id):
    async with db() as session:
        return await session.scalar(
            select(func.count()).select_from(ApplicationEvent).where(ApplicationEvent.application_id == application_id)
        )


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_who_may_take_each_transition(client, db, clock, action):
    method, body, sources, allowed, target = ACTIONS[action]
    w = await _world(db, clock)
    source = sorted(sources)[0]
    connection = db.kw["bind"]
    for role in ROLES:
        savepoint = await connection.begin_nested()
        application = await arrange(db, lambda s: make_application(s, w.applicant, w.offer, w.home, state=source))
        response = await client.request(
            method, f"/api/applications/{application.id}/{action}", json=body, headers=w.headers.get(role, {})
        )
        written = await _events(db, application.id)
        await savepoint.rollback()
        if role in allowed:
            assert response.status_code == 200, (role, response.text)
            assert target is None or response.json()["state"] == target
            assert written == 1
        else:
            assert response.status_code == (401 if role == ANON else 403), (role, response.status_code, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert written == 0, role


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_each_transition_from_a_wrong_state_is_a_409_naming_it(client, db, clock, action):
    method, body, sources, allowed, _ = ACTIONS[action]
    w = await _world(db, clock)
    actor = sorted(allowed)[0]
    connection = db.kw["bind"]
    wrong = [state for state in ApplicationState if state not in sources]
    assert wrong
    for state in wrong:
        savepoint = await connection.begin_nested()
        application = await arrange(
            db, lambda s, state=state: make_application(s, w.applicant, w.offer, w.home, state=state)
        )
        response = await client.request(
            method, f"/api/applications/{application.id}/{action}", json=body, headers=w.headers[actor]
        )
        written = await _events(db, application.id)
        await savepoint.rollback()
        assert response.status_code == 409, (state, response.text)
        problem = response.json()
        assert problem["state"] == state.value and state.value in problem["detail"]
        assert problem["type"].endswith("invalid-transition")
        assert written == 0


async def test_reasons_are_required_for_refusals(client, db, clock):
    w = await _world(db, clock)
    for action, source, actor in [
        ("mark-ineligible", S.SUBMITTED, "sending"),
        ("reject", S.ELIGIBLE, "hosting"),
        ("refuse", S.ACCEPTED, "employer"),
    ]:

        async def build(s, source=source):
            offer = await make_offer(s, w.org)
            return await make_application(s, w.applicant, offer, w.home, state=source)

        application = await arrange(db, build)
        for body in [{}, {"reason": ""}, {"reason": "x" * 2001}]:
            response = await client.post(
                f"/api/applications/{application.id}/{action}", json=body, headers=w.headers[actor]
            )
            assert response.status_code == 400, (action, body, response.text)
            assert response.json()["errors"][0]["field"] == "reason"
        assert await _events(db, application.id) == 0
