from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, TimestampMixin


class EmploymentStatus(StrEnum):
    JOB_SEEKER = "job_seeker"
    RECENT_GRADUATE = "recent_graduate"
    STUDENT = "student"
    EMPLOYED = "employed"
    OTHER = "other"


class Sex(StrEnum):
    """As the applicant chooses to state it (optional): used only in anonymous statistics."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class ApplicantProfile(TimestampMixin, Base):
    """What an applicant tells about themself; eligibility is computed from it and the home region's rules.

    The row is also the applicant's lock: applying, accepting and withdrawing take it FOR UPDATE, so one
    applicant's concurrent requests run one after the other (the open-applications limit holds).
    """

    __tablename__ = "applicant_profiles"
    __table_args__ = (CheckConstraint("eqf_level BETWEEN 1 AND 8", name="eqf_level"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date]
    home_region_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    resident_since: Mapped[date]
    # [{"language": "fr", "level": "B2"}, ...], validated by the API's Struct.
    languages: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    eqf_level: Mapped[int]
    employment_status: Mapped[EmploymentStatus] = mapped_column(
        Enum(EmploymentStatus, name="employment_status", values_callable=lambda e: [m.value for m in e])
    )
    sex: Mapped[Sex | None] = mapped_column(Enum(Sex, name="sex", values_callable=lambda e: [m.value for m in e]))
    presentation: Mapped[str] = mapped_column(String(2000), default="")
    completed_at: Mapped[datetime]
