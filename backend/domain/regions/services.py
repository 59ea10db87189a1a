"""Member regions and their yearly quotas."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Region, RegionQuota
from backend.domain.regions.schemas import QuotaOut, RegionIn, RegionOut
from backend.lib.errors import Conflict, InvalidInput, NotFound


def region_out(region: Region) -> RegionOut:
    return RegionOut(
        id=region.id,
        code=region.code,
        name=region.name,
        name_local=region.name_local,
        country=region.country,
        languages=list(region.languages),
        participating=region.participating,
        min_age=region.min_age,
        max_age=region.max_age,
        min_residence_months=region.min_residence_months,
        min_eqf_level=region.min_eqf_level,
    )


def _check_ages(min_age: int, max_age: int) -> None:
    if min_age > max_age:
        raise InvalidInput("The minimum age is above the maximum age.", field="min_age")


async def get_region(session: AsyncSession, region_id: uuid.UUID) -> Region:
    region = await session.get(Region, region_id)
    if region is None:
        raise NotFound("No such region.")
    return region


async def list_regions(session: AsyncSession, *, participating: bool | None = None) -> list[Region]:
    query = select(Region).order_by(Region.country, Region.code)
    if participating is not None:
        query = query.where(Region.participating.is_(participating))
    return list(await session.scalars(query))


async def create_region(session: AsyncSession, data: RegionIn) -> Region:
    _check_ages(data.min_age, data.max_age)
    region = Region(
        code=data.code,
        name=data.name,
        name_local=data.name_local,
        country=data.country,
        languages=data.languages,
        participating=data.participating,
        min_age=data.min_age,
        max_age=data.max_age,
        min_residence_months=data.min_residence_months,
        min_eqf_level=data.min_eqf_level,
    )
    session.add(region)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"A region with code {data.code} exists already.", field="code") from None
    return region


async def update_region(session: AsyncSession, region_id: uuid.UUID, changes: dict[str, Any]) -> Region:
    region = await get_region(session, region_id)
    for key, value in changes.items():
        setattr(region, key, value)
    _check_ages(region.min_age, region.max_age)
    await session.flush()
    return region


def quota_out(quota: RegionQuota, region: Region) -> QuotaOut:
    return QuotaOut(
        region_id=region.id,
        region_code=region.code,
        programme_year=quota.programme_year,
        hosting_quota=quota.hosting_quota,
        sending_quota=quota.sending_quota,
        hosted=quota.hosted,
        sent=quota.sent,
        hosting_remaining=quota.hosting_quota - quota.hosted,
        sending_remaining=quota.sending_quota - quota.sent,
    )


async def list_quotas(
    session: AsyncSession, *, region_ids: list[uuid.UUID] | None = None, year: int | None = None
) -> list[QuotaOut]:
    query = select(RegionQuota, Region).join(Region).order_by(RegionQuota.programme_year, Region.code)
    if region_ids is not None:
        query = query.where(RegionQuota.region_id.in_(region_ids))
    if year is not None:
        query = query.where(RegionQuota.programme_year == year)
    return [quota_out(q, r) for q, r in (await session.execute(query))]


async def set_quota(
    session: AsyncSession, region_id: uuid.UUID, year: int, hosting_quota: int, sending_quota: int
) -> QuotaOut:
    """Create or change a year's quotas; lowering one below what is already used is refused by the database."""
    region = await get_region(session, region_id)
    statement = (
        insert(RegionQuota)
        .values(region_id=region_id, programme_year=year, hosting_quota=hosting_quota, sending_quota=sending_quota)
        .on_conflict_do_update(
            index_elements=["region_id", "programme_year"],
            set_={"hosting_quota": hosting_quota, "sending_quota": sending_quota},
        )
        .returning(RegionQuota)
    )
    try:
        async with session.begin_nested():
            quota = (await session.scalars(statement, execution_options={"populate_existing": True})).one()
    except IntegrityError:
        raise Conflict("A quota cannot go below the placements it already counts.", field="hosting_quota") from None
    return quota_out(quota, region)
