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


def recruiting_year(today: date) -> int:
    """The programme year recruited for on `today` (a placement counts in the calendar year it starts, as
    quotas are set): placements start from the spring, so from September on offers, applications and
    matching rounds are for next year's programme. The front end's default year follows the same rule
    (frontend/src/lib/dates.ts)."""
    return today.year + 1 if today.month >= 9 else today.year
