"""One exception hierarchy for domain errors, and the handlers that turn every error into RFC 9457 problem details."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import DBAPIError, OperationalError

logger = logging.getLogger("backend.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://exchange.invalid/problems/"


class FieldError(msgspec.Struct, frozen=True):
    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, omit_defaults=True):
    """The RFC 9457 body; `errors` names each offending field, `state` the current state on conflicts."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None
    state: str | None = None
    retry_after: int | None = None


# What the schema says of errors (Litestar's default would document its own 400 body): every endpoint may answer
# 400 (malformed parameters or body) and 422 (a rule refused the input) with problem details naming the fields.
PROBLEM_RESPONSES = {
    400: ResponseSpec(
        Problem,
        media_type=PROBLEM_MEDIA_TYPE,
        generate_examples=False,
        description="Malformed parameters or body: problem details, `errors` naming each field",
    ),
    422: ResponseSpec(
        Problem,
        media_type=PROBLEM_MEDIA_TYPE,
        generate_examples=False,
        description="The input breaks a rule: problem details, `errors` naming the field",
    ),
}


class DomainError(Exception):
    """Base of every expected error: carries its HTTP status and a stable problem type."""

    status: ClassVar[int] = 400
    type_: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        errors: Sequence[FieldError] | None = None,
        state: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or ([FieldError(field, detail)] if field else []))
        self.state = state

    def headers(self) -> Mapping[str, str]:
        return {}


class InvalidInput(DomainError):
    status = 422
    type_ = "validation-error"
    title = "Invalid input"


class FieldErrors:
    """A form's refusals gathered, so that one answer names every field to correct (the first per field)."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        if all(e.field != field for e in self.errors):
            self.errors.append(FieldError(field, message))

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise InvalidInput(self.errors[0].message, errors=self.errors)
        if self.errors:
            raise InvalidInput("; ".join(f"{e.field}: {e.message}" for e in self.errors), errors=self.errors)


class Unauthenticated(DomainError):
    status = 401
    type_ = "unauthenticated"
    title = "Authentication required"

    def headers(self) -> Mapping[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="exchange"'}


class Forbidden(DomainError):
    status = 403
    type_ = "forbidden"
    title = "Not allowed"


class NotFound(DomainError):
    status = 404
    type_ = "not-found"
    title = "Not found"


class Conflict(DomainError):
    status = 409
    type_ = "conflict"
    title = "Conflict"


class InvalidTransition(Conflict):
    type_ = "invalid-transition"
    title = "Not allowed in the current state"


class QuotaExceeded(Conflict):
    type_ = "quota-exceeded"
    title = "Quota or seats exhausted"


class Gone(DomainError):
    status = 410
    type_ = "gone"
    title = "No longer valid"


class ServiceUnavailable(DomainError):
    status = 503
    type_ = "service-unavailable"
    title = "A service the platform depends on is unavailable"

    def __init__(self, detail: str, *, retry_after: int = 5) -> None:
        super().__init__(detail)
        self.retry_after = retry_after

    def headers(self) -> Mapping[str, str]:
        return {"Retry-After": str(self.retry_after)}


def _problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> Response[Problem]:
    return Response(
        content=problem,
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Problem]:
    problem = Problem(
        type=PROBLEM_BASE + exc.type_,
        title=exc.title,
        status=exc.status,
        detail=exc.detail,
        instance=request.url.path,
        errors=exc.errors or None,
        state=exc.state,
        retry_after=getattr(exc, "retry_after", None),
    )
    return _problem_response(problem, exc.headers())


# msgspec's constraint messages, in words for the people filling in a form (the field is named apart).
_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"^Expected `str` of length >= 1$", "This must not be empty."),
        (r"^Expected `str` of length >= (\d+)$", "Use at least {0} characters."),
        (r"^Expected `str` of length <= (\d+)$", "Use at most {0} characters."),
        (r"^Expected `(?:int|float)` >= (\S+)$", "Enter a number of at least {0}."),
        (r"^Expected `(?:int|float)` > (\S+)$", "Enter a number above {0}."),
        (r"^Expected `(?:int|float)` <= (\S+)$", "Enter a number of at most {0}."),
        (r"^Expected `(?:int|float)` < (\S+)$", "Enter a number below {0}."),
        (r"^Expected `str` matching regex '\^https\?://", "Enter a web address starting with https://."),
        (r"^Expected `str` matching regex '\^\[\^@", "Enter a valid e-mail address."),
        (r"^Expected `str` matching regex", "This is not in the expected format."),
        (r"^Invalid decimal string$", "Enter an amount such as 850.00."),
        (r"^Invalid RFC3339 encoded date$", "Enter a valid date."),
        (r"^Invalid RFC3339 encoded datetime$", "Enter a valid date and time."),
        (r"^Invalid UUID$", "This is not a valid identifier."),
        (r"^Invalid enum value ", "Choose one of the listed values."),
        (r"^Expected `int`, got `(?:str|float)`$", "Enter a whole number."),
    )
)


def plain_message(message: str) -> str:
    """msgspec's message for one field, in plain words when it is one of the usual constraints."""
    for pattern, text in _PLAIN:
        if match := pattern.search(message):
            return text.format(*match.groups())
    return message


