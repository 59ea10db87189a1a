"""Outbox delivery: lease due rows, send each by SMTP, record each outcome.

Per row, in this order:

1. claim (one committed transaction per batch): lease up to `batch_size` due rows (pending, or `sending`
   whose lease ran out) with SELECT ... FOR UPDATE SKIP LOCKED: state `sending`, this drain's `lease_token`,
   lease expiry in `next_attempt_at`. Two workers never hold the same row.
2. start (committed before the send): an UPDATE fenced on the lease token counts the attempt, stamps
   `attempt_started_at` and renews the lease. A worker that lost its lease (it stalled past LEASE and another
   took the row) matches nothing and skips the row.
3. send: MAIL, RCPT, DATA; the Message-ID is derived from the row id (the idempotency key downstream).
4. record: sent, retry later (backoff), or failed; `attempt_started_at` cleared. It is committed together
   with the next row's start (or at the end of the batch): one commit per message, and a row's outcome is
   always durable before the next send begins.

What holds when a worker dies anywhere (SIGKILL, OOM, a job timeout): its rows stay leased until the lease
runs out, then another drain claims them. Nothing is lost. Rows it had not started are sent once. The row it
was sending (between 2 and 4) is the one whose fate is unknown: the relay may have answered 250 just before
the kill, and a generic SMTP relay cannot be asked. The claim sees `attempt_started_at` still set, counts an
`unconfirmed_attempts` and sends it again with the same Message-ID. So, exactly: every notification reaches
the relay at least once; a second copy can only exist for a row with unconfirmed_attempts > 0, and each
killed worker leaves at most one such row (a worker sends one message at a time). A connection lost during
DATA is the same case (the relay may have taken the message before the line dropped) and is counted the same
way. Mail stores that deduplicate by Message-ID show such a copy once; others show it twice.

Failures: a 4xx reply or a network error is retried with backoff; a 5xx reply to the message fails it at
once; after MAX_ATTEMPTS attempts the row is `failed` with `last_error`. When the relay cannot be reached at
all, the rest of the batch is released untouched (no attempt counted) and the drain stops.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime
from typing import Any, cast

from sqlalchemy import Table, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.base import new_id
from backend.db.models import DeliveryState, Notification, User
from backend.domain.notifications.services import SECRET_KINDS
from backend.domain.notifications.smtp import SendError, SmtpSender
from backend.domain.notifications.templates import Rendered, render
from backend.lib.clock import Clock, system_clock
from backend.lib.settings import Settings

logger = logging.getLogger("backend.notifications.delivery")

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5

# Per-message statements go to the table (Core), not through the ORM's bulk-update machinery.
OUTBOX = cast("Table", Notification.__table__)
C = OUTBOX.c


def backoff(attempt: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min: a relay outage of about 40 minutes is ridden out before a message fails."""
    return timedelta(seconds=30 * 4 ** max(attempt - 1, 0))


@dataclass(frozen=True)
class Outgoing:
    id: uuid.UUID
    kind: str
    to: str
    name: str
    locale: str
    params: dict[str, Any]
    link: str | None
    attempts: int  # attempts made before this one
    created_at: datetime
    active: bool
    recovered: bool  # a previous attempt was cut off before its outcome was recorded


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    recovered: int = 0  # rows re-claimed with an attempt of unknown outcome (possible duplicate)
    unconfirmed: int = 0  # sends whose connection dropped during DATA (possible duplicate on retry)
    lost_lease: int = 0  # rows another worker took over (this one stalled past the lease)
    deferred: int = 0  # rows released untouched because the relay was unreachable


def message_id(notification_id: uuid.UUID, settings: Settings) -> str:
    domain = settings.mail_from.rsplit("@", 1)[-1].rstrip(">").strip() or "exchange.invalid"
    return f"<{notification_id}@{domain}>"


_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP  # readable in the raw source, safe over 7-bit relays


def _headers(msg: Message, item: Outgoing, settings: Settings, rendered: Rendered) -> None:
    msg["Message-ID"] = message_id(item.id, settings)
    msg["Date"] = format_datetime(item.created_at)
    msg["Content-Language"] = rendered.language
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies
    msg["X-Notification-Kind"] = item.kind


