"""Applicants export their data and erase their account: the bucket keeps nothing of them afterwards."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.db.models import (
    ApplicantProfile,
    Application,
    ApplicationEvent,
    ApplicationState,
    Document,
    ObjectDeletion,
    Role,
    User,
)
from backend.lib.security import hash_password
from tests.support.api import arrange
from tests.support.factories import (
    login_token,
    make_application,
    make_offer,
    make_organisation,
    make_profile,
    make_region,
    make_user,
)
from tests.support.pdf import make_pdf
from tests.support.storage import object_keys

PASSWORD = "my erasure password"


async def build(s, clock, state=ApplicationState.SHORTLISTED):
    home, host = await make_region(s, "PT20"), await make_region(s, "ES51")
    offer = await make_offer(s, await make_organisation(s, host))
    user = await make_user(s, Role.APPLICANT)
    user.password_hash = await hash_password(PASSWORD)
    await make_profile(s, user, home)
    application = await make_application(s, user, offer, home, state=state)
    return user, application, await login_token(s, user, clock())


async def upload_two_versions(client, headers):
    for text in ("first", "second"):
        response = await client.put(
            "/api/me/cv", content=make_pdf(text), headers=headers | {"Content-Type": "application/pdf"}
        )
        assert response.status_code == 201


async def test_export_holds_what_is_kept(client, db, clock):
    user, application, headers = await arrange(db, lambda s: build(s, clock))
    await upload_two_versions(client, headers)
    export = await client.get("/api/me/export", headers=headers)
    assert export.status_code == 200, export.text
    body = export.json()
    assert body["account"]["email"] == user.email and "password_hash" not in body["account"]
    assert body["profile"]["home_region_id"]
    assert [a["id"] for a in body["applications"]] == [str(application.id)]
    assert len(body["documents"]) == 2 and all("object_key" not in d for d in body["documents"])


async def test_erasure_removes_the_person_and_their_objects(client, db, clock, settings):
    user, application, headers = await arrange(db, lambda s: build(s, clock))
    await upload_two_versions(client, headers)
    async with db() as s:
        keys = set(await s.scalars(select(Document.object_key).where(Document.owner_id == user.id)))
    assert len(keys) == 2 and keys <= object_keys(settings, "cv/")

    wrong = await client.request("DELETE", "/api/me", json={"password": "not it"}, headers=headers)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "password"
    erased = await client.request("DELETE", "/api/me", json={"password": PASSWORD}, headers=headers)
    assert erased.status_code == 204, erased.text

    assert not keys & object_keys(settings, "cv/")  # the bucket holds none of the person's objects
    async with db() as s:
        account = await s.get_one(User, user.id)
        assert account.email.endswith("@erased.invalid") and account.full_name == "Erased account"
        assert not account.is_active and account.password_hash is None
        assert await s.get(ApplicantProfile, user.id) is None
        assert await s.scalar(select(func.count()).select_from(Document).where(Document.owner_id == user.id)) == 0
        assert await s.scalar(select(func.count()).select_from(ObjectDeletion)) == 0
        kept = await s.get_one(Application, application.id)
        assert kept.state is ApplicationState.WITHDRAWN and kept.motivation == ""
        event = await s.scalar(
            select(ApplicationEvent).where(
                ApplicationEvent.application_id == application.id, ApplicationEvent.to_state == "withdrawn"
            )
        )
        assert event is not None and "erased" in (event.reason or "")
    assert (await client.get("/api/me", headers=headers)).status_code == 401


async def test_erasure_waits_while_a_placement_is_agreed(client, db, clock):
    user, application, headers = await arrange(db, lambda s: build(s, clock))
    async with db() as s:
        row = await s.get_one(Application, application.id)
        row.state, row.reserved = ApplicationState.CONFIRMED, True
        await s.commit()
    refused = await client.request("DELETE", "/api/me", json={"password": PASSWORD}, headers=headers)
    assert refused.status_code == 409, refused.text
    assert "coordinator" in refused.json()["detail"]
    async with db() as s:
        assert (await s.get_one(User, user.id)).is_active
