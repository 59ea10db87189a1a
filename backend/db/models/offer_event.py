from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin


class OfferEvent(IdMixin, Base):
    """Append-only audit of an offer's transitions (a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "offer_events"
    __table_args__ = (Index("ix_offer_events_offer_id_created_at", "offer_id", "created_at"),)

    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id"))
    # No foreign key: the trail outlives accounts; the role says on whose behalf the actor acted.
    actor_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]
