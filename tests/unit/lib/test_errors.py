from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec
import pytest
from litestar import Litestar, get
from litestar.testing import TestClient
from sqlalchemy.exc import DBAPIError, OperationalError

from backend.domain.organisations.schemas import Url
from backend.lib.errors import InvalidTransition, exception_handlers, plain_message
from backend.lib.schemas import Email, Name


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


class _Form(msgspec.Struct, forbid_unknown_fields=True):
    name: Name = "x"
    website: Url | None = None
    email: Email | None = None
    months: Annotated[int, msgspec.Meta(ge=3, le=7)] = 3
    grant: Decimal = Decimal(1)
    start: date | None = None
    note: Annotated[str, msgspec.Meta(max_length=5)] = ""


@pytest.mark.parametrize(
    ("body", "plain"),
    [
        ({"name": ""}, "This must not be empty."),
        ({"note": "too long"}, "Use at most 5 characters."),
        ({"months": 1}, "Enter a number of at least 3."),
        ({"months": 9}, "Enter a number of at most 7."),
        ({"months": "x"}, "Enter a whole number."),
        ({"website": "javascript:alert(1)"}, "Enter a web address starting with https://."),
        ({"email": "nobody"}, "Enter a valid e-mail address."),
        ({"grant": "abc"}, "Enter an amount such as 850.00."),
        ({"start": "2026-13-01"}, "Enter a valid date."),
        ({"other": 1}, "Object contains unknown field `other`"),  # not a form's constraint: kept as it is
    ],
)
def test_msgspec_messages_are_put_in_plain_words(body: dict[str, object], plain: str) -> None:
    with pytest.raises(msgspec.ValidationError) as raised:
        msgspec.json.decode(msgspec.json.encode(body), type=_Form)
    assert plain_message(str(raised.value).split(" - at ")[0]) == plain
