"""Applications: applying, reading (by scope), the applicant's and the host side's rankings, and the
employer's interview record. Transitions and their side effects are in workflow.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    OPEN_STATES,
    ApplicantProfile,
    Application,
    ApplicationEvent,
    ApplicationState,
    Document,
    DocumentKind,
    Offer,
    OfferState,
    Placement,
    Role,
)
from backend.domain.applicants import services as applicants
from backend.domain.applicants.schemas import RuleOut
from backend.domain.applications.audit import record_event
from backend.domain.applications.schemas import (
    ApplicationEventOut,
    ApplicationIn,
    ApplicationOut,
    CandidateOut,
    RegionSide,
    ReviewIn,
)
from backend.domain.applications.transitions import Action, Side
from backend.domain.applications.workflow import (
    cancel_open_for_offer,
    expire_unanswered_proposals,
    expire_unconfirmed_acceptances,
    load,
    sides_of,
)
from backend.lib.audit import Actor
from backend.lib.auth import Identity
from backend.lib.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from backend.lib.settings import Settings

__all__ = [  # the deadline jobs and cascades live in workflow.py; workers may import them from here
    "cancel_open_for_offer",
    "expire_unanswered_proposals",
    "expire_unconfirmed_acceptances",
]

# What the employer sees: candidates the host side has shortlisted, and what follows.
EMPLOYER_VISIBLE = frozenset(
    {
        ApplicationState.SHORTLISTED,
        ApplicationState.PROPOSED,
        ApplicationState.ACCEPTED,
        ApplicationState.CONFIRMED,
        ApplicationState.DECLINED,
    }
)
REVIEWABLE = frozenset({ApplicationState.SHORTLISTED, ApplicationState.PROPOSED})


def application_out(
    application: Application, offer_title: str, placement_id: uuid.UUID | None, *, for_applicant: bool = False
) -> ApplicationOut:
    """The application as a viewer sees it: the applicant does not see the selection sides' private ranks."""
    return ApplicationOut(
        id=application.id,
        offer_id=application.offer_id,
        offer_title=offer_title,
        applicant_id=application.applicant_id,
        home_region_id=application.home_region_id,
        host_region_id=application.host_region_id,
        programme_year=application.programme_year,
        state=application.state,
        motivation=application.motivation,
        reason=application.reason,
        eligibility=[RuleOut(rule=r["rule"], ok=r["ok"], message=r["message"]) for r in application.eligibility],
        applicant_rank=application.applicant_rank,
        host_rank=None if for_applicant else application.host_rank,
        employer_preference=None if for_applicant else application.employer_preference,
        interview_outcome=application.interview_outcome,
        employer_note=None if for_applicant else application.employer_note,
        answer_deadline=application.answer_deadline,
        confirm_deadline=application.confirm_deadline,
        placement_id=placement_id,
        submitted_at=application.submitted_at,
        updated_at=application.updated_at,
    )


async def describe(session: AsyncSession, identity: Identity, application: Application) -> ApplicationOut:
    title = await session.scalar(select(Offer.title).where(Offer.id == application.offer_id)) or ""
    placement_id = await session.scalar(select(Placement.id).where(Placement.application_id == application.id))
    return application_out(application, title, placement_id, for_applicant=identity.user_id == application.applicant_id)


# -- applying ----------------------------------------------------------------------------------------------


