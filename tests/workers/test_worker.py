"""The arq worker on the real Redis: queued jobs run, and the outbox job delivers to the real SMTP server."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from arq.connections import RedisSettings
from arq.worker import Worker
from sqlalchemy import delete, select

from backend.db.models import Notification, Role, User
from backend.domain.notifications.services import notify
from backend.lib.db import Database
from backend.lib.queue import Queue
from tests.support.factories import make_user
from tests.support.mail import messages_to
from workers.settings import FUNCTIONS, WorkerSettings


@pytest.fixture
async def committed_db(settings, migrated):
    """Real commits (the worker opens its own connections); rows made here are deleted afterwards."""
    database = Database.from_settings(settings)
    created: list[uuid.UUID] = []
    yield database, created
    async with database.sessionmaker() as session:
        await session.execute(delete(User).where(User.id.in_(created)))
        await session.commit()
    await database.dispose()


def _worker(settings, database, queue_name: str) -> Worker:
    return Worker(
        functions=FUNCTIONS,
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        queue_name=queue_name,
        job_serializer=WorkerSettings.job_serializer,
        job_deserializer=WorkerSettings.job_deserializer,
        on_startup=WorkerSettings.on_startup,
        burst=True,
        poll_delay=0.05,
        handle_signals=False,
        ctx={"settings": settings, "database": database},
    )


async def test_queued_jobs_run_on_the_worker(settings, committed_db, endpoints):
    database, created = committed_db
    async with database.sessionmaker() as session:
        user = await make_user(session, Role.APPLICANT, email=f"worker-{uuid.uuid4().hex[:8]}@example.org")
        created.append(user.id)
        await notify(
            session,
            user_id=user.id,
            kind="account.verify_email",
            dedup_key=f"test:{user.id}",
            params={"name": user.full_name, "hours": 48},
            link="http://x.test/verify-email?token=abc",
            now=datetime.now(UTC),
        )
        await session.commit()

    queue = Queue.from_url(settings.redis_url)
    queue_name = f"test:{uuid.uuid4().hex}"
    try:
        pool = queue._pool  # the test chooses its own queue so parallel runs cannot steal its jobs
        health = await pool.enqueue_job("system.health_check", _queue_name=queue_name)
        delivery = await pool.enqueue_job("notifications.deliver_pending", _queue_name=queue_name)
        assert health is not None and delivery is not None
        worker = _worker(settings, database, queue_name)
        await asyncio.wait_for(worker.main(), timeout=30)
        await worker.close()
        assert await health.result(timeout=5) == "ok"
        report = await delivery.result(timeout=5)
        assert report["sent"] >= 1
    finally:
        await queue.close()

    [message] = messages_to(endpoints.mail_dir, user.email)
    assert message["Subject"] == "Confirm your e-mail address"
    assert message["Message-ID"].startswith("<") and "@" in message["Message-ID"]
    async with database.sessionmaker() as session:
        row = await session.scalar(select(Notification).where(Notification.user_id == user.id))
        assert row is not None and row.email_state == "sent" and row.link is None
