"""The application's audit trail (insert-only; the table's trigger refuses UPDATE and DELETE) and the
notifications that go with its transitions, written in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Application, ApplicationEvent, ApplicationState
from backend.domain.notifications.services import notify
from backend.lib.audit import Actor, add_event


def record_event(
    session: AsyncSession,
    application: Application,
    *,
    actor: Actor,
    action: str,
    from_state: ApplicationState | None,
    to_state: ApplicationState,
    reason: str | None,
    now: datetime,
) -> uuid.UUID:
    return add_event(
        session,
        ApplicationEvent,
        application_id=application.id,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        now=now,
    )


# The kind the applicant is told when their application reaches a state (see notifications' catalog).
APPLICANT_KINDS: dict[ApplicationState, str] = {
    ApplicationState.ELIGIBLE: "application.validated",
    ApplicationState.INELIGIBLE: "application.ineligible",
    ApplicationState.SHORTLISTED: "application.shortlisted",
    ApplicationState.REJECTED: "application.rejected",
    ApplicationState.PROPOSED: "application.proposed",
    ApplicationState.EXPIRED: "application.expired",
}


async def tell(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    kind: str,
    event_id: uuid.UUID,
    params: dict[str, Any],
    link: str,
    now: datetime,
) -> None:
    """One notification per person and event (the dedup key names both)."""
    await notify(
        session,
        user_id=user_id,
        kind=kind,
        dedup_key=f"{kind}:{event_id}:{user_id}",
        params=params,
        link=link,
        now=now,
    )
