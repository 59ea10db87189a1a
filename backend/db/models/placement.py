from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, TimestampMixin


class PlacementState(StrEnum):
    CONFIRMED = "confirmed"
    AGREEMENT_SIGNED = "agreement_signed"
    STARTED = "started"
    MIDTERM_REVIEWED = "midterm_reviewed"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"


class Placement(IdMixin, TimestampMixin, Base):
    """A traineeship that takes place: created when the employer confirms an accepted application.

    Region, year and dates are copied from the application and its offer, so statistics read one table.
    """

    __tablename__ = "placements"
    __table_args__ = (
        Index("ix_placements_host_region_id_programme_year", "host_region_id", "programme_year"),
        Index("ix_placements_home_region_id_programme_year", "home_region_id", "programme_year"),
    )

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"), unique=True)
    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"), index=True)
    applicant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    host_region_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"))
    home_region_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"))
    programme_year: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date]
    state: Mapped[PlacementState] = mapped_column(
        Enum(PlacementState, name="placement_state", values_callable=lambda e: [m.value for m in e]),
        default=PlacementState.CONFIRMED,
    )
    confirmed_at: Mapped[datetime]
    confirmed_by_id: Mapped[uuid.UUID | None]
    state_reason: Mapped[str | None] = mapped_column(String(2000))
