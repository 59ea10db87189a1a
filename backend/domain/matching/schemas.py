from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from backend.lib.schemas import Input, Output, Year

Reason = Annotated[str, msgspec.Meta(min_length=3, max_length=2000)]


class RoundIn(Input):
    """Open a round over a region's published offers (a coordinator), or over the whole programme (the chair).

    `offer_ids` narrows it to some offers of the region; `policy` chooses which result becomes the proposals
    (both are computed and shown); `tolerance` bounds each region's exchange balance for "balanced"."""

    programme_year: Year
    region_id: uuid.UUID | None = None
    offer_ids: list[uuid.UUID] | None = None
    policy: Literal["stable", "balanced"] = "stable"
    tolerance: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 0


class EditIn(Input):
    action: Literal["add", "remove"]
    application_id: uuid.UUID
    reason: Reason


class PublishIn(Input):
    answer_deadline: datetime


class AssignmentOut(Output):
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    offer_id: uuid.UUID
    source: str
    removed: bool
    outcome: str | None


class EditOut(Output):
    action: str
    application_id: uuid.UUID
    reason: str
    actor_id: uuid.UUID | None
    created_at: datetime


class RoundOut(Output):
    id: uuid.UUID
    programme_year: int
    region_id: uuid.UUID | None
    policy: str
    tolerance: int
    state: str
    input_hash: str
    created_by_id: uuid.UUID | None
    created_at: datetime
    published_at: datetime | None
    answer_deadline: datetime | None
    diagnostics: dict[str, Any]
    assignments: list[AssignmentOut]
    edits: list[EditOut]
    publish_report: dict[str, Any] | None


class ReplayOut(Output):
    input_hash: str
    hash_matches: bool
    identical: bool
    assignment_size: int
