"""arq worker entry point: `arq workers.settings.WorkerSettings`."""

from __future__ import annotations

from typing import Any, ClassVar

from arq import cron
from arq.connections import RedisSettings
from arq.worker import Function, func

from backend.lib.queue import QUEUE_NAME, deserialize, redis_settings, serialize
from backend.lib.settings import get_settings
from workers.context import shutdown, startup
from workers.jobs.notifications import deliver_pending
from workers.jobs.system import health_check

FUNCTIONS: list[Function] = [
    func(health_check, name="system.health_check"),
    func(deliver_pending, name="notifications.deliver_pending", max_tries=3),
]


class WorkerSettings:
    functions: ClassVar[list[Function]] = FUNCTIONS
    cron_jobs: ClassVar[list[Any]] = [
        cron(
            deliver_pending,
            name="cron:notifications.deliver_pending",
            second={0},
            unique=True,
            run_at_startup=True,
        ),
    ]
    on_startup = startup
    on_shutdown = shutdown
    queue_name = QUEUE_NAME
    job_serializer = serialize
    job_deserializer = deserialize
    redis_settings: RedisSettings = redis_settings(get_settings().redis_url)
    max_jobs = 10
    job_timeout = 300
    keep_result = 60
