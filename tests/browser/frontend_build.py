"""Build the front end for the browser tests when frontend/dist is missing or older than its sources.

The same steps as `make frontend`: export the API's OpenAPI schema, regenerate the typed client, install the
locked npm packages when needed, type-check and build. A change of the API that breaks the front end fails
here, before any browser starts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
DIST = FRONTEND / "dist"
SOURCES = ("src", "public", "index.html", "package.json", "package-lock.json", "tsconfig.json", "vite.config.ts")


def _newest(paths: Iterable[Path]) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            newest = max([newest, *(p.stat().st_mtime for p in path.rglob("*") if p.is_file())])
        elif path.exists():
            newest = max(newest, path.stat().st_mtime)
    return newest


def _run(command: list[str], what: str) -> None:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=FRONTEND, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({' '.join(command)}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    print(f"frontend: {what} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)


def build_frontend() -> Path:
    """Return frontend/dist, rebuilt if the schema or any source changed since the last build."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: the browser tests need Node.js 20+ and npm to build frontend/")
    schema = FRONTEND / "openapi.json"
    before = schema.read_bytes() if schema.exists() else b""
    _run(["sh", "scripts/export-openapi.sh", sys.executable], "export the OpenAPI schema")
    schema_changed = schema.read_bytes() != before
    lock = FRONTEND / "package-lock.json"
    installed = FRONTEND / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        _run([npm, "ci", "--no-audit", "--no-fund"], "npm ci")
    index = DIST / "index.html"
    built_at = index.stat().st_mtime if index.exists() else 0.0
    if schema_changed or built_at < _newest([FRONTEND / s for s in SOURCES] + [schema]):
        _run([npm, "run", "gen:api"], "generate the API client")
        _run([npm, "run", "build"], "type-check and build")
    return DIST
