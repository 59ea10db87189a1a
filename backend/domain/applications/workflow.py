"""Moving applications through their lifecycle (see transitions.py) with the side effects of each step.

Every move runs in the caller's transaction: the state, the audit event, the ledger counters and the
notification are written together or not at all. Row locks are taken in one order everywhere, so that
concurrent requests queue instead of deadlocking: the applicant's profile (applicant actions), then
applications (by id), then the offer, then quota rows (by region id; see ledger.services).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    OPEN_STATES,
    ApplicantProfile,
    Application,
    ApplicationState,
    Offer,
    Organisation,
    RegionQuota,
    Role,
)
from backend.domain.applications.audit import APPLICANT_KINDS, record_event, tell
from backend.domain.applications.transitions import REASON_REQUIRED, Action, Side, decide
from backend.domain.ledger.services import Hold, release, reserve
from backend.domain.offers.events import coordinators_of, employers_of
from backend.domain.offers.lifecycle import close_if_filled
from backend.domain.placements.services import create_placement
from backend.lib.audit import SYSTEM, Actor
from backend.lib.auth import Identity
from backend.lib.errors import Conflict, InvalidInput, NotFound, QuotaExceeded
from backend.lib.settings import Settings, get_settings

CONFIRM_WINDOW = timedelta(days=14)  # the employer confirms an accepted proposal within this time
MAX_ANSWER_WINDOW = timedelta(days=60)
HELD = frozenset({ApplicationState.ACCEPTED, ApplicationState.CONFIRMED})


async def load(session: AsyncSession, application_id: uuid.UUID, *, lock: bool = False) -> Application:
    query = select(Application).where(Application.id == application_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    application = await session.scalar(query)
    if application is None:
        raise NotFound("No such application.")
    return application


def sides_of(identity: Identity, application: Application, organisation_id: uuid.UUID) -> set[Side]:
    sides: set[Side] = set()
    if identity.role is Role.APPLICANT and identity.user_id == application.applicant_id:
        sides.add(Side.APPLICANT)
    if identity.role is Role.ADMIN or identity.coordinates(application.home_region_id):
        sides.add(Side.SENDING)
    if identity.role is Role.ADMIN or identity.coordinates(application.host_region_id):
        sides.add(Side.HOSTING)
    if identity.role is Role.EMPLOYER and identity.organisation_id == organisation_id:
        sides.add(Side.EMPLOYER)
    return sides


async def move(
    session: AsyncSession,
    application: Application,
    action: Action,
    target: ApplicationState,
    *,
    actor: Actor,
    reason: str | None,
    offer_title: str,
    now: datetime,
    settings: Settings,
) -> uuid.UUID:
    """Apply a decided transition: counters, state, audit event, and a word to the applicant."""
    source = application.state
    if target is ApplicationState.ACCEPTED and not application.reserved:
        await reserve(session, Hold.of(application))
        application.reserved = True
    elif application.reserved and target not in HELD:
        await release(session, Hold.of(application))
        application.reserved = False
    application.state, application.updated_at = target, now
    if reason:
        application.reason = reason
    event_id = record_event(
        session, application, actor=actor, action=action, from_state=source, to_state=target, reason=reason, now=now
    )
    kind = APPLICANT_KINDS.get(target)
    if kind is not None and actor.user_id != application.applicant_id:
        await tell(
            session,
            application.applicant_id,
            kind=kind,
            event_id=event_id,
            params={
                "offer_title": offer_title,
                "reason": reason or "",
                "answer_deadline": application.answer_deadline,
            },
            link=f"{settings.public_url}/applications/{application.id}",
            now=now,
        )
    return event_id


async def _check_room(session: AsyncSession, application: Application, offer: Offer) -> None:
    """Warn before a proposal that could not be accepted: no seat left, or a quota used up (advisory; the
    acceptance itself is what the database guards)."""
    if offer.seats_taken >= offer.seats:
        raise QuotaExceeded("Every seat of this offer is held already.", state="no_seat")
    for region_id, quota_col, used_col, side in (
        (application.host_region_id, RegionQuota.hosting_quota, RegionQuota.hosted, "hosting"),
        (application.home_region_id, RegionQuota.sending_quota, RegionQuota.sent, "sending"),
    ):
        room = await session.scalar(
            select(quota_col - used_col).where(
                RegionQuota.region_id == region_id, RegionQuota.programme_year == application.programme_year
            )
        )
        if not room or room <= 0:
            raise QuotaExceeded(
                f"The {side} quota of the {'host' if side == 'hosting' else 'home'} region for "
                f"{application.programme_year} has no unit left.",
                state=f"{side}_quota_used_up",
            )


async def _lock_applicant(session: AsyncSession, identity: Identity) -> None:
    """An applicant's own requests queue on their profile row (see ApplicantProfile)."""
    if identity.role is Role.APPLICANT:
        await session.execute(
            select(ApplicantProfile.user_id).where(ApplicantProfile.user_id == identity.user_id).with_for_update()
        )


