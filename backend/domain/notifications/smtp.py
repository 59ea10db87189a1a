"""Sending one message over SMTP, and telling apart what the relay refused, what never reached it, and
what may have reached it (the connection dropped during DATA).

smtplib is blocking: each send runs in a worker thread. One connection is kept per drain and reopened when
the relay closed it between messages (safe: nothing of the next message had been sent yet).
"""

from __future__ import annotations

import email.policy
import smtplib
from email.message import Message
from email.utils import parseaddr

import anyio.to_thread

from backend.lib.settings import Settings


class SendError(Exception):
    """A send that did not end in 250. `unconfirmed`: the relay may have taken it anyway; `permanent`: a 5xx
    refusal, not worth retrying; `unreachable`: no connection could be made (the relay is down)."""

    def __init__(
        self, detail: str, *, permanent: bool = False, unconfirmed: bool = False, unreachable: bool = False
    ) -> None:
        super().__init__(detail)
        self.permanent = permanent
        self.unconfirmed = unconfirmed
        self.unreachable = unreachable


class _Stale(Exception):
    """The connection failed before any message data was sent: safe to reconnect and try again."""


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


class SmtpSender:
    """One SMTP connection per drain, used from a thread (smtplib is blocking), one message at a time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    async def send(self, msg: Message) -> None:
        await anyio.to_thread.run_sync(self._send, msg)

    async def close(self) -> None:
        if self._smtp is not None:
            smtp, self._smtp = self._smtp, None
            await anyio.to_thread.run_sync(_quietly_quit, smtp)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
            smtp.ehlo()
            if s.smtp_starttls:
                smtp.starttls()
                smtp.ehlo()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"cannot reach the relay: {_describe(exc)}", unreachable=True) from exc
        return smtp

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _send(self, msg: Message) -> None:
        if self._smtp is not None:  # a kept connection may have been closed by the relay meanwhile
            try:
                self._transact(self._smtp, msg)
                return
            except _Stale:
                self._drop()
        self._smtp = self._connect()
        try:
            self._transact(self._smtp, msg)
        except _Stale as exc:
            self._drop()
            raise SendError(f"connection lost before the message was sent: {exc}") from exc

    def _refused(self, smtp: smtplib.SMTP, step: str, code: int, reply: bytes | str) -> SendError:
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
        return SendError(f"{step} refused: {code} {text}"[:300], permanent=code >= 500)

    def _transact(self, smtp: smtplib.SMTP, msg: Message) -> None:
        sender = parseaddr(str(msg["From"]))[1]
        recipient = parseaddr(str(msg["To"]))[1]
        international = not (sender.isascii() and recipient.isascii())
        try:
            options: list[str] = []
            if international:
                if not smtp.has_extn("smtputf8"):
                    raise SendError("the relay does not accept internationalised addresses", permanent=True)
                options = ["SMTPUTF8", "BODY=8BITMIME"]
            code, reply = smtp.mail(sender, options)
            if code != 250:
                raise self._refused(smtp, "MAIL FROM", code, reply)
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise self._refused(smtp, "RCPT TO", code, reply)
        except (smtplib.SMTPException, OSError) as exc:
            raise _Stale(_describe(exc)) from exc
        # The message's own policy (compat32 or the modern one), with SMTP's line ends; SMTPUTF8 when needed.
        policy = email.policy.SMTPUTF8 if international else msg.policy.clone(linesep="\r\n")
        try:
            code, reply = smtp.data(msg.as_bytes(policy=policy))
        except smtplib.SMTPDataError as exc:  # DATA itself was refused: no byte of the message was sent
            raise self._refused(smtp, "DATA", exc.smtp_code, exc.smtp_error) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise SendError(f"connection lost during DATA: {_describe(exc)}", unconfirmed=True) from exc
        if code != 250:
            raise self._refused(smtp, "message", code, reply)


def _quietly_quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