async def apply(
    session: AsyncSession, identity: Identity, data: ApplicationIn, *, now: datetime, settings: Settings
) -> Application:
    try:
        profile = await applicants.get_profile(session, identity.user_id, for_update=True)
    except NotFound:
        raise Conflict("Complete your applicant profile before applying.", state="no_profile") from None
    offer = await session.get(Offer, data.offer_id)
    if offer is None or offer.state in (OfferState.DRAFT, OfferState.SUBMITTED):
        raise InvalidInput("Unknown offer.", field="offer_id")
    if offer.state is not OfferState.PUBLISHED or offer.application_deadline <= now:
        state = OfferState.CLOSED.value if offer.state is OfferState.PUBLISHED else offer.state.value
        raise InvalidTransition("This offer no longer takes applications.", state=state)
    if offer.region_id == profile.home_region_id:
        raise InvalidInput("The traineeship must be in another region than your home region.", field="offer_id")
    mine = Application.applicant_id == identity.user_id
    if await session.scalar(select(Application.id).where(mine, Application.offer_id == offer.id)):
        raise Conflict("You have applied to this offer already.", field="offer_id")
    open_count, last_rank = (
        await session.execute(
            select(func.count(), func.max(Application.applicant_rank)).where(mine, Application.state.in_(OPEN_STATES))
        )
    ).one()
    if open_count >= settings.max_open_applications:
        raise Conflict(
            f"You have {open_count} open applications, the most allowed at once "
            f"({settings.max_open_applications}): withdraw one first.",
            state="open_applications_limit",
        )
    _, results = await applicants.evaluate_for(session, profile, now.date(), offer)
    application = Application(
        offer_id=offer.id,
        applicant_id=identity.user_id,
        home_region_id=profile.home_region_id,
        host_region_id=offer.region_id,
        programme_year=offer.start_date.year,
        state=ApplicationState.SUBMITTED,
        motivation=data.motivation.strip(),
        applicant_rank=(last_rank or 0) + 1,
        eligibility=[{"rule": r.rule, "ok": r.ok, "message": r.message} for r in results],
        reserved=False,
        submitted_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(application)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("You have applied to this offer already.", field="offer_id") from None
    record_event(
        session,
        application,
        actor=Actor.of(identity),
        action=Action.APPLY,
        from_state=None,
        to_state=ApplicationState.SUBMITTED,
        reason=None,
        now=now,
    )
    await session.flush()
    return application


# -- reading -----------------------------------------------------------------------------------------------


async def get_visible(session: AsyncSession, identity: Identity, application_id: uuid.UUID) -> Application:
    application = await load(session, application_id)
    organisation_id = await session.scalar(select(Offer.organisation_id).where(Offer.id == application.offer_id))
    sides = sides_of(identity, application, organisation_id or uuid.UUID(int=0))
    if identity.role is Role.CHAIR or sides - {Side.EMPLOYER}:
        return application
    if Side.EMPLOYER in sides and application.state in EMPLOYER_VISIBLE:
        return application
    raise Forbidden("This application is outside your scope.")


async def list_events(
    session: AsyncSession, identity: Identity, application_id: uuid.UUID
) -> list[ApplicationEventOut]:
    await get_visible(session, identity, application_id)
    rows = await session.scalars(
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application_id)
        .order_by(ApplicationEvent.created_at, ApplicationEvent.id)
    )
    return [ApplicationEventOut.of(e) for e in rows]


def _with_titles(query: Any) -> Any:
    return query.join(Offer, Offer.id == Application.offer_id).outerjoin(
        Placement, Placement.application_id == Application.id
    )


async def list_mine(session: AsyncSession, identity: Identity) -> list[ApplicationOut]:
    """The applicant's applications: open ones in their rank order, then the others, newest first."""
    is_open = Application.state.in_(OPEN_STATES)
    rows = await session.execute(
        _with_titles(select(Application, Offer.title, Placement.id))
        .where(Application.applicant_id == identity.user_id)
        .order_by(is_open.desc(), Application.applicant_rank, Application.updated_at.desc())
    )
    return [application_out(a, title, pid, for_applicant=True) for a, title, pid in rows]


async def _candidates(session: AsyncSession, query: Any, on: date) -> list[CandidateOut]:
    has_cv = (
        select(Document.id)
        .where(Document.owner_id == Application.applicant_id, Document.kind == DocumentKind.CV)
        .exists()
    )
    rows = (
        await session.execute(
            _with_titles(select(Application, Offer.title, Placement.id, ApplicantProfile, has_cv))
            .outerjoin(ApplicantProfile, ApplicantProfile.user_id == Application.applicant_id)
            .where(*query)
        )
    ).all()
    return [
        CandidateOut(
            application=application_out(a, title, pid),
            applicant=applicants.summary(profile, on, has_cv=cv) if profile is not None else None,
        )
        for a, title, pid, profile, cv in rows
    ]


async def list_for_offer(
    session: AsyncSession, identity: Identity, offer_id: uuid.UUID, state: ApplicationState | None, on: date
) -> list[CandidateOut]:
    """The host side sees every application to its region's offer; the employer its shortlisted candidates."""
    offer = await session.get(Offer, offer_id)
    if offer is None:
        raise NotFound("No such offer.")
    conditions: list[Any] = [Application.offer_id == offer_id]
    if identity.role in (Role.ADMIN, Role.CHAIR) or identity.coordinates(offer.region_id):
        pass
    elif identity.role is Role.EMPLOYER and identity.organisation_id == offer.organisation_id:
        conditions.append(Application.state.in_(EMPLOYER_VISIBLE))
    else:
        raise Forbidden("The applications of this offer are outside your scope.")
    if state is not None:
        conditions.append(Application.state == state)
    candidates = await _candidates(session, conditions, on)
    return sorted(
        candidates,
        key=lambda c: (
            c.application.host_rank is None,
            c.application.host_rank or 0,
            c.application.submitted_at,
            c.application.id,
        ),
    )


