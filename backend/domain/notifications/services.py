"""The outbox writer (notify: a row added in the caller's transaction, with the change it reports) and the
in-app side of notifications (a person's list, unread count, marking read)."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Notification
from backend.domain.notifications.schemas import NotificationOut, NotificationPage
from backend.domain.notifications.templates import canonical, summarize
from backend.lib.errors import InvalidInput, NotFound

# Kinds whose link holds a secret: e-mail only, never listed in the app, and the secret is scrubbed once sent.
SECRET_KINDS = frozenset({"account.verify_email", "account.reset_password", "account.invitation"})


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


async def notify(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    kind: str,
    dedup_key: str,
    params: dict[str, Any] | None = None,
    link: str | None = None,
    now: datetime,
) -> None:
    """Queue a message for a person; a repeated dedup_key is ignored, so an event is told once.

    The kinds and the params each expects are listed in templates/catalog.py; dates, datetimes, UUIDs and
    decimals in params are stored as strings (ISO 8601 for dates).
    """
    await session.execute(
        insert(Notification)
        .values(
            user_id=user_id,
            kind=kind,
            dedup_key=dedup_key,
            params={key: _json_safe(value) for key, value in (params or {}).items()},
            link=link,
            created_at=now,
            next_attempt_at=now,
        )
        .on_conflict_do_nothing(index_elements=["dedup_key"])
    )


# -- in-app -------------------------------------------------------------------------------------------------


def _listed(user_id: uuid.UUID) -> ColumnElement[bool]:
    return and_(Notification.user_id == user_id, Notification.kind.not_in(SECRET_KINDS))


def notification_out(notification: Notification, locale: str) -> NotificationOut:
    words = summarize(notification.kind, locale, notification.params)
    return NotificationOut(
        id=notification.id,
        kind=canonical(notification.kind),
        title=words.title,
        summary=words.summary,
        params=notification.params,
        link=notification.link,
        created_at=notification.created_at,
        read_at=notification.read_at,
    )


def _encode_cursor(created_at: datetime, notification_id: uuid.UUID) -> str:
    raw = msgspec.json.encode([created_at.isoformat(), str(notification_id)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, notification_id = msgspec.json.decode(raw, type=tuple[str, str])
        return datetime.fromisoformat(created_at), uuid.UUID(notification_id)
    except (ValueError, binascii.Error, msgspec.DecodeError):
        raise InvalidInput("This cursor is not valid; start again from the first page.", field="cursor") from None


async def unread_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Notification).where(_listed(user_id), Notification.read_at.is_(None))
    )
    return count or 0


async def list_for_user(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    locale: str,
    limit: int,
    cursor: str | None,
    unread_only: bool,
) -> NotificationPage:
    """Newest first, keyset-paged on (created_at, id), so a notification arriving meanwhile shifts nothing."""
    query = select(Notification).where(_listed(user_id))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if cursor is not None:
        created_at, after_id = _decode_cursor(cursor)
        query = query.where(
            or_(
                Notification.created_at < created_at,
                and_(Notification.created_at == created_at, Notification.id < after_id),
            )
        )
    rows = list(
        await session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit + 1))
    )
    next_cursor = _encode_cursor(rows[limit - 1].created_at, rows[limit - 1].id) if len(rows) > limit else None
    return NotificationPage(
        items=[notification_out(n, locale) for n in rows[:limit]],
        unread_count=await unread_count(session, user_id),
        next_cursor=next_cursor,
    )


async def mark_read(
    session: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID, now: datetime
) -> Notification:
    """Idempotent (the first reading time stays); another person's notification is a 404, not a 403."""
    notification = await session.scalar(
        update(Notification)
        .where(_listed(user_id), Notification.id == notification_id)
        .values(read_at=func.coalesce(Notification.read_at, now))
        .returning(Notification)
        .execution_options(populate_existing=True)
    )
    if notification is None:
        raise NotFound("No such notification.")
    return notification


async def mark_all_read(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> int:
    """Mark every unread notification read; returns how many were marked."""
    marked = await session.scalars(
        update(Notification)
        .where(_listed(user_id), Notification.read_at.is_(None))
        .values(read_at=now)
        .returning(Notification.id)
    )
    return len(list(marked))