def build_email(item: Outgoing, settings: Settings) -> Message:
    """Plain text and HTML alternatives. Built with the email package's compat32 classes, about three times
    cheaper than EmailMessage's header parsing; a non-ASCII address needs SMTPUTF8 and takes EmailMessage."""
    rendered = render(item.kind, item.locale, dict(item.params), item.link, name=item.name)
    if not (item.to.isascii() and settings.mail_from.isascii()):
        modern = EmailMessage()
        modern["From"], modern["To"], modern["Subject"] = settings.mail_from, item.to, rendered.subject
        modern.set_content(rendered.text)
        modern.add_alternative(rendered.html, subtype="html")
        _headers(modern, item, settings, rendered)  # after the parts: making them moves Content-* headers down
        return modern
    msg = MIMEMultipart("alternative")
    msg["From"] = settings.mail_from
    msg["To"] = item.to
    subject: Any = rendered.subject if rendered.subject.isascii() else Header(rendered.subject, "utf-8")
    msg["Subject"] = subject
    _headers(msg, item, settings, rendered)
    msg.attach(MIMEText(rendered.text, "plain", _UTF8_QP))  # type: ignore[arg-type]  # a Charset is accepted
    msg.attach(MIMEText(rendered.html, "html", _UTF8_QP))  # type: ignore[arg-type]
    return msg


# -- the outbox ---------------------------------------------------------------------------------------------


