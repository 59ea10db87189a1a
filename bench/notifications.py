"""Benchmark of the outbox delivery: drain queued notifications to the local SMTP server.

    python -m bench.notifications                        # 10,000 notifications for 1,000 users, 1 then 2 workers
    python -m bench.notifications --count 2000 --workers 1,2,4
    python -m bench.notifications --fast-db              # PostgreSQL without fsync (as in the tests)

Starts a local stack (PostgreSQL, Redis, S3, SMTP) in a temporary folder, applies the migrations, then for
each worker count: empties the outbox and the Maildir, bulk-loads the notifications with COPY, and starts
that many worker processes, each running the real delivery code (deliver_pending, as the arq job does) with
its own database pool and SMTP connection. They start together (after their imports) and the clock runs
from their start to the last one's end. Then every message in the Maildir is counted by Message-ID and
recipient: lost = notifications with no message, duplicated = (Message-ID, recipient) pairs seen twice.

By default PostgreSQL runs with fsync on (as in production: each delivery step is its own commit); the dev
SMTP server (aiosmtpd) runs in this process and writes one Maildir file per message, so it is part of what is
measured. Prints progress as it runs and a summary at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg

from backend.db.base import new_id
from backend.db.migrate import upgrade
from backend.domain.notifications.delivery import deliver_pending
from backend.lib.db import Database
from backend.lib.settings import Settings, get_settings, load_settings
from infra.services.smtp import clear_mail
from infra.stack import LocalStack

NOW_ISO = "2026-03-02T09:00:00+00:00"
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
TO = re.compile(rb"^To:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass
class Round:
    workers: int
    count: int
    elapsed: float
    sent: int
    received: int
    lost: int
    duplicated: int
    states: dict[str, int]
    reports: list[dict[str, Any]]
    load: float  # the machine's 1-minute load average when the round ended

    @property
    def cpu_ms_per_message(self) -> float:
        """Worker CPU time per message (all workers): what the delivery code costs, whatever else runs."""
        return 1000 * sum(r["cpu"] for r in self.reports) / self.sent if self.sent else 0.0

    @property
    def rate(self) -> float:
        return self.sent / self.elapsed if self.elapsed else 0.0


def _asyncpg_dsn(settings: Settings) -> str:
    return settings.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def load(settings: Settings, count: int, users: int) -> dict[str, str]:
    """Empty the outbox, then COPY `users` recipients and `count` pending notifications; Message-ID -> To."""
    conn = await asyncpg.connect(_asyncpg_dsn(settings))
    try:
        await conn.execute("TRUNCATE notifications, users CASCADE")
        now = datetime.fromisoformat(NOW_ISO)
        people = [
            (new_id(), f"bench-{n}@example.org", f"Person {n}", "fr" if n % 3 == 0 else "en") for n in range(users)
        ]
        await conn.copy_records_to_table(
            "users",
            records=[(pid, email, name, "applicant", locale, True, now, now) for pid, email, name, locale in people],
            columns=["id", "email", "full_name", "role", "locale", "is_active", "created_at", "updated_at"],
        )
        rows = []
        expected: dict[str, str] = {}
        domain = settings.mail_from.rsplit("@", 1)[-1].rstrip(">").strip()
        for n in range(count):
            nid = new_id()
            pid, email, _, _ = people[n % users]
            params = json.dumps({"offer_title": f"Traineeship {n}", "reason": "Every seat is filled."})
            link = f"{settings.public_url}/applications/{n}"
            rows.append((nid, pid, "application.rejected", f"bench:{nid}", params, link, now, "pending", 0, now, 0))
            expected[f"<{nid}@{domain}>"] = email
        await conn.copy_records_to_table(
            "notifications",
            records=rows,
            columns=[
                "id",
                "user_id",
                "kind",
                "dedup_key",
                "params",
                "link",
                "created_at",
                "email_state",
                "attempts",
                "next_attempt_at",
                "unconfirmed_attempts",
            ],
        )
        return expected
    finally:
        await conn.close()


async def states(settings: Settings) -> dict[str, int]:
    conn = await asyncpg.connect(_asyncpg_dsn(settings))
    try:
        rows = await conn.fetch("SELECT email_state::text AS state, count(*) AS n FROM notifications GROUP BY 1")
        return {row["state"]: row["n"] for row in rows}
    finally:
        await conn.close()


def census(mail_dir: Path) -> Counter[tuple[str, str]]:
    """(Message-ID, recipient) -> copies, reading only each message's header block."""
    seen: Counter[tuple[str, str]] = Counter()
    for folder in ("new", "cur"):
        path = mail_dir / folder
        if not path.is_dir():
            continue
        for name in os.listdir(path):
            with open(path / name, "rb") as fh:
                head = fh.read(4096).split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
            mid, to = MESSAGE_ID.search(head), TO.search(head)
            seen[(mid.group(1).decode() if mid else "?", to.group(1).decode() if to else "?")] += 1
    return seen


def received(mail_dir: Path) -> int:
    path = mail_dir / "new"
    return len(os.listdir(path)) if path.is_dir() else 0


