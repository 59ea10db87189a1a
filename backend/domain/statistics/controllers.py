from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.params import QueryParameter

from backend.db.models import Role
from backend.domain.statistics import services
from backend.domain.statistics.schemas import (
    DistributionsOut,
    FlowsOut,
    RegionStatsOut,
    TimeToPlacementOut,
    TrendsOut,
)
from backend.domain.statistics.views import refresh
from backend.lib.auth import requires
from backend.lib.deps import AppClock, CurrentIdentity, DbSession

Year = Annotated[int, QueryParameter(ge=2000, le=2100, description="Programme year (the year placements start)")]
Cohort = Annotated[date | None, QueryParameter(description="A cohort: the start date of the placements")]


def _csv(body: str, name: str, year: int | None, cohort: date | None) -> Response[str]:
    suffix = "".join(f"-{part}" for part in (year, cohort) if part is not None)
    return Response(
        content=body,
        media_type="text/csv",  # Litestar adds "; charset=utf-8" to text types
        headers={"Content-Disposition": f'attachment; filename="eurodyssey-{name}{suffix}.csv"'},
    )


class StatisticsController(Controller):
    path = "/statistics"
    tags = ["statistics"]
    guards = [requires(Role.CHAIR, Role.ADMIN, Role.COORDINATOR)]

    @get(
        "/regions",
        operation_id="getRegionStatistics",
        summary="Per region: hosted, sent, balance, quota use, offers, seats, fill rate, applications",
    )
    async def regions(
        self, identity: CurrentIdentity, db_session: DbSession, year: Year, cohort: Cohort = None
    ) -> RegionStatsOut:
        return await services.region_stats(db_session, identity, year, cohort)

    @get("/regions.csv", operation_id="exportRegionStatistics", media_type="text/csv")
    async def regions_csv(
        self, identity: CurrentIdentity, db_session: DbSession, year: Year, cohort: Cohort = None
    ) -> Response[str]:
        stats = await services.region_stats(db_session, identity, year, cohort)
        return _csv(services.region_stats_csv(stats, identity), "regions", year, cohort)

    @get("/flows", operation_id="getFlowStatistics", summary="Placements from home region to host region")
    async def flows(
        self, identity: CurrentIdentity, db_session: DbSession, year: Year, cohort: Cohort = None
    ) -> FlowsOut:
        return await services.flows(db_session, identity, year, cohort)

    @get("/flows.csv", operation_id="exportFlowStatistics", media_type="text/csv")
    async def flows_csv(
        self, identity: CurrentIdentity, db_session: DbSession, year: Year, cohort: Cohort = None
    ) -> Response[str]:
        stats = await services.flows(db_session, identity, year, cohort)
        return _csv(services.flows_csv(stats, identity), "flows", year, cohort)

    @get(
        "/distributions",
        operation_id="getDistributionStatistics",
        summary="Placements by sector, sex, age band, duration, education; supply and demand per sector",
    )
    async def distributions(
        self, identity: CurrentIdentity, db_session: DbSession, year: Year, cohort: Cohort = None
    ) -> DistributionsOut:
        return await services.distributions(db_session, identity, year, cohort)

    @get("/distributions.csv", operation_id="exportDistributionStatistics", media_type="text/csv")
    async def distributions_csv(
        self, identity: CurrentIdentity, db_session: DbSession, year: Year, cohort: Cohort = None
    ) -> Response[str]:
        stats = await services.distributions(db_session, identity, year, cohort)
        return _csv(services.distributions_csv(stats, identity), "distributions", year, cohort)

    @get(
        "/time-to-placement",
        operation_id="getTimeToPlacement",
        summary="Days from application to confirmed placement: median and 90th percentile",
    )
    async def time_to_placement(
        self, identity: CurrentIdentity, db_session: DbSession, year: Year, cohort: Cohort = None
    ) -> TimeToPlacementOut:
        return await services.time_to_placement(db_session, identity, year, cohort)

    @get("/time-to-placement.csv", operation_id="exportTimeToPlacement", media_type="text/csv")
    async def time_to_placement_csv(
        self, identity: CurrentIdentity, db_session: DbSession, year: Year, cohort: Cohort = None
    ) -> Response[str]:
        stats = await services.time_to_placement(db_session, identity, year, cohort)
        return _csv(services.time_to_placement_csv(stats, identity), "time-to-placement", year, cohort)

    @get("/trends", operation_id="getTrends", summary="Totals per programme year")
    async def trends(self, identity: CurrentIdentity, db_session: DbSession) -> TrendsOut:
        return await services.trends(db_session, identity)

    @get("/trends.csv", operation_id="exportTrends", media_type="text/csv")
    async def trends_csv(self, identity: CurrentIdentity, db_session: DbSession) -> Response[str]:
        stats = await services.trends(db_session, identity)
        return _csv(services.trends_csv(stats, identity), "trends", None, None)

    @post(
        "/refresh",
        operation_id="refreshStatistics",
        status_code=204,
        guards=[requires(Role.ADMIN, Role.CHAIR)],
        summary="Rebuild the statistics views now (a worker does it every 10 minutes)",
    )
    async def refresh(self, db_session: DbSession, clock: AppClock) -> None:
        await refresh(db_session, clock())
        await db_session.commit()
