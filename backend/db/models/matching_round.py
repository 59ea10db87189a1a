from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin


class RoundState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    DISCARDED = "discarded"


class MatchingRound(IdMixin, Base):
    """A matching round: its stored engine input (reproducible), the result of both policies, its fate."""

    __tablename__ = "matching_rounds"
    __table_args__ = (
        CheckConstraint("policy IN ('stable', 'balanced')", name="policy"),
        CheckConstraint("tolerance >= 0", name="tolerance"),
        Index("ix_matching_rounds_region_year", "region_id", "programme_year"),
    )

    programme_year: Mapped[int]
    region_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"))
    policy: Mapped[str] = mapped_column(String(16))
    tolerance: Mapped[int]
    state: Mapped[RoundState] = mapped_column(
        Enum(RoundState, name="round_state", values_callable=lambda e: [m.value for m in e]), default=RoundState.DRAFT
    )
    input_snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    input_hash: Mapped[str] = mapped_column(String(64))
    diagnostics: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    published_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]
    answer_deadline: Mapped[datetime | None]
    publish_report: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class RoundAssignment(IdMixin, Base):
    """One proposal of a round: from the engine, or added by hand; `removed` when a coordinator takes it out."""

    __tablename__ = "round_assignments"
    __table_args__ = (UniqueConstraint("round_id", "application_id"),)

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matching_rounds.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    applicant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(8))  # "engine" or "manual"
    removed: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(200))  # at publication: "proposed" or why it was dropped


class RoundEdit(IdMixin, Base):
    """A hand edit of a draft round, with who, when and why (append-only)."""

    __tablename__ = "round_edits"

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matching_rounds.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(8))  # "add" or "remove"
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime]
