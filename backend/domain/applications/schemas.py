from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from backend.db.models import ApplicationState, InterviewOutcome
from backend.domain.applicants.schemas import ApplicantSummary, RuleOut
from backend.lib.schemas import AuditEventOut, Input, Output

Motivation = Annotated[str, msgspec.Meta(min_length=20, max_length=4000)]
Deadline = Annotated[datetime, msgspec.Meta(tz=True)]
Note = Annotated[str, msgspec.Meta(max_length=2000)]
Preference = Annotated[int, msgspec.Meta(ge=1, le=100, description="The employer's own rank (1 is best).")]
Ranking = Annotated[list[uuid.UUID], msgspec.Meta(max_length=100)]


class ApplicationIn(Input):
    offer_id: uuid.UUID
    motivation: Motivation


class ProposeIn(Input):
    answer_deadline: Deadline


class RankingIn(Input):
    """Application ids, best first: exactly the set the ranking covers."""

    application_ids: Ranking


class ReviewIn(Input):
    interview_outcome: InterviewOutcome | None = None
    employer_preference: Preference | None = None
    note: Note | None = None


class ApplicationOut(Output):
    id: uuid.UUID
    offer_id: uuid.UUID
    offer_title: str
    applicant_id: uuid.UUID
    home_region_id: uuid.UUID
    host_region_id: uuid.UUID
    programme_year: int
    state: ApplicationState
    motivation: str
    reason: str | None
    eligibility: list[RuleOut]
    applicant_rank: int | None
    host_rank: int | None
    employer_preference: int | None
    interview_outcome: InterviewOutcome | None
    employer_note: str | None
    answer_deadline: datetime | None
    confirm_deadline: datetime | None
    placement_id: uuid.UUID | None
    submitted_at: datetime
    updated_at: datetime


class CandidateOut(Output):
    application: ApplicationOut
    applicant: ApplicantSummary | None


class ApplicationEventOut(AuditEventOut):
    """A step of an application's audit trail."""


RegionSide = Literal["sending", "hosting"]
