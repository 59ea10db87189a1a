"""Deadline cron jobs on data around their deadline (the clock is injected), run as the worker runs them,
two at once, and end to end: a job's state change -> the outbox -> the worker -> the real SMTP server."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from arq.worker import Worker
from sqlalchemy import func, select

from backend.db.models import (
    Application,
    ApplicationEvent,
    ApplicationState,
    Locale,
    Notification,
    Offer,
    OfferEvent,
    OfferState,
    Role,
)
from backend.lib.db import Database
from backend.lib.queue import redis_settings
from tests.support.factories import (
    make_application,
    make_offer,
    make_organisation,
    make_profile,
    make_quota,
    make_region,
    make_user,
)
from tests.support.mail import messages_to, text_part
from workers.jobs.applications import expire_unanswered_proposals, expire_unconfirmed_acceptances
from workers.jobs.offers import close_expired_offers
from workers.settings import CRON_JOBS, FUNCTIONS, WorkerSettings

DEADLINE = datetime(2026, 5, 1, 22, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def ctx_for(settings: Any, database: Database, now: datetime) -> dict[str, Any]:
    return {"settings": settings, "database": database, "clock": lambda: now}


async def scalar(database: Database, query: Any) -> Any:
    async with database.sessionmaker() as session:
        return await session.scalar(query)


async def offers_world(database: Database, deadlines: list[datetime], locale: Locale = Locale.FR) -> dict[str, Any]:
    async with database.sessionmaker() as s:
        region = await make_region(s, "PT20", name="Azores", country="PT", languages=["pt"])
        org = await make_organisation(s, region, name="Atlantic Lab")
        employer = await make_user(s, Role.EMPLOYER, organisation=org, locale=locale)
        offers = [await make_offer(s, org, title=f"Guide {n}", deadline=d) for n, d in enumerate(deadlines)]
        await s.commit()
        return {"employer": employer, "offers": offers}


async def states_of(database: Database, model: Any, ids: list[uuid.UUID]) -> list[Any]:
    async with database.sessionmaker() as session:
        found = dict((await session.execute(select(model.id, model.state).where(model.id.in_(ids)))).all())
    return [found[i] for i in ids]


def test_each_deadline_job_is_a_unique_cron_job_and_a_named_function():
    names = {f.name for f in FUNCTIONS}
    assert {"offers.close_expired", "applications.expire_unanswered_proposals"} <= names
    for job in CRON_JOBS:
        assert job.unique and job.name.startswith("cron:") and job.name.removeprefix("cron:") in names


async def test_closing_offers_end_to_end_through_the_worker_to_the_smtp_server(
    private_settings, database, endpoints, arq_pool
):
    """The cron job closes what is due at its `now`, commits, nudges the outbox drain; the employer gets
    the e-mail in French with the link to the offer."""
    w = await offers_world(database, [DEADLINE - SECOND, DEADLINE, DEADLINE + SECOND])
    queue = f"test:{uuid.uuid4().hex}"
    job = await arq_pool.enqueue_job("offers.close_expired", _queue_name=queue)
    assert job is not None
    worker = Worker(
        functions=FUNCTIONS,
        queue_name=queue,
        redis_settings=redis_settings(private_settings.redis_url),
        job_serializer=WorkerSettings.job_serializer,
        job_deserializer=WorkerSettings.job_deserializer,
        on_startup=WorkerSettings.on_startup,
        burst=True,
        poll_delay=0.05,
        handle_signals=False,
        ctx=ctx_for(private_settings, database, DEADLINE),
    )
    await asyncio.wait_for(worker.main(), timeout=60)
    await worker.close()
    assert await job.result(timeout=5) == 2
    assert worker.jobs_complete == 2  # the closing job and the delivery it nudged

    ids = [o.id for o in w["offers"]]
    assert await states_of(database, Offer, ids) == [OfferState.CLOSED, OfferState.CLOSED, OfferState.PUBLISHED]
    mails = messages_to(endpoints.mail_dir, w["employer"].email)
    assert len(mails) == 2
    assert {m["Subject"] for m in mails} == {"Votre offre n'accepte plus de candidatures"}
    assert {m["Content-Language"] for m in mails} == {"fr"}
    links = {f"http://testserver.local/offers/{i}" for i in ids[:2]}
    assert {next(link for link in links if link in text_part(m)) for m in mails} == links
    assert "L'offre « Guide 0 » n'accepte plus de candidatures." in text_part(mails[0]) + text_part(mails[1])


async def test_two_workers_closing_offers_at_once_close_each_once(private_settings, database):
    w = await offers_world(database, [DEADLINE - timedelta(minutes=n) for n in range(40)])
    other = Database.from_settings(private_settings)
    try:
        closed = await asyncio.gather(
            close_expired_offers(ctx_for(private_settings, database, DEADLINE)),
            close_expired_offers(ctx_for(private_settings, other, DEADLINE)),
        )
    finally:
        await other.dispose()
    assert sum(closed) == 40
    assert await scalar(database, select(func.count()).where(OfferEvent.action == "close")) == 40
    assert await scalar(database, select(func.count()).select_from(Notification)) == 40  # one per offer
    assert set(await states_of(database, Offer, [o.id for o in w["offers"]])) == {OfferState.CLOSED}
    # Idempotent: nothing is left to do, on any worker.
    assert await close_expired_offers(ctx_for(private_settings, database, DEADLINE + timedelta(hours=1))) == 0


async def applications_world(database: Database, state: ApplicationState, deadlines: list[datetime]) -> dict[str, Any]:
    async with database.sessionmaker() as s:
        host = await make_region(s, "PT20", name="Azores", country="PT", languages=["pt"])
        home = await make_region(s, "FR10", name="Ile-de-France", country="FR", languages=["fr"])
        for region in (host, home):
            await make_quota(s, region, 2026, hosting=50, sending=50)
        org = await make_organisation(s, host, name="Atlantic Lab")
        await make_user(s, Role.EMPLOYER, organisation=org)
        applications = []
        for n, deadline in enumerate(deadlines):
            offer = await make_offer(s, org, title=f"Guide {n}")
            applicant = await make_user(s, Role.APPLICANT, locale=Locale.FR)
            await make_profile(s, applicant, home)
            deadlines_of = (
                {"answer_deadline": deadline} if state is ApplicationState.PROPOSED else {"confirm_deadline": deadline}
            )
            applications.append(await make_application(s, applicant, offer, home, state=state, **deadlines_of))
        await s.commit()
        return {"applications": applications}


async def test_unanswered_proposals_expire_at_their_deadline_with_the_reason_recorded_and_told(
    private_settings, database
):
    w = await applications_world(database, ApplicationState.PROPOSED, [DEADLINE - SECOND, DEADLINE, DEADLINE + SECOND])
    ids = [a.id for a in w["applications"]]

    assert await expire_unanswered_proposals(ctx_for(private_settings, database, DEADLINE - 2 * SECOND)) == 0
    assert await expire_unanswered_proposals(ctx_for(private_settings, database, DEADLINE)) == 2
    assert await states_of(database, Application, ids) == [
        ApplicationState.EXPIRED,
        ApplicationState.EXPIRED,
        ApplicationState.PROPOSED,
    ]
    async with database.sessionmaker() as session:
        reasons = set(await session.scalars(select(Application.reason).where(Application.id.in_(ids[:2]))))
        events = list(await session.scalars(select(ApplicationEvent).where(ApplicationEvent.to_state == "expired")))
        told = list(await session.scalars(select(Notification).where(Notification.kind == "application.expired")))
    assert reasons == {"The proposal was not answered before its deadline."}
    assert {e.application_id for e in events} == set(ids[:2]) and {e.actor_role for e in events} == {"system"}
    assert len(told) == 2 and {n.link for n in told} == {f"http://testserver.local/applications/{i}" for i in ids[:2]}

    assert await expire_unanswered_proposals(ctx_for(private_settings, database, DEADLINE)) == 0  # idempotent
    assert await expire_unanswered_proposals(ctx_for(private_settings, database, DEADLINE + SECOND)) == 1


async def test_two_workers_expiring_proposals_at_once_expire_each_once(private_settings, database):
    await applications_world(database, ApplicationState.PROPOSED, [DEADLINE - timedelta(minutes=n) for n in range(20)])
    other = Database.from_settings(private_settings)
    try:
        expired = await asyncio.gather(
            expire_unanswered_proposals(ctx_for(private_settings, database, DEADLINE)),
            expire_unanswered_proposals(ctx_for(private_settings, other, DEADLINE)),
        )
    finally:
        await other.dispose()
    assert sum(expired) == 20
    assert await scalar(database, select(func.count()).where(ApplicationEvent.to_state == "expired")) == 20
    assert await scalar(database, select(func.count()).where(Notification.kind == "application.expired")) == 20


async def test_unconfirmed_acceptances_expire_at_the_confirmation_deadline_and_free_the_seat(
    private_settings, database
):
    w = await applications_world(database, ApplicationState.ACCEPTED, [DEADLINE, DEADLINE + SECOND])
    ids = [a.id for a in w["applications"]]
    assert await expire_unconfirmed_acceptances(ctx_for(private_settings, database, DEADLINE)) == 1
    assert await states_of(database, Application, ids) == [ApplicationState.EXPIRED, ApplicationState.ACCEPTED]
    async with database.sessionmaker() as session:
        seats = dict((await session.execute(select(Application.id, Offer.seats_taken).join(Offer))).all())
    assert (seats[ids[0]], seats[ids[1]]) == (0, 1)
