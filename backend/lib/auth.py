"""Authentication: a bearer token looked up per request; the identity it yields; role guards.

Tokens are opaque random secrets whose SHA-256 digest is stored, so logout and expiry take effect at once and
a database leak does not leak usable tokens. Guards check roles; scope (which region, which organisation) is
checked by services against the identity.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from litestar.connection import ASGIConnection, Request
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import AuthToken, Role, TokenPurpose, User, coordinator_regions
from backend.lib.db import Database
from backend.lib.errors import Forbidden, Unauthenticated
from backend.lib.security import digest


@dataclass(frozen=True)
class Identity:
    """Who is calling: never an ORM object, so handlers cannot lazy-load through it."""

    user_id: uuid.UUID
    role: Role
    region_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    organisation_id: uuid.UUID | None = None
    locale: str = "en"

    def coordinates(self, region_id: uuid.UUID) -> bool:
        return self.role is Role.COORDINATOR and region_id in self.region_ids

    def require_region(self, region_id: uuid.UUID) -> None:
        if not (self.role is Role.ADMIN or self.coordinates(region_id)):
            raise Forbidden("You do not coordinate this region.")

    def require_organisation(self, organisation_id: uuid.UUID) -> None:
        if not (self.role is Role.EMPLOYER and self.organisation_id == organisation_id):
            raise Forbidden("You do not act for this organisation.")


async def identity_for_token(session: AsyncSession, token: str, now: datetime) -> Identity | None:
    """One query per request: the account and, for coordinators, their regions as an array."""
    regions = (
        select(func.array_agg(coordinator_regions.c.region_id))
        .where(coordinator_regions.c.user_id == User.id)
        .scalar_subquery()
    )
    row = (
        await session.execute(
            select(User.id, User.role, User.organisation_id, User.locale, regions)
            .join(AuthToken, AuthToken.user_id == User.id)
            .where(
                AuthToken.digest == digest(token),
                AuthToken.purpose == TokenPurpose.SESSION,
                AuthToken.expires_at > now,
                User.is_active.is_(True),
            )
        )
    ).one_or_none()
    if row is None:
        return None
    user_id, role, organisation_id, locale, region_ids = row
    return Identity(
        user_id=user_id,
        role=role,
        region_ids=frozenset(region_ids or ()) if role is Role.COORDINATOR else frozenset(),
        organisation_id=organisation_id,
        locale=locale.value,
    )


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    """Sets request.user to an Identity, or None when no Authorization header is sent.

    Anonymous requests pass through: public endpoints allow them and guards refuse them elsewhere. A header
    that is present but wrong is refused at once with 401.
    """

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        header = connection.headers.get("authorization")
        if not header:
            return AuthenticationResult(user=None, auth=None)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
        state: State = connection.app.state
        database: Database = state.database
        async with database.sessionmaker() as session:
            identity = await identity_for_token(session, token.strip(), state.clock())
        if identity is None:
            raise Unauthenticated("The token is invalid or has expired; log in again.")
        return AuthenticationResult(user=identity, auth=token)


def auth_middleware() -> DefineMiddleware:
    return DefineMiddleware(BearerAuthMiddleware, exclude=["^/schema", "^/health"])


def current_identity(connection: ASGIConnection[Any, Any, Any, Any]) -> Identity:
    user = connection.scope.get("user")
    if not isinstance(user, Identity):
        raise Unauthenticated("Log in to use this endpoint.")
    return user


def requires(*roles: Role) -> Any:
    """Guard: the caller is logged in with one of the roles."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        identity = current_identity(connection)
        if identity.role not in roles:
            raise Forbidden(f"This endpoint is for: {', '.join(sorted(r.value for r in roles))}.")

    guard.__name__ = "requires_" + "_or_".join(r.value for r in roles)
    return guard


def authenticated(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    current_identity(connection)


async def provide_identity(request: Request[Any, Any, Any]) -> Identity:
    return current_identity(request)
