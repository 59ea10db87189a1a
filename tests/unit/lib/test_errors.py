from __future__ import annotations

import pytest
from litestar import Litestar, get
from litestar.testing import TestClient
from sqlalchemy.exc import DBAPIError, OperationalError

from backend.lib.errors import InvalidTransition, exception_handlers


class _Orig(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@get("/deadlock")
async def deadlock() -> None:
    raise DBAPIError("UPDATE ...", {}, _Orig("40P01"))


@get("/down")
async def down() -> None:
    raise OperationalError("SELECT 1", {}, _Orig("08006"))


@get("/bug")
async def bug() -> None:
    raise RuntimeError("a bug: never shown to the client")


@get("/state")
async def state() -> None:
    raise InvalidTransition("Only a draft can be edited; this offer is published.", state="published")


@pytest.fixture(scope="module")
def client():
    app = Litestar([deadlock, down, bug, state], exception_handlers=exception_handlers, logging_config=None)
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("path", "status", "kind"),
    [
        ("/deadlock", 409, "concurrent-update"),
        ("/down", 503, "service-unavailable"),
        ("/bug", 500, "internal-error"),
        ("/state", 409, "invalid-transition"),
    ],
)
def test_errors_become_problem_details(client, path, status, kind):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/" + kind) and body["status"] == status and body["instance"] == path
    assert "a bug" not in response.text
    if path == "/down":
        assert response.headers["retry-after"].isdigit()
    if path == "/state":
        assert body["state"] == "published"
