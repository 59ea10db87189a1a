from __future__ import annotations

import logging
from typing import Any

from backend.domain.notifications.delivery import deliver_pending as deliver
from backend.domain.notifications.reminders import send_due_reminders
from backend.lib.db import Database
from workers.context import job_session, nudge_delivery

logger = logging.getLogger("workers.notifications")

# No new batch after this much wall time, so a drain ends well before the job timeout (WorkerSettings:
# 300 s) instead of being cancelled mid-send; the next run carries on.
DRAIN_BUDGET_SECONDS = 240.0


async def deliver_pending(ctx: dict[str, Any]) -> dict[str, int]:
    """Drain the outbox. Runs from cron every minute and when the API or a job nudges after a commit."""
    database: Database = ctx["database"]
    report = await deliver(
        database.sessionmaker, ctx["settings"], clock=ctx["clock"], stop_after_seconds=DRAIN_BUDGET_SECONDS
    )
    if any(vars(report).values()):
        logger.info("outbox drained", extra=vars(report))
    return vars(report)


async def send_reminders(ctx: dict[str, Any]) -> int:
    """Send the reminders that are due (capped, never to someone who has acted); hourly."""
    async with job_session(ctx) as (session, now):
        sent = await send_due_reminders(session, now, ctx["settings"])
        await session.commit()
    if sent:
        logger.info("reminders sent", extra={"count": sent})
        await nudge_delivery(ctx)
    return sent
