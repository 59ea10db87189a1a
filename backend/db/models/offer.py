from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Computed, Enum, ForeignKey, Index, Numeric, String, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db.base import Base, IdMixin, TimestampMixin

if TYPE_CHECKING:  # the relationship's target; the ORM resolves it by name at runtime
    from backend.db.models.offer_language import OfferLanguage


class OfferState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


# Title (weight A) and description (weight B), with the language-neutral 'simple' configuration: offers are
# written in many languages, and an English stemmer would mangle French or Portuguese words.
SEARCH_EXPRESSION = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B')"
)
PUBLISHED = text("state = 'published'")


class Offer(IdMixin, TimestampMixin, Base):
    """A traineeship offer of a host organisation, in the organisation's region.

    `seats_taken` counts the applications that hold a seat (accepted by the applicant or confirmed by the
    employer); the CHECK makes the database refuse a write that would overbook the offer, so concurrent
    acceptances for the last seat cannot all succeed. The application deadline is a UTC timestamp.
    """

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("duration_months BETWEEN 3 AND 7", name="duration"),
        CheckConstraint("seats BETWEEN 1 AND 100", name="seats"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= seats", name="seats_within_capacity"),
        CheckConstraint("monthly_grant >= 0", name="grant_non_negative"),
        CheckConstraint("sector ~ '^[A-U]$'", name="nace_section"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        Index("ix_offers_search_vector", "search_vector", postgresql_using="gin"),
        # Public search reads published offers only: partial indexes per sort order and frequent filter, the
        # filter columns included so that counting the matches is an index-only scan.
        Index(
            "ix_offers_published_start_date",
            "start_date",
            "id",
            postgresql_where=PUBLISHED,
            postgresql_include=["application_deadline", "region_id", "sector", "duration_months"],
        ),
        Index("ix_offers_published_deadline", "application_deadline", "id", postgresql_where=PUBLISHED),
        Index("ix_offers_published_published_at", "published_at", "id", postgresql_where=PUBLISHED),
        Index("ix_offers_published_grant", "monthly_grant", "id", postgresql_where=PUBLISHED),
        Index(
            "ix_offers_published_region",
            "region_id",
            "start_date",
            postgresql_where=PUBLISHED,
            postgresql_include=["application_deadline", "sector", "duration_months"],
        ),
        Index(
            "ix_offers_published_sector",
            "sector",
            "start_date",
            postgresql_where=PUBLISHED,
            postgresql_include=["application_deadline", "region_id", "duration_months"],
        ),
        Index("ix_offers_region_state", "region_id", "state"),
        Index("ix_offers_organisation_state", "organisation_id", "state"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    region_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(8000))
    tasks: Mapped[str] = mapped_column(String(4000))
    sector: Mapped[str] = mapped_column(String(1))
    duration_months: Mapped[int]
    start_date: Mapped[date]
    seats: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    monthly_grant: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR", server_default="EUR")
    language_course: Mapped[bool] = mapped_column(default=True)
    housing_help: Mapped[bool] = mapped_column(default=False)
    application_deadline: Mapped[datetime]
    state: Mapped[OfferState] = mapped_column(
        Enum(OfferState, name="offer_state", values_callable=lambda e: [m.value for m in e]),
        default=OfferState.DRAFT,
    )
    # The reason of the last send-back or withdrawal, shown to the employer.
    state_reason: Mapped[str | None] = mapped_column(String(2000))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    search_vector: Mapped[Any] = mapped_column(TSVECTOR, Computed(SEARCH_EXPRESSION, persisted=True), deferred=True)

    languages: Mapped[list[OfferLanguage]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="OfferLanguage.language"
    )