def _field_errors(extra: Any) -> list[FieldError]:
    """Litestar's validation `extra` is a list of {message, key, source}; msgspec's paths look like `$.a.b`."""
    errors: list[FieldError] = []
    if isinstance(extra, list):
        for item in extra:
            if not isinstance(item, dict):
                continue
            message = str(item.get("message", "invalid"))
            key = item.get("key")
            # For body errors Litestar names the whole body ("data"); msgspec's message names the field.
            field = str(key) if key and key not in ("data", "body") else _field_from_message(message)
            errors.append(FieldError(field=field, message=plain_message(message.split(" - at ", maxsplit=1)[0])))
    return errors


def _field_from_message(message: str) -> str:
    if " - at `$." in message:
        return message.rsplit(" - at `$.", 1)[1].rstrip("`")
    for marker in ("unknown field `", "missing required field `"):
        if marker in message:
            return message.split(marker, 1)[1].split("`", 1)[0]
    if "parameter '" in message:  # Litestar: "Missing required query parameter 'year' for path ..."
        return message.split("parameter '", 1)[1].split("'", 1)[0]
    return "body"


def validation_error_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Problem]:
    errors = _field_errors(exc.extra)
    # msgspec reports a type error of the body as one message; surface the field it names.
    if not errors and exc.detail:
        message = plain_message(exc.detail.split(" - at ")[0])
        errors = [FieldError(field=_field_from_message(exc.detail), message=message)]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or exc.detail
    problem = Problem(
        type=PROBLEM_BASE + "validation-error",
        title="Invalid input",
        status=400,
        detail=detail,
        instance=request.url.path,
        errors=errors or None,
    )
    return _problem_response(problem)


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException):
        return domain_error_handler(request, Unauthenticated(exc.detail))
    problem = Problem(
        type=PROBLEM_BASE + _slug(status),
        title=_title(status),
        status=status,
        detail=exc.detail,
        instance=request.url.path,
    )
    return _problem_response(problem, exc.headers)


class ConcurrentUpdate(Conflict):
    type_ = "concurrent-update"
    title = "A concurrent decision got there first"


# PostgreSQL's deadlock_detected and serialization_failure: the other transaction won; retrying is safe.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def database_unavailable_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Connection-level database failures are a 503 with a retry hint, not a 500; deadlocks are a 409."""
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return domain_error_handler(
            request, ConcurrentUpdate("Another decision changed this at the same moment; reload and try again.")
        )
    if isinstance(exc, DBAPIError) and not isinstance(exc, OperationalError) and not exc.connection_invalidated:
        return internal_error_handler(request, exc)
    logger.warning("database unavailable", extra={"error": type(exc).__name__})
    return domain_error_handler(request, ServiceUnavailable("The database is unavailable; try again shortly."))


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    logger.exception("unhandled error", exc_info=exc)
    problem = Problem(
        type=PROBLEM_BASE + "internal-error",
        title="Internal server error",
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        detail="An unexpected error occurred; it has been logged.",
        instance=request.url.path,
    )
    return _problem_response(problem)


_SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "too-many-requests",
    503: "service-unavailable",
}


def _slug(status: int) -> str:
    return _SLUGS.get(status, f"http-{status}")


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


exception_handlers: dict[type[Exception] | int, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    OperationalError: database_unavailable_handler,
    DBAPIError: database_unavailable_handler,
    ConnectionError: database_unavailable_handler,
    Exception: internal_error_handler,
}
