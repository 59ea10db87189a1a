"""The only module that talks to the job queue (arq on Redis), so the queue can be swapped in one place.

Jobs are named "domain.action", take ids not objects, and carry deterministic job ids where a repeat must be
a no-op. Payloads are serialised with msgspec (msgpack) instead of arq's default pickle.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec
from arq.connections import ArqRedis, RedisSettings
from redis.asyncio import ConnectionPool

QUEUE_NAME = "exchange:queue"
# The outbox drain: nudged after every commit that wrote notifications (a cron job catches up on misses).
OUTBOX_JOB = "notifications.deliver_pending"

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder()


def serialize(value: Any) -> bytes:
    return _encoder.encode(value)


def deserialize(data: bytes) -> Any:
    return _decoder.decode(data)


def redis_settings(url: str) -> RedisSettings:
    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = 2
    settings.conn_retries = 1
    return settings


class Queue:
    """A thin handle on the arq pool."""

    def __init__(self, pool: ArqRedis) -> None:
        self._pool = pool

    @classmethod
    def from_url(cls, url: str) -> Queue:
        """Connections open lazily, so the API starts (and reports unready) while Redis is down."""
        pool = ArqRedis(
            connection_pool=ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=5),
            job_serializer=serialize,
            job_deserializer=deserialize,
            default_queue_name=QUEUE_NAME,
        )
        return cls(pool)

    async def enqueue(
        self,
        job: str,
        *args: Any,
        job_id: str | None = None,
        defer_until: datetime | None = None,
        defer_by: timedelta | None = None,
    ) -> bool:
        """Queue a job; False when a job with the same id is already queued or done (a deduplicated repeat)."""
        queued = await self._pool.enqueue_job(job, *args, _job_id=job_id, _defer_until=defer_until, _defer_by=defer_by)
        return queued is not None

    async def ping(self) -> bool:
        return bool(await self._pool.ping())

    async def close(self) -> None:
        await self._pool.aclose()
