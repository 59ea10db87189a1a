"""The outbox writer: a notification row is added in the same transaction as the change it reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Notification

# Kinds whose link holds a secret: e-mail only, never listed in the app, and the secret is scrubbed once sent.
SECRET_KINDS = frozenset({"account.verify_email", "account.reset_password", "account.invitation"})


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
    """Queue a message for a person; a repeated dedup_key is ignored, so an event is told once."""
    await session.execute(
        insert(Notification)
        .values(
            user_id=user_id,
            kind=kind,
            dedup_key=dedup_key,
            params=params or {},
            link=link,
            created_at=now,
            next_attempt_at=now,
        )
        .on_conflict_do_nothing(index_elements=["dedup_key"])
    )
