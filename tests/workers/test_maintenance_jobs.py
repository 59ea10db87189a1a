"""Maintenance jobs on the real services: queued object deletions, statistics refresh."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select

from backend.db.models import ObjectDeletion, StatisticsRefresh
from backend.lib.db import Database
from infra.services.seaweedfs import s3_client
from tests.support.clock import FrozenClock
from tests.support.storage import object_keys
from workers.jobs.documents import delete_queued
from workers.jobs.statistics import refresh_statistics


def _ctx(settings, database):
    return {"settings": settings, "database": database, "clock": FrozenClock()}


async def test_queued_objects_are_deleted_and_outages_keep_them_queued(settings, migrated, stack):
    database = Database.from_settings(settings)
    client = s3_client(settings.s3_endpoint_url or "", settings.s3_access_key_id, settings.s3_secret_access_key)
    key = f"cv/{uuid.uuid4().hex}"
    client.put_object(Bucket=settings.s3_bucket, Key=key, Body=b"%PDF-1.7 orphan")
    async with database.sessionmaker() as s:
        s.add(ObjectDeletion(object_key=key))
        await s.commit()
    try:
        stack.stop_service("s3")
        try:
            assert await delete_queued(_ctx(settings, database)) == 0
        finally:
            stack.start_service("s3")
        async with database.sessionmaker() as s:
            assert await s.get(ObjectDeletion, key) is not None  # still queued for the next run

        assert await delete_queued(_ctx(settings, database)) >= 1
        assert key not in object_keys(settings, "cv/")
        async with database.sessionmaker() as s:
            assert await s.get(ObjectDeletion, key) is None
    finally:
        async with database.sessionmaker() as s:
            await s.execute(delete(ObjectDeletion).where(ObjectDeletion.object_key == key))
            await s.commit()
        await database.dispose()


async def test_statistics_refresh_job_records_its_time(settings, migrated):
    database = Database.from_settings(settings)
    ctx = _ctx(settings, database)
    try:
        stamp = await refresh_statistics(ctx)
        async with database.sessionmaker() as s:
            row = await s.scalar(select(StatisticsRefresh))
            assert row is not None and row.refreshed_at == ctx["clock"]()
        assert stamp == ctx["clock"]().isoformat()
    finally:
        async with database.sessionmaker() as s:
            await s.execute(delete(StatisticsRefresh))
            await s.commit()
        await database.dispose()
