from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from backend.lib.schemas import Output


class NotificationOut(Output):
    """One in-app notification. `title` and `summary` are rendered in the reader's language from the same
    texts as the e-mail; `kind` and `params` are there for a UI that words or decorates them itself."""

    id: uuid.UUID
    kind: str
    title: str
    summary: str
    params: dict[str, Any]
    link: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Output):
    items: list[NotificationOut]
    unread_count: int
    next_cursor: str | None = None


class UnreadCount(Output):
    unread_count: int


class ReadAllOut(Output):
    marked: int
    unread_count: int


class ReminderOut(Output):
    kind: str
    number: int
    sent_at: datetime
    automatic: bool
    requested_by_id: uuid.UUID | None
    recipients: int


class ReminderStatus(Output):
    """Reminders about one application or placement. `kind` is what "remind now" would send in its current
    state (None: nothing is awaited from anyone); `sent` and `last_sent_at` count that kind."""

    subject_id: uuid.UUID
    kind: str | None
    sent: int
    limit: int
    last_sent_at: datetime | None
    can_remind_now: bool
    history: list[ReminderOut]
