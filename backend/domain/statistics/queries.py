"""The statistics, each one SQL aggregation (GROUP BY, FILTER, percentile_cont) over the views and live tables.

`regions` narrows a statistic to placements and applications that involve those regions (as home or host);
None means the whole programme. Results are small (one row per region, pair or category).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from backend.db.models import Region, RegionQuota
from backend.domain.statistics.views import flows as fl
from backend.domain.statistics.views import placement_facts as pf
from backend.domain.statistics.views import region_year as ry
from backend.domain.statistics.views import sector_year as sy

Regions = Sequence[uuid.UUID] | None
DISTRIBUTIONS = ("sector", "sex", "age_band", "duration_months", "eqf_level")


def _facts_filter(year: int | None, cohort: date | None, regions: Regions) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if year is not None:
        conditions.append(pf.c.programme_year == year)
    if cohort is not None:
        conditions.append(pf.c.cohort == cohort)
    if regions is not None:
        conditions.append(or_(pf.c.home_region_id.in_(regions), pf.c.host_region_id.in_(regions)))
    return conditions


def _period(table: Any, year: int | None, cohort: date | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if year is not None:
        conditions.append(table.c.programme_year == year)
    if cohort is not None:
        conditions.append(table.c.cohort == cohort)
    return conditions


FIGURES = ("hosted", "sent", "applications_received", "applications_sent", "offers_published", "seats")


async def region_rows(session: AsyncSession, year: int, cohort: date | None, regions: Regions) -> list[dict[str, Any]]:
    """Per region: hosted, sent, balance, quota use, offers, seats, fill rate, applications and acceptance."""
    sums = (
        select(ry.c.region_id, *[func.sum(ry.c[f]).label(f) for f in FIGURES])
        .where(*_period(ry, year, cohort))
        .group_by(ry.c.region_id)
        .subquery()
    )
    query = (
        select(
            Region.id,
            Region.code,
            Region.name,
            Region.country,
            RegionQuota.hosting_quota,
            RegionQuota.sending_quota,
            *[func.coalesce(sums.c[f], 0) for f in FIGURES],
        )
        .outerjoin(sums, sums.c.region_id == Region.id)
        .outerjoin(RegionQuota, and_(RegionQuota.region_id == Region.id, RegionQuota.programme_year == year))
        .order_by(Region.code)
    )
    if regions is not None:
        query = query.where(Region.id.in_(regions))
    rows = []
    for region_id, code, name, country, hosting_quota, sending_quota, *values in await session.execute(query):
        h, s, received, sent_apps, offers, seats = (int(v) for v in values)
        rows.append(
            {
                "region_id": region_id,
                "region_code": code,
                "region_name": name,
                "country": country,
                "hosted": h,
                "sent": s,
                "balance": h - s,
                "hosting_quota": hosting_quota,
                "sending_quota": sending_quota,
                "hosting_quota_use": _ratio(h, hosting_quota),
                "sending_quota_use": _ratio(s, sending_quota),
                "offers_published": offers,
                "seats": seats,
                "seats_filled": h,
                "fill_rate": _ratio(h, seats),
                "applications_received": received,
                "applications_sent": sent_apps,
                "acceptance_rate": _ratio(h, received),
            }
        )
    return rows


def totals_row(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Programme totals of per-region rows (the sums are the programme's: every placement has one host)."""
    keys = ("hosted", "sent", "offers_published", "seats", "seats_filled", "applications_received", "applications_sent")
    total: dict[str, Any] = {k: sum(int(r[k]) for r in rows) for k in keys}
    quota_keys = ("hosting_quota", "sending_quota")
    total.update({k: sum(int(r[k]) for r in rows if r[k] is not None) for k in quota_keys})
    total.update(
        {
            "region_id": None,
            "region_code": "ALL",
            "region_name": "Programme total",
            "country": None,
            "balance": total["hosted"] - total["sent"],
            "hosting_quota_use": _ratio(total["hosted"], total["hosting_quota"]),
            "sending_quota_use": _ratio(total["sent"], total["sending_quota"]),
            "fill_rate": _ratio(total["seats_filled"], total["seats"]),
            "acceptance_rate": _ratio(total["hosted"], total["applications_received"]),
        }
    )
    return total


def _ratio(numerator: int, denominator: int | None) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


