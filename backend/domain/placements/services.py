"""Placements: created by the employer's confirmation, then followed to completion (or interruption)."""

from __future__ import annotations

import calendar
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Application, Offer, Placement, PlacementEvent, PlacementState, Role
from backend.domain.ledger.services import Hold, release
from backend.domain.placements.schemas import PlacementEventOut, PlacementOut
from backend.domain.placements.transitions import (
    NOT_STARTED,
    REASON_REQUIRED,
    PlacementAction,
    PlacementSide,
    decide,
)
from backend.lib.audit import Actor, add_event
from backend.lib.auth import Identity
from backend.lib.errors import Forbidden, InvalidInput, NotFound


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def placement_out(placement: Placement, application: Application) -> PlacementOut:
    return PlacementOut(
        id=placement.id,
        application_id=placement.application_id,
        offer_id=placement.offer_id,
        applicant_id=placement.applicant_id,
        host_region_id=placement.host_region_id,
        home_region_id=placement.home_region_id,
        programme_year=placement.programme_year,
        start_date=placement.start_date,
        end_date=placement.end_date,
        state=placement.state,
        state_reason=placement.state_reason,
        counts_in_quota=application.reserved,
        confirmed_at=placement.confirmed_at,
    )


def record_event(
    session: AsyncSession,
    placement: Placement,
    *,
    actor: Actor,
    action: str,
    from_state: PlacementState | None,
    reason: str | None,
    now: datetime,
) -> None:
    """One row of the placement's audit trail, to its current state."""
    add_event(
        session,
        PlacementEvent,
        placement_id=placement.id,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=placement.state,
        reason=reason,
        now=now,
    )


async def create_placement(
    session: AsyncSession, application: Application, offer: Offer, *, actor: Actor, now: datetime
) -> Placement:
    """The placement of a confirmed application, its trail opened by the confirmation."""
    placement = Placement(
        application_id=application.id,
        offer_id=offer.id,
        applicant_id=application.applicant_id,
        host_region_id=application.host_region_id,
        home_region_id=application.home_region_id,
        programme_year=application.programme_year,
        start_date=offer.start_date,
        end_date=add_months(offer.start_date, offer.duration_months) - timedelta(days=1),
        confirmed_at=now,
        confirmed_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(placement)
    await session.flush()  # its id and state, for the trail
    record_event(session, placement, actor=actor, action="confirm", from_state=None, reason=None, now=now)
    return placement


async def _load(
    session: AsyncSession, placement_id: uuid.UUID, *, lock: bool = False
) -> tuple[Placement, Application, Offer]:
    query = (
        select(Placement, Application, Offer)
        .join(Application, Application.id == Placement.application_id)
        .join(Offer, Offer.id == Placement.offer_id)
        .where(Placement.id == placement_id)
    )
    if lock:
        query = query.with_for_update(of=[Placement, Application]).execution_options(populate_existing=True)
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise NotFound("No such placement.")
    return row[0], row[1], row[2]


def sides_of(identity: Identity, placement: Placement, offer: Offer) -> set[PlacementSide]:
    sides: set[PlacementSide] = set()
    if identity.role is Role.ADMIN or identity.coordinates(placement.host_region_id):
        sides.add(PlacementSide.HOSTING)
    if identity.role is Role.EMPLOYER and identity.organisation_id == offer.organisation_id:
        sides.add(PlacementSide.EMPLOYER)
    return sides


async def get_visible(session: AsyncSession, identity: Identity, placement_id: uuid.UUID) -> PlacementOut:
    placement, application, offer = await _load(session, placement_id)
    visible = (
        identity.role is Role.CHAIR
        or identity.user_id == placement.applicant_id
        or identity.coordinates(placement.home_region_id)
        or bool(sides_of(identity, placement, offer))
    )
    if not visible:
        raise Forbidden("This placement is outside your scope.")
    return placement_out(placement, application)


async def advance(
    session: AsyncSession,
    identity: Identity,
    placement_id: uuid.UUID,
    action: PlacementAction,
    *,
    reason: str | None,
    now: datetime,
) -> PlacementOut:
    placement, application, offer = await _load(session, placement_id, lock=True)
    target = decide(placement.state, action, sides_of(identity, placement, offer))
    if action in REASON_REQUIRED and not reason:
        raise InvalidInput("Give a reason.", field="reason")
    if action is PlacementAction.INTERRUPT and placement.state in NOT_STARTED and application.reserved:
        # Never started: the seat and both quota units go back.
        await release(session, Hold.of(application))
        application.reserved = False
        application.updated_at = now
    before = placement.state
    placement.state, placement.updated_at = target, now
    if reason:
        placement.state_reason = reason
    record_event(
        session, placement, actor=Actor.of(identity), action=action.value, from_state=before, reason=reason, now=now
    )
    await session.flush()
    return placement_out(placement, application)


async def list_events(session: AsyncSession, identity: Identity, placement_id: uuid.UUID) -> list[PlacementEventOut]:
    await get_visible(session, identity, placement_id)
    rows = await session.scalars(
        select(PlacementEvent)
        .where(PlacementEvent.placement_id == placement_id)
        .order_by(PlacementEvent.created_at, PlacementEvent.id)
    )
    return [PlacementEventOut.of(e) for e in rows]
