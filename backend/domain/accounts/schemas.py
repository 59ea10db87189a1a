from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from backend.db.models import Locale, Role
from backend.lib.schemas import Email, Input, Name, Output

Password = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Token = Annotated[str, msgspec.Meta(min_length=10, max_length=200)]


class RegisterIn(Input):
    email: Email
    password: Password
    full_name: Name
    role: Literal["applicant", "employer"] = "applicant"
    locale: Locale = Locale.EN


class LoginIn(Input):
    email: Email
    password: Password


class TokenIn(Input):
    token: Token


class EmailIn(Input):
    email: Email


class PasswordResetIn(Input):
    token: Token
    new_password: Password


class ProfileUpdateIn(Input):
    full_name: Name | msgspec.UnsetType = msgspec.UNSET
    locale: Locale | msgspec.UnsetType = msgspec.UNSET


class StaffAccountIn(Input):
    """An account the admin creates for programme staff; they set their password from the invitation."""

    email: Email
    full_name: Name
    role: Literal["coordinator", "chair", "admin"]
    region_ids: list[uuid.UUID] = msgspec.field(default_factory=list)
    locale: Locale = Locale.EN


class RegionAssignmentIn(Input):
    region_ids: list[uuid.UUID]


class AccountOut(Output):
    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    locale: Locale
    email_verified: bool
    active: bool  # false once an admin deactivated it: no login, no session
    region_ids: list[uuid.UUID]
    organisation_id: uuid.UUID | None
    created_at: datetime


class SessionOut(Output):
    access_token: str
    expires_at: datetime
    account: AccountOut
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret


class Accepted(Output):
    detail: str
