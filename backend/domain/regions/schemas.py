from __future__ import annotations

import uuid
from typing import Annotated

import msgspec

from backend.lib.schemas import CountryCode, Input, LanguageCode, Name, Output, Year

RegionCode = Annotated[
    str,
    msgspec.Meta(pattern=r"^[A-Z]{2}[A-Z0-9-]{0,10}$", description="NUTS code (or ISO 3166-2 outside NUTS)."),
]
Age = Annotated[int, msgspec.Meta(ge=16, le=40)]
Months = Annotated[int, msgspec.Meta(ge=0, le=120)]
EqfLevel = Annotated[int, msgspec.Meta(ge=1, le=8)]
Seats = Annotated[int, msgspec.Meta(ge=0, le=100_000)]


class RegionIn(Input):
    code: RegionCode
    name: Name
    country: CountryCode
    name_local: Name | None = None
    languages: list[LanguageCode] = msgspec.field(default_factory=list)
    participating: bool = True
    min_age: Age = 18
    max_age: Age = 30
    min_residence_months: Months = 0
    min_eqf_level: EqfLevel = 4


class RegionPatch(Input):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    name_local: Name | msgspec.UnsetType | None = msgspec.UNSET
    languages: list[LanguageCode] | msgspec.UnsetType = msgspec.UNSET
    participating: bool | msgspec.UnsetType = msgspec.UNSET
    min_age: Age | msgspec.UnsetType = msgspec.UNSET
    max_age: Age | msgspec.UnsetType = msgspec.UNSET
    min_residence_months: Months | msgspec.UnsetType = msgspec.UNSET
    min_eqf_level: EqfLevel | msgspec.UnsetType = msgspec.UNSET


class RegionOut(Output):
    id: uuid.UUID
    code: str
    name: str
    name_local: str | None
    country: str
    languages: list[str]
    participating: bool
    min_age: int
    max_age: int
    min_residence_months: int
    min_eqf_level: int


class QuotaIn(Input):
    hosting_quota: Seats
    sending_quota: Seats


class QuotaOut(Output):
    region_id: uuid.UUID
    region_code: str
    programme_year: Year
    hosting_quota: int
    sending_quota: int
    hosted: int
    sent: int
    hosting_remaining: int
    sending_remaining: int
