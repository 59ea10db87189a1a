from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter

from backend.db.models import Role
from backend.domain.regions import services
from backend.domain.regions.schemas import QuotaIn, QuotaOut, RegionIn, RegionOut, RegionPatch
from backend.lib.auth import requires
from backend.lib.deps import CurrentIdentity, DbSession
from backend.lib.errors import Forbidden

YearPath = Annotated[int, PathParameter(ge=2000, le=2100, description="Programme year")]
YearQuery = Annotated[int | None, QueryParameter(ge=2000, le=2100, description="Programme year")]


class RegionController(Controller):
    path = "/regions"
    tags = ["regions"]

    @get("/", operation_id="listRegions", summary="Member regions (public)")
    async def list_regions(
        self, db_session: DbSession, participating: FromQuery[bool | None] = None
    ) -> list[RegionOut]:
        return [services.region_out(r) for r in await services.list_regions(db_session, participating=participating)]

    @get("/{region_id:uuid}", operation_id="getRegion")
    async def get_region(self, region_id: FromPath[uuid.UUID], db_session: DbSession) -> RegionOut:
        return services.region_out(await services.get_region(db_session, region_id))

    @post("/", operation_id="createRegion", guards=[requires(Role.ADMIN)])
    async def create_region(self, data: JSONBody[RegionIn], db_session: DbSession) -> RegionOut:
        region = await services.create_region(db_session, data)
        out = services.region_out(region)
        await db_session.commit()
        return out

    @patch("/{region_id:uuid}", operation_id="updateRegion", guards=[requires(Role.ADMIN)])
    async def update_region(
        self, region_id: FromPath[uuid.UUID], data: JSONBody[RegionPatch], db_session: DbSession
    ) -> RegionOut:
        region = await services.update_region(db_session, region_id, data.changes())
        out = services.region_out(region)
        await db_session.commit()
        return out

    @get(
        "/{region_id:uuid}/quotas",
        operation_id="listRegionQuotas",
        guards=[requires(Role.ADMIN, Role.CHAIR, Role.COORDINATOR)],
    )
    async def list_quotas(
        self, region_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> list[QuotaOut]:
        if identity.role is Role.COORDINATOR:
            identity.require_region(region_id)
        await services.get_region(db_session, region_id)
        return await services.list_quotas(db_session, region_ids=[region_id])

    @put("/{region_id:uuid}/quotas/{year:int}", operation_id="setRegionQuota", guards=[requires(Role.ADMIN)])
    async def set_quota(
        self, region_id: FromPath[uuid.UUID], year: YearPath, data: JSONBody[QuotaIn], db_session: DbSession
    ) -> QuotaOut:
        out = await services.set_quota(db_session, region_id, year, data.hosting_quota, data.sending_quota)
        await db_session.commit()
        return out


class QuotaController(Controller):
    path = "/quotas"
    tags = ["regions"]
    guards = [requires(Role.ADMIN, Role.CHAIR, Role.COORDINATOR)]

    @get("/", operation_id="listQuotas", summary="Quotas of every region the caller may see")
    async def list_quotas(
        self, identity: CurrentIdentity, db_session: DbSession, year: YearQuery = None
    ) -> list[QuotaOut]:
        region_ids = sorted(identity.region_ids) if identity.role is Role.COORDINATOR else None
        if region_ids == []:
            raise Forbidden("You coordinate no region.")
        return await services.list_quotas(db_session, region_ids=region_ids, year=year)
