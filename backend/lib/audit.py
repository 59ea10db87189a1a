"""Audit trails: one inserted row per transition, by whom (offers, applications and placements each have their own
append-only table; triggers refuse UPDATE and DELETE)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import new_id
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
