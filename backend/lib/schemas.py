"""Base Structs for the API edge: inputs refuse unknown fields; one casing (snake_case) everywhere."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Self

import msgspec

from backend.lib.errors import FieldErrors, InvalidInput


class Input(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A request body."""

    def changes(self) -> dict[str, Any]:
        """The fields the client sent (for partial updates, where UNSET means "leave as is")."""
        return {f: value for f in self.__struct_fields__ if (value := getattr(self, f)) is not msgspec.UNSET}


class Output(msgspec.Struct, kw_only=True):
    """A response body."""


class AuditEventOut(Output):
    """One row of an append-only audit trail (offers, applications, placements): what was done, from which
    state to which, on behalf of which role, why and when."""

    id: uuid.UUID
    action: str
    from_state: str | None
    to_state: str
    actor_role: str
    reason: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(
            id=row.id,
            action=row.action,
            from_state=row.from_state,
            to_state=row.to_state,
            actor_role=row.actor_role,
            reason=row.reason,
            created_at=row.created_at,
        )


Email = Annotated[
    str,
    msgspec.Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="An e-mail address."),
]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


ShortText = Annotated[str, msgspec.Meta(max_length=4000)]
CountryCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code.")]
LanguageCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}$", description="ISO 639-1 code.")]
Year = Annotated[int, msgspec.Meta(ge=2000, le=2100)]


def clean_name(value: str, field: str = "full_name", *, problems: FieldErrors | None = None) -> str:
    """A person's name without surrounding spaces; a blank one (which `Name` lets through) is refused, or added
    to `problems` when a form gathers its refusals."""
    name = value.strip()
    if not name:
        if problems is None:
            raise InvalidInput("Enter a name.", field=field)
        problems.add(field, "Enter a name.")
    return name
