"""The offer's audit trail: one inserted row per transition (the table refuses UPDATE and DELETE)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import new_id
from backend.db.models import OfferEvent, OfferState, Role, User, coordinator_regions
from backend.lib.auth import Identity


@dataclass(frozen=True)
class Actor:
    """Who acts: a person (id and role) or the system (deadlines, cascades)."""

    user_id: uuid.UUID | None
    role: str

    @classmethod
    def of(cls, identity: Identity) -> Actor:
        return cls(identity.user_id, identity.role.value)


SYSTEM = Actor(None, "system")


def add_event(
    session: AsyncSession,
    model: Callable[..., object],
    *,
    actor: Actor,
    action: str,
    from_state: StrEnum | None,
    to_state: StrEnum,
    reason: str | None,
    now: datetime,
    **subject: uuid.UUID,
) -> uuid.UUID:
    """Add one row to an audit trail (offer, application or placement events: `subject` names the row it is
    about); its id names the event in notifications' dedup keys."""
    event_id = new_id()
    session.add(
        model(
            id=event_id,
            actor_id=actor.user_id,
            actor_role=actor.role,
            action=action,
            from_state=from_state.value if from_state else None,
            to_state=to_state.value,
            reason=reason,
            created_at=now,
            **subject,
        )
    )
    return event_id


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
