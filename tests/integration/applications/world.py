"""A small exchange for workflow tests: a host region (PT20) with an organisation and an employer, a home
region (FR10) with an applicant, one coordinator per side, a foreign coordinator, a chair, an admin, and
quotas for 2026 on both sides. Tokens are ready-made Authorization headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Organisation, Region, Role, User
from tests.support.factories import (
    login_token,
    make_organisation,
    make_profile,
    make_quota,
    make_region,
    make_user,
)


@dataclass
class World:
    host: Region
    home: Region
    other: Region
    org: Organisation
    applicant: User
    users: dict[str, User] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


async def build_world(
    s: AsyncSession,
    now: datetime,
    *,
    hosting: int = 5,
    sending: int = 5,
    profile: bool = True,
) -> World:
    host = await make_region(s, "PT20", name="Azores", country="PT", languages=["pt"], max_age=35)
    home = await make_region(s, "FR10", name="Ile-de-France", country="FR", languages=["fr"])
    other = await make_region(s, "ES51", name="Catalonia", country="ES", languages=["es", "ca"])
    for region in (host, home, other):
        await make_quota(s, region, 2026, hosting=hosting, sending=sending)
    org = await make_organisation(s, host, name="Atlantic Lab")
    other_org = await make_organisation(s, other, name="Barcelona Works")
    applicant = await make_user(s, Role.APPLICANT)
    if profile:
        await make_profile(s, applicant, home, languages=[("fr", "C2"), ("en", "B2"), ("pt", "B1")])
    users = {
        "applicant": applicant,
        "other_applicant": await make_user(s, Role.APPLICANT),
        "employer": await make_user(s, Role.EMPLOYER, organisation=org),
        "other_employer": await make_user(s, Role.EMPLOYER, organisation=other_org),
        "sending": await make_user(s, Role.COORDINATOR, regions=[home]),
        "hosting": await make_user(s, Role.COORDINATOR, regions=[host]),
        "foreign": await make_user(s, Role.COORDINATOR, regions=[other]),
        "chair": await make_user(s, Role.CHAIR),
        "admin": await make_user(s, Role.ADMIN),
    }
    headers = {name: await login_token(s, user, now) for name, user in users.items()}
    return World(host=host, home=home, other=other, org=org, applicant=applicant, users=users, headers=headers)
