"""Base Structs for the API edge: inputs refuse unknown fields; one casing (snake_case) everywhere."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec


class Input(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A request body."""

    def changes(self) -> dict[str, Any]:
        """The fields the client sent (for partial updates, where UNSET means "leave as is")."""
        return {f: value for f in self.__struct_fields__ if (value := getattr(self, f)) is not msgspec.UNSET}


class Output(msgspec.Struct, kw_only=True):
    """A response body."""


Email = Annotated[
    str,
    msgspec.Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="An e-mail address."),
]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
ShortText = Annotated[str, msgspec.Meta(max_length=4000)]
CountryCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code.")]
LanguageCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}$", description="ISO 639-1 code.")]
Year = Annotated[int, msgspec.Meta(ge=2000, le=2100)]
