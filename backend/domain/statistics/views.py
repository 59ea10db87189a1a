"""The materialized views statistics read from, and their refresh.

Statistics aggregate in SQL. Applications (millions of rows), offers and placements are pre-aggregated per
region, sector and flow and year and cohort into materialized views that a worker job refreshes, so a request
reads hundreds of rows, not millions; placements, with the applicant's profile and the offer joined in, keep
one row each for the distributions. Quotas are read live. The views live in their own MetaData so Alembic's
model comparison leaves them alone (the migration that creates them is written by hand).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Date, Float, Integer, MetaData, String, Table, Uuid, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import StatisticsRefresh

views = MetaData()

region_year = Table(
    "stats_region_year",
    views,
    Column("programme_year", Integer),
    Column("cohort", Date),
    Column("region_id", Uuid),
    Column("hosted", Integer),
    Column("sent", Integer),
    Column("applications_received", Integer),
    Column("applications_sent", Integer),
    Column("offers_published", Integer),
    Column("seats", Integer),
)

sector_year = Table(
    "stats_sector_year",
    views,
    Column("programme_year", Integer),
    Column("cohort", Date),
    Column("region_id", Uuid),
    Column("sector", String(1)),
    Column("offers", Integer),
    Column("seats", Integer),
    Column("applications", Integer),
)

flows = Table(
    "stats_flows",
    views,
    Column("programme_year", Integer),
    Column("cohort", Date),
    Column("home_region_id", Uuid),
    Column("host_region_id", Uuid),
    Column("placements", Integer),
)

placement_facts = Table(
    "stats_placement_facts",
    views,
    Column("placement_id", Uuid),
    Column("programme_year", Integer),
    Column("cohort", Date),
    Column("home_region_id", Uuid),
    Column("host_region_id", Uuid),
    Column("sector", String(1)),
    Column("duration_months", Integer),
    Column("sex", String(20)),
    Column("age_band", String(10)),
    Column("eqf_level", Integer),
    Column("days_to_placement", Float),
)

VIEW_NAMES = ("stats_region_year", "stats_sector_year", "stats_flows", "stats_placement_facts")


async def refresh(session: AsyncSession, now: datetime, *, concurrently: bool = True) -> None:
    """Rebuild the views. CONCURRENTLY keeps them readable meanwhile (it needs their unique indexes)."""
    mode = " CONCURRENTLY" if concurrently else ""
    for name in VIEW_NAMES:
        await session.execute(text(f"REFRESH MATERIALIZED VIEW{mode} {name}"))
    await session.execute(
        insert(StatisticsRefresh)
        .values(id=1, refreshed_at=now)
        .on_conflict_do_update(index_elements=["id"], set_={"refreshed_at": now})
    )


async def refreshed_at(session: AsyncSession) -> datetime | None:
    return await session.scalar(select(StatisticsRefresh.refreshed_at).where(StatisticsRefresh.id == 1))
