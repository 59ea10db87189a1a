from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base


class CefrLevel(StrEnum):
    """Common European Framework of Reference levels; the PostgreSQL enum keeps this order, so `<=` works."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        return list(CefrLevel).index(self)


class OfferLanguage(Base):
    """A language an offer requires, at a minimum CEFR level (one row per language, for indexed filtering)."""

    __tablename__ = "offer_languages"
    __table_args__ = (Index("ix_offer_languages_language_level", "language", "level", "offer_id"),)

    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(3), primary_key=True)
    level: Mapped[CefrLevel] = mapped_column(
        Enum(CefrLevel, name="cefr_level", values_callable=lambda e: [m.value for m in e])
    )
