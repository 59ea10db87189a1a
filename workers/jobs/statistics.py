from __future__ import annotations

import logging
from typing import Any

from backend.domain.statistics.views import refresh
from workers.context import job_session

logger = logging.getLogger("workers.statistics")


async def refresh_statistics(ctx: dict[str, Any]) -> str:
    """Rebuild the statistics views (CONCURRENTLY: readers keep the previous figures meanwhile)."""
    async with job_session(ctx) as (session, now):
        await refresh(session, now)
        await session.commit()
    logger.info("statistics views refreshed")
    return now.isoformat()
