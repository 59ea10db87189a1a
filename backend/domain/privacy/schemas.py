from __future__ import annotations

from datetime import datetime
from typing import Any

from backend.lib.schemas import Input, Output


class ErasureIn(Input):
    password: str


class ExportOut(Output):
    """Everything the platform keeps about the person, as stored (GDPR art. 15 and 20)."""

    exported_at: datetime
    account: dict[str, Any]
    profile: dict[str, Any] | None
    applications: list[dict[str, Any]]
    application_events: list[dict[str, Any]]
    placements: list[dict[str, Any]]
    placement_events: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
