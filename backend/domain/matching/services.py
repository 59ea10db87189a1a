"""Matching rounds: run the engine on a stored input, let coordinators review and edit, publish proposals.

Publishing re-checks every seat and quota inside the transaction (offer and quota rows locked): what a
concurrent decision used up since the round ran is dropped, and the round's report says which and why.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    Application,
    ApplicationState,
    MatchingRound,
    Offer,
    OfferState,
    RegionQuota,
    Role,
    RoundAssignment,
    RoundEdit,
    RoundState,
)
from backend.domain.applications.transitions import Action
from backend.domain.applications.workflow import move
from backend.domain.matching import snapshot as snap
from backend.domain.matching.schemas import AssignmentOut, EditOut, ReplayOut, RoundIn, RoundOut
from backend.lib.audit import Actor
from backend.lib.auth import Identity
from backend.lib.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from backend.lib.settings import Settings
from backend.matching_engine import MatchingResult, compare


def _may_run(identity: Identity, region_id: uuid.UUID | None) -> None:
    if region_id is None:
        if identity.role not in (Role.CHAIR, Role.ADMIN):
            raise Forbidden("A programme-wide round is the chair's; coordinators run rounds for their region.")
    elif not (identity.role is Role.ADMIN or identity.coordinates(region_id)):
        raise Forbidden("You do not coordinate this region.")


def _diagnostics(result: MatchingResult) -> dict[str, Any]:
    d = asdict(result.diagnostics)
    d["assignment"] = dict(sorted(result.assignment.items()))
    return d


async def _offers_of(session: AsyncSession, data: RoundIn) -> list[uuid.UUID]:
    query = select(Offer.id, Offer.region_id, Offer.start_date, Offer.state)
    if data.offer_ids:
        query = query.where(Offer.id.in_(data.offer_ids))
    else:
        query = query.where(Offer.state.in_([OfferState.PUBLISHED, OfferState.CLOSED]))
        if data.region_id is not None:
            query = query.where(Offer.region_id == data.region_id)
    rows = (await session.execute(query)).all()
    if data.offer_ids:
        found = {r.id for r in rows}
        missing = [str(o) for o in data.offer_ids if o not in found]
        if missing:
            raise InvalidInput(f"Unknown offer: {', '.join(missing)}.", field="offer_ids")
        for r in rows:
            if data.region_id is not None and r.region_id != data.region_id:
                raise InvalidInput("Every offer of a regional round must be in its region.", field="offer_ids")
    return [r.id for r in rows if r.start_date.year == data.programme_year]


async def open_round(session: AsyncSession, identity: Identity, data: RoundIn, now: datetime) -> MatchingRound:
    _may_run(identity, data.region_id)
    offer_ids = await _offers_of(session, data)
    snapshot = await snap.collect(session, data.programme_year, offer_ids)
    both = compare(snap.engine_input(snapshot), tolerance=data.tolerance)
    chosen = both.stable if data.policy == "stable" else both.balanced
    round_ = MatchingRound(
        programme_year=data.programme_year,
        region_id=data.region_id,
        policy=data.policy,
        tolerance=data.tolerance,
        state=RoundState.DRAFT,
        input_snapshot=snapshot,
        input_hash=snap.canonical_hash(snapshot),
        diagnostics={"stable": _diagnostics(both.stable), "balanced": _diagnostics(both.balanced)},
        created_by_id=identity.user_id,
        created_at=now,
    )
    session.add(round_)
    await session.flush()
    for applicant_id, offer_id in sorted(chosen.assignment.items()):
        application_id = snap.application_of(snapshot, applicant_id, offer_id)
        assert application_id is not None  # the engine only assigns offers the applicant applied to
        session.add(
            RoundAssignment(
                round_id=round_.id,
                application_id=uuid.UUID(application_id),
                applicant_id=uuid.UUID(applicant_id),
                offer_id=uuid.UUID(offer_id),
                source="engine",
            )
        )
    await session.flush()
    return round_


async def load_round(
    session: AsyncSession, identity: Identity, round_id: uuid.UUID, *, lock: bool = False
) -> MatchingRound:
    round_ = await session.get(MatchingRound, round_id, with_for_update=lock)
    if round_ is None:
        raise NotFound("No such round.")
    if identity.role is not Role.CHAIR or round_.region_id is not None:
        _may_run(identity, round_.region_id)
    return round_


async def round_out(session: AsyncSession, round_: MatchingRound) -> RoundOut:
    assignments = await session.scalars(
        select(RoundAssignment).where(RoundAssignment.round_id == round_.id).order_by(RoundAssignment.applicant_id)
    )
    edits = await session.scalars(
        select(RoundEdit).where(RoundEdit.round_id == round_.id).order_by(RoundEdit.created_at)
    )
    return RoundOut(
        id=round_.id,
        programme_year=round_.programme_year,
        region_id=round_.region_id,
        policy=round_.policy,
        tolerance=round_.tolerance,
        state=round_.state.value,
        input_hash=round_.input_hash,
        created_by_id=round_.created_by_id,
        created_at=round_.created_at,
        published_at=round_.published_at,
        answer_deadline=round_.answer_deadline,
        diagnostics=round_.diagnostics,
        assignments=[
            AssignmentOut(
                application_id=a.application_id,
                applicant_id=a.applicant_id,
                offer_id=a.offer_id,
                source=a.source,
                removed=a.removed,
                outcome=a.outcome,
            )
            for a in assignments
        ],
        edits=[
            EditOut(
                action=e.action,
                application_id=e.application_id,
                reason=e.reason,
                actor_id=e.actor_id,
                created_at=e.created_at,
            )
            for e in edits
        ],
        publish_report=round_.publish_report,
    )


def _require_draft(round_: MatchingRound) -> None:
    if round_.state is not RoundState.DRAFT:
        raise InvalidTransition(f"This round is {round_.state.value}: only a draft changes.", state=round_.state.value)


async def edit(
    session: AsyncSession,
    identity: Identity,
    round_id: uuid.UUID,
    action: str,
    application_id: uuid.UUID,
    reason: str,
    now: datetime,
) -> MatchingRound:
    round_ = await load_round(session, identity, round_id, lock=True)
    _require_draft(round_)
    current = {
        a.application_id: a
        for a in await session.scalars(select(RoundAssignment).where(RoundAssignment.round_id == round_.id))
    }
    if action == "remove":
        entry = current.get(application_id)
        if entry is None or entry.removed:
            raise InvalidInput("This application is not among the round's proposals.", field="application_id")
        entry.removed = True
    else:
        offered = {
            uuid.UUID(app_id): (uuid.UUID(a["id"]), uuid.UUID(offer_id))
            for a in round_.input_snapshot["applicants"]
            for offer_id, app_id in a["applications"].items()
        }
        if application_id not in offered:
            raise InvalidInput(
                "Only an application of the round's input (shortlisted, ranked) can be added.", field="application_id"
            )
        applicant_id, offer_id = offered[application_id]
        if any(a.applicant_id == applicant_id and not a.removed for a in current.values()):
            raise InvalidInput("The applicant already has a proposal in this round.", field="application_id")
        seats = next(int(o["seats"]) for o in round_.input_snapshot["offers"] if o["id"] == str(offer_id))
        if sum(a.offer_id == offer_id and not a.removed for a in current.values()) >= seats:
            # Added anyway, it would take a seat from a proposal above it at publication, without a word.
            raise InvalidInput(
                "Every free seat of this offer has a proposal in this round: remove one of them first.",
                field="application_id",
            )
        if application_id in current:
            current[application_id].removed = False
        else:
            session.add(
                RoundAssignment(
                    round_id=round_.id,
                    application_id=application_id,
                    applicant_id=applicant_id,
                    offer_id=offer_id,
                    source="manual",
                )
            )
    session.add(
        RoundEdit(
            round_id=round_.id,
            actor_id=identity.user_id,
            action=action,
            application_id=application_id,
            reason=reason.strip(),
            created_at=now,
        )
    )
    await session.flush()
    return round_


async def publish(
    session: AsyncSession,
    identity: Identity,
    round_id: uuid.UUID,
    answer_deadline: datetime,
    now: datetime,
    settings: Settings,
) -> MatchingRound:
    """Turn the round's assignments into proposals, re-checking seats and quotas under row locks."""
    round_ = await load_round(session, identity, round_id, lock=True)
    _require_draft(round_)
    if answer_deadline <= now:
        raise InvalidInput("The answer deadline must be in the future.", field="answer_deadline")
    # The engine's proposals first: a seat or quota unit gone since the round ran is taken from a hand-added
    # proposal before one the engine made.
    entries = list(
        await session.scalars(
            select(RoundAssignment)
            .where(RoundAssignment.round_id == round_.id, RoundAssignment.removed.is_(False))
            .order_by(RoundAssignment.source != "engine", RoundAssignment.application_id)
        )
    )
    offers = {
        o.id: o
        for o in await session.scalars(
            select(Offer).where(Offer.id.in_({e.offer_id for e in entries})).order_by(Offer.id).with_for_update()
        )
    }
    upcoming = [o.start_date for o in offers.values() if o.start_date > now.date()]
    if upcoming:
        first = min(upcoming)
        if answer_deadline.date() >= first:
            raise InvalidInput(
                f"The answer deadline must come before the round's first traineeship start ({first.isoformat()}).",
                field="answer_deadline",
            )
    applications = {
        a.id: a
        for a in await session.scalars(
            select(Application)
            .where(Application.id.in_([e.application_id for e in entries]))
            .order_by(Application.id)
            .with_for_update()
        )
    }
    regions = {a.host_region_id for a in applications.values()} | {a.home_region_id for a in applications.values()}
    quotas = {
        q.region_id: q
        for q in await session.scalars(
            select(RegionQuota)
            .where(RegionQuota.region_id.in_(regions), RegionQuota.programme_year == round_.programme_year)
            .order_by(RegionQuota.region_id)
            .with_for_update()
        )
    }
    # Read under the quota locks, as `_pending` is: a round published meanwhile is seen once it committed, so
    # two rounds published at once cannot both propose to one applicant.
    holding = set(await session.scalars(snap.holding_applicants(round_.programme_year)))
    pending_offer, pending_host, pending_home = await _pending(session, round_.programme_year, regions, set(offers))
    proposed, dropped = 0, []
    for entry in entries:
        application, offer = applications[entry.application_id], offers[entry.offer_id]
        host, home = quotas.get(application.host_region_id), quotas.get(application.home_region_id)
        why = None
        if application.state is not ApplicationState.SHORTLISTED:
            why = f"the application is {application.state.value} now"
        elif offer.start_date <= now.date():
            why = "the traineeship has started"
        elif application.applicant_id in holding:
            why = "the applicant holds another proposal or place"
        elif offer.seats - offer.seats_taken - pending_offer[offer.id] <= 0:
            why = "no seat of the offer is left"
        elif host is None or host.hosting_quota - host.hosted - pending_host[host.region_id] <= 0:
            why = "the host region's hosting quota is used up"
        elif home is None or home.sending_quota - home.sent - pending_home[home.region_id] <= 0:
            why = "the home region's sending quota is used up"
        if why is not None:
            entry.outcome = f"dropped: {why}"
            dropped.append({"application_id": str(application.id), "reason": why})
            continue
        application.answer_deadline = answer_deadline
        await move(
            session,
            application,
            Action.PROPOSE,
            ApplicationState.PROPOSED,
            actor=Actor.of(identity),
            reason=None,
            offer_title=offer.title,
            now=now,
            settings=settings,
        )
        pending_offer[offer.id] += 1
        pending_host[application.host_region_id] += 1
        pending_home[application.home_region_id] += 1
        entry.outcome = "proposed"
        holding.add(application.applicant_id)
        proposed += 1
    round_.state, round_.published_at, round_.published_by_id = RoundState.PUBLISHED, now, identity.user_id
    round_.answer_deadline = answer_deadline
    round_.publish_report = {"proposed": proposed, "dropped": dropped}
    await session.flush()
    return round_


