"""The exchange ledger: seats and quota units held by applications, and each region's live balance.

When the counters move
    A unit is taken when the applicant ACCEPTS a proposal: in one transaction the offer's `seats_taken`,
    the host region's `hosted` and the home region's `sent` (for the programme year of the offer's start
    date) each go up by one, and the application is marked `reserved`. The employer's confirmation then
    turns the held unit into a placement without moving anything. A unit is given back (each counter down
    by one) when a reserved application ends without a placement (the employer refuses, the applicant
    withdraws, the confirmation deadline passes, the offer is withdrawn) or when a placement is interrupted
    before it started. DESIGN.md counts the balance over placements "at least accepted": this is that rule.

How the database refuses overflow
    Each counter moves by an atomic `UPDATE ... SET x = x + 1` and CHECK constraints bound it
    (offers.seats_taken <= seats, region_quotas.hosted <= hosting_quota, sent <= sending_quota). Concurrent
    updates of one row queue on its row lock and each re-evaluates against the committed value, so the last
    unit goes to exactly one transaction; the others hit the CHECK, which is caught inside a SAVEPOINT and
    reported as a 409 naming what ran out. A region without a quota row for the year has a quota of 0.
    Rows are locked in one order (the offer, then the quota rows by region id) so that two acceptances
    whose host and home regions are swapped cannot deadlock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Application, ApplicationState, Offer, Region, RegionQuota, Role
from backend.domain.ledger.ledger import Figures, Flow
from backend.domain.ledger.schemas import BalanceOut, FlowOut
from backend.lib.auth import Identity
from backend.lib.errors import NotFound, QuotaExceeded

Column = Literal["hosted", "sent"]
SIDE_NAME: dict[Column, str] = {"hosted": "hosting", "sent": "sending"}


@dataclass(frozen=True)
class Hold:
    """What one accepted placement holds: a seat of its offer and a unit of two regions' quotas."""

    offer_id: uuid.UUID
    host_region_id: uuid.UUID
    home_region_id: uuid.UUID
    year: int

    @classmethod
    def of(cls, application: Application) -> Hold:
        return cls(
            application.offer_id, application.host_region_id, application.home_region_id, application.programme_year
        )

    def quota_rows(self) -> list[tuple[uuid.UUID, Column]]:
        """The quota rows to move, in the one lock order every transaction uses."""
        return sorted([(self.host_region_id, "hosted"), (self.home_region_id, "sent")], key=lambda r: r[0].bytes)


class _MissingQuota(Exception):
    def __init__(self, region_id: uuid.UUID, column: Column) -> None:
        self.region_id, self.column = region_id, column


def _constraint(exc: IntegrityError) -> str:
    cause = getattr(exc.orig, "__cause__", None)
    return str(getattr(cause, "constraint_name", None) or exc.orig)


async def _region_code(session: AsyncSession, region_id: uuid.UUID) -> str:
    return (await session.scalar(select(Region.code).where(Region.id == region_id))) or str(region_id)


async def reserve(session: AsyncSession, hold: Hold) -> None:
    """Take a seat and both quota units, or raise QuotaExceeded naming what ran out (nothing is kept)."""
    try:
        async with session.begin_nested():
            await session.execute(
                update(Offer)
                .where(Offer.id == hold.offer_id)
                .values(seats_taken=Offer.seats_taken + 1)
                .execution_options(synchronize_session=False)
            )
            for region_id, column in hold.quota_rows():
                moved = await session.execute(
                    update(RegionQuota)
                    .where(RegionQuota.region_id == region_id, RegionQuota.programme_year == hold.year)
                    .values({column: getattr(RegionQuota, column) + 1})
                    .returning(RegionQuota.id)
                    .execution_options(synchronize_session=False)
                )
                if moved.first() is None:
                    raise _MissingQuota(region_id, column)
    except _MissingQuota as missing:
        code = await _region_code(session, missing.region_id)
        raise QuotaExceeded(
            f"Region {code} has no {SIDE_NAME[missing.column]} quota for {hold.year}.", state="no_quota"
        ) from None
    except IntegrityError as exc:
        name = _constraint(exc)
        if "seats_within_capacity" in name:
            raise QuotaExceeded("Every seat of this offer is taken.", state="no_seat") from None
        full: Column = "hosted" if "hosted_within_quota" in name else "sent"
        region_id = hold.host_region_id if full == "hosted" else hold.home_region_id
        code = await _region_code(session, region_id)
        raise QuotaExceeded(
            f"The {SIDE_NAME[full]} quota of region {code} for {hold.year} is used up.",
            state=f"{SIDE_NAME[full]}_quota_used_up",
        ) from None


