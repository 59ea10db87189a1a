"""A development SMTP server (aiosmtpd, in a thread of this process) that delivers every message into a
Maildir folder (data_dir/mail), where developers can read it and tests can read it back with read_mail().

Each stored message gets two headers in front: X-Envelope-From and X-Envelope-To (the SMTP envelope, which
also names Bcc recipients).
"""

from __future__ import annotations

import mailbox
import re
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from infra.services.base import Log

HOST = "127.0.0.1"


class _MaildirHandler:
    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content: bytes = envelope.original_content or envelope.content
        header = (
            f"X-Envelope-From: {envelope.mail_from}\r\nX-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        mailbox.Maildir(self.mail_dir, create=True).add(header + content)
        return "250 Message accepted for delivery"


_KEY = re.compile(r"^(\d+)\.M(\d+)P\d+Q(\d+)")


def _delivery_order(key: str) -> tuple[int, int, int, str]:
    match = _KEY.match(key)
    if match is None:
        return (0, 0, 0, key)
    seconds, micros, counter = (int(group) for group in match.groups())
    return (seconds, micros, counter, key)


def read_mail(mail_dir: Path) -> list[EmailMessage]:
    """Every message in the Maildir, oldest first, parsed with the modern email policy."""
    if not (mail_dir / "new").is_dir() and not (mail_dir / "cur").is_dir():
        return []
    box = mailbox.Maildir(mail_dir, create=False)
    parser = BytesParser(policy=policy.default)
    messages: list[EmailMessage] = []
    for key in sorted(box.keys(), key=_delivery_order):
        message = parser.parsebytes(box.get_bytes(key))
        assert isinstance(message, EmailMessage)
        messages.append(message)
    return messages


def clear_mail(mail_dir: Path) -> None:
    if (mail_dir / "new").is_dir():
        box = mailbox.Maildir(mail_dir, create=False)
        for key in list(box.keys()):
            box.discard(key)


class SmtpServer:
    name = "smtp"

    def __init__(self, mail_dir: Path, port: int, *, log: Log) -> None:
        self.mail_dir = mail_dir
        self.port = port
        self._log = log
        self._controller: Any = None

    def pid(self) -> int | None:
        return None  # runs in a thread of this process

    def is_running(self) -> bool:
        return self._controller is not None

    def stop_leftover(self) -> None:
        pass  # it lives and dies with this process

    def start(self) -> None:
        if self._controller is not None:
            return
        started = time.monotonic()
        mailbox.Maildir(self.mail_dir, create=True)
        controller = Controller(
            _MaildirHandler(self.mail_dir),
            hostname=HOST,
            port=self.port,
            server_hostname="localhost",  # the default, socket.getfqdn(), can wait on DNS
            ready_timeout=10,
            enable_SMTPUTF8=True,
        )
        controller.start()
        self._controller = controller
        self._log(
            f"smtp: started on {HOST}:{self.port} in {time.monotonic() - started:.1f} s (messages in {self.mail_dir})"
        )

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            stopping = time.monotonic()
            controller.stop()
            self._log(f"smtp: stopped in {time.monotonic() - stopping:.1f} s")
