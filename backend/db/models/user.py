from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Enum, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db.base import Base, IdMixin, TimestampMixin
from backend.db.models.region import Region


class Role(StrEnum):
    APPLICANT = "applicant"
    COORDINATOR = "coordinator"
    EMPLOYER = "employer"
    CHAIR = "chair"
    ADMIN = "admin"


class Locale(StrEnum):
    EN = "en"
    FR = "fr"


coordinator_regions = Table(
    "coordinator_regions",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True, index=True),
)


# An erased account keeps its row (audit trails point at it) under an address of this reserved domain.
ERASED_EMAIL_DOMAIN = "erased.invalid"


class User(IdMixin, TimestampMixin, Base):
    """An account. One role; a coordinator's regions and an employer's organisation give its scope."""

    __tablename__ = "users"
    # Stored lower-cased (the service normalises), so a plain unique index serves look-ups.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Enum(Role, name="role", values_callable=lambda e: [m.value for m in e]))
    locale: Mapped[Locale] = mapped_column(
        Enum(Locale, name="locale", values_callable=lambda e: [m.value for m in e]), default=Locale.EN
    )
    email_verified_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )

    regions: Mapped[list[Region]] = relationship(secondary=coordinator_regions, lazy="raise")

    @property
    def erased(self) -> bool:
        """Erased by its owner (privacy): anonymised for good, never to be reactivated."""
        return self.email.endswith("@" + ERASED_EMAIL_DOMAIN)