async def list_for_region(
    session: AsyncSession,
    identity: Identity,
    region_id: uuid.UUID,
    *,
    side: RegionSide,
    state: ApplicationState | None,
    limit: int,
    offset: int,
    on: date,
) -> list[CandidateOut]:
    """Applications from a region's residents (sending) or to its offers (hosting), oldest first."""
    if identity.role not in (Role.ADMIN, Role.CHAIR):
        identity.require_region(region_id)
    column = Application.home_region_id if side == "sending" else Application.host_region_id
    conditions: list[Any] = [column == region_id]
    if state is not None:
        conditions.append(Application.state == state)
    ids = list(
        await session.scalars(
            select(Application.id)
            .where(*conditions)
            .order_by(Application.submitted_at, Application.id)
            .limit(limit)
            .offset(offset)
        )
    )
    candidates = await _candidates(session, [Application.id.in_(ids)], on)
    order = {application_id: i for i, application_id in enumerate(ids)}
    return sorted(candidates, key=lambda c: order[c.application.id])


# -- rankings and the employer's record ---------------------------------------------------------------------


def _check_ranking(given: Sequence[uuid.UUID], expected: set[uuid.UUID], what: str) -> None:
    if len(set(given)) != len(given):
        raise InvalidInput("An application appears twice in the ranking.", field="application_ids")
    if set(given) != expected:
        missing, extra = len(expected - set(given)), len(set(given) - expected)
        raise InvalidInput(
            f"Rank exactly {what} ({len(expected)}): {missing} missing, {extra} not rankable.",
            field="application_ids",
        )


async def rank_mine(
    session: AsyncSession, identity: Identity, application_ids: Sequence[uuid.UUID], now: datetime
) -> list[ApplicationOut]:
    """The applicant orders their open applications, best first (input for matching rounds)."""
    await session.execute(
        select(ApplicantProfile.user_id).where(ApplicantProfile.user_id == identity.user_id).with_for_update()
    )
    rows = list(
        await session.scalars(
            select(Application)
            .where(Application.applicant_id == identity.user_id, Application.state.in_(OPEN_STATES))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    _check_ranking(application_ids, {a.id for a in rows}, "your open applications")
    position = {application_id: i + 1 for i, application_id in enumerate(application_ids)}
    for application in rows:
        application.applicant_rank = position[application.id]
        application.updated_at = now
    await session.flush()
    return await list_mine(session, identity)


async def rank_for_offer(
    session: AsyncSession,
    identity: Identity,
    offer_id: uuid.UUID,
    application_ids: Sequence[uuid.UUID],
    now: datetime,
) -> list[CandidateOut]:
    """The host side orders an offer's shortlisted candidates, best first."""
    offer = await session.get(Offer, offer_id)
    if offer is None:
        raise NotFound("No such offer.")
    identity.require_region(offer.region_id)
    rows = list(
        await session.scalars(
            select(Application)
            .where(Application.offer_id == offer_id, Application.state == ApplicationState.SHORTLISTED)
            .order_by(Application.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    _check_ranking(application_ids, {a.id for a in rows}, "the offer's shortlisted candidates")
    position = {application_id: i + 1 for i, application_id in enumerate(application_ids)}
    for application in rows:
        application.host_rank = position[application.id]
        application.updated_at = now
    await session.flush()
    return await list_for_offer(session, identity, offer_id, ApplicationState.SHORTLISTED, now.date())


async def review(
    session: AsyncSession, identity: Identity, application_id: uuid.UUID, data: ReviewIn, now: datetime
) -> Application:
    """The employer records an interview outcome and its own preference for a shortlisted candidate."""
    application = await load(session, application_id, lock=True)
    organisation_id = await session.scalar(select(Offer.organisation_id).where(Offer.id == application.offer_id))
    if Side.EMPLOYER not in sides_of(identity, application, organisation_id or uuid.UUID(int=0)):
        raise Forbidden("Only the offer's employer records interviews.")
    if application.state not in REVIEWABLE:
        raise InvalidTransition(
            f"Interviews are recorded for shortlisted candidates; this application is {application.state.value}.",
            state=application.state.value,
        )
    application.interview_outcome = data.interview_outcome
    application.employer_preference = data.employer_preference
    application.employer_note = data.note
    application.updated_at = now
    outcome = data.interview_outcome.value if data.interview_outcome else "none"
    record_event(
        session,
        application,
        actor=Actor.of(identity),
        action="employer_review",
        from_state=application.state,
        to_state=application.state,
        reason=f"interview: {outcome}; preference: {data.employer_preference or 'none'}",
        now=now,
    )
    await session.flush()
    return application
