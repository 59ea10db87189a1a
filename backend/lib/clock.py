"""The time source. Code asks the clock, never datetime.now(), so tests and cron jobs can inject time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def today(clock: Clock = system_clock) -> date:
    return clock().date()
