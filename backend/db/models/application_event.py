from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin


class ApplicationEvent(IdMixin, Base):
    """Append-only audit of an application: who did what, when, from which state to which, and why.

    Code only inserts; a trigger (see the migration) refuses UPDATE and DELETE. States are stored as text so
    the trail stays readable whatever becomes of the state enum.
    """

    __tablename__ = "application_events"
    __table_args__ = (Index("ix_application_events_application_id_created_at", "application_id", "created_at"),)

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"))
    # No foreign key: the trail outlives accounts; the role says on whose behalf the actor acted.
    actor_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]
