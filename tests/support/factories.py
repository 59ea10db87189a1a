"""Factories that write straight to the database (fast, no argon2 per test) for arranging a test's world."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    AuthToken,
    Locale,
    Organisation,
    Region,
    RegionQuota,
    Role,
    TokenPurpose,
    User,
    coordinator_regions,
)
from backend.lib.security import digest, new_secret

_seq = itertools.count(1)


async def make_region(session: AsyncSession, code: str | None = None, **fields: object) -> Region:
    n = next(_seq)
    values: dict[str, object] = {
        "code": code or f"ZZ{n:02d}",
        "name": f"Test region {n}",
        "country": "ZZ"[:2] if code is None else code[:2],
        "languages": ["en"],
    }
    values.update(fields)
    region = Region(**values)
    session.add(region)
    await session.flush()
    return region


async def make_quota(session: AsyncSession, region: Region, year: int, hosting: int, sending: int) -> RegionQuota:
    quota = RegionQuota(region_id=region.id, programme_year=year, hosting_quota=hosting, sending_quota=sending)
    session.add(quota)
    await session.flush()
    return quota


async def make_user(
    session: AsyncSession,
    role: Role,
    *,
    regions: list[Region] | None = None,
    organisation: Organisation | None = None,
    email: str | None = None,
    verified: bool = True,
    locale: Locale = Locale.EN,
) -> User:
    n = next(_seq)
    user = User(
        email=email or f"{role.value}{n}-{uuid.uuid4().hex[:6]}@example.org",
        password_hash=None,
        full_name=f"{role.value.title()} {n}",
        role=role,
        locale=locale,
        email_verified_at=datetime(2026, 1, 1, tzinfo=datetime.now().astimezone().tzinfo) if verified else None,
        organisation_id=organisation.id if organisation else None,
    )
    session.add(user)
    await session.flush()
    if regions:
        await session.execute(insert(coordinator_regions), [{"user_id": user.id, "region_id": r.id} for r in regions])
    return user


async def make_organisation(
    session: AsyncSession,
    region: Region,
    *,
    verified: bool = True,
    name: str | None = None,
    sector: str = "J",
) -> Organisation:
    org = Organisation(
        name=name or f"Organisation {next(_seq)}",
        region_id=region.id,
        sector=sector,
        verified_at=datetime(2026, 1, 1).astimezone() if verified else None,
    )
    session.add(org)
    await session.flush()
    return org


async def login_token(session: AsyncSession, user: User, now: datetime) -> dict[str, str]:
    """Authorization headers for a user, as if they had logged in."""
    secret = new_secret()
    session.add(
        AuthToken(
            user_id=user.id,
            purpose=TokenPurpose.SESSION,
            digest=digest(secret),
            expires_at=now + timedelta(hours=1),
        )
    )
    await session.flush()
    return {"Authorization": f"Bearer {secret}"}
