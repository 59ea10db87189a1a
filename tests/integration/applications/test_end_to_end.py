"""The whole path through the HTTP API, one actor per role: employer drafts -> coordinator publishes ->
applicant applies -> sending coordinator validates -> host coordinator shortlists -> proposal -> applicant
accepts -> employer confirms -> placement; the balances of both regions move."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.models import Notification
from backend.domain.ledger.services import audit
from tests.integration.applications.world import build_world
from tests.support.api import arrange
from tests.support.pdf import make_pdf

OFFER = {
    "title": "Marine biology assistant",
    "description": "Help our marine biologists survey the coast of São Miguel and analyse samples.",
    "tasks": "Field surveys, sample analysis, data entry.",
    "sector": "M",
    "duration_months": 6,
    "start_date": "2026-09-01",
    "seats": 1,
    "monthly_grant": "950.00",
    "application_deadline": "2026-05-01T23:59:00+01:00",
    "languages": [{"language": "en", "level": "B2"}, {"language": "pt", "level": "A2"}],
    "language_course": True,
    "housing_help": True,
}


async def balance(client, region_id, headers):
    response = await client.get(f"/api/regions/{region_id}/balance", params={"year": 2026}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_from_draft_to_placement(client, db, clock):
    w = await arrange(db, lambda s: build_world(s, clock()))
    h = w.headers

    # The employer drafts and submits; the host coordinator publishes.
    draft = await client.post("/api/offers", json=OFFER, headers=h["employer"])
    assert draft.status_code == 201, draft.text
    offer = draft.json()
    assert offer["state"] == "draft" and offer["region_code"] == "PT20" and offer["seats_available"] == 1
    assert offer["monthly_grant"] == "950.00" and offer["application_deadline"].startswith("2026-05-01T22:59")
    assert (await client.get(f"/api/offers/{offer['id']}")).status_code == 404  # drafts are private
    submitted = await client.post(f"/api/offers/{offer['id']}/submit", headers=h["employer"])
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    published = await client.post(f"/api/offers/{offer['id']}/publish", headers=h["hosting"])
    assert published.status_code == 200 and published.json()["state"] == "published"

    found = await client.get("/api/offers", params={"q": "marine", "country": "PT", "language": "pt", "level": "B1"})
    assert [o["id"] for o in found.json()["items"]] == [offer["id"]] and found.json()["total"] == 1

    # The applicant applies (the profile comes from the factory: French, living in FR10).
    applied = await client.post(
        "/api/applications",
        json={"offer_id": offer["id"], "motivation": "I studied marine biology and speak Portuguese."},
        headers=h["applicant"],
    )
    assert applied.status_code == 201, applied.text
    application = applied.json()
    assert application["state"] == "submitted" and application["home_region_id"] == str(w.home.id)
    assert {r["rule"]: r["ok"] for r in application["eligibility"]} == {
        "home_region": True,
        "age": True,
        "residence": True,
        "education": True,
        "status": True,
        "foreign_language": True,
        "abroad": True,
        "offer_language:en": True,
        "offer_language:pt": True,
    }
    url = f"/api/applications/{application['id']}"

    queue = await client.get(
        f"/api/regions/{w.home.id}/applications", params={"side": "sending", "state": "submitted"}, headers=h["sending"]
    )
    assert [c["application"]["id"] for c in queue.json()] == [application["id"]]
    assert queue.json()[0]["applicant"]["age"] == 24

    steps = [
        ("validate", "sending", None, "eligible"),
        ("shortlist", "hosting", None, "shortlisted"),
    ]
    for action, actor, body, state in steps:
        response = await client.post(f"{url}/{action}", json=body, headers=h[actor])
        assert response.status_code == 200, (action, response.text)
        assert response.json()["state"] == state

    ranked = await client.put(
        f"/api/offers/{offer['id']}/ranking", json={"application_ids": [application["id"]]}, headers=h["hosting"]
    )
    assert ranked.status_code == 200 and ranked.json()[0]["application"]["host_rank"] == 1
    candidates = await client.get(f"/api/offers/{offer['id']}/applications", headers=h["employer"])
    assert [c["application"]["id"] for c in candidates.json()] == [application["id"]]
    assert candidates.json()[0]["applicant"]["has_cv"] is False  # the card then offers no CV to open
    uploaded = await client.put(
        "/api/me/cv", content=make_pdf(), headers=h["applicant"] | {"Content-Type": "application/pdf"}
    )
    assert uploaded.status_code == 201, uploaded.text
    candidates = await client.get(f"/api/offers/{offer['id']}/applications", headers=h["employer"])
    assert candidates.json()[0]["applicant"]["has_cv"] is True
    reviewed = await client.put(
        f"{url}/employer-review",
        json={"interview_outcome": "passed", "employer_preference": 1, "note": "Excellent interview."},
        headers=h["employer"],
    )
    assert reviewed.status_code == 200 and reviewed.json()["interview_outcome"] == "passed"

    proposed = await client.post(
        f"{url}/propose", json={"answer_deadline": "2026-03-16T12:00:00Z"}, headers=h["hosting"]
    )
    assert proposed.status_code == 200 and proposed.json()["state"] == "proposed", proposed.text
    assert (await balance(client, w.host.id, h["hosting"]))["hosting"]["proposed"] == 1

    accepted = await client.post(f"{url}/accept", headers=h["applicant"])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted" and accepted.json()["confirm_deadline"] is not None
    mine = accepted.json()
    assert mine["host_rank"] is None and mine["employer_preference"] is None  # private to the selection sides
    host = await balance(client, w.host.id, h["hosting"])
    assert (host["hosted"], host["hosting_remaining"], host["pending"]) == (1, 4, 1)

    confirmed = await client.post(f"{url}/confirm", headers=h["employer"])
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "confirmed" and confirmed.json()["placement_id"]
    placement = await client.get(f"/api/placements/{confirmed.json()['placement_id']}", headers=h["applicant"])
    assert placement.status_code == 200
    assert (
        placement.json().items()
        >= {
            "state": "confirmed",
            "start_date": "2026-09-01",
            "end_date": "2027-02-28",
            "programme_year": 2026,
            "counts_in_quota": True,
        }.items()
    )

    # The only seat is filled: the offer closed and left the public search.
    closed = (await client.get(f"/api/offers/{offer['id']}")).json()
    assert closed["state"] == "closed" and closed["seats_available"] == 0
    assert (await client.get("/api/offers", params={"q": "marine"})).json()["total"] == 0

    host = await balance(client, w.host.id, h["hosting"])
    home = await balance(client, w.home.id, h["sending"])
    assert (host["hosted"], host["sent"], host["balance"], host["pending"]) == (1, 0, 1, 0)
    assert (home["hosted"], home["sent"], home["balance"], home["pending"]) == (0, 1, -1, 0)
    assert (home["sending_quota"], home["sending_used"], home["sending_remaining"]) == (5, 1, 4)
    assert host["hosting"]["confirmed"] == 1

    trail = (await client.get(f"{url}/events", headers=h["applicant"])).json()
    assert [(e["action"], e["from_state"], e["to_state"], e["actor_role"]) for e in trail] == [
        ("apply", None, "submitted", "applicant"),
        ("validate", "submitted", "eligible", "coordinator"),
        ("shortlist", "eligible", "shortlisted", "coordinator"),
        ("employer_review", "shortlisted", "shortlisted", "employer"),
        ("propose", "shortlisted", "proposed", "coordinator"),
        ("accept", "proposed", "accepted", "applicant"),
        ("confirm", "accepted", "confirmed", "employer"),
    ]
    offer_trail = (await client.get(f"/api/offers/{offer['id']}/events", headers=h["employer"])).json()
    assert [e["action"] for e in offer_trail] == ["create", "submit", "publish", "close"]
    placement_url = f"/api/placements/{confirmed.json()['placement_id']}/events"
    placement_trail = (await client.get(placement_url, headers=h["applicant"])).json()
    assert [(e["action"], e["to_state"], e["actor_role"]) for e in placement_trail] == [
        ("confirm", "confirmed", "employer")
    ]
    # The applicant's export holds the same trail.
    export = (await client.get("/api/me/export", headers=h["applicant"])).json()
    assert [e["action"] for e in export["placement_events"]] == ["confirm"]

    async with db() as session:
        assert await audit(session) == []
        kinds = sorted(
            (await session.scalars(select(Notification.kind).where(Notification.user_id == w.applicant.id))).all()
        )
    assert kinds == [
        "application.proposed",
        "application.shortlisted",
        "application.validated",
        "placement.confirmed",
    ]
