from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from backend.db.models import Role
from backend.domain.placements import services
from backend.domain.placements.schemas import PlacementActionIn, PlacementEventOut, PlacementOut
from backend.lib.auth import authenticated, requires
from backend.lib.deps import AppClock, CurrentIdentity, DbSession


class PlacementController(Controller):
    path = "/placements"
    tags = ["placements"]

    @get("/{placement_id:uuid}", operation_id="getPlacement", guards=[authenticated])
    async def get_placement(
        self, placement_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> PlacementOut:
        return await services.get_visible(db_session, identity, placement_id)

    @get(
        "/{placement_id:uuid}/events",
        operation_id="listPlacementEvents",
        summary="The placement's audit trail: who, when, from which state to which, and why",
        guards=[authenticated],
    )
    async def events(
        self, placement_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> list[PlacementEventOut]:
        return await services.list_events(db_session, identity, placement_id)

    @post(
        "/{placement_id:uuid}/transitions",
        operation_id="advancePlacement",
        summary="Record the next step of a placement (agreement, start, reviews, completion, interruption)",
        status_code=200,
        guards=[requires(Role.COORDINATOR, Role.EMPLOYER, Role.ADMIN)],
    )
    async def advance(
        self,
        placement_id: FromPath[uuid.UUID],
        data: JSONBody[PlacementActionIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
    ) -> PlacementOut:
        out = await services.advance(db_session, identity, placement_id, data.action, reason=data.reason, now=clock())
        await db_session.commit()
        return out
