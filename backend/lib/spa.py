"""The single-page app's client-side routes: a reload of /verify-email?token=... gets index.html, not a 404.

Litestar's static files router in html_mode serves index.html for folders only; any other unknown path is a
404. This handler, set on that router alone, answers browser navigations (GET/HEAD of a path without a file
extension, outside the API) with index.html; everything else keeps the problem-details 404.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import NotFoundException

from backend.lib.errors import http_error_handler

NOT_APP_ROUTES = ("/api/", "/api", "/schema", "/health")


def is_app_route(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    last = path.rsplit("/", 1)[-1]
    return request.method in ("GET", "HEAD") and not path.startswith(NOT_APP_ROUTES) and "." not in last


def spa_fallback(index_html: Path) -> Callable[[Request[Any, Any, Any], NotFoundException], Response[Any]]:
    def handler(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
        if not is_app_route(request) or not index_html.is_file():
            return http_error_handler(request, exc)
        return Response(
            content=index_html.read_bytes(),
            media_type=MediaType.HTML,
            headers={"Cache-Control": "no-cache"},
        )

    return handler
