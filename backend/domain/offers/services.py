"""Offers: an employer drafts one for its organisation; the host region's coordinators publish it or send it
back with a reason; it closes at its application deadline or when every seat is filled; either side can
withdraw it. Public search lives in `search.py`.

Dates: the start date and the cohort are calendar dates; the application deadline is a timezone-aware
instant stored in UTC (an offer "closes at 23:59 Lisbon time" is unambiguous).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from backend.db.models import (
    Application,
    ApplicationState,
    Offer,
    OfferEvent,
    OfferLanguage,
    OfferState,
    Organisation,
    Region,
    Role,
)
from backend.domain.applications.workflow import cancel_open_for_offer
from backend.domain.offers.events import record_offer_event
from backend.domain.offers.lifecycle import close, tell
from backend.domain.offers.schemas import LanguageLevel, OfferEventOut, OfferIn, OfferOut
from backend.domain.offers.transitions import REASON_REQUIRED, OfferAction, OfferSide, decide
from backend.lib.audit import Actor
from backend.lib.auth import Identity
from backend.lib.errors import Conflict, FieldErrors, Forbidden, InvalidInput, InvalidTransition, NotFound
from backend.lib.settings import Settings, get_settings

PUBLIC_STATES = frozenset({OfferState.PUBLISHED, OfferState.CLOSED})
MAX_AHEAD = timedelta(days=2 * 366)  # start dates and deadlines at most two years ahead
MAX_GRANT = Decimal(10_000)
CENT = Decimal("0.01")


# -- output ------------------------------------------------------------------------------------------------


def offer_out(offer: Offer, organisation_name: str, region: Region) -> OfferOut:
    return OfferOut(
        id=offer.id,
        state=offer.state,
        title=offer.title,
        description=offer.description,
        tasks=offer.tasks,
        sector=offer.sector,
        organisation_id=offer.organisation_id,
        organisation_name=organisation_name,
        region_id=region.id,
        region_code=region.code,
        region_name=region.name,
        country=region.country,
        duration_months=offer.duration_months,
        start_date=offer.start_date,
        seats=offer.seats,
        seats_available=offer.seats - offer.seats_taken,
        monthly_grant=offer.monthly_grant.quantize(CENT),
        currency=offer.currency,
        language_course=offer.language_course,
        housing_help=offer.housing_help,
        application_deadline=offer.application_deadline,
        languages=[LanguageLevel(language=lang.language, level=lang.level) for lang in offer.languages],
        state_reason=offer.state_reason,
        submitted_at=offer.submitted_at,
        published_at=offer.published_at,
        created_at=offer.created_at,
    )


async def describe(session: AsyncSession, offer: Offer) -> OfferOut:
    """The offer as the API shows it (its organisation and region come from the identity map when loaded)."""
    org = await session.get_one(Organisation, offer.organisation_id)
    region = await session.get_one(Region, offer.region_id)
    return offer_out(offer, org.name, region)


# -- reading -----------------------------------------------------------------------------------------------


async def get_offer(session: AsyncSession, offer_id: uuid.UUID, *, for_update: bool = False) -> Offer:
    query = select(Offer).where(Offer.id == offer_id).options(selectinload(Offer.languages))
    if for_update:
        query = query.with_for_update(of=Offer).execution_options(populate_existing=True)
    offer = await session.scalar(query)
    if offer is None:
        raise NotFound("No such offer.")
    return offer


def sides_of(identity: Identity | None, offer: Offer) -> set[OfferSide]:
    sides: set[OfferSide] = set()
    if identity is None:
        return sides
    if identity.role is Role.EMPLOYER and identity.organisation_id == offer.organisation_id:
        sides.add(OfferSide.EMPLOYER)
    if identity.role is Role.ADMIN or identity.coordinates(offer.region_id):
        sides.add(OfferSide.HOSTING)
    return sides


def can_see_unpublished(identity: Identity | None, offer: Offer) -> bool:
    return bool(sides_of(identity, offer)) or (identity is not None and identity.role is Role.CHAIR)


async def get_visible(session: AsyncSession, identity: Identity | None, offer_id: uuid.UUID) -> Offer:
    """Published and closed offers are public; the others only to their organisation, region and staff."""
    offer = await get_offer(session, offer_id)
    if offer.state not in PUBLIC_STATES and not can_see_unpublished(identity, offer):
        if identity is None:
            raise NotFound("No such offer.")
        raise Forbidden("This offer is not published and is outside your scope.")
    return offer


async def list_offers(
    session: AsyncSession,
    *,
    region_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None,
    state: OfferState | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[OfferOut]:
    query = (
        select(Offer, Organisation.name, Region)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .join(Region, Region.id == Offer.region_id)
        .options(selectinload(Offer.languages))
        .order_by(Offer.created_at.desc(), Offer.id)
        .limit(limit)
        .offset(offset)
    )
    if region_id is not None:
        query = query.where(Offer.region_id == region_id)
    if organisation_id is not None:
        query = query.where(Offer.organisation_id == organisation_id)
    if state is not None:
        query = query.where(Offer.state == state)
    return [offer_out(offer, name, region) for offer, name, region in await session.execute(query)]


async def list_for_region(
    session: AsyncSession, identity: Identity, region_id: uuid.UUID, state: OfferState | None, limit: int, offset: int
) -> list[OfferOut]:
    if identity.role not in (Role.ADMIN, Role.CHAIR):
        identity.require_region(region_id)
    return await list_offers(session, region_id=region_id, state=state, limit=limit, offset=offset)


async def list_for_organisation(
    session: AsyncSession,
    identity: Identity,
    organisation_id: uuid.UUID,
    state: OfferState | None,
    limit: int,
    offset: int,
) -> list[OfferOut]:
    org = await session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("No such organisation.")
    allowed = (
        identity.role in (Role.ADMIN, Role.CHAIR)
        or identity.coordinates(org.region_id)
        or (identity.role is Role.EMPLOYER and identity.organisation_id == org.id)
    )
    if not allowed:
        raise Forbidden("This organisation is outside your scope.")
    return await list_offers(session, organisation_id=organisation_id, state=state, limit=limit, offset=offset)


async def list_events(session: AsyncSession, identity: Identity, offer_id: uuid.UUID) -> list[OfferEventOut]:
    offer = await get_offer(session, offer_id)
    if not can_see_unpublished(identity, offer):
        raise Forbidden("The history of this offer is outside your scope.")
    rows = await session.scalars(
        select(OfferEvent).where(OfferEvent.offer_id == offer_id).order_by(OfferEvent.created_at, OfferEvent.id)
    )
    return [OfferEventOut.of(e) for e in rows]


# -- writing -----------------------------------------------------------------------------------------------


def _validate(values: dict[str, Any], now: datetime, *, check_deadline: bool = True, check_start: bool = True) -> None:
    """Rules across fields and against the clock: every failing field is named, in one answer."""
    deadline: datetime = values["application_deadline"]
    start = values["start_date"]
    grant: Decimal = values["monthly_grant"]
    problems = FieldErrors()
    if check_deadline and deadline <= now:
        problems.add("application_deadline", "The application deadline must be in the future.")
    elif deadline > now + MAX_AHEAD:
        problems.add("application_deadline", "The application deadline must be within two years.")
    if check_start and start <= now.date():
        problems.add("start_date", "The start date must be in the future.")
    elif start <= deadline.date():
        problems.add("start_date", "The start date must come after the application deadline.")
    elif start > (now + MAX_AHEAD).date():
        problems.add("start_date", "The start date must be within two years.")
    if not grant.is_finite() or grant < 0 or grant > MAX_GRANT:
        problems.add("monthly_grant", "The monthly grant must be between 0 and 10000 EUR.")
    elif grant != grant.quantize(CENT):
        problems.add("monthly_grant", "The monthly grant has at most two decimals.")
    languages: list[LanguageLevel] = values["languages"]
    if len({lang.language for lang in languages}) != len(languages):
        problems.add("languages", "List each language once.")
    problems.raise_any()


def _set_languages(offer: Offer, languages: list[LanguageLevel]) -> None:
    ordered = sorted(languages, key=lambda lang: lang.language)
    offer.languages = [OfferLanguage(language=lang.language, level=lang.level) for lang in ordered]


async def create(session: AsyncSession, identity: Identity, data: OfferIn, now: datetime) -> Offer:
    if identity.organisation_id is None:
        raise Conflict("Register your organisation before drafting offers.", field="organisation_id")
    org = await session.get_one(Organisation, identity.organisation_id)
    values = {f: getattr(data, f) for f in data.__struct_fields__}
    values["application_deadline"] = data.application_deadline.astimezone(UTC)
    _validate(values, now)
    offer = Offer(
        organisation_id=org.id,
        region_id=org.region_id,
        title=data.title.strip(),
        description=data.description,
        tasks=data.tasks,
        sector=data.sector,
        duration_months=data.duration_months,
        start_date=data.start_date,
        seats=data.seats,
        seats_taken=0,
        monthly_grant=data.monthly_grant,
        language_course=data.language_course,
        housing_help=data.housing_help,
        application_deadline=values["application_deadline"],
        state=OfferState.DRAFT,
        created_by_id=identity.user_id,
        created_at=now,
        updated_at=now,
    )
    _set_languages(offer, data.languages)
    session.add(offer)
    await session.flush()
    record_offer_event(
        session,
        offer.id,
        actor=Actor.of(identity),
        action=OfferAction.CREATE,
        from_state=None,
        to_state=OfferState.DRAFT,
        reason=None,
        now=now,
    )
    return offer


async def edit(
    session: AsyncSession, identity: Identity, offer_id: uuid.UUID, changes: dict[str, Any], now: datetime
) -> Offer:
    offer = await get_offer(session, offer_id, for_update=True)
    if OfferSide.EMPLOYER not in sides_of(identity, offer):
        raise Forbidden("Only an employer of the offer's organisation edits it.")
    if offer.state is not OfferState.DRAFT:
        raise InvalidTransition(
            f"Only a draft can be edited; this offer is {offer.state.value}.", state=offer.state.value
        )
    current = {
        "application_deadline": offer.application_deadline,
        "start_date": offer.start_date,
        "monthly_grant": offer.monthly_grant,
        "languages": [LanguageLevel(language=lang.language, level=lang.level) for lang in offer.languages],
    }
    if "application_deadline" in changes:
        changes["application_deadline"] = changes["application_deadline"].astimezone(UTC)
    merged = current | changes
    _validate(merged, now, check_deadline="application_deadline" in changes, check_start="start_date" in changes)
    for key, value in changes.items():
        if key == "languages":
            _set_languages(offer, value)
        else:
            setattr(offer, key, value.strip() if key == "title" else value)
    offer.updated_at = now
    await session.flush()
    return offer


async def _has_placements(session: AsyncSession, offer_id: uuid.UUID) -> bool:
    count = await session.scalar(
        select(func.count())
        .select_from(Application)
        .where(Application.offer_id == offer_id, Application.state == ApplicationState.CONFIRMED)
    )
    return bool(count)


async def transition(
    session: AsyncSession,
    identity: Identity,
    offer_id: uuid.UUID,
    action: OfferAction,
    *,
    reason: str | None,
    now: datetime,
    settings: Settings,
) -> Offer:
    """Move an offer; 403 for the wrong side, 409 (naming the state) from the wrong state."""
    offer = await get_offer(session, offer_id)
    sides = sides_of(identity, offer)
    decide(offer.state, action, sides)
    if action in REASON_REQUIRED and not reason:
        raise InvalidInput("Give a reason.", field="reason")
    if action is OfferAction.WITHDRAW:
        if await _has_placements(session, offer_id):
            raise Conflict("This offer has confirmed placements; it cannot be withdrawn.", state=offer.state.value)
        # Applications are locked before the offer (the order acceptances use), then cancelled.
        await cancel_open_for_offer(
            session, offer_id, reason=f"The offer was withdrawn. {reason or ''}".strip(), now=now, settings=settings
        )
    offer = await get_offer(session, offer_id, for_update=True)
    target = decide(offer.state, action, sides)
    if action is OfferAction.SUBMIT:
        org = await session.get_one(Organisation, offer.organisation_id)
        if org.verified_at is None:
            raise Conflict(
                "Your organisation is not verified yet: a coordinator of its region verifies it first.",
                state=offer.state.value,
            )
        if offer.application_deadline <= now:
            raise InvalidInput("The application deadline has passed: set a new one.", field="application_deadline")
    if action is OfferAction.PUBLISH and offer.application_deadline <= now:
        raise Conflict(
            "The application deadline has passed: send the offer back for a new one.", state=offer.state.value
        )
    source = offer.state
    offer.state = target
    offer.updated_at = now
    if action is OfferAction.SUBMIT:
        offer.submitted_at = now
    elif action is OfferAction.PUBLISH:
        offer.published_at, offer.state_reason = now, None
    elif action is OfferAction.WITHDRAW:
        offer.withdrawn_at = now
    if reason:
        offer.state_reason = reason
    event_id = record_offer_event(
        session,
        offer.id,
        actor=Actor.of(identity),
        action=action,
        from_state=source,
        to_state=target,
        reason=reason,
        now=now,
    )
    await tell(session, offer, action, event_id, reason, now, settings, by=identity)
    await session.flush()
    return offer


async def close_expired_offers(session: AsyncSession, now: datetime, settings: Settings | None = None) -> int:
    """Close every published offer whose application deadline has passed; returns how many (for the cron job).

    Idempotent: a second run finds nothing. Skips offers another transaction holds (they are closed next run).
    """
    offers = list(
        await session.scalars(
            select(Offer)
            .where(Offer.state == OfferState.PUBLISHED, Offer.application_deadline <= now)
            .order_by(Offer.id)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
    )
    for offer in offers:
        await close(
            session, offer, reason="The application deadline has passed.", now=now, settings=settings or get_settings()
        )
    await session.flush()
    return len(offers)
