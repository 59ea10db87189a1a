"""Who may read an applicant's documents: the applicant; coordinators of their home region and of the regions
of offers they applied to; employers of offers where they are shortlisted or further. Nobody else."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import ApplicantProfile, Application, ApplicationState, Offer, Role
from backend.lib.auth import Identity

SHORTLISTED_OR_FURTHER = (
    ApplicationState.SHORTLISTED,
    ApplicationState.PROPOSED,
    ApplicationState.ACCEPTED,
    ApplicationState.CONFIRMED,
)


async def may_read_documents_of(session: AsyncSession, identity: Identity, applicant_id: uuid.UUID) -> bool:
    if identity.user_id == applicant_id:
        return True
    if identity.role is Role.COORDINATOR and identity.region_ids:
        regions = list(identity.region_ids)
        home = exists().where(ApplicantProfile.user_id == applicant_id, ApplicantProfile.home_region_id.in_(regions))
        applied = exists().where(
            Application.applicant_id == applicant_id,
            or_(Application.host_region_id.in_(regions), Application.home_region_id.in_(regions)),
        )
        return bool(await session.scalar(select(or_(home, applied))))
    if identity.role is Role.EMPLOYER and identity.organisation_id is not None:
        shortlisted = exists().where(
            Application.applicant_id == applicant_id,
            Application.state.in_(SHORTLISTED_OR_FURTHER),
            Offer.id == Application.offer_id,
            Offer.organisation_id == identity.organisation_id,
        )
        return bool(await session.scalar(select(shortlisted)))
    return False
