from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, TimestampMixin


class Region(IdMixin, TimestampMixin, Base):
    """A member region: it both sends its residents and hosts trainees. Eligibility bounds are its own."""

    __tablename__ = "regions"
    __table_args__ = (
        CheckConstraint("min_age >= 16 AND max_age <= 40 AND min_age <= max_age", name="age_bounds"),
        CheckConstraint("min_residence_months >= 0 AND min_residence_months <= 120", name="residence"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country_code"),
    )

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_local: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(3)), default=list)
    participating: Mapped[bool] = mapped_column(default=True)
    min_age: Mapped[int] = mapped_column(default=18)
    max_age: Mapped[int] = mapped_column(default=30)
    min_residence_months: Mapped[int] = mapped_column(default=0)
    min_eqf_level: Mapped[int] = mapped_column(default=4)
