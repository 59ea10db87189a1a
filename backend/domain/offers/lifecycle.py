"""What happens to an offer as a consequence of other events: closing (deadline, seats filled) and telling
the people concerned. A leaf module, so the applications domain can close a filled offer without a cycle.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Application, ApplicationState, Offer, OfferState
from backend.domain.notifications.services import notify
from backend.domain.offers.events import coordinators_of, employers_of, record_offer_event
from backend.domain.offers.transitions import OfferAction
from backend.lib.audit import SYSTEM
from backend.lib.auth import Identity
from backend.lib.settings import Settings


async def tell(
    session: AsyncSession,
    offer: Offer,
    action: OfferAction,
    event_id: uuid.UUID,
    reason: str | None,
    now: datetime,
    settings: Settings,
    *,
    by: Identity | None,
) -> None:
    """Submission goes to the region's coordinators; their decisions (and system closures) to the employers."""
    if action is OfferAction.SUBMIT:
        recipients = await coordinators_of(session, offer.region_id)
    else:
        recipients = await employers_of(session, offer.organisation_id)
    for user_id in recipients:
        if by is not None and user_id == by.user_id:
            continue
        await notify(
            session,
            user_id=user_id,
            kind=f"offer.{action.value}",
            dedup_key=f"offer.{action.value}:{event_id}:{user_id}",
            params={"title": offer.title, "reason": reason or ""},
            link=f"{settings.public_url}/offers/{offer.id}",
            now=now,
        )


async def close(session: AsyncSession, offer: Offer, *, reason: str, now: datetime, settings: Settings) -> None:
    """Close a published offer (the system acts): no new applications; selection goes on."""
    if offer.state is not OfferState.PUBLISHED:
        return
    offer.state, offer.closed_at, offer.updated_at = OfferState.CLOSED, now, now
    event_id = record_offer_event(
        session,
        offer.id,
        actor=SYSTEM,
        action=OfferAction.CLOSE,
        from_state=OfferState.PUBLISHED,
        to_state=OfferState.CLOSED,
        reason=reason,
        now=now,
    )
    await tell(session, offer, OfferAction.CLOSE, event_id, reason, now, settings, by=None)


async def close_if_filled(session: AsyncSession, offer_id: uuid.UUID, *, now: datetime, settings: Settings) -> bool:
    """Close the offer when its confirmed placements fill every seat; True when every seat is filled."""
    offer = await session.scalar(
        select(Offer).where(Offer.id == offer_id).with_for_update().execution_options(populate_existing=True)
    )
    if offer is None:
        return False
    confirmed = await session.scalar(
        select(func.count())
        .select_from(Application)
        .where(Application.offer_id == offer_id, Application.state == ApplicationState.CONFIRMED, Application.reserved)
    )
    if (confirmed or 0) < offer.seats:
        return False
    await close(session, offer, reason="Every seat is filled.", now=now, settings=settings)
    return True