def run_round(
    env: dict[str, str], settings: Settings, mail_dir: Path, *, workers: int, count: int, users: int, batch: int
) -> Round:
    clear_mail(mail_dir)
    expected = asyncio.run(load(settings, count, users))
    print(f"  loaded {count:,} notifications for {users:,} users (COPY); starting {workers} worker(s)", flush=True)
    start_at = time.time() + 3.0  # the workers import and connect first, then start together
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.notifications", "--drain", str(start_at), "--batch-size", str(batch)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    last = 0
    while any(p.poll() is None for p in procs):
        time.sleep(1.0)
        now = received(mail_dir)
        if time.time() > start_at:
            print(f"  {now:>6,} received  (+{now - last:,}/s)", flush=True)
        last = now
    reports = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"a worker failed with exit code {proc.returncode}")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = max(r["finished"] for r in reports) - min(r["started"] for r in reports)
    load_average = os.getloadavg()[0]
    copies = census(mail_dir)
    got = {mid for mid, _ in copies}
    wrong_recipient = sum(1 for (mid, to) in copies if expected.get(mid) not in (None, to))
    if wrong_recipient:
        raise SystemExit(f"{wrong_recipient} messages went to the wrong recipient")
    return Round(
        workers=workers,
        count=count,
        elapsed=elapsed,
        sent=sum(r["sent"] for r in reports),
        received=sum(copies.values()),
        lost=len(set(expected) - got),
        duplicated=sum(1 for n in copies.values() if n > 1),
        states=asyncio.run(states(settings)),
        reports=reports,
        load=load_average,
    )


def drain(start_at: float, batch_size: int) -> None:
    """One worker process: the real delivery code with its own pool, started at start_at; prints a JSON line."""

    async def main() -> dict[str, Any]:
        settings = get_settings()
        database = Database.from_settings(settings)
        async with database.sessionmaker() as session:  # connect before the start line
            await session.connection()
        now = datetime.fromisoformat(NOW_ISO)
        await asyncio.sleep(max(0.0, start_at - time.time()))
        started, cpu = time.time(), time.process_time()
        report = await deliver_pending(database.sessionmaker, settings, clock=lambda: now, batch_size=batch_size)
        finished, cpu = time.time(), time.process_time() - cpu
        await database.dispose()
        return vars(report) | {"started": started, "finished": finished, "cpu": cpu}

    print(json.dumps(asyncio.run(main())), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.notifications", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="notifications to drain (default 10,000)")
    parser.add_argument("--users", type=int, default=1_000, help="recipients (default 1,000)")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma separated (default 1,2)")
    parser.add_argument("--batch-size", type=int, default=100, help="rows leased per claim (default 100)")
    parser.add_argument("--fast-db", action="store_true", help="PostgreSQL without fsync, as in the tests")
    parser.add_argument("--drain", type=float, help=argparse.SUPPRESS)  # internal: run as one worker
    args = parser.parse_args(argv)
    if args.drain is not None:
        drain(args.drain, args.batch_size)
        return 0

    counts = [int(n) for n in args.workers.split(",") if n.strip()]
    folder = Path(tempfile.mkdtemp(prefix="bench-notifications-"))
    print(f"stack in {folder} (PostgreSQL fsync {'off' if args.fast_db else 'on'}); {os.cpu_count()} CPUs", flush=True)
    stack = LocalStack(folder, persistent=not args.fast_db, env={}, log=lambda line: print(f"  {line}", flush=True))
    results: list[Round] = []
    try:
        endpoints = stack.start()
        assert endpoints.mail_dir is not None
        env = os.environ | endpoints.as_env() | {"ENVIRONMENT": "test", "LOG_LEVEL": "WARNING"}
        settings = load_settings(env)
        upgrade(settings.database_url)
        print("migrated", flush=True)
        for workers in counts:
            print(f"round: {workers} worker(s)", flush=True)
            result = run_round(
                env,
                settings,
                endpoints.mail_dir,
                workers=workers,
                count=args.count,
                users=args.users,
                batch=args.batch_size,
            )
            results.append(result)
            print(
                f"  done: {result.sent:,} sent in {result.elapsed:.2f} s = {result.rate:,.0f} messages/s; "
                f"lost {result.lost}, duplicated {result.duplicated}",
                flush=True,
            )
    finally:
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)

    print("\nsummary (run id " + uuid.uuid4().hex[:8] + ")")
    print(
        f"{'workers':>7} {'notifications':>13} {'elapsed s':>9} {'msg/s':>7} {'cpu ms/msg':>10} {'load':>5} "
        f"{'received':>8} {'lost':>4} {'dup':>4}  per worker sent / outcome states"
    )
    for r in results:
        per_worker = "/".join(str(rep["sent"]) for rep in r.reports)
        print(
            f"{r.workers:>7} {r.count:>13,} {r.elapsed:>9.2f} {r.rate:>7,.0f} {r.cpu_ms_per_message:>10.2f} "
            f"{r.load:>5.1f} {r.received:>8,} {r.lost:>4} {r.duplicated:>4}  {per_worker} / {r.states}"
        )
    return 0 if all(r.lost == 0 and r.duplicated == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
