"""Retention: CVs, profiles and motivation texts of unsuccessful applicants are purged after a period.

An applicant is unsuccessful once none of their applications is open or confirmed; the period runs from the
last change of their last application. The account itself stays (they may apply again next year); decisions
and their reasons stay in the audit trail, without the texts the applicant wrote.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import OPEN_STATES, ApplicantProfile, Application, ApplicationState
from backend.domain.documents.services import discard_documents_of


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1


async def purge_batch(
    session: AsyncSession, now: datetime, retention_months: int, limit: int = 200
) -> tuple[list[uuid.UUID], list[str]]:
    """Purge up to `limit` applicants past retention; returns their ids and the object keys to delete.

    SKIP LOCKED: two workers share the work instead of waiting on each other (or purging twice)."""
    cutoff = months_before(now, retention_months)
    a = Application
    mine = a.applicant_id == ApplicantProfile.user_id
    still_relevant = exists().where(
        mine, (a.state.in_([*OPEN_STATES, ApplicationState.CONFIRMED])) | (a.updated_at >= cutoff)
    )
    due = (
        select(ApplicantProfile.user_id)
        .where(exists().where(mine), ~still_relevant)
        .order_by(ApplicantProfile.user_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    user_ids = list(await session.scalars(due))
    keys: list[str] = []
    for user_id in user_ids:
        keys += await discard_documents_of(session, user_id)
    if user_ids:
        await session.execute(
            update(Application).where(Application.applicant_id.in_(user_ids)).values(motivation="", employer_note=None)
        )
        await session.execute(delete(ApplicantProfile).where(ApplicantProfile.user_id.in_(user_ids)))
    return user_ids, keys
