"""Host organisations: an employer registers one in a member region; a coordinator of that region verifies it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Organisation, Region, Role, User
from backend.domain.organisations.schemas import OrganisationIn, OrganisationOut
from backend.lib.auth import Identity
from backend.lib.clock import Clock, system_clock
from backend.lib.errors import Conflict, Forbidden, InvalidInput, NotFound


def organisation_out(org: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=org.id,
        name=org.name,
        region_id=org.region_id,
        sector=org.sector,
        city=org.city,
        website=org.website,
        description=org.description,
        verified=org.verified_at is not None,
        verified_at=org.verified_at,
        created_at=org.created_at,
    )


async def get_visible(session: AsyncSession, identity: Identity, organisation_id: uuid.UUID) -> Organisation:
    """The organisation, if the caller may see it: its employer, its region's coordinators, chair and admin."""
    org = await session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("No such organisation.")
    if identity.role in (Role.ADMIN, Role.CHAIR) or identity.coordinates(org.region_id):
        return org
    if identity.role is Role.EMPLOYER and identity.organisation_id == org.id:
        return org
    raise Forbidden("This organisation is outside your scope.")


async def register(session: AsyncSession, identity: Identity, data: OrganisationIn) -> Organisation:
    if identity.organisation_id is not None:
        raise Conflict("Your account already belongs to an organisation.", field="name")
    region = await session.get(Region, data.region_id)
    if region is None:
        raise InvalidInput("Unknown region.", field="region_id")
    if not region.participating:
        raise InvalidInput("This region does not take part in the programme.", field="region_id")
    org = Organisation(
        name=data.name.strip(),
        region_id=region.id,
        sector=data.sector,
        city=data.city,
        website=data.website,
        description=data.description,
    )
    session.add(org)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict("An organisation of this name is registered in the region.", field="name") from None
    user = await session.get_one(User, identity.user_id)
    user.organisation_id = org.id
    return org


async def update(
    session: AsyncSession, identity: Identity, organisation_id: uuid.UUID, changes: dict[str, Any]
) -> Organisation:
    identity.require_organisation(organisation_id)
    org = await session.get_one(Organisation, organisation_id)
    for key, value in changes.items():
        setattr(org, key, value)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("An organisation of this name is registered in the region.", field="name") from None
    return org


async def verify(
    session: AsyncSession, identity: Identity, organisation_id: uuid.UUID, clock: Clock = system_clock
) -> Organisation:
    org = await session.get(Organisation, organisation_id, with_for_update=True)
    if org is None:
        raise NotFound("No such organisation.")
    identity.require_region(org.region_id)
    if org.verified_at is not None:
        raise Conflict("The organisation is verified already.", state="verified")
    org.verified_at = clock()
    org.verified_by_id = identity.user_id
    return org


async def list_for_region(
    session: AsyncSession, identity: Identity, region_id: uuid.UUID, verified: bool | None
) -> list[Organisation]:
    if identity.role not in (Role.ADMIN, Role.CHAIR):
        identity.require_region(region_id)
    query = select(Organisation).where(Organisation.region_id == region_id).order_by(Organisation.name)
    if verified is not None:
        query = query.where(Organisation.verified_at.is_not(None) if verified else Organisation.verified_at.is_(None))
    return list(await session.scalars(query))
