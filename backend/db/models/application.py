from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, TimestampMixin


class ApplicationState(StrEnum):
    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    SHORTLISTED = "shortlisted"
    REJECTED = "rejected"
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


OPEN_STATES = frozenset(
    {
        ApplicationState.SUBMITTED,
        ApplicationState.ELIGIBLE,
        ApplicationState.SHORTLISTED,
        ApplicationState.PROPOSED,
        ApplicationState.ACCEPTED,
    }
)

# An applicant with an application in one of these states is spoken for in its programme year: a matching
# round neither takes them in nor proposes them a second place.
HOLDING_STATES = frozenset({ApplicationState.PROPOSED, ApplicationState.ACCEPTED, ApplicationState.CONFIRMED})


class InterviewOutcome(StrEnum):
    SCHEDULED = "scheduled"
    PASSED = "passed"
    FAILED = "failed"
    NO_SHOW = "no_show"


class Application(IdMixin, TimestampMixin, Base):
    """An applicant's application to one offer, and where it stands in the selection.

    `reserved` is true while the application holds a seat of its offer and a unit of both regions' quotas
    (from acceptance by the applicant until a release); the CHECKs tie it to the state. The home region is
    copied from the profile when applying: the sending side that validates is the one of that day.
    """

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("offer_id", "applicant_id"),
        CheckConstraint("state <> 'accepted' OR reserved", name="accepted_is_reserved"),
        CheckConstraint("NOT reserved OR state IN ('accepted', 'confirmed')", name="reserved_state"),
        CheckConstraint("home_region_id <> host_region_id", name="other_region"),
        Index("ix_applications_applicant_id_state", "applicant_id", "state"),
        Index("ix_applications_offer_id_state", "offer_id", "state"),
        Index("ix_applications_home_region_id_state", "home_region_id", "state"),
        Index("ix_applications_host_region_id_state", "host_region_id", "state"),
        Index(
            "ix_applications_answer_deadline",
            "answer_deadline",
            postgresql_where=text("state = 'proposed'"),
        ),
        Index(
            "ix_applications_confirm_deadline",
            "confirm_deadline",
            postgresql_where=text("state = 'accepted'"),
        ),
    )

    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"))
    applicant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    home_region_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"))
    host_region_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"))
    programme_year: Mapped[int]  # the year of the offer's start date: the quotas it counts against
    state: Mapped[ApplicationState] = mapped_column(
        Enum(ApplicationState, name="application_state", values_callable=lambda e: [m.value for m in e]),
        default=ApplicationState.SUBMITTED,
    )
    motivation: Mapped[str] = mapped_column(String(4000))
    applicant_rank: Mapped[int | None]
    host_rank: Mapped[int | None]
    employer_preference: Mapped[int | None]
    interview_outcome: Mapped[InterviewOutcome | None] = mapped_column(
        Enum(InterviewOutcome, name="interview_outcome", values_callable=lambda e: [m.value for m in e])
    )
    employer_note: Mapped[str | None] = mapped_column(String(2000))
    # The reason of the last refusal (ineligible, rejected, expired...), which the applicant sees.
    reason: Mapped[str | None] = mapped_column(String(2000))
    # Eligibility rule results when the application was made: [{"rule", "ok", "message"}, ...].
    eligibility: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    reserved: Mapped[bool] = mapped_column(default=False, server_default="false")
    submitted_at: Mapped[datetime]
    answer_deadline: Mapped[datetime | None]
    confirm_deadline: Mapped[datetime | None]
