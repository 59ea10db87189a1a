from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base


class StatisticsRefresh(Base):
    """One row: when the statistics views were last rebuilt, shown beside every figure as its as-of time."""

    __tablename__ = "statistics_refresh"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    refreshed_at: Mapped[datetime]
