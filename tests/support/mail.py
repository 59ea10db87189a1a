from __future__ import annotations

import email
import email.policy
import mailbox
import re
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.domain.notifications.delivery import DeliveryReport, deliver_pending
from backend.lib.settings import Settings
from tests.support.clock import FrozenClock


def messages_to(mail_dir: Path, address: str, subject: str | None = None) -> list[EmailMessage]:
    """Every message the dev SMTP server received for an address, oldest first."""
    box = mailbox.Maildir(mail_dir, create=False)
    found = []
    for key in box.iterkeys():
        with box.get_file(key) as fh:
            msg = email.message_from_binary_file(fh, policy=email.policy.default)
        if address.lower() in str(msg["To"]).lower() and subject in (None, msg["Subject"]):
            found.append(msg)
    found.sort(key=lambda m: str(m["Date"]))
    return found  # type: ignore[return-value]


def text_part(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def token_from(msg: EmailMessage) -> str:
    match = re.search(r"token=([A-Za-z0-9_\-]+)", text_part(msg))
    assert match, "no token link in the message"
    return match.group(1)


async def deliver(db: async_sessionmaker[AsyncSession], settings: Settings, clock: FrozenClock) -> DeliveryReport:
    """Run the outbox worker's delivery step against the real SMTP server."""
    return await deliver_pending(db, settings, clock=clock)
