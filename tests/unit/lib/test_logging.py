"""Log lines: JSON in production with the request id and the extra fields; one line per record, arq's too; the
access line names the route template, never the ids or the query string."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys
from collections.abc import Iterator

import pytest
from arq.logs import default_log_config
from litestar import Litestar, get
from litestar.params import FromPath
from litestar.testing import TestClient

from backend.lib.logging import RequestContextMiddleware, configure_logging, request_id_var


@pytest.fixture
def stderr() -> Iterator[io.StringIO]:
    """What configure_logging's handler writes (pytest swaps sys.stderr between set-up and the test itself, so
    the handler's stream is pointed here after each configure_logging)."""
    root, arq = logging.getLogger(), logging.getLogger("arq")
    saved = (root.handlers[:], root.level, arq.handlers[:], arq.level)
    yield io.StringIO()
    root.handlers[:], root.level, arq.handlers[:] = saved[0], saved[1], saved[2]
    arq.setLevel(saved[3])


def configure(buffer: io.StringIO) -> None:
    configure_logging(level="INFO", json_lines=True)
    [handler] = logging.getLogger().handlers
    assert isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr
    handler.setStream(buffer)


def lines(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_json_line_carries_the_request_id_and_the_extra_fields(stderr: io.StringIO) -> None:
    configure(stderr)
    token = request_id_var.set("a1b2c3d4e5")
    try:
        logging.getLogger("backend.test").info("offer published", extra={"offer_id": "o-1"})
    finally:
        request_id_var.reset(token)
    logging.getLogger("backend.test").debug("below the level")
    [line] = lines(stderr)
    assert line["event"] == "offer published" and line["level"] == "info" and line["logger"] == "backend.test"
    assert line["request_id"] == "a1b2c3d4e5" and line["offer_id"] == "o-1"


def test_the_worker_writes_each_arq_line_once_and_structured(stderr: io.StringIO) -> None:
    arq_output = io.StringIO()
    logging.config.dictConfig(default_log_config(verbose=True))  # what the arq command line does
    for handler in logging.getLogger("arq").handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(arq_output)
    configure(stderr)  # what the worker does at start-up
    logging.getLogger("arq.worker").info("job done")
    assert [line["event"] for line in lines(stderr)] == ["job done"]
    assert arq_output.getvalue() == ""


def test_the_access_line_names_the_route_not_the_ids_or_the_query(stderr: io.StringIO) -> None:
    @get("/things/{thing_id:str}")
    async def thing(thing_id: FromPath[str]) -> dict[str, str]:
        return {"id": thing_id}

    app = Litestar([thing], middleware=[RequestContextMiddleware], logging_config=None)
    configure(stderr)
    with TestClient(app) as client:
        response = client.get("/things/jane.doe@example.com?q=secret", headers={"X-Request-ID": "req-12345678"})
    assert response.headers["x-request-id"] == "req-12345678"
    [access] = [line for line in lines(stderr) if line["logger"] == "backend.access"]
    assert access["route"] == "/things/{thing_id}" and access["status"] == 200
    assert access["request_id"] == "req-12345678"
    server_side = json.dumps([line for line in lines(stderr) if line["logger"] != "httpx"])  # httpx: the test client
    assert "jane" not in server_side and "secret" not in server_side
