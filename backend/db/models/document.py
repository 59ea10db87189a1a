from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Enum, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, utcnow


class DocumentKind(StrEnum):
    CV = "cv"
    AGREEMENT = "agreement"
    REPORT = "report"


class Document(IdMixin, Base):
    """One stored file version. The object key is random: it says nothing about the person."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("owner_id", "kind", "version"),
        CheckConstraint("size_bytes > 0", name="not_empty"),
    )

    # RESTRICT: rows go through discard_documents_of(), which queues their objects for deletion too.
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    kind: Mapped[DocumentKind] = mapped_column(
        Enum(DocumentKind, name="document_kind", values_callable=lambda e: [m.value for m in e])
    )
    version: Mapped[int]
    object_key: Mapped[str] = mapped_column(String(200), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ObjectDeletion(Base):
    """Objects to remove from the bucket: written in the transaction that drops their rows, so a storage
    outage after the commit leaves a record to retry instead of an orphan nobody knows about."""

    __tablename__ = "object_deletions"

    object_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
