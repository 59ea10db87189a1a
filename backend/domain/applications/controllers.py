from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from backend.db.models import ApplicationState, Role
from backend.domain.applications import services, workflow
from backend.domain.applications.schemas import (
    ApplicationEventOut,
    ApplicationIn,
    ApplicationOut,
    CandidateOut,
    ProposeIn,
    RankingIn,
    RegionSide,
    ReviewIn,
)
from backend.domain.applications.transitions import Action
from backend.domain.offers.schemas import OptionalReasonIn, ReasonIn
from backend.lib.auth import Identity, authenticated, requires
from backend.lib.deps import AppClock, AppSettings, CurrentIdentity, DbSession, Jobs

COORDINATORS = requires(Role.COORDINATOR, Role.ADMIN)
APPLICANT = requires(Role.APPLICANT)
EMPLOYER = requires(Role.EMPLOYER)

Limit = Annotated[int, QueryParameter(ge=1, le=200)]
Offset = Annotated[int, QueryParameter(ge=0)]


class ApplicationController(Controller):
    path = "/applications"
    tags = ["applications"]

    @post("/", operation_id="createApplication", summary="Apply to a published offer", guards=[APPLICANT])
    async def create(
        self,
        data: JSONBody[ApplicationIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
    ) -> ApplicationOut:
        application = await services.apply(db_session, identity, data, now=clock(), settings=settings)
        out = await services.describe(db_session, identity, application)
        await db_session.commit()
        return out

    @get("/{application_id:uuid}", operation_id="getApplication", guards=[authenticated])
    async def get_one(
        self, application_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> ApplicationOut:
        application = await services.get_visible(db_session, identity, application_id)
        return await services.describe(db_session, identity, application)

    @get(
        "/{application_id:uuid}/events",
        operation_id="listApplicationEvents",
        summary="The application's audit trail: who, when, from which state to which, and why",
        guards=[authenticated],
    )
    async def events(
        self, application_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> list[ApplicationEventOut]:
        return await services.list_events(db_session, identity, application_id)

    async def _act(
        self,
        action: Action,
        application_id: uuid.UUID,
        identity: Identity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
        **extra: object,
    ) -> ApplicationOut:
        application = await workflow.act(
            db_session,
            identity,
            application_id,
            action,
            now=clock(),
            settings=settings,
            **extra,  # type: ignore[arg-type]
        )
        out = await services.describe(db_session, identity, application)
        await db_session.commit()
        await jobs.deliver_notifications()
        return out

    @post(
        "/{application_id:uuid}/validate",
        operation_id="validateApplication",
        summary="Declare the applicant eligible (sending coordinator)",
        status_code=200,
        guards=[COORDINATORS],
    )
    async def validate(
        self,
        application_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> ApplicationOut:
        return await self._act(Action.VALIDATE, application_id, identity, db_session, clock, settings, jobs)

    @post(
        "/{application_id:uuid}/mark-ineligible",
        operation_id="markApplicationIneligible",
        summary="Declare the applicant ineligible, with the reason they will see (sending coordinator)",
        status_code=200,
        guards=[COORDINATORS],
    )
    async def mark_ineligible(
        self,
        application_id: FromPath[uuid.UUID],
        data: JSONBody[ReasonIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> ApplicationOut:
        return await self._act(
            Action.MARK_INELIGIBLE, application_id, identity, db_session, clock, settings, jobs, reason=data.reason
        )

    @post(
        "/{application_id:uuid}/shortlist",
        operation_id="shortlistApplication",
        summary="Shortlist an eligible candidate (host coordinator)",
        status_code=200,
        guards=[COORDINATORS],
    )
    async def shortlist(
        self,
        application_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> ApplicationOut:
        return await self._act(Action.SHORTLIST, application_id, identity, db_session, clock, settings, jobs)

    @post(
        "/{application_id:uuid}/reject",
        operation_id="rejectApplication",
        summary="Reject a candidate with the reason they will see (host coordinator)",
        status_code=200,
        guards=[COORDINATORS],
    )
    async def reject(
        self,
        application_id: FromPath[uuid.UUID],
        data: JSONBody[ReasonIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> ApplicationOut:
        return await self._act(
            Action.REJECT, application_id, identity, db_session, clock, settings, jobs, reason=data.reason
        )

    @post(
        "/{application_id:uuid}/propose",
        operation_id="proposeApplication",
        summary="Propose the placement to a shortlisted candidate, with an answer deadline (host coordinator)",
        status_code=200,
        guards=[COORDINATORS],
    )
    async def propose(
        self,
        application_id: FromPath[uuid.UUID],
        data: JSONBody[ProposeIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> ApplicationOut:
        return await self._act(
            Action.PROPOSE,
            application_id,
            identity,
            db_session,
            clock,
            settings,
            jobs,
            answer_deadline=data.answer_deadline,
        )

    @post(
        "/{application_id:uuid}/accept",
        operation_id="acceptProposal",
        summary="Accept a proposal (the applicant): holds the seat and both quota units; withdraws the others",
        status_code=200,
        guards=[APPLICANT],
    )
    async def accept(
        self,
        application_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> ApplicationOut:
        return await self._act(Action.ACCEPT, application_id, identity, db_session, clock, settings, jobs)

    @post(
        "/{application_id:uuid}/decline",
        operation_id="declineProposal",
        summary="Decline a proposal (the applicant)",
        status_code=200,
        guards=[APPLICANT],
    )
    async def decline(
        self,
        application_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
        data: JSONBody[OptionalReasonIn | None] = None,
    ) -> ApplicationOut:
        return await self._act(
            Action.DECLINE,
            application_id,
            identity,
            db_session,
            clock,
            settings,
            jobs,
            reason=data.reason if data else None,
        )

    @post(
        "/{application_id:uuid}/withdraw",
        operation_id="withdrawApplication",
        summary="Withdraw an application at any time before the placement (the applicant)",
        status_code=200,
        guards=[APPLICANT],
    )
    async def withdraw(
        self,
        application_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
        data: JSONBody[OptionalReasonIn | None] = None,
    ) -> ApplicationOut:
        return await self._act(
            Action.WITHDRAW,
            application_id,
            identity,
            db_session,
            clock,
            settings,
            jobs,
            reason=data.reason if data else None,
        )

    @post(
        "/{application_id:uuid}/confirm",
        operation_id="confirmApplication",
        summary="Confirm an accepted candidate (the employer): creates the placement",
        status_code=200,
        guards=[EMPLOYER],
    )
    async def confirm(
        self,
        application_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> ApplicationOut:
        return await self._act(Action.CONFIRM, application_id, identity, db_session, clock, settings, jobs)

    @post(
        "/{application_id:uuid}/refuse",
        operation_id="refuseApplication",
        summary="Refuse an accepted candidate with a reason (the employer): the seat and quota units go back",
        status_code=200,
        guards=[EMPLOYER],
    )
    async def refuse(
        self,
        application_id: FromPath[uuid.UUID],
        data: JSONBody[ReasonIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> ApplicationOut:
        return await self._act(
            Action.REFUSE, application_id, identity, db_session, clock, settings, jobs, reason=data.reason
        )

    @put(
        "/{application_id:uuid}/employer-review",
        operation_id="recordEmployerReview",
        summary="Record the interview outcome and the employer's own preference (the employer)",
        guards=[EMPLOYER],
    )
    async def employer_review(
        self,
        application_id: FromPath[uuid.UUID],
        data: JSONBody[ReviewIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
    ) -> ApplicationOut:
        application = await services.review(db_session, identity, application_id, data, clock())
        out = await services.describe(db_session, identity, application)
        await db_session.commit()
        return out


class MyApplicationsController(Controller):
    path = "/me/applications"
    tags = ["applications"]
    guards = [APPLICANT]

    @get("/", operation_id="listMyApplications", summary="Your applications: open ones in your rank order")
    async def list_mine(self, identity: CurrentIdentity, db_session: DbSession) -> list[ApplicationOut]:
        return await services.list_mine(db_session, identity)

    @put("/ranking", operation_id="rankMyApplications", summary="Order your open applications, best first")
    async def rank(
        self, data: JSONBody[RankingIn], identity: CurrentIdentity, db_session: DbSession, clock: AppClock
    ) -> list[ApplicationOut]:
        out = await services.rank_mine(db_session, identity, data.application_ids, clock())
        await db_session.commit()
        return out


class OfferApplicationsController(Controller):
    path = "/offers/{offer_id:uuid}"
    tags = ["applications"]

    @get(
        "/applications",
        operation_id="listOfferApplications",
        summary="Candidates of an offer (host side: all; employer: shortlisted and after), in host rank order",
        guards=[requires(Role.COORDINATOR, Role.EMPLOYER, Role.CHAIR, Role.ADMIN)],
    )
    async def list_for_offer(
        self,
        offer_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        state_filter: Annotated[
            ApplicationState | None, QueryParameter(name="state", description="Only this state")
        ] = None,
    ) -> list[CandidateOut]:
        return await services.list_for_offer(db_session, identity, offer_id, state_filter, clock().date())

    @put(
        "/ranking",
        operation_id="rankOfferCandidates",
        summary="Order the offer's shortlisted candidates, best first (host coordinator)",
        guards=[COORDINATORS],
    )
    async def rank(
        self,
        offer_id: FromPath[uuid.UUID],
        data: JSONBody[RankingIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
    ) -> list[CandidateOut]:
        out = await services.rank_for_offer(db_session, identity, offer_id, data.application_ids, clock())
        await db_session.commit()
        return out


class RegionApplicationsController(Controller):
    path = "/regions/{region_id:uuid}/applications"
    tags = ["applications"]
    guards = [requires(Role.COORDINATOR, Role.CHAIR, Role.ADMIN)]

    @get(
        "/",
        operation_id="listRegionApplications",
        summary="Applications from the region's residents (side=sending) or to its offers (side=hosting)",
    )
    async def list_for_region(
        self,
        region_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        side: FromQuery[RegionSide] = "sending",
        state_filter: Annotated[
            ApplicationState | None, QueryParameter(name="state", description="Only this state")
        ] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[CandidateOut]:
        return await services.list_for_region(
            db_session,
            identity,
            region_id,
            side=side,
            state=state_filter,
            limit=limit,
            offset=offset,
            on=clock().date(),
        )
