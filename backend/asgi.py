"""ASGI entry point: `uvicorn backend.asgi:create --factory`. A wrong setting stops the process with its name."""

from __future__ import annotations

import sys

from litestar import Litestar

from backend.app import create_app
from backend.lib.settings import SettingsError, load_settings


def create() -> Litestar:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    return create_app(settings)