async def flow_rows(session: AsyncSession, year: int, cohort: date | None, regions: Regions) -> list[dict[str, Any]]:
    home, host = aliased(Region), aliased(Region)
    query = (
        select(home.code, home.country, host.code, host.country, func.sum(fl.c.placements))
        .select_from(fl)
        .join(home, home.id == fl.c.home_region_id)
        .join(host, host.id == fl.c.host_region_id)
        .where(*_period(fl, year, cohort))
        .group_by(home.code, home.country, host.code, host.country)
        .order_by(home.code, host.code)
    )
    if regions is not None:
        query = query.where(or_(fl.c.home_region_id.in_(regions), fl.c.host_region_id.in_(regions)))
    return [
        {"home_region": a, "home_country": b, "host_region": c, "host_country": d, "placements": int(n)}
        for a, b, c, d, n in await session.execute(query)
    ]


def country_flows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Region-to-region flows summed per pair of countries (a handful of rows: no second query needed)."""
    pairs: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["home_country"], row["host_country"])
        pairs[key] = pairs.get(key, 0) + int(row["placements"])
    return [{"home_country": a, "host_country": b, "placements": n} for (a, b), n in sorted(pairs.items())]


async def distribution_rows(
    session: AsyncSession, year: int, cohort: date | None, regions: Regions
) -> dict[str, list[dict[str, Any]]]:
    """Placements by sector, sex, age band, duration and education level (one GROUPING SETS query)."""
    keys = [pf.c[name] for name in DISTRIBUTIONS]
    query = (
        select(*keys, *[func.grouping(k) for k in keys], func.count())
        .where(*_facts_filter(year, cohort, regions))
        .group_by(func.grouping_sets(*keys))
    )
    result: dict[str, list[dict[str, Any]]] = {name: [] for name in DISTRIBUTIONS}
    width = len(DISTRIBUTIONS)
    for row in await session.execute(query):
        values, grouping, count = row[:width], row[width : 2 * width], row[-1]
        for i, name in enumerate(DISTRIBUTIONS):
            if grouping[i] == 0:
                result[name].append({"category": str(values[i]), "placements": int(count)})
    for rows in result.values():
        rows.sort(key=lambda r: r["category"])
    return result


async def sector_supply_demand(
    session: AsyncSession, year: int, cohort: date | None, regions: Regions
) -> list[dict[str, Any]]:
    """Seats offered and applications received per sector (regions narrow to the host side)."""
    query = (
        select(sy.c.sector, func.sum(sy.c.offers), func.sum(sy.c.seats), func.sum(sy.c.applications))
        .where(*_period(sy, year, cohort))
        .group_by(sy.c.sector)
        .order_by(sy.c.sector)
    )
    if regions is not None:
        query = query.where(sy.c.region_id.in_(regions))
    rows = []
    for sector, offers, seats, applications in await session.execute(query):
        rows.append(
            {
                "sector": sector,
                "offers": int(offers),
                "seats": int(seats),
                "applications": int(applications),
                "applications_per_seat": round(int(applications) / int(seats), 4) if seats else None,
            }
        )
    return rows


async def time_to_placement(session: AsyncSession, year: int, cohort: date | None, regions: Regions) -> dict[str, Any]:
    query = select(
        func.count(),
        func.percentile_cont(0.5).within_group(pf.c.days_to_placement),
        func.percentile_cont(0.9).within_group(pf.c.days_to_placement),
    ).where(*_facts_filter(year, cohort, regions))
    count, median, p90 = (await session.execute(query)).one()
    return {"placements": int(count), "median_days": _days(median), "p90_days": _days(p90)}


def _days(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


async def trend_rows(session: AsyncSession, regions: Regions) -> list[dict[str, Any]]:
    """Per programme year: placements, applications, offers published, seats and the fill rate.

    For a set of regions: placements and applications that involve them (received or sent; one between two of
    the set counts once per side), and the fill rate of their own seats."""
    placements_query = select(fl.c.programme_year, func.sum(fl.c.placements)).group_by(fl.c.programme_year)
    figures_query = select(
        ry.c.programme_year,
        func.sum(ry.c.hosted),
        func.sum(ry.c.applications_received),
        func.sum(ry.c.applications_sent),
        func.sum(ry.c.offers_published),
        func.sum(ry.c.seats),
    ).group_by(ry.c.programme_year)
    if regions is not None:
        placements_query = placements_query.where(
            or_(fl.c.home_region_id.in_(regions), fl.c.host_region_id.in_(regions))
        )
        figures_query = figures_query.where(ry.c.region_id.in_(regions))
    placements = {int(y): int(n) for y, n in await session.execute(placements_query)}
    rows = []
    for year, hosted, received, sent, offers, seats in await session.execute(
        figures_query.order_by(ry.c.programme_year)
    ):
        applications = int(received) if regions is None else int(received) + int(sent)
        rows.append(
            {
                "programme_year": int(year),
                "placements": placements.get(int(year), 0),
                "applications": applications,
                "offers_published": int(offers),
                "seats": int(seats),
                "fill_rate": _ratio(int(hosted), int(seats)),
            }
        )
    return rows
