from __future__ import annotations

import uuid

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.db.models import Role
from backend.domain.organisations import services
from backend.domain.organisations.schemas import OrganisationIn, OrganisationOut, OrganisationPatch
from backend.lib.auth import requires
from backend.lib.deps import AppClock, CurrentIdentity, DbSession


class OrganisationController(Controller):
    path = "/organisations"
    tags = ["organisations"]

    @post("/", operation_id="registerOrganisation", guards=[requires(Role.EMPLOYER)])
    async def register(
        self, data: JSONBody[OrganisationIn], identity: CurrentIdentity, db_session: DbSession
    ) -> OrganisationOut:
        org = await services.register(db_session, identity, data)
        out = services.organisation_out(org)
        await db_session.commit()
        return out

    @get(
        "/{organisation_id:uuid}",
        operation_id="getOrganisation",
        guards=[requires(Role.EMPLOYER, Role.COORDINATOR, Role.CHAIR, Role.ADMIN)],
    )
    async def get_one(
        self, organisation_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> OrganisationOut:
        return services.organisation_out(await services.get_visible(db_session, identity, organisation_id))

    @patch("/{organisation_id:uuid}", operation_id="updateOrganisation", guards=[requires(Role.EMPLOYER)])
    async def update(
        self,
        organisation_id: FromPath[uuid.UUID],
        data: JSONBody[OrganisationPatch],
        identity: CurrentIdentity,
        db_session: DbSession,
    ) -> OrganisationOut:
        org = await services.update(db_session, identity, organisation_id, data.changes())
        out = services.organisation_out(org)
        await db_session.commit()
        return out

    @post(
        "/{organisation_id:uuid}/verify",
        operation_id="verifyOrganisation",
        status_code=200,
        guards=[requires(Role.COORDINATOR, Role.ADMIN)],
    )
    async def verify(
        self,
        organisation_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
    ) -> OrganisationOut:
        org = await services.verify(db_session, identity, organisation_id, clock)
        out = services.organisation_out(org)
        await db_session.commit()
        return out


class RegionOrganisationsController(Controller):
    path = "/regions/{region_id:uuid}/organisations"
    tags = ["organisations"]
    guards = [requires(Role.COORDINATOR, Role.CHAIR, Role.ADMIN)]

    @get("/", operation_id="listRegionOrganisations")
    async def list_for_region(
        self,
        region_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        verified: FromQuery[bool | None] = None,
    ) -> list[OrganisationOut]:
        orgs = await services.list_for_region(db_session, identity, region_id, verified)
        return [services.organisation_out(o) for o in orgs]
