"""The in-app side of notifications over HTTP: a person's list (newest first, paged, localized), the unread
count, marking read; never another person's, never the e-mail-only kinds that carry secrets."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from backend.db.models import Locale, Role
from backend.domain.notifications.services import notify
from tests.support.api import arrange
from tests.support.factories import login_token, make_user

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def inbox(db, clock):
    """A French applicant with five notifications (one a password reset), and a neighbour with one."""

    async def build(s):
        ana = await make_user(s, Role.APPLICANT, locale=Locale.FR)
        bo = await make_user(s, Role.APPLICANT)
        kinds = [
            ("application.validated", {"offer_title": "Guide"}),
            ("application.rejected", {"offer_title": "Chef", "reason": "Places pourvues."}),
            ("account.reset_password", {"name": "Ana", "hours": 1}),
            ("application.proposed", {"offer_title": "Guide", "answer_deadline": datetime(2026, 3, 9, 17, tzinfo=UTC)}),
            ("offer.publish", {"title": "Guide"}),  # the offers domain's action name renders as offer.published
        ]
        for n, (kind, params) in enumerate(kinds):
            await notify(
                s,
                user_id=ana.id,
                kind=kind,
                dedup_key=f"{kind}:{ana.id}:{n}",
                params=params,
                link=f"http://testserver.local/applications/{n}",
                now=T0 + timedelta(minutes=n),
            )
        await notify(s, user_id=bo.id, kind="application.shortlisted", dedup_key=f"bo:{bo.id}", now=T0)
        return {"ana": await login_token(s, ana, clock()), "bo": await login_token(s, bo, clock())}

    return await arrange(db, build)


async def test_list_is_mine_newest_first_localized_and_paged(client, db, clock):
    h = await inbox(db, clock)
    first = await client.get("/api/me/notifications", params={"limit": 2}, headers=h["ana"])
    assert first.status_code == 200, first.text
    page = first.json()
    assert page["unread_count"] == 4  # the password reset is e-mail only
    assert [n["kind"] for n in page["items"]] == ["offer.published", "application.proposed"]
    proposed = page["items"][1]
    assert proposed["title"] == "Un stage vous est proposé"
    assert proposed["summary"] == (
        "Le stage « Guide » vous est proposé. Merci de l'accepter ou de le refuser avant le 9 mars 2026 à 17:00 UTC."
    )
    assert proposed["params"] == {"offer_title": "Guide", "answer_deadline": "2026-03-09T17:00:00+00:00"}
    assert proposed["link"] == "http://testserver.local/applications/3" and proposed["read_at"] is None

    second = await client.get(
        "/api/me/notifications", params={"limit": 2, "cursor": page["next_cursor"]}, headers=h["ana"]
    )
    rest = second.json()
    assert [n["kind"] for n in rest["items"]] == ["application.rejected", "application.validated"]
    assert rest["items"][0]["summary"].endswith("Motif : Places pourvues.")
    assert rest["next_cursor"] is None

    theirs = await client.get("/api/me/notifications", headers=h["bo"])
    assert [n["kind"] for n in theirs.json()["items"]] == ["application.shortlisted"]
    assert theirs.json()["items"][0]["title"] == "Your application is shortlisted"  # the reader's language

    bad = await client.get("/api/me/notifications", params={"cursor": "not-a-cursor"}, headers=h["ana"])
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"
    too_many = await client.get("/api/me/notifications", params={"limit": 500}, headers=h["ana"])
    assert too_many.status_code == 400
    assert (await client.get("/api/me/notifications")).status_code == 401


async def test_mark_read_one_and_all_only_for_the_owner(client, db, clock):
    h = await inbox(db, clock)
    items = (await client.get("/api/me/notifications", headers=h["ana"])).json()["items"]
    target = items[0]["id"]

    read = await client.post(f"/api/me/notifications/{target}/read", headers=h["ana"])
    assert read.status_code == 200, read.text
    assert read.json()["read_at"] == clock().isoformat().replace("+00:00", "Z")
    clock.advance(minutes=5)
    again = await client.post(f"/api/me/notifications/{target}/read", headers=h["ana"])
    assert again.json()["read_at"] == read.json()["read_at"]  # idempotent: the first reading time stays
    count = await client.get("/api/me/notifications/unread-count", headers=h["ana"])
    assert count.json() == {"unread_count": 3}

    unread = await client.get("/api/me/notifications", params={"unread_only": "true"}, headers=h["ana"])
    assert target not in [n["id"] for n in unread.json()["items"]] and len(unread.json()["items"]) == 3

    # Someone else's notification, an unknown id: the same 404 (no hint that the id exists).
    other = await client.post(f"/api/me/notifications/{target}/read", headers=h["bo"])
    unknown = await client.post(f"/api/me/notifications/{uuid.uuid4()}/read", headers=h["bo"])
    assert other.status_code == unknown.status_code == 404
    assert other.json()["detail"] == unknown.json()["detail"]
    assert other.headers["content-type"].startswith("application/problem+json")

    everything = await client.post("/api/me/notifications/read-all", headers=h["ana"])
    assert everything.status_code == 200 and everything.json() == {"marked": 3, "unread_count": 0}
    assert (await client.get("/api/me/notifications/unread-count", headers=h["bo"])).json() == {"unread_count": 1}


async def test_the_routes_are_documented_with_stable_operation_ids(client):
    schema = (await client.get("/schema/openapi.json")).json()
    operations = {
        op["operationId"]
        for path, item in schema["paths"].items()
        if path.startswith("/api/me/notifications")
        for op in item.values()
    }
    assert operations == {
        "listMyNotifications",
        "countMyUnreadNotifications",
        "markNotificationRead",
        "markAllNotificationsRead",
    }