async def act(
    session: AsyncSession,
    identity: Identity,
    application_id: uuid.UUID,
    action: Action,
    *,
    now: datetime,
    settings: Settings,
    reason: str | None = None,
    answer_deadline: datetime | None = None,
) -> Application:
    """One transition asked for over the API: 403 for the wrong side, 409 naming the state otherwise."""
    await _lock_applicant(session, identity)
    application = await load(session, application_id, lock=True)
    offer = await session.get_one(Offer, application.offer_id)
    target = decide(application.state, action, sides_of(identity, application, offer.organisation_id))
    if action in REASON_REQUIRED and not (reason and reason.strip()):
        raise InvalidInput("Give a reason: the applicant sees it.", field="reason")
    state = application.state.value
    if action is Action.PROPOSE:
        if answer_deadline is None or answer_deadline <= now:
            raise InvalidInput("The answer deadline must be in the future.", field="answer_deadline")
        if answer_deadline > now + MAX_ANSWER_WINDOW:
            raise InvalidInput("The answer deadline must be within 60 days.", field="answer_deadline")
        await _check_room(session, application, offer)
        application.answer_deadline = answer_deadline.astimezone(UTC)
    if action is Action.ACCEPT and application.answer_deadline is not None and application.answer_deadline <= now:
        raise Conflict("The answer deadline of this proposal has passed.", state=state)
    if action is Action.CONFIRM and application.confirm_deadline is not None and application.confirm_deadline <= now:
        raise Conflict("The confirmation deadline has passed.", state=state)

    actor = Actor.of(identity)
    was_accepted = application.state is ApplicationState.ACCEPTED
    if action is Action.ACCEPT:
        # The other applications first: applications are locked before the offer and the quota rows.
        await _withdraw_others(session, application, actor=actor, now=now, settings=settings)
    event_id = await move(
        session,
        application,
        action,
        target,
        actor=actor,
        reason=reason,
        offer_title=offer.title,
        now=now,
        settings=settings,
    )
    if action is Action.ACCEPT:
        application.confirm_deadline = now + CONFIRM_WINDOW
        await _tell_staff(
            session,
            application,
            offer,
            await employers_of(session, offer.organisation_id),
            kind="application.accepted",
            event_id=event_id,
            params={"confirm_deadline": application.confirm_deadline},
            now=now,
            settings=settings,
        )
    elif action is Action.WITHDRAW and was_accepted:
        # The employer was about to confirm this trainee: the seat is free again.
        await _tell_staff(
            session,
            application,
            offer,
            await employers_of(session, offer.organisation_id),
            kind="application.withdrawn",
            event_id=event_id,
            now=now,
            settings=settings,
        )
    elif action is Action.DECLINE:
        # The host coordinators made the proposal: they may propose the seat to the next candidate.
        await _tell_staff(
            session,
            application,
            offer,
            await coordinators_of(session, application.host_region_id),
            kind="application.declined",
            event_id=event_id,
            now=now,
            settings=settings,
        )
    elif action is Action.CONFIRM:
        placement = await create_placement(session, application, offer, actor=actor, now=now)
        organisation = await session.get_one(Organisation, offer.organisation_id)
        await tell(
            session,
            application.applicant_id,
            kind="placement.confirmed",
            event_id=event_id,
            params={"offer_title": offer.title, "organisation_name": organisation.name, "start_date": offer.start_date},
            link=f"{settings.public_url}/placements/{placement.id}",
            now=now,
        )
        await _after_confirmation(session, application, offer, now=now, settings=settings)
    await session.flush()
    return application


async def _tell_staff(
    session: AsyncSession,
    application: Application,
    offer: Offer,
    recipients: list[uuid.UUID],
    *,
    kind: str,
    event_id: uuid.UUID,
    now: datetime,
    settings: Settings,
    params: dict[str, object] | None = None,
) -> None:
    applicant_name = await session.scalar(
        select(ApplicantProfile.full_name).where(ApplicantProfile.user_id == application.applicant_id)
    )
    for user_id in recipients:
        await tell(
            session,
            user_id,
            kind=kind,
            event_id=event_id,
            params={"offer_title": offer.title, "applicant_name": applicant_name or ""} | (params or {}),
            link=f"{settings.public_url}/applications/{application.id}",
            now=now,
        )


