from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from backend.db.models import ApplicantProfile, Application, ApplicationState, Document, Role
from backend.domain.documents.services import delete_queued_objects
from backend.domain.privacy.retention import months_before, purge_batch
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

NOW = datetime(2027, 6, 15, 12, tzinfo=UTC)


def test_months_before_clamps_to_the_month_end():
    assert months_before(datetime(2027, 3, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)
    assert months_before(NOW, 12) == datetime(2026, 6, 15, 12, tzinfo=UTC)


async def test_only_unsuccessful_applicants_past_retention_are_purged(client, db, clock, app, settings):
    async def world(s):
        home, host = await make_region(s, "PT20"), await make_region(s, "ES51")
        offer = await make_offer(s, await make_organisation(s, host))
        people = {}
        # name: (state of their application, when it last changed)
        plan = {
            "old_rejected": (ApplicationState.REJECTED, datetime(2026, 5, 1, tzinfo=UTC)),
            "recent_rejected": (ApplicationState.REJECTED, datetime(2026, 8, 1, tzinfo=UTC)),
            "old_but_open": (ApplicationState.SHORTLISTED, datetime(2026, 5, 1, tzinfo=UTC)),
            "old_placed": (ApplicationState.CONFIRMED, datetime(2026, 5, 1, tzinfo=UTC)),
        }
        for name, (state, changed) in plan.items():
            user = await make_user(s, Role.APPLICANT)
            await make_profile(s, user, home)
            application = await make_application(s, user, offer, home, state=state)
            await s.execute(update(Application).where(Application.id == application.id).values(updated_at=changed))
            people[name] = (user.id, await login_token(s, user, clock()))
        return people

    people = await arrange(db, world)
    for _, headers in people.values():
        uploaded = await client.put(
            "/api/me/cv", content=make_pdf(), headers=headers | {"Content-Type": "application/pdf"}
        )
        assert uploaded.status_code == 201

    async with db() as s:
        keys_of = {
            name: set(await s.scalars(select(Document.object_key).where(Document.owner_id == uid)))
            for name, (uid, _) in people.items()
        }
        purged, keys = await purge_batch(s, NOW, retention_months=12)
        assert purged == [people["old_rejected"][0]]
        assert set(keys) == keys_of["old_rejected"]
        await s.commit()
        await delete_queued_objects(s, app.state.storage, keys)
        await s.commit()
        assert await s.get(ApplicantProfile, people["old_rejected"][0]) is None
        for name in ("recent_rejected", "old_but_open", "old_placed"):
            assert await s.get(ApplicantProfile, people[name][0]) is not None, name
        motivation = await s.scalar(
            select(Application.motivation).where(Application.applicant_id == people["old_rejected"][0])
        )
        assert motivation == ""
        again, _ = await purge_batch(s, NOW, retention_months=12)
        assert again == []
    remaining = object_keys(settings, "cv/")
    assert not keys_of["old_rejected"] & remaining
    assert keys_of["recent_rejected"] <= remaining
