"""Helpers for the worker tests: a scriptable real SMTP server, an outbox filler, a worker process launcher,
and the Message-ID census of a Maildir."""

from __future__ import annotations

import asyncio
import mailbox
import os
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import async_sessionmaker

from backend.db.base import new_id
from backend.db.models import Locale, Notification, Role, User
from backend.lib.settings import Settings
from infra.services import ports
from infra.services.smtp import read_mail

ROOT = Path(__file__).resolve().parents[2]


class ScriptedSmtp:
    """A real SMTP server (aiosmtpd, as the dev server) storing into its own Maildir, with knobs: a delay
    before each message is stored, a hook called after a message is stored and before the 250 reply, and
    optional dropping of the connection there, and replies forced per recipient (e.g. {"bounce@x": "550 No
    such user"})."""

    def __init__(
        self,
        mail_dir: Path,
        *,
        delay: float = 0.0,
        after_store: Callable[[int], None] | None = None,
        drop_after_store: Callable[[int], bool] | None = None,
        rcpt_replies: dict[str, str] | None = None,
    ) -> None:
        self.mail_dir = mail_dir
        self.delay = delay
        self.after_store = after_store
        self.drop_after_store = drop_after_store
        self.rcpt_replies = rcpt_replies or {}
        self.stored = 0
        self._lock = threading.Lock()
        self.port = ports.free_port()
        self._controller: Any = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        reply = self.rcpt_replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        content: bytes = envelope.original_content or envelope.content
        header = f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode()
        mailbox.Maildir(self.mail_dir, create=True).add(header + content)
        with self._lock:
            self.stored += 1
            count = self.stored
        if self.after_store is not None:
            self.after_store(count)
        if self.drop_after_store is not None and self.drop_after_store(count):
            server.transport.close()  # the line drops after the message was taken, before the 250
        return "250 Message accepted for delivery"

    def __enter__(self) -> ScriptedSmtp:
        mailbox.Maildir(self.mail_dir, create=True)
        self._controller = Controller(
            self, hostname=ports.HOST, port=self.port, server_hostname="localhost", ready_timeout=10
        )
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


def census(mail_dir: Path) -> Counter[tuple[str, str]]:
    """How many copies of each (Message-ID, recipient) pair the server received."""
    return Counter((str(m["Message-ID"]), str(m["To"])) for m in read_mail(mail_dir))


def stored_count(mail_dir: Path) -> int:
    new = mail_dir / "new"
    return len(os.listdir(new)) if new.is_dir() else 0


async def fill_outbox(
    sessionmaker: async_sessionmaker[Any],
    *,
    count: int,
    users: int,
    now: datetime,
    locale: Locale = Locale.EN,
    tag: str = "t",
) -> dict[uuid.UUID, str]:
    """Commit `users` recipients and `count` pending notifications spread over them; returns id -> address."""
    people = [
        {
            "id": new_id(),
            "email": f"{tag}-{n}-{uuid.uuid4().hex[:6]}@example.org",
            "full_name": f"Person {n}",
            "role": Role.APPLICANT,
            "locale": locale,
            "is_active": True,
        }
        for n in range(users)
    ]
    rows = [
        {
            "id": new_id(),
            "user_id": people[n % users]["id"],
            "kind": "application.shortlisted",
            "dedup_key": f"{tag}:{n}:{uuid.uuid4().hex}",
            "params": {"offer_title": f"Offer {n}"},
            "link": f"http://testserver.local/applications/{n}",
            "created_at": now,
            "next_attempt_at": now,
        }
        for n in range(count)
    ]
    async with sessionmaker() as session:
        await session.execute(insert(User), people)
        await session.execute(insert(Notification), rows)
        await session.commit()
    address = {p["id"]: p["email"] for p in people}
    return {row["id"]: str(address[row["user_id"]]) for row in rows}


def worker_env(settings: Settings, **overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "LOG_LEVEL": "WARNING",
        "PUBLIC_URL": settings.public_url,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SMTP_HOST": settings.smtp_host,
        "SMTP_PORT": str(settings.smtp_port),
    }
    env.update(overrides)
    return env


def spawn_worker(queue: str, env: dict[str, str], log: Path, *, now: datetime | None = None) -> subprocess.Popen[bytes]:
    """The real arq worker (workers.settings.FUNCTIONS) in burst mode, as a process of its own."""
    command = [sys.executable, "-m", "tests.workers.worker_process", queue]
    if now is not None:
        command += ["--now", now.isoformat()]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
