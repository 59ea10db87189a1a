"""Applying (limits, duplicates, bad input), rankings, and what each later step does to the others and to
the ledger: accepting withdraws the rest, refusals and expiries give the units back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from backend.db.models import Application, ApplicationState, Notification, OfferState
from backend.domain.applications.services import expire_unanswered_proposals, expire_unconfirmed_acceptances
from backend.domain.ledger.services import audit
from tests.integration.applications.world import build_world
from tests.support.api import arrange
from tests.support.factories import make_application, make_offer, make_organisation, make_region

MOTIVATION = "I want to learn how a marine research lab works day to day."
S = ApplicationState


async def _apply(client, w, offer_id, who="applicant", **body):
    return await client.post(
        "/api/applications",
        json={"offer_id": str(offer_id), "motivation": MOTIVATION} | body,
        headers=w.headers[who],
    )


async def _count(db):
    async with db() as session:
        return await session.scalar(select(func.count()).select_from(Application))


async def test_applying_is_refused_with_reasons_and_writes_nothing(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        w.offer = await make_offer(s, w.org)
        w.draft = await make_offer(s, w.org, state=OfferState.DRAFT)
        w.home_offer = await make_offer(s, await make_organisation(s, w.home, name="Paris Lab"))
        return w

    w = await arrange(db, world)
    cases = [
        ({"motivation": "Too short."}, 400, "motivation"),
        ({"motivation": "x" * 4001}, 400, "motivation"),
        ({"offer_id": "018f0000-0000-7000-8000-000000000000"}, 422, "offer_id"),
        ({"offer_id": str(w.draft.id)}, 422, "offer_id"),
        ({"offer_id": str(w.home_offer.id)}, 422, "offer_id"),
        ({"offer_id": "not-an-id"}, 400, "offer_id"),
        ({"cv": "attached"}, 400, "cv"),
    ]
    for change, status, field in cases:
        body = {"offer_id": str(w.offer.id), "motivation": MOTIVATION} | change
        response = await client.post("/api/applications", json=body, headers=w.headers["applicant"])
        assert response.status_code == status, (change, response.text)
        assert response.json()["errors"][0]["field"] == field
    no_profile = await _apply(client, w, w.offer.id, who="other_applicant")
    assert no_profile.status_code == 409 and no_profile.json()["state"] == "no_profile"
    assert (await _apply(client, w, w.offer.id, who="employer")).status_code == 403
    assert await _count(db) == 0

    assert (await _apply(client, w, w.offer.id)).status_code == 201
    twice = await _apply(client, w, w.offer.id)
    assert twice.status_code == 409 and twice.json()["errors"][0]["field"] == "offer_id"
    assert await _count(db) == 1


async def test_at_most_n_open_applications(client, db, clock, settings):
    async def world(s):
        w = await build_world(s, clock())
        w.offers = [await make_offer(s, w.org) for _ in range(settings.max_open_applications + 1)]
        return w

    w = await arrange(db, world)
    ids = []
    for offer in w.offers[:-1]:
        response = await _apply(client, w, offer.id)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    assert [
        a["applicant_rank"] for a in (await client.get("/api/me/applications", headers=w.headers["applicant"])).json()
    ] == [1, 2, 3, 4, 5]
    over = await _apply(client, w, w.offers[-1].id)
    assert over.status_code == 409 and over.json()["state"] == "open_applications_limit"
    assert "5" in over.json()["detail"]

    withdrawn = await client.post(f"/api/applications/{ids[0]}/withdraw", headers=w.headers["applicant"])
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert (await _apply(client, w, w.offers[-1].id)).status_code == 201


async def test_the_applicant_ranks_exactly_their_open_applications(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        offers = [await make_offer(s, w.org, title=f"Offer {i}") for i in range(4)]
        w.open = [
            await make_application(s, w.applicant, o, w.home, applicant_rank=i + 1) for i, o in enumerate(offers[:3])
        ]
        w.closed = await make_application(s, w.applicant, offers[3], w.home, state=S.REJECTED)
        return w

    w = await arrange(db, world)
    a, b, c = (str(x.id) for x in w.open)
    ranked = await client.put(
        "/api/me/applications/ranking", json={"application_ids": [c, a, b]}, headers=w.headers["applicant"]
    )
    assert ranked.status_code == 200, ranked.text
    assert [x["id"] for x in ranked.json()] == [c, a, b, str(w.closed.id)]  # open ones by rank, then the others
    for ids in ([a, b], [c, a, b, str(w.closed.id)], [a, a, b, c]):
        bad = await client.put(
            "/api/me/applications/ranking", json={"application_ids": ids}, headers=w.headers["applicant"]
        )
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "application_ids"
    assert (
        await client.put("/api/me/applications/ranking", json={"application_ids": [a]}, headers=w.headers["sending"])
    ).status_code == 403


async def test_the_host_side_ranks_exactly_the_shortlist(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        w.offer = await make_offer(s, w.org, seats=2)
        w.first = await make_application(s, w.applicant, w.offer, w.home, state=S.SHORTLISTED)
        w.second = await make_application(s, w.users["other_applicant"], w.offer, w.home, state=S.SHORTLISTED)
        return w

    w = await arrange(db, world)
    url = f"/api/offers/{w.offer.id}/ranking"
    order = [str(w.second.id), str(w.first.id)]
    ranked = await client.put(url, json={"application_ids": order}, headers=w.headers["hosting"])
    assert ranked.status_code == 200, ranked.text
    assert [(c["application"]["id"], c["application"]["host_rank"]) for c in ranked.json()] == [
        (order[0], 1),
        (order[1], 2),
    ]
    assert (await client.put(url, json={"application_ids": order[:1]}, headers=w.headers["hosting"])).status_code == 422
    assert (await client.put(url, json={"application_ids": order}, headers=w.headers["foreign"])).status_code == 403
    assert (await client.put(url, json={"application_ids": order}, headers=w.headers["employer"])).status_code == 403


async def test_accepting_withdraws_the_other_open_applications(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        w.chosen = await make_application(s, w.applicant, await make_offer(s, w.org), w.home, state=S.PROPOSED)
        w.others = [
            await make_application(s, w.applicant, await make_offer(s, w.org), w.home, state=state)
            for state in (S.SUBMITTED, S.SHORTLISTED, S.PROPOSED)
        ]
        w.done = await make_application(s, w.applicant, await make_offer(s, w.org), w.home, state=S.REJECTED)
        return w

    w = await arrange(db, world)
    accepted = await client.post(f"/api/applications/{w.chosen.id}/accept", headers=w.headers["applicant"])
    assert accepted.status_code == 200, accepted.text
    mine = {a["id"]: a for a in (await client.get("/api/me/applications", headers=w.headers["applicant"])).json()}
    assert mine[str(w.chosen.id)]["state"] == "accepted"
    assert mine[str(w.done.id)]["state"] == "rejected"
    for other in w.others:
        assert mine[str(other.id)]["state"] == "withdrawn"
        trail = (await client.get(f"/api/applications/{other.id}/events", headers=w.headers["applicant"])).json()
        assert trail[-1]["action"] == "withdraw" and "accepted another proposal" in trail[-1]["reason"]
    async with db() as session:
        employer_told = await session.scalar(
            select(func.count()).where(
                Notification.user_id == w.users["employer"].id, Notification.kind == "application.accepted"
            )
        )
        assert employer_told == 1
        assert await audit(session) == []


async def test_a_declined_proposal_is_told_to_the_host_coordinators(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        w.offer = await make_offer(s, w.org)
        w.proposed = await make_application(s, w.applicant, w.offer, w.home, state=S.PROPOSED)
        return w

    w = await arrange(db, world)
    declined = await client.post(f"/api/applications/{w.proposed.id}/decline", json={}, headers=w.headers["applicant"])
    assert declined.status_code == 200 and declined.json()["state"] == "declined", declined.text
    async with db() as session:
        told = await session.execute(
            select(Notification.user_id, Notification.params).where(Notification.kind == "application.declined")
        )
        assert [(user_id, params["offer_title"]) for user_id, params in told] == [
            (w.users["hosting"].id, w.offer.title)
        ]


async def test_refusal_and_withdrawal_after_acceptance_give_the_units_back(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        w.offer = offer = await make_offer(s, w.org, seats=2)
        w.refused = await make_application(s, w.applicant, offer, w.home, state=S.ACCEPTED)
        w.withdrawn = await make_application(s, w.users["other_applicant"], offer, w.home, state=S.ACCEPTED)
        return w

    w = await arrange(db, world)
    balance_url = f"/api/regions/{w.host.id}/balance?year=2026"
    assert (await client.get(balance_url, headers=w.headers["hosting"])).json()["hosted"] == 2
    refused = await client.post(
        f"/api/applications/{w.refused.id}/refuse",
        json={"reason": "The lab closes for renovation."},
        headers=w.headers["employer"],
    )
    assert refused.status_code == 200 and refused.json()["state"] == "rejected"
    seen = (await client.get(f"/api/applications/{w.refused.id}", headers=w.headers["applicant"])).json()
    assert seen["reason"] == "The lab closes for renovation."
    assert (await client.get(balance_url, headers=w.headers["hosting"])).json()["hosted"] == 1
    # The second applicant has no profile row in this world: withdrawing still works for its owner.
    headers = w.headers["other_applicant"]
    withdrawn = await client.post(f"/api/applications/{w.withdrawn.id}/withdraw", json={}, headers=headers)
    assert withdrawn.status_code == 200, withdrawn.text
    balance = (await client.get(balance_url, headers=w.headers["hosting"])).json()
    assert (balance["hosted"], balance["hosting_remaining"]) == (0, 5)
    async with db() as session:
        assert await audit(session) == []
        # The employer, who was to confirm the withdrawn trainee, is told; its own refusal tells it nothing.
        told = await session.execute(
            select(Notification.kind, Notification.params).where(Notification.user_id == w.users["employer"].id)
        )
        assert [(kind, params["offer_title"]) for kind, params in told] == [("application.withdrawn", w.offer.title)]


async def test_deadlines_expire_proposals_and_unconfirmed_acceptances(client, db, clock, settings):
    async def world(s):
        w = await build_world(s, clock())
        offer = await make_offer(s, w.org, seats=2)
        soon = clock() + timedelta(minutes=5)
        w.proposed = await make_application(s, w.applicant, offer, w.home, state=S.PROPOSED, answer_deadline=soon)
        w.accepted = await make_application(
            s, w.users["other_applicant"], offer, w.home, state=S.ACCEPTED, confirm_deadline=soon
        )
        return w

    w = await arrange(db, world)
    clock.advance(minutes=10)
    late = await client.post(f"/api/applications/{w.proposed.id}/accept", headers=w.headers["applicant"])
    assert late.status_code == 409 and late.json()["state"] == "proposed"
    late_confirm = await client.post(f"/api/applications/{w.accepted.id}/confirm", headers=w.headers["employer"])
    assert late_confirm.status_code == 409 and late_confirm.json()["state"] == "accepted"
    async with db() as session:
        assert await expire_unanswered_proposals(session, clock(), settings) == 1
        assert await expire_unconfirmed_acceptances(session, clock(), settings) == 1
        assert await expire_unanswered_proposals(session, clock(), settings) == 0
        await session.commit()
    for application, who in ((w.proposed, "applicant"), (w.accepted, "other_applicant")):
        shown = (await client.get(f"/api/applications/{application.id}", headers=w.headers[who])).json()
        assert shown["state"] == "expired" and shown["reason"]
    balance = (await client.get(f"/api/regions/{w.host.id}/balance?year=2026", headers=w.headers["hosting"])).json()
    assert balance["hosted"] == 0 and balance["pending"] == 0
    async with db() as session:
        assert await audit(session) == []
        kinds = set(await session.scalars(select(Notification.kind).where(Notification.user_id == w.applicant.id)))
        assert kinds == {"application.expired"}


async def test_quota_and_seat_limits_are_409s_that_name_what_ran_out(client, db, clock):
    async def world(s):
        w = await build_world(s, clock(), hosting=1)
        nowhere = await make_region(s, "IT45", country="IT")  # no quota row for 2026
        w.full = await make_offer(s, w.org, seats=3)
        await make_application(s, w.users["other_applicant"], w.full, w.home, state=S.CONFIRMED)  # host quota used up
        w.proposal = await make_application(s, w.applicant, await make_offer(s, w.org), w.home, state=S.PROPOSED)
        far = await make_offer(s, await make_organisation(s, nowhere, name="Milano Works"))
        w.no_quota = await make_application(s, w.applicant, far, w.home, state=S.PROPOSED)
        w.shortlisted = await make_application(s, w.applicant, await make_offer(s, w.org), w.home, state=S.SHORTLISTED)
        return w

    w = await arrange(db, world)
    used_up = await client.post(f"/api/applications/{w.proposal.id}/accept", headers=w.headers["applicant"])
    assert used_up.status_code == 409, used_up.text
    assert used_up.json()["type"].endswith("quota-exceeded")
    assert used_up.json()["detail"] == "The hosting quota of region PT20 for 2026 is used up."
    missing = await client.post(f"/api/applications/{w.no_quota.id}/accept", headers=w.headers["applicant"])
    assert missing.status_code == 409 and missing.json()["detail"] == "Region IT45 has no hosting quota for 2026."
    warned = await client.post(
        f"/api/applications/{w.shortlisted.id}/propose",
        json={"answer_deadline": "2026-03-20T12:00:00Z"},
        headers=w.headers["hosting"],
    )
    assert warned.status_code == 409 and warned.json()["state"] == "hosting_quota_used_up"
    for application in (w.proposal, w.no_quota, w.shortlisted):  # nothing moved
        shown = (await client.get(f"/api/applications/{application.id}", headers=w.headers["applicant"])).json()
        assert shown["state"] in ("proposed", "shortlisted")
    bad_deadline = await client.post(
        f"/api/applications/{w.shortlisted.id}/propose",
        json={"answer_deadline": "2026-03-01T00:00:00Z"},
        headers=w.headers["hosting"],
    )
    assert bad_deadline.status_code == 422 and bad_deadline.json()["errors"][0]["field"] == "answer_deadline"


async def test_who_sees_an_application(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        offer = await make_offer(s, w.org, seats=2)
        w.submitted = await make_application(s, w.applicant, offer, w.home)
        w.shortlisted = await make_application(s, w.users["other_applicant"], offer, w.home, state=S.SHORTLISTED)
        w.offer = offer
        return w

    w = await arrange(db, world)
    for role, submitted, shortlisted in [
        ("applicant", 200, 403),
        ("employer", 403, 200),
        ("other_employer", 403, 403),
        ("sending", 200, 200),
        ("hosting", 200, 200),
        ("foreign", 403, 403),
        ("chair", 200, 200),
        ("admin", 200, 200),
    ]:
        for application, status in ((w.submitted, submitted), (w.shortlisted, shortlisted)):
            response = await client.get(f"/api/applications/{application.id}", headers=w.headers[role])
            assert response.status_code == status, (role, application.state, response.text)
    listed = await client.get(f"/api/offers/{w.offer.id}/applications", headers=w.headers["employer"])
    assert [c["application"]["id"] for c in listed.json()] == [str(w.shortlisted.id)]
    everyone = await client.get(f"/api/offers/{w.offer.id}/applications", headers=w.headers["hosting"])
    assert len(everyone.json()) == 2
    assert (await client.get(f"/api/offers/{w.offer.id}/applications", headers=w.headers["foreign"])).status_code == 403
    hosting = await client.get(
        f"/api/regions/{w.host.id}/applications", params={"side": "hosting"}, headers=w.headers["hosting"]
    )
    assert len(hosting.json()) == 2
    assert (await client.get(f"/api/regions/{w.host.id}/applications", headers=w.headers["sending"])).status_code == 403


async def test_placement_lifecycle_and_interruption_before_start(client, db, clock):
    async def world(s):
        w = await build_world(s, clock())
        w.offer = await make_offer(s, w.org, seats=2)
        w.accepted = await make_application(s, w.applicant, w.offer, w.home, state=S.ACCEPTED)
        return w

    w = await arrange(db, world)
    confirmed = await client.post(f"/api/applications/{w.accepted.id}/confirm", headers=w.headers["employer"])
    placement_id = confirmed.json()["placement_id"]
    url = f"/api/placements/{placement_id}/transitions"
    signed = await client.post(url, json={"action": "sign_agreement"}, headers=w.headers["employer"])
    assert signed.status_code == 200 and signed.json()["state"] == "agreement_signed"
    too_soon = await client.post(url, json={"action": "complete"}, headers=w.headers["hosting"])
    assert too_soon.status_code == 409 and too_soon.json()["state"] == "agreement_signed"
    assert (await client.post(url, json={"action": "interrupt"}, headers=w.headers["hosting"])).status_code == 422
    assert (
        await client.post(url, json={"action": "interrupt", "reason": "Left."}, headers=w.headers["employer"])
    ).status_code == 403
    interrupted = await client.post(
        url, json={"action": "interrupt", "reason": "Family reasons."}, headers=w.headers["hosting"]
    )
    assert interrupted.status_code == 200
    assert interrupted.json()["state"] == "interrupted" and interrupted.json()["counts_in_quota"] is False
    balance = (await client.get(f"/api/regions/{w.host.id}/balance?year=2026", headers=w.headers["hosting"])).json()
    assert balance["hosted"] == 0
    assert (await client.get(f"/api/placements/{placement_id}", headers=w.headers["foreign"])).status_code == 403
    async with db() as session:
        assert await audit(session) == []

    # The audit trail: each step with who and why; the refused attempts (409, 422, 403) left no trace.
    events = await client.get(f"/api/placements/{placement_id}/events", headers=w.headers["hosting"])
    assert events.status_code == 200
    assert [(e["action"], e["from_state"], e["to_state"], e["actor_role"], e["reason"]) for e in events.json()] == [
        ("confirm", None, "confirmed", "employer", None),
        ("sign_agreement", "confirmed", "agreement_signed", "employer", None),
        ("interrupt", "agreement_signed", "interrupted", "coordinator", "Family reasons."),
    ]
    for role, status in (("employer", 200), ("applicant", 200), ("sending", 200), ("foreign", 403)):
        seen = await client.get(f"/api/placements/{placement_id}/events", headers=w.headers[role])
        assert seen.status_code == status, role
    connection = db.kw["bind"]
    for statement in ("UPDATE placement_events SET reason = 'changed'", "DELETE FROM placement_events"):
        savepoint = await connection.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(text(statement))
        await savepoint.rollback()
