from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from backend.db.models import PlacementState
from backend.domain.placements.transitions import PlacementAction
from backend.lib.schemas import AuditEventOut, Input, Output


class PlacementActionIn(Input):
    action: PlacementAction
    reason: Annotated[str, msgspec.Meta(min_length=3, max_length=2000)] | None = None


class PlacementOut(Output):
    id: uuid.UUID
    application_id: uuid.UUID
    offer_id: uuid.UUID
    applicant_id: uuid.UUID
    host_region_id: uuid.UUID
    home_region_id: uuid.UUID
    programme_year: int
    start_date: date
    end_date: date
    state: PlacementState
    state_reason: str | None
    counts_in_quota: bool
    confirmed_at: datetime


class PlacementEventOut(AuditEventOut):
    """A step of a placement's audit trail."""
