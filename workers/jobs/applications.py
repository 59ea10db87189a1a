from __future__ import annotations

import logging
from typing import Any

from backend.domain.applications.workflow import expire_unanswered_proposals as expire_proposals
from backend.domain.applications.workflow import expire_unconfirmed_acceptances as expire_acceptances
from workers.context import job_session, nudge_delivery

logger = logging.getLogger("workers.applications")


async def expire_unanswered_proposals(ctx: dict[str, Any]) -> int:
    """Expire proposals the applicant did not answer by the deadline (the reason is recorded and told)."""
    async with job_session(ctx) as (session, now):
        expired = await expire_proposals(session, now, ctx["settings"])
        await session.commit()
    if expired:
        logger.info("unanswered proposals expired", extra={"count": expired})
        await nudge_delivery(ctx)
    return expired


async def expire_unconfirmed_acceptances(ctx: dict[str, Any]) -> int:
    """Expire accepted proposals the employer did not confirm by the deadline (seat and quota go back)."""
    async with job_session(ctx) as (session, now):
        expired = await expire_acceptances(session, now, ctx["settings"])
        await session.commit()
    if expired:
        logger.info("unconfirmed acceptances expired", extra={"count": expired})
        await nudge_delivery(ctx)
    return expired
