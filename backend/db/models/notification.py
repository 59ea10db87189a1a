from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, utcnow


class DeliveryState(StrEnum):
    PENDING = "pending"  # due at next_attempt_at
    SENDING = "sending"  # leased by a worker until next_attempt_at (lease_token names the lease)
    SENT = "sent"  # the relay answered 250
    FAILED = "failed"  # refused for good, or MAX_ATTEMPTS tries failed: visible, not retried
    SKIPPED = "skipped"  # the recipient's account is deactivated


class Notification(IdMixin, Base):
    """The transactional outbox: written with the change it reports, delivered at least once by a worker.

    `dedup_key` makes a repeated event a no-op (one message per person and event); the e-mail's Message-ID is
    derived from the row id, the idempotency key a re-sent copy carries downstream.

    Delivery bookkeeping (see backend.domain.notifications.delivery): a worker leases a row (`sending`,
    `lease_token`, lease expiry in `next_attempt_at`); `attempt_started_at` is committed right before each SMTP
    transaction and cleared with its outcome, so a row found leased and still "started" after its lease ran
    out is one whose last send may or may not have reached the relay; `unconfirmed_attempts` counts those.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index(
            "ix_notifications_due",
            "next_attempt_at",
            postgresql_where=text("email_state IN ('pending', 'sending')"),
        ),
        Index("ix_notifications_user_unread", "user_id", "created_at", postgresql_where=text("read_at IS NULL")),
        # A person's notifications, newest first (and the foreign key's index).
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    email_state: Mapped[DeliveryState] = mapped_column(
        Enum(DeliveryState, name="delivery_state", values_callable=lambda e: [m.value for m in e]),
        default=DeliveryState.PENDING,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_token: Mapped[uuid.UUID | None]
    attempt_started_at: Mapped[datetime | None]
    unconfirmed_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))


MAX_REMINDERS = 2


class Reminder(IdMixin, Base):
    """The log of reminders: one row per reminder sent about an item (an application or a placement), by the
    deadline job (requested_by_id NULL) or by a coordinator's "remind now". The unique (kind, subject, number)
    and the CHECK cap reminders at MAX_REMINDERS per item and kind, even when two workers race."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "number"),
        CheckConstraint(f"number BETWEEN 1 AND {MAX_REMINDERS}", name="capped"),
    )

    kind: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[uuid.UUID]  # an application's or a placement's id (no foreign key: either table)
    number: Mapped[int]
    sent_at: Mapped[datetime]
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recipients: Mapped[int]
