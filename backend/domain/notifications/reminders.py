"""Reminders before deadlines: at most MAX_REMINDERS per item and kind, sent by the hourly deadline job when
due, or at once by a coordinator ("remind now"); each logged in the reminders table.

What is reminded, to whom, and when (reminder n is due once now >= due - LEAD[kind][n - 1]):

- application.proposal_expiring: the applicant of a `proposed` application, before its answer deadline
  (3 days, then 1 day before);
- employer.confirm_reminder: the employers of an `accepted` application's organisation, before the
  confirmation deadline (7 days, then 2 days before);
- placement.midterm_reminder: the employers, for a `started` placement, before its mid-term review (halfway
  through: 7 days before, then on the day);
- placement.final_report_reminder: the employers, for a `midterm_reviewed` placement, before the final report
  (due a month after the end: on the end date, then 7 days before it is due).

Nobody who has acted is reminded: acting moves the item out of the state the reminder is about. The job skips
items another transaction holds (FOR UPDATE SKIP LOCKED: two workers never remind about the same item, and a
person acting right now is not reminded), sends nothing within MIN_GAP of the item reaching its state or of
the previous reminder, and nothing about a deadline that has passed (the expiry jobs take over). The unique
(kind, subject_id, number) of the log keeps the cap even if two runs race.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    ApplicantProfile,
    Application,
    ApplicationState,
    Offer,
    Placement,
    PlacementState,
    Role,
    User,
)
from backend.db.models.notification import MAX_REMINDERS, Reminder
from backend.domain.notifications.schemas import ReminderOut, ReminderStatus
from backend.domain.notifications.services import notify
from backend.domain.offers.events import employers_of
from backend.domain.placements.services import add_months
from backend.lib.auth import Identity
from backend.lib.errors import Conflict, Forbidden, NotFound
from backend.lib.settings import Settings

Subject = Literal["application", "placement"]

PROPOSAL = "application.proposal_expiring"
CONFIRM = "employer.confirm_reminder"
MIDTERM = "placement.midterm_reminder"
FINAL = "placement.final_report_reminder"

LEAD: dict[str, tuple[timedelta, timedelta]] = {
    PROPOSAL: (timedelta(days=3), timedelta(days=1)),
    CONFIRM: (timedelta(days=7), timedelta(days=2)),
    MIDTERM: (timedelta(days=7), timedelta(0)),
    FINAL: (timedelta(days=30), timedelta(days=7)),
}
MIN_GAP = timedelta(hours=24)
DEADLINES = frozenset({PROPOSAL, CONFIRM})  # past these, nothing is left to remind about

APPLICATION_KINDS = {ApplicationState.PROPOSED: PROPOSAL, ApplicationState.ACCEPTED: CONFIRM}
PLACEMENT_KINDS = {PlacementState.STARTED: MIDTERM, PlacementState.MIDTERM_REVIEWED: FINAL}


@dataclass(frozen=True)
class Item:
    """One application or placement a reminder can be about, with what its text needs."""

    kind: str
    subject_id: uuid.UUID
    due: datetime
    entered_at: datetime  # when it reached its current state
    host_region_id: uuid.UUID
    home_region_id: uuid.UUID
    applicant_id: uuid.UUID
    organisation_id: uuid.UUID
    params: dict[str, Any]
    link: str


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def midterm_date(start: date, end: date) -> date:
    return start + timedelta(days=(end - start).days // 2)


def final_report_date(end: date) -> date:
    return add_months(end, 1)


_NAME = func.coalesce(ApplicantProfile.full_name, User.full_name)


async def _applications(
    session: AsyncSession, settings: Settings, *conditions: Any, lock: bool, wait: bool = False
) -> list[Item]:
    query = (
        select(Application, Offer.title, Offer.organisation_id, _NAME)
        .join(Offer, Offer.id == Application.offer_id)
        .join(User, User.id == Application.applicant_id)
        .outerjoin(ApplicantProfile, ApplicantProfile.user_id == Application.applicant_id)
        .where(Application.state.in_(list(APPLICATION_KINDS)), *conditions)
        .order_by(Application.id)
    )
    if lock:
        query = query.with_for_update(of=Application, skip_locked=not wait)
    items = []
    for application, title, organisation_id, name in await session.execute(query):
        kind = APPLICATION_KINDS[application.state]
        deadline = application.answer_deadline if kind == PROPOSAL else application.confirm_deadline
        if deadline is None:
            continue
        params = {"offer_title": title}
        if kind == PROPOSAL:
            params["answer_deadline"] = deadline.isoformat()
        else:
            params |= {"applicant_name": name, "confirm_deadline": deadline.isoformat()}
        items.append(
            Item(
                kind=kind,
                subject_id=application.id,
                due=deadline,
                entered_at=application.updated_at,
                host_region_id=application.host_region_id,
                home_region_id=application.home_region_id,
                applicant_id=application.applicant_id,
                organisation_id=organisation_id,
                params=params,
                link=f"{settings.public_url}/applications/{application.id}",
            )
        )
    return items


async def _placements(
    session: AsyncSession, settings: Settings, *conditions: Any, lock: bool, wait: bool = False
) -> list[Item]:
    query = (
        select(Placement, Offer.title, Offer.organisation_id, _NAME)
        .join(Offer, Offer.id == Placement.offer_id)
        .join(User, User.id == Placement.applicant_id)
        .outerjoin(ApplicantProfile, ApplicantProfile.user_id == Placement.applicant_id)
        .where(Placement.state.in_(list(PLACEMENT_KINDS)), *conditions)
        .order_by(Placement.id)
    )
    if lock:
        query = query.with_for_update(of=Placement, skip_locked=not wait)
    items = []
    for placement, title, organisation_id, name in await session.execute(query):
        kind = PLACEMENT_KINDS[placement.state]
        due = (
            midterm_date(placement.start_date, placement.end_date)
            if kind == MIDTERM
            else final_report_date(placement.end_date)
        )
        items.append(
            Item(
                kind=kind,
                subject_id=placement.id,
                due=_midnight(due),
                entered_at=placement.updated_at,
                host_region_id=placement.host_region_id,
                home_region_id=placement.home_region_id,
                applicant_id=placement.applicant_id,
                organisation_id=organisation_id,
                params={"offer_title": title, "trainee_name": name, "due_date": due.isoformat()},
                link=f"{settings.public_url}/placements/{placement.id}",
            )
        )
    return items


async def _history(session: AsyncSession, subject_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Reminder]]:
    found: dict[uuid.UUID, list[Reminder]] = {i: [] for i in subject_ids}
    if subject_ids:
        rows = await session.scalars(
            select(Reminder).where(Reminder.subject_id.in_(subject_ids)).order_by(Reminder.sent_at, Reminder.number)
        )
        for reminder in rows:
            found[reminder.subject_id].append(reminder)
    return found


async def _send(
    session: AsyncSession, item: Item, number: int, now: datetime, requested_by: uuid.UUID | None
) -> Reminder | None:
    """Log reminder `number` and notify its recipients; None if that number is logged already (a race)."""
    recipients = [item.applicant_id] if item.kind == PROPOSAL else await employers_of(session, item.organisation_id)
    reminder_id = await session.scalar(
        insert(Reminder)
        .values(
            kind=item.kind,
            subject_id=item.subject_id,
            number=number,
            sent_at=now,
            requested_by_id=requested_by,
            recipients=len(recipients),
        )
        .on_conflict_do_nothing(index_elements=["kind", "subject_id", "number"])
        .returning(Reminder.id)
    )
    if reminder_id is None:
        return None
    for user_id in recipients:
        await notify(
            session,
            user_id=user_id,
            kind=item.kind,
            dedup_key=f"{item.kind}:{item.subject_id}:{number}:{user_id}",
            params=item.params,
            link=item.link,
            now=now,
        )
    return await session.get_one(Reminder, reminder_id)


def due_number(item: Item, sent: list[Reminder], now: datetime) -> int | None:
    """The reminder the job should send now about this item, if any."""
    sent = [r for r in sent if r.kind == item.kind]
    number = len(sent) + 1
    if number > MAX_REMINDERS:
        return None
    if item.kind in DEADLINES and now >= item.due:
        return None
    if now < item.due - LEAD[item.kind][number - 1]:
        return None
    last = max((r.sent_at for r in sent), default=item.entered_at)
    if now - max(last, item.entered_at) < MIN_GAP:
        return None
    return number


async def send_due_reminders(session: AsyncSession, now: datetime, settings: Settings) -> int:
    """The deadline job's step: send every reminder that is due; returns how many reminders were sent."""
    horizon = now + max(lead[0] for lead in LEAD.values())  # a superset: due_number() decides
    items = await _applications(
        session,
        settings,
        Application.state == ApplicationState.PROPOSED,
        Application.answer_deadline > now,
        Application.answer_deadline <= horizon,
        lock=True,
    )
    items += await _applications(
        session,
        settings,
        Application.state == ApplicationState.ACCEPTED,
        Application.confirm_deadline > now,
        Application.confirm_deadline <= horizon,
        lock=True,
    )
    midterm = Placement.start_date + (Placement.end_date - Placement.start_date) // 2
    items += await _placements(
        session,
        settings,
        or_(
            and_(Placement.state == PlacementState.STARTED, midterm <= horizon.date()),
            and_(Placement.state == PlacementState.MIDTERM_REVIEWED, Placement.end_date <= horizon.date()),
        ),
        lock=True,
    )
    history = await _history(session, [i.subject_id for i in items])
    sent = 0
    for item in items:
        number = due_number(item, history[item.subject_id], now)
        if number is not None and await _send(session, item, number, now, None) is not None:
            sent += 1
    await session.flush()
    return sent


