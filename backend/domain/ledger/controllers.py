from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get
from litestar.params import FromPath, QueryParameter

from backend.db.models import Role
from backend.domain.ledger import services
from backend.domain.ledger.ledger import recruiting_year
from backend.domain.ledger.schemas import BalanceOut
from backend.lib.auth import requires
from backend.lib.deps import AppClock, CurrentIdentity, DbSession

YearQuery = Annotated[
    int | None,
    QueryParameter(
        ge=2000, le=2100, description="Programme year (default: the year recruited for, next year's from September)"
    ),
]


class BalanceController(Controller):
    path = "/regions/{region_id:uuid}/balance"
    tags = ["ledger"]
    guards = [requires(Role.COORDINATOR, Role.CHAIR, Role.ADMIN)]

    @get("/", operation_id="getRegionBalance", summary="Quotas, use and exchange balance of a region in a year")
    async def get_balance(
        self,
        region_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        year: YearQuery = None,
    ) -> BalanceOut:
        return await services.balance(db_session, identity, region_id, year or recruiting_year(clock().date()))
