"""Statistics for chairs (the whole programme) and coordinators (their regions, programme totals beside).

Coordinators see rows of their own regions and aggregates of the programme, never another region's rows.
Exports (CSV) suppress counts under 5 for everyone but admins, and mark the suppressed fields.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Region, Role
from backend.domain.statistics import queries
from backend.domain.statistics.csv_export import to_csv
from backend.domain.statistics.schemas import (
    CountryFlowOut,
    Distributions,
    DistributionsOut,
    FlowOut,
    FlowsOut,
    RegionStat,
    RegionStatsOut,
    Scope,
    SectorSupply,
    TimeToPlacement,
    TimeToPlacementOut,
    TrendRow,
    TrendsOut,
)
from backend.domain.statistics.suppression import suppress_rows
from backend.domain.statistics.views import refreshed_at
from backend.lib.auth import Identity
from backend.lib.errors import Forbidden


def scope_regions(identity: Identity) -> list[uuid.UUID] | None:
    if identity.role in (Role.CHAIR, Role.ADMIN):
        return None
    if identity.role is Role.COORDINATOR and identity.region_ids:
        return sorted(identity.region_ids)
    raise Forbidden("Statistics are for the programme chair, admins and coordinators.")


async def _scope(
    session: AsyncSession, year: int | None, cohort: date | None, regions: list[uuid.UUID] | None
) -> Scope:
    codes = None
    if regions is not None:
        codes = sorted(await session.scalars(select(Region.code).where(Region.id.in_(regions))))
    return Scope(year=year, cohort=cohort, regions=codes, as_of=await refreshed_at(session))


async def region_stats(session: AsyncSession, identity: Identity, year: int, cohort: date | None) -> RegionStatsOut:
    regions = scope_regions(identity)
    rows = await queries.region_rows(session, year, cohort, None)
    visible = rows if regions is None else [r for r in rows if r["region_id"] in regions]
    return RegionStatsOut(
        scope=await _scope(session, year, cohort, regions),
        regions=[RegionStat(**r) for r in visible],
        programme_totals=RegionStat(**queries.totals_row(rows)),
    )


async def flows(session: AsyncSession, identity: Identity, year: int, cohort: date | None) -> FlowsOut:
    regions = scope_regions(identity)
    rows = await queries.flow_rows(session, year, cohort, regions)
    return FlowsOut(
        scope=await _scope(session, year, cohort, regions),
        flows=[FlowOut(**r) for r in rows],
        country_flows=[CountryFlowOut(**r) for r in queries.country_flows(rows)],
        placements=sum(int(r["placements"]) for r in rows),
    )


def _distributions(data: dict[str, list[dict[str, Any]]]) -> Distributions:
    return msgspec.convert(data, Distributions)


async def distributions(session: AsyncSession, identity: Identity, year: int, cohort: date | None) -> DistributionsOut:
    regions = scope_regions(identity)
    selected = await queries.distribution_rows(session, year, cohort, regions)
    programme = selected if regions is None else await queries.distribution_rows(session, year, cohort, None)
    supply = await queries.sector_supply_demand(session, year, cohort, regions)
    return DistributionsOut(
        scope=await _scope(session, year, cohort, regions),
        placements=_distributions(selected),
        programme_placements=_distributions(programme),
        supply_demand=[SectorSupply(**r) for r in supply],
    )


async def time_to_placement(
    session: AsyncSession, identity: Identity, year: int, cohort: date | None
) -> TimeToPlacementOut:
    regions = scope_regions(identity)
    selected = await queries.time_to_placement(session, year, cohort, regions)
    programme = selected if regions is None else await queries.time_to_placement(session, year, cohort, None)
    return TimeToPlacementOut(
        scope=await _scope(session, year, cohort, regions),
        selected=TimeToPlacement(**selected),
        programme=TimeToPlacement(**programme),
    )


async def trends(session: AsyncSession, identity: Identity) -> TrendsOut:
    regions = scope_regions(identity)
    selected = await queries.trend_rows(session, regions)
    programme = selected if regions is None else await queries.trend_rows(session, None)
    return TrendsOut(
        scope=await _scope(session, None, None, regions),
        years=[TrendRow(**r) for r in selected],
        programme_years=[TrendRow(**r) for r in programme],
    )


# -- exports ------------------------------------------------------------------------------------------------

REGION_FIELDS = [
    "region_code",
    "region_name",
    "country",
    "hosted",
    "sent",
    "balance",
    "hosting_quota",
    "sending_quota",
    "hosting_quota_use",
    "sending_quota_use",
    "offers_published",
    "seats",
    "seats_filled",
    "fill_rate",
    "applications_received",
    "applications_sent",
    "acceptance_rate",
]
REGION_COUNTS = ["hosted", "sent", "seats_filled", "applications_received", "applications_sent"]
REGION_DEPENDENT = {
    "balance": ["hosted", "sent"],
    "hosting_quota_use": ["hosted"],
    "sending_quota_use": ["sent"],
    "fill_rate": ["seats_filled"],
    "acceptance_rate": ["hosted", "applications_received"],
}


def _export(
    rows: list[dict[str, Any]],
    fields: list[str],
    counts: list[str],
    identity: Identity,
    dependent: dict[str, list[str]] | None = None,
) -> str:
    if identity.role is Role.ADMIN:
        return to_csv(rows, fields)
    return to_csv(suppress_rows(rows, counts, dependent), [*fields, "suppressed"])


def region_stats_csv(stats: RegionStatsOut, identity: Identity) -> str:
    rows = [msgspec.to_builtins(r) for r in [*stats.regions, stats.programme_totals]]
    return _export(rows, REGION_FIELDS, REGION_COUNTS, identity, REGION_DEPENDENT)


def flows_csv(stats: FlowsOut, identity: Identity) -> str:
    rows = [msgspec.to_builtins(r) for r in stats.flows]
    fields = ["home_region", "home_country", "host_region", "host_country", "placements"]
    return _export(rows, fields, ["placements"], identity)


def distributions_csv(stats: DistributionsOut, identity: Identity) -> str:
    rows = [
        {"dimension": dimension, **msgspec.to_builtins(category)}
        for dimension in queries.DISTRIBUTIONS
        for category in getattr(stats.placements, dimension)
    ]
    return _export(rows, ["dimension", "category", "placements"], ["placements"], identity)


def time_to_placement_csv(stats: TimeToPlacementOut, identity: Identity) -> str:
    rows = [
        {"scope": "selected", **msgspec.to_builtins(stats.selected)},
        {"scope": "programme", **msgspec.to_builtins(stats.programme)},
    ]
    fields = ["scope", "placements", "median_days", "p90_days"]
    return _export(rows, fields, ["placements"], identity, {"median_days": ["placements"], "p90_days": ["placements"]})


def trends_csv(stats: TrendsOut, identity: Identity) -> str:
    rows = [msgspec.to_builtins(r) for r in stats.years]
    fields = ["programme_year", "placements", "applications", "offers_published", "seats", "fill_rate"]
    return _export(rows, fields, ["placements", "applications"], identity, {"fill_rate": ["placements"]})
