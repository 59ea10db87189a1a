"""Matching rounds in the platform: run, review, edit, publish (re-checking quotas), replay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.db.models import Application, ApplicationState, Notification, Role
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

DEADLINE = datetime(2026, 3, 20, 12, tzinfo=UTC)


@pytest.fixture
async def world(db, clock):
    """Azores hosts (2 offers, 3 seats, but a hosting quota of 2); four candidates from Catalonia and Corsica."""

    async def build(s):
        azores, catalonia, corsica = (
            await make_region(s, "PT20"),
            await make_region(s, "ES51"),
            await make_region(s, "FRM0"),
        )
        await make_quota(s, azores, 2026, hosting=2, sending=5)
        await make_quota(s, catalonia, 2026, hosting=5, sending=5)
        await make_quota(s, corsica, 2026, hosting=5, sending=5)
        org = await make_organisation(s, azores)
        o1 = await make_offer(s, org, seats=1, start_date=date(2026, 9, 1), title="Ocean lab")
        o2 = await make_offer(s, org, seats=2, start_date=date(2026, 9, 1), title="Whale watching")
        apps = {}
        # applicant: (home, [(offer, applicant rank, host rank)])
        plan = {
            "ana": (catalonia, [(o1, 1, 1), (o2, 2, 3)]),
            "ben": (catalonia, [(o1, 1, 2), (o2, 2, 1)]),
            "cleo": (corsica, [(o2, 1, 2)]),
            "dan": (corsica, [(o2, 1, 4), (o1, 2, 3)]),
        }
        for name, (home, choices) in plan.items():
            user = await make_user(s, Role.APPLICANT)
            await make_profile(s, user, home)
            for offer, rank, host_rank in choices:
                app = await make_application(
                    s, user, offer, home, state=ApplicationState.SHORTLISTED, applicant_rank=rank
                )
                app.host_rank = host_rank
                apps[(name, offer.title)] = app.id
        headers = {
            "coordinator": await login_token(s, await make_user(s, Role.COORDINATOR, regions=[azores]), clock()),
            "foreign": await login_token(s, await make_user(s, Role.COORDINATOR, regions=[catalonia]), clock()),
            "chair": await login_token(s, await make_user(s, Role.CHAIR), clock()),
            "applicant": await login_token(s, await make_user(s, Role.APPLICANT), clock()),
        }
        return azores, headers, apps

    return await arrange(db, build)


async def open_round(client, azores, headers, **extra):
    body = {"programme_year": 2026, "region_id": str(azores.id)} | extra
    return await client.post("/api/matching/rounds", json=body, headers=headers)


async def propose_by_hand(client, headers, application_id):
    """A proposal made outside any round (the application's own endpoint)."""
    response = await client.post(
        f"/api/applications/{application_id}/propose", json={"answer_deadline": DEADLINE.isoformat()}, headers=headers
    )
    assert response.status_code in (200, 201), response.text


async def test_a_round_runs_is_reviewed_edited_and_published(client, db, world):
    azores, headers, apps = world
    opened = await open_round(client, azores, headers["coordinator"])
    assert opened.status_code == 201, opened.text
    round_ = opened.json()
    assert round_["state"] == "draft" and len(round_["input_hash"]) == 64
    # Applicant-proposing deferred acceptance under the hosting cap of 2: ana gets the Ocean lab (her first
    # choice, where she ranks first), ben the Whale watching seat (he ranks first there); cleo and dan wait.
    chosen = {(a["application_id"]) for a in round_["assignments"]}
    assert chosen == {str(apps[("ana", "Ocean lab")]), str(apps[("ben", "Whale watching")])}
    stable = round_["diagnostics"]["stable"]
    assert stable["placed"] == 2 and stable["unplaced"] == 2
    assert {"balanced"} <= set(round_["diagnostics"])
    azores_diag = next(r for r in stable["regions"] if r["region"] == str(azores.id))
    assert azores_diag["hosting_quota_used"] == 2 and azores_diag["balance_after"] == 2

    replay = await client.get(f"/api/matching/rounds/{round_['id']}/replay", headers=headers["coordinator"])
    assert replay.json() == {
        "input_hash": round_["input_hash"],
        "hash_matches": True,
        "identical": True,
        "assignment_size": 2,
    }

    url = f"/api/matching/rounds/{round_['id']}"
    removed = await client.post(
        f"{url}/edits",
        headers=headers["coordinator"],
        json={"action": "remove", "application_id": str(apps[("ben", "Whale watching")]), "reason": "Ben found a job."},
    )
    assert removed.status_code == 201, removed.text
    added = await client.post(
        f"{url}/edits",
        headers=headers["coordinator"],
        json={"action": "add", "application_id": str(apps[("cleo", "Whale watching")]), "reason": "Next in line."},
    )
    assert added.status_code == 201
    body = added.json()
    assert [(e["action"], e["reason"]) for e in body["edits"]] == [
        ("remove", "Ben found a job."),
        ("add", "Next in line."),
    ]
    twice = await client.post(
        f"{url}/edits",
        headers=headers["coordinator"],
        json={"action": "add", "application_id": str(apps[("ana", "Whale watching")]), "reason": "Ana twice?"},
    )
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "application_id"
    # The Ocean lab's one seat is ana's: an added proposal would push hers out at publication.
    full = await client.post(
        f"{url}/edits",
        headers=headers["coordinator"],
        json={"action": "add", "application_id": str(apps[("dan", "Ocean lab")]), "reason": "Dan as well."},
    )
    assert full.status_code == 422, full.text
    assert full.json()["errors"][0]["message"].startswith("Every free seat of this offer has a proposal")
    # An answer deadline must come before the traineeships start (1 September 2026).
    late = await client.post(
        f"{url}/publish", json={"answer_deadline": "2026-09-01T08:00:00+00:00"}, headers=headers["coordinator"]
    )
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "answer_deadline"

    published = await client.post(
        f"{url}/publish", json={"answer_deadline": DEADLINE.isoformat()}, headers=headers["coordinator"]
    )
    assert published.status_code == 200, published.text
    assert published.json()["publish_report"] == {"proposed": 2, "dropped": []}
    async with db() as s:
        states = {a.id: (a.state, a.answer_deadline) for a in await s.scalars(select(Application))}
        assert states[apps[("ana", "Ocean lab")]] == (ApplicationState.PROPOSED, DEADLINE)
        assert states[apps[("cleo", "Whale watching")]][0] is ApplicationState.PROPOSED
        assert states[apps[("ben", "Whale watching")]][0] is ApplicationState.SHORTLISTED
        kinds = list(await s.scalars(select(Notification.kind).where(Notification.kind == "application.proposed")))
        assert len(kinds) == 2
    again = await client.post(
        f"{url}/publish", json={"answer_deadline": DEADLINE.isoformat()}, headers=headers["coordinator"]
    )
    assert again.status_code == 409 and again.json()["state"] == "published"


async def test_publish_drops_what_a_concurrent_decision_used_up(client, db, world):
    azores, headers, apps = world
    round_ = (await open_round(client, azores, headers["coordinator"])).json()
    # Meanwhile a coordinator proposes dan by hand: one of the two hosting units is now spoken for.
    await propose_by_hand(client, headers["coordinator"], apps[("dan", "Whale watching")])
    published = await client.post(
        f"/api/matching/rounds/{round_['id']}/publish",
        json={"answer_deadline": DEADLINE.isoformat()},
        headers=headers["coordinator"],
    )
    report = published.json()["publish_report"]
    assert report["proposed"] == 1
    assert [d["reason"] for d in report["dropped"]] == ["the host region's hosting quota is used up"]
    outcomes = sorted(a["outcome"] for a in published.json()["assignments"])
    assert outcomes == ["dropped: the host region's hosting quota is used up", "proposed"]


async def test_who_may_run_rounds_and_bad_input(client, world):
    azores, headers, _ = world
    assert (await open_round(client, azores, headers["foreign"])).status_code == 403
    assert (await open_round(client, azores, headers["applicant"])).status_code == 403
    programme = await client.post(
        "/api/matching/rounds",
        json={"programme_year": 2026, "policy": "balanced", "tolerance": 1},
        headers=headers["chair"],
    )
    assert programme.status_code == 201, programme.text
    assert programme.json()["region_id"] is None and programme.json()["policy"] == "balanced"
    coordinator_wide = await client.post(
        "/api/matching/rounds", json={"programme_year": 2026}, headers=headers["coordinator"]
    )
    assert coordinator_wide.status_code == 403
    for body, field in [
        ({"policy": "greedy"}, "policy"),
        ({"tolerance": -1}, "tolerance"),
        ({"programme_year": 1999}, "programme_year"),
    ]:
        bad = await open_round(client, azores, headers["coordinator"], **body)
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == field
    other = await client.get(f"/api/matching/rounds/{programme.json()['id']}", headers=headers["foreign"])
    assert other.status_code == 403


async def test_an_applicant_holding_a_proposal_is_not_proposed_again(client, world):
    azores, headers, apps = world
    round_ = (await open_round(client, azores, headers["coordinator"])).json()
    url = f"/api/matching/rounds/{round_['id']}"
    # By hand, dan gets ana's Ocean lab seat in the draft ...
    for action, who in (("remove", "ana"), ("add", "dan")):
        edit = await client.post(
            f"{url}/edits",
            headers=headers["coordinator"],
            json={"action": action, "application_id": str(apps[(who, "Ocean lab")]), "reason": "By hand."},
        )
        assert edit.status_code == 201, edit.text
    # ... while, outside the round, he is proposed the Whale watching seat.
    await propose_by_hand(client, headers["coordinator"], apps[("dan", "Whale watching")])
    published = await client.post(
        f"{url}/publish", json={"answer_deadline": DEADLINE.isoformat()}, headers=headers["coordinator"]
    )
    assert published.status_code == 200, published.text
    assert published.json()["publish_report"]["dropped"] == [
        {"application_id": str(apps[("dan", "Ocean lab")]), "reason": "the applicant holds another proposal or place"}
    ]
    # A new round leaves him out: his other application is not in its input.
    later = (await open_round(client, azores, headers["coordinator"])).json()
    refused = await client.post(
        f"/api/matching/rounds/{later['id']}/edits",
        headers=headers["coordinator"],
        json={"action": "add", "application_id": str(apps[("dan", "Ocean lab")]), "reason": "Dan again?"},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"].startswith("Only an application of the round's input")


async def test_proposals_for_traineeships_that_have_started_are_dropped(client, db, clock, world):
    azores, _, _ = world

    async def coordinator_login(s):
        return await login_token(s, await make_user(s, Role.COORDINATOR, regions=[azores]), clock())

    headers = await arrange(db, coordinator_login)
    round_ = (await open_round(client, azores, headers)).json()
    assert len(round_["assignments"]) == 2
    clock.advance(days=200)  # past the offers' start, 1 September 2026
    headers = await arrange(db, coordinator_login)  # the earlier session has expired by then
    deadline = (clock() + timedelta(days=7)).isoformat()  # no start left to come before: any future deadline
    published = await client.post(
        f"/api/matching/rounds/{round_['id']}/publish", json={"answer_deadline": deadline}, headers=headers
    )
    assert published.status_code == 200, published.text
    report = published.json()["publish_report"]
    assert report["proposed"] == 0
    assert {d["reason"] for d in report["dropped"]} == {"the traineeship has started"}
