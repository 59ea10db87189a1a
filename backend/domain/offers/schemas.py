from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from backend.db.models import CefrLevel, OfferState
from backend.lib.schemas import AuditEventOut, Input, LanguageCode, Output

Title = Annotated[str, msgspec.Meta(min_length=3, max_length=200)]
Description = Annotated[str, msgspec.Meta(min_length=1, max_length=8000)]
Tasks = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
NaceSection = Annotated[str, msgspec.Meta(pattern=r"^[A-U]$", description="NACE Rev. 2 section letter (A-U).")]
Duration = Annotated[int, msgspec.Meta(ge=3, le=7, description="Months, language course included (3 to 7).")]
SeatCount = Annotated[int, msgspec.Meta(ge=1, le=100)]
Grant = Annotated[Decimal, msgspec.Meta(description="Monthly grant in EUR, 0 to 10000, at most 2 decimals.")]
Deadline = Annotated[datetime, msgspec.Meta(tz=True, description="Application deadline (timezone-aware; kept in UTC).")]
Reason = Annotated[str, msgspec.Meta(min_length=3, max_length=2000)]


class LanguageLevel(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A language (ISO 639-1) at a CEFR level (A1 to C2)."""

    language: LanguageCode
    level: CefrLevel


Languages = Annotated[list[LanguageLevel], msgspec.Meta(max_length=6)]


class OfferIn(Input):
    title: Title
    description: Description
    tasks: Tasks
    sector: NaceSection
    duration_months: Duration
    start_date: date
    seats: SeatCount
    monthly_grant: Grant
    application_deadline: Deadline
    languages: Languages
    language_course: bool = True
    housing_help: bool = False


class OfferPatch(Input):
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET
    tasks: Tasks | msgspec.UnsetType = msgspec.UNSET
    sector: NaceSection | msgspec.UnsetType = msgspec.UNSET
    duration_months: Duration | msgspec.UnsetType = msgspec.UNSET
    start_date: date | msgspec.UnsetType = msgspec.UNSET
    seats: SeatCount | msgspec.UnsetType = msgspec.UNSET
    monthly_grant: Grant | msgspec.UnsetType = msgspec.UNSET
    application_deadline: Deadline | msgspec.UnsetType = msgspec.UNSET
    languages: Languages | msgspec.UnsetType = msgspec.UNSET
    language_course: bool | msgspec.UnsetType = msgspec.UNSET
    housing_help: bool | msgspec.UnsetType = msgspec.UNSET


class ReasonIn(Input):
    reason: Reason


class OptionalReasonIn(Input):
    reason: Reason | None = None


class OfferOut(Output):
    id: uuid.UUID
    state: OfferState
    title: str
    description: str
    tasks: str
    sector: str
    organisation_id: uuid.UUID
    organisation_name: str
    region_id: uuid.UUID
    region_code: str
    region_name: str
    country: str
    duration_months: int
    start_date: date
    seats: int
    seats_available: int
    monthly_grant: Decimal
    currency: str
    language_course: bool
    housing_help: bool
    application_deadline: datetime
    languages: list[LanguageLevel]
    state_reason: str | None
    submitted_at: datetime | None
    published_at: datetime | None
    created_at: datetime


class OfferSummary(Output):
    id: uuid.UUID
    title: str
    sector: str
    organisation_name: str
    region_id: uuid.UUID
    region_code: str
    region_name: str
    country: str
    duration_months: int
    start_date: date
    seats_available: int
    monthly_grant: Decimal
    currency: str
    language_course: bool
    housing_help: bool
    application_deadline: datetime
    languages: list[LanguageLevel]
    published_at: datetime | None


class OfferPage(Output):
    """A page of results. `total` counts the matches exactly up to 1,000; beyond, it is 1,000 and
    `total_exact` is false."""

    items: list[OfferSummary]
    total: int
    total_exact: bool
    page: int | None
    page_size: int
    next_cursor: str | None


class OfferEventOut(AuditEventOut):
    """A step of an offer's audit trail."""


SortKey = Literal["start_date", "-start_date", "deadline", "-published_at", "-monthly_grant", "relevance"]
