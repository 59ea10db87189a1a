"""The exchange ledger's arithmetic, pure (no I/O): a region's figures for one programme year.

`used` counts the placements that hold a quota unit (accepted by the applicant, or confirmed by the
employer); `pending` counts those on their way: proposed to the applicant, or accepted and not yet
confirmed (an accepted one is both used, since it holds its unit, and pending, since no placement exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Flow:
    """One direction (hosting or sending) of a region's exchange in a year."""

    quota: int
    used: int
    confirmed: int
    accepted: int
    proposed: int

    @property
    def remaining(self) -> int:
        return max(self.quota - self.used, 0)

    @property
    def pending(self) -> int:
        return self.proposed + self.accepted


@dataclass(frozen=True, slots=True)
class Figures:
    hosting: Flow
    sending: Flow
    has_quota: bool

    @property
    def hosted(self) -> int:
        return self.hosting.used

    @property
    def sent(self) -> int:
        return self.sending.used

    @property
    def balance(self) -> int:
        """Hosted minus sent: positive for a region that receives more trainees than it sends."""
        return self.hosted - self.sent

    @property
    def pending(self) -> int:
        return self.hosting.pending + self.sending.pending


def programme_year(start_date: date) -> int:
    """A placement counts in the programme year of its start date (calendar years, as quotas are set)."""
    return start_date.year
