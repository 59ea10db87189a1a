"""Outbox delivery against real PostgreSQL, Redis and SMTP servers: a worker SIGKILLed mid-batch, two workers
at once, relay outages and refusals. Time is injected (the workers' clock), never slept.

The guarantee under test (see backend/domain/notifications/delivery.py): every notification reaches the
relay at least once; a second copy of a (Message-ID, recipient) pair exists only for a row whose
unconfirmed_attempts > 0 (its send was cut off between the relay taking it and the worker recording it), and
each killed worker leaves at most one such row.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from sqlalchemy import func, select

from backend.db.base import new_id
from backend.db.models import DeliveryState, Locale, Notification, Role, User
from backend.domain.notifications.delivery import LEASE, MAX_ATTEMPTS, backoff, deliver_pending, message_id
from backend.domain.notifications.services import notify
from backend.lib.db import Database
from backend.lib.settings import Settings
from infra.services.smtp import read_mail
from infra.stack import LocalStack
from tests.support.clock import FrozenClock
from tests.workers.support import ScriptedSmtp, census, fill_outbox, spawn_worker, stored_count, worker_env

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DRAIN = "notifications.deliver_pending"


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    return tmp_path / "mail"  # pytest's own temporary folder: removed with its old runs, not left in /tmp


async def wait_for(predicate: Callable[[], bool], within: float) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


async def rows(database: Database) -> dict[uuid.UUID, Any]:
    async with database.sessionmaker() as session:
        result = await session.execute(
            select(
                Notification.id,
                Notification.email_state,
                Notification.attempts,
                Notification.unconfirmed_attempts,
                Notification.attempt_started_at,
                Notification.last_error,
                Notification.next_attempt_at,
            )
        )
        return {row.id: row for row in result}


def with_smtp(settings: Settings, port: int) -> Settings:
    return msgspec.structs.replace(settings, smtp_host="127.0.0.1", smtp_port=port)


def assert_at_least_once_and_duplicates_only_where_unconfirmed(
    sent_to: dict[uuid.UUID, str], copies: dict[tuple[str, str], int], state: dict[uuid.UUID, Any], settings: Settings
) -> set[uuid.UUID]:
    """The guarantee, checked exactly; returns the ids that arrived twice."""
    by_message_id = {message_id(nid, settings): nid for nid in sent_to}
    assert set(copies) == {(message_id(nid, settings), to) for nid, to in sent_to.items()}
    assert all(row.email_state == DeliveryState.SENT for row in state.values())
    twice = {by_message_id[mid] for (mid, _), n in copies.items() if n > 1}
    assert all(n <= 2 for n in copies.values())
    unconfirmed = {nid for nid, row in state.items() if row.unconfirmed_attempts > 0}
    assert twice <= unconfirmed
    assert sum(copies.values()) == len(sent_to) + len(twice)
    return twice


async def test_sigkill_mid_batch_loses_nothing_and_repeats_at_most_the_cut_off_message(
    private_settings, database, arq_pool, mail_dir, tmp_path_factory
):
    sent_to = await fill_outbox(database.sessionmaker, count=300, users=30, now=T0, tag="kill")
    log = tmp_path_factory.mktemp("logs") / "workers.log"
    queue = f"test:{uuid.uuid4().hex}"
    with ScriptedSmtp(mail_dir, delay=0.01) as smtp:
        env = worker_env(private_settings, SMTP_PORT=str(smtp.port))
        await arq_pool.enqueue_job(DRAIN, _queue_name=queue)
        worker = spawn_worker(queue, env, log, now=T0)
        await wait_for(lambda: stored_count(mail_dir) >= 40, within=60)
        worker.send_signal(signal.SIGKILL)
        assert await asyncio.to_thread(worker.wait, 30) == -signal.SIGKILL

        before = await rows(database)
        states = {s: sum(r.email_state == s for r in before.values()) for s in DeliveryState}
        assert states[DeliveryState.SENT] >= 39 and states[DeliveryState.SENDING] > 0  # killed mid-batch
        in_flight = [nid for nid, r in before.items() if r.attempt_started_at is not None]
        assert len(in_flight) <= 1  # a worker sends one message at a time

        # Before the lease runs out another drain sends what the dead worker had not claimed and leaves its
        # leased rows alone (it cannot tell a dead worker from a slow one).
        leased = {nid for nid, r in before.items() if r.email_state == DeliveryState.SENDING}
        early = await deliver_pending(
            database.sessionmaker, with_smtp(private_settings, smtp.port), clock=lambda: T0 + timedelta(minutes=1)
        )
        assert early.sent == states[DeliveryState.PENDING] and early.recovered == 0
        assert {nid for nid, r in (await rows(database)).items() if r.email_state == DeliveryState.SENDING} == leased

        # Restarted after the lease: everything goes, the cut-off message again with the same Message-ID.
        # (A fresh queue: arq keeps the killed job queued until its in-progress key expires, then retries it.)
        queue = f"test:{uuid.uuid4().hex}"
        job = await arq_pool.enqueue_job(DRAIN, _queue_name=queue)
        assert job is not None
        restarted = spawn_worker(queue, env, log, now=T0 + LEASE + timedelta(minutes=1))
        assert await asyncio.to_thread(restarted.wait, 120) == 0, log.read_text()[-3000:]
        report = await job.result(timeout=5)

    after = await rows(database)
    twice = assert_at_least_once_and_duplicates_only_where_unconfirmed(
        sent_to, census(mail_dir), after, private_settings
    )
    assert report["recovered"] == len(in_flight)
    assert {nid for nid, r in after.items() if r.unconfirmed_attempts} == set(in_flight)
    assert twice <= set(in_flight)
    print(
        f"\nkill after {states[DeliveryState.SENT]} recorded sends, {len(in_flight)} cut off "
        f"({'reached the relay: sent twice' if twice else 'had not reached the relay: sent once'}); "
        f"{len(leased)} leased rows waited for the lease; restart sent {report['sent']}"
    )


async def test_sigkill_between_relay_acceptance_and_record_repeats_exactly_that_message(
    private_settings, database, arq_pool, mail_dir, tmp_path_factory
):
    """The worst moment, made certain: the relay has stored message 5 when the worker dies."""
    sent_to = await fill_outbox(database.sessionmaker, count=20, users=4, now=T0, tag="window")
    log = tmp_path_factory.mktemp("logs") / "workers.log"
    queue = f"test:{uuid.uuid4().hex}"
    target: dict[str, int] = {}

    def kill_at_fifth(count: int) -> None:
        if count == 5:
            os.kill(target["pid"], signal.SIGKILL)

    with ScriptedSmtp(mail_dir, after_store=kill_at_fifth) as smtp:
        env = worker_env(private_settings, SMTP_PORT=str(smtp.port))
        await arq_pool.enqueue_job(DRAIN, _queue_name=queue)
        worker = spawn_worker(queue, env, log, now=T0)
        target["pid"] = worker.pid
        assert await asyncio.to_thread(worker.wait, 60) == -signal.SIGKILL
        before = await rows(database)
        [cut_off] = [nid for nid, r in before.items() if r.attempt_started_at is not None]
        assert sum(r.email_state == DeliveryState.SENT for r in before.values()) == 4

        queue = f"test:{uuid.uuid4().hex}"
        await arq_pool.enqueue_job(DRAIN, _queue_name=queue)
        restarted = spawn_worker(queue, env, log, now=T0 + LEASE + timedelta(seconds=1))
        assert await asyncio.to_thread(restarted.wait, 60) == 0, log.read_text()[-3000:]

    after = await rows(database)
    twice = assert_at_least_once_and_duplicates_only_where_unconfirmed(
        sent_to, census(mail_dir), after, private_settings
    )
    assert twice == {cut_off}
    assert after[cut_off].unconfirmed_attempts == 1 and after[cut_off].attempts == 2


async def test_two_worker_processes_share_the_outbox_without_sending_anything_twice(
    private_settings, database, arq_pool, mail_dir, tmp_path_factory
):
    sent_to = await fill_outbox(database.sessionmaker, count=300, users=30, now=T0, tag="pair")
    log = tmp_path_factory.mktemp("logs") / "workers.log"
    with ScriptedSmtp(mail_dir, delay=0.01) as smtp:
        env = worker_env(private_settings, SMTP_PORT=str(smtp.port))
        queues = [f"test:{uuid.uuid4().hex}" for _ in range(2)]
        jobs = [await arq_pool.enqueue_job(DRAIN, _queue_name=q) for q in queues]
        workers = [spawn_worker(q, env, log, now=T0) for q in queues]
        for worker in workers:
            assert await asyncio.to_thread(worker.wait, 120) == 0, log.read_text()[-3000:]
        reports = [await job.result(timeout=5) for job in jobs if job is not None]

    copies = census(mail_dir)
    assert all(n == 1 for n in copies.values()) and len(copies) == 300
    assert_at_least_once_and_duplicates_only_where_unconfirmed(sent_to, copies, await rows(database), private_settings)
    assert [r["sent"] > 0 for r in reports] == [True, True]  # both took part
    assert sum(r["sent"] for r in reports) == 300
    assert all(r["lost_lease"] == 0 and r["recovered"] == 0 for r in reports)
    print(f"\nworker 1 sent {reports[0]['sent']}, worker 2 sent {reports[1]['sent']}")


async def test_relay_down_retries_with_backoff_then_fails_visibly(private_settings, database, stack: LocalStack):
    clock = FrozenClock(T0)
    await fill_outbox(database.sessionmaker, count=3, users=3, now=T0, tag="down")
    stack.stop_service("smtp")
    try:
        first = await deliver_pending(database.sessionmaker, private_settings, clock=clock)
        # One attempt finds the relay down; the rest of the batch is released without an attempt counted.
        assert (first.retried, first.deferred, first.sent) == (1, 2, 0)
        state = await rows(database)
        [tried] = [nid for nid, r in state.items() if r.attempts == 1]
        assert state[tried].email_state == DeliveryState.PENDING
        assert state[tried].next_attempt_at == T0 + backoff(1)
        assert "cannot reach the relay" in state[tried].last_error
        assert all(r.attempts == 0 and r.next_attempt_at == T0 + backoff(1) for n, r in state.items() if n != tried)

        # Not due yet: nothing happens until the backoff has passed.
        assert (await deliver_pending(database.sessionmaker, private_settings, clock=clock)).retried == 0

        for _ in range(3 * MAX_ATTEMPTS):
            due = min(r.next_attempt_at for r in (await rows(database)).values() if r.email_state == "pending")
            clock.now = due
            await deliver_pending(database.sessionmaker, private_settings, clock=clock)
            state = await rows(database)
            if all(r.email_state == DeliveryState.FAILED for r in state.values()):
                break
        assert all(r.email_state == DeliveryState.FAILED and r.attempts == MAX_ATTEMPTS for r in state.values())
        # A failed row is final: no drain picks it up again.
        clock.advance(days=1)
        assert (await deliver_pending(database.sessionmaker, private_settings, clock=clock)).retried == 0
    finally:
        stack.start_service("smtp")

    # The relay is back: new messages go out; the failed ones stay failed (visible, not re-sent).
    await fill_outbox(database.sessionmaker, count=1, users=1, now=clock(), tag="back")
    report = await deliver_pending(database.sessionmaker, private_settings, clock=clock)
    assert (report.sent, report.failed, report.retried) == (1, 0, 0)
    assert sum(r.email_state == DeliveryState.FAILED for r in (await rows(database)).values()) == 3


async def test_relay_refusals_fail_at_once_or_retry_and_a_dropped_line_is_counted_unconfirmed(
    private_settings, database, mail_dir
):
    clock = FrozenClock(T0)
    addresses = {"ok": "ok@example.org", "bounce": "bounce@example.org", "later": "later@example.org"}
    ids: dict[str, uuid.UUID] = {}
    async with database.sessionmaker() as session:
        for name, address in addresses.items():
            user = User(id=new_id(), email=address, full_name=name, role=Role.APPLICANT, locale=Locale.EN)
            session.add(user)
            await session.flush()
            await notify(session, user_id=user.id, kind="application.shortlisted", dedup_key=name, now=T0)
            ids[name] = await session.scalar(select(Notification.id).where(Notification.dedup_key == name))
        await session.commit()

    replies = {addresses["bounce"]: "550 5.1.1 No such user", addresses["later"]: "451 4.3.0 Try again later"}
    with ScriptedSmtp(mail_dir, rcpt_replies=replies) as smtp:
        settings = with_smtp(private_settings, smtp.port)
        report = await deliver_pending(database.sessionmaker, settings, clock=clock)
    assert (report.sent, report.failed, report.retried) == (1, 1, 1)
    state = await rows(database)
    assert state[ids["bounce"]].email_state == DeliveryState.FAILED and state[ids["bounce"]].attempts == 1
    assert "550" in state[ids["bounce"]].last_error
    assert state[ids["later"]].email_state == DeliveryState.PENDING
    assert state[ids["later"]].next_attempt_at == T0 + backoff(1) and "451" in state[ids["later"]].last_error

    # The relay takes the message, then the line drops before its 250: the outcome is unknown, the retry
    # carries the same Message-ID, and the row says a duplicate is possible.
    clock.now = T0 + backoff(1)
    with ScriptedSmtp(mail_dir, drop_after_store=lambda n: n == 1) as smtp:
        settings = with_smtp(private_settings, smtp.port)
        dropped = await deliver_pending(database.sessionmaker, settings, clock=clock)
        assert (dropped.unconfirmed, dropped.retried) == (1, 1)
        clock.advance(seconds=backoff(2).total_seconds())
        again = await deliver_pending(database.sessionmaker, settings, clock=clock)
        assert again.sent == 1
    row = (await rows(database))[ids["later"]]
    assert row.email_state == DeliveryState.SENT and row.unconfirmed_attempts == 1 and row.attempts == 3
    assert census(mail_dir)[(message_id(ids["later"], settings), addresses["later"])] == 2


async def test_a_deactivated_recipient_is_skipped(private_settings, database, mail_dir):
    async with database.sessionmaker() as session:
        user = User(id=new_id(), email="gone@example.org", full_name="Gone", role=Role.APPLICANT, is_active=False)
        session.add(user)
        await session.flush()
        await notify(session, user_id=user.id, kind="application.rejected", dedup_key="gone", now=T0)
        await session.commit()
    with ScriptedSmtp(mail_dir) as smtp:
        report = await deliver_pending(database.sessionmaker, with_smtp(private_settings, smtp.port), clock=lambda: T0)
    assert report.skipped == 1 and stored_count(mail_dir) == 0
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).where(Notification.email_state == "skipped")) == 1


async def test_an_internationalised_address_goes_out_over_smtputf8(private_settings, database, mail_dir):
    async with database.sessionmaker() as session:
        user = User(id=new_id(), email="anaïs@exemple.fr", full_name="Anaïs", role=Role.APPLICANT, locale=Locale.FR)
        session.add(user)
        await session.flush()
        await notify(session, user_id=user.id, kind="application.shortlisted", dedup_key="idn", now=T0)
        await session.commit()
    with ScriptedSmtp(mail_dir) as smtp:
        report = await deliver_pending(database.sessionmaker, with_smtp(private_settings, smtp.port), clock=lambda: T0)
    assert report.sent == 1
    [message] = read_mail(mail_dir)
    assert message["To"] == "anaïs@exemple.fr" and message["Content-Language"] == "fr"
    assert message["Subject"] == "Votre candidature est présélectionnée"
