"""The reminder job on data around each deadline (time injected): at most two per item, never to someone who
has acted, never twice when two workers run it at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from backend.db.models import (
    Application,
    ApplicationState,
    Locale,
    Notification,
    Placement,
    PlacementState,
    Role,
)
from backend.db.models.notification import Reminder
from backend.domain.notifications.reminders import final_report_date, midterm_date
from backend.lib.db import Database
from tests.support.factories import (
    make_application,
    make_offer,
    make_organisation,
    make_profile,
    make_quota,
    make_region,
    make_user,
)
from workers.jobs.notifications import send_reminders

D = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)  # the deadline reminded about
ENTERED = D - timedelta(days=14)  # when the applications reached their state


def ctx(settings: Any, database: Database, now: datetime) -> dict[str, Any]:
    return {"settings": settings, "database": database, "clock": lambda: now}


async def world(
    database: Database, state: ApplicationState, count: int = 1, *, employers: int = 2, **deadline: datetime
) -> dict[str, Any]:
    async with database.sessionmaker() as s:
        host = await make_region(s, "PT20", name="Azores", country="PT", languages=["pt"])
        home = await make_region(s, "FR10", name="Ile-de-France", country="FR", languages=["fr"])
        for region in (host, home):
            await make_quota(s, region, 2026, hosting=50, sending=50)
        org = await make_organisation(s, host, name="Atlantic Lab")
        bosses = [await make_user(s, Role.EMPLOYER, organisation=org, locale=Locale.FR) for _ in range(employers)]
        applications = []
        for n in range(count):
            offer = await make_offer(s, org, title=f"Guide {n}")
            applicant = await make_user(s, Role.APPLICANT)
            await make_profile(s, applicant, home)
            applications.append(await make_application(s, applicant, offer, home, state=state, **deadline))
        await s.execute(update(Application).values(updated_at=ENTERED))
        await s.commit()
        return {"employers": bosses, "applications": applications, "org": org}


async def reminders_of(database: Database) -> list[Any]:
    async with database.sessionmaker() as session:
        return list(
            await session.execute(
                select(Reminder.kind, Reminder.subject_id, Reminder.number, Reminder.sent_at).order_by(
                    Reminder.sent_at, Reminder.subject_id
                )
            )
        )


async def told(database: Database, kind: str) -> list[Notification]:
    async with database.sessionmaker() as session:
        return list(await session.scalars(select(Notification).where(Notification.kind == kind)))


async def test_employers_are_reminded_twice_at_most_before_the_confirmation_deadline(private_settings, database):
    w = await world(database, ApplicationState.ACCEPTED, confirm_deadline=D)
    [application] = w["applications"]
    run = lambda now: send_reminders(ctx(private_settings, database, now))  # noqa: E731

    assert await run(D - timedelta(days=7, seconds=1)) == 0  # not yet
    assert await run(D - timedelta(days=7)) == 1
    assert await run(D - timedelta(days=6)) == 0  # the second is due 2 days before
    assert await run(D - timedelta(days=2)) == 1
    assert await run(D - timedelta(days=1)) == 0  # capped at two
    assert [(r.number, r.sent_at) for r in await reminders_of(database)] == [
        (1, D - timedelta(days=7)),
        (2, D - timedelta(days=2)),
    ]
    notes = await told(database, "employer.confirm_reminder")
    assert len(notes) == 4 and {n.user_id for n in notes} == {e.id for e in w["employers"]}
    assert {n.link for n in notes} == {f"http://testserver.local/applications/{application.id}"}
    assert notes[0].params["confirm_deadline"] == D.isoformat() and notes[0].params["applicant_name"]


async def test_nobody_who_acted_is_reminded_and_nothing_after_the_deadline(private_settings, database):
    w = await world(database, ApplicationState.ACCEPTED, count=2, confirm_deadline=D)
    first, second = w["applications"]
    run = lambda now: send_reminders(ctx(private_settings, database, now))  # noqa: E731
    assert await run(D - timedelta(days=7)) == 2
    # The employer confirms the first one; the second is left waiting.
    async with database.sessionmaker() as session:
        await session.execute(
            update(Application).where(Application.id == first.id).values(state=ApplicationState.CONFIRMED)
        )
        await session.commit()
    assert await run(D - timedelta(days=2)) == 1
    assert {r.subject_id for r in await reminders_of(database) if r.number == 2} == {second.id}
    assert await run(D + timedelta(minutes=1)) == 0


async def test_an_item_that_just_reached_its_state_waits_a_day(private_settings, database):
    """A proposal with a short answer deadline: no reminder right after the proposal itself."""
    w = await world(database, ApplicationState.PROPOSED, answer_deadline=D)
    async with database.sessionmaker() as session:
        await session.execute(update(Application).values(updated_at=D - timedelta(days=2)))
        await session.commit()
    run = lambda now: send_reminders(ctx(private_settings, database, now))  # noqa: E731
    assert await run(D - timedelta(days=2) + timedelta(hours=1)) == 0
    assert await run(D - timedelta(days=1)) == 1
    [note] = await told(database, "application.proposal_expiring")
    assert note.user_id == w["applications"][0].applicant_id  # the applicant, who has to answer
    assert note.params == {"offer_title": "Guide 0", "answer_deadline": D.isoformat()}


async def test_two_workers_at_once_send_each_reminder_once(private_settings, database):
    await world(database, ApplicationState.ACCEPTED, count=20, employers=1, confirm_deadline=D)
    other = Database.from_settings(private_settings)
    try:
        sent = await asyncio.gather(
            send_reminders(ctx(private_settings, database, D - timedelta(days=7))),
            send_reminders(ctx(private_settings, other, D - timedelta(days=7))),
        )
    finally:
        await other.dispose()
    assert sum(sent) == 20
    log = await reminders_of(database)
    assert len(log) == 20 and {r.number for r in log} == {1}
    assert len(await told(database, "employer.confirm_reminder")) == 20


async def test_employers_are_reminded_of_the_midterm_review_and_the_final_report(private_settings, database):
    w = await world(database, ApplicationState.CONFIRMED, count=2, employers=1)
    start, end = date(2026, 9, 1), date(2027, 2, 28)
    async with database.sessionmaker() as session:
        placements = []
        for application, state in zip(
            w["applications"], (PlacementState.STARTED, PlacementState.MIDTERM_REVIEWED), strict=True
        ):
            placement = Placement(
                application_id=application.id,
                offer_id=application.offer_id,
                applicant_id=application.applicant_id,
                host_region_id=application.host_region_id,
                home_region_id=application.home_region_id,
                programme_year=2026,
                start_date=start,
                end_date=end,
                state=state,
                confirmed_at=datetime(2026, 6, 1, tzinfo=UTC),
                created_at=datetime(2026, 6, 1, tzinfo=UTC),
                updated_at=datetime(2026, 9, 1, tzinfo=UTC),
            )
            session.add(placement)
            placements.append(placement)
        await session.commit()
    midterm = datetime.combine(midterm_date(start, end), datetime.min.time(), tzinfo=UTC)
    final = datetime.combine(final_report_date(end), datetime.min.time(), tzinfo=UTC)
    assert midterm_date(start, end) == date(2026, 11, 30) and final_report_date(end) == date(2027, 3, 28)
    run = lambda now: send_reminders(ctx(private_settings, database, now))  # noqa: E731

    assert await run(midterm - timedelta(days=8)) == 0
    assert await run(midterm - timedelta(days=7)) == 1
    assert await run(midterm) == 1
    assert await run(midterm + timedelta(days=3)) == 0  # two is the cap
    assert await run(final - timedelta(days=30)) == 1  # the final report, from the end of the traineeship
    assert await run(final - timedelta(days=7)) == 1
    assert await run(final + timedelta(days=1)) == 0
    kinds = [(r.kind, r.subject_id, r.number) for r in await reminders_of(database)]
    assert kinds == [
        ("placement.midterm_reminder", placements[0].id, 1),
        ("placement.midterm_reminder", placements[0].id, 2),
        ("placement.final_report_reminder", placements[1].id, 1),
        ("placement.final_report_reminder", placements[1].id, 2),
    ]
    async with database.sessionmaker() as session:
        count = await session.scalar(select(func.count()).where(Notification.kind.like("placement.%_reminder")))
    assert count == 4
    [note, *_] = await told(database, "placement.midterm_reminder")
    assert note.params["due_date"] == "2026-11-30" and note.link.endswith(f"/placements/{placements[0].id}")
