from __future__ import annotations

from typing import Literal

from backend.lib.schemas import Output


class ServiceCheck(Output):
    ok: bool
    ms: float
    error: str | None = None


class Live(Output):
    status: Literal["live"] = "live"


class Ready(Output):
    status: Literal["ready", "unready"]
    services: dict[str, ServiceCheck]