# -- "remind now" and the reminder status shown to coordinators --------------------------------------------


async def _item(
    session: AsyncSession, identity: Identity, subject: Subject, subject_id: uuid.UUID, settings: Settings
) -> tuple[Item | None, str]:
    """The item in a state that can be reminded about (or None), and its current state; 404 / 403 first."""
    model = Application if subject == "application" else Placement
    found = (
        await session.execute(
            select(model.state, model.host_region_id, model.home_region_id).where(model.id == subject_id)
        )
    ).one_or_none()
    if found is None:
        raise NotFound(f"No such {subject}.")
    state, host, home = found
    if not (identity.role is Role.ADMIN or identity.coordinates(host) or identity.coordinates(home)):
        raise Forbidden(f"You do not coordinate a region of this {subject}.")
    loader = _applications if subject == "application" else _placements
    items = await loader(session, settings, model.id == subject_id, lock=True, wait=True)
    return (items[0] if items else None), state.value


def _status(subject_id: uuid.UUID, item: Item | None, history: list[Reminder]) -> ReminderStatus:
    kind = item.kind if item else None
    of_kind = [r for r in history if r.kind == kind]
    return ReminderStatus(
        subject_id=subject_id,
        kind=kind,
        sent=len(of_kind),
        limit=MAX_REMINDERS,
        last_sent_at=max((r.sent_at for r in of_kind), default=None),
        can_remind_now=item is not None and len(of_kind) < MAX_REMINDERS,
        history=[
            ReminderOut(
                kind=r.kind,
                number=r.number,
                sent_at=r.sent_at,
                automatic=r.requested_by_id is None,
                requested_by_id=r.requested_by_id,
                recipients=r.recipients,
            )
            for r in history
        ],
    )


