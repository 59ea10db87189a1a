from __future__ import annotations

import uuid
from datetime import date, datetime

from backend.lib.schemas import Output


class RegionStat(Output):
    region_id: uuid.UUID | None
    region_code: str
    region_name: str
    country: str | None
    hosted: int
    sent: int
    balance: int
    hosting_quota: int | None
    sending_quota: int | None
    hosting_quota_use: float | None
    sending_quota_use: float | None
    offers_published: int
    seats: int
    seats_filled: int
    fill_rate: float | None
    applications_received: int
    applications_sent: int
    acceptance_rate: float | None


class Scope(Output):
    """Whose data a statistic covers: the whole programme, or the caller's regions (with totals beside)."""

    year: int | None
    cohort: date | None
    regions: list[str] | None
    as_of: datetime | None


class RegionStatsOut(Output):
    scope: Scope
    regions: list[RegionStat]
    programme_totals: RegionStat


class FlowOut(Output):
    home_region: str
    home_country: str
    host_region: str
    host_country: str
    placements: int


class CountryFlowOut(Output):
    home_country: str
    host_country: str
    placements: int


class FlowsOut(Output):
    scope: Scope
    flows: list[FlowOut]
    country_flows: list[CountryFlowOut]
    placements: int


class Category(Output):
    category: str
    placements: int


class Distributions(Output):
    sector: list[Category]
    sex: list[Category]
    age_band: list[Category]
    duration_months: list[Category]
    eqf_level: list[Category]


class SectorSupply(Output):
    sector: str
    offers: int
    seats: int
    applications: int
    applications_per_seat: float | None


class DistributionsOut(Output):
    scope: Scope
    placements: Distributions
    programme_placements: Distributions
    supply_demand: list[SectorSupply]


class TimeToPlacement(Output):
    placements: int
    median_days: float | None
    p90_days: float | None


class TimeToPlacementOut(Output):
    scope: Scope
    selected: TimeToPlacement
    programme: TimeToPlacement


class TrendRow(Output):
    programme_year: int
    placements: int
    applications: int
    offers_published: int
    seats: int
    fill_rate: float | None


class TrendsOut(Output):
    scope: Scope
    years: list[TrendRow]
    programme_years: list[TrendRow]
