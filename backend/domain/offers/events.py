"""The offer's audit trail (one inserted row per transition, lib/audit.py) and who is told about an offer."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import OfferEvent, OfferState, Role, User, coordinator_regions
from backend.lib.audit import Actor, add_event


def record_offer_event(
    session: AsyncSession,
    offer_id: uuid.UUID,
    *,
    actor: Actor,
    action: str,
    from_state: OfferState | None,
    to_state: OfferState,
    reason: str | None,
    now: datetime,
) -> uuid.UUID:
    return add_event(
        session,
        OfferEvent,
        offer_id=offer_id,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        now=now,
    )


async def coordinators_of(session: AsyncSession, region_id: uuid.UUID) -> list[uuid.UUID]:
    """The active coordinators of a region: who is told about its offers and decisions."""
    rows = await session.scalars(
        select(User.id)
        .join(coordinator_regions, coordinator_regions.c.user_id == User.id)
        .where(coordinator_regions.c.region_id == region_id, User.is_active.is_(True))
        .order_by(User.id)
    )
    return list(rows)


async def employers_of(session: AsyncSession, organisation_id: uuid.UUID) -> list[uuid.UUID]:
    """The active employer accounts of an organisation."""
    rows = await session.scalars(
        select(User.id)
        .where(User.organisation_id == organisation_id, User.role == Role.EMPLOYER, User.is_active.is_(True))
        .order_by(User.id)
    )
    return list(rows)