async def claim_batch(session: AsyncSession, now: datetime, limit: int, token: uuid.UUID) -> list[Outgoing]:
    """Lease due rows (pending, or `sending` whose lease ran out); SKIP LOCKED keeps workers apart."""
    due = and_(
        Notification.email_state.in_([DeliveryState.PENDING, DeliveryState.SENDING]),
        Notification.next_attempt_at <= now,
    )
    locked = (
        await session.execute(
            select(Notification.id, Notification.attempt_started_at)
            .where(due)
            .order_by(Notification.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not locked:
        return []
    ids = [row.id for row in locked]
    cut_off = {row.id for row in locked if row.attempt_started_at is not None}
    await session.execute(
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(
            email_state=DeliveryState.SENDING,
            lease_token=token,
            next_attempt_at=now + LEASE,
            attempt_started_at=None,
        )
    )
    if cut_off:
        await session.execute(
            update(Notification)
            .where(Notification.id.in_(cut_off))
            .values(unconfirmed_attempts=Notification.unconfirmed_attempts + 1)
        )
    rows = await session.execute(
        select(
            Notification.id,
            Notification.kind,
            Notification.params,
            Notification.link,
            Notification.attempts,
            Notification.created_at,
            User.email,
            User.full_name,
            User.locale,
            User.is_active,
        )
        .join(User, User.id == Notification.user_id)
        .where(Notification.id.in_(ids))
        .order_by(Notification.created_at, Notification.id)
    )
    return [
        Outgoing(
            id=row.id,
            kind=row.kind,
            to=row.email,
            name=row.full_name,
            locale=row.locale.value,
            params=dict(row.params),
            link=row.link,
            attempts=row.attempts,
            created_at=row.created_at,
            active=row.is_active,
            recovered=row.id in cut_off,
        )
        for row in rows
    ]


async def _start(session: AsyncSession, item: Outgoing, token: uuid.UUID, now: datetime) -> bool:
    """Count the attempt and stamp it, and commit (with the previous row's outcome) before the send; False
    if the lease is no longer ours."""
    started = await session.scalar(
        update(OUTBOX)
        .where(C.id == item.id, C.lease_token == token, C.email_state == DeliveryState.SENDING)
        .values(attempts=C.attempts + 1, attempt_started_at=now, next_attempt_at=now + LEASE)
        .returning(C.id)
    )
    await session.commit()
    return started is not None


async def _finish(session: AsyncSession, item: Outgoing, token: uuid.UUID | None, values: dict[str, Any]) -> bool:
    """Record an outcome and end the lease, uncommitted: the next row's start (or the end of the batch)
    commits it, so it is durable before any other send begins, at one commit per message.

    A send the relay took is recorded whoever holds the row now (token None), so a worker that took over
    too late does not send it again; other outcomes are fenced on the lease."""
    fence = (
        C.lease_token == token
        if token is not None
        else C.email_state.in_([DeliveryState.PENDING, DeliveryState.SENDING])
    )
    done = await session.scalar(
        update(OUTBOX)
        .where(C.id == item.id, fence)
        .values(lease_token=None, attempt_started_at=None, **values)
        .returning(C.id)
    )
    return done is not None


async def _release(session: AsyncSession, items: list[Outgoing], token: uuid.UUID, at: datetime) -> int:
    """Give back leased rows that were not attempted (no attempt counted); commits the pending outcome too."""
    count = 0
    if items:
        released = await session.scalars(
            update(OUTBOX)
            .where(C.id.in_([i.id for i in items]), C.lease_token == token)
            .values(email_state=DeliveryState.PENDING, lease_token=None, next_attempt_at=at)
            .returning(C.id)
        )
        count = len(list(released))
    await session.commit()
    return count


async def _record_failure(
    session: AsyncSession,
    item: Outgoing,
    token: uuid.UUID,
    exc: SendError,
    attempt: int,
    now: datetime,
    report: DeliveryReport,
) -> None:
    values: dict[str, Any] = {"last_error": str(exc)[:500]}
    if exc.unconfirmed:
        values["unconfirmed_attempts"] = C.unconfirmed_attempts + 1
        report.unconfirmed += 1
    if exc.permanent or attempt >= MAX_ATTEMPTS:
        values["email_state"] = DeliveryState.FAILED
    else:
        values |= {"email_state": DeliveryState.PENDING, "next_attempt_at": now + backoff(attempt)}
    if not await _finish(session, item, token, values):
        report.lost_lease += 1
    elif values["email_state"] is DeliveryState.FAILED:
        report.failed += 1
    else:
        report.retried += 1


def _prepare(item: Outgoing, settings: Settings) -> Message | str:
    """The message, or why it cannot be built (it would not render any better next time)."""
    try:
        return build_email(item, settings)
    except (ValueError, TypeError, LookupError) as exc:
        return f"cannot build: {exc}"[:500]


async def _deliver_one(
    session: AsyncSession,
    sender: SmtpSender,
    item: Outgoing,
    msg: Message | str,
    clock: Clock,
    token: uuid.UUID,
    report: DeliveryReport,
) -> bool:
    """Send one leased row, record and count the outcome; True when the relay could not be reached."""
    if item.recovered:
        logger.warning("re-sending a message whose last attempt was cut off", extra={"notification": str(item.id)})
    if not item.active:
        await _finish(session, item, token, {"email_state": DeliveryState.SKIPPED, "link": None})
        report.skipped += 1
        return False
    if item.attempts >= MAX_ATTEMPTS:  # only when the last attempt was cut off before its outcome was known
        error = f"gave up after {item.attempts} attempts; the outcome of the last one is unknown"
        await _finish(session, item, token, {"email_state": DeliveryState.FAILED, "last_error": error})
        report.failed += 1
        return False
    if isinstance(msg, str):
        await _finish(session, item, token, {"email_state": DeliveryState.FAILED, "last_error": msg})
        report.failed += 1
        return False
    if not await _start(session, item, token, clock()):
        report.lost_lease += 1
        return False
    attempt = item.attempts + 1
    try:
        await sender.send(msg)
    except SendError as exc:
        await sender.close()
        await _record_failure(session, item, token, exc, attempt, clock(), report)
        return exc.unreachable
    values: dict[str, Any] = {"email_state": DeliveryState.SENT, "sent_at": clock(), "last_error": None}
    if item.kind in SECRET_KINDS:
        values["link"] = None  # the token has done its job; keep no copy of it
    await _finish(session, item, None, values)
    report.sent += 1
    return False


async def deliver_pending(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    clock: Clock = system_clock,
    batch_size: int = 100,
    max_batches: int | None = None,
    stop_after_seconds: float | None = None,
    sender_factory: Callable[[Settings], SmtpSender] = SmtpSender,
) -> DeliveryReport:
    """Send every due message, batch after batch, until none is left (or max_batches, or the time budget:
    no new batch is claimed after stop_after_seconds of wall time, so a job ends before its timeout)."""
    report = DeliveryReport()
    sender = sender_factory(settings)
    token = new_id()  # this drain's lease
    started = time.monotonic()
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            if stop_after_seconds is not None and time.monotonic() - started > stop_after_seconds:
                break
            async with sessionmaker() as session:
                batch = await claim_batch(session, clock(), batch_size, token)
                await session.commit()
                if not batch:
                    break
                batches += 1
                report.recovered += sum(item.recovered for item in batch)
                # Rendered up front, so that between a 250 and the commit recording it no CPU work intervenes.
                messages = [_prepare(item, settings) for item in batch]
                for position, (item, msg) in enumerate(zip(batch, messages, strict=True)):
                    if await _deliver_one(session, sender, item, msg, clock, token, report):
                        rest = batch[position + 1 :]
                        report.deferred += await _release(session, rest, token, clock() + backoff(1))
                        return report
                await session.commit()  # the last outcome of the batch
    finally:
        await sender.close()
    return report
