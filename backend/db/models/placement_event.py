from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin


class PlacementEvent(IdMixin, Base):
    """Append-only audit of a placement, from the employer's confirmation to completion or interruption: who
    did what, when, from which state to which, and why. Code only inserts; a trigger (see the migration)
    refuses UPDATE and DELETE. States are stored as text, as in application_events."""

    __tablename__ = "placement_events"
    __table_args__ = (Index("ix_placement_events_placement_id_created_at", "placement_id", "created_at"),)

    placement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("placements.id"))
    # No foreign key: the trail outlives accounts; the role says on whose behalf the actor acted.
    actor_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]
