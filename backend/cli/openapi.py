"""Write the OpenAPI schema to a file (the front end's API client is generated from it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from backend.app import create_app
from backend.lib.settings import load_settings


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("openapi.json")
    app = create_app(load_settings({}), configure_logs=False)
    target.write_text(json.dumps(app.openapi_schema.to_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"OpenAPI schema written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