async def _pending(
    session: AsyncSession, year: int, regions: set[uuid.UUID], offer_ids: set[uuid.UUID]
) -> tuple[Counter[uuid.UUID], Counter[uuid.UUID], Counter[uuid.UUID]]:
    """Proposals already out: they may still be accepted, so their seats and units are spoken for."""
    rows = await session.execute(
        select(Application.offer_id, Application.host_region_id, Application.home_region_id).where(
            Application.state == ApplicationState.PROPOSED, Application.programme_year == year
        )
    )
    by_offer: Counter[uuid.UUID] = Counter()
    by_host: Counter[uuid.UUID] = Counter()
    by_home: Counter[uuid.UUID] = Counter()
    for offer_id, host, home in rows:
        if offer_id in offer_ids:
            by_offer[offer_id] += 1
        if host in regions:
            by_host[host] += 1
        if home in regions:
            by_home[home] += 1
    return by_offer, by_host, by_home


async def discard(session: AsyncSession, identity: Identity, round_id: uuid.UUID) -> MatchingRound:
    round_ = await load_round(session, identity, round_id, lock=True)
    _require_draft(round_)
    round_.state = RoundState.DISCARDED
    return round_


async def list_rounds(session: AsyncSession, identity: Identity, year: int | None) -> list[MatchingRound]:
    query = select(MatchingRound).order_by(MatchingRound.created_at.desc()).limit(100)
    if identity.role is Role.COORDINATOR:
        query = query.where(MatchingRound.region_id.in_(identity.region_ids))
    if year is not None:
        query = query.where(MatchingRound.programme_year == year)
    return list(await session.scalars(query))


def replay(round_: MatchingRound) -> ReplayOut:
    """Run the engine again on the stored input: the same proposals must come out."""
    snapshot = round_.input_snapshot
    both = compare(snap.engine_input(snapshot), tolerance=round_.tolerance)
    again = both.stable if round_.policy == "stable" else both.balanced
    stored = round_.diagnostics[round_.policy]["assignment"]
    return ReplayOut(
        input_hash=round_.input_hash,
        hash_matches=snap.canonical_hash(snapshot) == round_.input_hash,
        identical=dict(sorted(again.assignment.items())) == stored,
        assignment_size=len(stored),
    )
