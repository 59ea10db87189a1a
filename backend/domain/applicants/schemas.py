from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from backend.db.models import EmploymentStatus, Sex
from backend.domain.offers.schemas import LanguageLevel
from backend.lib.schemas import Input, Name, Output

EqfLevel = Annotated[int, msgspec.Meta(ge=1, le=8, description="European Qualifications Framework level (1-8).")]
Presentation = Annotated[str, msgspec.Meta(max_length=2000)]
ProfileLanguages = Annotated[list[LanguageLevel], msgspec.Meta(max_length=12)]


class ProfileIn(Input):
    full_name: Name
    date_of_birth: date
    home_region_id: uuid.UUID
    resident_since: date
    languages: ProfileLanguages
    eqf_level: EqfLevel
    employment_status: EmploymentStatus
    presentation: Presentation = ""
    sex: Sex | None = msgspec.field(default=None)  # optional; only for anonymous statistics, never shown to selectors


class RuleOut(Output):
    rule: str
    ok: bool
    message: str


class EligibilityOut(Output):
    """Computed, never stored as truth: the sending coordinator still validates."""

    eligible: bool
    on: date
    region_id: uuid.UUID
    rules: list[RuleOut]


class ProfileOut(Output):
    user_id: uuid.UUID
    full_name: str
    date_of_birth: date
    home_region_id: uuid.UUID
    resident_since: date
    languages: list[LanguageLevel]
    eqf_level: int
    employment_status: EmploymentStatus
    presentation: str
    sex: Sex | None
    updated_at: datetime
    eligibility: EligibilityOut


class ApplicantSummary(Output):
    """What the selection sides see of a candidate."""

    user_id: uuid.UUID
    full_name: str
    age: int
    home_region_id: uuid.UUID
    languages: list[LanguageLevel]
    eqf_level: int
    employment_status: EmploymentStatus
    presentation: str
    has_cv: bool  # whether a CV can be opened (GET /api/applicants/{id}/cv)
