from __future__ import annotations

import uuid

from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody

from backend.db.models import Offer, OfferState, Role
from backend.domain.applicants import services
from backend.domain.applicants.schemas import EligibilityOut, ProfileIn, ProfileOut
from backend.lib.auth import requires
from backend.lib.deps import AppClock, CurrentIdentity, DbSession
from backend.lib.errors import NotFound


class ProfileController(Controller):
    path = "/me/profile"
    tags = ["applicants"]
    guards = [requires(Role.APPLICANT)]

    @get("/", operation_id="getMyProfile", summary="Your applicant profile, with your eligibility explained")
    async def get_profile(self, identity: CurrentIdentity, db_session: DbSession, clock: AppClock) -> ProfileOut:
        profile = await services.get_profile(db_session, identity.user_id)
        region, _ = await services.evaluate_for(db_session, profile, clock().date())
        return services.profile_out(profile, region, clock().date())

    @put("/", operation_id="saveMyProfile", summary="Create or replace your applicant profile")
    async def save_profile(
        self, data: JSONBody[ProfileIn], identity: CurrentIdentity, db_session: DbSession, clock: AppClock
    ) -> ProfileOut:
        now = clock()
        profile = await services.save_profile(db_session, identity.user_id, data, now)
        region, _ = await services.evaluate_for(db_session, profile, now.date())
        out = services.profile_out(profile, region, now.date())
        await db_session.commit()
        return out


class OfferEligibilityController(Controller):
    path = "/offers/{offer_id:uuid}/eligibility"
    tags = ["applicants"]
    guards = [requires(Role.APPLICANT)]

    @get("/", operation_id="checkMyEligibility", summary="Your eligibility for one offer, rule by rule")
    async def check(
        self, offer_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession, clock: AppClock
    ) -> EligibilityOut:
        offer = await db_session.get(Offer, offer_id)
        if offer is None or offer.state not in (OfferState.PUBLISHED, OfferState.CLOSED):
            raise NotFound("No such offer.")
        profile = await services.get_profile(db_session, identity.user_id)
        today = clock().date()
        region, results = await services.evaluate_for(db_session, profile, today, offer)
        return services.eligibility_out(region, today, results)
