"""Outbox delivery: claim due rows with a lease, send each by SMTP, record the outcome.

At least once: a row is claimed (state `sending`, lease) in its own committed transaction; a worker killed
mid-batch leaves rows whose lease expires and which are claimed again. The Message-ID is derived from the
row id, so a message re-sent after such a crash carries the same idempotency key downstream.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

import anyio.to_thread
from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.models import DeliveryState, Notification, User
from backend.domain.notifications.services import SECRET_KINDS
from backend.domain.notifications.templates import render
from backend.lib.clock import Clock, system_clock
from backend.lib.settings import Settings

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5


def backoff(attempt: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min: a relay outage of an hour is ridden out before a message fails."""
    return timedelta(seconds=30 * 4 ** max(attempt - 1, 0))


@dataclass(frozen=True)
class Outgoing:
    id: uuid.UUID
    kind: str
    to: str
    locale: str
    params: dict[str, object]
    link: str | None
    attempts: int
    created_at: datetime
    active: bool


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


def message_id(notification_id: uuid.UUID, settings: Settings) -> str:
    domain = settings.mail_from.rsplit("@", 1)[-1].rstrip(">").strip() or "exchange.invalid"
    return f"<{notification_id}@{domain}>"


def build_email(item: Outgoing, settings: Settings) -> EmailMessage:
    rendered = render(item.kind, item.locale, dict(item.params), item.link)
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = item.to
    msg["Subject"] = rendered.subject
    msg["Message-ID"] = message_id(item.id, settings)
    msg["Date"] = format_datetime(item.created_at)
    msg["X-Notification-Kind"] = item.kind
    msg["Content-Language"] = item.locale
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    return msg


class SmtpSender:
    """One SMTP connection per batch, opened in a thread (smtplib is blocking)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        if s.smtp_starttls:
            smtp.starttls()
        if s.smtp_username:
            smtp.login(s.smtp_username, s.smtp_password or "")
        return smtp

    def _send(self, msg: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(msg)
        except smtplib.SMTPServerDisconnected:
            self._smtp = self._connect()
            self._smtp.send_message(msg)

    async def send(self, msg: EmailMessage) -> None:
        await anyio.to_thread.run_sync(self._send, msg)

    async def close(self) -> None:
        if self._smtp is not None:
            smtp, self._smtp = self._smtp, None
            await anyio.to_thread.run_sync(_quietly_quit, smtp)


def _quietly_quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


async def claim_batch(session: AsyncSession, now: datetime, limit: int) -> list[Outgoing]:
    """Lease due rows (pending, or `sending` whose lease ran out); SKIP LOCKED keeps workers apart."""
    due = and_(
        Notification.email_state.in_([DeliveryState.PENDING, DeliveryState.SENDING]),
        Notification.next_attempt_at <= now,
    )
    ids = (
        select(Notification.id)
        .where(due)
        .order_by(Notification.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed = (
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(email_state=DeliveryState.SENDING, attempts=Notification.attempts + 1, next_attempt_at=now + LEASE)
        .returning(Notification.id)
    )
    claimed_ids = list(await session.scalars(claimed))
    if not claimed_ids:
        return []
    rows = await session.execute(
        select(Notification, User.email, User.locale, User.is_active)
        .join(User, User.id == Notification.user_id)
        .where(Notification.id.in_(claimed_ids))
        .order_by(Notification.created_at, Notification.id)
    )
    return [
        Outgoing(
            id=n.id,
            kind=n.kind,
            to=email,
            locale=locale.value,
            params=dict(n.params),
            link=n.link,
            attempts=n.attempts,
            created_at=n.created_at,
            active=active,
        )
        for n, email, locale, active in rows
    ]


async def _record(session: AsyncSession, item: Outgoing, error: str | None, now: datetime) -> str:
    values: dict[str, object]
    if not item.active:
        values = {"email_state": DeliveryState.SKIPPED, "link": None}
        outcome = "skipped"
    elif error is None:
        values = {"email_state": DeliveryState.SENT, "sent_at": now, "last_error": None}
        if item.kind in SECRET_KINDS:
            values["link"] = None  # the token has done its job; keep no copy of it
        outcome = "sent"
    elif item.attempts >= MAX_ATTEMPTS:
        values = {"email_state": DeliveryState.FAILED, "last_error": error[:500]}
        outcome = "failed"
    else:
        values = {
            "email_state": DeliveryState.PENDING,
            "last_error": error[:500],
            "next_attempt_at": now + backoff(item.attempts),
        }
        outcome = "retried"
    await session.execute(update(Notification).where(Notification.id == item.id).values(**values))
    await session.commit()
    return outcome


async def deliver_pending(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    clock: Clock = system_clock,
    batch_size: int = 100,
    max_batches: int | None = None,
    sender_factory: Callable[[Settings], SmtpSender] = SmtpSender,
) -> DeliveryReport:
    """Send every due message, batch after batch, until none is left (or max_batches)."""
    report = DeliveryReport()
    sender = sender_factory(settings)
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            async with sessionmaker() as session:
                batch = await claim_batch(session, clock(), batch_size)
                await session.commit()
                if not batch:
                    break
                batches += 1
                for item in batch:
                    error: str | None = None
                    try:
                        if item.active:
                            await sender.send(build_email(item, settings))
                    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
                        error = f"{type(exc).__name__}: {exc}"
                        await sender.close()
                    outcome = await _record(session, item, error, clock())
                    setattr(report, outcome, getattr(report, outcome) + 1)
    finally:
        await sender.close()
    return report
