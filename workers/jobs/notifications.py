from __future__ import annotations

import logging
from typing import Any

from backend.domain.notifications.delivery import deliver_pending as deliver
from backend.lib.db import Database

logger = logging.getLogger("workers.notifications")


async def deliver_pending(ctx: dict[str, Any]) -> dict[str, int]:
    """Drain the outbox. Runs from cron every minute and when the API nudges after a commit."""
    database: Database = ctx["database"]
    report = await deliver(database.sessionmaker, ctx["settings"], clock=ctx["clock"])
    if report.sent or report.failed or report.retried:
        logger.info("outbox drained", extra=vars(report))
    return vars(report)
