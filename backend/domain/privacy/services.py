"""Data-protection self-service for applicants: export everything kept about them; erase their account.

Erasure withdraws the open applications (recorded in their audit trail like any withdrawal), removes the
profile, the CVs (rows now, objects from the bucket right after the commit, retried by a worker if storage
fails) and the notifications, clears the motivation texts, and anonymises the account. Selection decisions
and placements stay, without personal data, for the programme's statistics and audit. It is refused while a
placement is agreed or running: the traineeship agreement binds three parties, the coordinator handles it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    OPEN_STATES,
    ApplicantProfile,
    Application,
    ApplicationEvent,
    ApplicationState,
    AuthToken,
    Document,
    Notification,
    Placement,
    PlacementEvent,
    PlacementState,
    User,
)
from backend.db.models.user import ERASED_EMAIL_DOMAIN
from backend.domain.applications.transitions import Action
from backend.domain.applications.workflow import act
from backend.domain.documents.services import discard_documents_of
from backend.lib.auth import Identity
from backend.lib.errors import Conflict, InvalidInput
from backend.lib.security import verify_password
from backend.lib.settings import Settings

ACTIVE_PLACEMENTS = (
    PlacementState.CONFIRMED,
    PlacementState.AGREEMENT_SIGNED,
    PlacementState.STARTED,
    PlacementState.MIDTERM_REVIEWED,
)
BOUND = (ApplicationState.ACCEPTED, ApplicationState.CONFIRMED)


def _row(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs if c.key not in skip}


async def export(session: AsyncSession, identity: Identity, now: datetime) -> dict[str, Any]:
    user_id = identity.user_id
    user = await session.get_one(User, user_id)
    applications = list(await session.scalars(select(Application).where(Application.applicant_id == user_id)))
    ids = [a.id for a in applications]
    events = (
        list(
            await session.scalars(
                select(ApplicationEvent)
                .where(ApplicationEvent.application_id.in_(ids))
                .order_by(ApplicationEvent.created_at, ApplicationEvent.id)
            )
        )
        if ids
        else []
    )
    placements = await session.scalars(select(Placement).where(Placement.applicant_id == user_id))
    placement_events = await session.scalars(
        select(PlacementEvent)
        .join(Placement, Placement.id == PlacementEvent.placement_id)
        .where(Placement.applicant_id == user_id)
        .order_by(PlacementEvent.created_at, PlacementEvent.id)
    )
    return {
        "exported_at": now,
        "account": _row(user, skip=("password_hash",)),
        "profile": _row(p) if (p := await session.get(ApplicantProfile, user_id)) else None,
        "applications": [_row(a) for a in applications],
        "application_events": [_row(e) for e in events],
        "placements": [_row(p) for p in placements],
        "placement_events": [_row(e) for e in placement_events],
        "documents": [
            _row(d, skip=("object_key",)) | {"sha256": d.sha256.hex()}
            for d in await session.scalars(select(Document).where(Document.owner_id == user_id))
        ],
        "notifications": [
            _row(n, skip=("link", "lease_token"))
            for n in await session.scalars(select(Notification).where(Notification.user_id == user_id))
        ],
    }


async def erase(
    session: AsyncSession, identity: Identity, password: str, *, now: datetime, settings: Settings
) -> list[str]:
    """Erase the caller's applicant account; returns the object keys to delete from storage after commit."""
    user = await session.get_one(User, identity.user_id, with_for_update=True)
    if not await verify_password(user.password_hash, password):
        raise InvalidInput("The password is wrong.", field="password")
    active = await session.scalar(
        select(Placement.id).where(Placement.applicant_id == user.id, Placement.state.in_(ACTIVE_PLACEMENTS)).limit(1)
    )
    bound = await session.scalar(
        select(Application.id).where(Application.applicant_id == user.id, Application.state.in_(BOUND)).limit(1)
    )
    if active is not None or bound is not None:
        raise Conflict(
            "A placement is agreed or under way: ask your coordinator to close it before erasing your account.",
            state="placement",
        )
    open_ids = list(
        await session.scalars(
            select(Application.id).where(Application.applicant_id == user.id, Application.state.in_(OPEN_STATES))
        )
    )
    for application_id in open_ids:
        await act(
            session,
            identity,
            application_id,
            Action.WITHDRAW,
            now=now,
            settings=settings,
            reason="The applicant erased their account.",
        )
    await session.execute(
        update(Application).where(Application.applicant_id == user.id).values(motivation="", employer_note=None)
    )
    keys = await discard_documents_of(session, user.id)
    await session.execute(delete(Notification).where(Notification.user_id == user.id))
    await session.execute(delete(ApplicantProfile).where(ApplicantProfile.user_id == user.id))
    await session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
    user.email = f"erased-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"
    user.full_name = "Erased account"
    user.password_hash = None
    user.is_active = False
    user.email_verified_at = None
    return keys
