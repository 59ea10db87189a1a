from __future__ import annotations

import logging
from typing import Any

from backend.domain.privacy.retention import purge_batch
from workers.context import job_session
from workers.jobs.documents import delete_queued

logger = logging.getLogger("workers.privacy")


async def purge_unsuccessful_applicants(ctx: dict[str, Any]) -> int:
    """Purge the personal data of applicants past the retention period, batch by batch, then their objects."""
    months = ctx["settings"].applicant_data_retention_months
    purged = 0
    async with job_session(ctx) as (session, now):
        while True:
            user_ids, _keys = await purge_batch(session, now, months)
            await session.commit()
            purged += len(user_ids)
            if not user_ids:
                break
    if purged:
        logger.info("unsuccessful applicants purged", extra={"count": purged})
        await delete_queued(ctx)
    return purged
