from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, TimestampMixin

# NACE Rev. 2 sections: the sector vocabulary of EU statistics.
NACE_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")


class Organisation(IdMixin, TimestampMixin, Base):
    """A host employer in a member region; a coordinator of that region verifies it."""

    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("region_id", "name"),
        CheckConstraint("sector ~ '^[A-U]$'", name="nace_section"),
    )

    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    sector: Mapped[str] = mapped_column(String(1))
    city: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(String(4000))
    verified_at: Mapped[datetime | None]
    # No foreign key: users already reference organisations, and the audit trail keeps who verified.
    verified_by_id: Mapped[uuid.UUID | None]
