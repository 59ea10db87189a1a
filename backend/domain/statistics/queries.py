"""The statistics, each one SQL aggregation (GROUP BY, FILTER, percentile_cont) over the views and live tables.

`regions` narrows a statistic to placements and applications that involve those regions (as home or host);
None means the whole programme. Results are small (one row per region, pair or category).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from backend.db.models import Offer, Region, RegionQuota
from backend.domain.statistics.views import application_counts as ac
from backend.domain.statistics.views import placement_facts as pf

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


def _counts_filter(year: int | None, cohort: date | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if year is not None:
        conditions.append(ac.c.programme_year == year)
    if cohort is not None:
        conditions.append(ac.c.cohort == cohort)
    return conditions


def _offers_filter(year: int | None, cohort: date | None) -> list[ColumnElement[bool]]:
    # Offers count once they were published (published, or closed since), in the year of their start date.
    conditions: list[ColumnElement[bool]] = [Offer.published_at.is_not(None)]
    if year is not None:
        conditions.append(extract("year", Offer.start_date) == year)
    if cohort is not None:
        conditions.append(Offer.start_date == cohort)
    return conditions


async def _by_region(session: AsyncSession, query: Select[*tuple[Any, ...]]) -> dict[uuid.UUID, tuple[Any, ...]]:
    return {row[0]: tuple(row[1:]) for row in await session.execute(query)}


async def region_rows(session: AsyncSession, year: int, cohort: date | None, regions: Regions) -> list[dict[str, Any]]:
    """Per region: hosted, sent, balance, quota use, offers, seats, fill rate, applications and acceptance."""
    region_query = select(Region.id, Region.code, Region.name, Region.country).order_by(Region.code)
    if regions is not None:
        region_query = region_query.where(Region.id.in_(regions))
    listed = (await session.execute(region_query)).all()
    facts = _facts_filter(year, cohort, None)
    counts = _counts_filter(year, cohort)
    hosted = await _by_region(
        session, select(pf.c.host_region_id, func.count()).where(*facts).group_by(pf.c.host_region_id)
    )
    sent = await _by_region(
        session, select(pf.c.home_region_id, func.count()).where(*facts).group_by(pf.c.home_region_id)
    )
    received = await _by_region(
        session, select(ac.c.host_region_id, func.sum(ac.c.applications)).where(*counts).group_by(ac.c.host_region_id)
    )
    sent_apps = await _by_region(
        session, select(ac.c.home_region_id, func.sum(ac.c.applications)).where(*counts).group_by(ac.c.home_region_id)
    )
    offers = await _by_region(
        session,
        select(Offer.region_id, func.count(), func.sum(Offer.seats))
        .where(*_offers_filter(year, cohort))
        .group_by(Offer.region_id),
    )
    quotas = await _by_region(
        session,
        select(RegionQuota.region_id, RegionQuota.hosting_quota, RegionQuota.sending_quota).where(
            RegionQuota.programme_year == year
        ),
    )
    rows = []
    for region_id, code, name, country in listed:
        h = int(hosted.get(region_id, (0,))[0])
        s = int(sent.get(region_id, (0,))[0])
        offers_published, seats = offers.get(region_id, (0, 0))
        hosting_quota, sending_quota = quotas.get(region_id, (None, None))
        applications_received = int(received.get(region_id, (0,))[0] or 0)
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
                "offers_published": int(offers_published),
                "seats": int(seats or 0),
                "seats_filled": h,
                "fill_rate": _ratio(h, seats),
                "applications_received": applications_received,
                "applications_sent": int(sent_apps.get(region_id, (0,))[0] or 0),
                "acceptance_rate": _ratio(h, applications_received),
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
        select(home.code, home.country, host.code, host.country, func.count())
        .select_from(pf)
        .join(home, home.id == pf.c.home_region_id)
        .join(host, host.id == pf.c.host_region_id)
        .where(*_facts_filter(year, cohort, regions))
        .group_by(home.code, home.country, host.code, host.country)
        .order_by(home.code, host.code)
    )
    return [
        {"home_region": a, "home_country": b, "host_region": c, "host_country": d, "placements": n}
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
    offer_query = select(Offer.sector, func.count(), func.sum(Offer.seats)).where(*_offers_filter(year, cohort))
    demand_query = select(ac.c.sector, func.sum(ac.c.applications)).where(*_counts_filter(year, cohort))
    if regions is not None:
        offer_query = offer_query.where(Offer.region_id.in_(regions))
        demand_query = demand_query.where(ac.c.host_region_id.in_(regions))
    supply = {s: (int(n), int(seats or 0)) for s, n, seats in await session.execute(offer_query.group_by(Offer.sector))}
    demand = {s: int(n or 0) for s, n in await session.execute(demand_query.group_by(ac.c.sector))}
    rows = []
    for sector in sorted(set(supply) | set(demand)):
        offers, seats = supply.get(sector, (0, 0))
        applications = demand.get(sector, 0)
        rows.append(
            {
                "sector": sector,
                "offers": offers,
                "seats": seats,
                "applications": applications,
                "applications_per_seat": round(applications / seats, 4) if seats else None,
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
    """Per programme year: placements, applications, offers published, seats and the fill rate."""
    facts = (
        select(pf.c.programme_year, func.count())
        .where(*_facts_filter(None, None, regions))
        .group_by(pf.c.programme_year)
    )
    apps = select(ac.c.programme_year, func.sum(ac.c.applications)).group_by(ac.c.programme_year)
    offer_year = extract("year", Offer.start_date).cast(Integer)
    offers = select(offer_year, func.count(), func.sum(Offer.seats)).where(Offer.published_at.is_not(None))
    if regions is not None:
        apps = apps.where(or_(ac.c.home_region_id.in_(regions), ac.c.host_region_id.in_(regions)))
        offers = offers.where(Offer.region_id.in_(regions))
    placements = {y: int(n) for y, n in await session.execute(facts)}
    hosted = placements
    if regions is not None:
        # The fill rate compares the regions' own seats with the placements they hosted.
        hosted_query = (
            select(pf.c.programme_year, func.count())
            .where(pf.c.host_region_id.in_(regions))
            .group_by(pf.c.programme_year)
        )
        hosted = {y: int(n) for y, n in await session.execute(hosted_query)}
    applications = {y: int(n or 0) for y, n in await session.execute(apps)}
    supply = {int(y): (int(n), int(s or 0)) for y, n, s in await session.execute(offers.group_by(offer_year))}
    rows = []
    for year in sorted(set(placements) | set(applications) | set(supply)):
        published, seats = supply.get(year, (0, 0))
        rows.append(
            {
                "programme_year": year,
                "placements": placements.get(year, 0),
                "applications": applications.get(year, 0),
                "offers_published": published,
                "seats": seats,
                "fill_rate": _ratio(hosted.get(year, 0), seats),
            }
        )
    return rows
