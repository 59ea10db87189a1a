from __future__ import annotations

import logging
from typing import Any

from backend.domain.offers.services import close_expired_offers as close_expired
from workers.context import job_session, nudge_delivery

logger = logging.getLogger("workers.offers")


async def close_expired_offers(ctx: dict[str, Any]) -> int:
    """Close published offers whose application deadline has passed (the employers are told)."""
    async with job_session(ctx) as (session, now):
        closed = await close_expired(session, now, ctx["settings"])
        await session.commit()
    if closed:
        logger.info("offers closed at their deadline", extra={"count": closed})
        await nudge_delivery(ctx)
    return closed
