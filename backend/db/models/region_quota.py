from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, TimestampMixin


class RegionQuota(IdMixin, TimestampMixin, Base):
    """A region's seats for one programme year: hosting (trainees it funds) and sending (residents it sends).

    `hosted` and `sent` count placements at least accepted; the CHECK constraints make the database refuse any
    write that would exceed a quota, whatever the application code does.
    """

    __tablename__ = "region_quotas"
    __table_args__ = (
        UniqueConstraint("region_id", "programme_year"),
        CheckConstraint("programme_year BETWEEN 2000 AND 2100", name="year"),
        CheckConstraint("hosting_quota >= 0 AND sending_quota >= 0", name="non_negative"),
        CheckConstraint("hosted >= 0 AND hosted <= hosting_quota", name="hosted_within_quota"),
        CheckConstraint("sent >= 0 AND sent <= sending_quota", name="sent_within_quota"),
    )

    region_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    programme_year: Mapped[int]
    hosting_quota: Mapped[int]
    sending_quota: Mapped[int]
    hosted: Mapped[int] = mapped_column(default=0, server_default="0")
    sent: Mapped[int] = mapped_column(default=0, server_default="0")
