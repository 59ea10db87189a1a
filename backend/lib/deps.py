"""Application-wide dependencies, registered once on the app: each reads what the lifespan put on app.state."""

from __future__ import annotations

import logging
from typing import Any, TypeAlias

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from backend.lib.auth import Identity, provide_identity
from backend.lib.clock import Clock
from backend.lib.db import provide_db_session
from backend.lib.queue import OUTBOX_JOB, Queue
from backend.lib.settings import Settings
from backend.lib.storage import Storage

logger = logging.getLogger("backend.queue")


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def provide_clock(state: State) -> Clock:
    clock: Clock = state.clock
    return clock


def provide_storage(state: State) -> Storage:
    storage: Storage = state.storage
    return storage


class AfterCommit:
    """Jobs to enqueue once the request's transaction has committed (a nudge; the outbox holds the truth)."""

    def __init__(self, queue: Queue | None) -> None:
        self._queue = queue

    async def enqueue(self, job: str, *args: Any, job_id: str | None = None) -> None:
        if self._queue is None:
            return
        try:
            await self._queue.enqueue(job, *args, job_id=job_id)
        except Exception as exc:
            logger.warning("enqueue failed", extra={"job": job, "error": type(exc).__name__})

    async def deliver_notifications(self) -> None:
        await self.enqueue(OUTBOX_JOB)


def provide_after_commit(state: State) -> AfterCommit:
    return AfterCommit(state.get("queue"))


dependencies: dict[str, Provide] = {
    "db_session": Provide(provide_db_session),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "clock": Provide(provide_clock, sync_to_thread=False),
    "storage": Provide(provide_storage, sync_to_thread=False),
    "jobs": Provide(provide_after_commit, sync_to_thread=False),
    "identity": Provide(provide_identity),
}


# Named dependencies for handler signatures (Litestar 3 stops inferring them from the parameter name).
DbSession: TypeAlias = NamedDependency[AsyncSession]
CurrentIdentity: TypeAlias = NamedDependency[Identity]
AppSettings: TypeAlias = NamedDependency[Settings]
AppClock: TypeAlias = NamedDependency[Clock]
Jobs: TypeAlias = NamedDependency[AfterCommit]
ObjectStorage: TypeAlias = NamedDependency[Storage]
