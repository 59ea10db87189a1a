"""arq worker entry point: `arq workers.settings.WorkerSettings`.

Cron jobs are unique (one run per tick across all workers: the job id names the tick) and each is idempotent
and locks what it processes (FOR UPDATE SKIP LOCKED), so several workers may run side by side. Deadline jobs
run every minute, spread over the minute, reminders hourly; the outbox is drained every minute and whenever
nudged.
"""

from __future__ import annotations

from typing import Any, ClassVar

from arq import cron
from arq.connections import RedisSettings
from arq.worker import Function, func

from backend.lib.queue import OUTBOX_JOB, QUEUE_NAME, deserialize, redis_settings, serialize
from backend.lib.settings import get_settings
from workers.context import shutdown, startup
from workers.jobs.applications import expire_unanswered_proposals, expire_unconfirmed_acceptances
from workers.jobs.documents import delete_queued
from workers.jobs.notifications import deliver_pending, send_reminders
from workers.jobs.offers import close_expired_offers
from workers.jobs.privacy import purge_unsuccessful_applicants
from workers.jobs.statistics import refresh_statistics
from workers.jobs.system import health_check

FUNCTIONS: list[Function] = [
    func(health_check, name="system.health_check"),
    func(deliver_pending, name=OUTBOX_JOB, max_tries=3),
    func(close_expired_offers, name="offers.close_expired", max_tries=3),
    func(expire_unanswered_proposals, name="applications.expire_unanswered_proposals", max_tries=3),
    func(expire_unconfirmed_acceptances, name="applications.expire_unconfirmed_acceptances", max_tries=3),
    func(send_reminders, name="notifications.send_reminders", max_tries=3),
    func(refresh_statistics, name="statistics.refresh", max_tries=2),
    func(delete_queued, name="documents.delete_queued", max_tries=3),
    func(purge_unsuccessful_applicants, name="privacy.purge_unsuccessful_applicants", max_tries=3),
]

CRON_JOBS: list[Any] = [
    cron(deliver_pending, name="cron:notifications.deliver_pending", second={0}, unique=True, run_at_startup=True),
    cron(close_expired_offers, name="cron:offers.close_expired", second={10}, unique=True),
    cron(expire_unanswered_proposals, name="cron:applications.expire_unanswered_proposals", second={20}, unique=True),
    cron(
        expire_unconfirmed_acceptances,
        name="cron:applications.expire_unconfirmed_acceptances",
        second={30},
        unique=True,
    ),
    cron(send_reminders, name="cron:notifications.send_reminders", minute={5}, second={40}, unique=True),
    cron(
        refresh_statistics,
        name="cron:statistics.refresh",
        minute=set(range(0, 60, 10)),
        second={45},
        unique=True,
        run_at_startup=True,
    ),
    cron(delete_queued, name="cron:documents.delete_queued", minute=set(range(2, 60, 15)), second={50}, unique=True),
    cron(
        purge_unsuccessful_applicants,
        name="cron:privacy.purge_unsuccessful_applicants",
        hour={3},
        minute={17},
        second={0},
        unique=True,
    ),
]


class WorkerSettings:
    functions: ClassVar[list[Function]] = FUNCTIONS
    cron_jobs: ClassVar[list[Any]] = CRON_JOBS
    on_startup = startup
    on_shutdown = shutdown
    queue_name = QUEUE_NAME
    job_serializer = serialize
    job_deserializer = deserialize
    redis_settings: RedisSettings = redis_settings(get_settings().redis_url)
    max_jobs = 10
    job_timeout = 300
    keep_result = 60