async def _open_applications(
    session: AsyncSession, *conditions: object, exclude: uuid.UUID | None = None
) -> Sequence[Application]:
    """Open applications matching the conditions, locked in id order (re-read: the state may have moved)."""
    query = (
        select(Application)
        .where(Application.state.in_(OPEN_STATES), *conditions)  # type: ignore[arg-type]
        .order_by(Application.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if exclude is not None:
        query = query.where(Application.id != exclude)
    return list(await session.scalars(query))


async def _titles(session: AsyncSession, offer_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not offer_ids:
        return {}
    rows = await session.execute(select(Offer.id, Offer.title).where(Offer.id.in_(offer_ids)))
    return {row[0]: row[1] for row in rows}


async def _withdraw_others(
    session: AsyncSession, accepted: Application, *, actor: Actor, now: datetime, settings: Settings
) -> None:
    """Accepting one proposal withdraws the applicant's other open applications (each with its event)."""
    others = await _open_applications(session, Application.applicant_id == accepted.applicant_id, exclude=accepted.id)
    titles = await _titles(session, {a.offer_id for a in others})
    for other in others:
        await move(
            session,
            other,
            Action.WITHDRAW,
            ApplicationState.WITHDRAWN,
            actor=actor,
            reason="Withdrawn automatically: the applicant accepted another proposal.",
            offer_title=titles.get(other.offer_id, ""),
            now=now,
            settings=settings,
        )


async def _after_confirmation(
    session: AsyncSession, confirmed: Application, offer: Offer, *, now: datetime, settings: Settings
) -> None:
    """When confirmed placements fill every seat: the offer closes and its other open applications end."""
    filled = await session.scalar(
        select(func.count()).where(
            Application.offer_id == offer.id, Application.state == ApplicationState.CONFIRMED, Application.reserved
        )
    )
    if (filled or 0) < offer.seats:
        return
    # Applications first, then the offer: the lock order acceptances use.
    await cancel_open_for_offer(
        session,
        offer.id,
        reason="Every seat of this offer is filled.",
        now=now,
        settings=settings,
        exclude=confirmed.id,
    )
    await close_if_filled(session, offer.id, now=now, settings=settings)


async def cancel_open_for_offer(
    session: AsyncSession,
    offer_id: uuid.UUID,
    *,
    reason: str,
    now: datetime,
    settings: Settings,
    exclude: uuid.UUID | None = None,
) -> int:
    """End every open application of an offer (withdrawn or filled): rejected by the system, with the reason;
    the units held by accepted ones go back."""
    applications = await _open_applications(session, Application.offer_id == offer_id, exclude=exclude)
    title = (await _titles(session, {offer_id})).get(offer_id, "")
    for application in applications:
        await move(
            session,
            application,
            Action.CANCEL,
            ApplicationState.REJECTED,
            actor=SYSTEM,
            reason=reason,
            offer_title=title,
            now=now,
            settings=settings,
        )
    return len(applications)


async def _expire(
    session: AsyncSession,
    state: ApplicationState,
    deadline_column: Any,
    now: datetime,
    reason: str,
    settings: Settings,
) -> int:
    overdue = list(
        await session.scalars(
            select(Application)
            .where(Application.state == state, deadline_column <= now)
            .order_by(Application.id)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
    )
    titles = await _titles(session, {a.offer_id for a in overdue})
    for application in overdue:
        await move(
            session,
            application,
            Action.EXPIRE,
            ApplicationState.EXPIRED,
            actor=SYSTEM,
            reason=reason,
            offer_title=titles.get(application.offer_id, ""),
            now=now,
            settings=settings,
        )
    await session.flush()
    return len(overdue)


async def expire_unanswered_proposals(session: AsyncSession, now: datetime, settings: Settings | None = None) -> int:
    """Expire proposals whose answer deadline has passed (for the deadline cron job); returns how many.

    Idempotent, and skips rows another transaction holds (the applicant answering right now): the next run
    sees them if they are still unanswered.
    """
    return await _expire(
        session,
        ApplicationState.PROPOSED,
        Application.answer_deadline,
        now,
        "The proposal was not answered before its deadline.",
        settings or get_settings(),
    )


async def expire_unconfirmed_acceptances(session: AsyncSession, now: datetime, settings: Settings | None = None) -> int:
    """Expire accepted proposals the employer did not confirm in time; their seat and quota units go back."""
    return await _expire(
        session,
        ApplicationState.ACCEPTED,
        Application.confirm_deadline,
        now,
        "The employer did not confirm before the confirmation deadline.",
        settings or get_settings(),
    )