async def reminder_status(
    session: AsyncSession, identity: Identity, subject: Subject, subject_id: uuid.UUID, settings: Settings
) -> ReminderStatus:
    item, _ = await _item(session, identity, subject, subject_id, settings)
    return _status(subject_id, item, (await _history(session, [subject_id]))[subject_id])


async def remind_now(
    session: AsyncSession,
    identity: Identity,
    subject: Subject,
    subject_id: uuid.UUID,
    *,
    now: datetime,
    settings: Settings,
) -> ReminderStatus:
    """A coordinator's reminder, sent at once: 409 when nothing is awaited from anyone or the cap is reached."""
    item, state = await _item(session, identity, subject, subject_id, settings)
    if item is None:
        raise Conflict(f"Nothing to remind about: the {subject} is {state.replace('_', ' ')}.", state=state)
    history = (await _history(session, [subject_id]))[subject_id]
    of_kind = [r for r in history if r.kind == item.kind]
    if len(of_kind) >= MAX_REMINDERS:
        last = max(r.sent_at for r in of_kind)
        raise Conflict(
            f"{MAX_REMINDERS} reminders were sent already (the last at {last.isoformat()}); no more are sent.",
            state=state,
        )
    if item.kind in DEADLINES and now >= item.due:
        raise Conflict("The deadline has passed: nothing is awaited any more.", state=state)
    reminder = await _send(session, item, len(of_kind) + 1, now, identity.user_id)
    if reminder is None:
        raise Conflict("Another reminder was sent just now.", state=state)
    return _status(subject_id, item, [*history, reminder])
