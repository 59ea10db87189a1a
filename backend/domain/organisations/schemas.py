from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from backend.lib.schemas import Input, Name, Output, ShortText

NaceSection = Annotated[str, msgspec.Meta(pattern=r"^[A-U]$", description="NACE Rev. 2 section letter (A-U).")]
Url = Annotated[str, msgspec.Meta(max_length=300, pattern=r"^https?://\S+$")]
City = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]


class OrganisationIn(Input):
    name: Name
    region_id: uuid.UUID
    sector: NaceSection
    city: City | None = None
    website: Url | None = None
    description: ShortText | None = None


class OrganisationPatch(Input):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    sector: NaceSection | msgspec.UnsetType = msgspec.UNSET
    city: City | msgspec.UnsetType | None = msgspec.UNSET
    website: Url | msgspec.UnsetType | None = msgspec.UNSET
    description: ShortText | msgspec.UnsetType | None = msgspec.UNSET


class OrganisationOut(Output):
    id: uuid.UUID
    name: str
    region_id: uuid.UUID
    sector: str
    city: str | None
    website: str | None
    description: str | None
    verified: bool
    verified_at: datetime | None
    created_at: datetime
