from __future__ import annotations

import uuid

from backend.lib.schemas import Output


class FlowOut(Output):
    quota: int
    used: int
    remaining: int
    confirmed: int
    accepted: int
    proposed: int
    pending: int


class BalanceOut(Output):
    """A region's exchange in one programme year.

    `hosted`/`sent` count placements at least accepted (they hold a quota unit); `balance` = hosted - sent;
    `pending` = proposed or accepted, not yet confirmed by the employer (both directions).
    """

    region_id: uuid.UUID
    region_code: str
    programme_year: int
    has_quota: bool
    hosting_quota: int
    sending_quota: int
    hosting_used: int
    sending_used: int
    hosting_remaining: int
    sending_remaining: int
    hosted: int
    sent: int
    balance: int
    pending: int
    hosting: FlowOut
    sending: FlowOut
