from __future__ import annotations

import logging
from typing import Any

from backend.domain.documents.services import delete_queued_objects
from backend.lib.errors import ServiceUnavailable
from backend.lib.storage import Storage
from workers.context import job_session

logger = logging.getLogger("workers.documents")


async def delete_queued(ctx: dict[str, Any]) -> int:
    """Delete objects whose rows are gone (erasures, purges) and that storage could not drop at the time."""
    storage = ctx.get("storage")
    if storage is None:
        storage = ctx["storage"] = Storage(ctx["settings"])
    deleted = 0
    async with job_session(ctx) as (session, _now):
        try:
            while batch := await delete_queued_objects(session, storage):
                deleted += batch
                await session.commit()
        except ServiceUnavailable:
            # Storage is down: what is queued stays queued; the next run tries again.
            logger.warning("storage unavailable: queued deletions wait for the next run")
    if deleted:
        logger.info("queued objects deleted", extra={"count": deleted})
    return deleted