async def release(session: AsyncSession, hold: Hold) -> None:
    """Give back what `reserve` took (same lock order)."""
    await session.execute(
        update(Offer)
        .where(Offer.id == hold.offer_id)
        .values(seats_taken=Offer.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    for region_id, column in hold.quota_rows():
        await session.execute(
            update(RegionQuota)
            .where(RegionQuota.region_id == region_id, RegionQuota.programme_year == hold.year)
            .values({column: getattr(RegionQuota, column) - 1})
            .execution_options(synchronize_session=False)
        )


def _count(condition: Any) -> Any:
    return func.count().filter(condition)


async def figures(session: AsyncSession, region_id: uuid.UUID, year: int) -> Figures:
    quota = await session.scalar(
        select(RegionQuota).where(RegionQuota.region_id == region_id, RegionQuota.programme_year == year)
    )
    a = Application
    hosting, sending = a.host_region_id == region_id, a.home_region_id == region_id
    proposed, accepted = a.state == ApplicationState.PROPOSED, a.state == ApplicationState.ACCEPTED
    confirmed = and_(a.state == ApplicationState.CONFIRMED, a.reserved)
    row = (
        await session.execute(
            select(
                _count(and_(hosting, proposed)),
                _count(and_(hosting, accepted)),
                _count(and_(hosting, confirmed)),
                _count(and_(sending, proposed)),
                _count(and_(sending, accepted)),
                _count(and_(sending, confirmed)),
            ).where(
                a.programme_year == year,
                or_(hosting, sending),
                a.state.in_([ApplicationState.PROPOSED, ApplicationState.ACCEPTED, ApplicationState.CONFIRMED]),
            )
        )
    ).one()
    h_prop, h_acc, h_conf, s_prop, s_acc, s_conf = (int(v) for v in row)
    return Figures(
        hosting=Flow(
            quota=quota.hosting_quota if quota else 0,
            used=quota.hosted if quota else 0,
            confirmed=h_conf,
            accepted=h_acc,
            proposed=h_prop,
        ),
        sending=Flow(
            quota=quota.sending_quota if quota else 0,
            used=quota.sent if quota else 0,
            confirmed=s_conf,
            accepted=s_acc,
            proposed=s_prop,
        ),
        has_quota=quota is not None,
    )


@dataclass(frozen=True)
class Discrepancy:
    what: str
    key: str
    counter: int
    counted: int


async def audit(session: AsyncSession) -> list[Discrepancy]:
    """Recount every counter from the reserved applications; an empty list means the ledger is consistent."""
    found: list[Discrepancy] = []
    held = (
        select(Application.offer_id, func.count().label("n"))
        .where(Application.reserved)
        .group_by(Application.offer_id)
        .subquery()
    )
    offers = await session.execute(
        select(Offer.id, Offer.seats_taken, func.coalesce(held.c.n, 0))
        .outerjoin(held, held.c.offer_id == Offer.id)
        .where(Offer.seats_taken != func.coalesce(held.c.n, 0))
    )
    found += [Discrepancy("seats_taken", str(i), c, n) for i, c, n in offers]
    for column, region_col in (("hosted", Application.host_region_id), ("sent", Application.home_region_id)):
        counted = (
            select(region_col.label("region_id"), Application.programme_year, func.count().label("n"))
            .where(Application.reserved)
            .group_by(region_col, Application.programme_year)
            .subquery()
        )
        counter = getattr(RegionQuota, column)
        rows = await session.execute(
            select(RegionQuota.region_id, RegionQuota.programme_year, counter, func.coalesce(counted.c.n, 0))
            .outerjoin(
                counted,
                and_(
                    counted.c.region_id == RegionQuota.region_id,
                    counted.c.programme_year == RegionQuota.programme_year,
                ),
            )
            .where(counter != func.coalesce(counted.c.n, 0))
        )
        found += [Discrepancy(column, f"{r}/{y}", c, n) for r, y, c, n in rows]
    return found


def balance_out(region: Region, year: int, f: Figures) -> BalanceOut:
    def flow(x: Flow) -> FlowOut:
        return FlowOut(
            quota=x.quota,
            used=x.used,
            remaining=x.remaining,
            confirmed=x.confirmed,
            accepted=x.accepted,
            proposed=x.proposed,
            pending=x.pending,
        )

    return BalanceOut(
        region_id=region.id,
        region_code=region.code,
        programme_year=year,
        has_quota=f.has_quota,
        hosting_quota=f.hosting.quota,
        sending_quota=f.sending.quota,
        hosting_used=f.hosting.used,
        sending_used=f.sending.used,
        hosting_remaining=f.hosting.remaining,
        sending_remaining=f.sending.remaining,
        hosted=f.hosted,
        sent=f.sent,
        balance=f.balance,
        pending=f.pending,
        hosting=flow(f.hosting),
        sending=flow(f.sending),
    )


async def balance(session: AsyncSession, identity: Identity, region_id: uuid.UUID, year: int) -> BalanceOut:
    if identity.role not in (Role.ADMIN, Role.CHAIR):
        identity.require_region(region_id)
    region = await session.get(Region, region_id)
    if region is None:
        raise NotFound("No such region.")
    return balance_out(region, year, await figures(session, region_id, year))
