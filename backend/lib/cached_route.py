"""Route middleware that answers a public GET route from the app's search cache (lib/cache.py). Only for routes
whose answer does not depend on who asks: one answer per URL is shared by everyone.

It runs before Litestar parses the query string and resolves the handler's dependencies, so an answer from
the cache costs a dictionary lookup and two sends: answering in the handler instead cut cached searches to a
third of their rate (bench/search.py, side by side). The key is the path and the query string as sent:
clients that order their parameters differently only get separate entries. A miss, and a background
refresh, run the route as usual on a copy of the request (fresh per-request state, no body) and keep the
body of a 200 JSON answer; any other answer goes to its own reader and is never stored.
"""

from __future__ import annotations

from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from backend.lib.cache import RefreshingCache

JSON = b"application/json"


class _NotStored(Exception):
    """The route's answer was not a 200 JSON body: it is replayed to its reader, not cached."""

    def __init__(self, messages: list[Message]) -> None:
        super().__init__()
        self.messages = messages


async def _no_body() -> Any:
    return {"type": "http.request", "body": b"", "more_body": False}


def _copy(scope: Scope) -> Scope:
    """The request again, with fresh per-request state (Litestar caches the parsed request, the dependencies
    and whether the response has started there), except the exception handlers its router resolved."""
    copy: Any = {**scope, "state": {}}
    ScopeState.from_scope(copy).exception_handlers = ScopeState.from_scope(scope).exception_handlers
    return copy  # type: ignore[no-any-return]


class CachedAnswers:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache: RefreshingCache | None = scope["litestar_app"].state.get("search_cache")  # set by the lifespan
        request: Any = scope
        if cache is None or request["type"] != "http" or request["method"] != "GET" or cache.seconds <= 0:
            await self.app(scope, receive, send)
            return
        key = request["path"] + "?" + request["query_string"].decode("latin-1")

        async def compute() -> bytes:
            messages: list[Any] = []

            async def keep(message: Message) -> None:
                messages.append(message)

            # On a copy: a background refresh outlives the request (its state, its receive channel).
            await self.app(_copy(scope), _no_body, keep)
            start = messages[0] if messages else {}
            content_type = dict(start.get("headers", ())).get(b"content-type", b"")
            if start.get("status") != 200 or content_type.split(b";")[0] != JSON:
                raise _NotStored(messages)
            return b"".join(m.get("body", b"") for m in messages[1:])

        try:
            body = await cache.get(key, compute)
        except _NotStored as answer:
            for message in answer.messages:
                await send(message)
            return
        headers = [(b"content-type", JSON), (b"content-length", str(len(body)).encode())]
        age = cache.age(key)
        if age is not None:  # RFC 9111: how old the answer is (0 when just computed)
            headers.append((b"age", str(int(age)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
